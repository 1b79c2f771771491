"""Event mentions in one article: a trigger word, its type, its time, place and participants.

Triggers are the cue lemmas of the event-type scheme (``ontology/event-types.ttl``): nouns
("explosion", "talks", "decree") and verbs ("invaded", "annexed"). A trigger becomes a mention
when the text says something that makes it a particular event rather than a generic one:

- a date in the trigger's own phrase or on the verb it is an argument of ("rocket attacks …
  **early this week**", "the offensive, which began **on August 6**"), or
- a named place ("the talks **in Istanbul**", "the explosion on the **Crimean Bridge**").

Negated and hypothetical triggers ("no need for massive rocket attacks", "could have halted")
are not events. Mentions without a date are kept so the linker can merge them into a dated
event reported elsewhere; one that never meets a date is dropped there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from graph.knowledge import Concept
from graph.model import Article, EventMention, TimeValue
from graph.nlp import Block, Token
from graph.timex import Timex

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PARTICIPANT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
HYPOTHETICAL = frozenset({"would", "could", "might", "may", "should"})
NEGATIONS = frozenset({"no", "not", "never", "n't", "n’t", "without"})
UNDATED = TimeValue(None, None, "unknown", "XXXX-XX-XX", "no date in the text")


@dataclass(frozen=True)
class TriggerIndex:
    """What the event reader knows: trigger lemmas (or lemma phrases) → event type id, type
    labels, and place names (lowercase) → the names of the places containing them."""

    single: dict[str, str]
    #: First lemma → (lemma phrase, event type), longest phrases first.
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]
    labels: dict[str, str]
    places: dict[str, frozenset[str]]
    local_places: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls, event_types: tuple[Concept, ...], places: dict[str, frozenset[str]],
        local_places: frozenset[str] = frozenset(),
    ) -> TriggerIndex:
        single: dict[str, str] = {}
        phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for concept in event_types:
            for cue in concept.cues:
                words = tuple(cue.split())
                if len(words) == 1:
                    single.setdefault(words[0], concept.id)
                elif words:
                    phrases.setdefault(words[0], []).append((words, concept.id))
        for candidates in phrases.values():
            candidates.sort(key=lambda pair: -len(pair[0]))
        return cls(single, phrases, {c.id: c.label for c in event_types}, places, local_places)

    def match(self, tokens: list[Token], i: int) -> tuple[str, int] | None:
        """(event type, number of tokens) for a trigger starting at ``tokens[i]``."""
        lemma = tokens[i].lemma_.lower()
        for words, type_id in self.phrases.get(lemma, ()):
            n = len(words)
            if tuple(t.lemma_.lower() for t in tokens[i : i + n]) == words:
                return type_id, n
        if tokens[i].pos_ in {"NOUN", "VERB", "PROPN"} and lemma in self.single:
            return self.single[lemma], 1
        return None


def _governor(trigger: Token) -> Token:
    """The verb a noun trigger is an argument of (itself for a verb)."""
    node = trigger
    for _ in range(3):
        if node.pos_ in {"VERB", "AUX"}:
            return node
        if node.head is node:
            return node
        node = node.head
    return node


def _is_generic(trigger: Token) -> bool:
    """Negated ("no need for attacks", "did not attack") or hypothetical ("could have halted",
    "if Russia hadn't attacked")."""
    governor = _governor(trigger)
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in (*trigger.children, *governor.children)):
        return True
    if any(c.dep_ in {"det", "neg"} and c.lower_ in NEGATIONS for c in trigger.children):
        return True
    heads = list(trigger.ancestors)[:2]
    if any(c.dep_ == "det" and c.lower_ == "no" for h in heads for c in h.children):
        return True
    if governor is not trigger and any(c.dep_ == "neg" for c in governor.children):
        return True
    if governor.dep_ == "ccomp" and governor.head.pos_ == "VERB":
        return False  # "announced that 300,000 would be drafted": the future of a report
    return any(t.dep_ == "aux" and t.lower_ in HYPOTHETICAL for t in governor.children)


def _nominal(trigger: Token) -> Token:
    """The noun phrase a modifier trigger belongs to ("mobilisation call" → "call")."""
    return trigger.head if trigger.dep_ in {"compound", "amod"} else trigger


def _reach(trigger: Token) -> set[int]:
    """Tokens whose time expressions may date ``trigger``: its own phrase, and time adjuncts of
    its verb (``on September 21`` or ``early this week`` on "signed"/"carried out"), not dates
    buried deeper in other phrases of the clause."""
    governor = _governor(trigger)
    near = {t.i for t in _nominal(trigger).subtree}
    for child in governor.children:
        if child.dep_ in {"npadvmod", "advmod", "tmod", "obl"}:
            near |= {t.i for t in child.subtree}
        elif child.dep_ == "prep":
            near |= {child.i} | {g.i for g in child.children if g.dep_ == "pobj"}
            near |= {t.i for g in child.children if g.dep_ == "pobj" for t in g.subtree if t.head is g}
    return near


def _allocate(
    found: list[_Trigger], timexes: list[tuple[Timex, list[Token]]]
) -> dict[int, Timex]:
    """Each time expression dates the nearest trigger that can reach it (trigger index → timex)."""
    reach = [_reach(t.token) for t in found]
    own = [{x.i for x in _compact(_nominal(t.token))} for t in found]
    dates: dict[int, tuple[tuple[int, int], Timex]] = {}
    for timex, tokens in timexes:
        eligible = [
            (
                (0 if all(tok.i in own[k] for tok in tokens) else 1,
                 min(abs(tok.i - t.token.i) for tok in tokens)),
                k,
            )
            for k, t in enumerate(found)
            if any(tok.i in reach[k] for tok in tokens)
        ]
        if not eligible:
            continue
        distance, k = min(eligible)
        if k not in dates or distance < dates[k][0]:
            dates[k] = (distance, timex)
    return {k: timex for k, (_, timex) in dates.items()}


def _entities(block: Block, tokens: set[int], labels: frozenset[str]) -> list[str]:
    return [
        text for start, end, label, text in block.entities
        if label in labels and any(i in tokens for i in range(start, end))
    ]


def _phrase_span(found: _Trigger) -> tuple[int, int]:
    """Token range of the words that mention the event: the trigger's phrase; for a verb in a
    relative clause, from the noun it describes ("the documents … initialled in Istanbul")."""
    trigger = _nominal(found.token)
    modifiers = {"amod", "compound", "poss", "det", "nmod", "nummod"}
    left = min([found.first.i] + [c.left_edge.i for c in trigger.lefts if c.dep_ in modifiers])
    right = max(trigger.i, found.first.i + found.length - 1)
    if found.inner is not None:
        right = max(right, _compact_right(found.inner))
    if trigger.pos_ == "VERB":  # "300,000 people would be drafted": who or what it happens to
        subjects = [c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < trigger.i]
        left = min([left] + [c.left_edge.i for c in subjects if c.lower_ not in {"which", "that", "who"}])
    clause = trigger
    while clause.dep_ == "conj" and clause.head is not clause:  # "agreed upon and initialled"
        clause = clause.head
    if clause.dep_ in {"relcl", "acl"} and trigger.pos_ == "VERB" and clause.head.i < trigger.i:
        head = clause.head
        left = min(left, *(c.left_edge.i for c in head.lefts if c.dep_ in modifiers), head.i)

    for child in trigger.rights:
        if child.dep_ == "prep" and child.lower_ in {"on", "in", "into", "of", "at", "from", "against", "with", "between"}:
            right = max(right, _compact_right(child))
            break
        if child.dep_ == "acl" and child.tag_ == "VBN":  # "the agreements reached … in Istanbul"
            right = max(right, _compact_right(child))
            break
    return left, right


def _compact_right(token: Token) -> int:
    """The last token of ``token``'s phrase, leaving out appositions and clauses."""
    right = token.i
    stack = [token]
    while stack:
        node = stack.pop()
        right = max(right, node.i)
        stack.extend(
            c for c in node.children
            if c.i > node.i and c.dep_ not in {"appos", "relcl", "acl", "advcl", "conj", "cc", "punct"}
        )
    return right


