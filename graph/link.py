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

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from graph import ids
from graph.event_merge import EventKnowledge, merge_events
from graph.knowledge import Knowledge
from graph.model import (
    EventMention,
    EventNode,
    Extraction,
    Relation,
    Statement,
    StatementNode,
    TimeValue,
)
from graph.relations import about_relations, causal_relations, contradictions
from graph.similarity import Vectoriser, intersect, overlap, terms

#: Minimum weighted word overlap for two mentions of one speaker to be one statement.
STATEMENT_MERGE = 0.34


@dataclass(frozen=True)
class LinkContext:
    """Knowledge the linker uses: event-type families, topic cue stems, assessment lexicon."""

    events: EventKnowledge
    concept_of: dict[str, str]
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
            if len(cue.split()) == 1
            for stem in terms(cue)
        }
        return cls(EventKnowledge(family, known.places), concept_of, known.positive, known.negative)


@dataclass(frozen=True)
class Linked:
    statements: tuple[StatementNode, ...]
    events: tuple[EventNode, ...]
    relations: tuple[Relation, ...]


class _Clusters:
    """Union-find over item indices."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            found[self.find(i)].append(i)
        return list(found.values())


def _explicit(value: TimeValue) -> bool:
    return value.resolved and not value.anchor.startswith("publication")


def _merged_date(values: Sequence[TimeValue]) -> TimeValue:
    explicit = [v for v in values if _explicit(v)] or [v for v in values if v.resolved]
    if not explicit:
        return values[0]
    merged = intersect(explicit)
    if merged is not None:
        return merged
    return min(explicit, key=lambda v: (v.end - v.begin).days)  # type: ignore[operator]


def _compatible(a: TimeValue, b: TimeValue) -> bool:
    if not (a.resolved and b.resolved):
        return True
    return a.begin <= b.end and b.begin <= a.end  # type: ignore[operator]


def _group_dates_agree(values: list[TimeValue]) -> bool:
    explicit = [v for v in values if _explicit(v)]
    return len(explicit) < 2 or intersect(explicit) is not None


def merge_statements(mentions: list[Statement]) -> list[StatementNode]:
    vectoriser = Vectoriser([" ".join(e.text for e in m.evidence) + " " + m.quote for m in mentions])
    vectors = [vectoriser.vector(" ".join(e.text for e in m.evidence) + " " + m.quote) for m in mentions]
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, mention in enumerate(mentions):
        by_speaker[mention.speaker.id].append(i)
    clusters = _Clusters(len(mentions))
    members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}
    pairs = []
    for indices in by_speaker.values():
        for x, i in enumerate(indices):
            for j in indices[x + 1:]:
                if not _compatible(mentions[i].date, mentions[j].date):
                    continue
                score = overlap(vectors[i], vectors[j])
                if score >= STATEMENT_MERGE:
                    pairs.append((score, i, j))
    for _, i, j in sorted(pairs, reverse=True):
        a, b = clusters.find(i), clusters.find(j)
        if a == b:
            continue
        joined = members[a] + members[b]
        if not _group_dates_agree([mentions[k].date for k in joined]):
            continue
        clusters.union(a, b)
        members[clusters.find(a)] = joined
    nodes = []
    for group in clusters.groups():
        group_mentions = [mentions[i] for i in group]
        nodes.append(_statement_node(group_mentions))
    return sorted(nodes, key=lambda n: n.id)


def _statement_node(group: list[Statement]) -> StatementNode:
    mention_ids = [ids.statement_mention_id(m.article_id, m.evidence[0].start, m.evidence[0].end) for m in group]
    ordered = [m for _, m in sorted(zip(mention_ids, group), key=lambda pair: pair[0])]
    speakers = Counter(m.speaker for m in ordered)
    speaker = max(speakers, key=lambda a: (a.wikidata is not None, speakers[a], a.description is not None))
    direct = [m for m in ordered if m.kind in {"direct", "mixed"}]
    quote = max(direct or ordered, key=lambda m: len(m.quote)).quote
    topics = tuple(sorted({t for m in ordered for t in m.topics}))
    return StatementNode(
        id=ids.statement_id(mention_ids),
        speaker=speaker,
        date=_merged_date([m.date for m in ordered]),
        quote=quote,
        topics=topics,
        mentions=tuple(ordered),
    )


def link(extractions: Sequence[Extraction], context: LinkContext) -> Linked:
    """Merge statements and events across ``extractions`` and draw the relations."""
    statement_nodes = merge_statements([s for e in extractions for s in e.statements])
    event_nodes = [
        node for node in merge_events([m for e in extractions for m in e.events], context.events)
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
    )
    return Linked(tuple(statement_nodes), tuple(event_nodes), tuple(sorted(relations, key=lambda r: (r.type, r.source, r.target))))


