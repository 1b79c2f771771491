"""Who is speaking: resolve a subject phrase to one canonical actor within an article.

Resolution order, each recorded on the statement (``speaker_resolution``):

``named``    a person or organisation named in the phrase ("Russian President Vladimir Putin",
             "the Russian Defense Ministry"), looked up in the actor data, else a new actor with
             the description the article gives ("Former defence attaché Simon Diggins");
``surname``  a surname or title + surname ("Mr Diggins") seen earlier in the article;
``role``     a role phrase resolved by the statement's date ("the Russian president",
             "Kremlin chief", "the president" = the last president mentioned);
``pronoun``  he / she / they / it, resolved to the most recent fitting subject;
``unnamed``  an unnamed source ("a Kremlin source", "western officials", "reports");
``carried``  (set by the statement reader) a quote with no cue of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from graph.actors import TITLES, Gazetteer, normalise, strip_titles, to_actor
from graph.ids import slug
from graph.knowledge import ActorEntry
from graph.model import Actor, SpeakerResolution

PRONOUNS = {"he": "male", "him": "male", "she": "female", "her": "female"}
GROUP_PRONOUNS = frozenset({"they", "them", "it"})
FIRST_PERSON = frozenset({"i", "we", "me", "us"})
#: How a joint statement refers to its authors.
JOINT_PHRASES = frozenset(
    f"{a}{b}" for a in ("", "two ", "both ", "all ") for b in ("leaders", "presidents", "sides", "parties")
) | {"both"}
#: Entity labels that name a speaker.
PERSON_LABELS = frozenset({"PERSON"})
ORG_LABELS = frozenset({"ORG", "NORP", "GPE"})
#: Role nouns that, unnamed and indefinite, refer forward to the article's quoted expert.
#: Words marking a source as deliberately unnamed: never resolved to a named person.
ANONYMOUS = frozenset({"unnamed", "anonymous", "unidentified"})
#: Heads of phrases that name a state's institutions through its capital ("the government in Kyiv").
INSTITUTION_NOUNS = frozenset({"government", "leadership", "authorities", "administration", "regime"})
EXPERT_NOUNS = frozenset(
    ["expert", "analyst", "officer", "attaché", "attache", "commander", "general", "veteran", "professor", "researcher", "academic", "historian", "economist", "observer", "commentator"]
)


@dataclass(frozen=True)
class Mention:
    offset: int
    actor: Actor
    subject: bool
    gender: str | None


@dataclass
class ArticleSpeakers:
    """Speaker resolution state for one article, read in order."""

    gazetteer: Gazetteer
    #: Who speaks in the article's own first person (an official statement's author), if known.
    author: Actor | None = None
    mentions: list[Mention] = field(default_factory=list)
    #: Named people the article introduced (surname → actor), for "Mr Diggins".
    introduced: dict[str, Actor] = field(default_factory=dict)

    def note(self, actor: Actor, offset: int, *, subject: bool) -> None:
        """Remember that ``actor`` was mentioned at ``offset`` (as a subject or not)."""
        entry = self.gazetteer.by_id.get(actor.id)
        gender = entry.gender if entry else None
        self.mentions.append(Mention(offset, actor, subject, gender))
        if actor.kind == "person":
            words = strip_titles(actor.name).split()
            if words:
                self.introduced.setdefault(words[-1], actor)

    def resolve(
        self,
        phrase: str,
        entities: list[tuple[str, str]],
        offset: int,
        day: date | None,
    ) -> tuple[Actor, SpeakerResolution] | None:
        """Resolve a subject ``phrase`` (with the entities inside it) said at ``offset``."""
        lowered = normalise(phrase)
        if not lowered:
            return None
        if lowered in FIRST_PERSON or (self.author and self.author.kind == "group" and lowered in JOINT_PHRASES):
            return (self.author, "pronoun") if self.author else None
        if lowered in PRONOUNS or lowered in GROUP_PRONOUNS:
            actor = self._antecedent(lowered, offset)
            return (actor, "pronoun") if actor else None
        persons = [_whole_name(text, phrase) for text, label in entities if label in PERSON_LABELS]
        for person in persons:
            actor, how = self._named(person, phrase)
            if actor:
                return actor, how
        known = self.gazetteer.by_label(phrase) or self._by_proper_word(phrase)
        if known:
            return to_actor(known), "named"
        role = self._role(lowered, offset, day)
        if role:
            return role, "role"
        for text, label in entities:
            if label in ORG_LABELS:
                known = self.gazetteer.by_label(text)
                if known and normalise(text) == lowered:
                    return to_actor(known), "named"
        if self.expert_pending(lowered):
            return None
        for text, label in entities:
            if label in {"GPE", "NORP"} and lowered.split()[0] in INSTITUTION_NOUNS | {"the"}:
                known = self.gazetteer.by_label(text)
                if known and known.kind == "organisation":
                    return to_actor(known), "named"
        unnamed = self._unnamed(lowered)
        if unnamed:
            return unnamed, "unnamed"
        if entities and any(label in ORG_LABELS for _, label in entities):
            return _new_group(phrase, "organisation"), "named"
        return None

    def _by_proper_word(self, phrase: str) -> ActorEntry | None:
        """A capitalised word the parser missed as a name: "the patriarch of Moscow Kiril"."""
        words = [w.strip(",.'’") for w in phrase.split()[1:]]
        for word in reversed(words):
            if word[:1].isupper():
                known = self.gazetteer.by_label(word)
                if known and known.kind == "person":
                    return known
        return None

    def _named(self, person: str, phrase: str | None) -> tuple[Actor | None, SpeakerResolution]:
        words = strip_titles(person).split()
        if len(words) == 1:
            # "Miller:" after "Alexei Miller:" is the person this article introduced, before any
            # look-alike in the actor data (Milley)
            earlier = self.introduced.get(words[0])
            if earlier:
                return earlier, "surname"
        known = self.gazetteer.by_label(person)
        if known:
            return to_actor(known), "named"
        if not words:
            return None, "named"
        name = " ".join(w.capitalize() if w.islower() else w for w in person.split())
        name = " ".join(person.split()[-len(words):]) if words else name
        description = None
        if phrase:
            rest = _DETERMINER.sub("", phrase.replace(person, "").strip(" ,;:"))
            description = rest[:1].upper() + rest[1:] if rest else None
        return (
            Actor(id=slug(name), name=name, aliases=(words[-1].capitalize(),) if len(words) > 1 else (),
                  kind="person", description=description),
            "named",
        )

    def _antecedent(self, pronoun: str, offset: int) -> Actor | None:
        wanted = PRONOUNS.get(pronoun)
        earlier = [m for m in self.mentions if m.offset < offset]
        if wanted:
            people = [m for m in earlier if m.actor.kind == "person" and m.gender in (wanted, None)]
            subjects = [m for m in people if m.subject]
            pool = subjects or people
        else:
            pool = [m for m in earlier if m.actor.kind != "person"]
        return pool[-1].actor if pool else None

    def _role(self, lowered: str, offset: int, day: date | None) -> Actor | None:
        holder = self.gazetteer.holder(lowered, day)
        if holder:
            return to_actor(holder)
        words = lowered.split()
        if len(words) == 1 or (len(words) == 2 and words[0] in {"former", "current"}):
            noun = words[-1]
            for mention in reversed([m for m in self.mentions if m.offset < offset]):
                if noun in self.gazetteer.role_nouns(mention.actor.id, day):
                    return mention.actor
        return None

    def _unnamed(self, lowered: str) -> Actor | None:
        words = [w for w in lowered.split() if w not in {"unnamed", "anonymous", "unidentified", "some", "several", "many"}]
        if not words:
            return None
        head = words[-1]
        singular = head.removesuffix("s")
        if head in self.gazetteer.knowledge.unnamed_sources or singular in self.gazetteer.knowledge.unnamed_sources:
            return _new_group(" ".join(words), "group")
        return None

    def expert_pending(self, phrase: str) -> bool:
        """A singular role noun ("a former army officer", "Expert") that names nobody yet."""
        words = normalise(phrase).split()
        return bool(words) and words[-1] in EXPERT_NOUNS and not set(words) & ANONYMOUS


_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def _whole_name(person: str, phrase: str) -> str:
    """The parser may tag only the surname ("Miller" in "Alexei Miller"): take the capitalised
    first name right before it in the phrase too (not a title, nor the end of "of Russia")."""
    if len(person.split()) != 1:
        return person
    words = phrase.split()
    for k in range(len(words) - 1, 0, -1):
        if words[k].strip(",:;") == person:
            first = words[k - 1]
            before = words[k - 2].lower() if k >= 2 else ""
            if first[:1].isupper() and first.lower().rstrip(".") not in TITLES and before != "of":
                return f"{first} {person}"
            break
    return person


def _new_group(phrase: str, kind: str) -> Actor:
    name = normalise(phrase)
    name = name[:1].upper() + name[1:]
    return Actor(id=slug(name), name=name, kind=kind)  # type: ignore[arg-type]
