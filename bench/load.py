"""Open-loop load on the real server: a mixed read workload at a fixed arrival rate.

    .venv/bin/python bench/load.py                       # 200 req/s for 60 s on the seeds
    .venv/bin/python bench/load.py --duration 600        # the memory-drift run (10 minutes)
    .venv/bin/python bench/load.py --store data/store --rate 300 --duration 120

Builds a store from ``seeds/`` in a temporary folder (or takes ``--store``) and starts
``python -m api --workers 2`` on a free port of 127.0.0.1 in its own process group; this process
is the load generator (never the server). It first reads ``/actors``, ``/topics``,
``/statements``, ``/events`` and ``/articles`` to make a mix of read requests (timelines of
several speakers and topics, filtered and paged statement lists, single statements, events and
articles, contradiction relations, SPARQL SELECTs by GET, POST body and POST form, ``/health``
and the web page ``/``), checks that each answers 200, warms up, then sends them in a fixed
shuffled order at ``--rate`` requests a second for ``--duration`` seconds.

Open loop, as wrk2 does: request *i* is sent at ``start + i / rate`` whether or not earlier ones
have finished (each on an idle keep-alive connection, or a new one), and its latency is measured
from that scheduled time, so a stalled server shows as latency instead of fewer requests
(coordinated omission). HTTP/1.1 is spoken over raw asyncio streams to keep the generator cheap
(it shares the CPUs with the server). Errors are non-2xx answers, connection errors and answers
not received within ``--timeout`` seconds.

Every ``--sample`` seconds the resident memory (``VmRSS``) of the server's processes is summed
over ``/proc``: the supervisor, the API workers and their SPARQL pool workers (every descendant),
with the 1-minute load average. With a run of two minutes or more, the mean of the first
minute's samples is compared with the mean of the last minute's: the drift. Exit status 1 when
a target is missed (p99 ≥ ``--p99-ms``, any error, or a drift ≥ ``--max-drift`` %).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_throughput import (HOST, Server, _family, build_store, free_port,  # noqa: E402
                            percentile, start, stop, timeline_select, wait_ready)

SPARQL_JSON = "application/sparql-results+json"
#: A SPARQL SELECT counting statements by speaker, in the tkg vocabulary.
COUNT_SELECT = """PREFIX tkg: <https://timeline-kg.org/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a tkg:Statement ; tkg:speaker ?a . ?a skos:prefLabel ?name
} GROUP BY ?name ORDER BY DESC(?n) LIMIT 20"""


@dataclass(frozen=True)
class Request:
    """One request of the mix: method, path with query string, extra headers and body."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def encode(self) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {HOST}",
                 *(f"{k}: {v}" for k, v in self.headers)]
        if self.method == "POST":
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + self.body


