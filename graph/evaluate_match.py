"""Matching a system's reading to a gold file by evidence span, plus the speaker and date checks.

A gold span of length ``L`` is *covered* by a system span in the same article with fraction
``overlap / L``; the system item matches the gold item when one of its spans covers at least
:data:`MIN_COVER` of one gold span. Gold spans longer than :data:`MAX_GOLD_SPAN` code points (or
empty) match nothing, so a system cannot win by quoting a whole article.

Everything here is pure: plain dicts of the JSON export and the gold file in, plain data out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

MIN_COVER = 0.5
MAX_GOLD_SPAN = 1200
#: Leading words ignored when comparing speaker names ("the Kremlin", "Mr Diggins").
HONORIFICS = frozenset(
    {
        "the",
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
    }
)


@dataclass(frozen=True)
class Loc:
    """A ``[start, end)`` span of one article."""

    article: str
    start: int
    end: int


@dataclass(frozen=True)
class Item:
    """A gold or system statement/event reduced to what matching needs: its id and spans."""

    id: str
    spans: tuple[Loc, ...]


@dataclass(frozen=True)
class SpanMatch:
    """One system span covering enough of one gold span (``span`` indexes the gold item's spans).

    ``fit`` is the share of the system span that the overlap takes up: between two gold items
    covered equally, the one filling more of the system span is the better match.
    """

    system: str
    gold: str
    span: int
    fraction: float
    fit: float


@dataclass(frozen=True)
class Matching:
    """All matches between system items and gold items.

    ``by_system[s][g]`` is the best span match of system item ``s`` to gold item ``g``;
    ``best[s]`` is the gold item ``s`` matches best (largest covered fraction, then fit, then
    gold file order); ``by_gold_span[(g, i)]`` holds the system items covering span ``i`` of ``g``.
    """

    by_system: dict[str, dict[str, SpanMatch]]
    best: dict[str, str]
    by_gold_span: dict[tuple[str, int], frozenset[str]]

    def gold_of(self, system_id: str) -> frozenset[str]:
        """The gold ids a system item matches (empty for an unknown id)."""
        return frozenset(self.by_system.get(system_id, {}))

    def systems_of(self, gold: Item) -> frozenset[str]:
        """The system ids matching a gold item through any of its spans."""
        found: set[str] = set()
        for index in range(len(gold.spans)):
            found |= self.by_gold_span.get((gold.id, index), frozenset())
        return frozenset(found)


def _offset(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an integer offset, got {value!r}")
    return value


def _loc(article: object, start: object, end: object, what: str) -> Loc:
    if not isinstance(article, str) or not article:
        raise ValueError(f"{what} needs an article id, got {article!r}")
    begin, finish = _offset(start, f"{what} start"), _offset(end, f"{what} end")
    if not 0 <= begin <= finish:
        raise ValueError(f"{what} has a bad span [{begin}, {finish}) in {article}")
    return Loc(article, begin, finish)


def system_items(nodes: Iterable[dict], kind: str) -> list[Item]:
    """Export statements or events (``{id, evidence: [{article, start, end}]}``) as items.

    Raises ValueError on a missing or repeated id or a malformed evidence span.
    """
    items: list[Item] = []
    seen: set[str] = set()
    for node in nodes:
        node_id = node.get("id")
        if not isinstance(node_id, str) or not node_id:
            raise ValueError(f"every system {kind} needs a string id, got {node_id!r}")
        if node_id in seen:
            raise ValueError(f"system {kind} id {node_id!r} occurs twice; ids must be unique")
        seen.add(node_id)
        what = f"evidence of system {kind} {node_id!r}"
        spans = tuple(
            _loc(ev.get("article"), ev.get("start"), ev.get("end"), what)
            for ev in node.get("evidence") or ()
        )
        items.append(Item(node_id, spans))
    return items


def gold_loc(entry: dict, what: str, suffix: str = "") -> Loc:
    """A gold ``{article, span: [start, end]}`` entry (keys may carry a suffix, e.g. ``_a``)."""
    span = entry.get(f"span{suffix}")
    if not isinstance(span, list) or len(span) != 2:
        raise ValueError(f"{what} needs span{suffix} as [start, end], got {span!r}")
    return _loc(entry.get(f"article{suffix}"), span[0], span[1], what)


def gold_items(nodes: Iterable[dict], spans_key: str) -> list[Item]:
    """Gold statements (``spans_key="cited_by"``) or events (``"mentions"``) as items."""
    return [
        Item(node["id"], tuple(gold_loc(e, f"gold {node['id']}") for e in node.get(spans_key, ())))
        for node in nodes
    ]


def overlap(a: Loc, b: Loc) -> int:
    """Code points shared by two spans (0 across articles)."""
    if a.article != b.article:
        return 0
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def covered_fraction(system: Loc, gold: Loc) -> float:
    """Share of ``gold`` covered by ``system``; 0.0 for gold spans that may match nothing."""
    length = gold.end - gold.start
    if length == 0 or length > MAX_GOLD_SPAN:
        return 0.0
    return overlap(system, gold) / length


def span_matches(system: Sequence[Item], gold: Sequence[Item]) -> list[SpanMatch]:
    """Every (system span, gold span) pair where the system span covers ≥ MIN_COVER of it."""
    by_article: dict[str, list[tuple[str, int, Loc]]] = defaultdict(list)
    for item in gold:
        for index, loc in enumerate(item.spans):
            by_article[loc.article].append((item.id, index, loc))
    found: list[SpanMatch] = []
    for item in system:
        for loc in item.spans:
            for gold_id, index, gold_span in by_article.get(loc.article, ()):
                fraction = covered_fraction(loc, gold_span)
                if fraction >= MIN_COVER:
                    fit = overlap(loc, gold_span) / (loc.end - loc.start)
                    found.append(SpanMatch(item.id, gold_id, index, fraction, fit))
    return found


def match(system: Sequence[Item], gold: Sequence[Item]) -> Matching:
    """Match system items to gold items; see :class:`Matching`."""
    order = {item.id: position for position, item in enumerate(gold)}
    by_system: dict[str, dict[str, SpanMatch]] = defaultdict(dict)
    by_gold_span: dict[tuple[str, int], set[str]] = defaultdict(set)
    for found in span_matches(system, gold):
        pairs = by_system[found.system]
        known = pairs.get(found.gold)
        if known is None or (found.fraction, found.fit) > (known.fraction, known.fit):
            pairs[found.gold] = found
        by_gold_span[(found.gold, found.span)].add(found.system)
    best = {
        system_id: max(pairs.values(), key=lambda m: (m.fraction, m.fit, -order[m.gold])).gold
        for system_id, pairs in by_system.items()
    }
    return Matching(
        dict(by_system), best, {key: frozenset(ids) for key, ids in by_gold_span.items()}
    )


def overlapping(system: Sequence[Item], spans: Sequence[Loc]) -> list[tuple[str, int]]:
    """``(system id, index into spans)`` for every system item sharing any text with a span."""
    return [
        (item.id, index)
        for item in system
        for index, target in enumerate(spans)
        if any(overlap(loc, target) > 0 for loc in item.spans)
    ]


def name_key(text: str) -> str:
    """A name reduced for comparison: no case, accents or punctuation, no leading "the"/"Mr"."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    words = re.sub(r"[\W_]+", " ", plain).split()
    while words and words[0] in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def system_speaker_keys(speaker: object) -> frozenset[str]:
    """Name keys of a system speaker: its name, id (after the last "/"), aliases and QID."""
    if not isinstance(speaker, dict):
        return frozenset()
    names = [speaker.get("name"), speaker.get("wikidata"), *(speaker.get("aliases") or ())]
    if isinstance(speaker.get("id"), str):
        names.append(speaker["id"].rsplit("/", 1)[-1])
    return frozenset(key for name in names if isinstance(name, str) and (key := name_key(name)))


def speaker_matches(speaker: object, gold_statement: dict) -> bool:
    """Whether a system speaker names the gold statement's speaker or one of its aliases."""
    gold_names = [gold_statement["speaker"], *gold_statement.get("aliases", ())]
    gold_keys = {key for name in gold_names if (key := name_key(name))}
    return not gold_keys.isdisjoint(system_speaker_keys(speaker))


def describe_speaker(speaker: object) -> str:
    """What a system said the speaker was, for a list of misses."""
    if not isinstance(speaker, dict):
        return repr(speaker)
    return str(speaker.get("name") or speaker.get("id") or "(no name)")


def parse_day(value: object, what: str) -> date | None:
    """An ISO day or None; raises ValueError naming ``what`` for anything else."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{what} must be an ISO date (YYYY-MM-DD) or null, got {value!r}")


def window(gold_node: dict) -> tuple[date, date]:
    """A gold item's ``date_window`` as two days."""
    raw = gold_node.get("date_window")
    what = f"date_window of gold {gold_node.get('id')!r}"
    if not isinstance(raw, list) or len(raw) != 2:
        raise ValueError(f"{what} must be [earliest, latest], got {raw!r}")
    low, high = parse_day(raw[0], what), parse_day(raw[1], what)
    if low is None or high is None or low > high:
        raise ValueError(f"{what} must be two ordered ISO days, got {raw!r}")
    return low, high


def date_within(system_date: object, gold_node: dict, what: str) -> bool:
    """Whether a system date's ``[begin, end]`` lies inside the gold window (unresolved: no)."""
    if not isinstance(system_date, dict):
        return False
    begin = parse_day(system_date.get("begin"), f"begin of {what}")
    end = parse_day(system_date.get("end"), f"end of {what}")
    if begin is None or end is None:
        return False
    low, high = window(gold_node)
    return low <= begin <= end <= high


def describe_date(system_date: object) -> str:
    """What a system said the date was, for a list of misses."""
    if not isinstance(system_date, dict):
        return "(no date)"
    begin, end = system_date.get("begin"), system_date.get("end")
    if begin is None or end is None:
        return f"{system_date.get('value') or '?'} (unresolved)"
    return str(begin) if begin == end else f"{begin}..{end}"
