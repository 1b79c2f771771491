"""Replay of the W3C SPARQL 1.1 Protocol tests (``tests/data/w3c-sparql11-protocol/``).

Reads ``protocol-manifest.ttl``: each of the 34 tests is a list of HTTP requests (method, path,
headers, body) with the expected status class, result format and boolean. The data files are
loaded into a temporary store as the named graphs the manifest labels them with, and every
request is sent to the endpoint (the manifest's ``/sparql/`` prefix replaced by ``/sparql``).

Excluded from conformance, by design: the seven ``update_*`` tests expect SPARQL Update to
succeed, and the public endpoint is query-only. They are still replayed, with the opposite
expectation: their first request must answer 400 and say the endpoint is query-only.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection

from api.sparql import sparql_router

SUITE = Path(__file__).parent / "data" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
RDFS_LABEL = Namespace("http://www.w3.org/2000/01/rdf-schema#").label
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"

EXCLUDED = {
    "update_dataset_default_graph": "query-only endpoint: SPARQL Update is refused by design",
    "update_dataset_default_graphs": "query-only endpoint: SPARQL Update is refused by design",
    "update_dataset_named_graphs": "query-only endpoint: SPARQL Update is refused by design",
    "update_dataset_full": "query-only endpoint: SPARQL Update is refused by design",
    "update_post_form": "query-only endpoint: SPARQL Update is refused by design",
    "update_post_direct": "query-only endpoint: SPARQL Update is refused by design",
    "update_base_uri": "query-only endpoint: SPARQL Update is refused by design",
}
TABULAR = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values")
BOOLEAN = ("application/sparql-results+json", "application/sparql-results+xml")
RDF_TYPES = ("application/rdf+xml", "text/turtle", "application/n-triples")


def _manifest() -> tuple[Graph, list]:
    graph = Graph().parse(SUITE / "protocol-manifest.ttl", format="turtle",
                          publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
                                   "protocol/manifest")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return graph, list(Collection(graph, graph.value(manifest, MF.entries)))


GRAPH, ENTRIES = _manifest()


def _name(test) -> str:
    return str(test).rsplit("#", 1)[-1]


def _requests(test) -> list[dict]:
    action = GRAPH.value(test, MF.action)
    requests = []
    for node in Collection(GRAPH, GRAPH.value(action, HT.requests)):
        body = GRAPH.value(node, HT.body)
        headers_list = GRAPH.value(node, HT.headers)
        headers = {str(GRAPH.value(h, HT.fieldName)): str(GRAPH.value(h, HT.fieldValue))
                   for h in (Collection(GRAPH, headers_list) if headers_list else [])}
        response = GRAPH.value(node, HT.resp)
        expected_boolean = GRAPH.value(response, MF.expectedBoolean)
        requests.append({
            "method": str(GRAPH.value(node, HT.methodName)),
            "path": str(GRAPH.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
            "headers": headers,
            "body": (str(GRAPH.value(body, CNT.chars)).encode(
                str(GRAPH.value(body, CNT.characterEncoding) or "UTF-8")) if body else None),
            "status": {str(s).rsplit("StatusCode", 1)[-1][0]
                       for s in GRAPH.objects(response, MF.expectedStatus)},
            "format": str(GRAPH.value(response, MF.expectedFormat) or ""),
            "boolean": None if expected_boolean is None else bool(expected_boolean.toPython()),
        })
    return requests


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The endpoint over a store holding every data file of the suite in its labelled graph."""
    path = tmp_path_factory.mktemp("w3c") / "store"
    store = ox.Store(str(path))
    for test in ENTRIES:
        for data in GRAPH.objects(test, UT.graphData):
            name = str(GRAPH.value(data, UT.graph)).rsplit("/", 1)[-1]
            graph = ox.NamedNode(str(GRAPH.value(data, RDFS_LABEL)))
            store.load(path=str(SUITE / f"protocol-{name}"), format=ox.RdfFormat.N_TRIPLES,
                       to_graph=graph)
    store.flush()
    del store
    app = FastAPI()
    app.include_router(sparql_router(path, workers=2))
    with TestClient(app) as test_client:
        yield test_client


def _boolean(response) -> bool:
    if "json" in response.headers["content-type"]:
        return json.loads(response.text)["boolean"]
    return ET.fromstring(response.content).find(f"{RESULTS_NS}boolean").text == "true"


def _check_format(response, fmt: str) -> None:
    media = response.headers["content-type"].split(";")[0]
    if fmt == "boolean":
        assert media in BOOLEAN
    elif fmt == "tabular":
        assert media in TABULAR
        if media == "application/sparql-results+json":
            assert "bindings" in json.loads(response.text)["results"]
    elif fmt == "RDF":
        assert media in RDF_TYPES
        Graph().parse(data=response.content, format={"text/turtle": "turtle",
                                                     "application/n-triples": "nt",
                                                     "application/rdf+xml": "xml"}[media])


def _send(client, request):
    return client.request(request["method"], request["path"], headers=request["headers"],
                          content=request["body"])


def test_manifest_has_34_tests_and_every_exclusion_names_one():
    names = [_name(t) for t in ENTRIES]
    assert len(names) == 34
    assert set(EXCLUDED) <= set(names)


@pytest.mark.parametrize("test", [t for t in ENTRIES if _name(t) not in EXCLUDED], ids=_name)
def test_protocol(client, test):
    for request in _requests(test):
        response = _send(client, request)
        assert str(response.status_code)[0] in request["status"], response.text
        if request["format"]:
            _check_format(response, request["format"])
        if request["boolean"] is not None:
            assert _boolean(response) is request["boolean"]


@pytest.mark.parametrize("test", [t for t in ENTRIES if _name(t) in EXCLUDED], ids=_name)
def test_excluded_update_is_refused_as_query_only(client, test):
    response = _send(client, _requests(test)[0])
    assert response.status_code == 400
    assert "query-only" in response.text
