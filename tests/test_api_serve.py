"""``python -m api`` serves over TCP with TCP_NODELAY (small keep-alive answers are not delayed),
with one worker process or several sharing the listening socket."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import time
from pathlib import Path

import pytest
from loopback import serving, status

from api.serve import listening_socket


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


@pytest.fixture(scope="module", params=[1, 2], ids=["1-worker", "2-workers"])
def server(tmp_path_factory, request):
    with serving(tmp_path_factory.mktemp("api-serve"), "--workers", str(request.param)) as running:
        yield running.port, running.process, request.param


@pytest.mark.parametrize("url", ["/health", "/articles", "/relations?type=contradicts"])
def test_keep_alive_answers_are_fast(server, url):
    """With Nagle's algorithm on, each answer would wait ~40 ms for the client's delayed ACK."""
    connection = http.client.HTTPConnection("127.0.0.1", server[0], timeout=5)
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


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target)
    return inodes


def _listening_inode(port: int) -> str:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
            return f"socket:[{fields[9]}]"
    raise AssertionError(f"nothing listens on port {port}")


def _children(pid: int) -> list[tuple[int, bytes]]:
    """The child processes of ``pid`` with their command lines."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append((int(entry.name), command))
    return found


def test_every_worker_process_serves_the_one_socket(server):
    port, process, workers = server
    listening = _listening_inode(port)
    spawned = [pid for pid, command in _children(process.pid) if b"spawn_main" in command]
    if workers == 1:
        assert spawned == [] and listening in _socket_inodes(process.pid)
    else:
        assert len(spawned) == workers
        assert all(listening in _socket_inodes(pid) for pid in spawned)


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_a_bad_worker_count_is_refused(value, capsys):
    from api.serve import main

    with pytest.raises(SystemExit):
        main(["--workers", value])
    assert "number of worker processes" in capsys.readouterr().err


def test_a_dead_worker_is_replaced_while_the_other_answers(server):
    """Why two workers by default: a worker that dies (a native crash on a REST read, which
    unlike SPARQL does not run in a sandbox) costs its own connections only."""
    port, process, workers = server
    if workers == 1:
        pytest.skip("one worker runs without uvicorn's supervisor: nothing replaces it")
    first = sorted(pid for pid, command in _children(process.pid) if b"spawn_main" in command)
    os.kill(first[0], signal.SIGKILL)
    statuses = []
    until = time.monotonic() + 2
    while time.monotonic() < until:
        statuses.append(status(port, "/health"))
    assert len(statuses) > 20 and set(statuses) == {200}
    deadline = time.monotonic() + 30
    while True:
        now = sorted(pid for pid, command in _children(process.pid) if b"spawn_main" in command)
        if len(now) == 2 and first[0] not in now:
            break
        assert time.monotonic() < deadline, f"workers now {now}, before {first}"
        time.sleep(0.2)
