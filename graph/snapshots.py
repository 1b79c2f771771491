"""Published generations of a store: the read-only checkpoints that readers open.

pyoxigraph (RocksDB) lets one process open a store directory read-write, and documents opening
it read-only beside that writer as undefined behaviour. So readers never open the live
directory. After a writer session changed the store, it publishes a checkpoint
(``pyoxigraph.Store.backup``: hard links to the immutable table files, a few milliseconds) as
the next *generation*, and readers open the latest generation read-only. Layout, inside the
store directory::

    snapshots/LATEST        the published generation number (replaced atomically)
    snapshots/7/            generation 7, a complete store nobody writes any more
    snapshots/7.lease       readers of generation 7 hold a shared flock on it
    snapshots/PENDING       a writer changed the store and has not published yet
    snapshots/tmp-8/        a checkpoint being made (removed if its writer died)

Publishing: checkpoint into ``tmp-N``, rename it to ``N`` and create ``N.lease``, then write
``LATEST`` through a temporary file and a rename, so a reader sees the old generation or the new
one, never a partial one, and ``kill -9`` at any step leaves the published generation intact.
``PENDING`` is made before a session's first write and removed after publishing, so a session
that died between its writes and its publication is published by the next writer.

Removing: a generation that a reader still has open must stay, although unlinked files stay
readable through open descriptors: pyoxigraph caps RocksDB's open files below the process's
descriptor limit, and table files past the cap are opened when a query needs them (measured
with ``ulimit -n 110`` on a 33-file checkpoint: 13 files open after opening, 16 after a query,
and queries failing with "No such file" once the directory was deleted). Readers hold a shared
``flock`` on the generation's lease file while they use it, and a writer removes an old
generation only if it can take that lock exclusively; the kernel drops a dead reader's lock.
Only writers (holding the writer lock, :mod:`graph.store_lock`) publish and remove, so they never
race each other.

This module knows files only; :mod:`graph.store` makes and opens the checkpoints.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import weakref
from collections.abc import Callable
from pathlib import Path

SNAPSHOTS = "snapshots"
LATEST = "LATEST"
PENDING = "PENDING"
_TMP = "tmp-"
_LEASE = ".lease"
#: Tries to pin the latest generation while writers keep replacing it.
_PIN_TRIES = 20


def folder(store: Path) -> Path:
    """The ``snapshots`` folder of the store directory ``store``."""
    return store / SNAPSHOTS


def generation_dir(store: Path, generation: int) -> Path:
    """The directory of one generation (a pyoxigraph store, opened read-only)."""
    return folder(store) / str(generation)


def _lease_path(store: Path, generation: int) -> Path:
    return folder(store) / f"{generation}{_LEASE}"


def _read_number(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not text.isdigit():
        raise OSError(f"{path} holds {text[:40]!r}, not a generation number")
    return int(text)


def latest(store: Path) -> int | None:
    """The published generation of ``store``; ``None`` when none was ever published."""
    return _read_number(folder(store) / LATEST)


def pending(store: Path) -> bool:
    """Whether a writer changed ``store`` without publishing the change (yet, or ever)."""
    return (folder(store) / PENDING).exists()


def mark_pending(store: Path) -> None:
    """Record, before a session's first write, that ``store`` will need publishing."""
    folder(store).mkdir(exist_ok=True)
    (folder(store) / PENDING).touch()


def _generations(store: Path) -> list[int]:
    try:
        names = os.listdir(folder(store))
    except FileNotFoundError:
        return []
    return [int(name) for name in names if name.isdigit()]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(store: Path, checkpoint: Callable[[Path], None]) -> int:
    """Publish the next generation of ``store``; ``checkpoint(target)`` must make a store in the
    (missing) directory ``target``. The caller holds the writer lock. Returns the generation."""
    base = folder(store)
    base.mkdir(exist_ok=True)
    generation = max([latest(store) or 0, *_generations(store)]) + 1
    staging = base / f"{_TMP}{generation}"
    shutil.rmtree(staging, ignore_errors=True)
    checkpoint(staging)
    os.rename(staging, generation_dir(store, generation))
    _lease_path(store, generation).touch()
    pointer = base / f"{LATEST}.tmp"
    with pointer.open("w", encoding="ascii") as out:
        out.write(f"{generation}\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(pointer, base / LATEST)
    _fsync_dir(base)
    (base / PENDING).unlink(missing_ok=True)
    return generation


def _remove_if_unused(store: Path, generation: int) -> bool:
    """Remove an old generation unless a reader holds its lease; whether it was removed."""
    lease = _lease_path(store, generation)
    try:
        fd = os.open(lease, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        shutil.rmtree(generation_dir(store, generation), ignore_errors=True)
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    try:
        shutil.rmtree(generation_dir(store, generation), ignore_errors=True)
        lease.unlink(missing_ok=True)
    finally:
        os.close(fd)
    return True


def prune(store: Path) -> list[int]:
    """Remove every generation but the published one that no reader uses, and leftovers of
    checkpoints whose writer died. The caller holds the writer lock. Returns those removed."""
    current = latest(store)
    base = folder(store)
    try:
        names = os.listdir(base)
    except FileNotFoundError:
        return []
    for name in names:
        if name.startswith(_TMP):
            shutil.rmtree(base / name, ignore_errors=True)
    old = {int(name.removesuffix(_LEASE)) for name in names
           if name.removesuffix(_LEASE).isdigit()} - {current}
    return sorted(g for g in old if _remove_if_unused(store, g))


class Lease:
    """A reader's hold on one generation: while it is held, the generation is not removed."""

    def __init__(self, store: Path, generation: int, fd: int) -> None:
        self.store = store
        self.generation = generation
        self.directory = generation_dir(store, generation)
        self._release = weakref.finalize(self, os.close, fd)

    def release(self) -> None:
        """Let writers remove the generation (idempotent; also done when the lease is freed)."""
        self._release()


def pin_latest(store: Path) -> Lease | None:
    """A lease on the published generation of ``store``; ``None`` when none is published.
    ``OSError`` if writers replaced the generation every time it was about to be pinned."""
    for _ in range(_PIN_TRIES):
        generation = latest(store)
        if generation is None:
            return None
        try:
            fd = os.open(_lease_path(store, generation), os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            continue
        fcntl.flock(fd, fcntl.LOCK_SH)
        if os.fstat(fd).st_nlink and generation_dir(store, generation).is_dir():
            return Lease(store, generation, fd)
        os.close(fd)
    raise OSError(f"could not pin a published generation of the store {store}: it was replaced "
                  f"{_PIN_TRIES} times in a row")


class Pointer:
    """The published generation of one store, re-read only when ``LATEST`` changed (one
    ``stat`` a call): cheap enough to check on every request."""

    def __init__(self, store: Path) -> None:
        self.path = folder(store) / LATEST
        #: (inode, mtime, size) of ``LATEST`` and the number it held; one attribute, so that
        #: threads sharing the pointer never pair one file state with another's number.
        self._seen: tuple[tuple[int, int, int], int | None] | None = None

    def generation(self) -> int | None:
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return None
        key = (info.st_ino, info.st_mtime_ns, info.st_size)
        seen = self._seen
        if seen is None or seen[0] != key:
            seen = (key, _read_number(self.path))
            self._seen = seen
        return seen[1]
