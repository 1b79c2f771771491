"""Event mentions → events: one node per real-world event, however many articles mention it.

Two passes:

1. **Dated mentions** cluster when their types belong to one family (``skos:broader`` in
   ``ontology/event-types.ttl``), their time windows overlap, and something else ties them: a
   shared or containing place (Istanbul is in Turkey), the same exact type with one window
   inside the other and a shared word, or enough shared words overall.
2. **Undated mentions** ("the documents initialled in Istanbul", "the Kursk offensive") join the
   dated event they fit best: a definite description in the same article with the same trigger
   ("the offensive" after "the offensive, which began on August 6"), a shared place, or strong
   word overlap. One that fits nothing is dropped: an event is something the text lets you date.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from graph import ids
from graph.model import EventMention, EventNode, Review, TimeValue
from graph.review import apply_merge_reviews
from graph.similarity import intersect, overlap, overlapping, prefix
from graph.statement_merge import kept_groups, word_vectors

#: Word overlap that ties two dated mentions of one family without other evidence.
DATED_MERGE = 0.3
#: Word overlap an undated mention needs besides a place that merely contains (or lies in)
#: the event's place ("the offensive in Donbas" is not the strikes "on Ukrainian cities").
CONTAINED_PLACE_JOIN = 0.3
#: Word overlap with which an undated mention joins an event.
UNDATED_JOIN = 0.3
#: The least word overlap that lets an undated mention join an event without sharing its
#: article or place: the candidates of :class:`_ClusterIndex` are filtered at it.
_JOIN_FLOOR = min(UNDATED_JOIN, CONTAINED_PLACE_JOIN)
_DEFINITE = ("the ", "this ", "that ", "these ", "those ")


@dataclass(frozen=True)
class EventKnowledge:
    """What event merging knows: type families and place containment."""

    family: Callable[[str], str]
    #: Normalised place label → labels of every place containing it (and itself).
    places: dict[str, frozenset[str]]
    #: Word stem → the topic and near-synonym sets it evokes ("drafted" meets "mobilisation").
    concepts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def place_keys(self, mention: EventMention) -> frozenset[str]:
        if not mention.place:
            return frozenset()
        key = mention.place.lower()
        return self.places.get(key, frozenset({key}))

    def conflicting_places(self, a: EventMention, b: EventMention) -> bool:
        """Both placed, and neither place is in the other: two different events."""
        return bool(a.place and b.place) and not self.same_place(a, b)

    def same_place(self, a: EventMention, b: EventMention) -> bool:
        """Equal places, or one inside the other."""
        if not (a.place and b.place):
            return False
        x, y = a.place.lower(), b.place.lower()
        return x == y or x in self.place_keys(b) or y in self.place_keys(a)


_NUMBER = re.compile(r"\d[\d,.]*")


def _text(mention: EventMention) -> str:
    """The words that identify an event; figures are left out (they count things in it)."""
    parts = [mention.label, mention.trigger, mention.place or "", *mention.participants]
    return _NUMBER.sub(" ", " ".join(parts + [e.text for e in mention.evidence]))


def _inside(a: TimeValue, b: TimeValue) -> bool:
    return (b.begin <= a.begin and a.end <= b.end) or (a.begin <= b.begin and b.end <= a.end)  # type: ignore[operator]


def _head_word(mention: EventMention) -> str:
    """The trigger's last word, roughly singular: "rocket attacks" and "These attacks" agree."""
    return mention.trigger.split()[-1].lower().removesuffix("s")


def _definite(mention: EventMention) -> bool:
    return mention.label.lower().startswith(_DEFINITE) or "'s " in mention.label or "’s " in mention.label


def mention_id(mention: EventMention) -> str:
    return ids.event_mention_id(mention.article_id, mention.evidence[0].start, mention.evidence[0].end)


def merge_events(
    mentions: Sequence[EventMention], known: EventKnowledge, reviews: Sequence[Review] = (),
    kept: Sequence[Sequence[str]] = (),
) -> list[EventNode]:
    """Events from ``mentions``; ``kept`` are groups of mention ids an earlier merge made, which
    stay together while only the other mentions are placed (see
    :func:`~graph.statement_merge.merge_statements`)."""
    vectors = word_vectors([_text(m) for m in mentions], known.concepts)
    mention_ids = [mention_id(m) for m in mentions]
    groups, among = kept_groups(mention_ids, kept)
    unique = {id(g): g for g in groups.values()}  # one entry a mention: a group once
    starts = {key: [k for k in g if mentions[k].date.resolved] for key, g in unique.items()}
    clusters = _dated_clusters(mentions, vectors, known, [c for c in starts.values() if c], among)
    cluster_of = {k: c for c, members in enumerate(clusters) for k in members}
    index = _ClusterIndex(mentions, vectors, known, clusters)
    waiting, dormant = [], []
    for i, mention in enumerate(mentions):
        if mention.date.resolved:
            continue
        if among is None or i in among:
            waiting.append(i)
        elif dated := starts[id(groups[i])]:
            index.join(i, cluster_of[dated[0]])  # it stays with the event it joined before
        else:
            dormant.append(i)
    if among:  # one that fitted no event before may fit one the new mentions made or grew
        touched = {key for k in among for key in index.keys(k, member=True)}
        waiting += [i for i in dormant if not touched.isdisjoint(index.keys(i, member=False))]
    joined = True
    while waiting and joined:  # a mention that joins may bring the place another one needs
        joined = False
        for i in list(waiting):
            choice = _best_cluster(i, mentions, index)
            if choice is not None:
                index.join(i, choice)
                waiting.remove(i)
                joined = True
    for i in waiting:
        if any(mention_ids[i] in r.source + r.target for r in reviews):
            clusters.append([i])  # a reviewer may still merge it into a dated event
    clusters = apply_merge_reviews(clusters, mention_ids, reviews)
    return sorted((_node(mentions, c) for c in clusters), key=lambda n: n.id)


