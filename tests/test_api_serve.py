"""``python -m api`` serves over TCP with TCP_NODELAY: small keep-alive answers are not delayed."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time

import pytest

from api.serve import listening_socket
from graph.config import PROJECT_ROOT


def test_the_listening_socket_has_tcp_nodelay():
    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        client = socket.create_connection(sock.getsockname()[:2])
        accepted, _ = sock.accept()
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        accepted.close()
        client.close()
    finally:
        sock.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from graph.store import open_store
    from graph.vocab import ontology_files

    path = tmp_path_factory.mktemp("api-serve") / "store"
    with open_store(path) as store:
        store.load_ontology(ontology_files())
    port = _free_port()
    env = {**os.environ, "TKG_PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "api", "--store", str(path),
                                "--log-level", "warning"], cwd=PROJECT_ROOT, env=env,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"server did not start: {process.stderr.read() if process.stderr else ''}")
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize("url", ["/health", "/articles", "/relations?type=contradicts"])
def test_keep_alive_answers_are_fast(server, url):
    """With Nagle's algorithm on, each answer would wait ~40 ms for the client's delayed ACK."""
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=5)
    times = []
    for _ in range(30):
        start = time.perf_counter()
        connection.request("GET", url)
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        times.append(time.perf_counter() - start)
    connection.close()
    times.sort()
    assert times[len(times) // 2] < 0.02, f"median {times[len(times) // 2] * 1000:.1f} ms"
