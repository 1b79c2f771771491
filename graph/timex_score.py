"""TempEval-3 style scoring of time expressions against a gold TIMEX3 file.

Rows are mappings with ``doc``, ``start``, ``end`` (code points, end exclusive), ``value`` and,
for gold rows, ``functionInDocument`` and ``text``. Gold rows for the document creation time
and rows with no span are left out; so are system rows overlapping a left-out gold row (the
dateline that states the creation time is metadata, not something to score).

Within each document gold and system expressions are aligned one to one, greedily: exact span
matches first, then by longest overlap, then by equal value. Relaxed span counts aligned pairs,
strict span the pairs with identical spans, value the pairs whose values are equal; precision is
over system expressions, recall over gold ones, as TempEval-3 does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

Row = Mapping[str, Any]


def _scored_gold(row: Row) -> bool:
    return row.get("functionInDocument") != "CREATION_TIME" and row.get("start") is not None


def _overlap(a: Row, b: Row) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def _prf(correct: int, system: int, gold: int) -> dict[str, float]:
    precision = correct / system if system else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "correct": correct}


def _align(gold: list[Row], system: list[Row]) -> list[tuple[int, int]]:
    pairs = []
    for g, grow in enumerate(gold):
        for s, srow in enumerate(system):
            overlap = _overlap(grow, srow)
            if overlap > 0:
                exact = (grow["start"], grow["end"]) == (srow["start"], srow["end"])
                same = grow["value"] == srow["value"]
                pairs.append((not exact, -overlap, not same, grow["start"], srow["start"], g, s))
    pairs.sort()
    used_gold: set[int] = set()
    used_system: set[int] = set()
    aligned = []
    for *_key, g, s in pairs:
        if g not in used_gold and s not in used_system:
            used_gold.add(g)
            used_system.add(s)
            aligned.append((g, s))
    return aligned


def _by_doc(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[str(row["doc"])].append(row)
    return grouped


def score_timexes(gold_rows: Iterable[Row], system_rows: Iterable[Row]) -> dict[str, Any]:
    """Relaxed span, strict span and value precision/recall/F1, plus every mismatch.

    Returns ``{"relaxed": {...}, "strict": {...}, "value": {...}, "gold": n, "system": n,
    "mismatches": [{kind, doc, gold_text, gold_value, system_text, system_value}, ...]}``
    where ``kind`` is ``missed``, ``spurious`` or ``wrong value``.
    """
    gold_all = _by_doc(gold_rows)
    system_all = _by_doc(system_rows)
    counts = {"relaxed": 0, "strict": 0, "value": 0, "gold": 0, "system": 0}
    mismatches: list[dict[str, Any]] = []
    for doc in sorted(set(gold_all) | set(system_all)):
        left_out = [
            g for g in gold_all.get(doc, []) if not _scored_gold(g) and g.get("start") is not None
        ]
        gold = [g for g in gold_all.get(doc, []) if _scored_gold(g)]
        system = [
            s for s in system_all.get(doc, []) if not any(_overlap(s, g) > 0 for g in left_out)
        ]
        counts["gold"] += len(gold)
        counts["system"] += len(system)
        aligned = _align(gold, system)
        for g, s in aligned:
            grow, srow = gold[g], system[s]
            counts["relaxed"] += 1
            counts["strict"] += (grow["start"], grow["end"]) == (srow["start"], srow["end"])
            if grow["value"] == srow["value"]:
                counts["value"] += 1
            else:
                mismatches.append(_mismatch("wrong value", doc, grow, srow))
        matched_gold = {g for g, _ in aligned}
        matched_system = {s for _, s in aligned}
        mismatches += [
            _mismatch("missed", doc, row, None)
            for i, row in enumerate(gold)
            if i not in matched_gold
        ]
        mismatches += [
            _mismatch("spurious", doc, None, row)
            for i, row in enumerate(system)
            if i not in matched_system
        ]
    return {
        "relaxed": _prf(counts["relaxed"], counts["system"], counts["gold"]),
        "strict": _prf(counts["strict"], counts["system"], counts["gold"]),
        "value": _prf(counts["value"], counts["system"], counts["gold"]),
        "gold": counts["gold"],
        "system": counts["system"],
        "mismatches": mismatches,
    }


def _mismatch(kind: str, doc: str, gold: Row | None, system: Row | None) -> dict[str, Any]:
    return {
        "kind": kind,
        "doc": doc,
        "gold_text": gold.get("text") if gold else None,
        "gold_value": gold["value"] if gold else None,
        "system_text": system.get("text") if system else None,
        "system_value": system["value"] if system else None,
    }
