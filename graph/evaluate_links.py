"""Scoring relations, noise and timeline queries once statements and events are matched."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

from graph.evaluate_match import (
    Item,
    Loc,
    Matching,
    gold_items,
    gold_loc,
    match,
    overlapping,
    system_items,
    window,
)
from graph.evaluate_types import NoiseHit, QueryScore, Ratio, RelationScores

GOLD_RELATION_TYPES = ("contradicts", "causes")

Timeline = Callable[[str, str], list[dict]]


def _gold_pairs(
    gold: dict, kind: str, known: set[str], node_kind: str
) -> list[tuple[str, str, bool]]:
    """``(a, b, optional)`` for the gold relations of one type; checks types and endpoints."""
    pairs = []
    for relation in gold.get("relations", ()):
        if relation.get("type") not in GOLD_RELATION_TYPES:
            raise ValueError(
                f"gold relation type {relation.get('type')!r} is not one of {GOLD_RELATION_TYPES}"
            )
        if relation["type"] != kind:
            continue
        for end in (relation["a"], relation["b"]):
            if end not in known:
                raise ValueError(f"gold {kind} endpoint {end!r} is not a gold {node_kind} id")
        pairs.append((relation["a"], relation["b"], bool(relation.get("optional"))))
    return pairs


def _system_pairs(system: dict, kind: str, symmetric: bool) -> list[tuple[str, str]]:
    """Distinct (source, target) pairs of one system relation type; unordered if symmetric."""
    found: dict[tuple[str, str], None] = {}
    for relation in system.get("relations") or ():
        if relation.get("type") != kind:
            continue
        source, target = relation.get("source"), relation.get("target")
        if not isinstance(source, str) or not isinstance(target, str):
            raise TypeError(
                f"a system {kind} relation needs string ids, got {source!r}, {target!r}"
            )
        found[(min(source, target), max(source, target)) if symmetric else (source, target)] = None
    return list(found)


def _links(
    pair: tuple[str, str], gold_pair: tuple[str, str], matching: Matching, symmetric: bool
) -> bool:
    """Whether a system pair of distinct nodes matches a gold pair (either way if symmetric)."""
    source, target = pair
    if source == target:
        return False
    a, b = gold_pair
    ends = (matching.gold_of(source), matching.gold_of(target))
    forward = a in ends[0] and b in ends[1]
    return forward or (symmetric and b in ends[0] and a in ends[1])


def _relation_figures(
    system_pairs: list[tuple[str, str]],
    gold_pairs: list[tuple[str, str, bool]],
    matching: Matching,
    symmetric: bool,
) -> tuple[Ratio, Ratio, tuple[str, ...], tuple[str, ...]]:
    """Recall over required gold pairs, precision over system pairs (optional gold counts)."""
    arrow = " ~ " if symmetric else " -> "
    required = [(a, b) for a, b, optional in gold_pairs if not optional]
    missed = tuple(
        a + arrow + b
        for a, b in required
        if not any(_links(pair, (a, b), matching, symmetric) for pair in system_pairs)
    )
    false = tuple(
        pair[0] + arrow + pair[1]
        for pair in system_pairs
        if not any(_links(pair, (a, b), matching, symmetric) for a, b, _ in gold_pairs)
    )
    recall = Ratio(len(required) - len(missed), len(required))
    precision = Ratio(len(system_pairs) - len(false), len(system_pairs))
    return recall, precision, missed, false


def _false_alarms(
    pairs: list[tuple[str, str]], gold: dict, statements: list[Item]
) -> tuple[str, ...]:
    """Contradicts pairs from a statement to itself or across a ``not_contradicts`` pair."""
    sides = []
    for index, trap in enumerate(gold.get("not_contradicts", ())):
        what = f"not_contradicts #{index}"
        sides.append(Item(f"{index}a", (gold_loc(trap, what, "_a"),)))
        sides.append(Item(f"{index}b", (gold_loc(trap, what, "_b"),)))
    matching = match(statements, sides)
    alarms = []
    for source, target in pairs:
        if source == target:
            alarms.append(f"{source} contradicts itself")
            continue
        ends = (matching.gold_of(source), matching.gold_of(target))
        for index, trap in enumerate(gold.get("not_contradicts", ())):
            a, b = f"{index}a", f"{index}b"
            if (a in ends[0] and b in ends[1]) or (b in ends[0] and a in ends[1]):
                alarms.append(f"{source} ~ {target}: {trap.get('why', 'not a contradiction')}")
                break
    return tuple(alarms)


def score_relations(
    system: dict,
    gold: dict,
    statements: tuple[list[Item], Matching],
    events: Matching,
) -> RelationScores:
    """Contradicts (between statements, either direction) and causes (between events, directed)."""
    statement_items, statement_matching = statements
    contradicts = _system_pairs(system, "contradicts", symmetric=True)
    gold_contradicts = _gold_pairs(
        gold, "contradicts", {s["id"] for s in gold.get("statements", ())}, "statement"
    )
    c_recall, c_precision, c_missed, c_false = _relation_figures(
        contradicts, gold_contradicts, statement_matching, symmetric=True
    )
    alarms = _false_alarms(contradicts, gold, statement_items)
    causes = _system_pairs(system, "causes", symmetric=False)
    gold_causes = _gold_pairs(gold, "causes", {e["id"] for e in gold.get("events", ())}, "event")
    k_recall, k_precision, k_missed, k_false = _relation_figures(
        causes, gold_causes, events, symmetric=False
    )
    return RelationScores(
        contradicts_recall=c_recall,
        contradicts_precision=c_precision,
        trap_false_alarms=len(alarms),
        causes_recall=k_recall,
        causes_precision=k_precision,
        missed_contradicts=c_missed,
        false_contradicts=c_false,
        false_alarms=alarms,
        missed_causes=k_missed,
        false_causes=k_false,
    )


def noise_hits(gold: dict, statements: list[Item], events: list[Item]) -> tuple[NoiseHit, ...]:
    """Every (system statement or event, noise span) pair sharing text."""
    entries = list(gold.get("noise", ()))
    spans: list[Loc] = [gold_loc(entry, f"noise #{i}") for i, entry in enumerate(entries)]
    return tuple(
        NoiseHit(kind, sid, spans[index].article, entries[index].get("evidence", ""))
        for kind, items in (("statement", statements), ("event", events))
        for sid, index in overlapping(items, spans)
    )


def _query(query: dict, returned: list[dict], gold_by_id: dict[str, dict]) -> QueryScore:
    expect, may = list(query.get("expect", ())), list(query.get("may_include", ()))
    for gid in expect + may:
        if gid not in gold_by_id:
            raise ValueError(f"query {query.get('question')!r} names {gid!r}, no gold statement")
    wanted = [gold_by_id[gid] for gid in dict.fromkeys(expect + may)]
    # keyed by position: a timeline may return the same statement twice
    keys = [str(position) for position in range(len(returned))]
    keyed = [{**node, "id": key} for key, node in zip(keys, returned, strict=True)]
    matching = match(system_items(keyed, "timeline statement"), gold_items(wanted, "cited_by"))
    found = set().union(*(matching.gold_of(key) for key in keys))
    missed = tuple(gid for gid in expect if gid not in found)
    extraneous = tuple(
        str(node.get("id"))
        for key, node in zip(keys, returned, strict=True)
        if not matching.gold_of(key)
    )
    ordered = [matching.best[key] for key in keys if key in matching.best]
    out_of_order = tuple(
        f"{first} before {second}"
        for first, second in combinations(ordered, 2)
        if window(gold_by_id[first])[0] > window(gold_by_id[second])[1]
    )
    return QueryScore(
        question=str(query.get("question", "")),
        speaker=query["speaker"],
        topic=query["topic"],
        recall=Ratio(len(expect) - len(missed), len(expect)),
        precision=Ratio(len(returned) - len(extraneous), len(returned)),
        in_order=None if len(ordered) < 2 else not out_of_order,
        missed=missed,
        extraneous=extraneous,
        out_of_order=out_of_order,
    )


def score_queries(gold: dict, timeline: Timeline) -> tuple[QueryScore, ...]:
    """Ask ``timeline(speaker, topic)`` each gold query and score the answer."""
    gold_by_id = {node["id"]: node for node in gold.get("statements", ())}
    scores = []
    for query in gold.get("queries", ()):
        returned = timeline(query["speaker"], query["topic"])
        if not isinstance(returned, list):
            raise TypeError(
                f"timeline must return a list of statements, got {type(returned).__name__}"
            )
        scores.append(_query(query, returned, gold_by_id))
    return tuple(scores)
