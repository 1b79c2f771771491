"""Export throughput per format: seconds, MiB written, triples/s and peak memory.

    .venv/bin/python bench/export_throughput.py --store /tmp/scale10k-store [--formats nquads,turtle]

Each format is exported by a fresh process (``tkg export --store … --format … -o FILE``, the
command users run), so its peak resident memory is its own (``ru_maxrss`` from ``wait4`` on that child). Without
``--store`` the seeds are built into a temporary store first. Output files go to a temporary
folder and are removed at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TKG = [sys.executable, "-m", "graph"]


def _formats() -> list[str]:
    from graph.export import formats

    return formats()


def _triples(store: Path) -> int:
    from graph.store import open_reader

    with open_reader(store) as opened:
        return len(opened)


def export_once(store: Path, format: str, target: Path) -> tuple[float, int, float]:
    """(seconds, bytes written, peak MiB of the exporting process) for one export."""
    began = time.perf_counter()
    child = subprocess.Popen([*TKG, "export", "--store", str(store), "--format", format, "-o", str(target)],
                             cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own resource use
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - began
    if child.returncode != 0:
        raise RuntimeError(f"tkg export --format {format} failed with exit code {child.returncode}")
    return seconds, target.stat().st_size, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (default: the seeds, built now)")
    parser.add_argument("--formats", help="comma-separated formats (default: all)")
    args = parser.parse_args(argv)
    chosen = args.formats.split(",") if args.formats else _formats()
    with tempfile.TemporaryDirectory(prefix="tkg-export-") as folder:
        store = args.store
        if store is None:
            store = Path(folder) / "store"
            subprocess.run([*TKG, "build", "seeds", "--store", str(store), "--quiet"], check=True,
                           cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
        triples = _triples(store)
        print(f"store {store}: {triples:,} triples")
        print(f"{'format':10} {'seconds':>8} {'MiB':>9} {'MiB/s':>7} {'triples/s':>11} {'peak MiB':>9}")
        for format in chosen:
            seconds, size, peak = export_once(store, format, Path(folder) / f"export.{format}")
            print(f"{format:10} {seconds:8.2f} {size / 2**20:9.1f} {size / 2**20 / seconds:7.1f} "
                  f"{triples / seconds:11,.0f} {peak:9,.0f}")
            (Path(folder) / f"export.{format}").unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
