"""The store on a SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB, Neptune): :class:`RemoteStore`,
with the public interface of :class:`graph.store.Store`, so the pipeline, export and evaluation
run on it unchanged.

It speaks only the SPARQL 1.1 Protocol (query and update, form-encoded POSTs, results as
``application/sparql-results+json``), never the Graph Store HTTP Protocol: on Virtuoso 7.2 a GSP
``PUT`` whose body fails to parse half-way leaves the half it loaded in place of the old graph,
and a GSP ``GET`` or a ``CONSTRUCT`` is cut at ``ResultSetMaxRows`` without a word; a SELECT cut
there says so (``X-SPARQL-MaxRows``), and this store then raises instead of answering short.

What the server must provide, and what was measured on Virtuoso 7.2.5 (Debian):

- *Writes.* A graph is replaced by one update request: ``DROP SILENT GRAPH`` then ``INSERT
  DATA`` operations of at most ``batch_triples`` triples each (Virtuoso's parser gives up near
  5,000 triples in one ``INSERT DATA``). A request the server refuses (too long, bad data) or
  that never arrives whole changes nothing. Fuseki, GraphDB and Neptune run a request in one
  transaction; Virtuoso does not roll back the earlier operations of a request whose later
  operation fails while running (deadlock, disk full), so there such a failure can leave the
  graph dropped or part-written: rerun the write (every write here is idempotent). A graph of
  more than ``request_triples`` triples is written to a staging graph first, in several
  requests, then moved in place by one ``MOVE``; readers may see the staging graph meanwhile.
  Virtuoso refuses blank nodes in ``INSERT DATA``; triples with one go in an ``INSERT … WHERE
  {}`` of their own (the project never mints blank nodes).
- *Literals.* Virtuoso keeps ``"x"`` and ``"x"^^xsd:string`` apart (RDF 1.1 makes them one);
  strings are written and bound as simple literals, which both kinds of server match. Virtuoso
  stores typed literals by value (``"0.850"^^xsd:decimal`` comes back ``"0.85"``).
- *Reads.* Queries run with no dataset clause, on the server's default graph, which must be the
  union of all graphs, as the embedded store's is: Virtuoso's and GraphDB's are; Fuseki's needs
  ``tdb2:unionDefaultGraph true``. Virtuoso's default graph also holds its system graphs (other
  vocabularies): :meth:`RemoteStore.graph`, ``len`` and :meth:`RemoteStore.dump` take only the
  graphs under ``…/id/graph/``, the project's. A result Virtuoso cuts at its time limit (an
  "anytime" answer, ``X-SQL-State``) raises too.
- *Wrong answers.* Virtuoso 7.2 matches a string constant against an IRI of the same text, drops
  a ``FILTER EXISTS`` beside a FILTER that ORs ``EXISTS`` blocks of three or more patterns, and
  miscounts joins of two ``*`` paths: ``tests/test_store_remote.py`` compares its answers to the
  project's queries with the embedded store's on the same data.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import sha1
from pathlib import Path
from typing import Any, BinaryIO, Self

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from graph import rdf
from graph.config import BASE_IRI, SPARQL_AUTH_SCHEMES
from graph.model import Extraction, Review
from graph.rdf_review import review_iri, review_quads, reviews_from_graph
from graph.store import FORMATS, StoreError
from graph.store_terms import OUTPUT_PREFIXES, Binding, from_ox, to_ox, with_bindings, xml_safe
from graph.vocab import (
    ITEMS_GRAPH,
    LINKS_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    REVIEW_GRAPH,
    article_graph,
    article_iri,
)
from graph.vocab import id_of as vocab_id_of
from graph.vocab import iri as vocab_iri

Row = dict[str, str | None]
Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: What :meth:`RemoteStore.protocol_query` gives: variables and rows, a boolean, or triples.
Answer = tuple[list[str], list[list[Term | None]]] | bool | list[ox.Triple]

#: Every graph the project writes is named under this prefix; other graphs are not ours.
GRAPH_PREFIX = f"{BASE_IRI}graph/"
#: Graphs being written in several requests (:meth:`RemoteStore._replace`), outside
#: :data:`GRAPH_PREFIX` so that a leftover one is not taken for data.
STAGING_PREFIX = f"{BASE_IRI}staging/"

#: Query and update paths under a server's base URL, by server.
LAYOUTS: dict[str, tuple[str, str]] = {
    "virtuoso": ("sparql-auth", "sparql-auth"),  # base http://host:8890/ (digest credentials)
    "fuseki": ("query", "update"),  # base http://host:3030/DATASET/
    "graphdb": ("", "statements"),  # base http://host:7200/repositories/REPOSITORY/
    "neptune": ("sparql", "sparql"),  # base https://host:8182/
}
AUTH_SCHEMES = SPARQL_AUTH_SCHEMES
#: Seconds to wait for a connection to the server: a host that does not answer fails fast
#: even when queries may take long (``timeout_s``).
CONNECT_TIMEOUT_S = 10.0

_RESULTS_JSON = "application/sparql-results+json"
_N_TRIPLES = "application/n-triples"
_PREFIX_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_SERVER_ECHO = re.compile(r"\n\s*SPARQL query:.*", re.DOTALL)


@dataclass(frozen=True)
class Endpoint:
    """Where a SPARQL server answers, and how to log in. ``update_url`` defaults to
    ``query_url``; ``user`` with ``password`` log in with HTTP ``auth`` (basic or digest)."""

    query_url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    timeout_s: float = 60.0

    def __post_init__(self) -> None:
        for url in (self.query_url, self.update_url):
            if url is not None and not url.startswith(("http://", "https://")):
                raise ValueError(f"not an http(s) URL of a SPARQL endpoint: {url!r}")
        if self.auth not in AUTH_SCHEMES:
            raise ValueError(f"unknown HTTP authentication {self.auth!r}; choose one of: "
                             f"{', '.join(AUTH_SCHEMES)}")
        if (self.user is None) != (self.password is None):
            raise ValueError("give both a user and a password for the SPARQL server, or neither")
        if not 0 < self.timeout_s < float("inf"):
            raise ValueError(f"timeout_s must be a positive number of seconds, not {self.timeout_s!r}")

    @classmethod
    def from_base(cls, base_url: str, server: str, **options: Any) -> Endpoint:
        """The endpoints of a ``server`` (a key of :data:`LAYOUTS`) under ``base_url``."""
        if server not in LAYOUTS:
            raise ValueError(f"unknown SPARQL server {server!r}; known: {', '.join(LAYOUTS)} "
                             f"(or give the query and update URLs)")
        query, update = LAYOUTS[server]
        base = base_url.rstrip("/")
        return cls(f"{base}/{query}".rstrip("/"), f"{base}/{update}".rstrip("/"), **options)


def _client(endpoint: Endpoint, transport: httpx.BaseTransport | None) -> httpx.Client:
    auth: httpx.Auth | None = None
    if endpoint.user is not None and endpoint.password is not None:
        scheme = httpx.DigestAuth if endpoint.auth == "digest" else httpx.BasicAuth
        auth = scheme(endpoint.user, endpoint.password)
    connect = min(endpoint.timeout_s, CONNECT_TIMEOUT_S)
    timeout = httpx.Timeout(endpoint.timeout_s, connect=connect)
    return httpx.Client(auth=auth, timeout=timeout, transport=transport)


# ---------------------------------------------------------------- terms and texts, as graph.store


def _term_text(node: Node | Binding) -> str:
    """A term in SPARQL/N-Triples syntax; strings as simple literals (never ``^^xsd:string``)."""
    return str(to_ox(node))


def _ox_plain(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _ox_term(value: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A pyoxigraph term from one SPARQL JSON results binding (SPARQL 1.0 ``typed-literal`` too)."""
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":  # Virtuoso's labels ("nodeID://b10007") are not valid blank node ids
        return ox.BlankNode(sha1(text.encode("utf-8")).hexdigest())
    if "xml:lang" in value:
        return ox.Literal(text, language=value["xml:lang"])
    if "datatype" in value:
        return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
    return ox.Literal(text)


