"""Kill ``tkg build`` with SIGKILL at random moments and check that nothing committed is lost.

    .venv/bin/python bench/kill_build.py [--kills 20] [--articles 60] [--seed 7]

Takes ``--articles`` articles from the real corpora (``../shared/corpora``), builds them once
without interruption as the reference, then runs ``tkg build`` of the same input into a fresh
store ``--kills`` times, each killed (``kill -9``) after a random delay, and after every kill:

- opens the store (a writer session, which also publishes what the dead build committed);
- checks that every article stored before the kill is still there (none lost) and that every
  stored article's graph is exactly the reference reading of it (none partial);
- counts how far the build got.

A last uninterrupted run then completes the build; its articles and links must equal the
reference. Prints one line per kill and a summary: kills, store reopened, articles lost, partial
articles, final store equal to the reference.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
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


def build(source: Path, store: Path, *, kill_after: float | None = None) -> bool:
    """Run ``tkg build``; with ``kill_after``, SIGKILL it then. True when it ran to its end."""
    command = [*TKG, "build", str(source), "--store", str(store), "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=kill_after)
        return process.returncode == 0
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return False


#: One graph's triples with each object's datatype and language, so "1" and 1 differ.
_TRIPLES = ("SELECT ?s ?p ?o (DATATYPE(?o) AS ?type) (LANG(?o) AS ?lang) "
            "WHERE { GRAPH ?g { ?s ?p ?o } }")


def _triples(opened, graph) -> list[str]:
    return sorted(" ".join(str(r[k]) for k in ("s", "p", "o", "type", "lang"))
                  for r in opened.select(_TRIPLES, g=graph))


def article_quads(store: Path) -> dict[str, list[str]]:
    """Each stored article's graph as sorted triples (article graphs hold no blank nodes)."""
    with open_store(store) as opened:
        return {article_id: _triples(opened, article_graph(article_id)) for article_id in opened.article_ids()}


def links(store: Path) -> list[str]:
    with open_store(store) as opened:
        return _triples(opened, LINKS_GRAPH)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="tkg-kill-") as scratch:
        work = Path(scratch)
        source = work / "articles.jsonl"
        source.write_text("\n".join(corpus_sample(args.articles, args.seed)) + "\n", encoding="utf-8")
        reference_store = work / "reference"
        started = time.monotonic()
        if not build(source, reference_store):
            print("the reference build failed", file=sys.stderr)
            return 1
        full_time = time.monotonic() - started
        reference = article_quads(reference_store)
        reference_links = links(reference_store)
        print(f"reference: {len(reference)} articles built in {full_time:.1f} s")
        store = work / "killed"
        before: set[str] = set()
        reopened = lost = partial = 0
        for kill in range(1, args.kills + 1):
            delay = rng.uniform(0.2 * full_time, full_time)
            finished = build(source, store, kill_after=delay)
            try:
                now = article_quads(store)
            except Exception as error:  # noqa: BLE001 - any failure to reopen is the finding
                print(f"kill {kill:2}: after {delay:5.1f} s the store did not reopen: {error}")
                continue
            reopened += 1
            missing = before - set(now)
            broken = [a for a, quads in now.items() if quads != reference.get(a)]
            lost += len(missing)
            partial += len(broken)
            print(f"kill {kill:2}: after {delay:5.1f} s{' (finished first)' if finished else ''}: "
                  f"{len(now)}/{len(reference)} articles stored, {len(missing)} lost, {len(broken)} partial")
            before = set(now)
        completed = build(source, store)
        equal = completed and article_quads(store) == reference and links(store) == reference_links
        print(json.dumps({"kills": args.kills, "reopened": reopened, "lost": lost, "partial": partial,
                          "final_equals_reference": equal}))
        return 0 if reopened == args.kills and not lost and not partial and equal else 1


if __name__ == "__main__":
    sys.exit(main())
