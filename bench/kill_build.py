"""Kill ``tkg build`` with SIGKILL at random moments and check that nothing committed is lost.

    .venv/bin/python bench/kill_build.py [--kills 20] [--articles 300] [--seed 7]

Takes ``--articles`` articles from the real corpora (``../shared/corpora``), builds them once
without interruption as the reference (taking ``T`` seconds), then runs ``tkg build`` of the same
input ``--kills`` times, each killed (``kill -9``) after a random delay between ``--earliest``
and ``--latest`` times ``T``. Each run continues in the store the killed one left (stored
articles are skipped), so the kills fall while articles are being written, then while the links
are computed; a run that ends before its kill is checked against the reference, and the next
run starts a fresh store. Where each kill fell is read from the build's
progress on stderr: *starting* (loading, or skipping the articles stored before), *ingest*
(articles being read and stored), *linking* (every article stored, links being computed) or
*done* (the build had ended). After every kill:

- opens the store (a writer session, which also publishes what the dead build committed);
- checks that every article stored before the kill is still there (none lost) and that every
  stored article's graph is exactly the reference reading of it (none partial);
- counts how far the build got.

A last uninterrupted run then completes the build; its articles and links, like those of every
run that ended, must equal the reference. Prints one line per kill and a JSON summary: kills,
store reopened, articles lost, partial articles, kills per phase, kills of a run that had stored
new articles, builds completed and how many differ from the reference, seconds taken.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.store import open_store
from graph.vocab import LINKS_GRAPH, article_graph

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
TKG = [sys.executable, "-m", "graph"]


def corpus_sample(count: int, seed: int) -> list[str]:
    """``count`` JSON lines drawn from the corpora, reproducibly."""
    lines = list(itertools.chain.from_iterable(
        path.read_text(encoding="utf-8").splitlines() for path in sorted(CORPORA.glob("*.jsonl"))))
    return random.Random(seed).sample(lines, count)


#: A progress line of ``tkg build --progress``: ``reading:  12%| … | 24/200 […``.
_READ = re.compile(r"reading:.*?\|\s*(\d+)/")
_LINKING = "linking the articles"


def phase(progress: str, finished: bool, stored: int = 0) -> str:
    """Where a build was when it ended or was killed, from its ``--progress`` output; ``stored``
    articles were in the store before it started (it skips those first, writing nothing)."""
    if finished:
        return "done"
    if _LINKING in progress:
        return "linking"
    read = [int(count) for count in _READ.findall(progress)]
    return "ingest" if read and max(read) > stored else "starting"


def build(source: Path, store: Path, *, kill_after: float | None = None,
          stored: int = 0) -> tuple[bool, str]:
    """Run ``tkg build``; with ``kill_after``, SIGKILL it then. Whether it ran to its end, and
    the phase it was in (:func:`phase`; ``stored`` articles were in the store before)."""
    command = [*TKG, "build", str(source), "--store", str(store), "--progress"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        try:
            process.wait(timeout=kill_after)
            finished = process.returncode == 0
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            finished = False
        log.seek(0)
        progress = log.read().decode("utf-8", "replace")
    return finished, phase(progress, finished, stored)


#: One graph's triples with each object's datatype and language, so "1" and 1 differ.
_TRIPLES = ("SELECT ?s ?p ?o (DATATYPE(?o) AS ?type) (LANG(?o) AS ?lang) "
            "WHERE { GRAPH ?g { ?s ?p ?o } }")


def _triples(opened, graph) -> list[str]:
    return sorted(" ".join(str(r[k]) for k in ("s", "p", "o", "type", "lang"))
                  for r in opened.select(_TRIPLES, g=graph))


def article_quads(store: Path) -> dict[str, list[str]]:
    """Each stored article's graph as sorted triples (article graphs hold no blank nodes)."""
    with open_store(store) as opened:
        return {article_id: _triples(opened, article_graph(article_id))
                for article_id in opened.article_ids()}


def links(store: Path) -> list[str]:
    with open_store(store) as opened:
        return _triples(opened, LINKS_GRAPH)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--earliest", type=float, default=0.3,
                        help="shortest delay before a kill, times the reference build's time")
    parser.add_argument("--latest", type=float, default=0.9,
                        help="longest delay before a kill, times the reference build's time")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tkg-kill-") as scratch:
        work = Path(scratch)
        source = work / "articles.jsonl"
        lines = corpus_sample(args.articles, args.seed)
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        reference_store = work / "reference"
        started = time.monotonic()
        if not build(source, reference_store)[0]:
            print("the reference build failed", file=sys.stderr)
            return 1
        full_time = time.monotonic() - started
        reference = article_quads(reference_store)
        reference_links = links(reference_store)
        print(f"reference: {len(reference)} articles built in {full_time:.1f} s", flush=True)
        fresh = (work / f"killed-{number}" for number in itertools.count(1))
        store, before = next(fresh), set()
        reopened = lost = partial = wrote = completed = unequal = 0
        phases = dict.fromkeys(("starting", "ingest", "linking", "done"), 0)
        for kill in range(1, args.kills + 1):
            delay = rng.uniform(args.earliest * full_time, args.latest * full_time)
            finished, where = build(source, store, kill_after=delay, stored=len(before))
            phases[where] += 1
            try:
                now = article_quads(store)
            except Exception as error:  # noqa: BLE001 - any failure to reopen is the finding
                print(f"kill {kill:2}: after {delay:5.1f} s the store did not reopen: {error}")
                continue
            reopened += 1
            missing = before - set(now)
            broken = [a for a, quads in now.items() if quads != reference.get(a)]
            lost += len(missing)
            wrote += bool(set(now) - before)
            partial += len(broken)
            print(f"kill {kill:2}: after {delay:5.1f} s, {where:>8}: {len(now)}/{len(reference)} "
                  f"articles stored, {len(missing)} lost, {len(broken)} partial", flush=True)
            before = set(now)
            if finished:
                same = now == reference and links(store) == reference_links
                completed, unequal = completed + 1, unequal + (not same)
                print(f"         the build ended first; equal to the reference: {same}; "
                      f"the next run starts a fresh store", flush=True)
                shutil.rmtree(store)
                store, before = next(fresh), set()
        finished, _ = build(source, store)
        completed, unequal = completed + 1, unequal + (not finished)
        equal = finished and article_quads(store) == reference and links(store) == reference_links
        unequal += finished and not equal
        print(json.dumps({"articles": len(reference), "kills": args.kills, "reopened": reopened,
                          "lost": lost, "partial": partial, "phases": phases,
                          "kills_after_new_articles_stored": wrote, "builds_completed": completed,
                          "completed_unequal_to_reference": unequal,
                          "reference_s": round(full_time, 1),
                          "total_s": round(time.monotonic() - began, 1)}))
        return 0 if reopened == args.kills and not lost and not partial and not unequal else 1

if __name__ == "__main__":
    sys.exit(main())
