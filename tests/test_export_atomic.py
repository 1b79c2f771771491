"""Exports to a file are atomic: a writer killed (``kill -9``) or failing mid-write leaves the
previous file byte for byte, and no temporary file outlives the next successful export."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures_rdf import extraction_000

from graph import export
from graph.config import PROJECT_ROOT
from graph.export import export_to_path
from graph.model import Extraction
from graph.store import open_reader, open_store

X000 = extraction_000()
#: Copies of seed 000's reading in the large store: 283 quads each, about 3 MB of N-Quads.
COPIES = 40


def copy_of(article_id: str) -> Extraction:
    """Seed 000's reading stored under another article id (a distinct article graph)."""
    return replace(X000, article=replace(X000.article, id=article_id),
                   statements=tuple(replace(s, article_id=article_id) for s in X000.statements),
                   events=tuple(replace(e, article_id=article_id) for e in X000.events))


@pytest.fixture(scope="module")
def large_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export-atomic") / "store"
    with open_store(path) as store:
        for number in range(COPIES):
            store.put_article(copy_of(f"big{number}"))
    return path


def temporaries(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


#: Exports the store as N-Quads through a file that, once ``after`` bytes are written, says so
#: on stdout and stalls: the test kills the process there, in the middle of the real writer.
STALLING_EXPORT = """
    import sys, time
    from pathlib import Path
    from graph import export
    from graph.store import open_reader

    class Stalling:
        def __init__(self, fp, after):
            self.fp, self.after, self.written = fp, after, 0

        def write(self, data):
            count = self.fp.write(data)
            self.written += len(data)
            if self.written >= self.after:
                self.fp.flush()
                print("stalled", self.written, flush=True)
                time.sleep(600)
            return count

        def __getattr__(self, name):
            return getattr(self.fp, name)

    export.register_writer(
        "stalling", lambda store, fp: export.export(store, "nquads", Stalling(fp, {after})))
    with open_reader({store!r}) as store:
        export.export_to_path(store, "stalling", Path({target!r}))
"""


def test_kill_9_mid_write_leaves_the_previous_file_and_the_next_export_cleans_up(
        large_store, tmp_path):
    target = tmp_path / "graph.nq"
    target.write_bytes(b"<urn:x> <urn:y> <urn:previous> .\n")
    previous = target.read_bytes()
    script = textwrap.dedent(STALLING_EXPORT).format(after=1 << 16, store=os.fspath(large_store),
                                                     target=os.fspath(target))
    process = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, text=True,
                               stdout=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": os.fspath(PROJECT_ROOT)})
    try:
        line = process.stdout.readline()
        assert line.startswith("stalled"), line
        [left] = temporaries(tmp_path)
        assert (tmp_path / left).stat().st_size >= 1 << 16  # the export was half-way through
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
    assert target.read_bytes() == previous
    with open_reader(large_store) as store:
        export_to_path(store, "nquads", target)
        quads = len(store)
    assert temporaries(tmp_path) == []
    lines = target.read_bytes().decode("utf-8").splitlines()
    assert len(lines) == quads == COPIES * 283
    assert "<urn:previous>" not in lines[0]


class Failing(Exception):
    """The injected failure."""


def failing_writer(store, fp) -> None:
    fp.write(b"<urn:s> <urn:p> <urn:half-written> .\n")
    raise Failing("the disk went away")


def interrupted_writer(store, fp) -> None:
    fp.write(b"<urn:s> <urn:p> <urn:half-written> .\n")
    raise KeyboardInterrupt


@pytest.mark.parametrize(("writer", "error"), [(failing_writer, Failing),
                                               (interrupted_writer, KeyboardInterrupt)])
@pytest.mark.parametrize("existed", [True, False])
def test_a_failing_writer_leaves_the_previous_file_and_no_temporary(
        large_store, tmp_path, monkeypatch, writer, error, existed):
    monkeypatch.setitem(export._WRITERS, "broken", writer)
    target = tmp_path / "graph.nq"
    if existed:
        target.write_bytes(b"previous contents\n")
    with open_reader(large_store) as store, pytest.raises(error):
        export_to_path(store, "broken", target)
    assert temporaries(tmp_path) == []
    if existed:
        assert target.read_bytes() == b"previous contents\n"
    else:
        assert not target.exists()


def test_an_unknown_format_leaves_nothing_behind(large_store, tmp_path):
    with open_reader(large_store) as store, pytest.raises(ValueError, match="turtel"):
        export_to_path(store, "turtel", tmp_path / "graph.ttl")
    assert os.listdir(tmp_path) == []


def test_temporaries_of_live_exports_are_kept_and_of_dead_ones_removed(large_store, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    target = tmp_path / "graph.json"
    stale = tmp_path / f".graph.json.{dead.stdout.strip()}.abc123.tmp"
    live = tmp_path / f".graph.json.{os.getppid()}.def456.tmp"
    other = tmp_path / f".other.json.{dead.stdout.strip()}.abc123.tmp"
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    with open_reader(large_store) as store:
        export_to_path(store, "json", target)
    assert temporaries(tmp_path) == sorted([live.name, other.name])


@pytest.mark.parametrize(("mode", "expected"), [(None, 0o644), (0o640, 0o640), (0o600, 0o600)])
def test_the_file_keeps_its_permissions(large_store, tmp_path, mode, expected):
    target = tmp_path / "graph.ttl"
    if mode is not None:
        target.write_bytes(b"old")
        target.chmod(mode)
    with open_reader(large_store) as store:
        export_to_path(store, "nquads", target)
    assert stat.S_IMODE(target.stat().st_mode) == expected
