"""The on-disk store: atomic replacement, idempotent writes, exact read-back, locking, readers of
published generations, queries. Several processes at once: ``test_store_concurrency.py``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from fixtures_rdf import (
    SCHEME_TTL,
    extraction_000,
    extraction_002,
    extractions,
    extractions_strategy,
    filled_store,
    linked,
)
from hypothesis import given, settings
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from graph import rdf, snapshots
from graph import store as store_module
from graph.config import ONTOLOGY_DIR
from graph.model import Extraction
from graph.store import (
    Store,
    StoreError,
    StoreLockedError,
    ensure_published,
    open_reader,
    open_store,
)
from graph.vocab import LINKS_GRAPH, ONTOLOGY_GRAPH, article_graph, article_iri

__all__ = ["filled_store"]  # the fixture, imported explicitly (conftest.py is not ours)

X000 = extraction_000()


@pytest.fixture
def empty(tmp_path: Path):
    with open_store(tmp_path / "store") as store:
        yield store


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory):
    with open_store(tmp_path_factory.mktemp("hypothesis") / "store") as store:
        yield store


def test_stored_extractions_read_back_exactly(filled_store: Store) -> None:
    assert list(filled_store.extractions()) == sorted(extractions(), key=lambda x: x.article.id)
    assert filled_store.article_ids() == sorted(x.article.id for x in extractions())


@settings(max_examples=40, deadline=None)
@given(extractions_strategy())
def test_random_extractions_survive_the_store(shared_store: Store, extraction: Extraction) -> None:
    shared_store.put_article(extraction)
    back = rdf.extraction_from_graph(shared_store.graph(article_graph(extraction.article.id)))
    assert back == extraction


def test_putting_the_same_extraction_again_changes_nothing(filled_store: Store) -> None:
    before_count, before = len(filled_store), filled_store.graph()
    filled_store.put_article(X000)
    assert len(filled_store) == before_count
    assert isomorphic(filled_store.graph(), before)


def test_putting_a_new_reading_replaces_the_old_one_entirely(empty: Store) -> None:
    empty.put_article(X000)
    fewer = replace(X000, statements=X000.statements[:1], events=(), causes=(), about=())
    empty.put_article(fewer)
    assert list(empty.extractions()) == [fewer]
    assert len(empty) == len(rdf.article_quads(fewer))


def test_has_article_checks_id_and_content_hash(filled_store: Store) -> None:
    a = X000.article
    assert filled_store.has_article(a.id, a.content_hash)
    assert not filled_store.has_article(a.id, "0" * 64)
    assert not filled_store.has_article("no-such-article", a.content_hash)


def test_remove_article(filled_store: Store) -> None:
    a = X000.article
    assert filled_store.remove_article(a.id) is True
    assert a.id not in filled_store.article_ids()
    assert len(filled_store.graph(article_graph(a.id))) == 0
    assert filled_store.remove_article(a.id) is False


def test_a_failed_update_leaves_the_previous_state(
    filled_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drop and insert are one transaction: make the update fail after both and nothing changes."""
    before = filled_store.graph()
    failing = store_module._replace_graph_update
    monkeypatch.setattr(
        store_module,
        "_replace_graph_update",
        lambda graph, quads: failing(graph, quads) + " ;\nCLEAR GRAPH <urn:tkg:missing>",
    )
    with pytest.raises(StoreError, match="nothing was changed"):
        filled_store.put_article(replace(X000, statements=(), about=()))
    assert isomorphic(filled_store.graph(), before)


def test_bad_quads_are_refused_before_anything_is_written(filled_store: Store) -> None:
    before = filled_store.graph(LINKS_GRAPH)
    good = rdf.links_quads(*linked())
    with pytest.raises(ValueError, match="expected .*graph/links"):
        filled_store.replace_links(
            [*good, (URIRef("urn:s"), URIRef("urn:p"), Literal("o"), article_graph("x"))]
        )
    with pytest.raises(ValueError):
        filled_store.replace_links(
            [*good, (URIRef("not an iri"), URIRef("urn:p"), Literal("o"), LINKS_GRAPH)]
        )
    assert isomorphic(filled_store.graph(LINKS_GRAPH), before) and len(before) == len(good)


def test_replace_links_replaces(filled_store: Store) -> None:
    statements = linked()[0]
    filled_store.replace_links(rdf.links_quads(statements[:1], (), ()))
    assert len(filled_store.graph(LINKS_GRAPH)) == len(rdf.links_quads(statements[:1], (), ()))


def test_load_ontology_is_idempotent(empty: Store, tmp_path: Path) -> None:
    scheme = tmp_path / "scheme.ttl"
    scheme.write_text(SCHEME_TTL, encoding="utf-8")
    empty.load_ontology([ONTOLOGY_DIR / "tkg.ttl", scheme])
    first = len(empty)
    empty.load_ontology([ONTOLOGY_DIR / "tkg.ttl", scheme])
    assert len(empty) == first == len(empty.graph(ONTOLOGY_GRAPH)) > 400


