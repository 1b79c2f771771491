"""Scoring statements and events once they are matched to gold (see :mod:`graph.evaluate`)."""

from __future__ import annotations

from itertools import combinations

from graph.evaluate_match import (
    Item,
    Loc,
    Matching,
    date_within,
    describe_date,
    describe_speaker,
    speaker_matches,
)
from graph.evaluate_types import EventLine, EventScores, Ratio, StatementScores, Wrong


def where(loc: Loc) -> str:
    """``article[start:end]``: a span as a developer looks it up."""
    return f"{loc.article}[{loc.start}:{loc.end}]"


def required_ids(gold: list[dict]) -> frozenset[str]:
    return frozenset(node["id"] for node in gold if not node.get("optional"))


def _recall(matching: Matching, required: list[Item]) -> tuple[Ratio, tuple[str, ...]]:
    missed = tuple(item.id for item in required if not matching.systems_of(item))
    return Ratio(len(required) - len(missed), len(required)), missed


def _scored(matching: Matching, system_ids: list[str], required: frozenset[str]) -> list[str]:
    """System ids in a precision denominator: all but those matching only optional gold."""
    return [
        sid
        for sid in system_ids
        if not (gold := matching.gold_of(sid)) or not gold.isdisjoint(required)
    ]


def _precision(matching: Matching, scored: list[str]) -> tuple[Ratio, tuple[str, ...]]:
    unmatched = tuple(sid for sid in scored if not matching.gold_of(sid))
    return Ratio(len(scored) - len(unmatched), len(scored)), unmatched


def _pairs(
    matching: Matching, scored: list[str], required: frozenset[str]
) -> list[tuple[str, str]]:
    """(system id, its best gold id) for scored system items whose best gold is required."""
    return [
        (sid, matching.best[sid])
        for sid in scored
        if sid in matching.best and matching.best[sid] in required
    ]


def _merge(matching: Matching, required: list[Item]) -> tuple[Ratio, tuple[str, ...]]:
    """Pairs of a gold item's spans held by one system item, over all such pairs."""
    total, unmerged = 0, []
    for item in required:
        for i, j in combinations(range(len(item.spans)), 2):
            total += 1
            first = matching.by_gold_span.get((item.id, i), frozenset())
            if first.isdisjoint(matching.by_gold_span.get((item.id, j), frozenset())):
                unmerged.append(f"{item.id}: {where(item.spans[i])} | {where(item.spans[j])}")
    return Ratio(total - len(unmerged), total), tuple(unmerged)


def _apart(
    matching: Matching, required: list[Item], gold_by_id: dict[str, dict]
) -> tuple[Ratio, tuple[str, ...]]:
    """Pairs of found required gold statements by one speaker that no system statement holds
    both of: merging must not swallow a speaker's different points."""
    found = [item for item in required if matching.systems_of(item)]
    total, merged = 0, []
    for a, b in combinations(found, 2):
        if gold_by_id[a.id]["speaker"] != gold_by_id[b.id]["speaker"]:
            continue
        total += 1
        if not matching.systems_of(a).isdisjoint(matching.systems_of(b)):
            merged.append(f"{a.id} ~ {b.id}")
    return Ratio(total - len(merged), total), tuple(merged)


def _merged_all(matching: Matching, item: Item) -> bool | None:
    """Whether one system item covers every span of a gold item; None for a single span."""
    if len(item.spans) < 2:
        return None
    shared = matching.by_gold_span.get((item.id, 0), frozenset())
    for index in range(1, len(item.spans)):
        shared &= matching.by_gold_span.get((item.id, index), frozenset())
    return bool(shared)


def _cited_by(
    matching: Matching, required: list[Item], system: dict[str, dict]
) -> tuple[Ratio, tuple[str, ...]]:
    """(required gold statement, citing article) pairs the system cites through a match there."""
    total, missing = 0, []
    for item in required:
        for article in dict.fromkeys(loc.article for loc in item.spans):
            total += 1
            cited = any(
                article in (system[sid].get("cited_by") or ())
                for index, loc in enumerate(item.spans)
                if loc.article == article
                for sid in matching.by_gold_span.get((item.id, index), frozenset())
            )
            if not cited:
                missing.append(f"{item.id} @ {article}")
    return Ratio(total - len(missing), total), tuple(missing)


