"""Exports: every RDF format parses back (rdflib, pyoxigraph, rapper) to what the store holds,
the JSON contract reflects the store, timeline filters work, and writes are atomic."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
import pytest
from fixtures_rdf import (
    extraction_000,
    extraction_002,
    extraction_003,
    extraction_004,
    extractions_strategy,
    filled_store,
    linked,
)
from hypothesis import given, settings
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from graph import export
from graph.model import Extraction, Span
from graph.store import Store, open_store
from graph.statement_search import statement_rows
from graph.vocab import LINKS_GRAPH, ONTOLOGY_GRAPH, article_graph

__all__ = ["filled_store"]  # the fixture, imported explicitly (conftest.py is not ours)

#: rdflib's own parsers (TriG, N-Quads, JSON-LD) call its deprecated ConjunctiveGraph API.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

RDF_FORMATS = {  # name → (rdflib parser, pyoxigraph format, keeps named graphs)
    "turtle": ("turtle", pyoxigraph.RdfFormat.TURTLE, False),
    "ntriples": ("nt", pyoxigraph.RdfFormat.N_TRIPLES, False),
    "rdfxml": ("xml", pyoxigraph.RdfFormat.RDF_XML, False),
    "trig": ("trig", pyoxigraph.RdfFormat.TRIG, True),
    "nquads": ("nquads", pyoxigraph.RdfFormat.N_QUADS, True),
    "jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD, True),
}
RAPPER = {
    "turtle": "turtle",
    "ntriples": "ntriples",
    "rdfxml": "rdfxml",
    "nquads": "nquads",
    "trig": "trig",
}


def exported(store: Store, format: str) -> bytes:
    buffer = io.BytesIO()
    export.export(store, format, buffer)
    return buffer.getvalue()


def graph_names(store: Store) -> list[URIRef]:
    return [
        article_graph(x.article.id)
        for x in (extraction_000(), extraction_002(), extraction_003(), extraction_004())
    ] + [LINKS_GRAPH, ONTOLOGY_GRAPH]


def test_the_formats_on_offer() -> None:
    assert export.formats() == [
        "graphml", "json", "jsonld", "nquads", "ntriples", "rdfxml", "trig", "turtle"
    ]


@pytest.mark.parametrize("format", RDF_FORMATS)
def test_each_rdf_format_parses_back_with_rdflib_to_what_is_stored(
    filled_store: Store, format: str
) -> None:
    parser, _, keeps_graphs = RDF_FORMATS[format]
    data = exported(filled_store, format)
    if not keeps_graphs:  # the union of every graph
        assert isomorphic(Graph().parse(data=data, format=parser), filled_store.graph())
        return
    dataset = Dataset()
    dataset.parse(data=data, format=parser)
    for name in graph_names(filled_store):
        assert isomorphic(dataset.graph(name), filled_store.graph(name)), name
        assert len(dataset.graph(name)) > 0


@pytest.mark.parametrize("format", RDF_FORMATS)
def test_each_rdf_format_parses_back_with_pyoxigraph(filled_store: Store, format: str) -> None:
    _, ox_format, keeps_graphs = RDF_FORMATS[format]
    reference_format = "nquads" if keeps_graphs else "ntriples"
    reference = {
        str(q)
        for q in pyoxigraph.parse(
            exported(filled_store, reference_format), RDF_FORMATS[reference_format][1]
        )
    }
    parsed = {str(q) for q in pyoxigraph.parse(exported(filled_store, format), ox_format)}
    assert parsed == reference
    assert len(reference) == (len(filled_store) if keeps_graphs else len(filled_store.graph()))


@pytest.mark.parametrize("format", RAPPER)
def test_rapper_parses_each_format(filled_store: Store, format: str, tmp_path: Path) -> None:
    if shutil.which("rapper") is None:
        pytest.skip(
            "rapper (Debian raptor2-utils) is not installed: apt-get install -y raptor2-utils"
        )
    path = tmp_path / f"export.{format}"
    path.write_bytes(exported(filled_store, format))
    result = subprocess.run(
        ["rapper", "--count", "-i", RAPPER[format], path.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = len(filled_store) if RDF_FORMATS[format][2] else len(filled_store.graph())
    assert f"returned {expected} " in result.stderr, result.stderr


def test_an_unknown_format_is_refused_with_the_list(filled_store: Store) -> None:
    with pytest.raises(ValueError, match=r"'docx'.*graphml, json, jsonld, nquads"):
        export.export(filled_store, "docx", io.BytesIO())


def test_graphml_opens_as_a_graph_of_the_json_export(filled_store: Store) -> None:
    import networkx as nx

    graph = nx.read_graphml(io.BytesIO(exported(filled_store, "graphml")))
    data = export.graph_json(filled_store)
    assert {s["id"] for s in data["statements"]} <= set(graph.nodes)
    kinds = {attrs["kind"] for _, attrs in graph.nodes(data=True)}
    assert {"statement", "article", "actor"} <= kinds


def test_a_registered_writer_becomes_a_format(
    filled_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "_WRITERS", dict(export._WRITERS))

    def count(store: Store, fp: BinaryIO) -> None:
        fp.write(str(len(store)).encode())

    export.register_writer("graphml", count)
    assert "graphml" in export.formats()
    assert exported(filled_store, "graphml") == str(len(filled_store)).encode()


def test_export_to_path_writes_the_file(filled_store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.json"
    target.parent.mkdir()
    export.export_to_path(filled_store, "json", target)
    assert json.loads(target.read_text(encoding="utf-8")) == export.graph_json(filled_store)
    assert [p.name for p in target.parent.iterdir()] == ["graph.json"]


def test_a_failing_export_leaves_the_previous_file_intact(
    filled_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "graph.ttl"
    target.parent.mkdir()
    target.write_text("previous", encoding="utf-8")
    monkeypatch.setattr(export, "_WRITERS", dict(export._WRITERS))

    def half_then_crash(store: Store, fp: BinaryIO) -> None:
        fp.write(b"@prefix half")
        raise RuntimeError("disk full")

    export.register_writer("turtle", half_then_crash)
    with pytest.raises(RuntimeError, match="disk full"):
        export.export_to_path(filled_store, "turtle", target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]


# ---------------------------------------------------------------- the JSON contract


@pytest.fixture
def document(filled_store: Store) -> dict:
    return json.loads(exported(filled_store, "json"))


def test_the_json_has_the_contract_shape(document: dict) -> None:
    assert list(document) == ["articles", "statements", "events", "relations", "reviews"]
    assert set(document["articles"][0]) == {"id", "title", "published", "source", "url"}
    statement = document["statements"][0]
    assert {
        "id",
        "speaker",
        "date",
        "topics",
        "quote",
        "evidence",
        "cited_by",
        "about",
        "mentions",
    } <= set(statement)
    assert set(statement["speaker"]) == {"id", "name", "aliases", "wikidata"}
    assert set(statement["date"]) == {"value", "begin", "end", "precision"}
    assert set(statement["evidence"][0]) == {"article", "start", "end", "text"}
    assert {"id", "article", "speaker_resolution", "kind", "cue", "date_note"} <= set(
        statement["mentions"][0]
    )
    assert {"id", "label", "type", "date", "evidence"} <= set(document["events"][0])
    assert {"type", "source", "target", "explanation"} <= set(document["relations"][0])


def test_json_articles(document: dict) -> None:
    assert [a["id"] for a in document["articles"]] == sorted(a["id"] for a in document["articles"])
    stern = next(a for a in document["articles"] if a["source"] == "Stern")
    assert stern == {
        "id": extraction_002().article.id,
        "title": extraction_002().article.title,
        "published": "2024-09-05",
        "source": "Stern",
        "url": None,
    }


def test_json_statements_are_sorted_by_begin_then_id_with_undated_last(document: dict) -> None:
    keys = [
        (s["date"]["begin"] is None, s["date"]["begin"] or "", s["id"])
        for s in document["statements"]
    ]
    assert keys == sorted(keys) and keys[-1][0] is True
    assert len(document["statements"]) == len(linked()[0])


def test_the_merged_statement_carries_both_articles(document: dict) -> None:
    kursk = next(s for s in document["statements"] if len(s["cited_by"]) == 2)
    x2, x3 = extraction_002(), extraction_003()
    assert kursk["cited_by"] == sorted([x2.article.id, x3.article.id])
    assert kursk["id"] == linked()[0][4].id
    assert [(e["article"], e["start"], e["end"], e["text"]) for e in kursk["evidence"]] == sorted(
        (
            x.article.id,
            x.statements[0].evidence[0].start,
            x.statements[0].evidence[0].end,
            x.statements[0].evidence[0].text,
        )
        for x in (x2, x3)
    )
    assert kursk["speaker"] == {
        "id": "actor/vladimir-putin",
        "name": "Vladimir Putin",
        "wikidata": "Q7747",
        "aliases": ["Putin", "Vladimir Vladimirovich Putin"],
    }
    assert kursk["date"] == {
        "value": "2024-09-05",
        "begin": "2024-09-05",
        "end": "2024-09-05",
        "precision": "day",
    }
    assert kursk["about"] == [linked()[1][3].id]
    assert {m["article"] for m in kursk["mentions"]} == set(kursk["cited_by"])
    assert {m["kind"] for m in kursk["mentions"]} == {"indirect", "paraphrase"}


def test_json_events_and_relations(document: dict) -> None:
    explosion = next(e for e in document["events"] if e["type"] == "explosion")
    assert explosion["date"] == {
        "value": "2022-10-08",
        "begin": "2022-10-08",
        "end": "2022-10-08",
        "precision": "day",
    }
    assert explosion["label"] == "Crimean Bridge explosion" and len(explosion["evidence"]) == 1
    kinds = [
        (r["type"], r["source"].split("/")[0], r["target"].split("/")[0])
        for r in document["relations"]
    ]
    assert kinds == [
        ("about", "statement", "event"),
        ("about", "statement", "event"),
        ("causes", "event", "event"),
        ("contradicts", "statement", "statement"),
    ]
    contradicts = document["relations"][-1]
    assert contradicts["confidence"] == 0.8 and "definitely losing" in contradicts["explanation"]


def test_the_json_export_is_deterministic(filled_store: Store) -> None:
    assert exported(filled_store, "json") == exported(filled_store, "json")
    assert exported(filled_store, "turtle") == exported(filled_store, "turtle")


def test_the_json_reflects_what_is_stored(filled_store: Store) -> None:
    filled_store.replace_links([])
    assert export.graph_json(filled_store)["statements"] == []
    assert len(export.graph_json(filled_store)["articles"]) == 4


# ---------------------------------------------------------------- timeline rows

PLANNED, DRAFTED, NO_ROCKETS, SECRET_SERVICE = (s.quote for s in extraction_000().statements)
KURSK = extraction_002().statements[0].quote
LOSING, DECREE, UK_MOD = (s.quote for s in extraction_004().statements)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, [UK_MOD, DRAFTED, DECREE, LOSING, NO_ROCKETS, PLANNED, KURSK, SECRET_SERVICE]),
        ({"speaker": "Vladimir Putin"}, [DRAFTED, NO_ROCKETS, PLANNED, KURSK, SECRET_SERVICE]),
        (
            {"speaker": "putin"},
            [DRAFTED, NO_ROCKETS, PLANNED, KURSK, SECRET_SERVICE],
        ),  # an alias, any case
        ({"speaker": "british defence ministry"}, [UK_MOD]),
        ({"speaker": "Puti"}, []),  # a name must match whole
        ({"topic": "mobilisation"}, [UK_MOD, DRAFTED, DECREE]),  # the slug
        ({"topic": "Conscription"}, [UK_MOD, DRAFTED, DECREE]),  # an altLabel in the ontology graph
        ({"topic": "war conduct"}, [LOSING, NO_ROCKETS, PLANNED, KURSK]),  # the prefLabel
        ({"topic": "Crimean Bridge"}, [SECRET_SERVICE]),  # the label of an event it is about
        ({"topic": "kursk"}, [KURSK]),
        ({"topic": "elections"}, []),
        ({"speaker": "Putin", "topic": "mobilisation"}, [DRAFTED]),
        ({"since": date(2022, 10, 1)}, [NO_ROCKETS, PLANNED, KURSK]),  # undated statements drop out
        (
            {"until": date(2022, 9, 21)},
            [UK_MOD, DRAFTED, DECREE],
        ),  # windows overlapping the day count
        ({"since": date(2022, 9, 28), "until": date(2022, 10, 31)}, [DRAFTED, NO_ROCKETS, PLANNED]),
        ({"since": date(2022, 10, 1), "until": date(2022, 10, 13)}, []),
        ({"since": date(2025, 1, 1)}, []),
    ],
)
def test_statement_rows_filter(
    filled_store: Store, filters: dict, expected: list[str]
) -> None:
    rows = statement_rows(filled_store, **filters)
    assert [r["quote"] for r in rows] == expected
    assert all(set(r) == set(export.graph_json(filled_store)["statements"][0]) for r in rows)


@pytest.mark.parametrize("format", RDF_FORMATS)
def test_carriage_returns_and_markup_in_texts_survive_every_format(
    tmp_path: Path, format: str
) -> None:
    """Evidence offsets count code points of the text as ingested, CRLF included."""
    x = extraction_002()
    text = 'Line one\r\nLine two <b>&amp; ]]> "quoted" \t\u2028 😀'
    article = replace(x.article, text=text, furniture=(Span.of(text, 0, 10),))
    with open_store(tmp_path / "store") as store:
        store.put_article(replace(x, article=article, statements=(), events=(), about=()))
        parser, _, keeps_graphs = RDF_FORMATS[format]
        parsed = Dataset() if keeps_graphs else Graph()
        parsed.parse(data=exported(store, format), format=parser)
        name = article_graph(x.article.id)
        assert isomorphic(parsed.graph(name) if keeps_graphs else parsed, store.graph(name))


@pytest.fixture(scope="module")
def scratch_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(tmp_path_factory.mktemp("export") / "store") as store:
        yield store


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@settings(max_examples=30, deadline=None)
@given(extractions_strategy())
def test_random_articles_survive_every_format(scratch_store: Store, extraction: Extraction) -> None:
    """Any text in a stored article comes back from every format; RDF/XML refuses, rather than
    corrupts, the few characters XML cannot hold."""
    name = article_graph(extraction.article.id)
    scratch_store.put_article(extraction)
    try:
        for format, (parser, _, keeps_graphs) in RDF_FORMATS.items():
            if format == "rdfxml" and NOT_XML.search(scratch_store.graph().serialize(format="nt")):
                with pytest.raises(ValueError, match="RDF/XML cannot hold the character"):
                    exported(scratch_store, format)
                continue
            parsed = Dataset() if keeps_graphs else Graph()
            parsed.parse(data=exported(scratch_store, format), format=parser)
            assert isomorphic(parsed.graph(name) if keeps_graphs else parsed,
                              scratch_store.graph(name)), format
    finally:
        scratch_store.remove_article(extraction.article.id)
