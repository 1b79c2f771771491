"""Real sockets on 127.0.0.1 for tests: a free port, a listener that counts the connections it
receives, an app served by uvicorn in a thread, and ``python -m api`` in a process of its own.

Imported by plain name (``from loopback import serving``), like the other helper modules here.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from graph.config import PROJECT_ROOT
from graph.store import open_store
from graph.vocab import ontology_files

#: How long a server may take to answer ``/health`` (starting workers on a busy machine).
START_S = 60.0


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (as the kernel picks one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status(port: int, path: str) -> int | None:
    """The status of ``GET path`` on a new connection; ``None`` when it fails."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        connection.close()


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@contextmanager
def serving_in_thread(app: FastAPI) -> Iterator[int]:
    """``app`` served by uvicorn in a thread of this process, on a free port: the port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass(frozen=True)
class Served:
    """A running ``python -m api``: its port on 127.0.0.1, its process and its stderr log."""

    port: int
    process: subprocess.Popen
    log: Path


@contextmanager
def serving(folder: Path, *args: str, store: Path | None = None,
            env: dict[str, str] | None = None) -> Iterator[Served]:
    """``python -m api --store STORE --log-level warning ARGS`` on a free port (``TKG_PORT``,
    beside ``env``), once ``/health`` answers 200; stopped on exit. Without ``store`` it serves
    an ontology-only store made in ``folder``. Its stderr goes to ``folder/server.log``: a file,
    not a pipe nobody reads, since a full pipe stalls the server."""
    if store is None:
        store = folder / "store"
        with open_store(store) as made:
            made.load_ontology(ontology_files())
    port = free_port()
    log = folder / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "api", "--store", str(store), "--log-level", "warning", *args],
            cwd=PROJECT_ROOT, env={**os.environ, **(env or {}), "TKG_PORT": str(port)},
            stderr=out, start_new_session=True)
    try:
        deadline = time.monotonic() + START_S
        while status(port, "/health") != 200:
            if process.poll() is not None:
                pytest.fail(f"the server stopped: {log.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer in {START_S:g} s: {log.read_text()}")
            time.sleep(0.1)
        yield Served(port, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # its workers too: they share its process group
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