#: Types that are vehicles for another event named inside them: "a decree to mobilise" is the
#: mobilisation decree, one event typed by what it decrees.
VEHICLE_TYPES = frozenset({"decree"})
#: Dependencies by which one trigger names the content of another ("decree to mobilise").
NESTING_DEPS = frozenset({"acl", "advcl", "xcomp", "compound", "amod", "pobj", "relcl", "nmod"})


@dataclass(frozen=True)
class _Trigger:
    token: Token  # the phrase's syntactic head
    first: Token  # the phrase's first token
    length: int
    type: str
    words: str  # the trigger's words, with those of a trigger folded into it
    inner: Token | None = None  # the trigger folded into this one ("decree to *mobilise*")


def _triggers(tokens: list[Token], index: TriggerIndex, busy: set[int]) -> list[_Trigger]:
    """Triggers of a block, skipping tokens inside time expressions ("late March")."""
    found = []
    i = 0
    while i < len(tokens):
        match = index.match(tokens, i) if i not in busy else None
        if match is None:
            i += 1
            continue
        type_id, length = match
        words = " ".join(t.text for t in tokens[i : i + length])
        found.append(_Trigger(_phrase_head(tokens[i : i + length]), tokens[i], length, type_id, words))
        i += length
    heads = {t.token.i for t in found}
    found = [t for t in found if not (t.token.dep_ in {"amod", "compound"} and t.token.head.i in heads)]
    return _combine(found)


