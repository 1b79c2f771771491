"""The SPARQL endpoint: request forms, content negotiation, result formats, datasets, caps,
the query checks, and a real client (SPARQLWrapper) against a real server."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from loopback import serving_in_thread
from hypothesis import strategies as st
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from api.sparql import sparql_router
from api.sparql_formats import BOOLEAN, GRAPH, TABULAR, negotiate
from api.sparql_guard import QueryRejected, inspect_query

EX = "http://example.org/"
DATA = f"""
<{EX}g1> {{ <{EX}merkel> <{EX}said> "Wir schaffen das"@de . <{EX}merkel> <{EX}age> 69 . }}
<{EX}g2> {{ <{EX}scholz> <{EX}said> "a \\"quoted\\", comma\\nline" . _:b <{EX}about> <{EX}g1> . }}
"""
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


def make_store(path) -> None:
    store = ox.Store(str(path))
    store.load(DATA.encode(), ox.RdfFormat.TRIG)
    for i in range(30):
        store.add(ox.Quad(ox.NamedNode(f"{EX}n{i}"), ox.NamedNode(f"{EX}rank"), ox.Literal(str(i)),
                          ox.NamedNode(f"{EX}g3")))
    store.flush()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("sparql") / "store"
    make_store(path)
    return path


@pytest.fixture(scope="module")
def client(store_path):
    app = FastAPI()
    app.include_router(sparql_router(store_path, max_rows=20, max_body=2_000, workers=2))
    with TestClient(app) as test_client:
        yield test_client


def rows(response) -> list[dict]:
    return [{k: v["value"] for k, v in b.items()}
            for b in json.loads(response.text)["results"]["bindings"]]


# ------------------------------------------------------------ the query checks (no server)

@pytest.mark.parametrize("query, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://example.org/> ask { ex:a ?p ?o }", "ASK"),
    ("BASE <http://example.org/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://example.org/a>", "DESCRIBE"),
    ('SELECT * { ?s ?p "SERVICE <http://evil/> {}" }', "SELECT"),  # in a string: harmless
    ("SELECT * { ?s ?p ?o } # SERVICE <http://evil/> {}", "SELECT"),  # in a comment
    ("PREFIX ex: <http://e/> SELECT * { ?s ex:SERVICE ?o }", "SELECT"),  # a local name
    ("SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }", "SELECT"),
    ("SELECT * FROM <http://example.org/g1> { ?s ?p ?o }", "SELECT"),
])
def test_accepted_queries_and_their_form(query, form):
    assert inspect_query(query, max_depth=50).form == form


@pytest.mark.parametrize("query, message", [
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    ("select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    ("PREFIX foo: <http://127.0.0.1:9/> SELECT * { SERVICEfoo:x {} }", "SERVICE"),
    ("SELECT * { ?s ?p trueSERVICE<http://127.0.0.1:9/>{} }", "SERVICE"),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "query-only"),
    ("CLEAR ALL", "query-only"),
    ("LOAD <http://example.org/data.ttl>", "query-only"),
    ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }", "not allowed"),
    ("BASE <file:///etc/> SELECT * FROM NAMED <passwd> { ?s ?p ?o }", "not allowed"),
    ("PREFIX f: <file:///etc/> SELECT * FROM f:passwd { ?s ?p ?o }", "not allowed"),
    ("SELECT * { ?s ?p ?o FILTER(?o<'''>''') }", "apostrophe"),
    ("SELECT * { ?s ?p 'open }", "unterminated"),
    ("SELECT * { ?s ?p ?o ) }", "unbalanced"),
    ("PREFIX x: <http://x/>", "not a SPARQL query"),
])
def test_refused_queries(query, message):
    with pytest.raises(QueryRejected, match=message):
        inspect_query(query, max_depth=50)


@pytest.mark.parametrize("depth, allowed", [(10, True), (50, True), (51, False), (1000, False)])
def test_depth_limit(depth, allowed):
    query = "SELECT * " + "{" * depth + "}" * depth
    if allowed:
        assert inspect_query(query, max_depth=50).form == "SELECT"
    else:
        with pytest.raises(QueryRejected, match="nests deeper than 50"):
            inspect_query(query, max_depth=50)


def test_depth_counts_runs_of_prefix_operators():
    with pytest.raises(QueryRejected, match="nests deeper"):
        inspect_query("SELECT * { FILTER(" + "!" * 60 + "true) }", max_depth=50)


def test_deep_query_is_checked_quickly():
    query = "SELECT * " + "{" * 100_000 + "}" * 100_000
    started = time.perf_counter()
    with pytest.raises(QueryRejected):
        inspect_query(query, max_depth=50)
    assert time.perf_counter() - started < 1.0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="{}()[]<>'\"#?:!^ \nSELECTservicefrom<>file", max_size=200))
def test_checks_never_fail_otherwise_than_by_refusing(text):
    try:
        inspect_query(text, max_depth=20)
    except QueryRejected:
        pass


# ------------------------------------------------------------ content negotiation

@pytest.mark.parametrize("accept, offers, expected", [
    (None, TABULAR, "application/sparql-results+json"),
    ("*/*", TABULAR, "application/sparql-results+json"),
    ("text/csv", TABULAR, "text/csv"),
    ("text/*", TABULAR, "text/csv"),
    ("application/sparql-results+xml;q=0.9, text/csv;q=0.1", TABULAR,
     "application/sparql-results+xml"),
    ("text/csv;q=0, */*;q=0.1", TABULAR, "application/sparql-results+json"),
    ("text/html", TABULAR, None),
    ("text/csv", BOOLEAN, None),
    ("application/json", BOOLEAN, "application/json"),
    ("application/rdf+xml, text/turtle;q=0.5", GRAPH, "application/rdf+xml"),
    ("application/n-triples", GRAPH, "application/n-triples"),
    ("application/sparql-results+json", GRAPH, None),
])
def test_negotiate(accept, offers, expected):
    assert negotiate(accept, offers) == expected


SELECT = f"SELECT ?s ?o WHERE {{ ?s <{EX}said> ?o }} ORDER BY ?s"


def _parse_tabular(media: str, body: bytes) -> list[str]:
    """The ?o values of a SELECT result, whatever its format."""
    text = body.decode("utf-8")
    if media == "application/sparql-results+json":
        return [b["o"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if media == "application/sparql-results+xml":
        root = ET.fromstring(body)
        return [b.find("*").text for b in root.iter(f"{RESULTS_NS}binding")
                if b.get("name") == "o"]
    if media == "text/csv":
        return [row["o"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    lines = text.splitlines()
    assert lines[0] == "?s\t?o"
    return [line.split("\t")[1] for line in lines[1:]]


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_in_each_format(client, accept, media):
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    values = _parse_tabular(media, response.content)
    if media == "text/tab-separated-values":
        assert values == ['"Wir schaffen das"@de', '"a \\"quoted\\", comma\\nline"']
    else:
        assert values == ["Wir schaffen das", 'a "quoted", comma\nline']


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_in_each_format(client, accept, rdflib_format):
    query = f"CONSTRUCT {{ ?s <{EX}said> ?o }} WHERE {{ ?s <{EX}said> ?o }}"
    response = client.post("/sparql", content=query,
                           headers={"content-type": "application/sparql-query", "accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) == 2


@pytest.mark.parametrize("method, kwargs, status", [
    ("GET", {"params": {"query": "ASK {}"}, "headers": {"accept": "text/html"}}, 406),
    ("GET", {"params": {"query": "CONSTRUCT WHERE {}"},
             "headers": {"accept": "application/sparql-results+json"}}, 406),
    ("POST", {"content": "ASK {}", "headers": {"content-type": "text/plain"}}, 415),
    ("POST", {"content": "ASK {}"}, 415),
    ("POST", {"content": "ASK {}".encode("utf-16"),
              "headers": {"content-type": "application/sparql-query; charset=utf-16"}}, 415),
    ("POST", {"content": b"ASK { \xff }",
              "headers": {"content-type": "application/sparql-query"}}, 400),
    ("POST", {"content": "", "headers": {"content-type": "application/x-www-form-urlencoded"}},
     400),
    ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ("GET", {"params": {"query": "ASK {"}}, 400),
    ("GET", {"params": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400),
    ("GET", {"params": {"query": "ASK {}", "default-graph-uri": "file:///etc/passwd"}}, 400),
    ("POST", {"content": "CLEAR ALL", "headers": {"content-type": "application/sparql-update"}},
     400),
    ("POST", {"content": "x" * 3_000, "headers": {"content-type": "application/sparql-query"}},
     413),
    ("PUT", {"params": {"query": "ASK {}"}}, 405),
])
def test_error_statuses(client, method, kwargs, status):
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == status, response.text


def test_three_request_forms_give_the_same_answer(client):
    query = f"SELECT ?o WHERE {{ <{EX}merkel> <{EX}age> ?o }}"
    answers = [
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"}),
    ]
    assert [rows(r) for r in answers] == [[{"o": "69"}]] * 3


@pytest.mark.parametrize("query, params, expected", [
    # no dataset: the default graph is the union of all graphs
    (f"SELECT ?s {{ ?s <{EX}said> ?o }}", {}, {f"{EX}merkel", f"{EX}scholz"}),
    (f"SELECT ?s FROM <{EX}g1> {{ ?s <{EX}said> ?o }}", {}, {f"{EX}merkel"}),
    (f"SELECT ?s FROM NAMED <{EX}g2> {{ ?s <{EX}said> ?o }}", {}, set()),
    (f"SELECT ?s FROM NAMED <{EX}g2> {{ GRAPH ?g {{ ?s <{EX}said> ?o }} }}", {},
     {f"{EX}scholz"}),
    (f"SELECT ?s {{ GRAPH <{EX}g1> {{ ?s <{EX}said> ?o }} }}", {}, {f"{EX}merkel"}),
    # the protocol dataset overrides the query's
    (f"SELECT ?s FROM <{EX}g1> {{ ?s <{EX}said> ?o }}", {"default-graph-uri": f"{EX}g2"},
     {f"{EX}scholz"}),
    (f"SELECT ?s {{ GRAPH ?g {{ ?s <{EX}said> ?o }} }}", {"named-graph-uri": f"{EX}g1"},
     {f"{EX}merkel"}),
])
def test_named_graphs(client, query, params, expected):
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    assert {row["s"] for row in rows(response)} == expected


def test_predeclared_prefixes(client):
    response = client.get("/sparql", params={"query": "ASK { FILTER(xsd:integer('1') = 1) }"})
    assert json.loads(response.text)["boolean"] is True


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv"])
def test_row_cap_truncates_and_says_so(client, accept):
    response = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"},
                          headers={"accept": accept})
    assert response.headers["x-truncated"] == "true"
    if accept == "text/csv":
        assert len(response.text.strip().splitlines()) == 1 + 20
    elif accept.endswith("json"):
        data = json.loads(response.text)
        assert len(data["results"]["bindings"]) == 20
        assert data["head"]["link"] == ["urn:timeline-kg:truncated"]
    else:
        assert "urn:timeline-kg:truncated" in response.text


def test_untruncated_result_has_no_marker(client):
    response = client.get("/sparql", params={"query": f"SELECT * {{ <{EX}merkel> ?p ?o }}"})
    assert "x-truncated" not in response.headers
    assert "link" not in json.loads(response.text)["head"]


def test_construct_row_cap(client):
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"accept": "application/n-triples"})
    assert response.headers["x-truncated"] == "true"
    assert len([line for line in response.text.splitlines() if line.endswith(" .")]) == 20


@pytest.mark.parametrize("accept, rdflib_format", [
    (None, "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_service_description(client, accept, rdflib_format):
    response = client.get("/sparql", headers={"accept": accept} if accept else {})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdflib_format)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = {str(o) for _, p, o in graph if str(p) == f"{sd}endpoint"}
    assert endpoints == {"http://testserver/sparql"}


def test_no_cors_headers_by_default(client):
    response = client.get("/sparql", params={"query": "ASK {}"},
                          headers={"origin": "http://elsewhere.example"})
    assert not any(h.startswith("access-control-") for h in response.headers)


def test_query_page_is_self_contained(client):
    response = client.get("/sparql/ui")
    assert response.status_code == 200
    assert "<form" in response.text and "/sparql" in response.text
    assert "http://" not in response.text and "https://" not in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_writes_to_the_store_show_up(tmp_path):
    path = tmp_path / "store"
    make_store(path)
    writer = ox.Store(str(path))  # the single writer keeps the store open meanwhile
    app = FastAPI()
    app.include_router(sparql_router(path, workers=1))
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    with TestClient(app) as test_client:
        before = int(rows(test_client.get("/sparql", params={"query": count}))[0]["n"])
        writer.add(ox.Quad(ox.NamedNode(f"{EX}new"), ox.NamedNode(f"{EX}p"), ox.Literal("x"),
                           ox.NamedNode(f"{EX}g4")))
        after = int(rows(test_client.get("/sparql", params={"query": count}))[0]["n"])
    assert after == before + 1


# ------------------------------------------------------------ a real client on a real server

@pytest.fixture(scope="module")
def server(store_path):
    app = FastAPI()
    app.include_router(sparql_router(store_path, workers=2))
    with serving_in_thread(app) as port:
        yield f"http://127.0.0.1:{port}/sparql"


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select(server, fmt, method):
    client = SPARQLWrapper(server)
    client.setMethod(method)
    client.setQuery(f"SELECT ?o WHERE {{ <{EX}merkel> <{EX}age> ?o }}")
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if fmt == JSON:
        assert result["results"]["bindings"][0]["o"]["value"] == "69"
    elif fmt == XML:
        assert result.getElementsByTagName("literal")[0].firstChild.data == "69"
    else:
        assert result.decode("utf-8").splitlines()[1].startswith(
            "69" if fmt == CSV else '"69"^^')


def test_sparqlwrapper_ask_and_construct(server):
    client = SPARQLWrapper(server)
    client.setQuery(f"ASK {{ <{EX}merkel> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ ?s <{EX}said> ?o }} WHERE {{ ?s <{EX}said> ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 2