def _candidate_pairs(
    mentions: Sequence[EventMention], known: EventKnowledge, among: set[int] | None = None,
) -> list[tuple[int, int]]:
    """Pairs of dated mentions of one family whose windows overlap; with ``among``, only those
    holding one of these mentions."""
    by_family: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        if m.date.resolved:
            by_family.setdefault(known.family(m.type), []).append(i)
    dates = [m.date for m in mentions]
    return [pair for members in by_family.values()
            if among is None or not among.isdisjoint(members)
            for pair in overlapping(members, dates, among)]


def _dated_clusters(
    mentions: Sequence[EventMention], vectors: list[dict[str, float]], known: EventKnowledge,
    starts: list[list[int]], among: set[int] | None = None,
) -> list[list[int]]:
    """Cluster dated mentions from ``starts`` (every dated mention in one), strongest ties first,
    keeping every cluster's dates compatible; with ``among``, only ties holding one of those
    mentions are weighed."""
    scored = []
    for i, j in _candidate_pairs(mentions, known, among):
        a, b = mentions[i], mentions[j]
        if known.conflicting_places(a, b):
            continue
        score = overlap(vectors[i], vectors[j])
        if known.same_place(a, b):
            score += 1.0
        elif a.type == b.type and _inside(a.date, b.date) and score > 0:
            score += 0.5
        elif score < DATED_MERGE:
            continue
        scored.append((score, i, j))
    owner = {k: start for start in starts for k in start}
    # Each cluster's common window (latest begin, earliest end of its members), by its first
    # member: two clusters' dates are compatible when their windows meet, so a merge costs the
    # same however large the clusters grew.
    window = {}
    for start in starts:
        common = intersect([mentions[k].date for k in start])
        window[start[0]] = (common.begin, common.end) if common else (date.max, date.min)
    for _, i, j in sorted(scored, reverse=True):
        a, b = owner[i], owner[j]
        if a is b:
            continue
        begin = max(window[a[0]][0], window[b[0]][0])
        end = min(window[a[0]][1], window[b[0]][1])
        if begin > end:
            continue
        window[a[0]] = (begin, end)
        a.extend(b)
        for k in b:
            owner[k] = a
    unique = {id(c): c for c in owner.values()}
    return list(unique.values())


