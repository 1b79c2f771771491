"""Statement mentions → statements: one node per utterance, cited by every article reporting it.

Two mentions are one statement when the same speaker says the same thing at a compatible time:

- their reported words are similar (cosine over rarity-weighted word stems, plus the topic
  concepts the words evoke, so "talks" and "negotiation" meet through *negotiations*), or
- the second continues the first in the same article ("…,” he added.").

Candidates are blocked by speaker and by overlapping date windows (a sweep over begin dates), so
the work grows with the statements one speaker made around the same time, not with the corpus.
An undated mention may match any of its speaker's; it is paired only with those sharing a word of
its :func:`~graph.similarity.cosine_prefix`, the others being too far from it to merge.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

from graph import ids
from graph.model import Review, Statement, StatementNode, TimeValue
from graph.review import apply_merge_reviews
from graph.similarity import Vectoriser, cosine_prefix, intersect, overlapping, terms

#: Cosine similarity above which two mentions of one speaker are one statement.
STATEMENT_MERGE = 0.25
#: The same for two outlets' reports of one day's remarks on a shared topic.
REPORTS_MERGE = 0.15
#: Mean similarity two groups of mentions need to merge into one statement.
GROUP_MERGE = 0.1
#: Weight of a topic concept evoked by a word, next to the word's own rarity weight.
CONCEPT_WEIGHT = 1.5
#: Most characters between two consecutive statements of one thread.
THREAD_GAP = 250
#: Cue lemmas that continue the speaker's previous statement.
CONTINUATIONS = ("add",)


def _explicit(value: TimeValue) -> bool:
    return value.resolved and not value.anchor.startswith("publication")


def _dates_agree(values: list[TimeValue]) -> bool:
    explicit = [v for v in values if _explicit(v)]
    return len(explicit) < 2 or intersect(explicit) is not None


def merged_date(values: Sequence[TimeValue]) -> TimeValue:
    """The common part of the members' explicit dates (else of all), else the most precise."""
    chosen = [v for v in values if _explicit(v)] or [v for v in values if v.resolved]
    if not chosen:
        return values[0]
    common = intersect(chosen)
    if common is not None:
        return common
    return min(chosen, key=lambda v: (v.end - v.begin).days)  # type: ignore[operator]


def similarity(vectors: Sequence[dict[str, float]]) -> Callable[[int, int], float]:
    """``cosine`` between two of ``vectors`` by index, their lengths computed once."""
    norms = [math.sqrt(math.fsum(x * x for x in v.values())) for v in vectors]

    def score(i: int, j: int) -> float:
        a, b = vectors[i], vectors[j]
        if len(a) > len(b):
            a, b = b, a
        shared = math.fsum(weight * b[t] for t, weight in a.items() if t in b)
        return shared / (norms[i] * norms[j]) if shared else 0.0

    return score


def word_vectors(texts: Sequence[str], concepts: dict[str, tuple[str, ...]]) -> list[dict[str, float]]:
    """Rarity-weighted stems of each text, plus the topic and synonym concepts they evoke."""
    documents = [terms(text) for text in texts]
    vectoriser = Vectoriser(documents)
    found = []
    for document in documents:
        vector = vectoriser.vector(document)
        for term in document:
            for concept in concepts.get(term, ()):
                vector[concept] = CONCEPT_WEIGHT
        found.append(vector)
    return found


def _candidates(
    mentions: Sequence[Statement], vectors: Sequence[dict[str, float]], among: set[int] | None = None,
) -> list[tuple[int, int]]:
    """Same-speaker pairs whose date windows overlap, and each undated mention with the
    speaker's mentions that share a word of its prefix (any similar enough to merge do). With
    ``among``, only the pairs holding one of those mentions."""
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for i, mention in enumerate(mentions):
        by_speaker[mention.speaker.id].append(i)
    floor = min(STATEMENT_MERGE, REPORTS_MERGE)
    dates = [m.date for m in mentions]
    pairs = []
    for members in by_speaker.values():
        if among is not None and among.isdisjoint(members):
            continue
        pairs += overlapping((i for i in members if dates[i].resolved), dates, among)
        undated = [i for i in members if not dates[i].resolved]
        if not undated:
            continue
        holding: dict[str, list[int]] = defaultdict(list)
        for j in members:
            for term in vectors[j]:
                holding[term].append(j)
        for i in undated:
            near = {j for term in cosine_prefix(vectors[i], floor) for j in holding[term]}
            pairs += [(i, j) for j in sorted(near)
                      if j != i and (among is None or i in among or j in among)]
    return pairs


def _continues(previous: Statement, mention: Statement) -> bool:
    cue = (mention.cue.text if mention.cue else "").lower()
    return (
        previous.article_id == mention.article_id
        and previous.speaker.id == mention.speaker.id
        and cue.startswith(CONTINUATIONS)
    )


def _threshold(a: Statement, b: Statement) -> float:
    """Reports of one appearance in two outlets (same day, shared topic) need less shared
    wording: translations and paraphrases differ more than two remarks of one speaker."""
    same_day = a.date.resolved and a.date.begin == a.date.end == b.date.begin == b.date.end
    if a.article_id != b.article_id and same_day and set(a.topics) & set(b.topics):
        return REPORTS_MERGE
    return STATEMENT_MERGE


