"""``/statements`` (filtered, paginated), ``/statements/{id}`` (with evidence in context) and
``/timeline`` (a speaker on a topic, in time order).

Which statements match is decided by :func:`graph.statement_search.find`; the statements
themselves are items of the JSON contract (:mod:`graph.export`), read from the store's read
model (:mod:`graph.read_model`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request, Response

from api.errors import ApiError, ErrorBody
from api.routes_common import (
    DEFAULT_LIMIT,
    EXPLAIN,
    Handle,
    Item,
    Limit,
    Offset,
    StoreHandle,
    explained,
    node_id,
    page_of,
    run_query,
    statements_by_id,
)
from graph import knowledge
from graph.analysis import stance_summary, timeline
from graph.export import event_labels
from graph.read_model import statement_json
from graph.relations import polarity
from graph.statement_search import Found, Question, find
from graph.vocab import article_iri, id_of, iri

router = APIRouter(tags=["statements"])

#: Characters of article text shown on each side of an evidence span.
CONTEXT_CHARS = 200

_SPEAKER = Query(None, description="speaker's name or alias (any case), or actor id actor/…")
_TOPIC = Query(None, description="topic id or label, or words of the name or type of an event "
                                  "the statement is about")
_SINCE = Query(None, description="keep statements dated on or after this day (YYYY-MM-DD)")
_UNTIL = Query(None, description="keep statements dated on or before this day (YYYY-MM-DD)")


def _question(speaker: str | None, topic: str | None, event: str | None, article: str | None,
              since: date | None, until: date | None) -> Question:
    """The question a request's filters ask; blank names ask nothing."""
    if since and until and since > until:
        raise ApiError(400, f"since ({since}) is after until ({until}): no date can match",
                       {"since": since, "until": until})
    speaker = speaker.strip() if speaker and speaker.strip() else None
    actor = str(iri(speaker)) if speaker and speaker.startswith("actor/") else None
    return Question(
        speaker=None if actor else speaker, actor=actor,
        topic=topic.strip() if topic and topic.strip() else None,
        event=str(iri(node_id("event", event))) if event is not None else None,
        article=str(article_iri(article)) if article is not None else None,
        since=since, until=until)


def _matching(store: StoreHandle, **filters: Any) -> Found:
    """The statements matching the filters (:func:`graph.statement_search.find`)."""
    try:
        return find(store.get(), _question(**filters))
    except ValueError as error:
        raise ApiError(400, str(error)) from error


@router.get("/statements", summary="Statements, filtered and paginated, by date")
def list_statements(
    store: Handle, request: Request,
    speaker: str | None = _SPEAKER, topic: str | None = _TOPIC,
    event: str | None = Query(None, description="an event the statement is about (event/…)"),
    article: str | None = Query(None, description="an article citing the statement"),
    since: date | None = _SINCE, until: date | None = _UNTIL,
    limit: Limit = DEFAULT_LIMIT, offset: Offset = 0, explain: bool = EXPLAIN,
) -> Item:
    found = _matching(store, speaker=speaker, topic=topic, event=event, article=article,
                      since=since, until=until)
    return page_of(request, [id_of(s) for s in found.statements], lambda ids: statements_by_id(store, ids),
                   limit, offset, found.sparql if explain else None)


def _in_context(evidence: Item, texts: dict[str, str | None]) -> Item:
    text = texts.get(evidence["article"]) or ""
    start, end = evidence["start"], evidence["end"]
    return {**evidence, "before": text[max(0, start - CONTEXT_CHARS):start],
            "after": text[end:end + CONTEXT_CHARS]}


@router.get("/statements/{key:path}", summary="One statement with evidence in context",
            responses={404: {"model": ErrorBody}})
def get_statement(store: Handle, key: str,
                  explain: bool = EXPLAIN) -> Item:
    statement_id = node_id("statement", key)
    found = statements_by_id(store, [statement_id])
    if not found:
        raise ApiError(404, f"no statement {statement_id!r}; GET /statements lists them")
    statement = found[0]
    texts: dict[str, str | None] = {}
    articles = []
    for article_id in sorted({*statement["cited_by"], *(e["article"] for e in statement["evidence"])}):
        rows, _ = run_query(store, "article", id=article_id)
        texts[article_id] = rows[0]["text"] if rows else None
        if article_id in statement["cited_by"] and rows:
            articles.append({k: rows[0][k] for k in ("id", "title", "published", "source", "url")})
    rows, sparql = run_query(store, "relations", node=iri(statement_id))
    relations = [{"type": r["type"], "source": id_of(str(r["source"])), "target": id_of(str(r["target"])),
                  "explanation": r["explanation"],
                  "confidence": None if r["confidence"] is None else float(r["confidence"])}
                 for r in rows]
    labels = event_labels(store.get(), [str(iri(e)) for e in statement["about"]])
    about = [{"id": e, "label": labels.get(e)} for e in statement["about"]]
    body = {**statement, "evidence": [_in_context(e, texts) for e in statement["evidence"]],
            "cited_by": articles, "about": about, "relations": relations}
    return explained(body, sparql if explain else None)


def _judge() -> Any:
    """Stance of a statement's words: +1 for, -1 against, 0 neither (as ``tkg timeline``)."""
    known = knowledge.load()
    return lambda text: polarity(text, known.stance_for, known.stance_against)


@router.get("/timeline", summary="Statements in time order (a speaker on a topic)",
            response_model=None, responses={200: {"content": {"application/json": {}}}})
def get_timeline(
    store: Handle, speaker: str | None = _SPEAKER,
    topic: str | None = _TOPIC, since: date | None = _SINCE, until: date | None = _UNTIL,
    stance: bool = Query(False, description="add a month-by-month count for and against"),
    explain: bool = EXPLAIN,
) -> Item | Response:
    """``{"total", "items"}``: the statements in time order (by begin, then shortest window,
    then id; undated last). Served from the read model (:mod:`graph.read_model`) as stored
    JSON, not rebuilt item by item."""
    found = _matching(store, speaker=speaker, topic=topic, event=None, article=None,
                      since=since, until=until)
    order = timeline([{"id": s, "date": {"begin": begin, "end": end}}
                      for s, (begin, end) in found.dates.items()])
    texts = statement_json(store.get(), [stub["id"] for stub in order])
    items = [texts[stub["id"]] for stub in order if stub["id"] in texts]
    sparql = found.sparql if explain else None
    if stance:
        parsed = [json.loads(text) for text in items]
        body: Item = {"total": len(parsed), "items": parsed, "stance": stance_summary(parsed, _judge())}
        return explained(body, sparql)
    extra = b"" if sparql is None else b',"sparql":' + json.dumps(sparql).encode()
    content = b'{"total":%d,"items":[%s]%s}' % (len(items), ",".join(items).encode(), extra)
    return Response(content, media_type="application/json")
