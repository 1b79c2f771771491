"""What every route shares: the store, reading items by id, pages and ``explain``.

Concurrency. Reads and writes never share a pyoxigraph handle (see :mod:`graph.store`). Reads go
to the latest published generation of the store, opened read-only: each request checks the
generation pointer (one ``stat``) and moves to a newer generation when a writer published one,
so any number of worker processes can read, each seeing a write as a whole once it is done.
Each write is a writer session of its own: it waits for the store's writer lock (up to
``TKG_LOCK_TIMEOUT``; past it, 503 naming the holder), writes, and publishes at its end, so
writes from every worker process and from the CLI (``tkg build`` while the server serves) take
turns. Nothing of the store is cached in the API: a request asks the store for what it shows
(a page of statements, one event; statements come ready-made from the read model,
:mod:`graph.read_model`), so memory and latency follow the answer, not the store.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from api import queries
from api.errors import ApiError, ErrorBody
from graph.export import chronological
from graph.read_model import event_json, statement_json
from graph.snapshots import Pointer
from graph.config import settings
from graph.store import Store, StoreError, StoreLockedError, ensure_published
from graph.store_open import connect
from graph.store_remote import Endpoint, RemoteStore
from graph.ids import is_node_id
from graph.vocab import iri

log = logging.getLogger(__name__)

Item = dict[str, Any]

#: Largest page a list route returns.
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100

#: Error responses of the write routes, for the OpenAPI document.
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (401, 403, 413, 415, 422)}

EXPLAIN = Query(False, description="add the SPARQL query behind this answer as 'sparql'")


class StoreHandle:
    """The app's store: reads from the latest published generation, writes in sessions.

    On a SPARQL server (``location`` an :class:`~graph.store_remote.Endpoint`) there are no
    generations and no writer lock: reads and writes go to one :class:`RemoteStore` (its HTTP
    client is thread-safe), and readers see a write as soon as the server applied it. Writes
    are serialised within this process only: several API workers, or ``tkg build`` beside the
    server, write at the same time. Each graph is still replaced whole by one request, but two
    relinks running at once each write the links of the articles they saw (the last one wins
    until the next relink), so with several writers rerun ``tkg build`` (a relink) afterwards,
    or serve writes from one worker.
    """

    def __init__(self, location: Path | Endpoint) -> None:
        self.location = location
        #: The store directory; ``None`` on a SPARQL server.
        self.path = location if isinstance(location, Path) else None
        self._pointer = Pointer(location) if isinstance(location, Path) else None
        self._reader: Store | RemoteStore | None = None
        self._reader_lock = threading.Lock()
        self._remote_writes = threading.Lock()

    def open(self) -> Store | RemoteStore:
        """The reader of the latest generation, after publishing what needs it (a store never
        published, a change a dead writer left; :func:`graph.store.ensure_published`): for the
        app's startup. ``StoreError`` if the store cannot be read. On a SPARQL server, the
        connection, checked with one query: a server that does not answer is logged and the
        app starts anyway, answering 503 until the server is back."""
        if self.path is None:
            try:
                with self._reader_lock:
                    if self._reader is None:
                        self._reader = connect(self.location)
            except StoreError as error:
                log.warning("starting without the store: %s", error)
            return self._current()
        ensure_published(self.path)
        return self._current()

    def get(self) -> Store | RemoteStore:
        """The reader of the latest generation, for a request: one ``stat`` when nothing
        changed; a store that cannot be read answers 503. On a SPARQL server, the connection
        (a failing query raises :class:`StoreError`, which the app answers 503)."""
        try:
            return self._current()
        except StoreError as error:
            raise ApiError(503, f"the store is not available: {error}") from error

    def _current(self) -> Store | RemoteStore:
        with self._reader_lock:
            if self.path is None:
                if self._reader is None:
                    self._reader = RemoteStore(self.location)
                return self._reader
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
    def writing(self) -> Iterator[Store | RemoteStore]:
        """A writer session for one write, published when it ends; 503 (with ``Retry-After``)
        when another writer keeps the store past ``TKG_LOCK_TIMEOUT``. On a SPARQL server, the
        connection, once the writes before it in this process are done (same time limit)."""
        if self.path is None:
            if not self._remote_writes.acquire(timeout=settings().lock_timeout_s):
                raise ApiError(503, f"another write to {self.location.query_url} from this "
                               f"process is still running; retry later",
                               headers={"Retry-After": "5"})
            try:
                yield self._current()
            finally:
                self._remote_writes.release()
            return
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


def _stored_iris(ids: Sequence[str]) -> list[str]:
    """The IRIs of ``ids``, leaving out text not shaped like a node id (it names nothing)."""
    return [str(iri(i)) for i in ids if is_node_id(i)]


def statements_by_id(store: StoreHandle, ids: Sequence[str]) -> list[Item]:
    """The statements ``ids`` (``statement/…``) as JSON contract items, by date then id, from
    the store's read model; ids the store does not hold are left out."""
    texts = statement_json(store.get(), _stored_iris(ids))
    return sorted((json.loads(text) for text in texts.values()), key=chronological)


def events_by_id(store: StoreHandle, ids: Sequence[str]) -> list[Item]:
    """The events ``ids`` (``event/…``) as JSON contract items, by date then id, from the
    store's read model; ids the store does not hold are left out."""
    texts = event_json(store.get(), _stored_iris(ids))
    return sorted((json.loads(text) for text in texts.values()), key=chronological)


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


def page_of(request: Request, ids: list[str], fetch: Callable[[list[str]], list[Item]],
            limit: int, offset: int, sparql: str | None = None) -> Item:
    """:func:`page` over the node ids ``ids``, with ``fetch`` reading only the page's items."""
    body = page(request, ids, limit, offset, sparql)
    body["items"] = fetch(body["items"])
    return body


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