def _same_thread(previous: Statement, mention: Statement, breaks: Sequence[int]) -> bool:
    """Consecutive statements of one speaker, close together in one paragraph of an article, on
    a shared topic: one point developed over several sentences ("Putin reported that he did not
    foresee a new wave of mobilization. “Nothing else is planned …”"). ``breaks`` are the
    article's paragraph breaks: a new paragraph of quotation after an attributed one is the
    speaker's next point, not more of the same."""
    start, end = previous.evidence[-1].end, mention.evidence[0].start
    return (
        previous.article_id == mention.article_id
        and previous.speaker.id == mention.speaker.id
        and bool(set(previous.topics) & set(mention.topics))
        and 0 <= end - start <= THREAD_GAP
        and not any(start <= b < end for b in breaks)
    )


def _one_point(
    a: list[int], b: list[int], mentions: Sequence[Statement], score: Callable[[int, int], float]
) -> bool:
    """Whether two groups can be one point, not just a chain of similar neighbours: they share
    a topic throughout, and on average their words still meet."""
    topics = [set(mentions[k].topics) for k in a + b if mentions[k].topics]
    if topics and not set.intersection(*topics):
        return False
    if len(a) + len(b) <= 2:
        return True
    mean = math.fsum(score(x, y) for x in a for y in b) / (len(a) * len(b))
    return mean >= GROUP_MERGE


def mention_id(mention: Statement) -> str:
    return ids.statement_mention_id(mention.article_id, mention.evidence[0].start, mention.evidence[0].end)


def merge_statements(
    mentions: Sequence[Statement], concepts: dict[str, tuple[str, ...]], reviews: Sequence[Review] = (),
    breaks: Mapping[str, Sequence[int]] | None = None, kept: Sequence[Sequence[str]] = (),
) -> list[StatementNode]:
    """One node per utterance; ``concepts`` maps word stems to the topics and near-synonym sets
    they evoke; ``reviews`` are people's decisions, which override the machine's; ``breaks``
    maps an article id to the offsets of its paragraph breaks (none known: no breaks). ``kept``
    are groups of mention ids an earlier merge made: each stays one group, and only the
    mentions outside them are placed (joining a group, or each other), so adding a few
    articles costs what their mentions do."""
    breaks = breaks or {}
    mentions = sorted(mentions, key=lambda m: (m.article_id, m.evidence[0].start, m.evidence[0].end))
    vectors = word_vectors([m.quote for m in mentions], concepts)
    score = similarity(vectors)
    mention_ids = [mention_id(m) for m in mentions]
    owner, among = kept_groups(mention_ids, kept)
    placing = range(1, len(mentions)) if among is None else sorted(among - {0})
    scored = [
        (value, i, j)
        for i, j in _candidates(mentions, vectors, among)
        if (value := score(i, j)) >= _threshold(mentions[i], mentions[j])
    ]
    scored += [(1.0, i - 1, i) for i in placing if _continues(mentions[i - 1], mentions[i])]
    scored += [
        (0.9, i - 1, i) for i in placing
        if _same_thread(mentions[i - 1], mentions[i], breaks.get(mentions[i].article_id, ()))
    ]
    for _, i, j in sorted(scored, reverse=True):
        a, b = owner[i], owner[j]
        if a is b or not _dates_agree([mentions[k].date for k in a + b]):
            continue
        if not _one_point(a, b, mentions, score):
            continue
        a.extend(b)
        for k in b:
            owner[k] = a
    groups = list({id(g): g for g in owner.values()}.values())
    groups = apply_merge_reviews(groups, mention_ids, reviews)
    return sorted((_node([mentions[k] for k in g]) for g in groups), key=lambda n: n.id)


def kept_groups(
    mention_ids: Sequence[str], kept: Sequence[Sequence[str]]
) -> tuple[dict[int, list[int]], set[int] | None]:
    """Each mention's group to start from — its ``kept`` group, else itself alone — and the
    mentions still to place (None: all of them)."""
    owner = {i: [i] for i in range(len(mention_ids))}
    if not kept:
        return owner, None
    position = {m: i for i, m in enumerate(mention_ids)}
    for group in kept:
        members = [position[m] for m in group if m in position]
        for k in members:
            owner[k] = members
    placed = {m for group in kept for m in group}
    return owner, {i for i, m in enumerate(mention_ids) if m not in placed}


def _node(group: list[Statement]) -> StatementNode:
    mention_ids = [mention_id(m) for m in group]
    ordered = [m for _, m in sorted(zip(mention_ids, group), key=lambda pair: pair[0])]
    speakers = Counter(m.speaker for m in ordered)
    speaker = max(speakers, key=lambda a: (a.wikidata is not None, speakers[a], a.description is not None, a.id))
    direct = [m for m in ordered if m.kind in {"direct", "mixed"}]
    quote = max(direct or ordered, key=lambda m: len(m.quote)).quote
    return StatementNode(
        id=ids.statement_id(mention_ids),
        speaker=speaker,
        date=merged_date([m.date for m in ordered]),
        quote=quote,
        topics=tuple(sorted({t for m in ordered for t in m.topics})),
        mentions=tuple(ordered),
    )
