"""A response cache keyed on the store's published generation: repeated reads cost a lookup.

Every read route answers from one published generation of the store, and a generation never
changes once published (:mod:`graph.snapshots`); so an answer to the same request on the same
generation is the same answer. :class:`ResponseCache` is an ASGI middleware that keeps such
answers in memory, least recently used first out, within a byte budget: on a read workload the
API serves repeated questions (the same timelines, pages, SPARQL SELECTs) without running the
dozen SPARQL queries behind each. A write publishes a new generation, which changes every key,
so nothing stale is ever served; entries of old generations age out.

What is cached: ``200`` answers without ``Set-Cookie`` to ``GET`` requests and to ``POST``
requests to the paths in ``post_paths`` (the SPARQL endpoint is query-only: a POST there is a
read) whose body is at most ``max_entry`` bytes; never a request carrying ``Authorization`` or
``Cookie``, never the paths in ``skip`` (``/health`` must show the process is alive), never an
answer larger than ``max_entry``. The key holds the method, path, query string, ``Accept`` and
``Content-Type`` headers and the body. A store without published generations (made by pyoxigraph
directly) is never cached. Answers carry ``X-Cache: hit`` or ``miss``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Entry:
    """One cached answer: status, headers and body."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 64


class Lru:
    """A byte-bounded least-recently-used map, safe to share between threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Key, entry: Entry) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self._entries[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self.bytes -= dropped.size

    def __len__(self) -> int:
        return len(self._entries)


class ResponseCache:
    """ASGI middleware caching ``app``'s read answers per store generation (see the module).

    ``generation`` returns the store's published generation (``None``: do not cache);
    ``max_bytes`` bounds the memory, ``max_entry`` one answer (and one cached request body).
    """

    def __init__(self, app: App, generation: Callable[[], int | None], *,
                 max_bytes: int = 32 * 1024 * 1024, max_entry: int = 1024 * 1024,
                 post_paths: frozenset[str] = frozenset({"/sparql"}),
                 skip: frozenset[str] = frozenset({"/health"})) -> None:
        if max_bytes < 1 or max_entry < 1:
            raise ValueError(f"max_bytes={max_bytes}, max_entry={max_entry}: both must be ≥ 1")
        self.app = app
        self.generation = generation
        self.entries = Lru(max_bytes)
        self.max_entry = max_entry
        self.post_paths = post_paths
        self.skip = skip

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive,
                       send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        generation = self.generation()
        if generation is None:
            await self.app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST":
            body, complete = await _read_body(receive, self.max_entry)
            receive = _replay(body, not complete, receive)
            if not complete:
                await self.app(scope, receive, send)
                return
        key = (generation, scope["method"], scope["path"], scope.get("query_string", b""),
               _header(scope, b"accept"), _header(scope, b"content-type"), body)
        entry = self.entries.get(key)
        if entry is not None:
            await send({"type": "http.response.start", "status": entry.status,
                        "headers": [*entry.headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": entry.body})
            return
        await self.app(scope, receive, self._recorder(key, send))

    def _cacheable(self, scope: MutableMapping[str, Any]) -> bool:
        if scope["type"] != "http" or scope["path"] in self.skip:
            return False
        method = scope["method"]
        if method != "GET" and not (method == "POST" and scope["path"] in self.post_paths):
            return False
        return not any(name in (b"authorization", b"cookie") for name, _ in scope["headers"])

    def _recorder(self, key: Key, send: Send) -> Send:
        """``send`` passing every message on, keeping a copy of a cacheable answer."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        size = 0

        async def record(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if message["status"] == 200 and not any(n.lower() == b"set-cookie"
                                                        for n, _ in headers):
                    start["status"], start["headers"] = message["status"], tuple(headers)
                message = {**message, "headers": [*headers, (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and start:
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_entry:
                    start.clear()
                else:
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        self.entries.put(key, Entry(start["status"], start["headers"],
                                                    b"".join(chunks)))
            await send(message)

        return record


def _header(scope: MutableMapping[str, Any], name: bytes) -> bytes:
    return b",".join(value for key, value in scope["headers"] if key.lower() == name)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request body up to ``limit`` bytes, and whether it is whole (else read so far)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > limit:
            return b"".join(chunks), False


def _replay(body: bytes, more: bool, receive: Receive) -> Receive:
    """A ``receive`` giving ``body`` first (one message; ``more``: the rest is still to read),
    then what ``receive`` gives."""
    replayed = False

    async def again() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return again
