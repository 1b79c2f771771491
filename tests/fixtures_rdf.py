"""Hand-built readings of seed articles for the RDF, store, export and SHACL tests.

Real sentences from ``seeds/`` with their real code-point offsets (found in the text, never
typed in), read the way the gold annotations read them. Import explicitly:
``from fixtures_rdf import extraction_000, linked, filled_store``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from graph import ids
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

PUTIN = Actor("vladimir-putin", "Vladimir Putin", aliases=("Putin", "Vladimir Vladimirovich Putin"),
              wikidata="Q7747", kind="person")
DIGGINS = Actor("simon-diggins", "Simon Diggins", kind="person", description="Former defence attaché")
UK_MOD = Actor("uk-ministry-of-defence", "UK Ministry of Defence", aliases=("British Defence Ministry",),
               kind="organisation")
KREMLIN_SOURCE = Actor("an-unnamed-kremlin-source", "An unnamed Kremlin source", kind="unnamed")

#: A small topic and event-type scheme standing in for ``ontology/topics.ttl`` and
#: ``ontology/event-types.ttl`` (written by others in parallel), so SHACL's class checks can run.
SCHEME_TTL = """
@prefix tkg: <https://timeline-kg.org/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://timeline-kg.org/id/> .
<https://timeline-kg.org/id/topic/scheme> a skos:ConceptScheme ; skos:prefLabel "Topics"@en .
<https://timeline-kg.org/id/event-type/scheme> a skos:ConceptScheme ; skos:prefLabel "Event types"@en .
<https://timeline-kg.org/id/topic/war-conduct> a tkg:Topic , skos:Concept ;
    skos:prefLabel "war conduct"@en ; skos:altLabel "battlefield situation"@en ;
    skos:inScheme <https://timeline-kg.org/id/topic/scheme> .
<https://timeline-kg.org/id/topic/mobilisation> a tkg:Topic , skos:Concept ;
    skos:prefLabel "mobilisation"@en ; skos:altLabel "conscription"@en ;
    skos:inScheme <https://timeline-kg.org/id/topic/scheme> .
<https://timeline-kg.org/id/topic/strikes> a tkg:Topic , skos:Concept ;
    skos:prefLabel "strikes"@en ; skos:hiddenLabel "rocket attack"@en ;
    skos:inScheme <https://timeline-kg.org/id/topic/scheme> .
<https://timeline-kg.org/id/event-type/explosion> a tkg:EventType , skos:Concept ;
    skos:prefLabel "explosion"@en ; skos:inScheme <https://timeline-kg.org/id/event-type/scheme> .
<https://timeline-kg.org/id/event-type/air-strike> a tkg:EventType , skos:Concept ;
    skos:prefLabel "air strike"@en ; skos:inScheme <https://timeline-kg.org/id/event-type/scheme> .
<https://timeline-kg.org/id/event-type/press-conference> a tkg:EventType , skos:Concept ;
    skos:prefLabel "press conference"@en ; skos:inScheme <https://timeline-kg.org/id/event-type/scheme> .
<https://timeline-kg.org/id/event-type/offensive> a tkg:EventType , skos:Concept ;
    skos:prefLabel "offensive"@en ; skos:inScheme <https://timeline-kg.org/id/event-type/scheme> .
