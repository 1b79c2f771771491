"""Store size, server memory and query latency on a large store.

    .venv/bin/python bench/scale_queries.py --store /tmp/scale10k-store [--requests 200]

Make the store first: ``bench/scale_corpus.py`` writes a recombined corpus, ``tkg build`` reads
it (see bench/README.md, "Scale"). This script prints the store's size on disk and its triple
count, starts ``python -m api`` on it (127.0.0.1, ``--workers``, response cache off so every
answer is computed), finds the speakers and topics
with most statements (``/actors``, ``/topics``), and then asks, one request at a time so each
figure is a latency, ``--requests`` times each, cycling through speaker × topic pairs:

- ``GET /timeline?speaker=&topic=``,
- ``GET /statements?speaker=&topic=`` (the first page),
- ``GET /events/{id}`` for the first 20 events of ``/events`` (a quarter as many requests),
- ``POST /sparql``, a monthly count of statements per topic (an aggregation over the store),

printing p50, p95 and max in milliseconds and the answers' sizes, then the resident memory of
the server's processes (now and their peak). The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import time
from itertools import cycle, islice, product
from pathlib import Path
from urllib.parse import urlencode

from api_throughput import HOST, free_port, percentile, start, stop, wait_ready

#: Statements a month per topic, over every statement of the links graph.
MONTHLY = """PREFIX tkg: <https://timeline-kg.org/ns#>
SELECT ?topic ?month (COUNT(?statement) AS ?statements) WHERE {
  GRAPH <https://timeline-kg.org/id/graph/links> {
    ?statement a tkg:Statement ; tkg:topic ?topic ; tkg:begin ?begin }
  BIND (SUBSTR(STR(?begin), 1, 7) AS ?month)
}
GROUP BY ?topic ?month
ORDER BY ?topic ?month"""


def store_size(path: Path) -> int:
    """Bytes on disk under ``path``, each hard-linked file (a published checkpoint) once."""
    seen, total = set(), 0
    for item in path.rglob("*"):
        if item.is_file():
            stat = item.stat()
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total


def triples(path: Path) -> int:
    from graph.store import open_reader

    with open_reader(path) as store:
        return len(store)


def family_memory_kb(pid: int) -> tuple[int, int]:
    """(resident now, sum of peaks) in KiB over ``pid`` and its descendants."""
    pids, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        frontier.extend(int(c) for c in children)
    now = peak = 0
    for member in pids:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        now += int(fields.get("VmRSS", "0 kB").split()[0])
        peak += int(fields.get("VmHWM", "0 kB").split()[0])
    return now, peak


def _get(connection: http.client.HTTPConnection, path: str) -> dict:
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}: {body[:300]!r}")
    return json.loads(body)


def _timed(connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None,
           headers: dict[str, str]) -> tuple[float, bytes]:
    began = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    elapsed = (time.perf_counter() - began) * 1000
    if response.status != 200:
        raise RuntimeError(f"{method} {path} answered {response.status}: {payload[:300]!r}")
    return elapsed, payload


def measure(port: int, requests: int, speakers: list[str], topics: list[str]) -> list[tuple[str, list[float], int]]:
    """(case, sorted latencies in ms, largest answer's item count) for each case."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    pairs = list(islice(cycle(product(speakers, topics)), requests))
    results = []
    for case, path in (("/timeline", "/timeline?{}"), ("/statements", "/statements?{}")):
        latencies, largest = [], 0
        for speaker, topic in pairs:
            elapsed, payload = _timed(connection, "GET", path.format(urlencode({"speaker": speaker, "topic": topic})),
                                      None, {})
            latencies.append(elapsed)
            largest = max(largest, json.loads(payload)["total"])
        results.append((case, sorted(latencies), largest))
    events = [e["id"] for e in _get(connection, "/events?limit=20")["items"]]
    latencies, largest = [], 0
    for event in islice(cycle(events), max(1, requests // 4)):
        elapsed, payload = _timed(connection, "GET", f"/events/{event.removeprefix('event/')}", None, {})
        latencies.append(elapsed)
        largest = max(largest, len(json.loads(payload)["mentions"]))
    results.append(("/events/{id} (mentions)", sorted(latencies), largest))
    latencies, largest = [], 0
    body = urlencode({"query": MONTHLY}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    for _ in range(max(1, requests // 10)):
        elapsed, payload = _timed(connection, "POST", "/sparql", body, headers)
        latencies.append(elapsed)
        largest = max(largest, len(json.loads(payload)["results"]["bindings"]))
    results.append(("/sparql monthly count per topic", sorted(latencies), largest))
    connection.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a store built with tkg build")
    parser.add_argument("--requests", type=int, default=200, help="requests per REST case")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    parser.add_argument("--speakers", type=int, default=5, help="speakers with most statements to ask about")
    parser.add_argument("--topics", type=int, default=4, help="topics with most statements to ask about")
    parser.add_argument("--sparql-memory-mb", type=int, default=4096,
                        help="address space of each SPARQL worker (TKG_SPARQL_MEMORY_MB)")
    args = parser.parse_args(argv)
    if not args.store.is_dir():
        print(f"no store at {args.store}", file=sys.stderr)
        return 2
    print(f"store: {args.store}  {store_size(args.store) / 2**20:,.0f} MiB on disk, {triples(args.store):,} triples")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tkg-scale-") as folder:
        began = time.perf_counter()
        server = start("api", [sys.executable, "-m", "api", "--port", str(port), "--workers", str(args.workers)],
                       {"TKG_STORE": str(args.store), "TKG_CACHE_MB": "0",
                        "TKG_SPARQL_MEMORY_MB": str(args.sparql_memory_mb)}, port, Path(folder))
        try:
            wait_ready(server, "/health")
            print(f"server ready in {time.perf_counter() - began:.1f} s; memory after start "
                  f"{family_memory_kb(server.process.pid)[0] / 1024:,.0f} MiB")
            connection = http.client.HTTPConnection(HOST, port, timeout=120)
            speakers = [a["name"] for a in _get(connection, f"/actors?limit={args.speakers}")["items"]]
            topics = [t["id"] for t in sorted(_get(connection, "/topics")["items"],
                                               key=lambda t: -t["statements"])[:args.topics]]
            connection.close()
            print(f"speakers: {', '.join(speakers)}\ntopics: {', '.join(topics)}")
            for case, latencies, largest in measure(port, args.requests, speakers, topics):
                print(f"{case:34} n={len(latencies):4}  p50 {percentile(latencies, 0.5):8.1f} ms  "
                      f"p95 {percentile(latencies, 0.95):8.1f} ms  max {latencies[-1]:8.1f} ms  "
                      f"largest answer {largest}")
            now, peak = family_memory_kb(server.process.pid)
            print(f"server memory: {now / 1024:,.0f} MiB resident now, {peak / 1024:,.0f} MiB peak (all processes)")
        finally:
            stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
