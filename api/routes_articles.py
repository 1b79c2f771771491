"""``/articles``: list and read articles; ingest (POST) and remove (DELETE) them with the token.

Ingesting goes through :func:`graph.pipeline.build` on the posted objects (the JSON Lines
article shape), so the API reads exactly as ``tkg build`` does: an article already stored with
the same text is skipped (posting it again changes nothing), a bad item is reported and skipped.
Removing drops the article's named graph and relinks, so statements and events only it
supported disappear, and statements other articles also report lose its citation.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, model_validator

from api.auth import require_write_token
from api.errors import ApiError, ErrorBody
from api.routes_common import (
    EXPLAIN,
    WRITE_ERRORS,
    Handle,
    Item,
    StoreHandle,
    events_by_id,
    explained,
    require_json,
    run_query,
    statements_by_id,
)
from graph.config import settings
from graph.ids import content_hash
from graph.pipeline import build, reader, relink
from graph.store import Store
from graph.vocab import LINKS_GRAPH, article_iri, id_of

router = APIRouter(tags=["articles"])

#: The furniture spans of the article with the identifier ``?id``.
_FURNITURE = """SELECT DISTINCT ?start ?end ?text WHERE { GRAPH ?g {
    ?a a tkg:Article ; dcterms:identifier ?id ; tkg:furniture ?span .
    ?span tkg:start ?start ; tkg:endOffset ?end ; tkg:text ?text } }"""
#: The statements citing the article ``?article`` and the events with a mention in it.
_CITING = f"SELECT DISTINCT ?s WHERE {{ GRAPH <{LINKS_GRAPH}> {{ ?s tkg:citedBy ?article }} }}"
_MENTIONING = f"""SELECT DISTINCT ?s WHERE {{
    ?m tkg:inArticle ?article . GRAPH <{LINKS_GRAPH}> {{ ?s a tkg:Event ; tkg:hasMention ?m }} }}"""


_SURROGATE = re.compile("[\ud800-\udfff]")


class ArticleIn(BaseModel):
    """One article, as a line of a JSON Lines input."""

    id: str = Field(description="unique id; no spaces, slashes or <>\"{}|\\^`?#")
    text: str = Field(description="the article text; evidence offsets are code points into it")
    title: str | None = None
    published: str | None = Field(None, description="publication date, YYYY-MM-DD")
    source: str | None = None
    url: str | None = None

    @model_validator(mode="after")
    def _unicode(self) -> ArticleIn:
        """Refuse lone surrogates (``\\ud800``): JSON escapes can write them, but they are not
        Unicode, so the text could be neither hashed nor stored."""
        for name, value in self:
            if isinstance(value, str) and (bad := _SURROGATE.search(value)):
                raise ValueError(f"{name} holds a lone surrogate U+{ord(bad.group()):04X}, "
                                 "which is not a Unicode character")
        return self


def _article_row(row: dict) -> Item:
    return {key: row[key] for key in ("id", "title", "published", "source", "url")}


@router.get("/articles", summary="The stored articles")
def list_articles(store: Handle, explain: bool = EXPLAIN) -> Item:
    rows, sparql = run_query(store, "articles")
    return explained({"total": len(rows), "items": [_article_row(r) for r in rows]},
                     sparql if explain else None)


def _spans_in(item: Item, article_id: str) -> list[Item]:
    """The evidence spans of a statement or event that lie in one article."""
    return [{key: e[key] for key in ("start", "end", "text")}
            for e in item["evidence"] if e["article"] == article_id]


def _node_ids(store: StoreHandle, article_id: str) -> tuple[list[str], list[str]]:
    """The ids of the statements citing one article and of the events mentioned in it."""
    reader, article = store.get(), article_iri(article_id)
    return tuple(  # type: ignore[return-value]
        sorted(id_of(str(row["s"])) for row in reader.select(query, article=article))
        for query in (_CITING, _MENTIONING))


def _read_by(store: StoreHandle, article_id: str) -> Item:
    """The statements and events read from one article: ids, words, and their spans in it."""
    statement_ids, event_ids = _node_ids(store, article_id)
    statements = [{"id": s["id"], "quote": s["quote"], "speaker": s["speaker"]["name"],
                   "topics": s["topics"], "evidence": _spans_in(s, article_id)}
                  for s in statements_by_id(store, statement_ids)]
    events = [{"id": e["id"], "label": e["label"], "evidence": _spans_in(e, article_id)}
              for e in events_by_id(store, event_ids)]
    return {"statements": statements, "events": events}


def _furniture(store: Store, article_id: str) -> list[Item]:
    """The article's page furniture (links, prompts, captions): spans the reader ignored."""
    rows = store.select(_FURNITURE, id=article_id)
    spans = [{"start": int(str(r["start"])), "end": int(str(r["end"])), "text": r["text"]}
             for r in rows]
    return sorted(spans, key=lambda span: (span["start"], span["end"]))


