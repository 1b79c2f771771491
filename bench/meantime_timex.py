"""Score graph.timex on the MEANTIME English TIMEX3 benchmark (TempEval-3 style).

    .venv/bin/python bench/meantime_timex.py
    .venv/bin/python bench/meantime_timex.py --docs tests/data/meantime/docs.jsonl \
        --gold tests/data/meantime/timex3_gold.jsonl --lines 0

Runs :func:`graph.timex.find_timexes` on every document (published = the document's ``date``)
and prints relaxed span, strict span and value precision/recall/F1 and the commonest errors.
MEANTIME's annotators marked only the title, the dateline and the first sentences of each
article (no gold expression lies past the sixth line), so by default only the first six lines
are read; ``--lines 0`` reads whole documents.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.timex_score import ANNOTATED_LINES, run_benchmark

BENCHMARK = Path("/work/shared/benchmarks/meantime-timex")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        epilog="example: bench/meantime_timex.py --docs docs.jsonl --gold timex3_gold.jsonl",
    )
    parser.add_argument("--docs", type=Path, default=BENCHMARK / "docs.jsonl")
    parser.add_argument("--gold", type=Path, default=BENCHMARK / "timex3_gold.jsonl")
    parser.add_argument(
        "--lines",
        type=int,
        default=ANNOTATED_LINES,
        help=f"read only the first N lines of each document (default {ANNOTATED_LINES}; 0: all)",
    )
    parser.add_argument("--errors", type=int, default=15, help="how many error kinds to list")
    args = parser.parse_args(argv)
    scope = f"first {args.lines} lines of each document" if args.lines > 0 else "whole documents"
    print(f"{args.docs} ({scope})")
    print(run_benchmark(args.docs, args.gold, args.lines, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
