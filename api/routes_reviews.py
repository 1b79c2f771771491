"""``/reviews``: people's decisions on relations and merges (``tkg review`` over HTTP).

A decision names nodes by their member mentions, survives rebuilds and overrides the linker;
posting one relinks the graph at once (see :func:`graph.pipeline.review`).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.auth import require_write_token
from api.errors import ApiError, ErrorBody
from api.routes_common import WRITE_ERRORS, Handle, Item, require_json
from graph.config import settings
from graph.pipeline import reader, review

router = APIRouter(tags=["reviews"])


class ReviewIn(BaseModel):
    """A person's decision on a relation or a merge (see ``tkg review``)."""

    verdict: str = Field(description="accept or reject")
    kind: str = Field(description="relation or merge")
    first: str = Field(description="statement/…, event/… or a mention id")
    second: str = Field(description="statement/…, event/… or a mention id")
    relation_type: str | None = Field(None, description="for a relation: its type")
    note: str = ""


@router.get("/reviews", summary="People's decisions on relations and merges")
def list_reviews(store: Handle) -> Item:
    items = [{"kind": r.kind, "verdict": r.verdict, "relation_type": r.relation_type,
              "source": list(r.source), "target": list(r.target), "note": r.note}
             for r in store.get().reviews()]
    return {"total": len(items), "items": items}


@router.post("/reviews", summary="Accept or reject a relation or a merge, then relink",
             dependencies=[Depends(require_write_token), Depends(require_json)],
             responses={400: {"model": ErrorBody}, **WRITE_ERRORS})
def post_review(store: Handle, body: ReviewIn) -> Item:
    with store.writing() as open_store:
        try:
            linked = review(open_store, reader(settings().spacy_model), body.verdict, body.kind,
                            body.first, body.second, relation_type=body.relation_type,
                            note=body.note)
        except ValueError as error:
            raise ApiError(400, str(error)) from error
    return {"recorded": body.model_dump(), "statements": len(linked.statements),
            "events": len(linked.events), "relations": len(linked.relations)}