def _plain(value: dict[str, str] | None) -> str | None:
    """A binding as :meth:`graph.store.Store.query` gives it: the IRI or lexical form."""
    if value is None:
        return None
    return f"_:{value['value']}" if value["type"] == "bnode" else value["value"]


def _server_message(response: httpx.Response) -> str:
    """The server's error text, without the query it echoes (Virtuoso), cut short."""
    text = _SERVER_ECHO.sub("", response.text).strip()
    return text[:300] + ("…" if len(text) > 300 else "")


def _with_prefixes(sparql: str) -> str:
    """``sparql`` with PREFIX lines for the :data:`graph.vocab.PREFIXES` it does not declare."""
    declared = {name or "" for name in _PREFIX_DECLARED.findall(sparql)}
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    return "\n".join([*lines, sparql])


class RemoteStore:
    """The project's dataset on a SPARQL 1.1 server; see the module docstring for what the
    server must do. Same methods as :class:`graph.store.Store`; a closed store refuses calls.

    ``batch_triples`` bounds one ``INSERT DATA`` operation, ``request_triples`` one request
    (larger graphs are staged); ``retries`` is how often a request that failed in transit is
    sent again (every request here is idempotent); ``transport`` replaces httpx's (a proxy,
    client certificates, a test double).
    """

    def __init__(self, endpoint: Endpoint | str, *, batch_triples: int = 1000,
                 request_triples: int = 20_000, retries: int = 1,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.endpoint = Endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        if batch_triples < 1 or request_triples < batch_triples or retries < 0:
            raise ValueError(f"need 1 <= batch_triples <= request_triples and retries >= 0, got "
                             f"{batch_triples}, {request_triples}, {retries}")
        self.batch_triples, self.request_triples, self.retries = batch_triples, request_triples, retries
        self._http: httpx.Client | None = _client(self.endpoint, transport)
        #: An empty in-memory dataset: parses queries (same syntax errors as the embedded
        #: store) and tells their form, never evaluated against data.
        self._parser = ox.Store()

    # ------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        return self.endpoint.query_url

    @property
    def read_only(self) -> bool:
        """Always ``False``: whether writes are allowed is the server's decision."""
        return False

    def close(self) -> None:
        """Close the HTTP connections. Idempotent."""
        http, self._http = self._http, None
        if http is not None:
            http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                            f"FILTER (STRSTARTS(STR(?g), \"{GRAPH_PREFIX}\")) }}")
        return int(rows[0]["n"]["value"])

    # ------------------------------------------------------------ HTTP

    def _post(self, url: str, form: dict[str, str | list[str]], accept: str,
              what: str) -> httpx.Response:
        if self._http is None:
            raise StoreError(f"the store {self.url} is closed")
        for attempt in range(self.retries + 1):
            try:
                response = self._http.post(url, data=form, headers={"Accept": accept})
                break
            except httpx.TimeoutException as err:  # still running there, perhaps: not resent
                raise StoreError(f"{what} at {url} timed out after {self.endpoint.timeout_s} s; "
                                 f"the server may still carry it out") from err
            except httpx.TransportError as err:
                if attempt == self.retries:
                    raise StoreError(f"{what} at {url} failed in transit ({err!r}); it is safe "
                                     f"to repeat") from err
        if response.status_code in (401, 403):
            raise StoreError(f"the SPARQL server at {url} refused {what} for user "
                             f"{self.endpoint.user!r} (HTTP {response.status_code}): "
                             f"{_server_message(response)}")
        if response.is_error:
            raise StoreError(f"the SPARQL server at {url} refused {what} (HTTP "
                             f"{response.status_code}): {_server_message(response)}")
        if "x-sql-state" in response.headers:
            raise StoreError(f"the SPARQL server at {url} answered {what} incompletely: "
                             f"{response.headers.get('x-sql-message', response.headers['x-sql-state'])}")
        if "x-sparql-maxrows" in response.headers:
            raise StoreError(f"the SPARQL server at {url} cut the result of {what} at "
                             f"{response.headers['x-sparql-maxrows']} rows; raise its limit "
                             f"(Virtuoso: ResultSetMaxRows in [SPARQL])")
        return response

    def _update(self, update: str) -> None:
        self._post(self.endpoint.update_url or self.endpoint.query_url, {"update": update},
                   _RESULTS_JSON, "an update")

    def _results(self, sparql: str, accept: str,
                 dataset: dict[str, list[str]] | None = None) -> httpx.Response:
        return self._post(self.endpoint.query_url,
                          {"query": _with_prefixes(sparql), **(dataset or {})}, accept, "a query")

    def _select(self, sparql: str) -> list[dict[str, dict[str, str]]]:
        """The bindings of a SELECT query, as the server's JSON gives them."""
        data = self._results(sparql, _RESULTS_JSON).json()
        return data["results"]["bindings"]

    # ------------------------------------------------------------ writing

    def _operations(self, graph: str, triples: list[Sequence[Any]]) -> list[str]:
        """``INSERT DATA`` operations of at most :attr:`batch_triples` triples into ``graph``,
        and one ``INSERT … WHERE {}`` holding every triple with a blank node."""
        lines = [f"{_term_text(s)} {_term_text(p)} {_term_text(o)} ." for s, p, o in triples
                 if not isinstance(s, BNode) and not isinstance(o, BNode)]
        blank = [f"{_term_text(s)} {_term_text(p)} {_term_text(o)} ." for s, p, o in triples
                 if isinstance(s, BNode) or isinstance(o, BNode)]
        size = self.batch_triples
        operations = [f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(lines[i:i + size])
                      + "\n} }" for i in range(0, len(lines), size)]
        if blank:
            operations.append(f"INSERT {{ GRAPH <{graph}> {{\n" + "\n".join(blank)
                              + "\n} } WHERE {}")
        return operations

    def _replace(self, graph: URIRef, quads: Iterable[rdf.Quad]) -> None:
        """Make ``graph`` hold exactly ``quads`` (all in ``graph``): one request when they fit
        in :attr:`request_triples`, else staged and moved in place by one ``MOVE``."""
        triples = []
        for s, p, o, g in quads:
            if g != graph:
                raise ValueError(f"quad {s} {p} {o} is in graph {g}, expected {graph}")
            triples.append((s, p, o))
        if len(triples) <= self.request_triples:
            self._update(" ;\n".join([f"DROP SILENT GRAPH <{graph}>",
                                      *self._operations(str(graph), triples)]))
            return
        stage = f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        try:
            for start in range(0, len(triples), self.request_triples):
                chunk = triples[start:start + self.request_triples]
                self._update(" ;\n".join(self._operations(stage, chunk)))
            self._update(f"MOVE GRAPH <{stage}> TO GRAPH <{graph}>")
        except StoreError:
            try:
                self._update(f"DROP SILENT GRAPH <{stage}>")
            except StoreError:
                pass  # the first error is the one to report; the stage is outside our graphs
            raise

    def put_article(self, extraction: Extraction) -> None:
        """Replace the article's named graph with this extraction."""
        graph = article_graph(extraction.article.id)
        self._replace(graph, rdf.article_quads(extraction))

    def remove_article(self, article_id: str) -> bool:
        """Drop the article's graph; ``False`` when it was not stored."""
        graph = article_graph(article_id)
        existed = self.ask("ASK { GRAPH ?g { ?s ?p ?o } }", g=graph)
        self._update(f"DROP SILENT GRAPH <{graph}>")
        return existed

    def replace_links(self, quads: Sequence[rdf.Quad]) -> None:
        """Replace the links graph with ``quads`` (all in the links graph)."""
        self._replace(LINKS_GRAPH, quads)

    def revise(self, graph: URIRef, subjects: Sequence[URIRef], quads: Sequence[rdf.Quad]) -> None:
        """Remove every triple of ``subjects`` from ``graph``, then add ``quads`` (all in
        ``graph``): one request when they fit in :attr:`request_triples`, else the removal and
        then the additions in parts (a reader may see the graph between two of them)."""
        triples = []
        for s, p, o, g in quads:
            if g != graph:
                raise ValueError(f"quad {s} {p} {o} is in graph {g}, expected {graph}")
            triples.append((s, p, o))
        operations = []
        if subjects:
            values = " ".join(_term_text(s) for s in subjects)
            operations.append(f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} "
                              f"WHERE {{ GRAPH <{graph}> {{ VALUES ?s {{ {values} }} ?s ?p ?o }} }}")
        if len(triples) <= self.request_triples:
            operations += self._operations(str(graph), triples)
            if operations:
                self._update(" ;\n".join(operations))
            return
        if operations:
            self._update(operations[0])
        for start in range(0, len(triples), self.request_triples):
            self._update(" ;\n".join(self._operations(str(graph), triples[start:start + self.request_triples])))

    def put_review(self, review: Review) -> None:
        """Record a review decision, replacing an earlier decision on the same thing."""
        node, graph = _term_text(review_iri(review)), _term_text(REVIEW_GRAPH)
        triples = [(s, p, o) for s, p, o, _ in review_quads(review)]
        self._update(" ;\n".join([f"DELETE WHERE {{ GRAPH {graph} {{ {node} ?p ?o }} }}",
                                  *self._operations(str(REVIEW_GRAPH), triples)]))

    def reviews(self) -> list[Review]:
        """Every review decision, in a stable order."""
        return reviews_from_graph(self.graph(REVIEW_GRAPH))

    def members(self, node_id: str) -> list[str]:
        """The mention ids of a merged statement or event of the links graph."""
        rows = self.select("SELECT ?m WHERE { GRAPH ?links { ?node tkg:hasMention ?m } }",
                           links=LINKS_GRAPH, node=vocab_iri(node_id))
        return sorted(vocab_id_of(str(row["m"])) for row in rows)

    def load_ontology(self, paths: Iterable[Path]) -> None:
        """Replace the ontology graph with the triples of these Turtle files (idempotent)."""
        quads = []
        for path in paths:
            try:
                triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
            except SyntaxError as err:
                raise ValueError(f"{path} is not valid Turtle: {err}") from err
            quads += [(from_ox(t.subject), from_ox(t.predicate),
                       from_ox(t.object), ONTOLOGY_GRAPH) for t in triples]
        self._replace(ONTOLOGY_GRAPH, quads)

    # ------------------------------------------------------------ reading

    def has_article(self, article_id: str, content_hash: str) -> bool:
        """Whether this article is stored with this content hash (unchanged since)."""
        return self.ask("ASK { GRAPH ?g { ?a tkg:contentHash ?hash } }",
                        g=article_graph(article_id), a=article_iri(article_id), hash=content_hash)

    def article_ids(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?id WHERE { GRAPH ?g { "
                           "?a a tkg:Article ; dcterms:identifier ?id } }")
        return sorted(str(row["id"]) for row in rows)

    def _quads(self, name: URIRef | None) -> Iterator[ox.Quad]:
        """The quads of one graph, or of every graph of the project but the read model."""
        if name is not None:
            query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        else:
            query = (f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                     f"FILTER (STRSTARTS(STR(?g), \"{GRAPH_PREFIX}\") && ?g != <{ITEMS_GRAPH}>) }}")
        for row in self._select(query):
            graph = ox.NamedNode(str(name)) if name is not None else _ox_term(row["g"])
            yield ox.Quad(_ox_term(row["s"]), _ox_term(row["p"]), _ox_term(row["o"]), graph)

    def graph(self, name: URIRef | None = None) -> Graph:
        """A copy of one named graph as an rdflib graph, or of the union of the project's."""
        graph = Graph()
        for quad in self._quads(name):
            graph.add((from_ox(quad.subject), from_ox(quad.predicate),
                       from_ox(quad.object)))
        return graph

    def extractions(self) -> Iterator[Extraction]:
        """Every stored article's extraction, read back from its graph, in article id order."""
        for article_id in self.article_ids():
            yield rdf.extraction_from_graph(self.graph(article_graph(article_id)))

    def _form(self, sparql: str) -> type:
        """The result type pyoxigraph gives ``sparql`` (its form); ``ValueError`` if invalid."""
        try:
            result = self._parser.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise ValueError(f"invalid SPARQL query: {err}") from err
        return type(result)

    def _fetch(self, text: str, form: type) -> list[Row] | bool:
        """Run ``text`` (bindings in place) of the ``form`` :meth:`_form` gave, as plain values."""
        if form is ox.QueryTriples:
            data = self._results(text, _N_TRIPLES).content
            return [{"subject": _ox_plain(t.subject), "predicate": _ox_plain(t.predicate),
                     "object": _ox_plain(t.object)}
                    for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
        data = self._results(text, _RESULTS_JSON).json()
        if form is ox.QueryBoolean:
            return bool(data["boolean"])
        names = data["head"]["vars"]
        return [{name: _plain(row.get(name)) for name in names}
                for row in data["results"]["bindings"]]

    def query(self, sparql: str, **bindings: Binding) -> list[Row] | bool:
        """As :meth:`graph.store.Store.query`: SELECT gives rows (variable → str, None when
        unbound), ASK a bool, CONSTRUCT/DESCRIBE rows of ``subject``/``predicate``/``object``.
        Bindings and the predeclared prefixes as there."""
        text = with_bindings(sparql, bindings)
        return self._fetch(text, self._form(text))

    def select(self, sparql: str, **bindings: Binding) -> list[Row]:
        """:meth:`query` for a SELECT query; ``ValueError`` for any other kind."""
        text = with_bindings(sparql, bindings)
        form = self._form(text)
        if form is not ox.QuerySolutions:
            raise ValueError(f"expected a SELECT query, got {form.__name__}: {sparql[:80]!r}")
        return self._fetch(text, form)  # type: ignore[return-value]

    def ask(self, sparql: str, **bindings: Binding) -> bool:
        """:meth:`query` for an ASK query; ``ValueError`` for any other kind."""
        text = with_bindings(sparql, bindings)
        form = self._form(text)
        if form is not ox.QueryBoolean:
            raise ValueError(f"expected an ASK query, got {form.__name__}: {sparql[:80]!r}")
        return bool(self._fetch(text, form))

    def protocol_query(self, sparql: str, form: str, *, base_iri: str | None = None,
                       default_graphs: Sequence[str] | None = None,
                       named_graphs: Sequence[str] | None = None) -> Answer:
        """Run ``sparql``, a query of ``form`` (SELECT, ASK, CONSTRUCT or DESCRIBE) as a client
        of a SPARQL endpoint sent it, on the server: the text as given (with ``BASE`` and the
        predeclared prefixes it lacks), the protocol dataset passed on. SELECT gives the
        variables and rows of pyoxigraph terms (``None`` unbound), ASK a bool, the others
        pyoxigraph triples: what :mod:`api.sparql_formats` serialises."""
        text = _with_prefixes(sparql)  # BASE first: Virtuoso refuses it after a PREFIX
        text = f"BASE <{base_iri}>\n{text}" if base_iri else text
        dataset = {"default-graph-uri": list(default_graphs or ()),
                   "named-graph-uri": list(named_graphs or ())}
        if form in ("CONSTRUCT", "DESCRIBE"):
            data = self._results(text, _N_TRIPLES, dataset).content
            return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        if form not in ("SELECT", "ASK"):
            raise ValueError(f"unknown query form {form!r}; choose one of: SELECT, ASK, "
                             f"CONSTRUCT, DESCRIBE")
        data = self._results(text, _RESULTS_JSON, dataset).json()
        if form == "ASK":
            return bool(data["boolean"])
        names = data["head"]["vars"]
        return names, [[_ox_term(row[name]) if name in row else None for name in names]
                       for row in data["results"]["bindings"]]

    def dump(self, format: str, fp: BinaryIO) -> None:
        """Serialise the project's graphs as :meth:`graph.store.Store.dump` does (formats
        without named graphs get their union). Held in memory while serialising."""
        if format not in FORMATS:
            raise ValueError(f"unknown RDF format {format!r}; choose one of: {', '.join(FORMATS)}")
        dataset = ox.Store()
        dataset.extend(self._quads(None))
        rdf_format, keeps_graphs = FORMATS[format]
        prefixes = OUTPUT_PREFIXES if format in ("turtle", "trig", "rdfxml") else None
        if keeps_graphs:
            dataset.dump(fp, rdf_format, prefixes=prefixes)
            return
        solutions = dataset.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }",
                                  use_default_graph_as_union=True)
        triples = sorted((ox.Triple(row["s"], row["p"], row["o"]) for row in solutions), key=str)
        data = ox.serialize(triples, None, rdf_format, prefixes=prefixes)
        fp.write(xml_safe(data) if format == "rdfxml" else data)


def is_remote(location: str | Path) -> bool:
    """Whether a store location (``TKG_STORE``, ``--store``) names a SPARQL server."""
    return isinstance(location, str) and location.startswith(("http://", "https://"))


@contextmanager
def open_remote(endpoint: Endpoint | str, **options: Any) -> Iterator[RemoteStore]:
    """A :class:`RemoteStore` on ``endpoint`` (``options`` as its constructor's), closed at exit."""
    store = RemoteStore(endpoint, **options)
    try:
        yield store
    finally:
        store.close()