@router.get("/articles/{article_id}",
            summary="One article: its text, its furniture, and what was read where in it",
            responses={404: {"model": ErrorBody}})
def get_article(store: Handle, article_id: str,
                explain: bool = EXPLAIN) -> Item:
    rows, sparql = run_query(store, "article", id=article_id)
    if not rows:
        raise ApiError(404, f"no article {article_id!r}; GET /articles lists them")
    body = {**_article_row(rows[0]), "text": rows[0]["text"],
            "furniture": _furniture(store.get(), article_id),
            **_read_by(store, article_id)}
    return explained(body, sparql if explain else None)


def _ingest(store: Store, records: list[ArticleIn]) -> tuple[list[str], list[str], list[Item]]:
    """Build the records into the store: (new or changed ids, unchanged ids, errors)."""
    unchanged = [r.id for r in records if store.has_article(r.id, content_hash(r.text))]
    with tempfile.TemporaryDirectory(prefix="tkg-post-") as folder:
        path = Path(folder) / "articles.json"
        lines = ",\n".join(json.dumps(r.model_dump(), ensure_ascii=False) for r in records)
        path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
        summary = build([path], store, reader(settings().spacy_model))
    errors = []
    failed = set()
    for error in summary.errors:
        index = error.line - 2 if error.line is not None and error.line >= 2 else None
        if index is not None and index < len(records):
            failed.add(index)
        errors.append({"index": index, "id": records[index].id if index is not None
                       and index < len(records) else None, "message": error.message})
    stored = [r.id for i, r in enumerate(records) if i not in failed and r.id not in unchanged]
    return stored, unchanged, errors


@router.post("/articles", summary="Ingest one article or a list of them (idempotent)",
             dependencies=[Depends(require_write_token), Depends(require_json)],
             responses=WRITE_ERRORS)
def post_articles(body: ArticleIn | list[ArticleIn],
                  store: Handle) -> Item:
    records = body if isinstance(body, list) else [body]
    if not records:
        raise ApiError(422, "the list of articles is empty: post one article object or a list")
    with store.writing() as open_store:
        stored, unchanged, errors = _ingest(open_store, records)
    if not stored and not unchanged:
        raise ApiError(422, "no article could be read: " + "; ".join(e["message"] for e in errors),
                       errors)
    articles = [{"id": article_id, "status": status, **_read_by(store, article_id)}
                for status, ids in (("stored", stored), ("unchanged", unchanged))
                for article_id in ids]
    return {"articles": articles, "errors": errors}


@router.delete("/articles/{article_id}", summary="Remove an article and what only it supported",
               dependencies=[Depends(require_write_token)],
               responses={404: {"model": ErrorBody}, **WRITE_ERRORS})
def delete_article(store: Handle, article_id: str) -> Item:
    statements, events = _node_ids(store, article_id)
    with store.writing() as open_store:
        if not open_store.remove_article(article_id):
            raise ApiError(404, f"no article {article_id!r}; GET /articles lists them")
        relink(open_store, reader(settings().spacy_model))
    kept_statements = {s["id"] for s in statements_by_id(store, statements)}
    kept_events = {e["id"] for e in events_by_id(store, events)}
    return {"deleted": article_id,
            "statements_removed": sorted(set(statements) - kept_statements),
            "events_removed": sorted(set(events) - kept_events)}
