"""The writer lock of a store directory: one writer at a time, across processes and threads.

Every write to a store happens in a writer session (:class:`graph.store.Store`) that holds an
exclusive ``flock`` on ``STORE/write.lock`` from open to close. Waiting writers poll for it up to
a timeout, then give up with a :class:`TimeoutError` naming the holder, which writes its pid,
command line and start time into the file once it has the lock.

``flock`` rather than ``fcntl`` record locks: a ``flock`` belongs to one open file description,
so two threads of one process (two REST writes) exclude each other, while record locks are per
process and would let them both in. The kernel drops the lock when its holder exits, even by
``kill -9``, so a crashed writer never leaves the store locked. The file itself is never
deleted (deleting a lock file while others wait on it lets two of them hold different files).
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

#: Name of the lock file inside a store directory.
LOCK_NAME = "write.lock"
#: First and largest pause between two tries to take a busy lock.
_FIRST_PAUSE_S = 0.002
_LONGEST_PAUSE_S = 0.05

#: Lock files held by the current thread: taking one again would wait for itself.
_held = threading.local()


def lock_path(store: Path) -> Path:
    """The lock file of the store directory ``store``."""
    return store / LOCK_NAME


def holder(store: Path) -> str:
    """Who holds (or last held) the lock of ``store``: ``pid 123 (tkg build seeds) since …``."""
    try:
        info = json.loads(lock_path(store).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "an unknown process"
    if not isinstance(info, dict) or "pid" not in info:
        return "an unknown process"
    return f"pid {info['pid']} ({info.get('command', '?')}) since {info.get('since', '?')}"


def _held_here() -> set[str]:
    if not hasattr(_held, "paths"):
        _held.paths = set()
    return _held.paths


class WriteLock:
    """The held writer lock of one store; :meth:`release` (or the end of the process) frees it."""

    def __init__(self, store: Path, fd: int) -> None:
        self.store = store
        self._fd: int | None = fd
        self._key = os.fspath(lock_path(store).resolve())
        _held_here().add(self._key)
        info = {"pid": os.getpid(), "command": " ".join(sys.argv) or sys.executable,
                "since": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Free the lock (idempotent)."""
        if self._fd is not None:
            _held_here().discard(self._key)
            os.close(self._fd)
            self._fd = None


def acquire(store: Path, timeout_s: float) -> WriteLock:
    """Take the writer lock of the existing directory ``store``, waiting up to ``timeout_s``.

    ``TimeoutError`` names the holder when the wait runs out, and comes at once when this thread
    already holds the lock (waiting would never end); ``OSError`` when the file cannot be made.
    """
    path = lock_path(store)
    if os.fspath(path.resolve()) in _held_here():
        raise TimeoutError(f"the store {store} is already open for writing in this thread; "
                           f"close that handle first")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = time.monotonic() + timeout_s
    pause = _FIRST_PAUSE_S
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return WriteLock(store, fd)
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0:
                os.close(fd)
                raise TimeoutError(f"the store {store} is being written by {holder(store)}; "
                                   f"gave up after {timeout_s:g} s (TKG_LOCK_TIMEOUT)") from None
            time.sleep(min(pause, left))
            pause = min(pause * 2, _LONGEST_PAUSE_S)
        except BaseException:
            os.close(fd)
            raise
