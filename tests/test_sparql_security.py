"""The endpoint is safe to expose: no outbound connections, no file reads, no updates, deep or
crashing or endless queries stopped with 4xx/503 while the server keeps answering fast.

Outbound connections are counted by a loopback listener on 127.0.0.1 whose address every
``SERVICE`` / ``LOAD`` / remote-context attempt names: it must receive nothing.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from loopback import serving_in_thread

from api.sparql import sparql_router
from api.sparql_worker import Job, QueryPool

EX = "http://example.org/"
BUDGET_S = 2.0


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("security") / "store"
    store = ox.Store(str(path))
    for i in range(40):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)),
                          ox.NamedNode(f"{EX}g")))
    store.flush()
    return path


@pytest.fixture(scope="module")
def base(store_path):
    """A real server (uvicorn on a free port) with the endpoint and a /health route."""
    app = FastAPI()
    app.include_router(sparql_router(store_path, timeout_s=BUDGET_S, workers=2))

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    with serving_in_thread(app) as port:
        yield f"http://127.0.0.1:{port}"


def attempts(port: int) -> list[str]:
    """Queries and updates that would reach ``127.0.0.1:port`` if they ran."""
    iri = f"<http://127.0.0.1:{port}/sparql>"
    return [
        f"SELECT * {{ SERVICE {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE SILENT {iri} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ BIND({iri} AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE {iri} {{ ?s ?q ?r }} }} }}",
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE {iri} {{ ?s ?q ?r }} }} }}",
        f"SELECT * {{ {{ SELECT ?s {{ SERVICE {iri} {{ ?s ?q ?r }} }} }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * {{ SERVICEe:x {{ ?s ?p ?o }} }}",
        f"sElEcT * {{ sErViCe {iri} {{ ?s ?p ?o }} }}",
        f"LOAD {iri}",
        f"LOAD {iri} INTO GRAPH <{EX}g>",
    ]


@pytest.mark.parametrize("index", range(10))
def test_service_and_load_refused_without_connecting(base, listener, index):
    query = attempts(listener.port)[index]
    for request in (lambda: httpx.get(f"{base}/sparql", params={"query": query}),
                    lambda: httpx.post(f"{base}/sparql", data={"query": query}),
                    lambda: httpx.post(f"{base}/sparql", data={"update": query})):
        response = request()
        assert response.status_code == 400, response.text
    assert listener.connections == 0


@pytest.mark.parametrize("query", [
    "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> { GRAPH ?g { ?s ?p ?o } }",
    "BASE <file:///etc/> SELECT * FROM <passwd> { ?s ?p ?o }",
    "ASK FROM <ftp://127.0.0.1/x> {}",
])
def test_file_and_other_scheme_datasets_refused(base, query):
    response = httpx.get(f"{base}/sparql", params={"query": query})
    assert response.status_code == 400
    assert "root:" not in response.text


def test_jsonld_with_remote_context_is_never_parsed(base, listener):
    body = f'{{"@context": "http://127.0.0.1:{listener.port}/context.jsonld", "@id": "x"}}'
    response = httpx.post(f"{base}/sparql", content=body,
                          headers={"content-type": "application/ld+json"})
    assert response.status_code == 415
    assert listener.connections == 0


def test_worker_cannot_open_sockets_even_past_the_checks(store_path, listener):
    """Defence in depth: a SERVICE sent straight to a worker (no checks) still connects
    nowhere, because the worker's seccomp filter denies socket()."""
    pool = QueryPool(store_path, size=1, timeout_s=5)
    try:
        query = f"SELECT * {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
        outcome = pool.run(Job(query=query, form="SELECT", fmt="json"))
    finally:
        pool.close()
    assert outcome.status == 503
    assert listener.connections == 0


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("brackets", ["{}", "()"])
def test_deep_nesting_refused_and_server_alive(base, depth, brackets):
    opening, closing = brackets
    query = "SELECT * { FILTER(" + opening * depth + "1" + closing * depth + ") }"
    started = time.perf_counter()
    response = httpx.post(f"{base}/sparql", content=query,
                          headers={"content-type": "application/sparql-query"})
    assert response.status_code in (400, 413)
    assert time.perf_counter() - started < 2.0
    assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_ten_deep_query_still_runs(base):
    query = "SELECT * " + "{" * 10 + "}" * 10
    assert httpx.get(f"{base}/sparql", params={"query": query}).status_code == 200


def test_crashing_query_answers_503_and_server_survives(base):
    """60 KB of ``1+1+…`` overflows the engine's stack (a segfault, measured): the worker dies,
    the request answers 503, and the next query is served by a replacement."""
    query = "SELECT (1" + "+1" * 30_000 + " AS ?x) {}"
    response = httpx.post(f"{base}/sparql", content=query,
                          headers={"content-type": "application/sparql-query"}, timeout=30)
    assert response.status_code == 503
    assert "crashed" in response.text
    for _ in range(3):
        assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_cartesian_product_stopped_within_budget_while_others_stay_fast(base):
    joins = " . ".join(f"?a{i} ?b{i} ?c{i}" for i in range(8))
    slow = f"SELECT (COUNT(*) AS ?n) {{ {joins} }}"
    with ThreadPoolExecutor(max_workers=2) as executor:
        started = time.perf_counter()
        future = executor.submit(httpx.get, f"{base}/sparql", params={"query": slow}, timeout=30)
        time.sleep(0.3)
        for _ in range(5):
            assert httpx.get(f"{base}/health").status_code == 200
            assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200
        served_meanwhile = not future.done()  # the others did not wait for the slow one
        response = future.result()
        elapsed = time.perf_counter() - started
    assert response.status_code == 503
    assert "time budget" in response.text
    assert BUDGET_S <= elapsed < BUDGET_S + 3
    assert served_meanwhile


def test_memory_hog_stopped_by_the_memory_budget(store_path):
    pool = QueryPool(store_path, size=1, timeout_s=20, memory_mb=400)
    joins = " . ".join(f"?a{i} ?b{i} ?c{i}" for i in range(5))
    query = f"SELECT (GROUP_CONCAT(CONCAT(STR(?c0), STR(?c1), STR(?c2), STR(?c3)); " \
            f"separator='xxxxxxxxxxxxxxxxxxxx') AS ?all) {{ {joins} }}"
    started = time.perf_counter()
    try:
        outcome = pool.run(Job(query=query, form="SELECT", fmt="json"))
    finally:
        pool.close()
    assert outcome.status == 503
    assert "time budget" not in outcome.message
    assert time.perf_counter() - started < 20