@dataclass
class Tally:
    """What the generator saw: latencies of 2xx answers and errors by kind."""

    latencies: list[float] = field(default_factory=list)
    #: Scheduled second (from the start) of each latency, in the same order.
    scheduled: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    max_open: int = 0
    hits: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Connections:
    """Keep-alive HTTP/1.1 connections to one port: an idle one is reused, else one is opened.
    A connection idle for ``max_idle`` seconds is closed rather than reused (the server closes
    them after 5 s, uvicorn's keep-alive timeout, and a request may cross that close)."""

    def __init__(self, port: int, max_idle: float = 4.0) -> None:
        self.port = port
        self.max_idle = max_idle
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.open = 0

    def _idle_one(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        while self.idle:
            reader, writer, since = self.idle.pop()
            if time.monotonic() - since < self.max_idle and not reader.at_eof():
                return reader, writer
            self._drop(writer)
        return None

    async def exchange(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        """Send ``request`` and read the answer: (status, headers, body). A connection that
        failed or was closed by the server is dropped; a request that found a reused one closed
        is sent again once on a new connection (as any HTTP client does after a keep-alive
        close; every request of the mix is a read)."""
        for attempt in (0, 1):
            reused = self._idle_one() if attempt == 0 else None
            reader, writer = reused or await self._connect()
            try:
                writer.write(request.encode())
                status, headers, body = await _response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                self._drop(writer)
                if reused is None:
                    raise
                continue
            except BaseException:
                self._drop(writer)
                raise
            if headers.get("connection") != "close":
                self.idle.append((reader, writer, time.monotonic()))
            else:
                self._drop(writer)
            return status, headers, body
        raise ConnectionError("unreachable")

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(HOST, self.port, limit=1 << 22)
        self.open += 1
        return reader, writer

    def _drop(self, writer: asyncio.StreamWriter) -> None:
        self.open -= 1
        writer.close()

    def close(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()
        self.idle.clear()


async def _response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names and values, body) of one HTTP/1.1 answer."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split()[1])
    headers = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
    if headers.get("transfer-encoding") == "chunked":
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        await reader.readuntil(b"\r\n")
        body = b"".join(chunks)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


def _get_json(port: int, path: str) -> dict:
    status, _, body = asyncio.run(_once(port, Request("GET", path)))
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    return json.loads(body)


async def _once(port: int, request: Request) -> tuple[int, dict[str, str], bytes]:
    connections = Connections(port)
    try:
        return await connections.exchange(request)
    finally:
        connections.close()


def _sparql_requests(query: str) -> list[Request]:
    """The same SELECT by GET, by POST body and by POST form."""
    accept = ("Accept", SPARQL_JSON)
    return [
        Request("GET", f"/sparql?{urlencode({'query': query})}", (accept,)),
        Request("POST", "/sparql", (accept, ("Content-Type", "application/sparql-query")),
                query.encode("utf-8")),
        Request("POST", "/sparql", (accept, ("Content-Type", "application/x-www-form-urlencoded")),
                urlencode({"query": query}).encode("ascii")),
    ]


def workload(port: int) -> list[Request]:
    """The mixed read requests, made from what the store holds (any store, not only the seeds)."""
    actors = [a["name"] for a in _get_json(port, "/actors?limit=5")["items"]]
    topics = [t["name"] for t in _get_json(port, "/topics")["items"] if t["statements"]][:3]
    statements = _get_json(port, "/statements?limit=50")["items"]
    events = _get_json(port, "/events?limit=20")["items"]
    articles = _get_json(port, "/articles")["items"]
    if not (actors and topics and statements):
        raise RuntimeError("the store holds no statements: build one first (or omit --store)")
    mix = [Request("GET", f"/timeline?{urlencode({'speaker': a, 'topic': t})}")
           for a in actors[:3] for t in topics[:2]]
    mix += [Request("GET", f"/timeline?{urlencode({'speaker': a})}") for a in actors[:2]]
    mix += [Request("GET", f"/statements?limit=10&offset={o}") for o in (0, 10, 20)]
    mix += [Request("GET", f"/statements?{urlencode({'speaker': a, 'limit': 5})}")
            for a in actors[:3]]
    mix += [Request("GET", f"/statements?{urlencode({'topic': t, 'since': '2000-01-01'})}")
            for t in topics[:2]]
    mix += [Request("GET", f"/statements/{quote(s['id'], safe='/')}") for s in statements[:6]]
    mix += [Request("GET", "/events?limit=10"), Request("GET", "/events?limit=5&offset=5")]
    mix += [Request("GET", f"/events/{quote(e['id'], safe='/')}") for e in events[:3]]
    mix += [Request("GET", "/articles")]
    mix += [Request("GET", f"/articles/{quote(a['id'], safe='')}") for a in articles[:2]]
    mix += [Request("GET", "/relations?type=contradicts"), Request("GET", "/topics"),
            Request("GET", "/actors")]
    mix += _sparql_requests(timeline_select(actors[0], topics[0]))
    mix += _sparql_requests(COUNT_SELECT)
    mix += [Request("GET", "/health")] * 4 + [Request("GET", "/")] * 2
    for request in dict.fromkeys(mix):
        status, _, body = asyncio.run(_once(port, request))
        if status != 200:
            raise RuntimeError(f"{request.method} {request.path[:100]} answered {status}: "
                               f"{body[:300]!r}")
    return mix


def family_rss_kb(pid: int) -> tuple[int, int]:
    """Summed ``VmRSS`` (kB) of ``pid`` and all its descendants, and how many processes."""
    family = _family(pid)
    total = 0
    for member in family:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total, len(family)


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


async def _one(connections: Connections, request: Request, due: float, began: float,
               tally: Tally, timeout: float) -> None:
    try:
        status, headers, _ = await asyncio.wait_for(connections.exchange(request), timeout)
    except asyncio.TimeoutError:
        tally.error("timeout")
        return
    except (OSError, asyncio.IncompleteReadError, ValueError) as err:
        tally.error(type(err).__name__)
        return
    if 200 <= status < 300:
        tally.latencies.append(time.monotonic() - due)
        tally.scheduled.append(due - began)
        tally.hits += headers.get("x-cache") == "hit"
    else:
        tally.error(f"HTTP {status}")


async def _sampler(pid: int, every: float, samples: list[tuple[float, int, int, float]],
                   began: float) -> None:
    while True:
        rss, processes = family_rss_kb(pid)
        samples.append((time.monotonic() - began, rss, processes, load_average()))
        await asyncio.sleep(every - (time.monotonic() - began) % every)


def unique(request: Request, number: int) -> Request:
    """``request`` with a parameter no route reads (``nocache=number``): the same answer,
    computed afresh instead of taken from the server's response cache."""
    glue = "&" if "?" in request.path else "?"
    return Request(request.method, f"{request.path}{glue}nocache={number}", request.headers,
                   request.body)


async def drive(port: int, pid: int | None, mix: list[Request], rate: float, seconds: float,
                timeout: float, sample_s: float, miss_share: float = 0.0, seed: int = 0
                ) -> tuple[Tally, float, list]:
    """Send ``mix`` round and round at ``rate`` a second for ``seconds`` (open loop), a share
    ``miss_share`` of them made :func:`unique`; the tally, the seconds from the first scheduled
    send to the last answer, and the memory samples."""
    connections, tally, samples, rng = Connections(port), Tally(), [], random.Random(seed)
    total = int(rate * seconds)
    began = time.monotonic()
    sampler = asyncio.create_task(_sampler(pid, sample_s, samples, began)) if pid else None
    tasks = set()
    for i in range(total):
        due = began + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        request = mix[i % len(mix)]
        if rng.random() < miss_share:
            request = unique(request, i)
        task = asyncio.create_task(_one(connections, request, due, began, tally, timeout))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        tally.sent += 1
        tally.max_open = max(tally.max_open, connections.open)
    if tasks:
        await asyncio.wait(set(tasks))
    elapsed = time.monotonic() - began
    if sampler is not None:
        if seconds - samples[-1][0] >= sample_s / 2:
            rss, processes = family_rss_kb(pid)
            samples.append((time.monotonic() - began, rss, processes, load_average()))
        sampler.cancel()
    connections.close()
    return tally, elapsed, samples


def drift(samples: list[tuple[float, int, int, float]], seconds: float
          ) -> tuple[float, float, float] | None:
    """(first-minute mean kB, last-minute mean kB, drift %) or ``None`` under two minutes."""
    if seconds < 120:
        return None
    first = [rss for t, rss, _, _ in samples if t < 60]
    last = [rss for t, rss, _, _ in samples if t >= seconds - 60]
    before, after = sum(first) / len(first), sum(last) / len(last)
    return before, after, (after - before) / before * 100


def by_minute(tally: Tally, samples: list[tuple[float, int, int, float]], seconds: float
              ) -> list[tuple[float, float]]:
    """(p99 latency in ms, mean 1-minute load average) of each minute of the run."""
    rows = []
    for minute in range(math.ceil(seconds / 60)):
        inside = sorted(latency for latency, at in zip(tally.latencies, tally.scheduled)
                        if minute * 60 <= at < minute * 60 + 60)
        loads = [load for t, _, _, load in samples if minute * 60 <= t < minute * 60 + 60]
        rows.append((percentile(inside, 0.99) * 1000,
                     sum(loads) / len(loads) if loads else float("nan")))
    return rows


def report(args: argparse.Namespace, tally: Tally, elapsed: float, samples: list,
           mix: list[Request], load_before: float, cpu_s: float) -> bool:
    """Print the figures; whether every target was met."""
    latencies = sorted(tally.latencies)
    errors = sum(tally.errors.values())
    ms = [percentile(latencies, q) * 1000 for q in (0.5, 0.95, 0.99, 1.0)]
    kinds = ", ".join(f"{k}: {n}" for k, n in sorted(tally.errors.items())) or "none"
    paths = sorted({r.path.split("?")[0].split("/")[1] or "/" for r in mix})
    print(f"\nopen loop, {args.rate:g} req/s scheduled for {args.duration:g} s, "
          f"{len(mix)} requests in the mix ({', '.join(paths)}), "
          f"server: python -m api --workers 2, {os.cpu_count()} CPUs, loopback")
    print(f"sent {tally.sent}, completed {len(latencies)} (2xx), errors {errors} ({kinds}); "
          f"{tally.hits} answered from the response cache (--cache-mb {args.cache_mb}, "
          f"--miss-share {args.miss_share:g})")
    print(f"latency from the scheduled time: p50 {ms[0]:.1f} ms, p95 {ms[1]:.1f} ms, "
          f"p99 {ms[2]:.1f} ms, max {ms[3]:.1f} ms")
    print(f"achieved rate {len(latencies) / elapsed:.1f} req/s (2xx over {elapsed:.1f} s); "
          f"at most {tally.max_open} connections open; generator CPU {cpu_s:.1f} s")
    loads = [s[3] for s in samples]
    print(f"load average (1 min): before {load_before:.2f}, during min {min(loads):.2f} "
          f"mean {sum(loads) / len(loads):.2f} max {max(loads):.2f}")
    print("server RSS (all processes) every " f"{args.sample:g} s, MB: "
          + " ".join(f"{rss / 1024:.0f}" for _, rss, _, _ in samples)
          + f"  ({samples[-1][2]} processes at the end)")
    if args.duration >= 120:
        print("by minute, p99 ms / mean load: " + "  ".join(
            f"{p99:.0f}/{load:.1f}" for p99, load in by_minute(tally, samples, args.duration)))
    met = ms[2] < args.p99_ms and errors == 0
    found = drift(samples, args.duration)
    if found is not None:
        before, after, percent = found
        print(f"memory drift: first-minute mean {before / 1024:.1f} MB, last-minute mean "
              f"{after / 1024:.1f} MB, drift {percent:+.2f} %")
        met = met and abs(percent) < args.max_drift
    print(f"targets (p99 < {args.p99_ms:g} ms, 0 errors"
          + (f", |drift| < {args.max_drift:g} %" if found else "") + f"): "
          + ("met" if met else "MISSED"))
    return met


def run(args: argparse.Namespace, folder: Path) -> bool:
    store = args.store or build_store(folder)
    port = free_port()
    argv = [sys.executable, "-m", "api", "--store", os.fspath(store), "--workers", "2",
            "--log-level", "warning", "--port", str(port), "--cache-mb", str(args.cache_mb)]
    server: Server = start("load-server", argv, {}, port, folder)
    try:
        wait_ready(server, "/health")
        mix = workload(port)
        random.Random(args.seed).shuffle(mix)
        if args.warmup:
            asyncio.run(drive(port, None, mix, args.rate, args.warmup, args.timeout, args.sample,
                              args.miss_share, args.seed))
        load_before, cpu_before = load_average(), time.process_time()
        tally, elapsed, samples = asyncio.run(drive(
            port, server.process.pid, mix, args.rate, args.duration, args.timeout, args.sample,
            args.miss_share, args.seed))
        cpu_s = time.process_time() - cpu_before
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode}")
    finally:
        stop(server)
    log = server.log.read_text(errors="replace")
    if "Traceback" in log:
        print(f"server log holds a traceback:\n{log[-3000:]}", file=sys.stderr)
    return report(args, tally, elapsed, samples, mix, load_before, cpu_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, help="an existing store (default: build the seeds)")
    parser.add_argument("--rate", type=float, default=200.0, help="requests a second")
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds first")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before an error")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between RSS samples")
    parser.add_argument("--cache-mb", type=int, default=16,
                        help="the server's response cache per worker (0: off)")
    parser.add_argument("--miss-share", type=float, default=0.1,
                        help="share of requests made unique, so the cache cannot answer them")
    parser.add_argument("--seed", type=int, default=8, help="shuffle of the mix")
    parser.add_argument("--p99-ms", type=float, default=500.0, help="p99 target")
    parser.add_argument("--max-drift", type=float, default=10.0, help="memory drift target, %%")
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.duration <= 0 or args.warmup < 0 or args.sample <= 0:
        parser.error("--rate, --duration and --sample must be > 0, --warmup ≥ 0")
    if not 0 <= args.miss_share <= 1 or args.cache_mb < 0:
        parser.error("--miss-share must be within 0..1 and --cache-mb ≥ 0")
    with tempfile.TemporaryDirectory(prefix="tkg-load-") as folder:
        met = run(args, Path(folder))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