"""


@cache
def seed_article(stem: str) -> Article:
    """The seed article whose id starts with ``stem`` ("000"), with its manifest metadata."""
    entry = next(e for e in json.loads((SEEDS_DIR / "manifest.json").read_text(encoding="utf-8"))
                 if e["id"].startswith(stem))
    text = (SEEDS_DIR / entry["file"]).read_text(encoding="utf-8")
    return Article(
        id=entry["id"], text=text, title=entry["title"], source=entry["source"], url=entry["url"],
        published=date.fromisoformat(entry["published"]), content_hash=ids.content_hash(text),
    )


def span(article: Article, phrase: str, after: str = "") -> Span:
    """The span of the first ``phrase`` in the article (after the first ``after``)."""
    start = article.text.index(phrase, article.text.index(after) if after else 0)
    return Span.of(article.text, start, start + len(phrase))


def day(iso: str, anchor: str = "explicit") -> TimeValue:
    return TimeValue(date.fromisoformat(iso), date.fromisoformat(iso), "day", iso, anchor)


def window(begin: str, end: str, anchor: str) -> TimeValue:
    return TimeValue(date.fromisoformat(begin), date.fromisoformat(end), "interval", f"{begin}/{end}", anchor)


UNRESOLVED = TimeValue(None, None, "unknown", "", "unresolved")


@cache
def extraction_000() -> Extraction:
    """Seed 000 (Putin in Astana, 14 October 2022): four statements, three events, a cause."""
    a = seed_article("000")
    a = Article(**{**a.__dict__, "furniture": (span(a, "Read on under the map"),
                                               span(a, "See also The ILO estimates that 50 million people "
                                                       "are subjected to modern slavery"))})
    planned = span(a, "But the battle there is going as planned, he said today after a news conference "
                      "at a regional summit in Kazakhstan.")
    statements = (
        Statement(a.id, PUTIN, "pronoun", span(a, "said", after="going as planned"),
                  "the battle there is going as planned", (planned,), day("2022-10-14", "publication date"),
                  "indirect", ("war-conduct",), "'today' = publication date"),
        Statement(a.id, PUTIN, "named", span(a, "announced"), "300,000 people would be drafted into the army",
                  (span(a, "In late September, Putin announced that 300,000 people would be drafted into the army."),),
                  window("2022-09-20", "2022-09-30", "relative to published"), "indirect", ("mobilisation",)),
        Statement(a.id, PUTIN, "named", span(a, "Putin said", after="Then we"),
                  "There will be no need for massive rocket attacks in the near future.",
                  (span(a, "“There will be no need for massive rocket attacks in the near future."),
                   span(a, "assuring his audience that Russia was doing “just right” in Ukraine")),
                  day("2022-10-14", "publication date"), "direct", ("strikes", "war-conduct")),
        Statement(a.id, PUTIN, "named", span(a, "said", after="Putin said the Ukrainian"),
                  "the Ukrainian secret service was behind the attack",
                  (span(a, "Putin said the Ukrainian secret service was behind the attack."),),
                  UNRESOLVED, "indirect"),
    )
    events = (
        EventMention(a.id, "Russian rocket attacks on Ukrainian cities", "air-strike",
                     window("2022-10-09", "2022-10-12", "relative to published"),
                     (span(a, "Russia carried out large-scale rocket attacks on Ukrainian cities early this week"),),
                     trigger="rocket attacks", participants=("Russia",)),
        EventMention(a.id, "Crimean Bridge explosion", "explosion", day("2022-10-08", "relative to published"),
                     (span(a, "Saturday morning’s “humiliating” explosion on Russia’s Crimean Bridge"),),
                     trigger="explosion", place="Crimean Bridge"),
        EventMention(a.id, "Putin's news conference in Kazakhstan", "press-conference",
                     day("2022-10-14", "publication date"), (span(a, "a news conference at a regional summit"),),
                     trigger="news conference", participants=("Vladimir Putin",), place="Kazakhstan"),
    )
    return Extraction(a, statements, events, causes=((1, 0, span(a, "in retaliation for")),),
                      about=((0, 2), (3, 1)), warnings=("no title in the text",))


@cache
def extraction_002() -> Extraction:
    a = seed_article("002")
    return Extraction(a, (
        Statement(a.id, PUTIN, "named", span(a, "believes"), "the goals of the leadership in Kiev have failed",
                  (span(a, "Kremlin chief Vladimir Putin believes that the goals of the leadership in Kiev "
                           "have failed."),),
                  day("2024-09-05", "publication date"), "indirect", ("war-conduct",)),
    ), (
        EventMention(a.id, "Ukrainian offensive in Kursk", "offensive", day("2024-08-06"),
                     (span(a, "the offensive, which began on August 6"),), trigger="offensive", place="Kursk"),
    ), about=((0, 0),))


@cache
def extraction_003() -> Extraction:
    a = seed_article("003")
    a = Article(**{**a.__dict__, "furniture": (span(a, "NewsletterNewslettersEventsEventsPodcasts"),)})
    return Extraction(a, (
        Statement(a.id, PUTIN, "named", span(a, "described"), "a \"failure\"",
                  (span(a, "Vladimir Putin has described Ukraine's cross-border incursion into Russia's Kursk "
                           "region as a \"failure\""),),
                  day("2024-09-05", "relative to published"), "paraphrase", ("war-conduct",)),
    ))


@cache
def extraction_004() -> Extraction:
    a = seed_article("004")
    return Extraction(a, (
        Statement(a.id, DIGGINS, "surname", span(a, "said of Putin"), "He’s desperate. He’s definitely losing.",
                  (span(a, "“He’s desperate. He’s definitely losing."),), day("2022-09-27", "publication date"),
                  "direct", ("war-conduct",)),
        Statement(a.id, KREMLIN_SOURCE, "unnamed", span(a, "told"),
                  "the presidential decree allows the Ministry of Defence to mobilise one million people",
                  (span(a, "An unnamed Kremlin source told independent Russian media that the hidden paragraph "
                           "seven of the presidential decree allows the Ministry of Defence to mobilise one "
                           "million people."),),
                  window("2022-09-21", "2022-09-27", "publication date"), "indirect", ("mobilisation",)),
        Statement(a.id, UK_MOD, "named", span(a, "According to"),
                  "Many of the drafted troops will not have had any military experience for some years",
                  (span(a, "According to the latest update by the British Defence Ministry, “Many of the drafted "
                           "troops will not have had any military experience for some years"),
                   span(a, "They are likely to suffer a high attrition rate.")),
                  window("2022-09-20", "2022-09-27", "publication date"), "mixed", ("mobilisation",)),
    ))


def extractions() -> list[Extraction]:
    return [extraction_000(), extraction_002(), extraction_003(), extraction_004()]


def mention_id(statement: Statement | EventMention) -> str:
    first = statement.evidence[0]
    mint = ids.statement_mention_id if isinstance(statement, Statement) else ids.event_mention_id
    return mint(statement.article_id, first.start, first.end)


def statement_node(*mentions: Statement) -> StatementNode:
    first = mentions[0]
    return StatementNode(ids.statement_id([mention_id(m) for m in mentions]), first.speaker, first.date,
                         first.quote, first.topics, tuple(mentions))


def event_node(*mentions: EventMention) -> EventNode:
    first = mentions[0]
    return EventNode(ids.event_id([mention_id(m) for m in mentions]), first.label, first.type, first.date,
                     tuple(mentions))


@cache
def linked() -> tuple[tuple[StatementNode, ...], tuple[EventNode, ...], tuple[Relation, ...]]:
    """What a linker would make of the four extractions: Kursk "failure" merged across 002 and 003."""
    x0, x2, x3, x4 = extractions()
    statements = (*(statement_node(s) for s in x0.statements), statement_node(x2.statements[0], x3.statements[0]),
                  *(statement_node(s) for s in x4.statements))
    events = (*(event_node(e) for e in x0.events), event_node(x2.events[0]))
    planned, losing = statements[0], statements[5]
    relations = (
        Relation("contradicts", planned.id, losing.id,
                 "\"going as planned\" and \"definitely losing\" cannot both hold of the war", 0.8,
                 ((x0.article.id, x0.statements[0].evidence[0]), (x4.article.id, x4.statements[0].evidence[0]))),
        Relation("causes", events[1].id, events[0].id, "the attacks were in retaliation for the explosion", 0.9,
                 ((x0.article.id, x0.causes[0][2]),)),
        Relation("about", statements[3].id, events[1].id, "the statement names the attack on the bridge"),
        Relation("about", statements[4].id, events[3].id, "the statement assesses the Kursk offensive"),
    )
    return statements, events, relations


@pytest.fixture
def filled_store(tmp_path: Path) -> Iterator[object]:
    """A store on disk holding the four extractions, the links and the stand-in scheme."""
    from graph import rdf
    from graph.store import open_store

    scheme = tmp_path / "scheme.ttl"
    scheme.write_text(SCHEME_TTL, encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        store.load_ontology([ONTOLOGY_DIR / "tkg.ttl", scheme])
        for extraction in extractions():
            store.put_article(extraction)
        store.replace_links(rdf.links_quads(*linked()))
        yield store


# ---------------------------------------------------------------- hypothesis: random extractions

from hypothesis import strategies as st

#: Any text but lone surrogates (which no RDF syntax or UTF-8 file can hold).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
SLUG = st.from_regex(r"[a-z]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True)
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


def _sorted_set(elements: st.SearchStrategy) -> st.SearchStrategy:
    """Set-valued tuple fields are stored as RDF sets: they round-trip sorted and unique."""
    return st.lists(elements, max_size=3, unique=True).map(lambda xs: tuple(sorted(xs)))


@st.composite
def time_values(draw: st.DrawFn) -> TimeValue:
    begin = draw(st.none() | DAYS)
    end = draw(st.none() | DAYS.filter(lambda d: begin is None or d >= begin))
    return TimeValue(begin, end, draw(st.sampled_from(["day", "week", "month", "season", "year", "interval",
                                                       "unknown"])), draw(TEXT), draw(TEXT))


@st.composite
def actors(draw: st.DrawFn, actor_id: str) -> Actor:
    return Actor(actor_id, draw(TEXT), draw(_sorted_set(TEXT)),
                 draw(st.none() | st.from_regex(r"Q[1-9][0-9]{0,6}", fullmatch=True)),
                 draw(st.sampled_from(["person", "organisation", "group", "unnamed"])), draw(st.none() | TEXT))


@st.composite
def spans(draw: st.DrawFn, text: str) -> Span:
    start = draw(st.integers(0, len(text) - 1))
    return Span.of(text, start, draw(st.integers(start + 1, len(text))))


@st.composite
def extractions_strategy(draw: st.DrawFn) -> Extraction:
    """A random extraction obeying the model's invariants (one IRI per mention, links in range)."""
    text = draw(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=80))
    article_id = draw(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=10))
    furniture = sorted(set(draw(st.lists(spans(text), max_size=2))), key=lambda s: (s.start, s.end))
    article = Article(article_id, text, draw(st.none() | TEXT), draw(st.none() | DAYS), draw(st.none() | TEXT),
                      draw(st.none() | TEXT), tuple(furniture), draw(st.sampled_from(["", ids.content_hash(text)])))
    cast = [draw(actors(actor_id)) for actor_id in draw(st.lists(SLUG, min_size=1, max_size=3, unique=True))]

    def evidence() -> tuple[Span, ...]:
        return tuple(dict.fromkeys(draw(st.lists(spans(text), min_size=1, max_size=3))))

    statements = [Statement(article_id, draw(st.sampled_from(cast)),
                            draw(st.sampled_from(["named", "surname", "pronoun", "role", "carried", "unnamed"])),
                            draw(st.none() | spans(text)), draw(TEXT), evidence(), draw(time_values()),
                            draw(st.sampled_from(["direct", "indirect", "paraphrase", "headline", "mixed"])),
                            draw(_sorted_set(TEXT)), draw(TEXT))
                  for _ in range(draw(st.integers(0, 3)))]
    events = [EventMention(article_id, draw(TEXT), draw(TEXT), draw(time_values()), evidence(), draw(TEXT),
                           draw(_sorted_set(TEXT)), draw(st.none() | TEXT))
              for _ in range(draw(st.integers(0, 3)))]
    statements = list({s.evidence[0]: s for s in statements}.values())
    events = list({e.evidence[0]: e for e in events}.values())
    pairs = st.tuples(st.integers(0, len(events) - 1), st.integers(0, len(events) - 1))
    causes = {(c, e): draw(spans(text)) for c, e in draw(st.lists(pairs, max_size=2))} if events else {}
    about = (draw(_sorted_set(st.tuples(st.integers(0, len(statements) - 1), st.integers(0, len(events) - 1))))
             if statements and events else ())
    return Extraction(article, tuple(statements), tuple(events),
                      tuple((c, e, cue) for (c, e), cue in sorted(causes.items(), key=lambda kv: kv[0])),
                      about, draw(_sorted_set(TEXT)))
