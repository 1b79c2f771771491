"""Backups of a store and restoring them: ``tkg backup`` and ``tkg restore``.

A backup is a copy of the store's latest *published* generation (:mod:`graph.snapshots`), so it
can be taken while a build or the API writes: the copy reads a checkpoint nobody writes any more,
holding a reader's lease on it so that writers do not remove it meanwhile. Layout::

    DEST/manifest.json   format, format_version, generation, triples, articles, created,
                         store, and every data file's size and SHA-256
    DEST/data/           the generation's files: a complete pyoxigraph store

The backup is written to ``DEST.tmp-…`` beside ``DEST``, every file fsynced, then renamed, so a
crash leaves either no ``DEST`` or a complete one.

Restoring checks the manifest, takes the writer lock of the store it replaces (refusing at once,
naming the holder, when a writer has it: the writer's changes would be lost), copies the data
into a directory beside the store checking every file's SHA-256 on the bytes copied, fsyncs it,
opens it in a writer session (which proves it opens and publishes its first generation), then
swaps it with the store in one ``renameat2(RENAME_EXCHANGE)`` where the file system has it (two
renames elsewhere). The replaced store is kept beside it, never deleted: readers still using it
finish their requests, and a restore made by mistake can be undone. The restored store's
generations are numbered after the replaced store's, because a running API caches answers per
generation number.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph import snapshots, store_lock
from graph.store import Store, StoreError, StoreLockedError, ensure_published, open_store

#: The ``format`` field of every backup manifest.
FORMAT = "timeline-kg-backup"
#: Layout version of the backups this module writes; restore accepts these versions.
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
MANIFEST = "manifest.json"
DATA = "data"
_CHUNK = 1 << 20
#: ``renameat2`` flag swapping two paths atomically (Linux 3.15+, most local file systems).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds (its manifest, without the file list)."""

    path: Path
    generation: int
    triples: int
    articles: int
    created: str
    format_version: int


@dataclass(frozen=True)
class RestoreResult:
    """A finished restore: the backup restored, the generation the restored store now publishes,
    and where the replaced store was moved (``None`` when there was none)."""

    backup: BackupInfo
    generation: int
    previous: Path | None


# ---------------------------------------------------------------- files


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_file(source: Path, target: Path) -> dict[str, Any]:
    """Copy one file, fsync it, and return its size and SHA-256 (computed on the bytes copied)."""
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as src, target.open("xb") as out:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return {"bytes": size, "sha256": digest.hexdigest()}


def _copy_tree(source: Path, target: Path) -> dict[str, dict[str, Any]]:
    """Copy the directory ``source`` into the missing directory ``target`` (files fsynced, then
    every directory); the size and SHA-256 of each file, by path relative to ``target``."""
    files: dict[str, dict[str, Any]] = {}
    for folder, subfolders, names in os.walk(source):
        here = Path(folder)
        relative = here.relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            files[(relative / name).as_posix()] = _copy_file(here / name, target / relative / name)
        subfolders.sort()
    for folder, _, _ in os.walk(target, topdown=False):
        _fsync(Path(folder))
    return files


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _beside(path: Path, kind: str) -> Path:
    """A fresh name next to ``path`` (same directory, so same file system: renames are atomic)."""
    return path.parent / f"{path.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; ``False`` where the system cannot (nothing moved)."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    done = libc.renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                          _RENAME_EXCHANGE)
    if done == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # not supported here
        return False
    raise OSError(error, f"cannot swap {first} and {second}: {os.strerror(error)}")


# ---------------------------------------------------------------- backup


