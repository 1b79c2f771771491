"""The one place that composes the steps: articles → extractions → store → links."""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import threading
import time
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Protocol

from graph import knowledge as knowledge_data
from graph import read_model
from graph.actors import Gazetteer
from graph.articles import IngestError, read_articles
from graph.authors import author_of
from graph.causes import read_causes
from graph.dating import StatementDater
from graph.events import TriggerIndex, read_events
from graph.knowledge import Publisher
from graph.link import LinkContext, Linked, link
from graph.link_state import earlier_link
from graph.model import Article, EventMention, Extraction, Review, Statement
from graph.nlp import Block, parse_articles
from graph.rdf import RELATION_TYPES, links_quads
from graph.speakers import ArticleSpeakers
from graph.statements import read_statements
from graph.store import Store
from graph.timex import find_timexes
from graph.topics import TopicIndex
from graph.vocab import ontology_files

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reader:
    """Everything reading needs besides the text: knowledge and the NLP model's name."""

    model: str
    gazetteer: Gazetteer
    topics: TopicIndex
    triggers: TriggerIndex
    publishers: tuple[Publisher, ...]
    reporting: frozenset[str]
    link_context: LinkContext


@lru_cache(maxsize=2)
def reader(model: str) -> Reader:
    known = knowledge_data.load()
    return Reader(
        model=model,
        gazetteer=Gazetteer(known),
        topics=TopicIndex(known.topics),
        triggers=TriggerIndex.build(known.event_types, known.places, known.local_places),
        publishers=known.publishers,
        reporting=known.reporting_verbs,
        link_context=LinkContext.from_knowledge(known),
    )


def extract(article: Article, blocks: list[Block], context: Reader) -> Extraction:
    """Read one parsed article into statements and events."""
    warnings: list[str] = []
    if article.published is None:
        warnings.append(f"{article.id}: no publication date; relative dates left unresolved")
    timexes = [
        t for t in find_timexes(article.text, article.published)
        if not any(f.start <= t.start < f.end for f in article.furniture)
    ]
    author = author_of(article, context.gazetteer, context.publishers)
    statements, unresolved = read_statements(
        article, blocks, ArticleSpeakers(context.gazetteer, author), context.topics,
        StatementDater(article.published, timexes), context.reporting,
    )
    warnings.extend(unresolved)
    events = read_events(article, blocks, context.triggers, timexes)
    sentences = [
        (block.start + sentence.start_char, block.start + sentence.end_char)
        for block in blocks for sentence in block.doc.sents
    ]
    local_places = context.triggers.local_places
    starts = [start for start, _ in sentences]
    reporting = [reporting_spans(statement, sentences, starts) for statement in statements]
    about = tuple(
        (si, ei)
        for si, statement in enumerate(statements)
        for ei, event in enumerate(events)
        if names_event(statement, reporting[si], event, local_places)
    )
    return Extraction(
        article=article,
        statements=tuple(statements),
        events=tuple(events),
        causes=tuple(read_causes(blocks, events)),
        about=about,
        warnings=tuple(warnings),
    )


def reporting_spans(
    statement: Statement, sentences: Sequence[tuple[int, int]], starts: Sequence[int]
) -> list[tuple[int, int]]:
    """The statement's evidence spans and the sentences they start in (``sentences`` in text
    order and disjoint, as an article's are; ``starts`` their first offsets)."""
    spans = [(e.start, e.end) for e in statement.evidence]
    holding = set()
    for start, _ in spans:
        k = bisect_right(starts, start) - 1
        if k >= 0 and start < sentences[k][1]:
            holding.add(k)
    return spans + [sentences[k] for k in sorted(holding)]


def names_event(
    statement: Statement, spans: list[tuple[int, int]], event: EventMention, local_places: frozenset[str]
) -> bool:
    """A statement is about an event of its article when the sentence reporting it names the
    event ("During the talks in late March, Putin recalled that …"), or when its words name the
    event's place where that place is more specific than a country ("Kursk"). ``spans`` are the
    statement's :func:`reporting_spans`."""
    if any(s < m.end and m.start < e for s, e in spans for m in event.evidence):
        return True
    place = (event.place or "").lower()
    if place not in local_places:
        return False
    pattern = _whole_words(place)
    return any(pattern.search(e.text) for e in statement.evidence)


@lru_cache(maxsize=4096)
def _whole_words(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(phrase)}\b", re.IGNORECASE)


