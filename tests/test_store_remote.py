"""The store on a SPARQL server (:mod:`graph.store_remote`), against a private Virtuoso Open Source
(:mod:`virtuoso_server`) and the embedded store on the same data: the seeds build gives the same
JSON export, ``tkg eval`` report and named-query rows; writes read back exactly; a write that
fails leaves the previous graph. Skipped when Virtuoso is not installed, failed when ``CI`` is set.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import virtuoso_server
from fixtures_rdf import (
    SCHEME_TTL,
    extraction_000,
    extractions,
    extractions_strategy,
    filled_store,
    linked,
)
from hypothesis import HealthCheck, given, settings
from rdflib import URIRef
from rdflib.compare import isomorphic

from api import queries
from graph import rdf, vocab
from graph.analysis import timeline
from graph.cli import main as cli_main
from graph.config import ONTOLOGY_DIR, SPACY_MODEL
from graph.evaluate import format_report, score
from graph.export import graph_json
from graph.statement_search import statement_rows
from graph.model import Extraction, Review
from graph.pipeline import build, reader, relink
from graph.store import FORMATS, Store, StoreError, open_store
from graph.store_remote import (
    GRAPH_PREFIX,
    LAYOUTS,
    STAGING_PREFIX,
    Endpoint,
    RemoteStore,
    is_remote,
    open_remote,
)
from graph.vocab import LINKS_GRAPH, ONTOLOGY_GRAPH, REVIEW_GRAPH, article_graph, ontology_files

__all__ = ["filled_store"]  # the fixture, imported explicitly (conftest.py is not ours)

GOLD = Path(__file__).parent / "data" / "seeds.gold.json"


# ---------------------------------------------------------------- the server and stores on it


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso_server.VirtuosoServer]:
    if not virtuoso_server.available():
        message = "Virtuoso Open Source is not installed (apt-get install virtuoso-opensource)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI must run the SPARQL server tests")
        pytest.skip(message)
    server = virtuoso_server.start(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


def connect(server: virtuoso_server.VirtuosoServer, **options: Any) -> RemoteStore:
    endpoint = Endpoint(server.sparql_url, user=server.user, password=server.password,
                        auth="digest", timeout_s=60)
    return RemoteStore(endpoint, **options)


def clear(server: virtuoso_server.VirtuosoServer) -> None:
    server.clear(GRAPH_PREFIX)
    server.clear(STAGING_PREFIX)


@pytest.fixture
def remote(virtuoso: virtuoso_server.VirtuosoServer) -> Iterator[RemoteStore]:
    """A store on the server, emptied of the project's graphs first."""
    clear(virtuoso)
    with connect(virtuoso) as store:
        yield store


def fill(store: Store | RemoteStore, scheme: Path) -> None:
    """What :func:`fixtures_rdf.filled_store` puts in the embedded store."""
    store.load_ontology([ONTOLOGY_DIR / "tkg.ttl", scheme])
    for extraction in extractions():
        store.put_article(extraction)
    store.replace_links(rdf.links_quads(*linked()))