def test_load_ontology_names_a_broken_file(empty: Store, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.ttl is not valid Turtle"):
        empty.load_ontology([broken])


def test_a_second_process_gets_a_clear_lock_error(filled_store: Store) -> None:
    script = textwrap.dedent(f"""
        from graph.store import Store, StoreLockedError
        try:
            Store({str(filled_store.path)!r}, timeout_s=0.3)
        except StoreLockedError as err:
            print("LOCKED", err)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.startswith("LOCKED") and str(filled_store.path) in result.stdout
    assert f"pid {os.getpid()} (" in result.stdout  # names the holder
    assert "gave up after 0.3 s" in result.stdout


def test_a_second_handle_in_this_thread_is_refused_at_once(filled_store: Store) -> None:
    """Waiting would never end: the holder is the waiter."""
    with pytest.raises(StoreLockedError, match="already open"):
        Store(filled_store.path, timeout_s=30)


def test_a_program_holding_the_directory_without_the_lock_is_named(tmp_path: Path) -> None:
    import pyoxigraph as ox

    foreign = ox.Store(str(tmp_path / "s"))
    with pytest.raises(StoreLockedError, match="another program"):
        Store(tmp_path / "s", timeout_s=0.1)
    del foreign
    with open_store(tmp_path / "s") as store:
        assert len(store) == 0


def test_closing_releases_the_lock_and_the_data_persists(tmp_path: Path) -> None:
    with open_store(tmp_path / "s") as store:
        store.put_article(X000)
    with pytest.raises(StoreError, match="is closed"):
        store.article_ids()
    with open_store(tmp_path / "s") as again:
        assert list(again.extractions()) == [X000]


def test_a_missing_directory_is_created_with_its_parents(tmp_path: Path) -> None:
    with open_store(tmp_path / "data" / "stores" / "main") as store:
        assert len(store) == 0
    assert (tmp_path / "data" / "stores" / "main").is_dir()


def test_an_unusable_directory_is_a_store_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match=str(not_a_dir)):
        Store(not_a_dir)


# ---------------------------------------------------------------- published generations


def test_a_session_publishes_what_it_wrote_as_one_generation(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with open_store(path) as store:
        store.put_article(X000)
        with pytest.raises(StoreError, match="no published generation"):
            Store.published(path)  # nothing is visible before the session ends
    assert store.generation == snapshots.latest(path) == 1
    with open_reader(path) as reader:
        assert reader.read_only and reader.generation == 1
        assert list(reader.extractions()) == [X000]


def test_a_session_without_writes_publishes_nothing_new(filled_store: Store) -> None:
    path = filled_store.path
    filled_store.close()
    first = snapshots.latest(path)
    with open_store(path):
        pass
    assert snapshots.latest(path) == first


def test_a_reader_refuses_writes_and_keeps_its_generation(filled_store: Store) -> None:
    path = filled_store.path
    filled_store.close()
    with open_reader(path) as reader:
        with pytest.raises(StoreError, match="read-only"):
            reader.put_article(X000)
        with open_store(path) as writer:
            writer.remove_article(X000.article.id)
        with open_store(path) as writer:  # publishes nothing, prunes: the pinned one must stay
            pass
        assert X000.article.id in reader.article_ids()
        assert list(reader.extractions()) == sorted(extractions(), key=lambda x: x.article.id)
    with open_reader(path) as newer:
        assert X000.article.id not in newer.article_ids()
        assert newer.generation == reader.generation + 1


def test_unused_generations_are_removed(filled_store: Store) -> None:
    path = filled_store.path
    filled_store.close()
    for _ in range(3):
        with open_store(path) as writer:
            writer.put_article(replace(X000, statements=X000.statements[:1], events=(), causes=(),
                                       about=()))
            writer.put_article(X000)
    kept = sorted(name for name in os.listdir(snapshots.folder(path)) if name.isdigit())
    assert kept == [str(snapshots.latest(path))]


def test_a_store_written_before_generations_is_published_on_first_read(tmp_path: Path) -> None:
    import pyoxigraph as ox

    raw = ox.Store(str(tmp_path / "s"))
    raw.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    del raw
    with open_reader(tmp_path / "s") as reader:
        assert reader.generation == 1 and len(reader) == 1


def test_a_killed_session_is_published_by_the_next_one(tmp_path: Path) -> None:
    """A session that wrote and died before publishing leaves PENDING; the next publishes."""
    path = tmp_path / "s"
    with open_store(path) as store:
        store.put_article(X000)
    snapshots.mark_pending(path)  # what a writer killed after its first write leaves
    ensure_published(path)
    assert snapshots.latest(path) == 2 and not snapshots.pending(path)


def test_readers_never_wait_for_a_running_writer(tmp_path: Path) -> None:
    """``tkg export`` while ``tkg build`` runs: the reader gets the last published generation
    at once, even with the running writer's PENDING mark."""
    path = tmp_path / "s"
    with open_store(path) as store:
        store.put_article(X000)
    holding, done = threading.Event(), threading.Event()

    def writer() -> None:
        with open_store(path) as store:
            store.remove_article(X000.article.id)
            holding.set()
            done.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10) and snapshots.pending(path)
        start = time.monotonic()
        with open_reader(path, timeout_s=30) as reader:
            assert reader.article_ids() == [X000.article.id]
        assert time.monotonic() - start < 1
    finally:
        done.set()
        thread.join()
    with open_reader(path) as reader:
        assert reader.article_ids() == []


def test_another_thread_waits_for_the_writer_then_writes(tmp_path: Path) -> None:
    path = tmp_path / "s"
    order: list[str] = []
    first = open_store(path)
    store = first.__enter__()

    def second() -> None:
        with open_store(path, timeout_s=10) as other:
            order.append("second")
            other.put_article(X000)

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.3)
    order.append("first")
    store.put_article(replace(X000, statements=(), events=(), causes=(), about=()))
    first.__exit__(None, None, None)
    thread.join(10)
    assert order == ["first", "second"]
    with open_reader(path) as reader:
        assert list(reader.extractions()) == [X000]