def backup(store: Path | str, dest: Path | str) -> BackupInfo:
    """Copy the latest published generation of ``store`` into the new directory ``dest``.

    Safe while writers run: it copies a published checkpoint under a reader's lease. A store
    never published is published first (waiting for its writer, see
    :func:`graph.store.ensure_published`). ``ValueError`` when ``store`` is not a directory or
    ``dest`` exists; ``StoreError`` when the store cannot be read.
    """
    store, dest = Path(store), Path(dest)
    if not store.is_dir():
        raise ValueError(f"no store directory at {store}")
    if dest.exists():
        raise ValueError(f"{dest} already exists; give a new path for the backup")
    ensure_published(store)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = _beside(dest, "tmp")
    try:
        staging.mkdir()
        with Store.published(store) as reader:
            generation = reader.generation or 0
            triples, articles = len(reader), len(reader.article_ids())
            files = _copy_tree(snapshots.generation_dir(store, generation), staging / DATA)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "generation": generation,
                    "triples": triples, "articles": articles, "created": created,
                    "store": os.fspath(store.resolve()), "files": files}
        with (staging / MANIFEST).open("x", encoding="utf-8") as out:
            json.dump(manifest, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        _fsync(staging)
        os.rename(staging, dest)
        _fsync(dest.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BackupInfo(dest, generation, triples, articles, created, FORMAT_VERSION)


def _manifest(backup_dir: Path) -> dict[str, Any]:
    """The checked manifest of a backup; ``ValueError`` saying why it is not a usable one."""
    path = backup_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{backup_dir} is not a timeline-kg backup: it has no {MANIFEST} "
                         f"(make one with: tkg backup STORE_DIR DEST)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"{path} is not a readable backup manifest: {err}") from err
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"{backup_dir} is not a timeline-kg backup: {MANIFEST} does not say "
                         f"format {FORMAT!r}")
    version = manifest.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        raise ValueError(f"{backup_dir} has backup format version {version!r}; this version of "
                         f"timeline-kg restores versions {', '.join(map(str, SUPPORTED_VERSIONS))}")
    for key in ("generation", "triples", "articles"):
        if not isinstance(manifest.get(key), int):
            raise ValueError(f"{path} has no whole number {key!r}")
    if not isinstance(manifest.get("files"), dict) or not manifest["files"]:
        raise ValueError(f"{path} lists no data files")
    return manifest


def _info(backup_dir: Path, manifest: dict[str, Any]) -> BackupInfo:
    return BackupInfo(backup_dir, manifest["generation"], manifest["triples"],
                      manifest["articles"], str(manifest.get("created")),
                      manifest["format_version"])


def _check_files(backup_dir: Path, manifest: dict[str, Any]) -> None:
    """``ValueError`` unless the backup's data files are exactly those its manifest lists."""
    data = backup_dir / DATA
    present = {path.relative_to(data).as_posix() for path in data.rglob("*") if path.is_file()}
    listed = set(manifest["files"])
    if present != listed:
        missing, extra = sorted(listed - present), sorted(present - listed)
        raise ValueError(f"the backup {backup_dir} is incomplete or altered: missing files "
                         f"{missing[:5]}, files not in its manifest {extra[:5]}")


def _check_sums(backup_dir: Path, manifest: dict[str, Any], sums: dict[str, str]) -> None:
    """``ValueError`` naming the first data file whose SHA-256 (in ``sums``) is not the
    manifest's."""
    for name, expected in sorted(manifest["files"].items()):
        if sums.get(name) != expected.get("sha256"):
            raise ValueError(f"the backup {backup_dir} is damaged: {DATA}/{name} does not match "
                             f"the SHA-256 in its manifest")


def inspect(backup_dir: Path | str) -> BackupInfo:
    """What the backup ``backup_dir`` holds, after checking every file against its manifest;
    ``ValueError`` naming the first missing, extra or damaged file."""
    backup_dir = Path(backup_dir)
    manifest = _manifest(backup_dir)
    _check_files(backup_dir, manifest)
    _check_sums(backup_dir, manifest,
                {name: _checksum(backup_dir / DATA / name) for name in manifest["files"]})
    return _info(backup_dir, manifest)


# ---------------------------------------------------------------- restore


def _is_store(path: Path) -> bool:
    """Whether the existing directory ``path`` looks like a store (or is empty)."""
    return (not any(path.iterdir()) or (path / store_lock.LOCK_NAME).exists()
            or snapshots.folder(path).is_dir() or (path / "CURRENT").exists())


def _prepare(backup_dir: Path, manifest: dict[str, Any], staging: Path,
             after: int | None) -> int:
    """Copy the backup into ``staging`` (fsynced, checking every file's SHA-256 on the bytes
    copied) and open it once as a store, checking it holds what the manifest says; its first
    generation is numbered after ``after``. Returns that generation."""
    copied = _copy_tree(backup_dir / DATA, staging)
    _check_sums(backup_dir, manifest, {name: file["sha256"] for name, file in copied.items()})
    if after is not None:
        # publish() numbers the next generation after the highest one in the folder; this empty
        # one is never published (no lease) and the first session's prune removes it.
        snapshots.generation_dir(staging, after).mkdir(parents=True)
    with open_store(staging, timeout_s=0) as restored:
        found = (len(restored), len(restored.article_ids()))
    if found != (manifest["triples"], manifest["articles"]):
        raise ValueError(f"the backup {backup_dir} opened with {found[0]} triples and {found[1]} "
                         f"articles, its manifest says {manifest['triples']} and "
                         f"{manifest['articles']}")
    generation = snapshots.latest(staging)
    if generation is None:
        raise StoreError(f"the restored store {staging} published no generation")
    return generation


def restore(backup_dir: Path | str, store: Path | str) -> RestoreResult:
    """Make ``store`` hold exactly the backup ``backup_dir``, replacing it atomically.

    ``ValueError`` for a directory that is not a complete, undamaged backup, or a ``store`` path
    that holds something other than a store; :class:`StoreLockedError` (at once, naming the
    holder) when a writer holds the store. The replaced store is moved beside it (see
    :attr:`RestoreResult.previous`), not deleted.
    """
    store, backup_dir = Path(store), Path(backup_dir)
    manifest = _manifest(backup_dir)
    _check_files(backup_dir, manifest)
    if store.exists() and not (store.is_dir() and _is_store(store)):
        raise ValueError(f"{store} exists and is not a timeline-kg store; restore into a store "
                         f"directory or a new path")
    lock = None
    if store.exists():
        try:
            lock = store_lock.acquire(store, 0)
        except TimeoutError:
            raise StoreLockedError(
                f"cannot restore over the store {store}: it is being written by "
                f"{store_lock.holder(store)}; stop that writer first") from None
    staging = _beside(store, "restore")
    try:
        try:
            generation = _prepare(backup_dir, manifest, staging,
                                  snapshots.latest(store) if lock else None)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        previous = None if lock is None else _beside(store, "before-restore")
        if previous is None:
            os.rename(staging, store)
        elif _exchange(staging, store):
            os.rename(staging, previous)
        else:
            os.rename(store, previous)
            os.rename(staging, store)
        _fsync(store.parent)
    finally:
        if lock is not None:
            lock.release()
    return RestoreResult(_info(backup_dir, manifest), generation, previous)
