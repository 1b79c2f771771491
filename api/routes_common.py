"""What every route shares: the store, its cached JSON reading, pages and ``explain``.

Concurrency. Reads and writes never share a pyoxigraph handle (see :mod:`graph.store`). Reads go
to the latest published generation of the store, opened read-only: each request checks the
generation pointer (one ``stat``) and moves to a newer generation when a writer published one,
so any number of worker processes can read, each seeing a write as a whole once it is done.
Each write is a writer session of its own: it waits for the store's writer lock (up to
``TKG_LOCK_TIMEOUT``; past it, 503 naming the holder), writes, and publishes at its end, so
writes from every worker process and from the CLI (``tkg build`` while the server serves) take
turns. The JSON reading of the whole store (:func:`graph.export.graph_json`, which details come
from) is cached per process and keyed by generation.
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
from graph.snapshots import Pointer
from graph.store import Store, StoreError, StoreLockedError, ensure_published

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
    """The JSON contract document of one generation of the store (``version``), indexed by id."""

    document: dict[str, list[Item]]
    statements: dict[str, Item]
    events: dict[str, Item]
    version: int

    @classmethod
    def of(cls, document: dict[str, list[Item]], version: int) -> Snapshot:
        return cls(document, {s["id"]: s for s in document["statements"]},
                   {e["id"]: e for e in document["events"]}, version)


class StoreHandle:
    """The app's store: reads from the latest published generation, writes in sessions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pointer = Pointer(path)
        self._reader: Store | None = None
        self._reader_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._snapshot: Snapshot | None = None

    def open(self) -> Store:
        """The reader of the latest generation, after publishing what needs it (a store never
        published, a change a dead writer left; :func:`graph.store.ensure_published`): for the
        app's startup. ``StoreError`` if the store cannot be read."""
        ensure_published(self.path)
        return self._current()

    def get(self) -> Store:
        """The reader of the latest generation, for a request: one ``stat`` when nothing
        changed; a store that cannot be read answers 503."""
        try:
            return self._current()
        except StoreError as error:
            raise ApiError(503, f"the store is not available: {error}") from error

    def _current(self) -> Store:
        with self._reader_lock:
            generation = self._pointer.generation()
            reader = self._reader
            if reader is None or reader.generation != generation:
                if generation is None:  # an app run without its lifespan, on a new store
                    ensure_published(self.path)
                # The reader replaced stays open for the requests still using it, until the
                # last one drops it.
                reader = self._reader = Store.published(self.path)
            return reader

    def close(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """A writer session for one write, published when it ends; 503 (with ``Retry-After``)
        when another writer keeps the store past ``TKG_LOCK_TIMEOUT``."""
        try:
            writer = Store(self.path)
        except StoreLockedError as error:
            raise ApiError(503, str(error), headers={"Retry-After": "5"}) from error
        except StoreError as error:
            raise ApiError(503, f"the store is not available: {error}") from error
        try:
            yield writer
        finally:
            try:
                writer.close()
            except StoreError as error:
                raise ApiError(503, str(error)) from error

    def snapshot(self) -> Snapshot:
        """The JSON reading of the latest generation, computed once per generation."""
        reader = self.get()
        with self._cache_lock:
            if self._snapshot is None or self._snapshot.version != reader.generation:
                self._snapshot = Snapshot.of(graph_json(reader), reader.generation or 0)
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
