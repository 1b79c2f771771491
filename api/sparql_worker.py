"""Killable query workers: each SPARQL query runs in a separate process with a time and memory
budget, so a catastrophic query (a cartesian product), a memory hog or an engine crash costs one
worker, never the server.

A :class:`QueryPool` keeps a few worker processes, each a fresh interpreter running this module
(``python -m api.sparql_worker_main``: no state inherited from the threaded server, and unlike
``multiprocessing`` spawn it never re-imports the caller's main script). Each worker:

- opens the latest published generation of the store read-only (:mod:`graph.snapshots`: a
  checkpoint no process writes, pinned by a lease while open) and, before each query, moves to a
  newer one when a writer published it (one ``stat``), so committed writes show up. A store that
  no timeline-kg writer ever wrote (made by pyoxigraph directly: no writer lock file) has no
  generations; it is read in place, reopened when its files change, as pyoxigraph allows beside
  a writer only at the risk of undefined behaviour;
- limits its address space (``RLIMIT_AS``) and, on Linux x86-64/aarch64, installs a seccomp filter
  that makes ``socket()`` fail: even a query that slipped past :mod:`api.sparql_guard` cannot
  open a network connection;
- answers one job at a time over a pipe.

The server side waits for the answer up to the time budget; past it, or when the worker dies
(segfault, out of memory), it kills the worker, starts a replacement and answers 503.
"""

from __future__ import annotations

import ctypes
import os
import platform
import queue
import resource
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from api.sparql_formats import boolean_body, solutions_body, triples_body
from graph import snapshots, store_lock

#: Seccomp: (audit arch, syscall number of socket()) by machine.
_SECCOMP_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
#: How long a new worker may take to start (imports, limits) before it counts as broken.
STARTUP_TIMEOUT_S = 30.0
_PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Job:
    """One query to run: its text, dataset and the result format chosen by negotiation."""

    query: str
    form: str
    fmt: str
    base_iri: str | None = None
    prefixes: tuple[tuple[str, str], ...] = ()
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default: bool = True
    max_rows: int = 10_000


@dataclass(frozen=True)
class Outcome:
    """A job's answer: HTTP status, body, and whether the row cap cut the result."""

    status: int
    body: bytes = b""
    truncated: bool = False
    message: str = ""


def _deny_sockets() -> bool:
    """Make ``socket()`` fail with EPERM in this process from now on; ``False`` if unsupported."""
    arch = _SECCOMP_ARCH.get(platform.machine())
    if arch is None:
        return False
    audit_arch, socket_nr = arch
    ld_abs, jeq, ret = 0x20, 0x15, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM
    program = b"".join([
        struct.pack("HBBI", ld_abs, 0, 0, 4), struct.pack("HBBI", jeq, 1, 0, audit_arch),
        struct.pack("HBBI", ret, 0, 0, deny),
        struct.pack("HBBI", ld_abs, 0, 0, 0), struct.pack("HBBI", jeq, 0, 1, socket_nr),
        struct.pack("HBBI", ret, 0, 0, deny), struct.pack("HBBI", ret, 0, 0, allow),
    ])

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    buffer = ctypes.create_string_buffer(program)
    fprog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) == 0


def _stamp(path: Path) -> tuple:
    """What changes when the store's files change (names, sizes, times; not the info logs)."""
    try:
        entries = [(e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path)
                   if not e.name.startswith("LOG")]
    except FileNotFoundError:
        return ()
    return tuple(sorted(entries))


