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

from graph.knowledge import Concept
from graph.model import Article, EventMention, TimeValue
from graph.nlp import Block, Token
from graph.timex import Timex

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PARTICIPANT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
HYPOTHETICAL = frozenset({"would", "could", "might", "may", "should"})
NEGATIONS = frozenset({"no", "not", "never", "n't", "without"})
UNDATED = TimeValue(None, None, "unknown", "XXXX-XX-XX", "no date in the text")


@dataclass(frozen=True)
class TriggerIndex:
    """Lemma (or lemma phrase) → event type id, from the event-type scheme."""

    single: dict[str, str]
    phrases: dict[tuple[str, ...], str]

    @classmethod
    def build(cls, event_types: tuple[Concept, ...]) -> TriggerIndex:
        single: dict[str, str] = {}
        phrases: dict[tuple[str, ...], str] = {}
        for concept in event_types:
            for cue in concept.cues:
                words = tuple(cue.split())
                if len(words) == 1:
                    single.setdefault(words[0], concept.id)
                elif words:
                    phrases.setdefault(words, concept.id)
        return cls(single, phrases)

    def match(self, tokens: list[Token], i: int) -> tuple[str, int] | None:
        """(event type, number of tokens) for a trigger starting at ``tokens[i]``."""
        for words, type_id in self.phrases.items():
            n = len(words)
            window = tuple(t.lemma_.lower() for t in tokens[i : i + n])
            if window == words:
                return type_id, n
        token = tokens[i]
        if token.pos_ in {"NOUN", "VERB", "PROPN"} and token.lemma_.lower() in self.single:
            return self.single[token.lemma_.lower()], 1
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
    governor = _governor(trigger)
    scope = list(trigger.children) + list(governor.children)
    if any(t.lower_ in NEGATIONS for t in scope):
        return True
    return any(t.dep_ == "aux" and t.lower_ in HYPOTHETICAL for t in governor.children)


def _date_for(trigger: Token, block: Block, timexes: list[tuple[Timex, list[Token]]]) -> Timex | None:
    governor = _governor(trigger)
    own = {t.i for t in trigger.subtree}
    near = own | {c.i for c in governor.children if c.dep_ in {"prep", "npadvmod", "advmod", "tmod", "obl"}}
    near |= {t.i for c in governor.children if c.dep_ in {"prep", "npadvmod"} for t in c.subtree}
    best: Timex | None = None
    for timex, tokens in timexes:
        if any(t.i in near for t in tokens):
            if best is None or abs(tokens[0].i - trigger.i) < abs(best.start - trigger.idx - block.start):
                best = timex
    return best


def _entities(block: Block, tokens: set[int], labels: frozenset[str]) -> list[str]:
    return [e.text for e in block.doc.ents if e.label_ in labels and any(t.i in tokens for t in e)]


def _phrase_span(block: Block, trigger: Token, length: int) -> tuple[int, int]:
    left = min([trigger.i] + [c.left_edge.i for c in trigger.lefts if c.dep_ in {"amod", "compound", "poss", "det", "nmod", "nummod"}])
    right = trigger.i + length - 1
    for child in trigger.rights:
        if child.dep_ == "prep" and child.lower_ in {"on", "in", "into", "of", "at", "from", "against", "with", "between"}:
            right = max(right, child.right_edge.i)
            break
    return left, right


def read_events(
    article: Article, blocks: list[Block], triggers: TriggerIndex, timexes: list[Timex],
    labels: dict[str, str],
) -> list[EventMention]:
    """Event mentions of one article (blocks parsed, furniture already left out)."""
    mentions: list[EventMention] = []
    for block in blocks:
        doc = block.doc
        tokens = list(doc)
        block_timexes = []
        for timex in timexes:
            if block.start <= timex.start < block.end and timex.type in {"DATE", "TIME"}:
                inside = [t for t in tokens if timex.start <= block.start + t.idx < timex.end]
                if inside:
                    block_timexes.append((timex, inside))
        i = 0
        while i < len(tokens):
            found = triggers.match(tokens, i)
            if not found:
                i += 1
                continue
            type_id, length = found
            trigger = tokens[i]
            i += length
            if _is_generic(trigger):
                continue
            timex = _date_for(trigger, block, block_timexes)
            left, right = _phrase_span(block, trigger, length)
            scope = {t.i for t in doc[left : right + 1]} | {c.i for c in _governor(trigger).subtree}
            places = _entities(block, {t.i for t in doc[left : right + 1]} | {
                t.i for c in _governor(trigger).children if c.dep_ == "prep" for t in c.subtree
            }, PLACE_LABELS)
            if timex is None and not places and not any(t.pos_ == "PROPN" for t in doc[left : right + 1]):
                continue
            span_first, span_last = doc[left], doc[right]
            if timex is not None:
                t_tokens = next(tk for tx, tk in block_timexes if tx is timex)
                span_first = min(span_first, t_tokens[0], key=lambda t: t.i)
                span_last = max(span_last, t_tokens[-1], key=lambda t: t.i)
            evidence = block.span(span_first, span_last)
            mentions.append(
                EventMention(
                    article_id=article.id,
                    label=_label(doc[left : right + 1].text, labels.get(type_id, type_id)),
                    type=type_id,
                    date=timex.time if timex is not None and timex.time is not None else UNDATED,
                    evidence=(evidence,),
                    trigger=" ".join(t.text for t in tokens[i - length : i]),
                    participants=tuple(dict.fromkeys(_entities(block, scope, PARTICIPANT_LABELS))),
                    place=places[0] if places else None,
                )
            )
    return mentions


def _label(phrase: str, type_label: str) -> str:
    text = " ".join(phrase.replace("“", "").replace("”", "").split())
    return text if len(text) <= 80 else type_label