def test_a_checkpoint_that_fails_midway_leaves_the_published_generation(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with open_store(path) as store:
        store.put_article(X000)

    def broken(target: Path) -> None:
        target.mkdir()
        (target / "CURRENT").write_text("half", encoding="ascii")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        snapshots.publish(path, broken)
    assert snapshots.latest(path) == 1
    with open_reader(path) as reader:
        assert list(reader.extractions()) == [X000]
    assert snapshots.prune(path) == []
    assert sorted(os.listdir(snapshots.folder(path))) == ["1", "1.lease", "LATEST"]


# ---------------------------------------------------------------- queries


def test_select_gives_plain_rows_with_none_when_unbound(filled_store: Store) -> None:
    rows = filled_store.select("""SELECT ?id ?title WHERE { GRAPH ?g {
        ?a a tkg:Article ; dcterms:identifier ?id . OPTIONAL { ?a dcterms:title ?title } } }
        ORDER BY ?id""")
    assert rows[0] == {"id": X000.article.id, "title": None}
    assert rows[1]["title"] == extraction_002().article.title


@pytest.mark.parametrize(
    ("bindings", "expected"),
    [
        ({"name": "VLADIMIR PUTIN"}, 6),
        ({"name": "putin"}, 6),  # an alias
        ({"name": "Nobody"}, 0),
    ],
)
def test_bindings_reach_into_filters(filled_store: Store, bindings: dict, expected: int) -> None:
    rows = filled_store.select(
        """SELECT DISTINCT ?m WHERE { ?m a tkg:StatementMention ; tkg:speaker ?actor .
        FILTER EXISTS { ?actor skos:prefLabel|skos:altLabel ?l
                        FILTER (LCASE(STR(?l)) = LCASE(?name)) } }""",
        **bindings,
    )
    assert len(rows) == expected


def test_bindings_of_dates_and_iris(filled_store: Store) -> None:
    rows = filled_store.select(
        "SELECT ?m WHERE { GRAPH ?g { ?m tkg:begin ?day } }",
        g=article_graph(X000.article.id),
        day=date(2022, 10, 14),
    )
    assert len(rows) == 4  # two statements, the news conference and the interval named 2022-10-14
    assert filled_store.ask(
        "ASK { ?a tkg:publishedOn ?d }", a=article_iri(X000.article.id), d=date(2022, 10, 14)
    )
    assert not filled_store.ask(
        "ASK { ?a tkg:publishedOn ?d }", a=article_iri(X000.article.id), d=date(2022, 10, 15)
    )


def test_query_dispatches_on_the_query_form(filled_store: Store) -> None:
    assert filled_store.query("ASK { ?s a tkg:Statement }") is True
    triples = filled_store.query("CONSTRUCT { ?s a tkg:Statement } WHERE { ?s a tkg:Statement }")
    assert (
        isinstance(triples, list)
        and len(triples) == 8
        and set(triples[0]) == {"subject", "predicate", "object"}
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.select("SELEKT ?x"), "invalid SPARQL query"),
        (lambda s: s.select("ASK { ?s ?p ?o }"), "expected a SELECT query"),
        (lambda s: s.ask("SELECT ?s WHERE { ?s ?p ?o }"), "expected an ASK query"),
        (
            lambda s: s.select("SELECT ?s WHERE { ?s ?p ?o }", **{"bad-name": "x"}),
            "not a SPARQL variable name",
        ),
        (
            lambda s: s.dump("n3", io.BytesIO()),
            "unknown RDF format 'n3'; choose one of: turtle, ntriples",
        ),
    ],
)
def test_bad_requests_raise_value_errors(filled_store: Store, call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call(filled_store)


def test_only_str_int_date_and_iris_can_be_bound(filled_store: Store) -> None:
    with pytest.raises(TypeError, match="cannot bind"):
        filled_store.select("SELECT ?s WHERE { ?s ?p ?o }", o=1.5)
