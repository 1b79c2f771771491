"""The SPARQL 1.1 Protocol endpoint: ``GET``/``POST /sparql``, its service description and a page.

Reads the W3C protocol requests (query parameter, urlencoded form, ``application/sparql-query``
body; ``default-graph-uri`` / ``named-graph-uri``), refuses what a public endpoint must not run
(:mod:`api.sparql_guard`: updates, ``SERVICE``, non-http dataset IRIs, deep nesting), negotiates
the result format (:mod:`api.sparql_formats`) and runs the query in a killable worker
(:mod:`api.sparql_worker`) with a time and memory budget, or, when the store is on a SPARQL
server, forwards it there (:mod:`api.sparql_remote`). Without ``FROM`` or protocol graphs the
default graph is the union of all graphs; ``GRAPH`` reaches each named graph.

Statuses: 400 bad request (syntax, two queries, update, refused feature), 406 no acceptable
format, 413 body too large, 415 bad POST media type or charset, 503 query stopped (time, memory,
crash) or workers busy. Errors are raised as ``HTTPException`` so the application renders them
in its one error shape. No CORS headers are sent (add a CORS middleware to the app to allow it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.requests import ClientDisconnect

from api.sparql_formats import GRAPH, OFFERS, RDF_FORMATS, negotiate
from api.sparql_guard import QueryRejected, check_dataset_iri, inspect_query
from api.sparql_ui import UI_PAGE
from api.sparql_remote import RemoteQueries
from api.sparql_worker import Job, QueryPool
from graph.store_remote import Endpoint
from graph.vocab import PREFIXES

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
#: Prefixes every query may use without declaring them (as in :meth:`graph.store.Store.query`).
QUERY_PREFIXES = tuple(PREFIXES.items())
#: Prefixes for Turtle and RDF/XML results (not ``id:``, see :mod:`graph.store`).
OUTPUT_PREFIXES = tuple((name, iri) for name, iri in PREFIXES.items() if name != "id")
SD = "http://www.w3.org/ns/sparql-service-description#"
QUERY_ONLY = "SPARQL Update is not accepted: this endpoint is query-only"
RESULT_FORMATS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
}


def _media_type(header: str) -> tuple[str, dict[str, str]]:
    """``("application/sparql-query", {"charset": "utf-8"})`` from a Content-Type header."""
    media, *params = (part.strip() for part in header.split(";"))
    pairs = (p.partition("=") for p in params)
    return media.lower(), {k.strip().lower(): v.strip().strip('"').lower() for k, _, v in pairs}


def _pairs(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as err:
        raise QueryRejected(f"parameters are not valid UTF-8 percent-encoding: {err}") from err


async def _body(request: Request, max_body: int, timeout_s: float) -> bytes:
    """The request body, at most ``max_body`` bytes (413 past it), read within ``timeout_s``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise QueryRejected(f"request body of {declared} bytes exceeds the limit of {max_body}",
                            status=413)
    chunks, size = [], 0
    with anyio.move_on_after(timeout_s) as scope:
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_body:
                    raise QueryRejected(f"request body exceeds the limit of {max_body} bytes",
                                        status=413)
                chunks.append(chunk)
        except ClientDisconnect as err:  # closed by the client, or by the server's deadline
            raise QueryRejected("the connection closed before the whole body arrived") from err
    if scope.cancelled_caught:
        raise QueryRejected(f"request body not received within {timeout_s:g} s", status=408)
    return b"".join(chunks)


def _text(body: bytes, params: dict[str, str]) -> str:
    charset = params.get("charset", "utf-8")
    if charset not in ("utf-8", "utf8"):
        raise QueryRejected(f"charset {charset!r} is not supported: send UTF-8", status=415)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise QueryRejected(f"request body is not valid UTF-8: {err}") from err


async def read_params(request: Request, max_body: int, timeout_s: float) -> list[tuple[str, str]]:
    """The protocol parameters of a request: URL parameters, plus the form or the query body."""
    pairs = _pairs(request.url.query)
    if request.method == "GET":
        return pairs
    header = request.headers.get("content-type")
    if not header:
        raise QueryRejected(f"POST needs a Content-Type: {FORM} or {QUERY}", status=415)
    media, params = _media_type(header)
    if media == UPDATE:
        raise QueryRejected(QUERY_ONLY)
    if media not in (FORM, QUERY):
        raise QueryRejected(f"Content-Type {media!r} is not supported: use {FORM} or {QUERY}",
                            status=415)
    text = _text(await _body(request, max_body, timeout_s), params)
    if media == FORM:
        return pairs + _pairs(text)
    return [*pairs, ("query", text)]


