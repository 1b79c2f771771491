"""Open the configured store, wherever it is: the one place that chooses between the embedded
store (a directory, :mod:`graph.store`) and a SPARQL 1.1 server (an http(s) URL,
:mod:`graph.store_remote`), so the CLI and the API work the same on both.

A location is ``--store`` or ``TKG_STORE``: a directory, or the query URL of a SPARQL server,
reached with ``TKG_SPARQL_UPDATE_URL``, ``TKG_SPARQL_USER``/``TKG_SPARQL_PASSWORD``,
``TKG_SPARQL_AUTH`` and ``TKG_SPARQL_TIMEOUT`` (:mod:`graph.config`). On a directory, writers
take the store's writer lock and readers open the latest published generation; a server has no
lock and no generations: readers see each write as soon as the server applied it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from graph.config import settings
from graph.store import Store, StoreError, open_reader, open_store
from graph.store_remote import Endpoint, RemoteStore, is_remote

AnyStore = Store | RemoteStore


def location(given: str | Path | None = None) -> Path | Endpoint:
    """Where the store is: ``given`` (a directory or an http(s) URL), else ``TKG_STORE``;
    a URL becomes the :class:`Endpoint` the ``TKG_SPARQL_*`` settings describe."""
    config = settings()
    where = given if given is not None else (config.store_url or config.store)
    text = str(where)
    if not is_remote(text):
        if "://" in text:
            raise ValueError(f"store {text!r}: give a directory or the http(s) URL of a SPARQL "
                             f"server")
        return Path(where)
    return Endpoint(text, config.sparql_update_url, config.sparql_user, config.sparql_password,
                    config.sparql_auth, config.sparql_timeout_s)


def connect(endpoint: Endpoint) -> RemoteStore:
    """A :class:`RemoteStore` on ``endpoint`` that has answered one query (``ASK {}``), so that a
    server that is down, refuses the login or is not a SPARQL endpoint raises
    :class:`StoreError` here, naming it, before any work starts."""
    store = RemoteStore(endpoint)
    try:
        store.ask("ASK {}")
    except StoreError as error:
        store.close()
        raise StoreError(f"the SPARQL server at {endpoint.query_url} is not usable: {error}") \
            from error
    except (ValueError, KeyError, TypeError) as error:  # not SPARQL results: not an endpoint
        store.close()
        raise StoreError(f"{endpoint.query_url} did not answer as a SPARQL endpoint: "
                         f"{error}") from error
    return store


def open_writing(given: str | Path | None = None) -> AbstractContextManager[AnyStore]:
    """The store for a command that writes: a writer session on a directory (published at
    exit), or a checked connection to a server; closed at exit."""
    return _opened(given, open_store)


def open_reading(given: str | Path | None = None) -> AbstractContextManager[AnyStore]:
    """The store for a command that only reads: the latest published generation of a directory
    (it never waits for a running writer, such as ``tkg build``), or a checked connection to
    a server; closed at exit."""
    return _opened(given, open_reader)


@contextmanager
def _opened(given: str | Path | None,
            open_directory: Callable[[Path], AbstractContextManager[Store]]) -> Iterator[AnyStore]:
    where = location(given)
    if isinstance(where, Path):
        with open_directory(where) as store:
            yield store
        return
    with connect(where) as remote:
        yield remote
