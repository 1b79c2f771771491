"""Serve the API with uvicorn: ``python -m api`` (http://127.0.0.1:8000 by default).

The listening socket is made here with ``TCP_NODELAY`` set: Linux hands the option on to every
accepted connection, so a small response written in two pieces (headers, then body) is not held
back by Nagle's algorithm until the client's delayed ACK (~40 ms a request on keep-alive).
asyncio sets the option on accepted sockets too; setting it on the listener keeps it when a
socket reaches the event loop some other way. ``tests/test_api_serve.py`` checks the latency.

Host, port and store come from ``--host``/``--port``/``--store`` or ``TKG_HOST``, ``TKG_PORT``,
``TKG_STORE``. One worker process: pyoxigraph locks the store directory to one process.
"""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from graph.config import settings


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


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m api", description="Serve the timeline-kg API.")
    main.add_argument("--host", default=settings().host,
                      help="address to listen on (default: $TKG_HOST, else 127.0.0.1)")
    main.add_argument("--port", type=_port, default=str(settings().port),
                      help="port (default: $TKG_PORT, else 8000; 0 picks a free one)")
    main.add_argument("--store", type=Path, default=None,
                      help="store directory (default: $TKG_STORE, else data/store)")
    main.add_argument("--log-level", default="info",
                      choices=["critical", "error", "warning", "info", "debug"])
    return main


def serve(host: str, port: int, store: Path, log_level: str = "info") -> None:
    """Run the app over ``store`` on ``host:port`` until interrupted."""
    from api.app import create_app

    sock = listening_socket(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    config = uvicorn.Config(create_app(store), log_level=log_level, timeout_keep_alive=5,
                            server_header=False)
    server = uvicorn.Server(config)
    print(f"serving {store} on http://{bound_host}:{bound_port} (docs at /docs)",
          file=sys.stderr, flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        serve(args.host, args.port, args.store or settings().store, args.log_level)
    except (OSError, ValueError) as error:
        print(f"python -m api: {error}", file=sys.stderr)
        return 2
    return 0
