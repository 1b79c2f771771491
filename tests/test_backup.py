"""``tkg backup`` / ``tkg restore``: a backup taken while another process ingests holds exactly
the generation published at that moment, restores into a store that readers open and writers
write, and restore refuses what is not a whole backup and stores that a writer holds."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fixtures_rdf import extraction_000

from graph import backup as backups
from graph.cli import main
from graph.config import PROJECT_ROOT
from graph.export import graph_json
from graph.model import Extraction
from graph.store import StoreLockedError, open_reader, open_store

X000 = extraction_000()
#: Most articles the ingesting process writes, one writer session (one generation) each.
INGESTED = 60


def copy_of(article_id: str) -> Extraction:
    """Seed 000's reading stored under another article id (a distinct article graph)."""
    return replace(X000, article=replace(X000.article, id=article_id),
                   statements=tuple(replace(s, article_id=article_id) for s in X000.statements),
                   events=tuple(replace(e, article_id=article_id) for e in X000.events))


def nquads(store_path: Path) -> list[str]:
    """The latest published generation of a store as sorted N-Quads lines."""
    with open_reader(store_path) as store:
        out = io.BytesIO()
        store.dump("nquads", out)
    return sorted(out.getvalue().decode("utf-8").splitlines())


def as_json(store_path: Path) -> dict:
    with open_reader(store_path) as store:
        return graph_json(store)


INGEST = """
    import pickle, time
    from pathlib import Path
    from graph.store import open_store
    for reading in pickle.load(open({readings!r}, "rb")):
        if Path({stop!r}).exists():
            break
        with open_store({store!r}) as store:
            store.put_article(reading)
        print(reading.article.id, flush=True)
        time.sleep(0.05)
"""


@pytest.fixture(scope="module")
def seeds_store(seeds_copy) -> Path:
    """A built seeds store, never changed by the tests (they back it up or copy it)."""
    return seeds_copy()


def test_backup_during_an_ingest_restores_the_generation_published_then(
        seeds_copy, tmp_path):
    store = seeds_copy()
    seeds_articles = len(as_json(store)["articles"])
    readings = tmp_path / "readings.pickle"
    copies = [copy_of(f"ingested{n:02}") for n in range(INGESTED)]
    readings.write_bytes(pickle.dumps(copies))
    stop = tmp_path / "stop"
    script = textwrap.dedent(INGEST).format(readings=os.fspath(readings), store=os.fspath(store),
                                            stop=os.fspath(stop))
    writer = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, text=True,
                              stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": os.fspath(PROJECT_ROOT)})
    try:
        for _ in range(3):
            writer.stdout.readline()
        info = backups.backup(store, tmp_path / "backup")
        still_writing = writer.poll() is None
        stop.touch()
        written = 3 + len(writer.stdout.read().split())
    finally:
        stop.touch()
        writer.wait(timeout=60)
        writer.stdout.close()
    assert writer.returncode == 0
    assert still_writing and written < INGESTED, "the ingest ended first: the test proves nothing"
    taken = info.articles - seeds_articles
    assert 3 <= taken <= written
    assert not list(tmp_path.glob("backup.tmp-*"))

    # What was published at the backup point: the seeds and the first `taken` ingested copies.
    reference = seeds_copy()
    with open_store(reference) as writer_session:
        for reading in copies[:taken]:
            writer_session.put_article(reading)
    restored = tmp_path / "restored"
    result = backups.restore(tmp_path / "backup", restored)
    assert result.previous is None and result.backup.generation == info.generation
    assert nquads(restored) == nquads(reference)
    with open_reader(restored) as store:
        assert len(store) == info.triples  # the exported graphs and the read model
    assert as_json(restored) == as_json(reference)
    assert as_json(restored)["statements"]  # the seeds' linked statements came back too

    with open_store(restored) as again:  # the restored store takes writes
        again.put_article(copy_of("after-restore"))
    assert "after-restore" in {a["id"] for a in as_json(restored)["articles"]}


def test_restore_replaces_a_store_and_keeps_the_replaced_one_aside(seeds_store, seeds_copy,
                                                                   tmp_path):
    backups.backup(seeds_store, tmp_path / "backup")
    target = seeds_copy()
    with open_store(target) as writer:
        writer.put_article(copy_of("added-later"))
    before = nquads(target)
    with open_reader(target) as reader:
        replaced_generation = reader.generation
    result = backups.restore(tmp_path / "backup", target)
    assert nquads(target) == nquads(seeds_store)
    assert result.generation > replaced_generation  # a running API must see a new generation
    assert result.previous is not None and result.previous.parent == target.parent
    assert nquads(result.previous) == before


def test_a_running_api_serves_the_restored_store(seeds_store, seeds_copy, tmp_path,
                                                 monkeypatch):
    from api.app import create_app

    backups.backup(seeds_store, tmp_path / "backup")
    served = seeds_copy()
    with open_store(served) as writer:
        writer.put_article(copy_of("added-later"))
    monkeypatch.delenv("TKG_WRITE_TOKEN", raising=False)
    with TestClient(create_app(served)) as client:
        listed = {a["id"] for a in client.get("/articles").json()["items"]}
        assert "added-later" in listed
        backups.restore(tmp_path / "backup", served)
        after = {a["id"] for a in client.get("/articles").json()["items"]}
    assert after == listed - {"added-later"}


