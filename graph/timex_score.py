"""TempEval-3 style scoring of time expressions against a gold TIMEX3 file.

Rows are mappings with ``doc``, ``start``, ``end`` (code points, end exclusive), ``value`` and,
for gold rows, ``functionInDocument`` and ``text``. Gold rows for the document creation time
and rows with no span are left out; so are system rows overlapping a left-out gold row (the
dateline that states the creation time is metadata, not something to score).

Within each document gold and system expressions are aligned one to one, greedily: exact span
matches first, then by longest overlap, then by equal value. Relaxed span counts aligned pairs,
strict span the pairs with identical spans, value the pairs whose values are equal; precision is
over system expressions, recall over gold ones, as TempEval-3 does.

:func:`run_benchmark` runs :func:`graph.timex.find_timexes` over a benchmark's documents
(``docs.jsonl``, ``timex3_gold.jsonl`` as in MEANTIME) and formats the figures.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
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


#: MEANTIME's annotators marked only the title, the dateline and the first sentences of each
#: article: no gold expression lies past the sixth line, so only those lines are read.
ANNOTATED_LINES = 6


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def publication_date(value: str | None) -> date | None:
    """A document's ``date``: ISO, or day-month-year as a few MEANTIME documents write it."""
    if not value:
        return None
    for form in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable document date {value!r}; expected YYYY-MM-DD or DD-MM-YYYY")


def lines_end(text: str, lines: int) -> int:
    """Offset where the first ``lines`` lines of ``text`` end (the whole text when 0)."""
    if lines <= 0:
        return len(text)
    offset = -1
    for _ in range(lines):
        offset = text.find("\n", offset + 1)
        if offset == -1:
            return len(text)
    return offset


def system_rows(docs: Iterable[Mapping[str, Any]], lines: int = ANNOTATED_LINES) -> list[dict]:
    """What :func:`graph.timex.find_timexes` finds in each document, as scorer rows."""
    from graph.timex import find_timexes

    rows = []
    for doc in docs:
        text, published = doc["text"], publication_date(doc.get("date"))
        for timex in find_timexes(text, published, end=lines_end(text, lines)):
            rows.append(
                {
                    "doc": doc["id"],
                    "start": timex.start,
                    "end": timex.end,
                    "value": timex.value,
                    "type": timex.type,
                    "text": timex.text,
                }
            )
    return rows


def benchmark(docs_path: Path, gold_path: Path, lines: int = ANNOTATED_LINES) -> dict[str, Any]:
    """:func:`score_timexes` of the system on every document of a benchmark."""
    docs = list(read_jsonl(docs_path))
    wanted = {doc["id"] for doc in docs}
    gold = [row for row in read_jsonl(gold_path) if row["doc"] in wanted]
    return score_timexes(gold, system_rows(docs, lines))


def commonest_errors(mismatches: list[dict[str, Any]], count: int = 15) -> list[tuple[str, int]]:
    """Errors grouped by kind and the words involved (digits folded), commonest first."""
    keys: Counter[str] = Counter()
    for m in mismatches:
        gold, system = _shape(m["gold_text"]), _shape(m["system_text"])
        if m["kind"] == "wrong value":
            keys[f"wrong value  {gold!r}: gold {m['gold_value']} system {m['system_value']}"] += 1
        elif m["kind"] == "missed":
            keys[f"missed       {gold!r} ({m['gold_value']})"] += 1
        else:
            keys[f"spurious     {system!r} ({m['system_value']})"] += 1
    return keys.most_common(count)


def _shape(text: str | None) -> str:
    return re.sub(r"\d", "#", (text or "").lower())


def format_report(result: Mapping[str, Any], errors: int = 15) -> str:
    """The three figures with precision and recall, then the commonest errors."""
    out = [f"gold {result['gold']}  system {result['system']}"]
    for name in ("relaxed", "strict", "value"):
        f = result[name]
        out.append(f"{name:8} P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}")
    if errors:
        out.append(f"\n{errors} commonest errors:")
        out += [f"{n:4}  {key}" for key, n in commonest_errors(result["mismatches"], errors)]
    return "\n".join(out)


def run_benchmark(
    docs_path: Path, gold_path: Path, lines: int = ANNOTATED_LINES, errors: int = 15
) -> str:
    """Score a benchmark folder's files and return the report as text."""
    return format_report(benchmark(docs_path, gold_path, lines), errors)