@pytest.fixture(scope="module")
def scheme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scheme") / "scheme.ttl"
    path.write_text(SCHEME_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def filled_local(tmp_path_factory: pytest.TempPathFactory, scheme: Path) -> Iterator[Store]:
    """The embedded store holding :func:`fill`'s data, for tests that only read it."""
    with open_store(tmp_path_factory.mktemp("filled") / "store") as store:
        fill(store, scheme)
        yield store


@pytest.fixture
def filled_remote(virtuoso: virtuoso_server.VirtuosoServer, filled_local: Store,
                  scheme: Path) -> Iterator[RemoteStore]:
    """The server holding :func:`fill`'s data: filled again only when a test changed it."""
    with connect(virtuoso) as store:
        if (store.article_ids(), len(store)) != (filled_local.article_ids(), len(filled_local)):
            clear(virtuoso)
            fill(store, scheme)
        yield store


@pytest.fixture
def fresh_remote(remote: RemoteStore, scheme: Path) -> RemoteStore:
    """:func:`fill`'s data on the server, for a test that changes it."""
    fill(remote, scheme)
    return remote


# ---------------------------------------------------------------- the seeds on both backends

#: Every named query with no parameter, with each of its parameters alone, and one pair.
QUERY_CASES = [
    (name, names)
    for name in queries.names()
    for names in [(), *((p.name,) for p in queries.load(name).params)]
] + [("statements", ("speaker", "topic"))]


def sample(name: str, kind: str, document: dict) -> queries.Value:
    """A value for a query parameter taken from the data (the most frequent one)."""
    statements, events = document["statements"], document["events"]
    speaker = Counter(s["speaker"]["id"] for s in statements).most_common(1)[0][0]
    topic = Counter(t for s in statements for t in s["topics"]).most_common(1)[0][0]
    begins = sorted(s["date"]["begin"] for s in statements if s["date"]["begin"])
    values: dict[tuple[str, str], Callable[[], queries.Value]] = {
        ("speaker", "string"): lambda: next(s["speaker"]["name"] for s in statements
                                            if s["speaker"]["id"] == speaker),
        ("speakerActor", "iri"): lambda: vocab.iri(speaker),
        ("topic", "string"): lambda: topic.replace("-", " "),
        ("topicIri", "iri"): lambda: vocab.topic_iri(topic),
        ("event", "iri"): lambda: vocab.iri(next(e for s in statements for e in s["about"])),
        ("article", "iri"): lambda: vocab.article_iri(Counter(
            a for s in statements for a in s["cited_by"]).most_common(1)[0][0]),
        ("since", "date"): lambda: date.fromisoformat(begins[len(begins) // 2]),
        ("until", "date"): lambda: date.fromisoformat(begins[len(begins) // 2]),
        ("type", "iri"): lambda: vocab.event_type_iri(Counter(
            e["type"] for e in events if e["type"]).most_common(1)[0][0]),
        ("type", "string"): lambda: Counter(
            r["type"] for r in document["relations"]).most_common(1)[0][0],
        ("node", "iri"): lambda: vocab.iri(document["relations"][0]["source"]),
        ("id", "string"): lambda: document["articles"][0]["id"],
    }
    if (name, kind) not in values:
        raise KeyError(f"no sample value for the parameter {name} ({kind}); add one")
    return values[(name, kind)]()


@dataclass(frozen=True)
class Reading:
    """What the tests compare, read from one backend right after the seeds build."""

    document: dict
    report: str
    timelines: dict[tuple, list]
    rows: dict[tuple, list]
    extractions: list[Extraction]
    size: int


def read(store: Store | RemoteStore, bindings: dict[tuple, dict]) -> Reading:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    document = graph_json(store)
    report = format_report(score(document, gold, timeline=lambda speaker, topic: timeline(
        statement_rows(store, speaker=speaker, topic=topic))))
    speaker = sample("speaker", "string", document)
    day = sample("since", "date", document)
    filters = {("speaker",): {"speaker": speaker}, ("since",): {"since": day},
               ("speaker", "until"): {"speaker": speaker, "until": day}}
    return Reading(
        document, report,
        {key: statement_rows(store, **value) for key, value in filters.items()},  # type: ignore[arg-type]
        {case: queries.run(store, case[0], **value)[0] for case, value in bindings.items()},
        list(store.extractions()), len(store),
    )


@pytest.fixture(scope="session")
def seeds_both(virtuoso, seeds_copy, seeds_dir) -> tuple[Reading, Reading]:
    """The seeds built into the server with :func:`graph.pipeline.build`, read from both."""
    clear(virtuoso)
    with open_store(seeds_copy()) as local, connect(virtuoso) as remote:
        build([seeds_dir], remote, reader(SPACY_MODEL))
        document = graph_json(local)
        bindings = {}
        for name, params in QUERY_CASES:
            kinds = {p.name: p.kind for p in queries.load(name).params}
            bindings[(name, params)] = {p: sample(p, kinds[p], document) for p in params}
        return read(local, bindings), read(remote, bindings)


def test_the_seeds_build_gives_the_same_json_export(seeds_both: tuple[Reading, Reading]) -> None:
    local, remote = seeds_both
    assert remote.document["statements"], "the seeds build stored no statement"
    assert remote.document == local.document
    assert remote.extractions == local.extractions
    assert remote.size == local.size


def test_the_seeds_build_gives_the_same_timelines(seeds_both: tuple[Reading, Reading]) -> None:
    local, remote = seeds_both
    assert all(local.timelines.values())
    assert remote.timelines == local.timelines


def test_the_seeds_build_gives_the_same_eval_report(seeds_both: tuple[Reading, Reading]) -> None:
    local, remote = seeds_both
    assert "queries" in local.report
    assert remote.report == local.report


@pytest.mark.parametrize(("name", "params"), QUERY_CASES,
                         ids=[f"{name}-{'+'.join(params) or 'all'}" for name, params in QUERY_CASES])
def test_named_queries_give_the_same_rows(seeds_both: tuple[Reading, Reading], name: str,
                                          params: tuple[str, ...]) -> None:
    local, remote = seeds_both
    expected, got = local.rows[(name, params)], remote.rows[(name, params)]
    if "ORDER BY" not in queries.load(name).text:
        expected, got = (sorted(rows, key=lambda r: sorted((k, v or "") for k, v in r.items()))
                         for rows in (expected, got))
    assert got == expected


# ---------------------------------------------------------------- writes read back


def test_stored_graphs_read_back_as_in_the_embedded_store(filled_remote: RemoteStore,
                                                          filled_local: Store) -> None:
    assert list(filled_remote.extractions()) == list(filled_local.extractions())
    assert filled_remote.article_ids() == filled_local.article_ids()
    assert len(filled_remote) == len(filled_local)
    for name in [LINKS_GRAPH, ONTOLOGY_GRAPH, *(article_graph(x.article.id) for x in extractions())]:
        assert isomorphic(filled_remote.graph(name), filled_local.graph(name)), name
    assert isomorphic(filled_remote.graph(), filled_local.graph())
    x000 = extraction_000()
    assert filled_remote.has_article(x000.article.id, x000.article.content_hash)
    assert not filled_remote.has_article(x000.article.id, "another-hash")
    for node in linked()[0]:
        assert filled_remote.members(node.id) == filled_local.members(node.id)


@pytest.fixture(scope="module")
def shared_remote(virtuoso: virtuoso_server.VirtuosoServer) -> Iterator[RemoteStore]:
    clear(virtuoso)
    with connect(virtuoso) as store:
        yield store


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extractions_strategy())
def test_random_extractions_survive_the_server(shared_remote: RemoteStore,
                                               extraction: Extraction) -> None:
    """Any text (control characters, astral planes, quotes, CR) and any article id."""
    shared_remote.put_article(extraction)
    graph = shared_remote.graph(article_graph(extraction.article.id))
    assert rdf.extraction_from_graph(graph) == extraction


def test_removing_an_article_then_relinking_matches_the_embedded_store(
        fresh_remote: RemoteStore, filled_store: Store) -> None:
    gone = extraction_000().article.id
    context = reader(SPACY_MODEL)
    for store in (fresh_remote, filled_store):
        assert store.remove_article(gone)
        assert not store.remove_article(gone)
        relink(store, context)
    assert gone not in fresh_remote.article_ids()
    assert len(fresh_remote.graph(article_graph(gone))) == 0
    assert graph_json(fresh_remote) == graph_json(filled_store)


def test_a_review_replaces_the_earlier_decision_on_the_same_thing(
        fresh_remote: RemoteStore, filled_store: Store) -> None:
    statements = linked()[0]
    first = Review("relation", "reject", (statements[0].id,), (statements[5].id,), "contradicts",
                   "not the same war aim")
    again = replace(first, note="checked twice")
    for store in (fresh_remote, filled_store):
        store.put_review(first)
        store.put_review(again)
    assert fresh_remote.reviews() == filled_store.reviews() == [again]
    assert isomorphic(fresh_remote.graph(REVIEW_GRAPH), filled_store.graph(REVIEW_GRAPH))


# ---------------------------------------------------------------- failed writes


class CutUpdates(httpx.BaseTransport):
    """Sends the ``n``-th logged-in update (and every later one when ``every``) only half-way,
    then drops the connection: what the server gets is a request cut in transit."""

    def __init__(self, n: int, *, every: bool = False) -> None:
        self.inner, self.n, self.every, self.seen = httpx.HTTPTransport(), n, every, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if "authorization" in request.headers and body.startswith(b"update="):
            self.seen += 1
            if self.seen == self.n or (self.every and self.seen > self.n):
                request = httpx.Request(request.method, request.url, headers=request.headers,
                                        stream=_HalfBody(body))
        return self.inner.handle_request(request)


class _HalfBody(httpx.SyncByteStream):
    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        yield self.body[: len(self.body) // 2]
        raise httpx.WriteError("connection dropped half-way through the request body")


def retitled(extraction: Extraction) -> Extraction:
    return replace(extraction, article=replace(extraction.article, title="A changed title"))


def test_an_update_the_server_refuses_leaves_the_previous_graph(
        remote: RemoteStore, virtuoso: virtuoso_server.VirtuosoServer) -> None:
    """Virtuoso's parser gives up on one INSERT DATA of ~5,000 triples: refused as a whole."""
    remote.load_ontology([ONTOLOGY_DIR / "tkg.ttl"])
    before = remote.graph(ONTOLOGY_GRAPH)
    unbatched = connect(virtuoso, batch_triples=100_000, request_triples=100_000)
    with unbatched, pytest.raises(StoreError, match="refused an update"):
        unbatched.load_ontology(ontology_files())
    assert isomorphic(remote.graph(ONTOLOGY_GRAPH), before)
    remote.load_ontology(ontology_files())  # batched, the same triples go in
    assert len(remote) > len(before)


def test_an_update_cut_in_transit_leaves_the_previous_graph(
        remote: RemoteStore, virtuoso: virtuoso_server.VirtuosoServer) -> None:
    x000 = extraction_000()
    remote.put_article(x000)
    cut = connect(virtuoso, transport=CutUpdates(1, every=True))
    with cut, pytest.raises(StoreError, match="failed in transit"):
        cut.put_article(retitled(x000))
    assert list(remote.extractions()) == [x000]
    remote.put_article(retitled(x000))
    assert list(remote.extractions()) == [retitled(x000)]


def test_a_large_graph_is_staged_then_moved_in_place(
        remote: RemoteStore, virtuoso: virtuoso_server.VirtuosoServer) -> None:
    x000 = extraction_000()
    with connect(virtuoso, batch_triples=20, request_triples=60) as small:
        small.put_article(x000)
        assert list(remote.extractions()) == [x000]
    cut = connect(virtuoso, batch_triples=20, request_triples=60, retries=0,
                  transport=CutUpdates(2))
    with cut, pytest.raises(StoreError, match="failed in transit"):
        cut.put_article(retitled(x000))
    assert list(remote.extractions()) == [x000]
    assert virtuoso.graphs(STAGING_PREFIX) == []


# ---------------------------------------------------------------- queries and dumps


@pytest.mark.parametrize(("sparql", "bindings"), [
    ("SELECT ?id WHERE { GRAPH ?g { ?a dcterms:identifier ?id ; tkg:publishedOn ?day } }",
     {"day": date(2022, 10, 14)}),
    ("SELECT ?s ?i WHERE { GRAPH ?g { ?s tkg:index ?i } } ORDER BY ?s", {"i": 1}),
    ("SELECT ?s WHERE { GRAPH ?g { ?s tkg:quote ?q } } ORDER BY ?s",
     {"q": "the battle there is going as planned"}),
    ("SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p ?o",
     {"s": vocab.article_iri(extraction_000().article.id)}),
    ("SELECT ?s WHERE { ?s tkg:quote ?q FILTER (CONTAINS(?q, \"nobody said this\")) }", {}),
    ("ASK { GRAPH ?g { ?s tkg:speakerResolution \"pronoun\" } }", {}),
    ("ASK { ?s tkg:speakerResolution ?r }", {"r": "no such resolution"}),
    ("CONSTRUCT { ?s rdfs:label ?l } WHERE { GRAPH ?g { ?s a tkg:EventMention ; rdfs:label ?l } }",
     {}),
])
def test_queries_answer_as_in_the_embedded_store(filled_remote: RemoteStore, filled_local: Store,
                                                 sparql: str, bindings: dict) -> None:
    expected, got = filled_local.query(sparql, **bindings), filled_remote.query(sparql, **bindings)
    if "CONSTRUCT" in sparql:
        expected, got = (sorted(rows, key=lambda r: sorted(r.items())) for rows in (expected, got))
    assert got == expected


def test_wrong_query_kinds_and_syntax_raise_value_errors(filled_remote: RemoteStore) -> None:
    with pytest.raises(ValueError, match="expected a SELECT query"):
        filled_remote.select("ASK { ?s ?p ?o }")
    with pytest.raises(ValueError, match="expected an ASK query"):
        filled_remote.ask("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ValueError, match="invalid SPARQL"):
        filled_remote.query("SELECT WHERE {")
    with pytest.raises(ValueError, match="not a SPARQL variable"):
        filled_remote.query("SELECT * WHERE { ?s ?p ?o }", **{"a b": "x"})


def _quads(data: bytes, format: str) -> set:
    rdf_format, _ = FORMATS[format]
    return {str(quad) for quad in ox.parse(data, format=rdf_format)}


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_dumps_hold_what_the_embedded_store_dumps(filled_remote: RemoteStore, filled_local: Store,
                                                  format: str) -> None:
    expected, got = io.BytesIO(), io.BytesIO()
    filled_local.dump(format, expected)
    filled_remote.dump(format, got)
    assert _quads(got.getvalue(), format) == _quads(expected.getvalue(), format)
    assert len(_quads(got.getvalue(), format)) > 100


def test_a_closed_store_refuses_calls(virtuoso: virtuoso_server.VirtuosoServer) -> None:
    with open_remote(Endpoint(virtuoso.sparql_url, user=virtuoso.user,
                              password=virtuoso.password, auth="digest")) as store:
        assert isinstance(store.article_ids(), list)
    with pytest.raises(StoreError, match="closed"):
        store.article_ids()


def test_wrong_credentials_are_named(virtuoso: virtuoso_server.VirtuosoServer) -> None:
    endpoint = Endpoint(virtuoso.sparql_url, user=virtuoso.user, password="wrong", auth="digest")
    with RemoteStore(endpoint) as store, pytest.raises(StoreError, match="user 'tkg'.*HTTP 401"):
        store.article_ids()


# ---------------------------------------------------------------- server answers, no server


def answering(status: int, headers: dict[str, str], body: str = "") -> RemoteStore:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, text=body)
    return RemoteStore("http://sparql.invalid/sparql", transport=httpx.MockTransport(handler))


SELECT_JSON = '{"head": {"vars": ["id"]}, "results": {"bindings": [{"id": {"type": "literal", "value": "a"}}]}}'


@pytest.mark.parametrize(("status", "headers", "body", "error"), [
    (200, {"X-SPARQL-MaxRows": "10000"}, SELECT_JSON, "cut the result .* at 10000 rows"),
    (200, {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"},
     SELECT_JSON, "incompletely: RC...: Returning incomplete results"),
    (500, {}, "Virtuoso 42000 Error SR186: No permission\n\nSPARQL query:\nSELECT secret",
     r"HTTP 500\): Virtuoso 42000 Error SR186: No permission$"),
    (403, {}, "Forbidden", "refused a query for user None"),
])
def test_incomplete_or_refused_answers_raise(status: int, headers: dict, body: str,
                                            error: str) -> None:
    with answering(status, headers, body) as store, pytest.raises(StoreError, match=error):
        store.article_ids()


def test_a_complete_answer_is_read() -> None:
    with answering(200, {"Content-Type": "application/sparql-results+json"}, SELECT_JSON) as store:
        assert store.article_ids() == ["a"]


@pytest.mark.parametrize(("server", "query", "update"), [
    ("virtuoso", "http://h:8890/sparql-auth", "http://h:8890/sparql-auth"),
    ("fuseki", "http://h:3030/news/query", "http://h:3030/news/update"),
    ("graphdb", "http://h:7200/repositories/news", "http://h:7200/repositories/news/statements"),
    ("neptune", "http://h:8182/sparql", "http://h:8182/sparql"),
])
def test_endpoints_from_a_base_url(server: str, query: str, update: str) -> None:
    base = {"virtuoso": "http://h:8890/", "fuseki": "http://h:3030/news",
            "graphdb": "http://h:7200/repositories/news/", "neptune": "http://h:8182"}[server]
    endpoint = Endpoint.from_base(base, server)
    assert (endpoint.query_url, endpoint.update_url) == (query, update)
    assert set(LAYOUTS) == {"virtuoso", "fuseki", "graphdb", "neptune"}


@pytest.mark.parametrize(("arguments", "error"), [
    ({"query_url": "ftp://h/sparql"}, "not an http"),
    ({"query_url": "http://h/q", "update_url": "h/u"}, "not an http"),
    ({"query_url": "http://h/q", "auth": "ntlm"}, "choose one of: basic, digest"),
    ({"query_url": "http://h/q", "user": "me"}, "both a user and a password"),
    ({"query_url": "http://h/q", "timeout_s": 0}, "positive number of seconds"),
])
def test_bad_endpoints_are_refused(arguments: dict, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        Endpoint(**arguments)
    with pytest.raises(ValueError, match="unknown SPARQL server 'stardog'"):
        Endpoint.from_base("http://h", "stardog")


@pytest.mark.parametrize(("location", "expected"), [
    ("http://127.0.0.1:8890/sparql", True), ("https://db.example.org/ds", True),
    ("data/store", False), (Path("http:/x"), False), ("httpdocs/store", False),
])
def test_store_locations_that_name_a_server(location: str | Path, expected: bool) -> None:
    assert is_remote(location) is expected


def test_uriref_bindings_are_iris(filled_remote: RemoteStore) -> None:
    node = URIRef(vocab.article_iri(extraction_000().article.id))
    assert filled_remote.ask("ASK { GRAPH ?g { ?a a tkg:Article } }", a=node)
    assert not filled_remote.ask("ASK { GRAPH ?g { ?a a tkg:Article } }", a=URIRef(f"{node}-x"))


# ---------------------------------------------------------------- chosen by configuration: CLI, API


@pytest.fixture
def server_env(virtuoso: virtuoso_server.VirtuosoServer,
               monkeypatch: pytest.MonkeyPatch) -> str:
    """The login to the server in ``TKG_SPARQL_*``; its query URL, to give as the store."""
    for name, value in {"TKG_SPARQL_USER": virtuoso.user, "TKG_SPARQL_PASSWORD": virtuoso.password,
                        "TKG_SPARQL_AUTH": "digest"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TKG_SPARQL_UPDATE_URL", raising=False)
    return virtuoso.sparql_url


def test_the_cli_builds_and_evaluates_on_the_server_as_on_the_embedded_store(
        virtuoso: virtuoso_server.VirtuosoServer, server_env: str, seeds_dir: Path,
        seeds_copy: Callable[[], Path], capsys: pytest.CaptureFixture[str]) -> None:
    clear(virtuoso)
    assert cli_main(["build", str(seeds_dir), "--store", server_env, "--quiet"]) == 0
    built = capsys.readouterr().out
    assert "articles: 5 read, 0 already stored, 0 rejected" in built
    assert cli_main(["build", str(seeds_dir), "--store", server_env, "--quiet"]) == 0
    assert "articles: 0 read, 5 already stored" in capsys.readouterr().out
    reports = []
    for store in (server_env, str(seeds_copy())):
        assert cli_main(["eval", str(GOLD), "--store", store]) == 0
        reports.append(capsys.readouterr().out)
    assert "queries" in reports[1]
    assert reports[0] == reports[1]
    for store in (server_env, str(seeds_copy())):
        assert cli_main(["timeline", "--store", store, "--speaker", "Putin", "--topic",
                         "negotiations", "--format", "json"]) == 0
        reports.append(capsys.readouterr().out)
    assert json.loads(reports[2]) and reports[2] == reports[3]


@pytest.fixture
def seeds_on_server(virtuoso: virtuoso_server.VirtuosoServer, seeds_dir: Path,
                    seeds_copy: Callable[[], Path]) -> Path:
    """The server holding the seeds build, as the embedded store (whose path it gives) does."""
    local_path = seeds_copy()
    with open_store(local_path) as local, connect(virtuoso) as remote:
        if (remote.article_ids(), len(remote)) != (local.article_ids(), len(local)):
            clear(virtuoso)
            build([seeds_dir], remote, reader(SPACY_MODEL))
    return local_path


SPARQL_COUNT = ("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s tkg:quote ?q } "
                "FILTER (STRSTARTS(STR(?g), \"https://timeline-kg.org/id/\")) }")
SPARQL_CONSTRUCT = ("CONSTRUCT { ?s tkg:quote ?q } WHERE { "
                    "GRAPH <https://timeline-kg.org/id/graph/links> { ?s tkg:quote ?q } }")


def test_the_api_on_the_server_answers_as_on_the_embedded_store(
        seeds_on_server: Path, server_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    answers = []
    for store in (seeds_on_server, server_env):
        monkeypatch.setenv("TKG_STORE", str(store))
        with TestClient(create_app()) as client:
            timeline_items = client.get("/timeline", params={
                "speaker": "Putin", "topic": "negotiations"}).json()["items"]
            statements = client.get("/statements", params={"limit": 1000}).json()
            counted = client.get("/sparql", params={"query": SPARQL_COUNT},
                                 headers={"Accept": "application/sparql-results+json"})
            assert counted.status_code == 200, counted.text
            built = client.get("/sparql", params={"query": SPARQL_CONSTRUCT},
                               headers={"Accept": "application/n-triples"})
            assert built.status_code == 200, built.text
            answers.append((timeline_items, statements,
                            counted.json()["results"]["bindings"][0]["n"]["value"],
                            _quads(built.content, "ntriples")))
    assert answers[0][0], "no statement of Putin on negotiations"
    assert len(answers[0][3]) > 10
    assert answers[1] == answers[0]


def test_the_api_writes_to_the_server(seeds_on_server: Path, server_env: str,
                                      virtuoso: virtuoso_server.VirtuosoServer,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    monkeypatch.setenv("TKG_STORE", server_env)
    monkeypatch.setenv("TKG_WRITE_TOKEN", "token")
    article = {"id": "remote-write-1", "published": "2024-03-01", "title": "A test",
               "text": "Olaf Scholz said on Friday: \"We will not send troops.\""}
    with TestClient(create_app()) as client:
        posted = client.post("/articles", json=article, headers={"Authorization": "Bearer token"})
        assert posted.status_code in (200, 201), posted.text
        assert client.get("/articles/remote-write-1").status_code == 200
    with connect(virtuoso) as remote:
        assert "remote-write-1" in remote.article_ids()
        assert remote.remove_article("remote-write-1")