def _phrase_head(tokens: list[Token]) -> Token:
    """The syntactic head of a multi-word trigger ("G20 summit" → "summit")."""
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head is t]
    return heads[0] if heads else tokens[0]


def _combine(triggers: list[_Trigger]) -> list[_Trigger]:
    """Fold a trigger that names the content of a vehicle trigger into it."""
    result = list(triggers)
    for outer in triggers:
        if outer.type not in VEHICLE_TYPES or outer not in result:
            continue
        for inner in triggers:
            if inner is outer or inner not in result or abs(inner.token.i - outer.token.i) > 4:
                continue
            if inner.token.dep_ in NESTING_DEPS and outer.token in inner.token.ancestors:
                result.remove(inner)
                result[result.index(outer)] = _Trigger(
                    outer.token, outer.first, outer.length, inner.type, f"{outer.words} … {inner.words}",
                    inner.token,
                )
    return result


def read_events(
    article: Article, blocks: list[Block], triggers: TriggerIndex, timexes: list[Timex],
) -> list[EventMention]:
    """Event mentions of one article (blocks parsed, furniture already left out)."""
    mentions: list[EventMention] = []
    for block in blocks:
        doc = block.doc
        tokens = list(doc)
        block_timexes = []
        for timex in timexes:
            if block.start <= timex.start < block.end:
                within = block.tokens_within(timex.start - block.start, timex.end - block.start)
                inside = tokens[within.start : within.stop]
                if inside:
                    block_timexes.append((timex, inside))
        busy = {t.i for _, inside in block_timexes for t in inside}
        dated = [
            (tx, tk) for tx, tk in block_timexes
            if tx.type in {"DATE", "TIME"} and tx.time is not None and tx.time.resolved
        ]
        found = _triggers(tokens, triggers, busy)
        dates = _allocate(found, dated)
        covered: set[int] = set()
        for k, trigger in enumerate(found):
            if trigger.token.i in covered:
                continue
            timex = dates.get(k)
            tokens_of_timex = next((tk for tx, tk in dated if tx is timex), [])
            mention = _mention(article, block, trigger, timex, tokens_of_timex, triggers)
            if mention is not None and all(m.evidence[0] != mention.evidence[0] for m in mentions):
                mentions.append(mention)
                left, right = _phrase_span(trigger)
                covered |= set(range(left, right + 1))
    return mentions


def _mention(
    article: Article, block: Block, found: _Trigger, timex: Timex | None,
    t_tokens: list[Token], known: TriggerIndex,
) -> EventMention | None:
    doc = block.doc
    trigger = found.token
    if _is_generic(trigger):
        return None
    left, right = _phrase_span(found)
    phrase = {t.i for t in doc[left : right + 1]}
    governor = _governor(trigger)
    places = _places(block, trigger, phrase, governor, known.places)
    if timex is None and not _specific(trigger, phrase, places, doc):
        return None
    first, last = doc[left], doc[right]
    nominal = _nominal(trigger)
    if nominal.dep_ in {"nsubj", "nsubjpass"} and nominal.head.pos_ in {"VERB", "AUX"} and timex is None:
        # "the negotiators in Istanbul had agreed on a draft treaty": the predicate tells what happened
        last = doc[max(right, _compact_right(nominal.head))]
    if timex is not None:
        first = min(first, t_tokens[0], key=lambda t: t.i)
        last = max(last, t_tokens[-1], key=lambda t: t.i)
    scope = phrase | {t.i for t in governor.subtree}
    return EventMention(
        article_id=article.id,
        label=_label(doc[left : right + 1].text, known.labels.get(found.type, found.type)),
        type=found.type,
        date=timex.time if timex is not None and timex.time is not None else _recent(trigger, article.published),
        evidence=(block.span(first, last),),
        trigger=found.words,
        participants=tuple(dict.fromkeys(_entities(block, scope, PARTICIPANT_LABELS))),
        place=places[0] if places else None,
    )


LOCATIVE = frozenset({"in", "at", "on", "near", "into", "outside", "inside"})


def _compact(token: Token) -> list[Token]:
    """``token``'s phrase without appositions and clauses."""
    found, stack = [], [token]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(c for c in node.children if c.dep_ not in {"appos", "relcl", "acl", "advcl", "conj", "cc"})
    return found


