"""The one place that composes the steps: articles → extractions → store → links."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph import knowledge as knowledge_data
from graph.actors import Gazetteer
from graph.articles import IngestError, read_articles
from graph.authors import author_of
from graph.causes import read_causes
from graph.dating import StatementDater
from graph.events import TriggerIndex, read_events
from graph.knowledge import Publisher
from graph.link import LinkContext, Linked, link
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
    about = tuple(
        (si, ei)
        for si, statement in enumerate(statements)
        for ei, event in enumerate(events)
        if names_event(statement, event, context.triggers.local_places, sentences)
    )
    return Extraction(
        article=article,
        statements=tuple(statements),
        events=tuple(events),
        causes=tuple(read_causes(blocks, events)),
        about=about,
        warnings=tuple(warnings),
    )


def names_event(
    statement: Statement, event: EventMention, local_places: frozenset[str],
    sentences: Sequence[tuple[int, int]] = (),
) -> bool:
    """A statement is about an event of its article when the sentence reporting it names the
    event ("During the talks in late March, Putin recalled that …"), or when its words name the
    event's place where that place is more specific than a country ("Kursk")."""
    spans = [(e.start, e.end) for e in statement.evidence]
    for start, end in sentences:
        if any(start <= s < end for s, _ in spans):
            spans.append((start, end))
    if any(s < m.end and m.start < e for s, e in spans for m in event.evidence):
        return True
    place = (event.place or "").lower()
    if place not in local_places:
        return False
    pattern = re.compile(rf"\b{re.escape(place)}\b", re.IGNORECASE)
    return any(pattern.search(e.text) for e in statement.evidence)


def extract_all(articles: Iterable[Article], context: Reader) -> Iterator[Extraction]:
    for article, blocks in parse_articles(articles, context.model):
        yield extract(article, blocks, context)


@dataclass
class BuildSummary:
    articles: int = 0
    skipped: int = 0
    statements: int = 0
    events: int = 0
    relations: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def iter_sources(
    sources: Iterable[Path], summary: BuildSummary, **options: object
) -> Iterator[Article]:
    """Articles from every source; bad items are recorded in ``summary.errors`` and skipped."""
    for source in sources:
        for item in read_articles(source, **options):  # type: ignore[arg-type]
            if isinstance(item, IngestError):
                summary.errors.append(item)
            else:
                yield item


def relink(store, context: Reader) -> Linked:
    """Recompute the cross-article graph from every extraction in ``store``."""
    linked = link(list(store.extractions()), context.link_context, store.reviews())
    store.replace_links(links_quads(linked.statements, linked.events, linked.relations))
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


def build(
    sources: Iterable[Path], store, context: Reader,
    *, progress: Callable[[Iterator[Article]], Iterator[Article]] = lambda it: it,
    **options: object,
) -> BuildSummary:
    """Read ``sources`` into ``store`` (skipping articles already stored unchanged), then relink."""
    summary = BuildSummary()
    store.load_ontology(ontology_files())
    fresh = (
        a for a in progress(iter_sources(sources, summary, **options))
        if not _already_stored(store, a, summary)
    )
    for extraction in extract_all(fresh, context):
        try:
            store.put_article(extraction)
        except ValueError as error:  # a reading the store refuses: report it, keep the others
            summary.errors.append(IngestError(extraction.article.id, None, f"not stored: {error}"))
            continue
        summary.articles += 1
        summary.warnings.extend(extraction.warnings)
    linked = relink(store, context)
    summary.statements = len(linked.statements)
    summary.events = len(linked.events)
    summary.relations = len(linked.relations)
    return summary


def _already_stored(store, article: Article, summary: BuildSummary) -> bool:
    if store.has_article(article.id, article.content_hash):
        summary.skipped += 1
        return True
    return False