def extract_all(articles: Iterable[Article], context: Reader) -> Iterator[Extraction]:
    """Parse and read ``articles`` in this process, in order, a batch at a time."""
    for batch in batches(articles):
        yield from _read_batch(batch, context)


#: A batch of articles parsed and read together ends once it holds this many characters of
#: text (or :data:`BATCH_ARTICLES` articles): enough for ``nlp.pipe`` to batch well, small
#: enough that the workers of a parallel build finish close together.
BATCH_CHARS = 50_000
BATCH_ARTICLES = 64


def batches(articles: Iterable[Article]) -> Iterator[list[Article]]:
    """``articles`` in consecutive batches, consumed lazily. Every build, whatever its number of
    jobs, parses the same batches, so ``nlp.pipe`` sees the same texts together either way."""
    batch: list[Article] = []
    size = 0
    for article in articles:
        batch.append(article)
        size += len(article.text)
        if size >= BATCH_CHARS or len(batch) >= BATCH_ARTICLES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _read_batch(batch: list[Article], context: Reader) -> list[Extraction]:
    return [
        extract(article, blocks, context)
        for article, blocks in parse_articles(batch, context.model, batch_size=len(batch))
    ]


def default_jobs() -> int:
    """The number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def read_parallel(articles: Iterable[Article], context: Reader, jobs: int = 1) -> Iterator[Extraction]:
    """The extractions of ``articles`` in input order, parsed and read by ``jobs`` processes.

    Each worker parses *and* reads whole batches (:func:`batches`), so our reading runs in
    parallel too and only small extractions travel back, never parses. At most two batches a
    worker are in flight: the input is read as the results are consumed, never all at once.
    Workers start with the ``spawn`` method and rebuild ``context`` with :func:`reader` from
    its model name, so ``context`` must be the reader that :func:`reader` returns. With one
    job, or input that fits in one batch, everything runs in this process.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    if jobs == 1:
        yield from extract_all(articles, context)
        return
    chunks = batches(articles)
    opening = list(islice(chunks, 2))
    if len(opening) < 2:
        for batch in opening:
            yield from _read_batch(batch, context)
        return
    if context is not reader(context.model):
        raise ValueError(
            "a parallel build reads with graph.pipeline.reader(model) in every worker; "
            f"pass that reader, or jobs=1 to read with another one (model {context.model!r})"
        )
    pool = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker, initargs=(context.model, os.getpid()),
    )
    pending: deque[Future[list[Extraction]]] = deque()
    try:
        for batch in chain(opening, chunks):
            pending.append(pool.submit(_work, batch))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: The reader of a worker process, set once when the worker starts.
_worker_reader: Reader | None = None
#: How often a worker checks that the build that started it is still there, in seconds.
ORPHAN_CHECK_SECONDS = 1.0


def _start_worker(model: str, parent: int) -> None:
    global _worker_reader
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    _worker_reader = reader(model)


