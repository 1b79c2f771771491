"""Several processes on one store: writers killed mid-write, writers at once, readers in other
processes, SPARQL workers, and REST ingests beside a CLI build on a served store."""

from __future__ import annotations

import json
import os
import pickle
import random
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures_rdf import extraction_000
from loopback import serving

from graph import snapshots
from graph.config import PROJECT_ROOT
from graph.model import Extraction
from graph.store import Store, open_reader, open_store

TESTS = Path(__file__).resolve().parent
X000 = extraction_000()


def copy_of(article_id: str) -> Extraction:
    """Seed 000's reading stored under another article id (a distinct article graph)."""
    article = replace(X000.article, id=article_id)
    return replace(X000, article=article,
                   statements=tuple(replace(s, article_id=article_id) for s in X000.statements),
                   events=tuple(replace(e, article_id=article_id) for e in X000.events))


def python(script: str, **kwargs) -> subprocess.Popen:
    """A Python process running ``script`` (the project importable)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], cwd=PROJECT_ROOT,
                            env=env, text=True, **kwargs)


def readings(folder: Path, count: int) -> Path:
    """A pickle of ``count`` copies of seed 000's reading (``k0``…), for writer processes: they
    load it instead of importing the fixtures, which starts them twice as fast."""
    path = folder / "readings.pickle"
    path.write_bytes(pickle.dumps([copy_of(f"k{i}") for i in range(count)]))
    return path


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store whose published generation holds seed 000's reading."""
    path = tmp_path / "store"
    with open_store(path) as writer:
        writer.put_article(X000)
    return path


# ------------------------------------------------------------------ kill -9 in the middle

ONE_LONG_SESSION = """
    import pickle
    from graph.store import open_store
    readings = pickle.load(open({readings!r}, "rb"))
    with open_store({path!r}) as store:
        for i, reading in enumerate(readings):
            store.put_article(reading)
            print(i, flush=True)
"""

MANY_SHORT_SESSIONS = """
    import pickle
    from graph.store import open_store
    readings = pickle.load(open({readings!r}, "rb"))
    for i, reading in enumerate(readings):
        with open_store({path!r}) as store:
            store.put_article(reading)
        print(i, flush=True)
"""


@pytest.mark.parametrize("script", [ONE_LONG_SESSION, MANY_SHORT_SESSIONS],
                         ids=["one-long-session", "many-short-sessions"])
def test_a_writer_killed_mid_write_loses_nothing_committed(store: Path, script: str,
                                                          tmp_path: Path) -> None:
    """Killed at random points (in a write, a checkpoint, a removal): the published generation
    still opens with whole articles only, the store reopens, and every article whose write
    returned is there, whole."""
    chance = random.Random(8)
    pickled = readings(tmp_path, 1000)
    for _ in range(3):
        before = snapshots.latest(store)
        writer = python(script.format(path=str(store), readings=str(pickled)),
                        stdout=subprocess.PIPE)
        assert writer.stdout is not None
        done = [int(writer.stdout.readline())]
        time.sleep(chance.uniform(0.0, 0.3))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        done += [int(line) for line in writer.stdout.read().split()]
        with Store.published(store) as reader:  # as the kill left it, nothing repaired
            if script is ONE_LONG_SESSION:
                assert reader.generation == before
            _assert_whole(reader)
        with open_store(store, timeout_s=5) as reopened:
            stored = set(reopened.article_ids())
            assert {f"k{i}" for i in done} <= stored
            _assert_whole(reopened)
        with open_reader(store) as reader:
            assert set(reader.article_ids()) == stored  # published after the reopen
        assert not snapshots.pending(store)
        assert not [n for n in os.listdir(snapshots.folder(store)) if n.startswith("tmp-")]


def _assert_whole(store: Store) -> None:
    for extraction in store.extractions():
        assert extraction == (X000 if extraction.article.id == X000.article.id
                              else copy_of(extraction.article.id))


# ------------------------------------------------------------------ writers at once