def _dated(node: dict, gold_node: dict) -> bool:
    return date_within(node.get("date"), gold_node, f"system {node['id']!r}")


def score_statements(
    system: list[dict], gold: list[dict], items: list[Item], matching: Matching
) -> StatementScores:
    """Statement figures for export statements ``system`` against gold statements ``gold``
    (``items`` are the gold statements as matching items, in the same order)."""
    by_id = {node["id"]: node for node in system}
    gold_by_id = {node["id"]: node for node in gold}
    required = required_ids(gold)
    required_items = [item for item in items if item.id in required]
    scored = _scored(matching, list(by_id), required)
    pairs = _pairs(matching, scored, required)

    def right(sid: str, gid: str) -> bool:
        return speaker_matches(by_id[sid].get("speaker"), gold_by_id[gid]) and _dated(
            by_id[sid], gold_by_id[gid]
        )

    wrong_speakers = tuple(
        Wrong(gid, sid, describe_speaker(by_id[sid].get("speaker")), gold_by_id[gid]["speaker"])
        for sid, gid in pairs
        if not speaker_matches(by_id[sid].get("speaker"), gold_by_id[gid])
    )
    wrong_dates = _wrong_dates(pairs, by_id, gold_by_id)
    full_found = sum(
        1
        for item in required_items
        if any(right(sid, item.id) for sid in matching.systems_of(item))
    )
    full_right = sum(1 for sid in scored if any(right(sid, gid) for gid in matching.gold_of(sid)))
    recall, missed = _recall(matching, required_items)
    precision, unmatched = _precision(matching, scored)
    cited_by, missing_citations = _cited_by(matching, required_items, by_id)
    merge, unmerged = _merge(matching, required_items)
    apart, overmerged = _apart(matching, required_items, gold_by_id)
    return StatementScores(
        recall=recall,
        precision=precision,
        speaker_accuracy=Ratio(len(pairs) - len(wrong_speakers), len(pairs)),
        date_accuracy=Ratio(len(pairs) - len(wrong_dates), len(pairs)),
        full_recall=Ratio(full_found, len(required_items)),
        full_precision=Ratio(full_right, len(scored)),
        cited_by_recall=cited_by,
        merge_accuracy=merge,
        kept_apart=apart,
        missed=missed,
        unmatched=unmatched,
        wrong_speakers=wrong_speakers,
        wrong_dates=wrong_dates,
        missing_citations=missing_citations,
        unmerged=unmerged,
        overmerged=overmerged,
    )


def _wrong_dates(
    pairs: list[tuple[str, str]], by_id: dict[str, dict], gold_by_id: dict[str, dict]
) -> tuple[Wrong, ...]:
    return tuple(
        Wrong(
            gid,
            sid,
            describe_date(by_id[sid].get("date")),
            "..".join(gold_by_id[gid]["date_window"]),
        )
        for sid, gid in pairs
        if not _dated(by_id[sid], gold_by_id[gid])
    )


def score_events(
    system: list[dict], gold: list[dict], items: list[Item], matching: Matching
) -> EventScores:
    """Event figures for export events ``system`` against gold events ``gold``."""
    by_id = {node["id"]: node for node in system}
    gold_by_id = {node["id"]: node for node in gold}
    required = required_ids(gold)
    required_items = [item for item in items if item.id in required]
    scored = _scored(matching, list(by_id), required)
    pairs = _pairs(matching, scored, required)
    wrong_dates = _wrong_dates(pairs, by_id, gold_by_id)
    recall, missed = _recall(matching, required_items)
    precision, unmatched = _precision(matching, scored)
    merge, unmerged = _merge(matching, required_items)
    lines = []
    for item in items:
        node = gold_by_id[item.id]
        found = matching.systems_of(item)
        dated = any(_dated(by_id[sid], node) for sid in found) if found else None
        lines.append(
            EventLine(
                item.id,
                node.get("label", ""),
                bool(node.get("optional")),
                bool(found),
                dated,
                _merged_all(matching, item) if found else None,
            )
        )
    return EventScores(
        recall=recall,
        precision=precision,
        date_accuracy=Ratio(len(pairs) - len(wrong_dates), len(pairs)),
        merge_accuracy=merge,
        missed=missed,
        unmatched=unmatched,
        wrong_dates=wrong_dates,
        unmerged=unmerged,
        per_event=tuple(lines),
    )