@dataclass
class _ClusterIndex:
    """Where an undated mention may score: the clusters of its family that hold a mention of its
    article, name its place, or have a member whose words can overlap its own by
    :data:`_JOIN_FLOOR` — one sharing a word of the mention's :func:`~graph.similarity.prefix`,
    or whose own prefix holds one of the mention's words. Any other cluster scores below every
    threshold of :func:`_best_cluster`, which looks at these alone. Matching on prefixes, not
    on any shared word, keeps common words ("war", "Russia") from making every cluster a
    candidate of every mention; keeping the members each key reaches, and each cluster's
    places, keeps a large cluster from being walked whole for every mention. The work grows
    with the corpus, not with its square."""

    mentions: Sequence[EventMention]
    vectors: list[dict[str, float]]
    known: EventKnowledge
    clusters: list[list[int]]
    #: (family, key) → cluster → the members holding the key.
    by_key: dict[tuple[str, str], dict[int, set[int]]] = field(default_factory=lambda: defaultdict(dict))
    #: Cluster → the places of its members, lower-cased.
    places: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Each mention's total word weight (the denominators of :func:`overlap`).
    totals: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.totals = [math.fsum(vector.values()) for vector in self.vectors]
        for c, members in enumerate(self.clusters):
            for k in members:
                self._add(k, c)

    def _keys(self, k: int, *, member: bool) -> tuple[list[str], list[str]]:
        """(word keys, article and place keys) of a member (every word, its prefix's words as
        leads) or of a query (its prefix's words, every word against the members' leads)."""
        mention, vector = self.mentions[k], self.vectors[k]
        lead = prefix(vector, _JOIN_FLOOR)
        words = [f"term:{t}" for t in (vector if member else lead)]
        words += [f"lead:{t}" for t in (lead if member else vector)]
        near = [f"article:{mention.article_id}"]
        if mention.place:
            near.append(f"place:{mention.place.lower()}")
        return words, near

    def keys(self, k: int, *, member: bool) -> list[tuple[str, str]]:
        """Where mention ``k`` is filed as a member, or looked for as a query: a member and a
        query that share a key may score."""
        family = self.known.family(self.mentions[k].type)
        words, near = self._keys(k, member=member)
        return [(family, key) for key in words + near]

    def _add(self, k: int, c: int) -> None:
        for key in self.keys(k, member=True):
            self.by_key[key].setdefault(c, set()).add(k)
        if self.mentions[k].place:
            self.places[c].add(self.mentions[k].place.lower())  # type: ignore[union-attr]

    def reach(self, i: int) -> tuple[dict[int, set[int]], set[int]]:
        """The clusters mention ``i`` may join: each found through words with the members that
        led there, and those sharing its article or place (to be looked at whole)."""
        family = self.known.family(self.mentions[i].type)
        words, near = self._keys(i, member=False)
        found: dict[int, set[int]] = defaultdict(set)
        for key in words:
            for c, members in self.by_key.get((family, key), {}).items():
                found[c] |= members
        close = {c for key in near for c in self.by_key.get((family, key), {})}
        return found, close

    def best_overlap(self, i: int, c: int, members: set[int] | None = None) -> float:
        """The highest :func:`overlap` of mention ``i`` with a member of cluster ``c``, or with
        one of ``members`` when given. For a whole cluster it is summed over the members sharing
        each of the mention's words, so members sharing none cost nothing."""
        vector, total = self.vectors[i], self.totals[i]
        if not vector:
            return 0.0
        if members is not None:
            return max((math.fsum(vector[t] for t in vector.keys() & self.vectors[k].keys())
                        / min(total, self.totals[k]) for k in members), default=0.0)
        family = self.known.family(self.mentions[i].type)
        shared: dict[int, list[float]] = defaultdict(list)
        for term, weight in vector.items():
            for k in self.by_key.get((family, f"term:{term}"), {}).get(c, ()):
                shared[k].append(weight)
        return max((math.fsum(weights) / min(total, self.totals[k]) for k, weights in shared.items()),
                   default=0.0)

    def in_article(self, c: int, i: int) -> set[int]:
        """The members of cluster ``c`` from mention ``i``'s article."""
        key = (self.known.family(self.mentions[i].type), f"article:{self.mentions[i].article_id}")
        return self.by_key.get(key, {}).get(c, set())

    def join(self, i: int, c: int) -> None:
        self.clusters[c].append(i)
        self._add(i, c)


def _best_cluster(i: int, mentions: Sequence[EventMention], index: _ClusterIndex) -> int | None:
    """The cluster an undated mention joins, if any: of those it could score with
    (:meth:`_ClusterIndex.reach`), the one it shares the most words, a place or its article with."""
    mention, known = mentions[i], index.known
    place = (mention.place or "").lower()
    found, close = index.reach(i)
    candidates = sorted(found.keys() | close)

    def places_of(c: int) -> list[EventMention]:
        return [replace(mention, place=p) for p in sorted(index.places[c])]

    def sole_in_article(c: int) -> bool:
        """The only event of the mention's family that its article dates."""
        return not any(k != c and any(mentions[j].date.resolved for j in index.in_article(k, i))
                       for k in candidates)

    best: tuple[float, int] | None = None
    for c in candidates:
        placed = places_of(c) if place else []
        if any(known.conflicting_places(mention, other) for other in placed):
            continue
        score = index.best_overlap(i, c, None if c in close else found[c])
        same_article = [mentions[k] for k in index.in_article(c, i)]
        head = _head_word(mention)
        if _definite(mention) and any(_head_word(m) == head for m in same_article):
            score += 1.0
        elif place in index.places[c] or (any(known.same_place(mention, other) for other in placed)
                                          and score >= CONTAINED_PLACE_JOIN):
            score += 0.75
        elif _definite(mention) and same_article and sole_in_article(c):
            score += 0.5
        elif score < UNDATED_JOIN:
            continue
        if best is None or score > best[0]:
            best = (score, c)
    return best[1] if best else None


def _node(mentions: Sequence[EventMention], members: list[int]) -> EventNode:
    """The event of a cluster, the same whatever order its members joined in."""
    group = sorted((mentions[k] for k in members), key=mention_id)
    mention_ids = [mention_id(m) for m in group]
    when = intersect([m.date for m in group]) or group[0].date
    dated = [m for m in group if m.date.resolved] or group
    label_source = max(dated, key=lambda m: (m.place is not None, len(m.participants), -len(m.label)))
    types = Counter(m.type for m in group)
    return EventNode(
        id=ids.event_id(mention_ids),
        label=label_source.label,
        type=types.most_common(1)[0][0],
        date=when,
        mentions=tuple(m for _, m in sorted(zip(mention_ids, group), key=lambda p: p[0])),
    )
