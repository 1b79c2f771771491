"""Across articles: the same statement, the same event, and the relations between them.

Statements merge when the same speaker says the same thing at a compatible time: the words of two
mentions overlap enough (weighted by how rare each word is in the corpus), so a quote in one
outlet and its paraphrase or another translation in a second become one node cited by both,
while two different points from one press conference stay apart.

Events merge when their types agree, their times are compatible and they share a place, a
participant or a distinctive word; an undated mention joins a dated event only on such evidence.
Events that never get a date are dropped: an event is something the text lets you date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graph.agreement import agreements
from graph.event_merge import EventKnowledge, merge_events
from graph.event_merge import mention_id as event_mention_id
from graph.knowledge import Knowledge
from graph.quotes import find_quotes
from graph.model import EventNode, Extraction, Relation, Review, StatementNode
from graph.relations import about_relations, causal_relations, contradictions, polarities
from graph.review import apply_relation_reviews
from graph.similarity import terms
from graph.statement_rules import PULL_QUOTE_CHARS
from graph.statement_merge import mention_id as statement_mention_id
from graph.statement_merge import merge_statements


@dataclass(frozen=True)
class LinkContext:
    """Knowledge the linker uses: event-type families, topic cue stems, assessment lexicon."""

    events: EventKnowledge
    concept_of: dict[str, str]
    #: Word stem → the topic and near-synonym sets it evokes, for recognising one remark in
    #: other words.
    concepts: dict[str, tuple[str, ...]]
    positive: tuple[str, ...]
    negative: tuple[str, ...]

    @classmethod
    def from_knowledge(cls, known: Knowledge) -> LinkContext:
        parent = {c.id: c.broader[0] for c in known.event_types if c.broader}

        def family(type_id: str) -> str:
            seen = {type_id}
            while type_id in parent and parent[type_id] not in seen:
                type_id = parent[type_id]
                seen.add(type_id)
            return type_id

        concept_of = {
            stem: f"topic:{c.id}"
            for c in known.topics
            for cue in c.cues
            if (stem := _one_stem(cue))
        }
        concepts: dict[str, tuple[str, ...]] = defaultdict(tuple)
        for stem, topic in concept_of.items():
            concepts[stem] += (topic,)
        for set_id, words in known.synonyms.items():
            for stem in sorted({s for word in words if (s := _one_stem(word))}):
                concepts[stem] += (f"synonyms:{set_id}",)
        concepts = dict(concepts)
        return cls(EventKnowledge(family, known.places, concepts), concept_of, concepts, known.positive, known.negative)


def paragraph_breaks(text: str) -> list[int]:
    """Offsets of the line breaks that end a paragraph — news copy puts each paragraph on its own
    line — except where a quotation runs on unclosed into the next paragraph (“He’s desperate.⏎
    “I think …”), which continues the same utterance, and after a line too short to be more than
    a sub-heading or a pull quote, which announces the paragraph that follows it."""
    breaks = []
    start, continues = 0, False
    while (end := text.find("\n", start)) != -1:
        line = text[start:end].strip()
        if line:
            quotes = find_quotes(line, continues=continues)
            continued, continues = continues, bool(quotes) and quotes[-1].runs_on
            if not continues and (continued or not _announces(line)):
                breaks.append(end)
        start = end + 1
    return breaks


def _announces(line: str) -> bool:
    """A sub-heading (a short line with no closing punctuation) or a pull quote (a short line
    that is one quotation and nothing else)."""
    if len(line) > PULL_QUOTE_CHARS:
        return False
    bare = line.rstrip("”’\"')]")
    heading = not bare.endswith((".", "!", "?", ":", "…"))
    pull_quote = line[0] in "“\"‘'" and line[-1] in "”\"’'" and len(find_quotes(line)) == 1
    return heading or pull_quote


def _one_stem(word: str) -> str | None:
    """The stem of a one-word label; None for a phrase ("right now", "russian-speaking"), whose
    parts alone would evoke the concept from any text that uses them ("Russia", "right")."""
    stems = terms(word)
    if len(stems) != 1 or len(word.split()) != 1 or "-" in word:
        return None
    return stems[0]


@dataclass(frozen=True)
class Linked:
    statements: tuple[StatementNode, ...]
    events: tuple[EventNode, ...]
    relations: tuple[Relation, ...]
    #: The articles linked: id → the content hash of the text read.
    articles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Earlier:
    """What an earlier link read and merged: the articles (id → content hash) and the mention ids
    of each statement and event it made."""

    articles: Mapping[str, str]
    groups: Sequence[Sequence[str]]


def link(
    extractions: Sequence[Extraction], context: LinkContext, reviews: Sequence[Review] = (),
    earlier: Earlier | None = None,
) -> Linked:
    """Merge statements and events across ``extractions`` and draw the relations; people's
    ``reviews`` override the machine's merges and relations. Given what an ``earlier`` link
    merged, its statements and events keep their members and only the mentions of articles it
    did not read (or read with other text) are placed, among them or each other; the relations
    are drawn anew."""
    kept = _kept(extractions, earlier) if earlier else ()
    statement_nodes = merge_statements(
        [s for e in extractions for s in e.statements], context.concepts, reviews,
        {e.article.id: paragraph_breaks(e.article.text) for e in extractions if e.statements}, kept,
    )
    event_nodes = [
        node for node in merge_events([m for e in extractions for m in e.events], context.events, reviews, kept)
        if node.date.resolved
    ]
    about = about_relations(extractions, statement_nodes, event_nodes)
    events_of: dict[str, set[str]] = defaultdict(set)
    for relation in about:
        events_of[relation.source].add(relation.target)
    relations = (
        about
        + causal_relations(extractions, event_nodes)
        + contradictions(
            statement_nodes, concept_of=context.concept_of, positive=context.positive,
            negative=context.negative, about=events_of,
        )
        + agreements(
            statement_nodes, context.concepts,
            polarities(statement_nodes, context.positive, context.negative), events_of,
        )
    )
    node_of = {statement_mention_id(m): n.id for n in statement_nodes for m in n.mentions}
    node_of |= {event_mention_id(m): n.id for n in event_nodes for m in n.mentions}
    relations = apply_relation_reviews(relations, node_of, reviews)
    ordered = sorted(relations, key=lambda r: (r.type, r.source, r.target))
    read = {e.article.id: e.article.content_hash for e in extractions}
    return Linked(tuple(statement_nodes), tuple(event_nodes), tuple(ordered), read)


def _kept(extractions: Sequence[Extraction], earlier: Earlier) -> list[list[str]]:
    """The groups to keep: the earlier nodes' members from articles read before with the same
    text, and each such mention that joined no node (an undated event mention that fitted no
    event) alone: it is weighed again only if a new mention shares one of its keys."""
    settled = {
        mention_id
        for e in extractions if earlier.articles.get(e.article.id) == e.article.content_hash
        for mention_id in [*map(statement_mention_id, e.statements), *map(event_mention_id, e.events)]
    }
    kept = [members for group in earlier.groups if (members := [m for m in group if m in settled])]
    grouped = {m for group in kept for m in group}
    return kept + [[m] for m in sorted(settled - grouped)]
