"""Read real corpora into a fresh store and print what the reading looks like.

    .venv/bin/python bench/corpus_reading.py ../shared/corpora/*.jsonl [--sample 20] [--seed 7]

Prints, for the whole run: articles read and rejected, words, wall time, articles/s and
words/s, peak resident memory, statements and events per 1,000 words, the share of reported
utterances left out for want of a speaker, how speakers were resolved, and a reproducible
random sample of statements (speaker, date, how both were found, the words) to judge by eye.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from graph.config import SPACY_MODEL
from graph.pipeline import build, reader
from graph.store import open_store

_WORD = re.compile(r"\w+")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="+", type=Path, help="corpus files or folders")
    parser.add_argument("--sample", type=int, default=20, help="statements to print")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the sample")
    args = parser.parse_args()

    context = reader(SPACY_MODEL)
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "store") as store:
        started = time.perf_counter()
        summary = build(args.sources, store, context)
        elapsed = time.perf_counter() - started
        extractions = list(store.extractions())

    words = sum(len(_WORD.findall(e.article.text)) for e in extractions)
    statements = [s for e in extractions for s in e.statements]
    events = [m for e in extractions for m in e.events]
    unresolved = sum(1 for e in extractions for w in e.warnings if ": no speaker for " in w)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles            {summary.articles} read, {len(summary.errors)} rejected")
    for error in summary.errors[:5]:
        print(f"  rejected: {error}")
    print(f"words               {words:,}")
    print(f"time                {elapsed:.1f} s  ({summary.articles / elapsed:.2f} articles/s, "
          f"{words / elapsed:,.0f} words/s)")
    print(f"peak memory         {peak_mb:,.0f} MB")
    print(f"statements          {len(statements):,} mentions, {summary.statements:,} after merging "
          f"({1000 * len(statements) / max(words, 1):.2f} per 1,000 words)")
    print(f"events              {len(events):,} mentions, {summary.events:,} dated events "
          f"({1000 * summary.events / max(words, 1):.2f} per 1,000 words)")
    print(f"relations           {summary.relations:,}")
    total = len(statements) + unresolved
    print(f"unresolved speaker  {unresolved:,} of {total:,} reported utterances "
          f"({100 * unresolved / max(total, 1):.1f}%) left out")
    print("speaker resolution  " + ", ".join(
        f"{how} {n}" for how, n in Counter(s.speaker_resolution for s in statements).most_common()))
    print("statement kinds     " + ", ".join(
        f"{kind} {n}" for kind, n in Counter(s.kind for s in statements).most_common()))
    print(f"\n{args.sample} statements sampled with seed {args.seed}:")
    for s in random.Random(args.seed).sample(statements, min(args.sample, len(statements))):
        words_said = " ".join(s.quote.split())
        print(f"- [{s.article_id}] {s.speaker.name} ({s.speaker_resolution}) · {s.date.value} "
              f"({s.date.anchor}) · {s.kind}\n    “{words_said[:220]}”")
    return 0


if __name__ == "__main__":
    sys.exit(main())
