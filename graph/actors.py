"""The actor gazetteer: canonical actors by name, alias, surname, or role on a given day."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from graph.knowledge import ActorEntry, Knowledge
from graph.model import Actor

#: Courtesy and office titles dropped before a name lookup ("Mr Diggins", "President Putin").
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame", "prof", "professor",
    "president", "prime", "premier", "chancellor", "general", "gen.", "lt", "col", "colonel",
    "sen", "senator", "rep", "pm", "minister", "secretary", "ambassador", "patriarch", "pope",
    "king", "queen", "prince", "princess", "sheikh", "mayor", "governor", "judge", "former",
    "ex", "acting",
})
_DETERMINERS = re.compile(r"^(?:the|a|an|this|that|these|those)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s\b")
_SPACES = re.compile(r"\s+")


def normalise(phrase: str) -> str:
    """Lowercase, straight apostrophes, single spaces, no leading determiner."""
    text = _SPACES.sub(" ", phrase.replace("’", "'").strip(" ,.;:\"'“”‘")).lower()
    return _DETERMINERS.sub("", text)


def strip_titles(name: str) -> str:
    words = normalise(name).split()
    while words and words[0].rstrip(".") in TITLES:
        words.pop(0)
    return " ".join(words)


def to_actor(entry: ActorEntry) -> Actor:
    kind = entry.kind if entry.kind in ("person", "organisation", "group") else "person"
    return Actor(
        id=entry.id,
        name=entry.name,
        aliases=entry.aliases,
        wikidata=entry.wikidata,
        kind=kind,  # type: ignore[arg-type]
    )


@dataclass
class Gazetteer:
    """Lookups over the actor data; built once from :class:`graph.knowledge.Knowledge`."""

    knowledge: Knowledge
    by_name: dict[str, list[ActorEntry]] = field(default_factory=lambda: defaultdict(list))
    by_surname: dict[str, list[ActorEntry]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[str, ActorEntry] = field(default_factory=dict)
    roles_by_phrase: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for entry in self.knowledge.actors:
            self.by_id[entry.id] = entry
            for label in (entry.name, *entry.aliases, *entry.hidden):
                key = normalise(label)
                if entry not in self.by_name[key]:
                    self.by_name[key].append(entry)
            if entry.kind == "person":
                for label in (entry.name, *entry.aliases):
                    words = normalise(label).split()
                    if len(words) >= 2 and entry not in self.by_surname[words[-1]]:
                        self.by_surname[words[-1]].append(entry)
        for role in self.knowledge.roles:
            for phrase in role.phrases:
                self.roles_by_phrase[normalise(phrase)].append(role.id)

    def by_label(self, phrase: str) -> ActorEntry | None:
        """The actor whose name or alias is ``phrase`` (titles ignored), if exactly one."""
        for key in (normalise(phrase), strip_titles(phrase), _POSSESSIVE.sub("", normalise(phrase))):
            found = self.by_name.get(key, [])
            if len(found) == 1:
                return found[0]
        words = strip_titles(phrase).split()
        if len(words) == 1:
            found = self.by_surname.get(words[0], []) or self._near_surname(words[0])
            if len(found) == 1:
                return found[0]
        return None

    def _near_surname(self, word: str) -> list[ActorEntry]:
        """Surnames one letter apart (transliterations: Kiril/Kirill, Zelensky/Zelenskyy)."""
        if len(word) < 5:
            return []
        return [
            entry for surname, entries in self.by_surname.items()
            if abs(len(surname) - len(word)) <= 1 and _one_edit(surname, word)
            for entry in entries
        ]

    def holder(self, role_phrase: str, day: date | None) -> ActorEntry | None:
        """Who held the role called ``role_phrase`` on ``day`` (today's holder if no day)."""
        role_ids = self.roles_by_phrase.get(normalise(role_phrase), [])
        if not role_ids:
            return None
        holders = {
            t.holder
            for t in self.knowledge.tenures
            if t.role in role_ids and (t.holds_on(day) if day else t.end is None)
        }
        if len(holders) != 1:
            return None
        return self.by_id.get(holders.pop())

    def role_nouns(self, actor_id: str, day: date | None) -> set[str]:
        """Head nouns of the roles ``actor_id`` held on ``day`` ("president", "minister" …)."""
        nouns: set[str] = set()
        for tenure in self.knowledge.tenures:
            if tenure.holder != actor_id or (day and not tenure.holds_on(day)):
                continue
            for role in self.knowledge.roles:
                if role.id == tenure.role:
                    nouns.update(p.split()[-1] for p in role.phrases if p)
        return nouns


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by at most one inserted, deleted or changed letter."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return a[i:] == b[i + 1:] or a[i + 1:] == b[i + 1:]
    return len(b) - len(a) == 1
