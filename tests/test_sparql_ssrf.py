"""SSRF and file reads: no request makes the server connect anywhere or read a local file.

The whole app (:func:`api.app.create_app`, writes enabled with a token) serves on 127.0.0.1 in
this process, so two counters watch every construct below:

- a listener on 127.0.0.1 (:class:`tests.loopback.Listener`) whose address the constructs name:
  it counts the connections it receives, from this process or from the SPARQL worker processes
  (which also deny ``socket()`` with seccomp);
- an audit hook (``sys.addaudithook``) on ``socket.connect`` and ``socket.getaddrinfo`` in this
  process: every connection or name lookup other than the test client's own to the server.

Each construct is sent every way the protocol allows: a query as ``GET ?query=``, a
``application/sparql-query`` POST body and a urlencoded form; an update as ``GET ?update=``, a
``application/sparql-update`` body and a form; other bodies as they are. Each must be rejected
(4xx) or answered (2xx) as its row says, and both counters must stay at 0. This extends
``tests/test_sparql_security.py`` (SERVICE by IRI, SILENT, variable, in OPTIONAL / EXISTS /
subquery, glued prefixes and case; LOAD; FROM file://, ftp://, relative to a file base; a remote
JSON-LD context on /sparql) with constructs it does not have.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import httpx
import pytest
from loopback import serving_in_thread

TOKEN = "ssrf-test-token"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
#: Addresses this process may legitimately reach while armed: the server under test.
_allowed: set[tuple[str, int]] = set()
_outbound: list[tuple[str, tuple]] = []
_armed = threading.Event()
_installed: list = []


def _audit(event: str, args: tuple) -> None:
    """Record connections and name lookups made while armed, other than to the server."""
    if not _armed.is_set():
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and tuple(address[:2]) in _allowed:
            return
        _outbound.append((event, (address,)))
    elif event == "socket.getaddrinfo":
        if (args[0], args[1]) in _allowed:
            return
        _outbound.append((event, args[:2]))


@pytest.fixture(scope="module")
def audited():
    """The audit hook, installed once a session (hooks cannot be removed; it is idle unless
    armed)."""
    if _audit not in _installed:
        sys.addaudithook(_audit)
        _installed.append(_audit)


@dataclass(frozen=True)
class Construct:
    """One hostile request: its name, the text (``{host}`` is the listener's ``host:port``),
    how it travels (``query``, ``update``, or a raw body for ``path``) and the answer expected
    (``reject``: 4xx by every route; ``answer``: 2xx, the IRIs only naming graphs; ``refuse``:
    4xx or 503, for an unknown extension function, which the engine reports as a runtime error
    that the worker answers with 503 "the query failed")."""

    name: str
    text: str
    kind: str = "query"
    expect: str = "reject"
    path: str = "/sparql"
    media: str = ""
    params: tuple[tuple[str, str], ...] = ()


SPO = "{ ?s ?p ?o }"
CONSTRUCTS = [
    Construct("SERVICE https", f"SELECT * {{ SERVICE <https://{{host}}/sparql> {SPO} }}"),
    Construct("SERVICE file", f"SELECT * {{ SERVICE <file:///etc/passwd> {SPO} }}"),
    Construct("SERVICE ftp", f"SELECT * {{ SERVICE <ftp://{{host}}/x> {SPO} }}"),
    Construct("SERVICE gopher", f"SELECT * {{ SERVICE <gopher://{{host}}/_GET%20/> {SPO} }}"),
    Construct("SERVICE localhost", f"SELECT * {{ SERVICE <http://localhost:{{port}}/> {SPO} }}"),
    Construct("SERVICE cloud metadata",
              f"SELECT * {{ SERVICE <http://169.254.169.254/latest/meta-data/> {SPO} }}"),
    Construct("SERVICE IPv6 loopback", f"SELECT * {{ SERVICE <http://[::1]:{{port}}/> {SPO} }}"),
    Construct("SERVICE IPv4-mapped IPv6",
              f"SELECT * {{ SERVICE <http://[::ffff:127.0.0.1]:{{port}}/> {SPO} }}"),
    Construct("SERVICE decimal IP", f"SELECT * {{ SERVICE <http://2130706433:{{port}}/> {SPO} }}"),
    Construct("SERVICE hex IP", f"SELECT * {{ SERVICE <http://0x7f000001:{{port}}/> {SPO} }}"),
    Construct("SERVICE octal IP", f"SELECT * {{ SERVICE <http://0177.0.0.1:{{port}}/> {SPO} }}"),
    Construct("SERVICE SILENT ?var from VALUES",
              f"SELECT * {{ VALUES ?e {{ <http://{{host}}/> }} SERVICE SILENT ?e {SPO} }}"),
    Construct("SERVICE in UNION",
              f"SELECT * {{ {SPO} UNION {{ SERVICE <http://{{host}}/> {SPO} }} }}"),
    Construct("SERVICE in MINUS",
              f"SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <http://{{host}}/> {SPO} }} }}"),
    Construct("SERVICE in FILTER NOT EXISTS",
              f"SELECT * {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <http://{{host}}/> {SPO} }} }}"),
    Construct("SERVICE in GRAPH ?g",
              f"SELECT * {{ GRAPH ?g {{ SERVICE <http://{{host}}/> {SPO} }} }}"),
    Construct("SERVICE by prefixed name",
              f"PREFIX r: <http://{{host}}/> SELECT * {{ SERVICE r:sparql {SPO} }}"),
    Construct("SERVICE in CONSTRUCT",
              f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://{{host}}/> {SPO} }}"),
    Construct("SERVICE in ASK", f"ASK {{ SERVICE <http://{{host}}/> {SPO} }}"),
    Construct("SERVICE in DESCRIBE", f"DESCRIBE ?s WHERE {{ SERVICE <http://{{host}}/> {SPO} }}"),
    Construct("SERVICE with \\u escaped keyword",
              f"SELECT * {{ \\u0053ERVICE <http://{{host}}/> {SPO} }}"),
    Construct("SERVICE after a comment and newline",
              f"SELECT * {{ # SERVICE is next\n SERVICE\n<http://{{host}}/> {SPO} }}"),
    Construct("LOAD SILENT", "LOAD SILENT <http://{host}/data.ttl>", "update"),
    Construct("LOAD file", "LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/g>", "update"),
    Construct("INSERT then LOAD", "INSERT DATA { <http://a> <http://b> <http://c> } ; "
                                  "LOAD <http://{host}/x>", "update"),
    Construct("LOAD sent as a query", "LOAD <http://{host}/x>"),
    Construct("FROM file by prefixed name",
              f"PREFIX f: <file:///etc/> SELECT * FROM f:passwd {SPO}"),
    Construct("FROM gopher relative to BASE",
              f"BASE <gopher://{{host}}/> SELECT * FROM <x> {SPO}"),
    Construct("FROM NAMED file, GRAPH pull",
              "SELECT * FROM NAMED <file:///etc/passwd> "
              "{ GRAPH <file:///etc/passwd> { ?s ?p ?o } }"),
    Construct("FROM http: names a graph, never fetched",
              f"SELECT * FROM <http://{{host}}/data.ttl> {SPO}", expect="answer"),
    Construct("FROM NAMED http with GRAPH pull: never fetched",
              "SELECT * FROM NAMED <http://{host}/g.ttl> "
              "{ GRAPH <http://{host}/g.ttl> { ?s ?p ?o } }",
              expect="answer"),
    Construct("GRAPH <http://…> alone: a name, never fetched",
              "SELECT * { GRAPH <http://{host}/g.ttl> { ?s ?p ?o } }", expect="answer"),
    Construct("FROM IRI with \\u escaped file scheme",
              f"SELECT * FROM <\\u0066ile:///etc/passwd> {SPO}"),
    Construct("PREFIX with \\u escaped file scheme, FROM by prefixed name",
              f"PREFIX f: <\\u0066ile:///etc/> SELECT * FROM NAMED f:passwd {SPO}"),
    Construct("IRI() and URI() on a remote address: terms, never fetched",
              'SELECT ?i ?u { BIND(IRI("http://{host}/x") AS ?i) '
              'BIND(URI("file:///etc/passwd") AS ?u) }',
              expect="answer"),
    Construct("extension function named by a remote IRI",
              "SELECT (<http://{host}/fn>(1) AS ?x) {}", expect="refuse"),
    Construct("default-graph-uri http: names a graph, never fetched", f"SELECT * {SPO}",
              expect="answer", params=(("default-graph-uri", "http://{host}/d.ttl"),)),
    Construct("named-graph-uri http: names a graph, never fetched",
              f"SELECT * {{ GRAPH ?g {SPO} }}", expect="answer",
              params=(("named-graph-uri", "http://{host}/n.ttl"),)),
    Construct("default-graph-uri file", f"SELECT * {SPO}",
              params=(("default-graph-uri", "file:///etc/passwd"),)),
    Construct("named-graph-uri file", f"SELECT * {{ GRAPH ?g {SPO} }}",
              params=(("named-graph-uri", "file:///etc/passwd"),)),
    Construct("default-graph-uri gopher beside an http one", f"SELECT * {SPO}",
              params=(("default-graph-uri", "http://{host}/ok"),
                      ("default-graph-uri", "gopher://{host}/_x"))),
    Construct("JSON-LD remote @context to POST /articles",
              '{"@context": "http://{host}/context.jsonld", "@id": "x", "url": "http://{host}/a"}',
              kind="body", path="/articles", media="application/ld+json"),
    Construct("JSON-LD remote @context to POST /reviews",
              '{"@context": ["http://{host}/c1", {"@import": "http://{host}/c2"}]}',
              kind="body", path="/reviews", media="application/ld+json"),
    Construct("RDF/XML external entity to POST /sparql",
              '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">'
              '<!ENTITY y SYSTEM "http://{host}/e">]><rdf:RDF xmlns:rdf="http://www.w3.org/'
              '1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="&x;&y;"/></rdf:RDF>',
              kind="body", path="/sparql", media="application/rdf+xml"),
    Construct("RDF/XML external entity to POST /articles",
              '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://{host}/e">]>'
              '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&x;</rdf:RDF>',
              kind="body", path="/articles", media="application/rdf+xml"),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The whole app on a free port of 127.0.0.1, in this process, writes enabled."""
    from api.app import create_app
    from graph.store import open_store
    from graph.vocab import ontology_files

    path = tmp_path_factory.mktemp("ssrf") / "store"
    with open_store(path) as store:
        store.load_ontology(ontology_files())
    app = create_app(path)
    app.state.write_token = TOKEN
    with serving_in_thread(app) as port:
        _allowed.add(("127.0.0.1", port))
        yield f"http://127.0.0.1:{port}"


def _requests(construct: Construct, host: str, port: int) -> list[tuple[str, str, dict, bytes]]:
    """(method, URL path, headers, body) of every way ``construct`` can be sent."""
    text = construct.text.replace("{host}", host).replace("{port}", str(port))
    params = [(k, v.replace("{host}", host)) for k, v in construct.params]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    if construct.kind == "body":
        return [("POST", construct.path, {**auth, "Content-Type": construct.media},
                 text.encode())]
    name, media = ("update", UPDATE_TYPE) if construct.kind == "update" else ("query", QUERY_TYPE)
    url = f"/sparql?{urlencode(params)}" if params else "/sparql"
    glue = "&" if params else "?"
    return [
        ("GET", f"/sparql?{urlencode([*params, (name, text)])}", {}, b""),
        ("POST", url, {"Content-Type": media}, text.encode()),
        ("POST", "/sparql", {"Content-Type": FORM}, urlencode([*params, (name, text)]).encode()),
        ("POST", f"{url}{glue}{name}={quote(text)}", {"Content-Type": FORM}, b""),
    ]


def test_at_least_thirty_distinct_constructs():
    names = [c.name for c in CONSTRUCTS]
    assert len(set(names)) == len(names) >= 30
    assert len({(c.text, c.params, c.path) for c in CONSTRUCTS}) == len(CONSTRUCTS)
    print(f"\n{len(CONSTRUCTS)} SSRF / file-read constructs, "
          f"{sum(1 for c in CONSTRUCTS if c.expect == 'reject')} to be rejected, "
          f"{sum(1 for c in CONSTRUCTS if c.expect == 'answer')} answered without fetching")


@pytest.mark.parametrize("construct", CONSTRUCTS, ids=[c.name for c in CONSTRUCTS])
def test_construct_never_reaches_the_network(base, listener, audited, construct):
    before = listener.connections
    _outbound.clear()
    statuses = []
    _armed.set()
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for method, url, headers, body in _requests(construct, f"127.0.0.1:{listener.port}",
                                                        listener.port):
                response = client.request(method, url, headers=headers, content=body)
                statuses.append(response.status_code)
                assert "root:" not in response.text
    finally:
        _armed.clear()
    time.sleep(0.05)  # a connection the listener has not accepted yet
    assert listener.connections == before, f"{construct.name}: the listener was reached"
    assert _outbound == [], f"{construct.name}: outbound attempts {_outbound}"
    allowed = {"reject": range(400, 500), "answer": range(200, 300),
               "refuse": [*range(400, 500), 503]}[construct.expect]
    assert all(status in allowed for status in statuses), statuses


def test_both_counters_see_a_connection(listener, audited):
    """The counters can fail: a connection made while armed shows in both."""
    before = listener.connections
    _outbound.clear()
    _armed.set()
    try:
        socket.create_connection(("127.0.0.1", listener.port), timeout=5).close()
    finally:
        _armed.clear()
    deadline = time.monotonic() + 5
    while listener.connections == before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert listener.connections == before + 1
    assert [event for event, _ in _outbound] == ["socket.getaddrinfo", "socket.connect"]
    _outbound.clear()
