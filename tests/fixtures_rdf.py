"""Hand-built readings of seed articles, and random extractions, for the RDF-side tests.

Real sentences from ``seeds/`` with their real code-point offsets (found in the text, never
typed in), read the way the gold annotations read them. Import explicitly, e.g.
``from fixtures_rdf import extraction_000, linked, filled_store`` (conftest.py is not ours).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import strategies as st

from graph import ids, rdf
from graph.config import ONTOLOGY_DIR, SEEDS_DIR
from graph.model import (
    Actor,
    Article,
    EventMention,
    EventNode,
    Extraction,
    Relation,
    Span,
    Statement,
    StatementNode,
    TimeValue,
)
from graph.store import Store, open_store

PUTIN = Actor("vladimir-putin", "Vladimir Putin", aliases=("Putin", "Vladimir Vladimirovich Putin"),
              wikidata="Q7747", kind="person")
DIGGINS = Actor("simon-diggins", "Simon Diggins", kind="person",
                description="Former defence attaché")
UK_MOD = Actor("uk-ministry-of-defence", "UK Ministry of Defence",
               aliases=("British Defence Ministry",), kind="organisation")
KREMLIN_SOURCE = Actor("an-unnamed-kremlin-source", "An unnamed Kremlin source", kind="unnamed")

#: A small topic and event-type scheme standing in for ``ontology/topics.ttl`` and
#: ``ontology/event-types.ttl`` (written by others), so that SHACL's class checks can run.
SCHEME_TTL = """
@prefix tkg: <https://timeline-kg.org/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix topic: <https://timeline-kg.org/id/topic/> .
@prefix type: <https://timeline-kg.org/id/event-type/> .
topic:scheme a skos:ConceptScheme ; skos:prefLabel "Topics"@en .
type:scheme a skos:ConceptScheme ; skos:prefLabel "Event types"@en .
topic:war-conduct a tkg:Topic , skos:Concept ; skos:inScheme topic:scheme ;
    skos:prefLabel "war conduct"@en ; skos:altLabel "battlefield situation"@en .
topic:mobilisation a tkg:Topic , skos:Concept ; skos:inScheme topic:scheme ;
    skos:prefLabel "mobilisation"@en ; skos:altLabel "conscription"@en .
topic:strikes a tkg:Topic , skos:Concept ; skos:inScheme topic:scheme ;
    skos:prefLabel "strikes"@en ; skos:hiddenLabel "rocket attack"@en .
type:explosion a tkg:EventType , skos:Concept ; skos:inScheme type:scheme ;
    skos:prefLabel "explosion"@en .
type:air-strike a tkg:EventType , skos:Concept ; skos:inScheme type:scheme ;
    skos:prefLabel "air strike"@en .
type:press-conference a tkg:EventType , skos:Concept ; skos:inScheme type:scheme ;
    skos:prefLabel "press conference"@en .
type:offensive a tkg:EventType , skos:Concept ; skos:inScheme type:scheme ;
    skos:prefLabel "offensive"@en .
