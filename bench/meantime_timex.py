"""Score graph.timex on the MEANTIME English TIMEX3 benchmark (TempEval-3 style).

    .venv/bin/python bench/meantime_timex.py
    .venv/bin/python bench/meantime_timex.py --docs tests/data/meantime/docs.jsonl \\
        --gold tests/data/meantime/timex3_gold.jsonl --lines 0

Runs :func:`graph.timex.find_timexes` on every document (published = the document's ``date``)
and prints relaxed span, strict span and value precision/recall/F1 and the commonest errors.
MEANTIME's annotators marked only the title, the dateline and the first sentences of each
article (no gold expression lies past the sixth line), so by default only the first six lines
are read; ``--lines 0`` reads whole documents.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.timex import find_timexes
from graph.timex_score import score_timexes

BENCHMARK = Path("/work/shared/benchmarks/meantime-timex")
ANNOTATED_LINES = 6


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def publication_date(value: str | None) -> date | None:
    """The document's ``date``: ISO, or day-month-year as a few MEANTIME documents write it."""
    if not value:
        return None
    for form in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable document date {value!r}; expected YYYY-MM-DD or DD-MM-YYYY")


def region_end(text: str, lines: int) -> int:
    """Offset where the first ``lines`` lines end (the whole text when ``lines`` is 0)."""
    if lines <= 0:
        return len(text)
    offset = -1
    for _ in range(lines):
        offset = text.find("\n", offset + 1)
        if offset == -1:
            return len(text)
    return offset


def system_rows(docs: list[dict[str, Any]], lines: int) -> list[dict[str, Any]]:
    rows = []
    for doc in docs:
        text = doc["text"]
        for timex in find_timexes(
            text, publication_date(doc.get("date")), end=region_end(text, lines)
        ):
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


def run(docs_path: Path, gold_path: Path, lines: int, limit: int | None = None) -> dict[str, Any]:
    """Score the first ``limit`` documents (all when None) and return the scorer's dict."""
    docs = list(read_jsonl(docs_path))[:limit]
    wanted = {doc["id"] for doc in docs}
    gold = [row for row in read_jsonl(gold_path) if row["doc"] in wanted]
    return score_timexes(gold, system_rows(docs, lines))


def _shape(text: str | None) -> str:
    return re.sub(r"\d", "#", (text or "").lower())


def commonest_errors(mismatches: list[dict[str, Any]], count: int = 15) -> list[tuple[str, int]]:
    """Errors grouped by kind and the words involved (digits folded), commonest first."""
    keys = Counter()
    for m in mismatches:
        if m["kind"] == "wrong value":
            key = f"wrong value  {_shape(m['gold_text'])!r}: gold {m['gold_value']} system {m['system_value']}"
        elif m["kind"] == "missed":
            key = f"missed       {_shape(m['gold_text'])!r} ({m['gold_value']})"
        else:
            key = f"spurious     {_shape(m['system_text'])!r} ({m['system_value']})"
        keys[key] += 1
    return keys.most_common(count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=Path, default=BENCHMARK / "docs.jsonl")
    parser.add_argument("--gold", type=Path, default=BENCHMARK / "timex3_gold.jsonl")
    parser.add_argument(
        "--lines",
        type=int,
        default=ANNOTATED_LINES,
        help="read only the first N lines of each document (0: all)",
    )
    parser.add_argument("--errors", type=int, default=15, help="how many error kinds to list")
    args = parser.parse_args(argv)
    result = run(args.docs, args.gold, args.lines)
    print(f"gold {result['gold']}  system {result['system']}")
    for name in ("relaxed", "strict", "value"):
        figures = result[name]
        print(
            f"{name:8} P {figures['precision']:.3f}  R {figures['recall']:.3f}  F1 {figures['f1']:.3f}"
        )
    print(f"\n{args.errors} commonest errors:")
    for key, n in commonest_errors(result["mismatches"], args.errors):
        print(f"{n:4}  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
