"""Half-sent requests are closed after ``TKG_REQUEST_TIMEOUT`` while whole requests are served
(``python -m api`` with 2 worker processes and a 1 s deadline, over raw sockets)."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from loopback import serving

DEADLINE_S = 1.0
#: How much later than the deadline a connection may be closed (timer and scheduling slack).
SLACK_S = 1.5


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    env = {"TKG_WORKERS": "2", "TKG_REQUEST_TIMEOUT": str(DEADLINE_S)}
    with serving(tmp_path_factory.mktemp("slow-clients"), env=env) as server:
        yield server.port
    assert "Traceback" not in server.log.read_text()  # a closed connection is no server error


def _get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _closed_after(sock: socket.socket, sent_at: float) -> tuple[float, bytes]:
    """Seconds from ``sent_at`` until the server closed ``sock``, and what it sent before."""
    received = b""
    sock.settimeout(DEADLINE_S + SLACK_S + 5)
    while chunk := sock.recv(4096):
        received += chunk
    return time.monotonic() - sent_at, received


HALF_SENT = {
    "nothing": [],
    "half a request line": [b"GET /heal"],
    "headers without their end": [b"GET /health HTTP/1.1\r\nHost: x\r\n"],
    "a body short of its length": [(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                    b"application/sparql-query\r\nContent-Length: 100\r\n\r\n"
                                    b"ASK {")],
}


def _half_sent(port: int, pieces: list[bytes]) -> tuple[float, bytes]:
    with socket.create_connection(("127.0.0.1", port)) as sock:
        start = time.monotonic()
        for piece in pieces:
            sock.sendall(piece)
        return _closed_after(sock, start)


def _dripping(port: int) -> float | None:
    """Seconds until the server closed a request sent a byte every 0.2 s (``None``: never)."""
    request = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 100
    with socket.create_connection(("127.0.0.1", port)) as sock:
        start = time.monotonic()
        sock.settimeout(0.2)
        for byte in request:
            try:
                sock.sendall(bytes([byte]))
                if sock.recv(4096) == b"":
                    return time.monotonic() - start
            except TimeoutError:
                continue
            except OSError:
                return time.monotonic() - start
    return None


def test_half_sent_requests_are_answered_408_and_closed(port):
    """Each kind at once (the deadline is per connection): nothing sent, half a request line,
    headers without their end, a body short of its length; and a request dripping in a byte
    every 0.2 s, closed although bytes keep coming."""
    with ThreadPoolExecutor(len(HALF_SENT) + 1) as pool:
        dripping = pool.submit(_dripping, port)
        outcomes = dict(zip(HALF_SENT, pool.map(lambda p: _half_sent(port, p),
                                                HALF_SENT.values()), strict=True))
        dripped = dripping.result()
    for kind, (waited, received) in outcomes.items():
        assert DEADLINE_S - 0.2 <= waited <= DEADLINE_S + SLACK_S, kind
        assert received.startswith(b"HTTP/1.1 408 "), kind
        assert b'"code": "http_408"' in received, kind
    assert dripped is not None and dripped <= DEADLINE_S + SLACK_S


def test_the_deadline_is_per_request_on_a_keep_alive_connection(port):
    """Three requests, each sent in pieces over 0.6 s: 1.8 s on one connection, all served."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(5)
        for _ in range(3):
            sock.sendall(b"GET /health HTTP/1.1\r\n")
            time.sleep(DEADLINE_S * 0.6)
            sock.sendall(b"Host: x\r\n\r\n")
            assert _response(sock).startswith(b"HTTP/1.1 200 ")


def _response(sock: socket.socket) -> bytes:
    """One whole response (headers and a ``content-length`` body) read from ``sock``."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(4096)
    return data


def test_whole_requests_are_served_while_many_connections_hang(port):
    """Issue 8: half-sent connections are closed and ≥ 99 % of other requests succeed
    meanwhile (here: all of them)."""
    hanging = [socket.create_connection(("127.0.0.1", port)) for _ in range(100)]
    for i, sock in enumerate(hanging):
        sock.sendall(list(HALF_SENT.values())[1 + i % 3][0])
    statuses: list[int] = []

    def client() -> None:
        until = time.monotonic() + DEADLINE_S + 0.5
        while time.monotonic() < until:
            statuses.append(_get(port, "/articles"))

    threads = [threading.Thread(target=client) for _ in range(4)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        waits = [_closed_after(sock, start)[0] for sock in hanging]
    finally:
        for sock in hanging:
            sock.close()
    assert len(statuses) >= 20 and set(statuses) == {200}
    assert max(waits) <= DEADLINE_S + SLACK_S + 1.0
