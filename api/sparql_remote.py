"""The SPARQL endpoint over a store on a SPARQL server: each query, once :mod:`api.sparql_guard`
let it through (no update, no ``SERVICE``, bounded nesting), is forwarded to the server by
:meth:`graph.store_remote.RemoteStore.protocol_query` and its answer serialised here as for the
embedded store (:mod:`api.sparql_formats`: same formats, same row cap and truncation marks).

It stands in for :class:`api.sparql_worker.QueryPool` (same ``run``/``close``): the server, not a
local worker process, carries the query, so its time is bounded by the HTTP timeout (the
endpoint's ``timeout_s``; the server may keep running a query the API gave up on until its own
limit, Virtuoso's ``MaxQueryExecutionTime``) and at most ``size`` queries of this process are
at the server at once. Differences from the embedded store: without ``FROM`` or protocol graphs
a query sees the server's default graph, which on Virtuoso also holds its system graphs; a
result the server cuts at its own row limit answers 503 instead of a truncated result.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from api.sparql_formats import boolean_body, solutions_body, triples_body
from api.sparql_worker import Job, Outcome
from graph.store import StoreError
from graph.store_remote import Endpoint, RemoteStore


class RemoteQueries:
    """Runs :class:`Job`\\ s on a SPARQL server, at most ``size`` at once; thread-safe."""

    def __init__(self, endpoint: Endpoint, *, size: int = 2, timeout_s: float = 10.0) -> None:
        if size < 1:
            raise ValueError(f"the SPARQL endpoint needs at least one query at a time, got "
                             f"size={size}")
        self.size, self.timeout_s = size, timeout_s
        self.store = RemoteStore(replace(endpoint, timeout_s=timeout_s))
        self._slots = threading.BoundedSemaphore(size)

    def run(self, job: Job) -> Outcome:
        """The answer to ``job``: 200 with the serialised result, 503 when all ``size`` slots
        stay busy past the time budget or the server fails, times out or refuses."""
        if not self._slots.acquire(timeout=self.timeout_s):
            return Outcome(503, message=f"all {self.size} query slots are busy; retry later")
        try:
            answer = self.store.protocol_query(
                job.query, job.form, base_iri=job.base_iri, default_graphs=job.default_graphs,
                named_graphs=job.named_graphs)
        except StoreError as error:
            return Outcome(503, message=f"the SPARQL server did not answer the query: {error}")
        except (ValueError, KeyError, TypeError, SyntaxError) as error:
            return Outcome(503, message=f"the SPARQL server's answer could not be read: {error}")
        finally:
            self._slots.release()
        if isinstance(answer, bool):
            return Outcome(200, boolean_body(answer, job.fmt))
        if isinstance(answer, tuple):
            names, rows = answer
            truncated = len(rows) > job.max_rows
            body = solutions_body(names, rows[:job.max_rows], job.fmt, truncated)
            return Outcome(200, body, truncated)
        truncated = len(answer) > job.max_rows
        body = triples_body(answer[:job.max_rows], job.fmt, truncated, dict(job.prefixes))
        return Outcome(200, body, truncated)

    def close(self) -> None:
        """Close the connections to the server."""
        self.store.close()