"""


@cache
def seed_article(stem: str) -> Article:
    """The seed article whose id starts with ``stem`` ("000"), with its manifest metadata."""
    manifest = json.loads((SEEDS_DIR / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest if e["id"].startswith(stem))
    text = (SEEDS_DIR / entry["file"]).read_text(encoding="utf-8")
    return Article(
        id=entry["id"], text=text, title=entry["title"], source=entry["source"], url=entry["url"],
        published=date.fromisoformat(entry["published"]), content_hash=ids.content_hash(text),
    )


def span(article: Article, phrase: str, after: str = "") -> Span:
    """The span of the first ``phrase`` in the article (after the first ``after``)."""
    start = article.text.index(phrase, article.text.index(after) if after else 0)
    return Span.of(article.text, start, start + len(phrase))


def spans_of(article: Article, *phrases: str) -> tuple[Span, ...]:
    return tuple(span(article, phrase) for phrase in phrases)


def day(iso: str, anchor: str = "explicit") -> TimeValue:
    return TimeValue(date.fromisoformat(iso), date.fromisoformat(iso), "day", iso, anchor)


def window(begin: str, end: str, anchor: str) -> TimeValue:
    first, last = date.fromisoformat(begin), date.fromisoformat(end)
    return TimeValue(first, last, "interval", f"{begin}/{end}", anchor)


UNRESOLVED = TimeValue(None, None, "unknown", "", "unresolved")
PUBLISHED = "publication date"
RELATIVE = "relative to published"


@cache
def extraction_000() -> Extraction:
    """Seed 000 (Putin in Astana, 14 October 2022): four statements, three events, a cause."""
    a = seed_article("000")
    furniture = spans_of(a, "Read on under the map", "See also The ILO estimates that 50 million "
                                                      "people are subjected to modern slavery")
    a = replace(a, furniture=furniture)
    statements = (
        Statement(
            a.id, PUTIN, "pronoun", span(a, "said", after="going as planned"),
            "the battle there is going as planned",
            spans_of(a, "But the battle there is going as planned, he said today after a news "
                        "conference at a regional summit in Kazakhstan."),
            day("2022-10-14", PUBLISHED), "indirect", ("war-conduct",),
            "'today' = publication date"),
        Statement(
            a.id, PUTIN, "named", span(a, "announced"),
            "300,000 people would be drafted into the army",
            spans_of(a, "In late September, Putin announced that 300,000 people would be "
                        "drafted into the army."),
            window("2022-09-20", "2022-09-30", RELATIVE), "indirect", ("mobilisation",)),
        Statement(
            a.id, PUTIN, "named", span(a, "Putin said", after="Then we"),
            "There will be no need for massive rocket attacks in the near future.",
            spans_of(a, "“There will be no need for massive rocket attacks in the near future.",
                     "assuring his audience that Russia was doing “just right” in Ukraine"),
            day("2022-10-14", PUBLISHED), "direct", ("strikes", "war-conduct")),
        Statement(
            a.id, PUTIN, "named", span(a, "said", after="Putin said the Ukrainian"),
            "the Ukrainian secret service was behind the attack",
            spans_of(a, "Putin said the Ukrainian secret service was behind the attack."),
            UNRESOLVED, "indirect"),
    )
    events = (
        EventMention(
            a.id, "Russian rocket attacks on Ukrainian cities", "air-strike",
            window("2022-10-09", "2022-10-12", RELATIVE),
            spans_of(a, "Russia carried out large-scale rocket attacks on Ukrainian cities early "
                        "this week"),
            trigger="rocket attacks", participants=("Russia",)),
        EventMention(
            a.id, "Crimean Bridge explosion", "explosion", day("2022-10-08", RELATIVE),
            spans_of(a, "Saturday morning’s “humiliating” explosion on Russia’s Crimean "
                        "Bridge"),
            trigger="explosion", place="Crimean Bridge"),
        EventMention(
            a.id, "Putin's news conference in Kazakhstan", "press-conference",
            day("2022-10-14", PUBLISHED), spans_of(a, "a news conference at a regional summit"),
            trigger="news conference", participants=("Vladimir Putin",), place="Kazakhstan"),
    )
    return Extraction(a, statements, events, causes=((1, 0, span(a, "in retaliation for")),),
                      about=((0, 2), (3, 1)), warnings=("no title in the text",))


@cache
def extraction_002() -> Extraction:
    a = seed_article("002")
    statement = Statement(
        a.id, PUTIN, "named", span(a, "believes"),
        "the goals of the leadership in Kiev have failed",
        spans_of(a, "Kremlin chief Vladimir Putin believes that the goals of the leadership in "
                    "Kiev have failed."),
        day("2024-09-05", PUBLISHED), "indirect", ("war-conduct",))
    offensive = EventMention(
        a.id, "Ukrainian offensive in Kursk", "offensive", day("2024-08-06"),
        spans_of(a, "the offensive, which began on August 6"), trigger="offensive", place="Kursk")
    return Extraction(a, (statement,), (offensive,), about=((0, 0),))


@cache
def extraction_003() -> Extraction:
    a = seed_article("003")
    navigation = spans_of(a, "NewsletterNewslettersEventsEventsPodcasts")
    a = replace(a, furniture=navigation)
    statement = Statement(
        a.id, PUTIN, "named", span(a, "described"), 'a "failure"',
        spans_of(a, "Vladimir Putin has described Ukraine's cross-border incursion into Russia's "
                    'Kursk region as a "failure"'),
        day("2024-09-05", RELATIVE), "paraphrase", ("war-conduct",))
    return Extraction(a, (statement,))


@cache
def extraction_004() -> Extraction:
    a = seed_article("004")
    return Extraction(a, (
        Statement(
            a.id, DIGGINS, "surname", span(a, "said of Putin"),
            "He’s desperate. He’s definitely losing.",
            spans_of(a, "“He’s desperate. He’s definitely losing."),
            day("2022-09-27", PUBLISHED), "direct", ("war-conduct",)),
        Statement(
            a.id, KREMLIN_SOURCE, "unnamed", span(a, "told"),
            "the presidential decree allows the Ministry of Defence to mobilise one million people",
            spans_of(a, "An unnamed Kremlin source told independent Russian media that the hidden "
                        "paragraph seven of the presidential decree allows the Ministry of Defence "
                        "to mobilise one million people."),
            window("2022-09-21", "2022-09-27", PUBLISHED), "indirect", ("mobilisation",)),
        Statement(
            a.id, UK_MOD, "named", span(a, "According to"),
            "Many of the drafted troops will not have had any military experience for some years",
            spans_of(a, "According to the latest update by the British Defence Ministry, “Many "
                        "of the drafted troops will not have had any military experience for "
                        "some years",
                     "They are likely to suffer a high attrition rate."),
            window("2022-09-20", "2022-09-27", PUBLISHED), "mixed", ("mobilisation",)),
    ))


def extractions() -> list[Extraction]:
    return [extraction_000(), extraction_002(), extraction_003(), extraction_004()]


def mention_id(mention: Statement | EventMention) -> str:
    first = mention.evidence[0]
    mint = ids.statement_mention_id if isinstance(mention, Statement) else ids.event_mention_id
    return mint(mention.article_id, first.start, first.end)


def statement_node(*mentions: Statement) -> StatementNode:
    first = mentions[0]
    return StatementNode(ids.statement_id([mention_id(m) for m in mentions]), first.speaker,
                         first.date, first.quote, first.topics, tuple(mentions))


def event_node(*mentions: EventMention) -> EventNode:
    first = mentions[0]
    return EventNode(ids.event_id([mention_id(m) for m in mentions]), first.label, first.type,
                     first.date, tuple(mentions))


@cache
def linked() -> tuple[tuple[StatementNode, ...], tuple[EventNode, ...], tuple[Relation, ...]]:
    """What a linker would make of the four: Kursk "failure" merged across 002 and 003."""
    x0, x2, x3, x4 = extractions()
    statements = (*(statement_node(s) for s in x0.statements),
                  statement_node(x2.statements[0], x3.statements[0]),
                  *(statement_node(s) for s in x4.statements))
    events = (*(event_node(e) for e in x0.events), event_node(x2.events[0]))
    planned, losing = statements[0], statements[5]
    both = ((x0.article.id, x0.statements[0].evidence[0]),
            (x4.article.id, x4.statements[0].evidence[0]))
    relations = (
        Relation("contradicts", planned.id, losing.id,
                 '"going as planned" and "definitely losing" cannot both hold of the war',
                 0.8, both),
        Relation("causes", events[1].id, events[0].id,
                 "the attacks were in retaliation for the explosion", 0.9,
                 ((x0.article.id, x0.causes[0][2]),)),
        Relation("about", statements[3].id, events[1].id, "the statement names the attack"),
        Relation("about", statements[4].id, events[3].id, "the statement assesses the offensive"),
    )
    return statements, events, relations


@pytest.fixture
def filled_store(tmp_path: Path) -> Iterator[Store]:
    """A store on disk holding the four extractions, the links and the stand-in schemes."""
    scheme = tmp_path / "scheme.ttl"
    scheme.write_text(SCHEME_TTL, encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        store.load_ontology([ONTOLOGY_DIR / "tkg.ttl", scheme])
        for extraction in extractions():
            store.put_article(extraction)
        store.replace_links(rdf.links_quads(*linked()))
        yield store


# ---------------------------------------------------------------- hypothesis: random extractions

#: Any text but lone surrogates (which no RDF syntax or UTF-8 file can hold).
CHARACTERS = st.characters(exclude_categories=("Cs",))
TEXT = st.text(CHARACTERS, max_size=12)
SLUG = st.from_regex(r"[a-z]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True)
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
PRECISIONS = ["day", "week", "month", "season", "year", "interval", "unknown"]
RESOLUTIONS = ["named", "surname", "pronoun", "role", "carried", "unnamed"]
KINDS = ["direct", "indirect", "paraphrase", "headline", "mixed"]


def sorted_sets(elements: st.SearchStrategy) -> st.SearchStrategy:
    """Set-valued tuple fields are stored as RDF sets: they round-trip sorted and unique."""
    return st.lists(elements, max_size=3, unique=True).map(lambda xs: tuple(sorted(xs)))


@st.composite
def time_values(draw: st.DrawFn) -> TimeValue:
    begin = draw(st.none() | DAYS)
    end = draw(st.none() | DAYS.filter(lambda d: begin is None or d >= begin))
    return TimeValue(begin, end, draw(st.sampled_from(PRECISIONS)), draw(TEXT), draw(TEXT))


@st.composite
def actors(draw: st.DrawFn, actor_id: str) -> Actor:
    wikidata = st.none() | st.from_regex(r"Q[1-9][0-9]{0,6}", fullmatch=True)
    kind = st.sampled_from(["person", "organisation", "group", "unnamed"])
    return Actor(actor_id, draw(TEXT), draw(sorted_sets(TEXT)), draw(wikidata), draw(kind),
                 draw(st.none() | TEXT))


@st.composite
def spans(draw: st.DrawFn, text: str) -> Span:
    start = draw(st.integers(0, len(text) - 1))
    return Span.of(text, start, draw(st.integers(start + 1, len(text))))


@st.composite
def extractions_strategy(draw: st.DrawFn) -> Extraction:
    """A random extraction obeying the model's invariants (one IRI per mention, links in range)."""
    text = draw(st.text(CHARACTERS, min_size=1, max_size=80))
    article_id = draw(st.text(CHARACTERS, min_size=1, max_size=10))
    furniture = sorted(set(draw(st.lists(spans(text), max_size=2))), key=lambda s: (s.start, s.end))
    optional = st.none() | TEXT
    article = Article(article_id, text, draw(optional), draw(st.none() | DAYS), draw(optional),
                      draw(optional), tuple(furniture),
                      draw(st.sampled_from(["", ids.content_hash(text)])))
    cast = [draw(actors(i)) for i in draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))]

    def evidence() -> tuple[Span, ...]:
        return tuple(dict.fromkeys(draw(st.lists(spans(text), min_size=1, max_size=3))))

    def speaker() -> Actor:
        """A cast member; what the article says of them may change between statements."""
        return replace(draw(st.sampled_from(cast)), description=draw(st.none() | TEXT))

    statements = [
        Statement(article_id, speaker(), draw(st.sampled_from(RESOLUTIONS)),
                  draw(st.none() | spans(text)), draw(TEXT), evidence(), draw(time_values()),
                  draw(st.sampled_from(KINDS)), draw(sorted_sets(TEXT)), draw(TEXT))
        for _ in range(draw(st.integers(0, 3)))
    ]
    events = [
        EventMention(article_id, draw(TEXT), draw(TEXT), draw(time_values()), evidence(),
                     draw(TEXT), tuple(draw(st.lists(TEXT, max_size=3))), draw(optional))
        for _ in range(draw(st.integers(0, 3)))
    ]
    statements = list({s.evidence[0]: s for s in statements}.values())  # one IRI per mention
    events = list({e.evidence[0]: e for e in events}.values())
    causes, about = {}, ()
    if events:
        event_index = st.integers(0, len(events) - 1)
        pairs = draw(st.lists(st.tuples(event_index, event_index), max_size=2))
        causes = {pair: draw(spans(text)) for pair in sorted(set(pairs))}
        if statements:
            about = draw(sorted_sets(st.tuples(st.integers(0, len(statements) - 1), event_index)))
    return Extraction(article, tuple(statements), tuple(events),
                      tuple((c, e, cue) for (c, e), cue in causes.items()), about,
                      draw(sorted_sets(TEXT)))
