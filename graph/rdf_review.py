"""Review decisions as triples of their own named graph, and back."""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF

from graph import ids, vocab
from graph.model import Review
from graph.vocab import REVIEW_GRAPH, TKG

Quad = tuple


def review_iri(review: Review):
    return vocab.iri(ids.review_id(review.kind, review.verdict, review.relation_type,
                                   list(review.source), list(review.target)))


def review_quads(review: Review) -> list[Quad]:
    """The quads of one decision in the review graph."""
    node = review_iri(review)
    triples = [
        (node, RDF.type, TKG.Review),
        (node, TKG.reviewKind, Literal(review.kind)),
        (node, TKG.verdict, Literal(review.verdict)),
        (node, TKG.note, Literal(review.note)),
    ]
    if review.relation_type:
        triples.append((node, TKG.reviewedType, Literal(review.relation_type)))
    triples += [(node, TKG.reviewSource, vocab.iri(m)) for m in review.source]
    triples += [(node, TKG.reviewTarget, vocab.iri(m)) for m in review.target]
    return [(s, p, o, REVIEW_GRAPH) for s, p, o in triples]


def reviews_from_graph(graph: Graph) -> list[Review]:
    """Every decision of the review graph, in a stable order."""
    found = []
    for node in sorted(set(graph.subjects(RDF.type, TKG.Review))):
        relation_type = graph.value(node, TKG.reviewedType)
        found.append(Review(
            kind=str(graph.value(node, TKG.reviewKind)),  # type: ignore[arg-type]
            verdict=str(graph.value(node, TKG.verdict)),  # type: ignore[arg-type]
            source=tuple(sorted(vocab.id_of(m) for m in graph.objects(node, TKG.reviewSource))),
            target=tuple(sorted(vocab.id_of(m) for m in graph.objects(node, TKG.reviewTarget))),
            relation_type=str(relation_type) if relation_type is not None else None,
            note=str(graph.value(node, TKG.note) or ""),
        ))
    return found
