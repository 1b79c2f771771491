"""The RDF mapping: what goes into the article and links graphs, and the exact way back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from fixtures_rdf import (
    PUTIN,
    UNRESOLVED,
    extraction_000,
    extraction_002,
    extractions,
    extractions_strategy,
    linked,
    mention_id,
    span,
)
from hypothesis import HealthCheck, given, settings
from rdflib import BNode, Graph, Literal, URIRef

from graph import ids, rdf, vocab
from graph.config import BASE_IRI, VOCAB_IRI
from graph.model import Actor, EventMention, Extraction, Relation
from graph.rdf_index import TripleIndex
from graph.vocab import (
    DCTERMS,
    LINKS_GRAPH,
    OA,
    OWL,
    RDF,
    RDFS,
    SKOS,
    TKG,
    WD,
    actor_iri,
    article_graph,
    article_iri,
    iri,
)


def graph_of(quads: list[rdf.Quad]) -> Graph:
    graph = Graph()
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    return graph


def node(mention) -> URIRef:
    return iri(mention_id(mention))


@pytest.fixture(scope="module")
def g000() -> Graph:
    return graph_of(rdf.article_quads(extraction_000()))


@pytest.fixture(scope="module")
def links() -> Graph:
    return graph_of(rdf.links_quads(*linked()))


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("extraction", extractions(), ids=lambda x: x.article.id)
def test_seed_extractions_round_trip_exactly(extraction: Extraction) -> None:
    assert rdf.extraction_from_graph(graph_of(rdf.article_quads(extraction))) == extraction


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extractions_strategy())
def test_random_extractions_round_trip_exactly(extraction: Extraction) -> None:
    quads = rdf.article_quads(extraction)
    assert rdf.extraction_from_graph(graph_of(quads)) == extraction
    assert rdf.extraction_from_graph(TripleIndex(q[:3] for q in quads)) == extraction
    assert not [q for q in quads if any(isinstance(t, BNode) for t in q)]
    assert {q[3] for q in quads} == {article_graph(extraction.article.id)}


def test_evidence_order_survives_even_against_document_order() -> None:
    x = extraction_000()
    st = x.statements[2]
    reordered = replace(
        st,
        evidence=(
            st.evidence[0],
            span(x.article, "Putin told the assembled media"),
            span(x.article, "It is therefore not necessary"),
        ),
    )
    y = replace(x, statements=(*x.statements[:2], reordered, x.statements[3]))
    assert (
        rdf.extraction_from_graph(graph_of(rdf.article_quads(y))).statements[2].evidence
        == reordered.evidence
    )


def test_an_actor_given_two_values_in_one_article_reads_back_merged() -> None:
    """Documented: one actor node per article graph; differing values for one id are merged."""
    x = extraction_000()
    bare = replace(PUTIN, aliases=("Mr Putin",), wikidata=None)
    y = replace(x, statements=(replace(x.statements[0], speaker=bare), *x.statements[1:]))
    speakers = {
        s.speaker for s in rdf.extraction_from_graph(graph_of(rdf.article_quads(y))).statements
    }
    assert speakers == {
        replace(PUTIN, aliases=("Mr Putin", "Putin", "Vladimir Vladimirovich Putin"))
    }


def test_an_actor_without_id_round_trips_and_is_named_after_its_name() -> None:
    x = extraction_002()
    anonymous = Actor("", "Kremlin chief Vladimir Putin")
    y = replace(x, statements=(replace(x.statements[0], speaker=anonymous),))
    g = graph_of(rdf.article_quads(y))
    assert (iri("actor/kremlin-chief-vladimir-putin"), RDF.type, TKG.Person) in g
    assert rdf.extraction_from_graph(g).statements[0].speaker == anonymous


def test_two_place_names_with_one_slug_get_two_nodes() -> None:
    x = extraction_000()
    events = (replace(x.events[0], place="Kyiv"), replace(x.events[1], place="KYIV"), x.events[2])
    y = replace(x, events=events)
    g = graph_of(rdf.article_quads(y))
    assert len({g.value(node(e), TKG.place) for e in events[:2]}) == 2
    assert rdf.extraction_from_graph(g) == y


# ---------------------------------------------------------------- the article graph


def test_the_article_node(g000: Graph) -> None:
    a, x = article_iri(extraction_000().article.id), extraction_000()
    assert (a, RDF.type, TKG.Article) in g000
    assert (a, DCTERMS.identifier, Literal(x.article.id)) in g000
    assert (a, TKG.publishedOn, Literal(date(2022, 10, 14))) in g000
    assert g000.value(a, TKG.publishedOn).datatype == vocab.XSD.date
    assert (a, TKG.text, Literal(x.article.text)) in g000
    assert (a, TKG.contentHash, Literal(x.article.content_hash)) in g000
    assert (a, DCTERMS.title, None) not in g000  # no title: nothing written
    assert len(list(g000.objects(a, TKG.furniture))) == 2


def test_a_statement_mention_with_its_speaker_date_and_evidence(g000: Graph) -> None:
    st = extraction_000().statements[0]
    m, ev = node(st), vocab.evidence_iri(st.article_id, st.evidence[0].start, st.evidence[0].end)
    expected = [
        (m, RDF.type, TKG.StatementMention),
        (m, TKG.index, Literal(0)),
        (m, TKG.inArticle, article_iri(st.article_id)),
        (m, TKG.speaker, iri("actor/vladimir-putin")),
        (m, TKG.quote, Literal("the battle there is going as planned")),
        (m, TKG.cue, Literal("said")),
        (m, TKG.speakerResolution, Literal("pronoun")),
        (m, TKG.statementKind, Literal("indirect")),
        (m, TKG.topic, iri("topic/war-conduct")),
        (m, TKG.begin, Literal(date(2022, 10, 14))),
        (m, TKG.end, Literal(date(2022, 10, 14))),
        (m, TKG.precision, Literal("day")),
        (m, TKG.dateAnchor, Literal("publication date")),
        (m, TKG.saidOn, iri("time/2022-10-14")),
        (m, TKG.evidence, ev),
        (ev, RDF.type, TKG.Evidence),
        (ev, RDF.type, OA.TextPositionSelector),
        (ev, TKG.start, Literal(st.evidence[0].start)),
        (ev, TKG.endOffset, Literal(st.evidence[0].end)),
        (ev, TKG.text, Literal(st.evidence[0].text)),
        (ev, TKG.inArticle, article_iri(st.article_id)),
    ]
    assert [t for t in expected if t not in g000] == []


def test_the_time_interval_and_its_instants(g000: Graph) -> None:
    interval, instant = iri("time/2022-10-14"), iri("time/instant/2022-10-14")
    assert (interval, RDF.type, TKG.TimeInterval) in g000
    assert (interval, vocab.TIME.hasBeginning, instant) in g000 and (
        interval,
        vocab.TIME.hasEnd,
        instant,
    ) in g000
    assert (instant, vocab.TIME.inXSDDate, Literal(date(2022, 10, 14))) in g000
    assert (interval, TKG.precisionUnit, vocab.TIME.unitDay) in g000
    window = iri("time/2022-09-20%2F2022-09-30")
    assert (window, TKG.precisionUnit, None) not in g000  # "interval" has no OWL-Time unit
    assert (window, vocab.TIME.hasEnd, iri("time/instant/2022-09-30")) in g000


def test_an_unresolved_date_gets_only_its_value_anchor_and_precision(g000: Graph) -> None:
    m = node(extraction_000().statements[3])
    assert extraction_000().statements[3].date == UNRESOLVED
    assert (m, TKG.saidOn, None) not in g000 and (m, TKG.begin, None) not in g000
    assert (m, TKG.dateAnchor, Literal("unresolved")) in g000 and (
        m,
        TKG.precision,
        Literal("unknown"),
    ) in g000


def test_the_speaker_is_described_in_the_article_graph(g000: Graph) -> None:
    putin = actor_iri(PUTIN)
    expected = [
        (putin, RDF.type, TKG.Actor),
        (putin, RDF.type, TKG.Person),
        (putin, SKOS.prefLabel, Literal("Vladimir Putin", lang="en")),
        (putin, SKOS.altLabel, Literal("Putin", lang="en")),
        (putin, TKG.wikidata, Literal("Q7747")),
        (putin, OWL.sameAs, WD.Q7747),
    ]
    assert [t for t in expected if t not in g000] == []


def test_events_causes_and_about_in_the_article_graph(g000: Graph) -> None:
    x = extraction_000()
    attacks, explosion, conference = (node(e) for e in x.events)
    assert (explosion, TKG.causes, attacks) in g000
    relation = g000.value(predicate=TKG.relationSource, object=explosion)
    assert g000.value(relation, TKG.relationType) == Literal("causes")
    assert g000.value(relation, TKG.cue) == Literal("in retaliation for")
    assert (node(x.statements[0]), TKG.about, conference) in g000
    assert (explosion, TKG.eventType, iri("event-type/explosion")) in g000
    assert (explosion, TKG.place, iri("place/crimean-bridge")) in g000
    assert (conference, TKG.participant, iri("actor/vladimir-putin")) in g000
    assert (explosion, RDFS.label, Literal("Crimean Bridge explosion")) in g000


def test_every_tkg_term_used_is_in_the_vocabulary(g000: Graph, links: Graph) -> None:
    used = {
        t
        for g in (g000, links)
        for triple in g
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(VOCAB_IRI)
    }
    assert used and all(t in TKG for t in used)
    assert not [t for g in (g000, links) for t in g.subjects() if not str(t).startswith(BASE_IRI)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda x: replace(x, statements=(replace(x.statements[0], evidence=()),)),
            "no evidence span",
        ),
        (
            lambda x: replace(
                x,
                statements=(
                    x.statements[0],
                    replace(x.statements[1], evidence=x.statements[0].evidence),
                ),
            ),
            "share the first evidence span",
        ),
        (lambda x: replace(x, about=((0, 7),)), "link to event mention 7, but the article has 3"),
        (lambda x: replace(x, causes=((5, 0, x.causes[0][2]),)), "link to event mention 5"),
        (
            lambda x: replace(x, statements=(replace(x.statements[0], article_id="other"),)),
            "mention of article 'other'",
        ),
    ],
)
def test_inconsistent_extractions_are_refused(change, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rdf.article_quads(change(extraction_000()))


def test_a_graph_without_exactly_one_article_cannot_be_read() -> None:
    with pytest.raises(ValueError, match="holds 0"):
        rdf.extraction_from_graph(Graph())


# ---------------------------------------------------------------- the links graph


def test_links_quads_are_all_in_the_links_graph_and_iri_only() -> None:
    quads = rdf.links_quads(*linked())
    assert {q[3] for q in quads} == {LINKS_GRAPH}
    assert not [q for q in quads if any(isinstance(t, BNode) for t in q)]


def test_a_merged_statement_is_cited_by_both_articles_and_points_at_their_mentions(
    links: Graph,
) -> None:
    statements, _, _ = linked()
    kursk = statements[4]
    s = iri(kursk.id)
    assert (
        set(links.objects(s, TKG.citedBy)) == {article_iri(a) for a in kursk.cited_by}
        and len(kursk.cited_by) == 2
    )
    assert set(links.objects(s, TKG.hasMention)) == {node(m) for m in kursk.mentions}
    assert (s, RDF.type, TKG.Statement) in links and (s, TKG.speaker, actor_iri(PUTIN)) in links
    assert (s, TKG.begin, Literal(date(2024, 9, 5))) in links


def test_mention_iris_in_links_and_article_graphs_agree(g000: Graph, links: Graph) -> None:
    mentions = set(g000.subjects(RDF.type, TKG.StatementMention)) | set(
        g000.subjects(RDF.type, TKG.EventMention)
    )
    assert len(mentions) == 7
    assert mentions <= set(links.objects(None, TKG.hasMention))


def test_a_relation_is_a_direct_triple_and_a_reified_node(links: Graph) -> None:
    contradicts = linked()[2][0]
    source, target = iri(contradicts.source), iri(contradicts.target)
    r = iri(ids.relation_id("contradicts", contradicts.source, contradicts.target))
    assert (source, TKG.contradicts, target) in links
    assert (r, RDF.type, TKG.Relation) in links
    assert (r, TKG.relationType, Literal("contradicts")) in links
    assert (r, TKG.relationSource, source) in links and (r, TKG.relationTarget, target) in links
    assert links.value(r, TKG.confidence) == Literal(Decimal("0.8"))
    assert links.value(r, TKG.explanation) == Literal(contradicts.explanation)
    assert len(list(links.objects(r, TKG.evidence))) == 2


def test_an_about_relation_links_statement_to_event(links: Graph) -> None:
    _, _, relations = linked()
    about = relations[2]
    assert (iri(about.source), TKG.about, iri(about.target)) in links


def test_an_unknown_relation_type_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(
        ValueError, match="'refutes'; valid types: contradicts, causes, about, repeats, supports"
    ):
        refutes = Relation("refutes", "statement/a", "statement/b", "x")  # type: ignore[arg-type]
        rdf.links_quads([], [], [refutes])


def test_event_nodes_gather_places_and_participants_of_their_mentions() -> None:
    _, events, _ = linked()
    twin = replace(
        events[2],
        mentions=(
            *events[2].mentions,
            EventMention(
                "x",
                "talks",
                "summit",
                UNRESOLVED,
                events[2].mentions[0].evidence,
                participants=("Kassym-Jomart Tokayev",),
                place="Astana",
            ),
        ),
    )
    g = graph_of(rdf.links_quads([], [twin], []))
    e = iri(twin.id)
    assert set(g.objects(e, TKG.place)) == {iri("place/kazakhstan"), iri("place/astana")}
    assert set(g.objects(e, TKG.participant)) == {
        iri("actor/vladimir-putin"),
        iri("actor/kassym-jomart-tokayev"),
    }


def test_what_the_article_says_of_a_speaker_stays_with_each_statement() -> None:
    """The reader describes a new speaker where it introduces them, not at every statement."""
    x = extraction_000()
    introduced = replace(PUTIN, description="Russian President")
    first, second = (replace(s, speaker=introduced) for s in x.statements[:2])
    y = replace(x, statements=(first, second, *x.statements[2:]))
    g = graph_of(rdf.article_quads(y))
    assert rdf.extraction_from_graph(g) == y
    assert (actor_iri(PUTIN), TKG.description, Literal("Russian President")) in g
    assert (node(second), TKG.speakerDescription, Literal("Russian President")) in g
    assert (node(x.statements[2]), TKG.speakerDescription, None) not in g


def test_participants_keep_the_order_the_text_names_them() -> None:
    x = extraction_000()
    named = replace(x.events[0], participants=("Russia", "Ukraine", "Kiev", "Russia"))
    y = replace(x, events=(named, *x.events[1:]))
    g = graph_of(rdf.article_quads(y))
    assert g.value(node(named), TKG.participantOrder) == Literal(
        "actor/russia actor/ukraine actor/kiev actor/russia"
    )
    assert rdf.extraction_from_graph(g) == y
