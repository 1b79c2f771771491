"""Names: the closed ``tkg:`` vocabulary, the namespaces it aligns with, and the IRIs we mint.

``TKG`` is a closed namespace: ``TKG.speakr`` raises ``AttributeError`` instead of silently writing
a new predicate, and ``tests/test_vocab.py`` checks it term for term against ``ontology/tkg.ttl``.

Every IRI the project mints is built here, from content, under :data:`graph.config.BASE_IRI`
(never a blank node). Ids from :mod:`graph.ids` (``statement/…``, ``actor/…``) map to
``BASE + id``; strings that are not ids (article ids, slugs, TimeML values, place names) are
percent-encoded into one path segment, so any string gives a valid IRI and can be read back.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import quote, unquote

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
    Namespace,
)

from graph import ids
from graph.config import BASE_IRI, ONTOLOGY_DIR, VOCAB_IRI
from graph.model import Actor

SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
CITO = Namespace("http://purl.org/spar/cito/")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
BASE = Namespace(BASE_IRI)

#: The file of SHACL shapes (not vocabulary: never loaded into the ontology graph).
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


class TKG(DefinedNamespace):
    """The project's vocabulary, ``ontology/tkg.ttl``; unknown terms raise."""

    _NS = Namespace(VOCAB_IRI)
    _fail = True

    # Classes
    Article: URIRef
    Statement: URIRef
    StatementMention: URIRef
    Event: URIRef
    EventMention: URIRef
    Actor: URIRef
    Person: URIRef
    Organisation: URIRef
    Group: URIRef
    Place: URIRef
    Topic: URIRef
    EventType: URIRef
    Role: URIRef
    RoleTenure: URIRef
    Evidence: URIRef
    Relation: URIRef
    TimeInterval: URIRef
    # Object properties
    citedBy: URIRef
    contradicts: URIRef
    causes: URIRef
    about: URIRef
    repeats: URIRef
    supports: URIRef
    speaker: URIRef
    evidence: URIRef
    cueSpan: URIRef
    saidOn: URIRef
    happenedOn: URIRef
    precisionUnit: URIRef
    topic: URIRef
    hasMention: URIRef
    inArticle: URIRef
    eventType: URIRef
    participant: URIRef
    place: URIRef
    holder: URIRef
    role: URIRef
    relationSource: URIRef
    relationTarget: URIRef
    furniture: URIRef
    # Datatype properties
    publishedOn: URIRef
    begin: URIRef
    end: URIRef
    precision: URIRef
    timemlValue: URIRef
    dateAnchor: URIRef
    dateNote: URIRef
    quote: URIRef
    cue: URIRef
    speakerResolution: URIRef
    statementKind: URIRef
    index: URIRef
    spanOrder: URIRef
    participantOrder: URIRef
    speakerDescription: URIRef
    start: URIRef
    endOffset: URIRef
    text: URIRef
    source: URIRef
    url: URIRef
    contentHash: URIRef
    linkedContent: URIRef
    itemJson: URIRef
    itemKey: URIRef
    itemDates: URIRef
    nameKey: URIRef
    linkState: URIRef
    itemSource: URIRef
    searchText: URIRef
    warning: URIRef
    wikidata: URIRef
    description: URIRef
    placeKind: URIRef
    Review: URIRef
    reviewKind: URIRef
    verdict: URIRef
    reviewedType: URIRef
    reviewSource: URIRef
    reviewTarget: URIRef
    note: URIRef
    Publisher: URIRef
    authorRole: URIRef
    relationType: URIRef
    explanation: URIRef
    confidence: URIRef
    trigger: URIRef
    validFrom: URIRef
    validUntil: URIRef
    cameoCode: URIRef
    gender: URIRef


