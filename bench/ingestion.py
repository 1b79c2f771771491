"""Ingestion rate next to the raw spaCy parse rate of the same texts, measured in one run.

    .venv/bin/python bench/ingestion.py [../shared/corpora/*.jsonl] [--limit N] [--jobs 2] [--rounds 1]

Each round runs three phases one after the other, each in a fresh child process so that none
inherits another's caches or memory:

1. **spaCy**: the model loaded and the texts read first (not timed), then
   ``nlp.pipe(texts, n_process=JOBS)`` over the blocks the build parses
   (:func:`graph.nlp.blocks_of`: the lines of each article, furniture left out), with the
   model and components the build uses, every Doc consumed;
2. **build**: the same articles written to a temporary ``.jsonl``, then
   :func:`graph.pipeline.ingest` with ``jobs=JOBS`` from it into a fresh temporary store, timed
   as a whole (workers started, articles read from the file, parsed, read, stored), then
   :func:`graph.pipeline.relink` timed on its own;
3. **split**: the same texts cut into JOBS shares of equal size, each parsed by
   ``nlp.pipe`` in its own forked process that keeps its Docs (the model loaded before the
   fork, not timed): the parse alone at its best on JOBS cores, a stricter baseline than 1,
   which sends every Doc back to the parent.

Every rate counts the same words (:func:`graph.pipeline.word_count` of each article's text), so
a ratio is a spaCy time over the build time. Peak RSS is the child's own and, separately,
that of its largest worker process; the build's is taken before the relink, whose own peak
(the child's, up to the end of the relink) is printed on its line. The load average is
printed around each phase: the machine may be shared, and a busy neighbour slows whichever
phase it overlaps.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from graph.articles import IngestError, read_articles
from graph.config import PROJECT_ROOT, SPACY_MODEL
from graph.model import Article

CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"


def _articles(sources: list[Path], limit: int | None) -> Iterator[Article]:
    found = (a for s in sources for a in read_articles(s) if not isinstance(a, IngestError))
    return islice(found, limit)


def _peaks() -> dict[str, float]:
    """Peak resident memory in MB of this process and of its largest finished child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rss_main": own, "rss_worker": children}


def phase_spacy(sources: list[Path], limit: int | None, jobs: int) -> dict[str, float]:
    from graph.nlp import blocks_of, load
    from graph.pipeline import word_count

    nlp = load(SPACY_MODEL)
    articles = list(_articles(sources, limit))
    texts = [text for article in articles for _, text in blocks_of(article)]
    words = sum(word_count(article.text) for article in articles)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=jobs):
        pass
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "articles": len(articles), "words": words, **_peaks()}


def _parse_share(texts: list[str]) -> None:
    from graph.nlp import load

    for _ in load(SPACY_MODEL).pipe(texts):
        pass


def phase_split(sources: list[Path], limit: int | None, jobs: int) -> dict[str, float]:
    """The parse alone, split evenly (by characters) over ``jobs`` forked processes that keep
    their Docs: what two cores can parse at best, with nothing sent back."""
    import multiprocessing

    from graph.nlp import blocks_of, load
    from graph.pipeline import word_count

    load(SPACY_MODEL)  # loaded before the fork: the processes share it
    articles = list(_articles(sources, limit))
    texts = [text for article in articles for _, text in blocks_of(article)]
    words = sum(word_count(article.text) for article in articles)
    total, shares, share, size = sum(map(len, texts)), [], [], 0
    for text in texts:
        share.append(text)
        size += len(text)
        if size >= total * (len(shares) + 1) / jobs and len(shares) < jobs - 1:
            shares.append(share)
            share = []
    shares.append(share)
    fork = multiprocessing.get_context("fork")
    started = time.perf_counter()
    workers = [fork.Process(target=_parse_share, args=(part,)) for part in shares]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "articles": len(articles), "words": words, **_peaks()}


