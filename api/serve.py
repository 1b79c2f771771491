"""Serve the API with uvicorn: ``python -m api`` (http://127.0.0.1:8000 by default).

The listening socket is made here with ``TCP_NODELAY`` set: Linux hands the option on to every
accepted connection, so a small response written in two pieces (headers, then body) is not held
back by Nagle's algorithm until the client's delayed ACK (~40 ms a request on keep-alive).
asyncio sets the option on accepted sockets too; setting it on the listener keeps it when a
socket reaches the event loop some other way. ``tests/test_api_serve.py`` checks the latency.

Workers. ``--workers N`` (``TKG_WORKERS``, default 2) runs N uvicorn worker processes that share
the one listening socket (uvicorn's supervisor restarts one that dies). Each builds the app from
``TKG_STORE`` (:func:`app_from_environment`, set here from ``--store``) and reads the store's
published generation; writes from every worker take turns on the store's writer lock (see
:mod:`api.routes_common`). Each worker also has its own SPARQL pool (``TKG_SPARQL_WORKERS``).

Half-sent requests. uvicorn waits for ever for the rest of a request whose headers or body
stop arriving, so a few hundred idle sockets would hold the server (slowloris). Connections
are served by :class:`TimedH11Protocol`: a request must arrive whole within
``TKG_REQUEST_TIMEOUT`` seconds (default 10) of its first byte (of the connection, for the
first request); past it the server answers 408 and closes the connection.

Response cache. Each worker keeps the answers to repeated reads for the store's current
published generation (:mod:`api.response_cache`), within ``--cache-mb`` megabytes
(``TKG_CACHE_MB``, default 16; 0 turns it off): a read answered from one generation is the same
answer until a write publishes the next, and without it a mixed read load on two CPUs tops out
far below 200 requests a second (each read route runs a dozen SPARQL queries; ``bench/load.py``).
A store on a SPARQL server (``--store`` an http(s) URL) has no generations, so it is served
without the cache: its answers follow the server's writes at once.

Host, port and store come from ``--host``/``--port``/``--store`` or ``TKG_HOST``, ``TKG_PORT``,
``TKG_STORE``.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.supervisors import Multiprocess

from api.errors import error_body
from api.response_cache import ResponseCache
from graph.config import DEFAULT_CACHE_MB, settings
from graph.snapshots import Pointer
from graph.store_remote import is_remote

#: States of the client's side of a request still arriving (h11): a deadline runs meanwhile.
_ARRIVING = (h11.IDLE, h11.SEND_BODY)


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on each request's arrival: the headers and body
    must be in within ``request_timeout_s`` of the request's first byte (or of the connection's
    opening), else 408 (unless the answer has begun) and the connection is closed. Time spent
    by the app, and idle time between requests (uvicorn's keep-alive timeout), are not counted.
    """

    def __init__(self, *args: Any, request_timeout_s: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_timeout_s = request_timeout_s
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state in _ARRIVING:
            self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        """Start the deadline unless one runs: later bytes of the same request do not extend it."""
        if self._deadline is None and not self.transport.is_closing():
            self._deadline = self.loop.call_later(self.request_timeout_s, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.conn.their_state not in _ARRIVING:
            return
        if self.cycle is None or not self.cycle.response_started:
            message = f"the request did not arrive within {self.request_timeout_s:g} s"
            body = json.dumps(error_body(408, message)).encode("utf-8")
            self.transport.write(b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json"
                                 b"\r\nconnection: close\r\ncontent-length: %d\r\n\r\n%s"
                                 % (len(body), body))
        self.transport.close()


def listening_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A TCP socket bound to ``host:port``, listening, with ``TCP_NODELAY`` and address reuse."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    if not infos:
        raise ValueError(f"cannot resolve the host {host!r}")
    family, kind, protocol, _, address = infos[0]
    sock = socket.socket(family, kind, protocol)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0-65535)")
    return int(value)


def _megabytes(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a size in megabytes (0 or more)")
    return int(value)


def _workers(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of worker processes "
                                         f"(1 or more)")
    return int(value)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m api", description="Serve the timeline-kg API.")
    main.add_argument("--host", default=settings().host,
                      help="address to listen on (default: $TKG_HOST, else 127.0.0.1)")
    main.add_argument("--port", type=_port, default=str(settings().port),
                      help="port (default: $TKG_PORT, else 8000; 0 picks a free one)")
    main.add_argument("--store", default=None,
                      help="store directory, or the http(s) query URL of a SPARQL server "
                           "(default: $TKG_STORE, else data/store)")
    main.add_argument("--workers", type=_workers, default=str(settings().workers),
                      help="worker processes serving the port (default: $TKG_WORKERS, else 2)")
    main.add_argument("--cache-mb", type=_megabytes, default=None,
                      help="response cache of each worker, in MB; 0 turns it off "
                           f"(default: $TKG_CACHE_MB, else {DEFAULT_CACHE_MB})")
    main.add_argument("--log-level", default="info",
                      choices=["critical", "error", "warning", "info", "debug"])
    return main


def app_from_environment() -> FastAPI | ResponseCache:
    """The app over the store of ``TKG_STORE``, behind a response cache of ``TKG_CACHE_MB``
    megabytes keyed on the store's published generation: what each worker process serves."""
    from api.app import create_app

    config = settings()
    if config.store_url:
        return create_app(config.store_url)
    app = create_app(config.store)
    if not config.cache_mb:
        return app
    return ResponseCache(app, Pointer(config.store).generation,
                         max_bytes=config.cache_mb * 1024 * 1024)


def serve(host: str, port: int, store: Path | str, log_level: str = "info",
          workers: int | None = None, cache_mb: int | None = None) -> None:
    """Serve the store ``store`` (a directory, or the http(s) URL of a SPARQL server) on
    ``host:port`` with ``workers`` processes (default ``TKG_WORKERS``), each with a response
    cache of ``cache_mb`` MB (default ``TKG_CACHE_MB``) until interrupted. Sets ``TKG_STORE``
    and ``TKG_CACHE_MB`` for the workers."""
    config = settings()
    workers = config.workers if workers is None else workers
    if workers < 1:
        raise ValueError(f"workers={workers}: serve with 1 worker process or more")
    if cache_mb is not None and cache_mb < 0:
        raise ValueError(f"cache_mb={cache_mb}: give 0 (no cache) or more megabytes")
    os.environ["TKG_STORE"] = store if is_remote(str(store)) else os.fspath(Path(store).resolve())
    if cache_mb is not None:
        os.environ["TKG_CACHE_MB"] = str(cache_mb)
    sock = listening_socket(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    uvicorn_config = uvicorn.Config(
        "api.serve:app_from_environment", factory=True, workers=workers, log_level=log_level,
        timeout_keep_alive=5, server_header=False,
        http=functools.partial(TimedH11Protocol, request_timeout_s=config.request_timeout_s))
    print(f"serving {store} on http://{bound_host}:{bound_port} with {workers} worker "
          f"process{'es' if workers > 1 else ''} (docs at /docs)", file=sys.stderr, flush=True)
    try:
        if workers > 1:
            Multiprocess(uvicorn_config, sockets=[sock]).run()
        else:
            uvicorn.Server(uvicorn_config).run(sockets=[sock])
    finally:
        sock.close()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        config = settings()
        serve(args.host, args.port, args.store or config.store_url or config.store,
              args.log_level, args.workers, args.cache_mb)
    except (OSError, ValueError) as error:
        print(f"python -m api: {error}", file=sys.stderr)
        return 2
    return 0
