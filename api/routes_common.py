"""What every route shares: the one open store, its cached JSON reading, pages and ``explain``.

Concurrency. pyoxigraph locks a store directory to one process, so an app opens its store once
(in the lifespan, or at the first request when run without one) and keeps it for its life. Reads
run concurrently on that handle (pyoxigraph reads a consistent snapshot per query). Writes take
one lock, so two writes never interleave; a read running during a write may see the write's
first step (the article) before its last (the relinked cross-article graph). The JSON reading of
the whole store (:func:`graph.export.graph_json`, which details come from) is cached and
recomputed after each write.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from api import queries
from api.errors import ApiError, ErrorBody
from graph.export import graph_json
from graph.store import Store, StoreError

Item = dict[str, Any]

#: Largest page a list route returns.
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100

#: Error responses of the write routes, for the OpenAPI document.
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (401, 403, 413, 415, 422)}

EXPLAIN = Query(False, description="add the SPARQL query behind this answer as 'sparql'")


@dataclass(frozen=True)
class Snapshot:
    """The JSON contract document of the store at one moment, indexed by id."""

    document: dict[str, list[Item]]
    statements: dict[str, Item]
    events: dict[str, Item]
    version: int

    @classmethod
    def of(cls, document: dict[str, list[Item]], version: int) -> Snapshot:
        return cls(document, {s["id"]: s for s in document["statements"]},
                   {e["id"]: e for e in document["events"]}, version)


class StoreHandle:
    """The app's one store: opened once, reads shared, writes one at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: Store | None = None
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._version = 0
        self._snapshot: Snapshot | None = None

    def open(self) -> Store:
        """The open store; opens it on first use. ``StoreError`` when it cannot be opened."""
        with self._open_lock:
            if self._store is None:
                self._store = Store(self.path)
            return self._store

    def get(self) -> Store:
        """:meth:`open` for a request: a store that cannot be opened answers 503."""
        try:
            return self.open()
        except StoreError as error:
            raise ApiError(503, f"the store is not available: {error}") from error

    def close(self) -> None:
        with self._open_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store for one write; writes are serialised and the cached reading dropped."""
        store = self.get()
        with self._write_lock:
            self._version += 1
            try:
                yield store
            finally:
                self._version += 1

    def snapshot(self) -> Snapshot:
        """The cached JSON reading, recomputed when a write happened since."""
        store = self.get()
        with self._cache_lock:
            if self._snapshot is None or self._snapshot.version != self._version:
                version = self._version
                self._snapshot = Snapshot.of(graph_json(store), version)
            return self._snapshot


def run_query(store: StoreHandle, name: str, **bindings: Any) -> tuple[list[dict], str]:
    """:func:`api.queries.run` on the app's store; a value the query cannot take answers 400."""
    try:
        return queries.run(store.get(), name, **bindings)
    except ValueError as error:
        raise ApiError(400, str(error)) from error


def handle(request: Request) -> StoreHandle:
    """The app's :class:`StoreHandle` (a FastAPI dependency)."""
    return request.app.state.store


def page(request: Request, items: list[Item], limit: int, offset: int,
         sparql: str | None = None) -> Item:
    """One page of ``items`` with the total and a link to the next page (``None`` at the end)."""
    end = offset + limit
    following = str(request.url.include_query_params(offset=end, limit=limit)) \
        if end < len(items) else None
    body: Item = {"total": len(items), "limit": limit, "offset": offset, "next": following,
                  "items": items[offset:end]}
    return explained(body, sparql)


def explained(body: Item, sparql: str | None) -> Item:
    """``body`` with ``"sparql"`` added when the caller asked to explain (``sparql`` given)."""
    if sparql is not None:
        body["sparql"] = sparql
    return body


def node_id(kind: str, key: str) -> str:
    """``statement/ab12`` from ``ab12`` or from ``statement/ab12`` itself."""
    return key if key.startswith(f"{kind}/") else f"{kind}/{key}"




def require_json(request: Request) -> None:
    """415 unless the request body is declared as JSON."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(415, f"send the body as application/json, not {media or 'nothing'!r}",
                       {"accepted": ["application/json"]})


#: Route parameters: the app's store, and the page of a list.
Handle = Annotated[StoreHandle, Depends(handle)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