#: Prefixes for readable Turtle/TriG output.
PREFIXES: dict[str, str] = {
    "tkg": VOCAB_IRI,
    "id": BASE_IRI,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "time": str(TIME),
    "sem": str(SEM),
    "schema": str(SCHEMA),
    "cito": str(CITO),
    "oa": str(OA),
    "wd": str(WD),
}

LINKS_GRAPH = URIRef(f"{BASE_IRI}graph/links")
ONTOLOGY_GRAPH = URIRef(f"{BASE_IRI}graph/ontology")
REVIEW_GRAPH = URIRef(f"{BASE_IRI}graph/review")
#: The read model (:mod:`graph.read_model`): derived from the links graph, left out of exports.
ITEMS_GRAPH = URIRef(f"{BASE_IRI}graph/items")
_ARTICLE_GRAPH_PREFIX = f"{BASE_IRI}graph/article/"
#: Characters an IRI may not hold (RFC 3987 and SPARQL's IRIREF): text holding one cannot be
#: written between ``<`` and ``>`` in a query, nor name anything the store holds.
NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _segment(text: str) -> str:
    return quote(text, safe="")


def iri(node_id: str) -> URIRef:
    """The IRI of an id from :mod:`graph.ids`: ``statement/ab12`` → ``…/id/statement/ab12``."""
    if not node_id or node_id.startswith("/"):
        raise ValueError(f"not an id: {node_id!r} (expected KIND/NAME, e.g. 'statement/ab12')")
    return URIRef(BASE_IRI + node_id)


def id_of(node: str) -> str:
    """The id of an IRI minted by :func:`iri` (the inverse)."""
    if not node.startswith(BASE_IRI):
        raise ValueError(f"IRI {node!r} is not under the project base {BASE_IRI!r}")
    return node[len(BASE_IRI):]


def segment_of(node: str, kind: str) -> str:
    """The decoded last segment of a ``…/id/<kind>/<segment>`` IRI (a slug, article id …)."""
    prefix = f"{BASE_IRI}{kind}/"
    if not node.startswith(prefix):
        raise ValueError(f"IRI {node!r} is not a {kind!r} IRI (expected the prefix {prefix!r})")
    return unquote(node[len(prefix):])


def article_iri(article_id: str) -> URIRef:
    return URIRef(f"{BASE_IRI}article/{_segment(article_id)}")


def article_graph(article_id: str) -> URIRef:
    """The named graph holding one article and what was read from it."""
    return URIRef(_ARTICLE_GRAPH_PREFIX + _segment(article_id))


def is_article_graph(graph_name: str) -> bool:
    return graph_name.startswith(_ARTICLE_GRAPH_PREFIX)


def actor_iri(actor: Actor) -> URIRef:
    """``…/id/actor/<Actor.id>``; from the name (:func:`graph.ids.actor_id`) when id is empty."""
    if not actor.id:
        return iri(ids.actor_id(actor.name))
    return URIRef(f"{BASE_IRI}actor/{_segment(actor.id.removeprefix('actor/'))}")


def topic_iri(slug: str) -> URIRef:
    return URIRef(f"{BASE_IRI}topic/{_segment(slug)}")


def event_type_iri(slug: str) -> URIRef:
    return URIRef(f"{BASE_IRI}event-type/{_segment(slug)}")


def evidence_iri(article_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{BASE_IRI}evidence/{ids.digest(article_id, start, end)}")


def time_iri(value: str) -> URIRef:
    """A time interval, named after its TimeML value (``2022-03-20/2022-03-31`` is one segment)."""
    return URIRef(f"{BASE_IRI}time/{_segment(value)}")


def instant_iri(day: date) -> URIRef:
    return URIRef(f"{BASE_IRI}time/instant/{day.isoformat()}")


def wikidata_iri(qid: str) -> URIRef:
    return WD[qid]


def ontology_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """The Turtle files loaded into the ontology graph: every ``*.ttl`` but the SHACL shapes."""
    return sorted(p for p in directory.rglob("*.ttl") if p.name != SHAPES_FILE.name)