class _ReadOnlyStore:
    """The latest published generation of a store, opened read-only, replaced by a newer one
    when a writer publishes it; a store without generations is read in place (see above)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pointer = snapshots.Pointer(path)
        self._store: ox.Store | None = None
        self._lease: snapshots.Lease | None = None
        self._key: tuple = ()

    def get(self) -> ox.Store:
        """The handle to query; ``OSError`` when the store cannot be read."""
        generation = self._pointer.generation()
        if generation is None:
            if store_lock.lock_path(self.path).exists():
                raise OSError("no generation is published yet (its first writer is running)")
            key: tuple = ("in place", _stamp(self.path))
            if self._store is None or key != self._key:
                return self._swap(ox.Store.read_only(os.fspath(self.path)), None, key)
        elif self._store is None or self._key != ("generation", generation):
            lease = snapshots.pin_latest(self.path)
            if lease is None:
                raise OSError("no generation is published")
            try:
                store = ox.Store.read_only(os.fspath(lease.directory))
            except OSError:
                lease.release()
                raise
            return self._swap(store, lease, ("generation", lease.generation))
        return self._store

    def _swap(self, store: ox.Store, lease: snapshots.Lease | None, key: tuple) -> ox.Store:
        """Use ``store`` from now on; drop the previous handle, then let its generation go."""
        old_lease = self._lease
        self._store, self._lease, self._key = store, lease, key
        if old_lease is not None:
            old_lease.release()
        return store


def execute(store: ox.Store, job: Job) -> Outcome:
    """Run ``job`` on ``store`` and serialise its result (in the worker process)."""
    kwargs: dict = {"base_iri": job.base_iri, "prefixes": dict(job.prefixes)}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    else:
        kwargs["use_default_graph_as_union"] = job.union_default
    try:
        result = store.query(job.query, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            return Outcome(200, boolean_body(bool(result), job.fmt))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows, truncated = [], False
            for solution in result:
                if len(rows) == job.max_rows:
                    truncated = True
                    break
                rows.append([solution[name] for name in names])
            return Outcome(200, solutions_body(names, rows, job.fmt, truncated), truncated)
        triples, truncated = [], False
        for triple in result:
            if len(triples) == job.max_rows:
                truncated = True
                break
            triples.append(triple)
        body = triples_body(triples, job.fmt, truncated, dict(job.prefixes))
        return Outcome(200, body, truncated)
    except SyntaxError as err:
        return Outcome(400, message=f"invalid SPARQL query: {err}")
    except MemoryError:
        return Outcome(503, message="the query exceeded the memory budget")
    except (OSError, RuntimeError, ValueError) as err:
        return Outcome(503, message=f"the query failed: {err}")


def serve(jobs: Connection, answers: Connection, store_path: str, memory_mb: int) -> None:
    """Worker process main loop: limit itself, then answer jobs until the job pipe closes."""
    sandboxed = _deny_sockets()
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    answers.send(("ready", sandboxed))
    store = _ReadOnlyStore(Path(store_path))
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = execute(store.get(), job)
        except OSError as err:
            outcome = Outcome(503, message=f"the store {store_path} cannot be read: {err}")
        answers.send(outcome)


def main(argv: list[str]) -> None:
    """Entry point of a worker process: ``JOB_FD ANSWER_FD STORE_PATH MEMORY_MB``."""
    job_fd, answer_fd, store_path, memory_mb = argv
    serve(Connection(int(job_fd), writable=False), Connection(int(answer_fd), readable=False),
          store_path, int(memory_mb))


class _Worker:
    """Server-side handle of one worker process (a fresh interpreter, talking over two pipes)."""

    def __init__(self, store_path: Path, memory_mb: int) -> None:
        job_read, job_write = os.pipe()
        answer_read, answer_write = os.pipe()
        # Two malloc arenas, not glibc's 8 a core of 64 MB address space each: under the
        # worker's RLIMIT_AS those reservations, not the query, made the store's threads fail
        # to start now and then ("Resource temporarily unavailable"; VmPeak 670 MB → 277 MB).
        env = {**os.environ, "MALLOC_ARENA_MAX": "2", "PYTHONPATH": os.pathsep.join(
            filter(None, [os.fspath(_PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.sparql_worker_main", str(job_read), str(answer_write),
             os.fspath(store_path), str(memory_mb)],
            pass_fds=(job_read, answer_write), env=env, stdin=subprocess.DEVNULL)
        os.close(job_read)
        os.close(answer_write)
        self.jobs = Connection(job_write, readable=False)
        self.answers = Connection(answer_read, writable=False)
        self.ready = False

    def wait_ready(self) -> bool:
        """Whether the worker started (its first message arrived in time)."""
        if not self.ready:
            try:
                self.ready = (self.answers.poll(STARTUP_TIMEOUT_S)
                              and self.answers.recv()[0] == "ready")
            except (EOFError, OSError):
                self.ready = False
        return self.ready

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self.jobs.close()
        self.answers.close()


class QueryPool:
    """A few killable worker processes, started on first use; thread-safe :meth:`run`."""

    def __init__(self, store_path: Path, *, size: int = 2, timeout_s: float = 10.0,
                 memory_mb: int = 1024) -> None:
        if size < 1:
            raise ValueError(f"a query pool needs at least one worker, got size={size}")
        self.store_path = Path(store_path)
        self.size = size
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store_path, self.memory_mb)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in its place."""
        worker.kill()
        with self._lock:
            self._workers.discard(worker)
        self._idle.put(self._spawn())

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def run(self, job: Job) -> Outcome:
        """Run ``job`` in a worker within the time budget, counted from the call: waiting for
        a free worker spends it too, so a query queued behind a slow one is answered within one
        budget. 503 outcomes for busy, slow or crashed."""
        deadline = time.monotonic() + self.timeout_s
        self._start()
        try:
            worker = self._idle.get(timeout=self.timeout_s)
        except queue.Empty:
            return Outcome(503, message=f"all {self.size} query workers are busy; retry later")
        if not worker.wait_ready():
            self._retire(worker)
            return Outcome(503, message="a query worker failed to start")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            self._idle.put(worker)
            return Outcome(503, message=f"all {self.size} query workers were busy for the time "
                                        f"budget of {self.timeout_s:g} s; retry later")
        try:
            worker.jobs.send(job)
            if not worker.answers.poll(remaining):
                self._retire(worker)
                return Outcome(503, message=f"the query exceeded the time budget of "
                                            f"{self.timeout_s:g} s and was stopped")
            outcome = worker.answers.recv()
        except (EOFError, OSError):
            self._retire(worker)
            return Outcome(503, message="the query crashed its worker process (stopped)")
        self._idle.put(worker)
        return outcome

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers, self._workers = list(self._workers), set()
            self._started = False
        for worker in workers:
            worker.kill()
        self._idle = queue.Queue()

