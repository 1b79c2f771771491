"""The vocabulary file and the closed namespace agree, every term is documented and aligned,
and the IRIs we mint are valid, reversible and stable."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef

from graph import vocab
from graph.config import BASE_IRI, ONTOLOGY_DIR, PROJECT_ROOT, VOCAB_IRI
from graph.model import Actor
from graph.vocab import (
    CITO,
    DCTERMS,
    OA,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEM,
    SKOS,
    TKG,
    actor_iri,
    article_graph,
    article_iri,
    event_type_iri,
    evidence_iri,
    id_of,
    instant_iri,
    iri,
    is_article_graph,
    ontology_files,
    segment_of,
    time_iri,
    topic_iri,
)

#: TIME and XSD are open rdflib namespaces that warn on unknown attributes, so they are not
#: imported by name (pytest's collection probes module attributes).
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def tkg() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "tkg.ttl", format="turtle")


def _terms() -> list[str]:
    return list(TKG.__annotations__)


def test_the_file_has_no_blank_nodes(tkg: Graph) -> None:
    assert not [t for t in tkg if any(isinstance(x, BNode) for x in t)]


def test_the_ontology_is_declared_with_a_version(tkg: Graph) -> None:
    ontology = URIRef(VOCAB_IRI.rstrip("#"))
    assert (ontology, RDF.type, OWL.Ontology) in tkg
    assert tkg.value(ontology, OWL.versionInfo) is not None


def test_namespace_and_file_declare_the_same_terms(tkg: Graph) -> None:
    declared = {
        str(s)[len(VOCAB_IRI) :]
        for s in tkg.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(VOCAB_IRI)
    }
    assert declared == set(_terms())


@pytest.mark.parametrize("term", _terms())
def test_every_term_has_one_kind_and_english_label_and_comment(tkg: Graph, term: str) -> None:
    node = TKG[term]
    kinds = [k for k in KINDS if (node, RDF.type, k) in tkg]
    assert len(kinds) == 1, f"{term} declared as {kinds}"
    for predicate in (RDFS.label, RDFS.comment):
        values = list(tkg.objects(node, predicate))
        assert len(values) == 1 and isinstance(values[0], Literal) and values[0].language == "en", (
            term,
            predicate,
        )


def test_no_iri_is_declared_with_two_kinds(tkg: Graph) -> None:
    """OWL 2 DL: an IRI is a class or one kind of property, never two (no punning)."""
    clashes = {
        s
        for s in tkg.subjects(RDF.type, None)
        if len([k for k in KINDS if (s, RDF.type, k) in tkg]) > 1
    }
    assert clashes == set()


def test_subproperties_keep_the_kind_of_their_super_property(tkg: Graph) -> None:
    for sub, sup in tkg.subject_objects(RDFS.subPropertyOf):
        sub_kinds = {k for k in KINDS if (sub, RDF.type, k) in tkg}
        sup_kinds = {k for k in KINDS if (sup, RDF.type, k) in tkg}
        assert sub_kinds == sup_kinds and sub_kinds, (sub, sup, sub_kinds, sup_kinds)


def test_domains_and_ranges_are_declared_classes_or_datatypes(tkg: Graph) -> None:
    classes = set(tkg.subjects(RDF.type, OWL.Class))
    for prop, cls in tkg.subject_objects(RDFS.domain):
        assert cls in classes, (prop, cls)
    for prop, rng in tkg.subject_objects(RDFS.range):
        if (prop, RDF.type, OWL.DatatypeProperty) in tkg:
            assert str(rng).startswith(str(vocab.XSD)), (prop, rng)
        else:
            assert rng in classes, (prop, rng)


@pytest.mark.parametrize(
    ("term", "relation", "external"),
    [
        (TKG.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
        (TKG.Statement, RDFS.subClassOf, SCHEMA.Claim),
        (TKG.StatementMention, RDFS.subClassOf, SCHEMA.Quotation),
        (TKG.Event, RDFS.subClassOf, SEM.Event),
        (TKG.Actor, RDFS.subClassOf, SEM.Actor),
        (TKG.Actor, RDFS.subClassOf, PROV.Agent),
        (TKG.Person, RDFS.subClassOf, SCHEMA.Person),
        (TKG.Organisation, RDFS.subClassOf, SCHEMA.Organization),
        (TKG.Group, RDFS.subClassOf, TKG.Actor),
        (TKG.Place, RDFS.subClassOf, SEM.Place),
        (TKG.Topic, RDFS.subClassOf, SKOS.Concept),
        (TKG.EventType, RDFS.subClassOf, SEM.EventType),
        (TKG.EventType, RDFS.subClassOf, SKOS.Concept),
        (TKG.TimeInterval, RDFS.subClassOf, vocab.TIME.Interval),
        (TKG.Evidence, RDFS.subClassOf, OA.TextPositionSelector),
        (TKG.citedBy, RDFS.subPropertyOf, CITO.isCitedBy),
        (TKG.contradicts, RDFS.subPropertyOf, CITO.disagreesWith),
        (TKG.contradicts, RDF.type, OWL.SymmetricProperty),
        (TKG.about, RDFS.subPropertyOf, SCHEMA.about),
        (TKG.speaker, RDFS.subPropertyOf, PROV.wasAttributedTo),
        (TKG.hasMention, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (TKG.topic, RDFS.subPropertyOf, DCTERMS.subject),
        (TKG.participant, RDFS.subPropertyOf, SEM.hasActor),
        (TKG.place, RDFS.subPropertyOf, SEM.hasPlace),
        (TKG.publishedOn, RDFS.subPropertyOf, SCHEMA.datePublished),
        (TKG.begin, RDFS.subPropertyOf, SEM.hasBeginTimeStamp),
        (TKG.end, RDFS.subPropertyOf, SEM.hasEndTimeStamp),
        (TKG.quote, RDFS.subPropertyOf, SCHEMA.text),
        (TKG.start, RDFS.subPropertyOf, OA.start),
        (TKG.endOffset, RDFS.subPropertyOf, OA.end),
        (TKG.citedBy, RDFS.range, TKG.Article),
        (TKG.saidOn, RDFS.range, TKG.TimeInterval),
        (TKG.publishedOn, RDFS.range, vocab.XSD.date),
        (TKG.confidence, RDFS.range, vocab.XSD.decimal),
    ],
)
def test_alignment(tkg: Graph, term: URIRef, relation: URIRef, external: URIRef) -> None:
    assert (term, relation, external) in tkg


def test_the_namespace_is_closed() -> None:
    with pytest.raises(AttributeError, match="speakr"):
        TKG.speakr  # noqa: B018 - the typo must raise


@pytest.mark.parametrize(
    ("node_id", "expected"),
    [
        ("statement/ab12cd34", BASE_IRI + "statement/ab12cd34"),
        ("actor/vladimir-putin", BASE_IRI + "actor/vladimir-putin"),
        ("event-mention/0f0f", BASE_IRI + "event-mention/0f0f"),
    ],
)
def test_ids_map_to_iris_and_back(node_id: str, expected: str) -> None:
    assert str(iri(node_id)) == expected
    assert id_of(iri(node_id)) == node_id


@pytest.mark.parametrize("bad", ["", "/statement/x"])
def test_a_non_id_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not an id"):
        iri(bad)


def test_an_iri_outside_the_base_has_no_id() -> None:
    with pytest.raises(ValueError, match="not under the project base"):
        id_of("http://example.org/statement/x")


@pytest.mark.parametrize(
    ("mint", "value", "expected"),
    [
        (topic_iri, "war-conduct", "topic/war-conduct"),
        (event_type_iri, "air-strike", "event-type/air-strike"),
        (article_iri, "000_99abdfa5ef970735", "article/000_99abdfa5ef970735"),
        (article_iri, "bbc/2022 10/x", "article/bbc%2F2022%2010%2Fx"),
        (article_graph, "000_99abdfa5ef970735", "graph/article/000_99abdfa5ef970735"),
        (time_iri, "2022-03-20/2022-03-31", "time/2022-03-20%2F2022-03-31"),
        (instant_iri, date(2022, 10, 14), "time/instant/2022-10-14"),
    ],
)
def test_minted_iris(mint, value, expected: str) -> None:
    assert str(mint(value)) == BASE_IRI + expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (Actor("vladimir-putin", "Vladimir Putin"), "actor/vladimir-putin"),
        (Actor("actor/vladimir-putin", "Vladimir Putin"), "actor/vladimir-putin"),
        (
            Actor("", "Former defence attaché Simon Diggins"),
            "actor/former-defence-attache-simon-diggins",
        ),
    ],
)
def test_actor_iris_use_the_id_or_else_the_name(actor: Actor, expected: str) -> None:
    assert str(actor_iri(actor)) == BASE_IRI + expected


def test_evidence_iris_depend_on_article_and_offsets_only() -> None:
    assert evidence_iri("a", 1, 5) == evidence_iri("a", 1, 5)
    assert len({evidence_iri("a", 1, 5), evidence_iri("a", 1, 6), evidence_iri("b", 1, 5)}) == 3


@given(st.text(min_size=1))
def test_any_article_id_gives_a_reversible_graph_and_article_iri(article_id: str) -> None:
    assert segment_of(article_iri(article_id), "article") == article_id
    assert is_article_graph(article_graph(article_id))
    assert " " not in article_iri(article_id) and "#" not in article_graph(article_id)


def test_segment_of_refuses_another_kind() -> None:
    with pytest.raises(ValueError, match="not a 'topic' IRI"):
        segment_of(event_type_iri("summit"), "topic")


def test_ontology_files_leave_out_the_shapes(tmp_path: Path) -> None:
    for name in ("tkg.ttl", "shapes.ttl", "topics.ttl", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "verbs.ttl").write_text("", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in ontology_files(tmp_path)] == [
        "lexicon/verbs.ttl",
        "tkg.ttl",
        "topics.ttl",
    ]


@pytest.mark.parametrize("path", ["graph/export.py", "graph/store.py", "ontology/shapes.ttl"])
def test_terms_written_as_text_are_in_the_vocabulary(path: str) -> None:
    """SPARQL strings and shapes name terms as text, where a typo would not fail loudly."""
    text = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    names = set(re.findall(r"\btkg:(\w+)", text))
    names |= set(re.findall(re.escape(VOCAB_IRI) + r"(\w+)", text))
    assert names, path
    assert sorted(names - set(TKG.__annotations__)) == []