def service_description(endpoint: str) -> str:
    """The SPARQL 1.1 service description of the endpoint at ``endpoint``, as Turtle."""
    formats = " , ".join(f"<{iri}>" for iri in RESULT_FORMATS.values())
    return f"""@prefix sd: <{SD}> .
[] a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat {formats} ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""


def _rdf_response(turtle: str, accept: str | None) -> Response:
    media = negotiate(accept, GRAPH)
    if media is None:
        raise QueryRejected(f"no acceptable format; offered: {', '.join(GRAPH)}", status=406)
    triples = list(ox.parse(turtle.encode("utf-8"), ox.RdfFormat.TURTLE))
    fmt = RDF_FORMATS[GRAPH[media]]
    prefixes = {"sd": SD} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, None, fmt, prefixes=prefixes) or b""
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _graph_iris(pairs: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    return tuple(check_dataset_iri(value) for key, value in pairs if key == name)


def _job(pairs: list[tuple[str, str]], endpoint: str, accept: str | None, *, max_depth: int,
         max_rows: int, max_body: int) -> tuple[Job, str]:
    """The job a query request asks for and the negotiated media type; ``QueryRejected``."""
    queries = [value for key, value in pairs if key == "query"]
    if len(queries) > 1:
        raise QueryRejected(f"{len(queries)} 'query' parameters given: send exactly one")
    query = queries[0]
    if len(query.encode("utf-8")) > max_body:
        raise QueryRejected(f"query exceeds the limit of {max_body} bytes", status=413)
    info = inspect_query(query, max_depth=max_depth, prefixes=dict(QUERY_PREFIXES), base=endpoint)
    offers = OFFERS[info.form]
    media = negotiate(accept, offers)
    if media is None:
        raise QueryRejected(f"no acceptable format for a {info.form} result; offered: "
                            f"{', '.join(offers)}", status=406)
    defaults = _graph_iris(pairs, "default-graph-uri")
    named = _graph_iris(pairs, "named-graph-uri")
    protocol_dataset = bool(defaults or named)
    job = Job(query=query, form=info.form, fmt=offers[media], base_iri=endpoint,
              prefixes=QUERY_PREFIXES if info.form in ("SELECT", "ASK") else OUTPUT_PREFIXES,
              default_graphs=defaults if protocol_dataset else None,
              named_graphs=named if protocol_dataset else None,
              union_default=not info.has_dataset, max_rows=max_rows)
    return job, media


def sparql_router(store: Path | Endpoint, *, timeout_s: float = 10.0, memory_mb: int = 1024,
                  max_rows: int = 10_000, max_body: int = 100_000, max_depth: int = 50,
                  workers: int = 2) -> APIRouter:
    """A router serving the SPARQL endpoint over the store directory ``store`` (opened
    read-only in ``workers`` worker processes, started on the first query, stopped at app
    shutdown), or forwarding to the SPARQL server ``store``, ``workers`` queries at a time
    (:mod:`api.sparql_remote`)."""
    pool: QueryPool | RemoteQueries
    if isinstance(store, Endpoint):
        pool = RemoteQueries(store, size=workers, timeout_s=timeout_s)
    else:
        pool = QueryPool(store, size=workers, timeout_s=timeout_s, memory_mb=memory_mb)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    router = APIRouter(tags=["sparql"], lifespan=lifespan)

    async def sparql(request: Request) -> Response:
        endpoint = str(request.url.replace(query="", fragment=""))
        accept = request.headers.get("accept")
        try:
            pairs = await read_params(request, max_body, timeout_s)
            keys = {key for key, _ in pairs}
            if "update" in keys:
                raise QueryRejected(QUERY_ONLY)
            if "query" not in keys:
                if request.method == "GET":
                    return _rdf_response(service_description(endpoint), accept)
                raise QueryRejected("missing the 'query' parameter")
            job, media = _job(pairs, endpoint, accept, max_depth=max_depth, max_rows=max_rows,
                              max_body=max_body)
        except QueryRejected as err:
            raise HTTPException(err.status, str(err)) from err
        outcome = await run_in_threadpool(pool.run, job)
        if outcome.status != 200:
            raise HTTPException(outcome.status, outcome.message)
        headers = {"Vary": "Accept"}
        if outcome.truncated:
            headers["X-Truncated"] = "true"
            headers["X-Max-Rows"] = str(max_rows)
        return Response(outcome.body, media_type=media, headers=headers)

    for method in ("GET", "POST"):
        router.add_api_route("/sparql", sparql, methods=[method],
                             operation_id=f"sparql_{method.lower()}",
                             summary="SPARQL 1.1 Protocol query endpoint (query-only)",
                             response_class=Response)

    @router.get("/sparql/ui", response_class=HTMLResponse, include_in_schema=False)
    def sparql_ui() -> HTMLResponse:
        return HTMLResponse(UI_PAGE, headers={
            "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                                       "style-src 'unsafe-inline'; connect-src 'self'"})

    return router
