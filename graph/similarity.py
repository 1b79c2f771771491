"""Word overlap weighted by rarity, and interval intersection: the linker's two measures."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from collections.abc import Collection, Iterable, Iterator, Sequence

from graph.model import TimeValue

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
#: Function words and reporting verbs carry no content for "is this the same point?".
STOPWORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "said", "say", "says", "saying", "told", "tell", "tells", "added", "add", "adds", "according", "stated", "state", "noted", "claimed", "claim", "believes", "believe", "asserted", "assert", "warned", "warn", "remarked", "recalled", "reiterated", "announced", "mr", "ms", "mrs"]
)
#: Stemming to a prefix is crude but language-agnostic enough: negotiate / negotiations /
#: negotiating share "negot"; mobilise / mobilization share "mobil".
STEM = 5


_INFLECTION = re.compile(r"(?:ies|es|s|ed|ing)$")
#: Noun-forming endings that hide a verb: failure/fail, agreement/agree, refusal/refuse.
_DERIVATION = re.compile(r"(?:ure|ments?|als?)$")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Inflection (and a noun-forming ending) off, then a prefix: goals/goal, failed/failure/fail,
    talks/talk, agreed/agreements meet."""
    if word.isdigit():
        return word
    if word.endswith("eed"):
        word = word[:-1]  # agreed/agree, not "agre"
    elif len(word) > 4 and not word.endswith("ss"):
        word = _INFLECTION.sub("", word)
    if len(word) > 6:
        word = _DERIVATION.sub("", word)
    return word[:STEM]


def terms(text: str) -> list[str]:
    words = (w.lower().replace("’", "'") for w in _WORD.findall(text))
    return [_stem(w.replace(",", "")) for w in words if w not in STOPWORDS]


class Vectoriser:
    """Inverse-document-frequency weights learnt from the texts being compared, given as their
    :func:`terms`."""

    def __init__(self, documents: Iterable[Iterable[str]]) -> None:
        counts: Counter[str] = Counter()
        total = 0
        for document in documents:
            counts.update(set(document))
            total += 1
        self._idf = {t: math.log((1 + total) / (1 + n)) + 1.0 for t, n in counts.items()}
        self._default = math.log(1 + total) + 1.0

    def vector(self, document: Iterable[str]) -> dict[str, float]:
        return {t: self._idf.get(t, self._default) for t in set(document)}


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted overlap coefficient: shared weight over the smaller side's weight. Sums are exact
    (``fsum``), so the result does not depend on the order sets iterate in, which varies between
    processes: ties between candidates break the same way in every run."""
    if not a or not b:
        return 0.0
    shared = math.fsum(a[t] for t in a.keys() & b.keys())
    return shared / min(math.fsum(a.values()), math.fsum(b.values()))


def prefix(vector: dict[str, float], threshold: float) -> list[str]:
    """The terms of ``vector`` that every vector overlapping it by ``threshold`` or more, with
    ``vector`` the lighter side, must share (prefix filtering, Bayardo et al., "Scaling up all
    pairs similarity search", 2007): its heaviest terms (ties by term) up to where the rest weigh
    less than ``threshold`` of the whole. If two vectors share no term of either's prefix, their
    :func:`overlap` is below ``threshold``, so an index of prefixes finds every pair that can
    reach it without comparing the rest. The bound is taken a hair low so rounding can only
    lengthen a prefix."""
    ordered = sorted(vector, key=lambda t: (-vector[t], t))
    bound = threshold * math.fsum(vector.values()) * (1 - 1e-9)
    for end in range(len(ordered) + 1):
        if math.fsum(vector[t] for t in ordered[end:]) < bound:
            return ordered[:end]
    return ordered


def cosine_prefix(vector: dict[str, float], threshold: float) -> list[str]:
    """The terms of ``vector`` that every vector within cosine ``threshold`` of it must share:
    its heaviest terms (ties by term) up to where the rest, however they met the other vector,
    could add less than ``threshold`` (by Cauchy–Schwarz, the rest's norm over the whole's).
    The bound is taken a hair low so rounding can only lengthen a prefix."""
    ordered = sorted(vector, key=lambda t: (-vector[t], t))
    bound = (threshold * (1 - 1e-9)) ** 2 * math.fsum(w * w for w in vector.values())
    for end in range(len(ordered) + 1):
        if math.fsum(vector[t] ** 2 for t in ordered[end:]) < bound:
            return ordered[:end]
    return ordered


def intersect(values: Sequence[TimeValue]) -> TimeValue | None:
    """The common part of resolved intervals, keeping the most precise one's labels."""
    resolved = [v for v in values if v.resolved]
    if not resolved:
        return None
    begin = max(v.begin for v in resolved)  # type: ignore[type-var]
    end = min(v.end for v in resolved)  # type: ignore[type-var]
    if begin > end:
        return None
    narrowest = min(resolved, key=lambda v: (v.end - v.begin).days)  # type: ignore[operator]
    if (narrowest.begin, narrowest.end) == (begin, end):
        return narrowest
    anchor = "intersection of " + ", ".join(sorted({v.value for v in resolved}))
    value = begin.isoformat() if begin == end else f"{begin.isoformat()}/{end.isoformat()}"
    return TimeValue(begin, end, "day" if begin == end else "interval", value, anchor)


def overlapping(indices: Iterable[int], dates: Sequence[TimeValue],
                among: Collection[int] | None = None) -> Iterator[tuple[int, int]]:
    """Pairs ``(i, j)`` of ``indices`` whose resolved ``dates`` overlap, ``i`` first by begin date
    (then by position): a sweep over begin dates. With ``among``, only the pairs holding one of
    those indices, found from them alone, so relating a few new items to many stored ones costs
    the few times the many, not the many squared."""
    ordered = sorted(indices, key=lambda k: dates[k].begin)  # type: ignore[arg-type, return-value]
    if among is None:
        starts: Iterable[int] = range(len(ordered))
    else:
        rank = {k: x for x, k in enumerate(ordered)}
        starts = sorted(rank[k] for k in among if k in rank)
    for x in starts:
        i = ordered[x]
        if among is not None:  # the earlier ones that reach it, unless they find it themselves
            yield from ((h, i) for h in ordered[:x]
                        if h not in among and dates[h].end >= dates[i].begin)  # type: ignore[operator]
        for j in ordered[x + 1:]:
            if dates[j].begin > dates[i].end:  # type: ignore[operator]
                break
            yield i, j
