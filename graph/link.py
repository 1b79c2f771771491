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
#: Minimum for event mentions of compatible type (besides time and place checks).
EVENT_MERGE = 0.25


@dataclass(frozen=True)
class LinkContext:
    """Knowledge the linker uses: event-type families, topic cue stems, assessment lexicon."""

    families: dict[str, str]
    concept_of: dict[str, str]
    positive: tuple[str, ...]
    negative: tuple[str, ...]

    @classmethod
    def from_knowledge(cls, known: Knowledge) -> LinkContext:
        families = {c.id: (c.broader[0] if c.broader else c.id) for c in known.event_types}
        concept_of = {
            stem: f"topic:{c.id}"
            for c in known.topics
            for cue in c.cues
            if len(cue.split()) == 1
            for stem in terms(cue)
        }
        return cls(families, concept_of, known.positive, known.negative)


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


def _event_text(mention: EventMention) -> str:
    return " ".join([mention.label, mention.place or "", *mention.participants, *(e.text for e in mention.evidence)])


def merge_events(mentions: list[EventMention], families: dict[str, str]) -> list[EventNode]:
    vectoriser = Vectoriser([_event_text(m) for m in mentions])
    vectors = [vectoriser.vector(_event_text(m)) for m in mentions]
    clusters = _Clusters(len(mentions))
    members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}
    pairs = []
    for i, a in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            b = mentions[j]
            if families.get(a.type, a.type) != families.get(b.type, b.type):
                continue
            if not _compatible(a.date, b.date):
                continue
            score = overlap(vectors[i], vectors[j])
            same_place = bool(a.place and b.place and a.place.lower() == b.place.lower())
            both_dated = a.date.resolved and b.date.resolved
            if score >= EVENT_MERGE or (same_place and (both_dated or score > 0.1)):
                pairs.append((score + same_place, i, j))
    for _, i, j in sorted(pairs, reverse=True):
        a, b = clusters.find(i), clusters.find(j)
        if a == b:
            continue
        joined = members[a] + members[b]
        dated = [mentions[k].date for k in joined if mentions[k].date.resolved]
        if len(dated) > 1 and intersect(dated) is None:
            continue
        clusters.union(a, b)
        members[clusters.find(a)] = joined
    nodes = []
    for group in clusters.groups():
        group_mentions = [mentions[i] for i in group]
        when = _merged_date([m.date for m in group_mentions])
        if not when.resolved:
            continue
        mention_ids = [ids.event_mention_id(m.article_id, m.evidence[0].start, m.evidence[0].end) for m in group_mentions]
        dated = [m for m in group_mentions if m.date.resolved]
        label_source = max(dated, key=lambda m: (m.place is not None, -len(m.label)))
        types = Counter(m.type for m in group_mentions)
        nodes.append(
            EventNode(
                id=ids.event_id(mention_ids),
                label=label_source.label,
                type=types.most_common(1)[0][0],
                date=when,
                mentions=tuple(m for _, m in sorted(zip(mention_ids, group_mentions), key=lambda p: p[0])),
            )
        )
    return sorted(nodes, key=lambda n: n.id)


def link(extractions: Sequence[Extraction], context: LinkContext) -> Linked:
    """Merge statements and events across ``extractions`` and draw the relations."""
    statement_nodes = merge_statements([s for e in extractions for s in e.statements])
    event_nodes = merge_events([m for e in extractions for m in e.events], context.families)
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


