"""Reading articles on a Dask cluster (``tkg build --engine dask``): the only module that imports
Dask, so a build on the default engine never loads it.

The build's process streams its input, cuts it into the same batches as a local build
(:func:`graph.pipeline.batches`), submits them to the cluster with a bounded number in flight,
and takes the extractions back in input order; only it writes to the store. Each worker parses
*and* reads whole batches, with the reader of :func:`graph.pipeline.reader`, which a worker
plugin builds (spaCy model included) once per worker process. An article a worker cannot read is
given back as an :class:`~graph.articles.IngestError` and the build goes on; the tasks of a
worker that dies are run again elsewhere by Dask, and a batch that kills every worker it meets
is reported article by article.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from distributed import Client, Future, LocalCluster, WorkerPlugin
from distributed.scheduler import KilledWorker

from graph import nlp, pipeline
from graph.articles import IngestError
from graph.model import Article, Extraction

#: Seconds to wait for a scheduler to answer before giving up on it.
CONNECT_TIMEOUT_S = 10.0
#: Seconds to wait for a cluster to have at least one worker before giving up on it.
WORKERS_TIMEOUT_S = 60.0
#: Batches in flight for each worker thread of the cluster: one running, one waiting, so no
#: worker idles between batches and the input is never read far ahead of the store.
IN_FLIGHT_PER_THREAD = 2

#: The local cluster's scheduler keeps its small HTTP server (health checks) on this machine,
#: on a free port, instead of on every interface at 8787 (where another scheduler may be).
PRIVATE_HTTP = {"dashboard_address": "127.0.0.1:0"}

Reading = Extraction | IngestError


class ReaderPlugin(WorkerPlugin):
    """Builds the reader of ``model`` (knowledge and spaCy pipeline) once when a worker starts,
    so no batch pays for it; :func:`read_batch` then finds it in the process's cache."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.name = f"tkg-reader-{model}"

    def setup(self, worker: object) -> None:
        pipeline.reader(self.model)
        nlp.load(self.model)


def read_batch(batch: list[Article], model: str) -> list[Reading]:
    """Parse and read ``batch`` on a worker, as a local build would: one ``nlp.pipe`` over the
    batch, then each article on its own. An article whose reading fails becomes an
    :class:`IngestError`; if the batch's parse fails, its articles are parsed one by one so only
    the bad one is lost."""
    context = pipeline.reader(model)
    try:
        parsed = list(nlp.parse_articles(batch, model, batch_size=len(batch)))
    except Exception as error:  # one bad text must not cost its batch: find it by parsing alone
        if len(batch) == 1:
            return [_not_read(batch[0], error)]
        return [reading for article in batch for reading in read_batch([article], model)]
    return [_read_one(article, blocks, context) for article, blocks in parsed]


def _read_one(article: Article, blocks: list[nlp.Block], context: pipeline.Reader) -> Reading:
    try:
        return pipeline.extract(article, blocks, context)
    except Exception as error:  # reported as the build's other bad items are, the rest go on
        return _not_read(article, error)


def _not_read(article: Article, error: BaseException) -> IngestError:
    return IngestError(article.id, None, f"not read: {type(error).__name__}: {error}")


class DaskEngine:
    """A :data:`graph.pipeline.Engine` that reads on the cluster ``client`` is connected to."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def in_flight(self) -> int:
        """How many batches may be submitted and not yet taken back."""
        return IN_FLIGHT_PER_THREAD * max(sum(self.client.nthreads().values()), 1)

    def __call__(self, articles: Iterable[Article], context: pipeline.Reader) -> Iterator[Reading]:
        """The reading of each of ``articles``, in input order, done on the cluster's workers
        with ``pipeline.reader(context.model)`` (so ``context`` must be that reader)."""
        if context is not pipeline.reader(context.model):
            raise ValueError(
                "a Dask build reads with graph.pipeline.reader(model) on every worker; pass that "
                "reader, or build on the local engine to read with another one "
                f"(model {context.model!r})"
            )
        self.client.register_plugin(ReaderPlugin(context.model))
        limit = self.in_flight()
        chunks = pipeline.batches(articles)
        pending: deque[tuple[list[Article], Future]] = deque()
        try:
            for batch in chunks:
                pending.append((batch, self._submit(batch, context.model)))
                if len(pending) >= limit:
                    yield from self._take(*pending.popleft())
            while pending:
                yield from self._take(*pending.popleft())
        finally:
            if pending:
                self.client.cancel([future for _, future in pending])

    def _submit(self, batch: list[Article], model: str) -> Future:
        return self.client.submit(read_batch, batch, model, pure=False)

    @staticmethod
    def _take(batch: list[Article], future: Future) -> list[Reading]:
        try:
            return future.result()
        except KilledWorker as error:  # Dask retried it on other workers; every one died
            tried = error.allowed_failures + 1
            message = f"not read: the {tried} Dask workers that tried its batch all died"
            return [IngestError(article.id, None, message) for article in batch]


@contextmanager
def dask_engine(
    scheduler: str | None = None, *, jobs: int = 1, processes: bool = True,
    connect_timeout_s: float = CONNECT_TIMEOUT_S, workers_timeout_s: float = WORKERS_TIMEOUT_S,
) -> Iterator[DaskEngine]:
    """An engine on the Dask scheduler at ``scheduler`` (``tcp://host:8786``), or, without one, on
    a ``LocalCluster`` of ``jobs`` single-threaded workers (separate processes unless
    ``processes`` is false), closed at exit. A scheduler that does not answer within
    ``connect_timeout_s``, or has no worker within ``workers_timeout_s``, raises
    ``ConnectionError`` instead of waiting for ever."""
    if jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    cluster = None if scheduler else LocalCluster(
        n_workers=jobs, threads_per_worker=1, processes=processes,
        dashboard_address=None, scheduler_kwargs=PRIVATE_HTTP, silence_logs=logging.ERROR,
    )
    try:
        client = _connect(cluster or scheduler, connect_timeout_s)  # type: ignore[arg-type]
        try:
            _wait_for_workers(client, scheduler, workers_timeout_s)
            yield DaskEngine(client)
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def _connect(address: str | LocalCluster, timeout_s: float) -> Client:
    try:
        return Client(address, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ConnectionError(
            f"no Dask scheduler answered at {address!r} within {timeout_s:g} s ({error}); start "
            "one ('dask scheduler' and 'dask worker ADDRESS') or leave out --scheduler to start "
            "a local cluster"
        ) from error


def _wait_for_workers(client: Client, scheduler: str | None, timeout_s: float) -> None:
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except TimeoutError as error:
        raise ConnectionError(
            f"the Dask scheduler at {scheduler!r} has no worker after {timeout_s:g} s; "
            "start one with 'dask worker ADDRESS'"
        ) from error

