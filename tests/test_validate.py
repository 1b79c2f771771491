"""SHACL: what we build conforms, and one broken example per rule does not (naming the rule)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from fixtures_rdf import SCHEME_TTL, extraction_000, extractions, filled_store, linked, mention_id
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from graph import rdf, vocab
from graph.config import ONTOLOGY_DIR
from graph.model import Relation
from graph.store import Store
from graph.validate import shapes_graph, validate, validate_graph
from graph.vocab import RDFS, SKOS, TKG, article_iri, iri

__all__ = ["filled_store"]  # the fixture, imported explicitly (conftest.py is not ours)

X000 = extraction_000()
STATEMENT = iri(linked()[0][4].id)  # Putin's Kursk "failure", cited by two articles
MENTION = iri(mention_id(X000.statements[0]))
EVENT = iri(linked()[1][1].id)
EVENT_MENTION = iri(mention_id(X000.events[1]))
ARTICLE = article_iri(X000.article.id)
PUTIN = iri("actor/vladimir-putin")
CONTRADICTS = iri(rdf.ids.relation_id("contradicts", linked()[2][0].source, linked()[2][0].target))
INTERVAL = iri("time/2022-10-14")


def evidence_of(graph: Graph) -> URIRef:
    return graph.value(MENTION, TKG.evidence)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


@pytest.fixture(scope="module")
def built() -> Graph:
    """The union of everything the fixtures build, with the vocabulary and the stand-in schemes."""
    graph = Graph().parse(ONTOLOGY_DIR / "tkg.ttl", format="turtle")
    graph.parse(data=SCHEME_TTL, format="turtle")
    quads = [q for x in extractions() for q in rdf.article_quads(x)] + rdf.links_quads(*linked())
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    return graph


def test_the_shapes_file_parses_and_has_no_blank_nodes(shapes: Graph) -> None:
    assert len(shapes) > 100
    assert not [t for t in shapes if any(isinstance(x, BNode) for x in t)]


def test_what_we_build_conforms(built: Graph, shapes: Graph) -> None:
    conforms, report = validate_graph(built, shapes)
    assert conforms, report


def test_a_filled_store_conforms(filled_store: Store) -> None:
    conforms, report = validate(filled_store)
    assert conforms, report


def test_a_store_with_a_self_contradiction_does_not(filled_store: Store) -> None:
    statement = linked()[0][0].id
    bad = Relation("contradicts", statement, statement, "a slip of the linker", 0.5)
    filled_store.replace_links(rdf.links_quads(*linked()[:2], [bad]))
    conforms, report = validate(filled_store)
    assert not conforms
    assert "tkgsh:Relation-source" in report and "tkgsh:Statement-not-self-contradicting" in report


def _set(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    return lambda g: g.set((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))


def _add(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    return lambda g: g.add((s, p, o if isinstance(o, (URIRef, Literal)) else Literal(o)))


def _drop(s: URIRef | None, p: URIRef) -> Callable[[Graph], None]:
    return lambda g: g.remove((s, p, None))


def _on_evidence(p: URIRef, value: object) -> Callable[[Graph], None]:
    return lambda g: g.set((evidence_of(g), p, Literal(value)))


BROKEN = {  # what breaks → (change, the shape that must report it)
    "statement without speaker": (_drop(STATEMENT, TKG.speaker), "tkgsh:speaker"),
    "statement with two speakers": (
        _add(STATEMENT, TKG.speaker, iri("actor/simon-diggins")),
        "tkgsh:speaker",
    ),
    "statement cited by no article": (_drop(STATEMENT, TKG.citedBy), "tkgsh:Statement-citedBy"),
    "statement without mention": (_drop(STATEMENT, TKG.hasMention), "tkgsh:Statement-hasMention"),
    "statement with two quotes": (_add(STATEMENT, TKG.quote, "he achieved nothing"), "tkgsh:quote"),
    "statement ending before it begins": (
        _set(STATEMENT, TKG.begin, date(2024, 9, 6)),
        "tkgsh:begin",
    ),
    "statement contradicting itself": (
        _add(STATEMENT, TKG.contradicts, STATEMENT),
        "tkgsh:Statement-not-self-contradicting",
    ),
    "statement with an unknown precision": (
        _set(STATEMENT, TKG.precision, "fortnight"),
        "tkgsh:precision",
    ),
    "mention without evidence": (_drop(MENTION, TKG.evidence), "tkgsh:evidence"),
    "mention in two articles": (
        _add(MENTION, TKG.inArticle, article_iri(extractions()[1].article.id)),
        "tkgsh:inArticle",
    ),
    "mention without speaker": (_drop(MENTION, TKG.speaker), "tkgsh:speaker"),
    "mention with an unknown resolution": (
        _set(MENTION, TKG.speakerResolution, "guessed"),
        "tkgsh:StatementMention-resolution",
    ),
    "mention with an unknown kind": (
        _set(MENTION, TKG.statementKind, "rumour"),
        "tkgsh:StatementMention-kind",
    ),
    "mention on a topic outside the scheme": (
        _add(MENTION, TKG.topic, iri("topic/elections")),
        "tkgsh:topic",
    ),
    "evidence that ends where it starts": (
        lambda g: g.set((evidence_of(g), TKG.start, g.value(evidence_of(g), TKG.endOffset))),
        "tkgsh:Evidence-start",
    ),
    "evidence with a negative start": (_on_evidence(TKG.start, -3), "tkgsh:Evidence-start"),
    "evidence whose text is not the article's": (
        lambda g: g.set(
            (evidence_of(g), TKG.text, Literal("x" * len(str(g.value(evidence_of(g), TKG.text)))))
        ),
        "tkgsh:Evidence-text-matches",
    ),
    "evidence without text": (
        lambda g: g.remove((evidence_of(g), TKG.text, None)),
        "tkgsh:Evidence-text",
    ),
    "article published twice": (
        _add(ARTICLE, TKG.publishedOn, date(2022, 10, 15)),
        "tkgsh:Article-published",
    ),
    "article published on a string": (
        _set(ARTICLE, TKG.publishedOn, "14 October 2022"),
        "tkgsh:Article-published",
    ),
    "relation of an unknown type": (
        _set(CONTRADICTS, TKG.relationType, "refutes"),
        "tkgsh:Relation-type",
    ),
    "relation without explanation": (
        _drop(CONTRADICTS, TKG.explanation),
        "tkgsh:Relation-explanation",
    ),
    "relation surer than certain": (
        _set(CONTRADICTS, TKG.confidence, Literal(Decimal("1.5"))),
        "tkgsh:Relation-confidence",
    ),
    "relation from a node to itself": (
        lambda g: g.set(
            (CONTRADICTS, TKG.relationTarget, g.value(CONTRADICTS, TKG.relationSource))
        ),
        "tkgsh:Relation-source",
    ),
    "actor with two names": (
        _add(PUTIN, SKOS.prefLabel, Literal("Wladimir Putin", lang="de")),
        "tkgsh:Actor-name",
    ),
    "actor without a name": (_drop(PUTIN, SKOS.prefLabel), "tkgsh:Actor-name"),
    "actor with a malformed QID": (_set(PUTIN, TKG.wikidata, "7747"), "tkgsh:Actor-wikidata"),
    "topic outside any scheme": (
        _drop(iri("topic/mobilisation"), SKOS.inScheme),
        "tkgsh:Concept-inScheme",
    ),
    "event without mention": (_drop(EVENT, TKG.hasMention), "tkgsh:Event-hasMention"),
    "event without label": (_drop(EVENT, RDFS.label), "tkgsh:label"),
    "event mention of an unknown type": (
        _set(EVENT_MENTION, TKG.eventType, iri("event-type/riot")),
        "tkgsh:eventType",
    ),
    "event mention in no article": (_drop(EVENT_MENTION, TKG.inArticle), "tkgsh:inArticle"),
    "interval with two beginnings": (
        _add(INTERVAL, vocab.TIME.hasBeginning, iri("time/instant/2022-10-13")),
        "tkgsh:TimeInterval-beginning",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_each_broken_example_fails_its_rule(built: Graph, shapes: Graph, case: str) -> None:
    change, shape = BROKEN[case]
    graph = Graph()
    graph += built
    change(graph)
    conforms, report = validate_graph(graph, shapes)
    assert not conforms
    assert shape in report, report


def test_every_shape_with_a_message_is_exercised(shapes: Graph) -> None:
    """Each shape with a message has a broken example above, or is listed here as untested."""
    named = {shapes.namespace_manager.normalizeUri(s) for s in shapes.subjects(SH.message, None)}
    covered = {shape for _, shape in BROKEN.values()}
    untested = {
        "tkgsh:end",
        "tkgsh:index",
        "tkgsh:eventType",
        "tkgsh:Article-identifier",
        "tkgsh:Article-text",
        "tkgsh:Article-hash",
        "tkgsh:Article-furniture",
        "tkgsh:Evidence-end",
        "tkgsh:StatementMention-cue",
        "tkgsh:EventMention-place",
        "tkgsh:Relation-target",
        "tkgsh:Relation-evidence",
        "tkgsh:Concept-prefLabel",
        "tkgsh:TimeInterval-end",
        "tkgsh:RoleTenure-holder",
        "tkgsh:RoleTenure-role",
        "tkgsh:RoleTenure-from",
        "tkgsh:RoleTenure-until",
    }
    assert named - covered <= untested, named - covered - untested
