"""Reading on a Dask cluster (``tkg build --engine dask``): the store, the JSON export and the
evaluation are exactly the local build's; bad articles are reported and skipped; the input is
read a bounded number of batches ahead; a scheduler that does not answer is an error, not a
hang."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
from datetime import date
from types import SimpleNamespace

import pytest

pytest.importorskip("distributed")

from distributed import LocalCluster  # noqa: E402
from distributed.scheduler import KilledWorker  # noqa: E402

from graph import nlp, pipeline  # noqa: E402
from graph.articles import IngestError  # noqa: E402
from graph.cli import main  # noqa: E402
from graph.config import SPACY_MODEL  # noqa: E402
from graph.engine_dask import PRIVATE_HTTP, DaskEngine, dask_engine, read_batch  # noqa: E402
from graph.model import Article, Extraction  # noqa: E402
from graph.pipeline import build, reader  # noqa: E402
from graph.store import open_store  # noqa: E402


def _nquads(path) -> list[str]:
    out = io.BytesIO()
    with open_store(path) as store:
        store.dump("nquads", out)
    return sorted(out.getvalue().decode("utf-8").splitlines())


def _export_and_report(path, gold) -> tuple[dict, object]:
    from graph.analysis import timeline
    from graph.evaluate import score
    from graph.export import graph_json
    from graph.statement_search import statement_rows

    with open_store(path) as store:
        system = graph_json(store)
        report = score(system, gold, timeline=lambda speaker, topic: timeline(
            statement_rows(store, speaker=speaker, topic=topic)))
    return system, report


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, text=text, published=date(2024, 9, 5))


ROWS = [
    {"id": "kursk", "text": "Zelensky said on Monday that the Kursk offensive was a success.",
     "published": "2024-09-05"},
    {"id": "talks", "text": "“We are ready to talk,” Putin told reporters in Astana on Friday.",
     "published": "2022-10-14"},
    {"id": "grain", "text": "Erdogan said the grain deal would be extended, officials said.",
     "published": "2022-11-17"},
]


@pytest.fixture(scope="module")
def threads_cluster():
    """A cluster of one worker thread inside this process: quick to start, and monkeypatches
    reach its worker."""
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None, scheduler_kwargs=PRIVATE_HTTP) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def seeds_on_processes(tmp_path_factory, seeds_dir):
    """The seeds built on a LocalCluster of two worker processes, in batches small enough that
    both read, and how many times each worker loaded the spaCy model."""
    patch = pytest.MonkeyPatch()
    patch.setattr(pipeline, "BATCH_CHARS", 3_000)
    path = tmp_path_factory.mktemp("dask-seeds") / "store"
    try:
        with dask_engine(jobs=2, processes=True) as engine, open_store(path) as store:
            summary = build([seeds_dir], store, reader(SPACY_MODEL), engine=engine)
            loads = engine.client.run(lambda: nlp.load.cache_info().misses)
    finally:
        patch.undo()
    return path, summary, loads


def test_seeds_read_on_worker_processes_store_exactly_the_local_build(seeds_on_processes, seeds_built):
    path, summary, _ = seeds_on_processes
    assert summary.articles == 5 and not summary.errors
    dask_quads = _nquads(path)
    assert len(dask_quads) > 1000
    assert dask_quads == _nquads(seeds_built)


def test_seeds_read_on_dask_give_the_local_export_and_eval_report(seeds_on_processes, seeds_built, gold):
    from graph.evaluate import format_report

    path, _, _ = seeds_on_processes
    dask_export, dask_report = _export_and_report(path, gold)
    local_export, local_report = _export_and_report(seeds_built, gold)
    assert dask_export == local_export
    assert dask_report == local_report
    assert dask_report.statements.recall.hits > 0  # a report that could differ: it found something
    assert format_report(dask_report) == format_report(local_report)


def test_every_worker_loads_the_model_once(seeds_on_processes):
    _, _, loads = seeds_on_processes
    assert len(loads) == 2
    assert set(loads.values()) == {1}


def test_a_dask_build_from_the_command_line_stores_what_the_local_one_does(
    threads_cluster, tmp_path, capsys,
):
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in ROWS) + '{"id": "cut", "text": \n',
                      encoding="utf-8")
    local = main(["build", str(source), "--jobs", "1", "--quiet", "--store", str(tmp_path / "local")])
    capsys.readouterr()
    on_dask = main(["build", str(source), "--engine", "dask", "--scheduler",
                    threads_cluster.scheduler_address, "--quiet", "--store", str(tmp_path / "dask")])
    out, err = capsys.readouterr()
    assert (local, on_dask) == (0, 0)
    assert "articles: 3 read, 0 already stored, 1 rejected" in out
    assert "news.jsonl:4" in err
    assert _nquads(tmp_path / "dask") == _nquads(tmp_path / "local")


def test_an_article_a_worker_cannot_read_is_reported_and_the_others_stored(
    threads_cluster, tmp_path, monkeypatch,
):
    real = pipeline.extract

    def failing(article, blocks, context):
        if article.id == "talks":
            raise IndexError("offset 99 out of range")
        return real(article, blocks, context)

    monkeypatch.setattr(pipeline, "extract", failing)
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    with dask_engine(threads_cluster.scheduler_address) as engine, open_store(tmp_path / "s") as store:
        summary = build([source], store, reader(SPACY_MODEL), engine=engine)
        assert store.article_ids() == ["grain", "kursk"]
    assert summary.articles == 2
    assert [(e.source, e.message) for e in summary.errors] == [
        ("talks", "not read: IndexError: offset 99 out of range")]


def test_a_batch_whose_parse_fails_loses_only_the_bad_article(monkeypatch):
    real = nlp.parse_articles

    def parse(articles, model, *, batch_size=32):
        articles = list(articles)
        if any(a.id == "bad" for a in articles):
            raise ValueError("cannot parse")
        return real(articles, model, batch_size=batch_size)

    monkeypatch.setattr(nlp, "parse_articles", parse)
    batch = [_article("a", "Putin said the talks failed."), _article("bad", "Garbage."),
             _article("c", "Biden said so too.")]
    readings = read_batch(batch, SPACY_MODEL)
    assert [type(r).__name__ for r in readings] == ["Extraction", "IngestError", "Extraction"]
    assert [r.article.id for r in readings if isinstance(r, Extraction)] == ["a", "c"]
    assert readings[1] == IngestError("bad", None, "not read: ValueError: cannot parse")


def test_a_batch_that_killed_its_workers_is_reported_article_by_article():
    class Dead:
        def result(self):
            raise KilledWorker("read_batch-1", SimpleNamespace(address="tcp://10.0.0.7:4000"), 3)

    batch = [_article("a", "One."), _article("b", "Two.")]
    message = "not read: the 4 Dask workers that tried its batch all died"
    assert DaskEngine._take(batch, Dead()) == [IngestError("a", None, message), IngestError("b", None, message)]


def test_the_input_is_read_a_bounded_number_of_batches_ahead(threads_cluster, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_ARTICLES", 1)
    pulled: list[str] = []

    def articles():
        for k in range(12):
            pulled.append(f"n{k}")
            yield _article(f"n{k}", f"Zelensky said on Monday that the offensive was a success ({k}).")

    with dask_engine(threads_cluster.scheduler_address) as engine:
        limit = engine.in_flight()
        ahead, ids = [], []
        for reading in engine(articles(), reader(SPACY_MODEL)):
            ahead.append(len(pulled) - len(ids))
            ids.append(reading.article.id)
    assert limit == 2  # one worker thread
    assert max(ahead) <= limit
    assert ids == [f"n{k}" for k in range(12)]


def test_a_reader_the_workers_cannot_rebuild_is_refused(threads_cluster):
    import dataclasses

    other = dataclasses.replace(reader(SPACY_MODEL))
    with dask_engine(threads_cluster.scheduler_address) as engine:
        with pytest.raises(ValueError, match="reader"):
            list(engine([_article("a", "Putin said so.")], other))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_scheduler_that_does_not_answer_is_an_error_not_a_hang():
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    with pytest.raises(ConnectionError, match=f"no Dask scheduler answered at '{address}' within 1 s"):
        with dask_engine(address, connect_timeout_s=1):
            pass
    assert time.monotonic() - started < 10


def test_a_scheduler_without_workers_is_an_error_not_a_hang():
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None,
                      scheduler_kwargs=PRIVATE_HTTP) as empty:
        with pytest.raises(ConnectionError, match="has no worker after 1 s"):
            with dask_engine(empty.scheduler_address, workers_timeout_s=1):
                pass


def test_the_command_line_refuses_a_scheduler_for_the_local_engine(tmp_path, capsys):
    code = main(["build", "--scheduler", "tcp://127.0.0.1:8786", "--store", str(tmp_path / "s")])
    assert code == 2
    assert "use it with --engine dask" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_the_default_engine_never_imports_dask():
    probe = ("import sys; import graph.cli, graph.pipeline; "
             "sys.exit(any(m.split('.')[0] in {'dask', 'distributed'} for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", probe], check=False, timeout=60).returncode == 0