def phase_build(sources: list[Path], limit: int | None, jobs: int) -> dict[str, float]:
    from graph.pipeline import ingest, reader, relink, word_count
    from graph.store import open_store

    context = reader(SPACY_MODEL)
    with tempfile.TemporaryDirectory() as folder:
        chosen = Path(folder) / "input.jsonl"
        words = 0
        with chosen.open("w", encoding="utf-8") as out:  # the same articles as the spaCy phase
            for article in _articles(sources, limit):
                words += word_count(article.text)
                out.write(json.dumps({
                    "id": article.id, "text": article.text, "title": article.title,
                    "published": article.published.isoformat() if article.published else None,
                    "source": article.source, "url": article.url,
                }) + "\n")
        with open_store(Path(folder) / "store") as store:
            started = time.perf_counter()
            summary = ingest([chosen], store, context, jobs=jobs)
            seconds = time.perf_counter() - started
            ingest_peaks = _peaks()
            started = time.perf_counter()
            linked = relink(store, context)
            relink_seconds = time.perf_counter() - started
        store_mb = sum(p.stat().st_size for p in (Path(folder) / "store").rglob("*") if p.is_file()) / 1e6
    return {
        "seconds": seconds, "articles": summary.articles, "words": words,
        "rejected": len(summary.errors), "relink_seconds": relink_seconds,
        "statements": len(linked.statements), "events": len(linked.events), "store_mb": store_mb,
        **ingest_peaks, "rss_relink": _peaks()["rss_main"],
    }


def _run_phase(name: str, args: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, __file__, "--phase", name, "--jobs", str(args.jobs),
               *(["--limit", str(args.limit)] if args.limit else []), *map(str, args.sources)]
    before = os.getloadavg()[0]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = (before, os.getloadavg()[0])
    return result


def _line(label: str, r: dict[str, float]) -> str:
    return (f"{label:<34} {r['seconds']:8.1f} s {r['articles'] / r['seconds']:8.2f} {r['words'] / r['seconds']:9,.0f}"
            f"   {r['rss_main']:6,.0f} MB / {r['rss_worker']:6,.0f} MB   {r['load'][0]:.2f} → {r['load'][1]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", type=Path, help="corpus files (default: ../shared/corpora/*.jsonl)")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--jobs", type=int, default=2, help="processes of both phases (default 2)")
    parser.add_argument("--rounds", type=int, default=1, help="spaCy-then-build rounds (default 1)")
    parser.add_argument("--phase", choices=["spacy", "split", "build"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.sources = args.sources or sorted(CORPORA.glob("*.jsonl"))
    if args.phase:
        run = {"spacy": phase_spacy, "split": phase_split, "build": phase_build}[args.phase]
        print(json.dumps(run(args.sources, args.limit, args.jobs)))
        return 0

    print(f"sources: {', '.join(map(str, args.sources))}; limit {args.limit or 'none'}; "
          f"jobs {args.jobs}; {os.cpu_count()} CPUs")
    print(f"{'phase':<34} {'time':>10} {'art/s':>8} {'words/s':>9}   {'peak RSS main / worker':<24}"
          f"  load (1 min) before → after")
    ratios, ideal = [], []
    for _ in range(args.rounds):
        raw = _run_phase("spacy", args)
        built = _run_phase("build", args)
        split = _run_phase("split", args)
        print(_line(f"spaCy nlp.pipe n_process={args.jobs}", raw))
        print(_line(f"build --jobs {args.jobs} (read + store)", built))
        print(f"{'  relink (after the build)':<34} {built['relink_seconds']:8.1f} s"
              f"{'':30}{built['rss_relink']:6,.0f} MB")
        print(f"  {built['articles']} articles stored ({built['rejected']} rejected), {raw['words']:,} words; "
              f"{built['statements']:,} statements, {built['events']:,} events; store {built['store_mb']:,.0f} MB")
        print(_line(f"spaCy split over {args.jobs} processes", split))
        ratios.append(raw["seconds"] / built["seconds"])
        ideal.append(split["seconds"] / built["seconds"])
        print(f"  ratio build / spaCy nlp.pipe words/s: {ratios[-1]:.2f}; "
              f"build / spaCy split: {ideal[-1]:.2f}")
    if len(ratios) > 1:
        print(f"ratios to nlp.pipe: {', '.join(f'{r:.2f}' for r in ratios)}, mean {sum(ratios) / len(ratios):.2f}; "
              f"to the split parse: {', '.join(f'{r:.2f}' for r in ideal)}, mean {sum(ideal) / len(ideal):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
