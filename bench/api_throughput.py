"""Throughput of the API and its SPARQL endpoint, side by side with ``rdflib-endpoint``.

    .venv/bin/python bench/api_throughput.py [--store DIR] [--seconds 10] [--clients 4]

Builds a store from ``seeds/`` in a temporary folder (or uses ``--store``), exports it as
N-Quads and starts, one at a time on 127.0.0.1: ``python -m api --workers 1`` and
``--workers 2`` (each worker with a SPARQL pool of 2), ``python -m api --workers 1`` with a
SPARQL pool of 1 (``TKG_SPARQL_WORKERS=1``), and ``rdflib-endpoint`` on the same N-Quads in its
default rdflib store, as its ``serve`` command does. Each case is a closed loop of ``--clients``
threads on keep-alive connections (warm-up discarded); the "beside" cases measure ``/timeline``
while one more client keeps asking for ``/export?format=jsonld`` (a heavy request). Prints req/s, p50, p99 and errors per
case, our SELECT throughput over rdflib-endpoint's, and ``TCP_NODELAY`` on each server's
listening and accepted sockets (read with ``pidfd_getfd`` from the server and its worker
processes). Every server is stopped at the end. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import ctypes
import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SPARQL_JSON = "application/sparql-results+json"
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
REQUEST_TIMEOUT_S = 30.0
_PIDFD_OPEN, _PIDFD_GETFD = 434, 438  # the same numbers on x86-64 and aarch64

#: Statements of a speaker on a topic in time order, over the union of the graphs: the
#: question ``/timeline`` answers, written against the tkg vocabulary.
TIMELINE_SELECT = """PREFIX tkg: <https://timeline-kg.org/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?statement ?begin ?quote WHERE {
  ?statement a tkg:Statement ; tkg:speaker ?actor ; tkg:topic ?topic .
  ?actor skos:prefLabel|skos:altLabel ?speakerName .
  FILTER (LCASE(STR(?speakerName)) = LCASE(SPEAKER))
  ?topic skos:prefLabel|skos:altLabel ?topicName .
  FILTER (LCASE(STR(?topicName)) = LCASE(TOPIC))
  OPTIONAL { ?statement tkg:begin ?begin }
  OPTIONAL { ?statement tkg:quote ?quote }
}
ORDER BY ?begin ?statement"""


@dataclass(frozen=True)
class Target:
    """One request to repeat: path with query string, headers, and how to count its rows."""

    path: str
    headers: tuple[tuple[str, str], ...]
    rows: str  # "sparql" (result bindings), "timeline" (the "total" field), "" (not counted)


@dataclass(frozen=True)
class Result:
    """One measured case."""

    case: str
    workers: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def timeline_select(speaker: str, topic: str) -> str:
    """The timeline-style SELECT for ``speaker`` (name or alias) on ``topic`` (label or alias);
    a JSON string (ASCII, ``\\"`` and ``\\uXXXX`` escapes) is a valid SPARQL string literal."""
    return TIMELINE_SELECT.replace("SPEAKER", json.dumps(speaker)).replace("TOPIC", json.dumps(topic))


def sparql_target(path: str, query: str) -> Target:
    return Target(f"{path}?{urlencode({'query': query})}", (("Accept", SPARQL_JSON),), "sparql")


def free_port() -> int:
    """A TCP port on the loopback that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def percentile(sorted_values: list[float], share: float) -> float:
    """The nearest-rank percentile ``share`` (0..1) of ascending ``sorted_values``."""
    if not sorted_values:
        return float("nan")
    rank = min(max(1, math.ceil(share * len(sorted_values))), len(sorted_values))
    return sorted_values[rank - 1]


@dataclass
class Server:
    """A server process this benchmark started."""

    name: str
    process: subprocess.Popen
    port: int
    log: Path


def start(name: str, argv: list[str], env: dict[str, str], port: int, folder: Path) -> Server:
    """Start ``argv`` (a server on ``port``) with ``env`` added to the environment, in its own
    process group, logging to ``folder``."""
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=PROJECT_ROOT,
                                   env={**os.environ, **env}, start_new_session=True)
    return Server(name, process, port, log)


def wait_ready(server: Server, path: str) -> None:
    """Return once ``GET path`` answers 200; ``RuntimeError`` with the log if it never does."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            connection = http.client.HTTPConnection(HOST, server.port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    tail = server.log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"{server.name} did not become ready on port {server.port}:\n{tail}")


def stop(server: Server) -> None:
    """Stop ``server`` (SIGTERM, then SIGKILL to its process group after a bounded wait)."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(STOP_TIMEOUT_S)
    try:  # query workers left behind by a server that died
        os.killpg(server.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def serve_rdflib_endpoint(data: Path, port: int) -> None:
    """``rdflib-endpoint serve`` on ``data``: its default rdflib store, a union default graph."""
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(store="default", default_union=True)
    dataset.parse(data, format="nquads")
    uvicorn.run(SparqlEndpoint(graph=dataset), host=HOST, port=port, log_level="warning")


def _socket_inodes(port: int, state: str) -> list[str]:
    """Inodes of the loopback TCP sockets with local ``port`` in ``state`` (hex, /proc/net)."""
    inodes = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.append(fields[9])
    return inodes


def _family(pid: int) -> list[int]:
    """``pid`` and its descendants (a server's worker processes)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family = [pid]
    for member in family:
        family += [child for child, parent in parents.items() if parent == member]
    return family


def _remote_nodelay(pid: int, inode: str) -> bool | None:
    """``TCP_NODELAY`` of socket ``inode`` held by process ``pid`` or one of its descendants;
    ``None`` if it cannot be read."""
    for member in _family(pid):
        found = _nodelay_of(member, f"socket:[{inode}]")
        if found is not None:
            return found
    return None


def _nodelay_of(pid: int, target: str) -> bool | None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    try:
        entries = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return None
    for entry in entries:
        try:
            if os.readlink(entry) != target:
                continue
        except OSError:
            continue
        pidfd = libc.syscall(_PIDFD_OPEN, pid, 0)
        if pidfd < 0:
            return None
        try:
            fd = libc.syscall(_PIDFD_GETFD, pidfd, int(entry.name), 0)
        finally:
            os.close(pidfd)
        if fd < 0:
            return None
        with socket.socket(fileno=fd) as copy:
            return bool(copy.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    return None


def nodelay(server: Server, path: str) -> tuple[bool | None, bool | None]:
    """``TCP_NODELAY`` on the server's listening socket and on a connection it accepted."""
    listening = [_remote_nodelay(server.process.pid, i) for i in _socket_inodes(server.port, "0A")]
    connection = http.client.HTTPConnection(HOST, server.port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request("GET", path)
        connection.getresponse().read()
        accepted = [_remote_nodelay(server.process.pid, i)
                    for i in _socket_inodes(server.port, "01")]
    finally:
        connection.close()
    found = [value for value in accepted if value is not None]
    return (listening[0] if listening else None), (found[0] if found else None)


def count_rows(port: int, target: Target) -> int:
    """Rows of one answer: SPARQL result bindings, or the ``total`` of ``/timeline``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request("GET", target.path, headers=dict(target.headers))
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {target.path[:80]}… answered {response.status}: {body[:300]!r}")
    document = json.loads(body)
    return len(document["results"]["bindings"]) if target.rows == "sparql" else document["total"]


def _client(port: int, target: Target, seconds: float, start: threading.Barrier,
            latencies: list[float], errors: list[int]) -> None:
    """One closed-loop client: requests back to back on one keep-alive connection."""
    headers = dict(target.headers)
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    start.wait()
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        began = time.perf_counter()
        try:
            connection.request("GET", target.path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            errors.append(1)
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
            continue
        if response.status == 200:
            latencies.append(time.perf_counter() - began)
        else:
            errors.append(1)
    connection.close()


def drive(port: int, target: Target, clients: int, seconds: float) -> tuple[list[float], int, float]:
    """Closed-loop load for ``seconds``: (latencies of the 200s, error count, elapsed seconds)."""
    latencies: list[float] = []
    errors: list[int] = []
    barrier = threading.Barrier(clients + 1)
    threads = [threading.Thread(target=_client,
                                args=(port, target, seconds, barrier, latencies, errors))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT_S + 5)
    return latencies, len(errors), time.monotonic() - began


def _background(port: int, target: Target, stop: threading.Event) -> None:
    """One more client asking for ``target`` back to back until ``stop`` (not measured)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    while not stop.is_set():
        try:
            connection.request("GET", target.path, headers=dict(target.headers))
            connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    connection.close()


def measure(case: str, workers: str, port: int, target: Target, args: argparse.Namespace,
            beside: Target | None = None) -> Result:
    """Warm up, then measure one case; with ``beside``, one more client keeps asking for it
    meanwhile (a heavy request next to the measured ones)."""
    stop = threading.Event()
    load = threading.Thread(target=_background, args=(port, beside, stop)) if beside else None
    if load is not None:
        load.start()
    try:
        drive(port, target, args.clients, args.warmup)
        latencies, errors, elapsed = drive(port, target, args.clients, args.seconds)
    finally:
        stop.set()
        if load is not None:
            load.join(REQUEST_TIMEOUT_S + 5)
    latencies.sort()
    return Result(case, workers, len(latencies), elapsed, percentile(latencies, 0.5) * 1000,
                  percentile(latencies, 0.99) * 1000, errors)


def build_store(folder: Path) -> Path:
    """A store read from ``seeds/`` in ``folder``."""
    from graph.config import SEEDS_DIR, settings
    from graph.pipeline import build, reader
    from graph.store import open_store

    path = folder / "store"
    with open_store(path) as store:
        build([SEEDS_DIR], store, reader(settings().spacy_model))
    return path


def export_nquads(store_path: Path, target: Path) -> None:
    from graph.export import export_to_path
    from graph.store import open_reader

    with open_reader(store_path) as store:
        export_to_path(store, "nquads", target)


def table(results: list[Result]) -> str:
    head = f"{'case':<40} {'workers':>10} {'requests':>9} {'req/s':>8} {'p50 ms':>8} " \
           f"{'p99 ms':>8} {'errors':>7}"
    rows = [f"{r.case:<40} {r.workers:>10} {r.requests:>9} {r.rate:>8.0f} {r.p50_ms:>8.2f} "
            f"{r.p99_ms:>8.2f} {r.errors:>7}" for r in results]
    return "\n".join([head, "-" * len(head), *rows])


def _flag(value: bool | None) -> str:
    return "?" if value is None else ("on" if value else "OFF")


def run(args: argparse.Namespace, folder: Path) -> None:
    store = args.store or build_store(folder)
    data = folder / "graph.nq"
    export_nquads(store, data)
    query = timeline_select(args.speaker, args.topic)
    timeline = Target(f"/timeline?{urlencode({'speaker': args.speaker, 'topic': args.topic})}",
                      (), "timeline")
    ours_select, theirs_select = sparql_target("/sparql", query), sparql_target("/", query)
    export = Target("/export?format=jsonld", (), "")
    me = [sys.executable, os.fspath(Path(__file__).resolve())]
    ours = [sys.executable, "-m", "api", "--store", os.fspath(store), "--log-level", "warning"]
    plans = [
        ("ours (python -m api --workers 1)", "ours-1-worker", "/health",
         [*ours, "--workers", "1", "--port"], {},
         [("ours GET /timeline", "1", timeline, None),
          ("ours GET /timeline beside GET /export", "1", timeline, export),
          ("ours /sparql SELECT", "1 × pool 2", ours_select, None)]),
        ("ours (python -m api --workers 2)", "ours-2-workers", "/health",
         [*ours, "--workers", "2", "--port"], {},
         [("ours GET /timeline", "2", timeline, None),
          ("ours GET /timeline beside GET /export", "2", timeline, export),
          ("ours /sparql SELECT", "2 × pool 2", ours_select, None)]),
        ("ours (SPARQL pool 1)", "ours-pool1", "/health",
         [*ours, "--workers", "1", "--port"], {"TKG_SPARQL_WORKERS": "1"},
         [("ours /sparql SELECT", "1 × pool 1", ours_select, None)]),
        ("rdflib-endpoint", "rdflib-endpoint", "/", [*me, "_serve-rdflib-endpoint", os.fspath(data)],
         {}, [("rdflib-endpoint /sparql SELECT", "1", theirs_select, None)]),
    ]
    results, rows, flags = [], {}, {}
    for name, log_name, ready_path, argv, env, cases in plans:
        port = free_port()
        server = start(log_name, [*argv, str(port)], env, port, folder)
        try:
            wait_ready(server, ready_path)
            flags[name] = nodelay(server, ready_path)
            for case, workers, target, beside in cases:
                rows[case] = count_rows(port, target)
                results.append(measure(case, workers, port, target, args, beside))
                print(f"measured {case} [{workers}]", file=sys.stderr, flush=True)
        finally:
            stop(server)
    print(f"\n{args.clients} closed-loop clients, {args.warmup:g} s warm-up + {args.seconds:g} s "
          f"per case, {os.cpu_count()} CPUs, loopback; speaker={args.speaker!r} "
          f"topic={args.topic!r}\n")
    print(table(results))
    print("\nrows per answer: " + ", ".join(f"{case}: {n}" for case, n in rows.items()))
    theirs = next(r.rate for r in results if r.case.startswith("rdflib-endpoint"))
    for r in results:
        if r.case.startswith("ours /sparql") and theirs:
            print(f"ratio ours/rdflib-endpoint, SELECT, {r.workers}: {r.rate / theirs:.1f}x")
    for name, (listening, accepted) in flags.items():
        print(f"TCP_NODELAY {name}: listening socket {_flag(listening)}, "
              f"accepted connection {_flag(accepted)}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_serve-rdflib-endpoint"]:
        serve_rdflib_endpoint(Path(argv[1]), int(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="an existing store (default: build the seeds)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per case")
    parser.add_argument("--warmup", type=float, default=2.0, help="discarded seconds per case")
    parser.add_argument("--clients", type=int, default=4, help="closed-loop client threads")
    parser.add_argument("--speaker", default="Putin")
    parser.add_argument("--topic", default="negotiations")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.warmup < 0:
        parser.error("--clients must be ≥ 1, --seconds > 0 and --warmup ≥ 0")
    with tempfile.TemporaryDirectory(prefix="tkg-bench-") as folder:
        run(args, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