def test_writers_in_separate_processes_take_turns_and_all_land(store: Path,
                                                              tmp_path: Path) -> None:
    script = """
        import pickle
        from graph.store import open_store
        reading = pickle.load(open({readings!r}, "rb"))[{index}]
        with open_store({path!r}, timeout_s=60) as store:
            store.put_article(reading)
    """
    pickled = readings(tmp_path, 8)
    writers = [python(script.format(path=str(store), readings=str(pickled), index=i))
               for i in range(8)]
    assert [w.wait(timeout=60) for w in writers] == [0] * 8
    with open_reader(store) as reader:
        assert set(reader.article_ids()) == {X000.article.id, *(f"k{i}" for i in range(8))}
        _assert_whole(reader)


def test_a_writer_that_cannot_get_the_store_gets_a_clear_error(store: Path) -> None:
    holder = python(f"""
        import time
        from graph.store import open_store
        with open_store({str(store)!r}) as store:
            print("holding", flush=True)
            time.sleep(30)
    """, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        waiter = python(f"""
            from graph.store import StoreLockedError, open_store
            try:
                open_store({str(store)!r}, timeout_s=0.5).__enter__()
            except StoreLockedError as err:
                print(err)
        """, stdout=subprocess.PIPE)
        message = waiter.communicate(timeout=30)[0]
        assert f"being written by pid {holder.pid} (" in message and "gave up after 0.5 s" in message
    finally:
        holder.kill()
        holder.wait(timeout=10)
    with open_reader(store) as reader:  # and nothing was harmed
        assert reader.article_ids() == [X000.article.id]


# ------------------------------------------------------------------ readers in other processes

def test_a_reader_keeps_its_generation_while_newer_ones_replace_it(tmp_path: Path) -> None:
    """With few file descriptors, RocksDB opens table files only when a query needs them: had
    the writer removed the generation a reader has open, the reader's next query would fail
    ("No such file"; measured by removing the lease check). The lease keeps it."""
    script = """
        import pickle, resource
        from pathlib import Path
        from graph import snapshots
        from graph.store import Store, open_store
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (110, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        path = Path({path!r})
        readings = pickle.load(open({readings!r}, "rb"))
        for reading in readings:  # a generation of ~50 table files, past what RocksDB preloads
            with open_store(path) as store:
                store.put_article(reading)
        reader = Store.published(path)
        for _ in range(2):
            with open_store(path) as store:
                store.remove_article(store.article_ids()[0])
        assert snapshots.generation_dir(path, reader.generation).is_dir()
        print(len(reader.article_ids()), sum(len(x.statements) for x in reader.extractions()))
        reader.close()
        with open_store(path) as store:
            pass
        print(sorted(n for n in snapshots.folder(path).iterdir() if n.name.isdigit()) ==
              [snapshots.generation_dir(path, snapshots.latest(path))])
    """
    pickled = readings(tmp_path, 10)
    reader = python(script.format(path=str(tmp_path / "s"), readings=str(pickled)),
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert out.split() == ["10", str(10 * len(X000.statements)), "True"]


def test_a_reader_in_another_process_sees_a_write_once_it_is_committed(store: Path) -> None:
    """The API's per-request read path (a pointer check, then the newest generation)."""
    reader = python(f"""
        import json, sys
        from api.routes_common import StoreHandle
        from pathlib import Path
        handle = StoreHandle(Path({str(store)!r}))
        for line in sys.stdin:
            reader = handle.get()
            print(json.dumps([reader.article_ids(), reader.generation]), flush=True)
    """, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert reader.stdin is not None and reader.stdout is not None

    def ask() -> list:
        reader.stdin.write("?\n")
        reader.stdin.flush()
        return json.loads(reader.stdout.readline())

    try:
        first = snapshots.latest(store)
        assert ask() == [[X000.article.id], first]
        with open_store(store) as writer:
            writer.put_article(copy_of("later"))
            assert ask() == [[X000.article.id], first]  # a session shows when it ends
        assert ask() == [sorted([X000.article.id, "later"]), first + 1]
    finally:
        reader.stdin.close()
        reader.wait(timeout=10)


def _worker_files(parent: int) -> list[str]:
    """Files under any store that the SPARQL worker processes of ``parent`` have open."""
    files = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) != parent or b"sparql_worker_main" not in command:
            continue
        for fd in (entry / "fd").iterdir():
            try:
                files.append(os.readlink(fd))
            except OSError:
                continue
    return files


def _assert_reads_the_published_generation(store: Path) -> None:
    """The worker's open files in the store: the published generation and its lease only."""
    opened = [f for f in _worker_files(os.getpid()) if f.startswith(f"{store}/")]
    generation = snapshots.folder(store) / str(snapshots.latest(store))
    assert any(f.endswith(".sst") for f in opened)
    assert all(f.startswith(f"{generation}/") or f == f"{generation}.lease" for f in opened)


def test_sparql_workers_read_published_generations_only(store: Path) -> None:
    from api.sparql_worker import Job, QueryPool

    count = Job("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", "SELECT", "csv")
    pool = QueryPool(store, size=1)
    try:
        before = int(pool.run(count).body.split()[1])
        _assert_reads_the_published_generation(store)
        with open_store(store) as writer:
            writer.put_article(copy_of("more"))
        after = int(pool.run(count).body.split()[1])
        assert after > before
        _assert_reads_the_published_generation(store)
    finally:
        pool.close()


# ------------------------------------------------------------------ REST ingests beside a CLI build

def _article(i: int) -> dict:
    names = ["Dmytro Kuleba", "Olaf Scholz", "Emmanuel Macron", "Jens Stoltenberg"]
    speaker = names[i % len(names)]
    return {"id": f"rest-{i}", "published": f"2023-05-{i % 28 + 1:02d}", "title": f"Report {i}",
            "text": f"{speaker} said on Monday that talks on grain exports would resume in "
                    f"week {i + 1}. \"We are ready to talk about exports,\" {speaker} told "
                    f"reporters."}


def test_rest_ingests_and_a_cli_build_at_once_all_land(seeds_copy, tmp_path: Path) -> None:
    """Issue 8, concurrent writers: 8 parallel POST /articles to a 2-worker server while
    ``tkg build`` writes the same store from another process."""
    path = seeds_copy()
    batch = tmp_path / "batch.jsonl"
    cli_articles = [{**_article(100 + i), "id": f"cli-{i}"} for i in range(3)]
    batch.write_text("".join(json.dumps(a) + "\n" for a in cli_articles), encoding="utf-8")
    env = {"TKG_WRITE_TOKEN": "t", "TKG_WORKERS": "2", "TKG_SPARQL_WORKERS": "1"}
    with serving(tmp_path, store=path, env=env) as server:
        base = f"http://127.0.0.1:{server.port}"

        def post(article: dict) -> int:
            request = urllib.request.Request(
                f"{base}/articles", data=json.dumps(article).encode(), method="POST",
                headers={"Authorization": "Bearer t", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status

        build = subprocess.Popen([sys.executable, "-m", "graph", "build", str(batch),
                                  "--store", str(path)], cwd=PROJECT_ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(post, [_article(i) for i in range(8)]))
        _, err = build.communicate(timeout=120)
        assert statuses == [200] * 8
        assert build.returncode == 0, err
        with urllib.request.urlopen(f"{base}/articles", timeout=30) as response:
            listed = {item["id"] for item in json.load(response)["items"]}
    expected = {f"rest-{i}" for i in range(8)} | {a["id"] for a in cli_articles}
    assert expected <= listed
    with open_reader(path) as reader:
        assert set(reader.article_ids()) == listed
        from graph.ids import content_hash
        for article in [*map(_article, range(8)), *cli_articles]:
            assert reader.has_article(article["id"], content_hash(article["text"]))
        extractions = {x.article.id: x for x in reader.extractions()}
        assert all(extractions[i].statements for i in expected)  # each read whole, with its words