def _exit_when_orphaned(parent: int) -> None:
    """End this worker once its build is gone (killed with ``kill -9``, say): a pool worker
    otherwise waits for work forever."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def _work(batch: list[Article]) -> list[Extraction]:
    if _worker_reader is None:
        raise RuntimeError("a build worker was given work before it was started")
    return _read_batch(batch, _worker_reader)


@dataclass
class BuildSummary:
    articles: int = 0
    skipped: int = 0
    statements: int = 0
    events: int = 0
    relations: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


class Progress(Protocol):
    """What a build reports as it goes (the command line shows it)."""

    def advance(self, words: int) -> None:
        """One input item is done: read and stored (``words`` in its text), or skipped or
        rejected (0 words)."""

    def linking(self) -> None:
        """Every article is stored; the cross-article links are being computed."""


class _Silent:
    def advance(self, words: int) -> None:
        pass

    def linking(self) -> None:
        pass


def word_count(text: str) -> int:
    """Words as the build counts them for rates: runs of non-space characters."""
    return len(text.split())


def _fresh(
    sources: Iterable[Path], store, summary: BuildSummary, progress: Progress, options: dict[str, object],
) -> Iterator[Article]:
    """The articles of ``sources`` not yet stored with the same content. Bad items are recorded
    in ``summary.errors``, stored ones counted in ``summary.skipped``; both are done at once."""
    for source in sources:
        for item in read_articles(source, **options):  # type: ignore[arg-type]
            if isinstance(item, IngestError):
                summary.errors.append(item)
                progress.advance(0)
            elif store.has_article(item.id, item.content_hash):
                summary.skipped += 1
                progress.advance(0)
            else:
                yield item


def relink(store, context: Reader, *, anew: bool = False) -> Linked:
    """The cross-article graph of every extraction in ``store``, stored in its links graph.
    The statements and events of the last link are kept and only the mentions of articles it
    did not read are placed, unless ``anew`` (or there is no last link): then every merge is
    weighed again."""
    earlier = None if anew else earlier_link(store)
    linked = link(list(store.extractions()), context.link_context, store.reviews(), earlier)
    quads = read_model.stamped(links_quads(linked.statements, linked.events, linked.relations, linked.articles))
    store.replace_links(quads)
    read_model.refresh(store, linked, quads)
    return linked


def _expand(store: Store, node_or_mention: str) -> tuple[str, ...]:
    """A node id → its member mentions now; a mention id stays itself."""
    if node_or_mention.startswith(("statement/", "event/")):
        members = store.members(node_or_mention)
        if not members:
            raise ValueError(f"no statement or event {node_or_mention!r} in the store")
        return tuple(members)
    if node_or_mention.startswith(("mention/", "event-mention/")):
        return (node_or_mention,)
    raise ValueError(
        f"{node_or_mention!r} is not a node or mention id "
        "(expected statement/…, event/…, mention/… or event-mention/…)"
    )


def review(
    store: Store, context: Reader, verdict: str, kind: str, first: str, second: str,
    *, relation_type: str | None = None, note: str = "",
) -> Linked:
    """Record a person's decision on a relation or a merge, then relink so it takes effect."""
    if verdict not in {"accept", "reject"}:
        raise ValueError(f"unknown verdict {verdict!r}; choose accept or reject")
    if kind not in {"relation", "merge"}:
        raise ValueError(f"unknown review kind {kind!r}; choose relation or merge")
    if kind == "relation" and relation_type not in RELATION_TYPES:
        raise ValueError(f"unknown relation type {relation_type!r}; choose one of {', '.join(RELATION_TYPES)}")
    source, target = _expand(store, first), _expand(store, second)
    if kind == "merge" and verdict == "reject":
        target = tuple(m for m in target if m not in source) or target
        source = tuple(m for m in source if m not in target)
    store.put_review(Review(kind, verdict, source, target, relation_type if kind == "relation" else None, note))  # type: ignore[arg-type]
    return relink(store, context)


#: Reads articles somewhere other than this process's pool (a cluster, say): given the articles
#: to read and the reader, yields for each article, in input order, its extraction or the
#: :class:`IngestError` that says why it could not be read. ``graph.engine_dask`` makes one.
Engine = Callable[[Iterable[Article], Reader], Iterable[Extraction | IngestError]]


def ingest(
    sources: Iterable[Path], store, context: Reader,
    *, jobs: int = 1, progress: Progress | None = None, engine: Engine | None = None,
    **options: object,
) -> BuildSummary:
    """Read ``sources`` into ``store`` on ``jobs`` processes (or with ``engine``), one
    transaction an article, in input order whatever reads them; articles already stored
    unchanged are skipped, so an interrupted run continues where it stopped. Only this process
    writes to the store. The cross-article links are left as they were (:func:`relink`
    recomputes them)."""
    summary = BuildSummary()
    shown = progress or _Silent()
    store.load_ontology(ontology_files())
    fresh = _fresh(sources, store, summary, shown, options)
    for extraction in engine(fresh, context) if engine else read_parallel(fresh, context, jobs):
        if isinstance(extraction, IngestError):  # an article the engine could not read
            summary.errors.append(extraction)
            shown.advance(0)
            continue
        try:
            store.put_article(extraction)
        except ValueError as error:  # a reading the store refuses: report it, keep the others
            summary.errors.append(IngestError(extraction.article.id, None, f"not stored: {error}"))
        else:
            summary.articles += 1
            summary.warnings.extend(extraction.warnings)
        shown.advance(word_count(extraction.article.text))
    return summary


def build(
    sources: Iterable[Path], store, context: Reader,
    *, jobs: int = 1, progress: Progress | None = None, engine: Engine | None = None,
    anew: bool = False, **options: object,
) -> BuildSummary:
    """Read ``sources`` into ``store`` (:func:`ingest`), then link what is new, or everything
    ``anew`` (:func:`relink`)."""
    summary = ingest(sources, store, context, jobs=jobs, progress=progress, engine=engine,
                     **options)
    (progress or _Silent()).linking()
    linked = relink(store, context, anew=anew)
    summary.statements = len(linked.statements)
    summary.events = len(linked.events)
    summary.relations = len(linked.relations)
    return summary