def test_restore_refuses_a_store_held_by_a_writer(seeds_store, seeds_copy, tmp_path):
    backups.backup(seeds_store, tmp_path / "backup")
    target = seeds_copy()
    before = nquads(target)
    opened, done = threading.Event(), threading.Event()

    def hold() -> None:
        with open_store(target):
            opened.set()
            done.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        opened.wait(30)
        with pytest.raises(StoreLockedError, match=r"being written by pid \d+"):
            backups.restore(tmp_path / "backup", target)
    finally:
        done.set()
        holder.join()
    assert nquads(target) == before
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def _damage(backup: Path, how: str) -> None:
    manifest_path = backup / backups.MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    data = backup / backups.DATA
    biggest = max((p for p in data.iterdir() if p.is_file()), key=lambda p: p.stat().st_size)
    if how == "no manifest":
        manifest_path.unlink()
    elif how == "not json":
        manifest_path.write_text("{not json", encoding="utf-8")
    elif how == "other format":
        manifest_path.write_text(json.dumps({**manifest, "format": "something-else"}))
    elif how == "future version":
        manifest_path.write_text(json.dumps({**manifest, "format_version": 99}))
    elif how == "flipped byte":
        content = bytearray(biggest.read_bytes())
        content[len(content) // 2] ^= 0xFF
        biggest.write_bytes(bytes(content))
    elif how == "truncated file":
        biggest.write_bytes(biggest.read_bytes()[:-100])
    elif how == "missing file":
        biggest.unlink()
    elif how == "extra file":
        (data / "000999.sst").write_bytes(b"x")


@pytest.mark.parametrize(("how", "message"), [
    ("no manifest", "not a timeline-kg backup"),
    ("not json", "not a readable backup manifest"),
    ("other format", "not a timeline-kg backup"),
    ("future version", "format version 99"),
    ("flipped byte", "damaged"),
    ("truncated file", "damaged"),
    ("missing file", "missing files"),
    ("extra file", "not in its manifest"),
])
def test_restore_refuses_what_is_not_a_whole_backup(seeds_store, seeds_copy, tmp_path, how,
                                                    message):
    backup = tmp_path / "backup"
    backups.backup(seeds_store, backup)
    _damage(backup, how)
    target = seeds_copy()
    before = nquads(target)
    with pytest.raises(ValueError, match=message):
        backups.restore(backup, target)
    assert nquads(target) == before
    with pytest.raises(ValueError, match=message):
        backups.restore(backup, tmp_path / "new-store")
    assert not (tmp_path / "new-store").exists()


def test_restore_refuses_a_store_path_holding_something_else(seeds_store, tmp_path):
    backups.backup(seeds_store, tmp_path / "backup")
    other = tmp_path / "documents"
    other.mkdir()
    (other / "letter.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValueError, match="not a timeline-kg store"):
        backups.restore(tmp_path / "backup", other)
    assert [p.name for p in other.iterdir()] == ["letter.txt"]


def test_backup_refuses_an_existing_destination_and_a_missing_store(seeds_store, tmp_path):
    (tmp_path / "taken").mkdir()
    with pytest.raises(ValueError, match="already exists"):
        backups.backup(seeds_store, tmp_path / "taken")
    with pytest.raises(ValueError, match="no store directory"):
        backups.backup(tmp_path / "nowhere", tmp_path / "backup")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_backup_failing_midway_leaves_no_destination(seeds_store, tmp_path, monkeypatch):
    copied = []
    real = backups._copy_file

    def failing(source: Path, target: Path) -> dict:
        if len(copied) == 2:
            raise OSError(28, "No space left on device")
        copied.append(source)
        return real(source, target)

    monkeypatch.setattr(backups, "_copy_file", failing)
    with pytest.raises(OSError, match="No space left"):
        backups.backup(seeds_store, tmp_path / "backup")
    assert list(tmp_path.iterdir()) == []


def test_the_manifest_describes_the_backup(seeds_store, tmp_path):
    info = backups.backup(seeds_store, tmp_path / "backup")
    manifest = json.loads((tmp_path / "backup" / backups.MANIFEST).read_text(encoding="utf-8"))
    with open_reader(seeds_store) as reader:
        assert (manifest["generation"], manifest["triples"]) == (reader.generation, len(reader))
        assert manifest["articles"] == len(reader.article_ids()) == info.articles
    assert manifest["format"] == backups.FORMAT and manifest["format_version"] == 1
    assert manifest["created"] == info.created
    assert backups.inspect(tmp_path / "backup") == info


def test_the_commands(seeds_store, tmp_path, capsys):
    assert main(["backup", str(seeds_store), str(tmp_path / "backup")]) == 0
    assert "backed up generation" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "backup"), str(tmp_path / "store")]) == 0
    assert "restored" in capsys.readouterr().out
    assert nquads(tmp_path / "store") == nquads(seeds_store)
    assert main(["restore", str(seeds_store), str(tmp_path / "store")]) == 2
    assert "not a timeline-kg backup" in capsys.readouterr().err
