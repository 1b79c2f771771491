"""The rest of the graph: ``/events``, ``/actors``, ``/topics``, ``/relations``, ``/export``,
and ``/queries`` (the named SPARQL queries behind the routes, to read and reuse)."""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api import queries
from api.errors import ApiError, ErrorBody
from api.routes_common import (
    DEFAULT_LIMIT,
    EXPLAIN,
    Handle,
    Item,
    Limit,
    Offset,
    events_by_id,
    explained,
    node_id,
    page,
    page_of,
    run_query,
    statements_by_id,
)
from graph import ids
from graph.export import export, formats
from graph.rdf import RELATION_TYPES
from graph.statement_search import Question, find
from graph.vocab import article_iri, event_type_iri, id_of, iri, segment_of

router = APIRouter(tags=["graph"])

#: The media type of each export format.
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "graphml": "application/graphml+xml",
}
_NOT_FOUND = {404: {"model": ErrorBody}}
_SINCE = Query(None, description="events dated on or after this day (YYYY-MM-DD)")
_UNTIL = Query(None, description="events dated on or before this day (YYYY-MM-DD)")


@router.get("/events", summary="Events, filtered and paginated, by date")
def list_events(
    store: Handle, request: Request,
    article: str | None = Query(None, description="an article mentioning the event"),
    type: str | None = Query(None, description="event type (its slug, e.g. 'annexation')"),
    since: date | None = _SINCE, until: date | None = _UNTIL,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, explain: bool = EXPLAIN,
) -> Item:
    rows, sparql = run_query(store, "events", article=article_iri(article) if article else None,
                             type=event_type_iri(ids.slug(type)) if type else None,
                             since=since, until=until)
    chosen = list(dict.fromkeys(id_of(str(row["event"])) for row in rows))
    return page_of(request, chosen, lambda ids: events_by_id(store, ids), limit, offset,
                   sparql if explain else None)


@router.get("/events/{key:path}", summary="One event with its mentions and statements about it",
            responses=_NOT_FOUND)
def get_event(store: Handle, key: str) -> Item:
    event_id = node_id("event", key)
    found = events_by_id(store, [event_id])
    if not found:
        raise ApiError(404, f"no event {event_id!r}; GET /events lists them")
    chosen = find(store.get(), Question(event=str(iri(event_id)))).statements
    about = statements_by_id(store, [id_of(s) for s in chosen])
    statements = [{"id": s["id"], "quote": s["quote"], "speaker": s["speaker"]["name"]} for s in about]
    return {**found[0], "statements": statements}


@router.get("/actors", summary="Actors who made statements, most statements first")
def list_actors(
    store: Handle, request: Request,
    name: str | None = Query(None, description="name or alias, any case"),
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, explain: bool = EXPLAIN,
) -> Item:
    rows, sparql = run_query(store, "actors", speaker=name.strip() if name else None)
    items = [{"id": id_of(str(r["actor"])), "name": r["name"], "wikidata": r["wikidata"],
              "statements": int(str(r["statements"]))} for r in rows]
    return page(request, items, limit, offset, sparql if explain else None)


@router.get("/topics", summary="Topics of the scheme with their statement counts")
def list_topics(store: Handle, explain: bool = EXPLAIN) -> Item:
    rows, sparql = run_query(store, "topics")
    items = [{"id": segment_of(str(r["topic"]), "topic"), "name": r["name"],
              "statements": int(str(r["statements"]))} for r in rows]
    return explained({"total": len(items), "items": items}, sparql if explain else None)


@router.get("/relations", summary="Relations with the linker's explanations",
            responses={400: {"model": ErrorBody}})
def list_relations(
    store: Handle, request: Request,
    type: str | None = Query(None, description=f"one of {', '.join(RELATION_TYPES)}"),
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, explain: bool = EXPLAIN,
) -> Item:
    if type is not None and type not in RELATION_TYPES:
        raise ApiError(400, f"unknown relation type {type!r}; choose one of "
                            f"{', '.join(RELATION_TYPES)}", {"choices": list(RELATION_TYPES)})
    rows, sparql = run_query(store, "relations", type=type)
    items = [{"type": r["type"], "source": id_of(str(r["source"])),
              "target": id_of(str(r["target"])), "explanation": r["explanation"],
              "confidence": None if r["confidence"] is None else float(r["confidence"])}
             for r in rows]
    return page(request, items, limit, offset, sparql if explain else None)


def _acceptable(accept: str, media_type: str) -> bool:
    """Whether an ``Accept`` header admits ``media_type`` (no header admits everything)."""
    if not accept.strip():
        return True
    kind = media_type.split("/")[0]
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if any(f.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for f in fields[1:]):
            continue
        if fields[0] in ("*/*", f"{kind}/*", media_type):
            return True
    return False


@router.get("/export", summary="The whole graph in one format",
            responses={400: {"model": ErrorBody}, 406: {"model": ErrorBody}})
def get_export(
    store: Handle, request: Request,
               format: str = Query("json", description="an export format of graph.export")) -> Response:
    available = formats()
    if format not in available:
        raise ApiError(400, f"unknown export format {format!r}; choose one of "
                            f"{', '.join(available)}", {"choices": available})
    media_type = MEDIA_TYPES.get(format, "application/octet-stream")
    accept = request.headers.get("accept", "")
    if not _acceptable(accept, media_type):
        raise ApiError(406, f"format {format!r} is {media_type}, which the Accept header "
                            f"{accept!r} does not admit", {"media_type": media_type})
    buffer = io.BytesIO()
    try:
        export(store.get(), format, buffer)
    except ValueError as error:
        raise ApiError(400, str(error)) from error
    charset = "; charset=utf-8" if media_type != "application/octet-stream" else ""
    return Response(buffer.getvalue(), media_type=media_type + charset)


@router.get("/queries", summary="The named SPARQL queries behind the routes")
def list_queries() -> Item:
    items = [{"name": name, "description": queries.load(name).description,
              "params": [asdict(p) for p in queries.load(name).params]}
             for name in queries.names()]
    return {"total": len(items), "items": items}


@router.get("/queries/{name}", summary="One named query as SPARQL text", responses=_NOT_FOUND,
            response_class=Response)
def get_query(name: str) -> Response:
    try:
        query = queries.load(name)
    except ValueError as error:
        raise ApiError(404, str(error), {"choices": queries.names()}) from error
    return Response(query.text, media_type="application/sparql-query; charset=utf-8")