def _noun_phrase(token: Token) -> list[Token]:
    """``token``'s noun phrase without its prepositional phrases and clauses."""
    found, stack = [], [token]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(c for c in node.children if c.dep_ not in {"prep", "appos", "relcl", "acl", "advcl", "conj", "cc"})
    return found


def _places(
    block: Block, trigger: Token, phrase: set[int], governor: Token, gazetteer: dict[str, frozenset[str]]
) -> list[str]:
    """Place names of a mention, most telling first: locative ones ("talks in Istanbul", not
    "delegations from Moscow"), then the most specific (a region before its country). A
    possessor ("Ukraine's incursion") is a participant, not a place."""
    own = _compact(_nominal(trigger))
    own += [t for c in _nominal(trigger).children if c.dep_ == "acl" and c.tag_ == "VBN" for t in _compact(c)]
    possessors = {t.i for c in trigger.children if c.dep_ == "poss" for t in c.subtree}
    preps = [c for c in own if c.dep_ == "prep"]
    adjuncts = [g for c in governor.children if c.dep_ == "prep" and c.lower_ in LOCATIVE
                for g in c.children if g.dep_ == "pobj"]
    locative = {t.i for p in preps if p.lower_ in LOCATIVE for t in p.subtree}
    locative |= {t.i for g in adjuncts for t in _noun_phrase(g)}
    other = ({t.i for t in own} | phrase) - possessors

    def names(indices: set[int]) -> list[str]:
        found = _entities(block, indices, PLACE_LABELS)
        doc = block.doc
        found += [
            token.text for token in (doc[i] for i in sorted(indices))
            if token.pos_ == "PROPN" and token.lower_ in gazetteer
        ]
        return sorted(dict.fromkeys(found), key=lambda name: -len(gazetteer.get(name.lower(), ())))

    first = names(locative)
    return first + [p for p in names(other) if p not in first]


def _specific(trigger: Token, phrase: set[int], places: list[str], doc) -> bool:
    """An undated mention names a particular event: a definite or past-tense mention tied to a
    place or a name ("the documents initialled in Istanbul", "the Kursk offensive"), not a
    generic one ("negotiate with Ukraine", "any negotiations")."""
    named = places or any(doc[i].pos_ == "PROPN" for i in phrase) or _counted(trigger)
    if not named:
        return False
    if trigger.pos_ in {"VERB", "AUX"}:
        return trigger.tag_ in {"VBD", "VBN"}
    determiners = {c.lower_ for c in _nominal(trigger).children if c.dep_ in {"det", "poss"}}
    determiners |= {c.lower_ for c in trigger.children if c.dep_ in {"det", "poss"}}
    if determiners & {"any", "some", "no", "every", "each"}:
        return False
    if determiners - {"a", "an"}:
        return True
    # "said at a plenary session at the Eastern Economic Forum": an occasion in a past clause.
    return _governor(trigger).tag_ in {"VBD", "VBN"}


#: Verbs that only carry an event noun: "has held referendums", "has launched an offensive".
LIGHT_VERBS = frozenset({
    "hold", "launch", "conduct", "stage", "carry", "mount", "begin", "start", "sign", "order",
    "impose", "organise", "organize",
})
#: How far back "has held referendums" reaches from the day of publication.
RECENT_PAST = timedelta(days=7)


def _recent(trigger: Token, published: date | None) -> TimeValue:
    """A present-perfect report ("the president has held referendums") tells of something done
    shortly before publication: the week before it, marked as inferred. Anything else: undated."""
    governor = _governor(trigger)
    if governor is not trigger and governor.lemma_.lower() not in LIGHT_VERBS:
        return UNDATED  # "Putin has described the incursion …": the report is recent, not the event
    perfect = governor.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in {"has", "have", "'s", "’s"} for c in governor.children
    )
    if not perfect or published is None:
        return UNDATED
    begin = published - RECENT_PAST
    return TimeValue(begin, published, "interval", f"{begin.isoformat()}/{published.isoformat()}",
                     "inferred: present perfect, the week before publication")


def _counted(trigger: Token) -> bool:
    """A verb whose subject or object is counted names a particular event ("300,000 people
    would be drafted")."""
    arguments = [c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
    return trigger.pos_ == "VERB" and any(
        g.dep_ == "nummod" and g.like_num for a in arguments for g in a.children
    )


def _label(phrase: str, type_label: str) -> str:
    text = " ".join(phrase.replace("“", "").replace("”", "").split())
    return text if len(text) <= 80 else type_label
