"""Knowledge shipped as data in ``ontology/``: actors and roles, topics, event types, lexicons.

Everything is read once per process from the Turtle files and turned into plain frozen
dataclasses; the reader never sees RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from graph.config import BASE_IRI, ONTOLOGY_DIR, VOCAB_IRI

TKG = Namespace(VOCAB_IRI)
LEXICON = BASE_IRI + "lexicon/"


@dataclass(frozen=True)
class ActorEntry:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str  # person | organisation | group
    wikidata: str | None
    gender: str | None
    #: Metonyms that name the actor in text but are not its names ("Moscow" for the government).
    hidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tenure:
    holder: str  # actor id
    role: str  # role id
    start: date | None
    end: date | None

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class RoleEntry:
    id: str
    label: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    """A SKOS concept: a topic or an event type."""

    id: str
    label: str
    labels: tuple[str, ...]  # prefLabel and altLabels, lowercase
    cues: tuple[str, ...]  # hiddenLabels: lemmas and lemma phrases, lowercase
    broader: tuple[str, ...] = ()
    cameo: str | None = None


@dataclass(frozen=True)
class Publisher:
    """A publisher of an office's first-person documents."""

    labels: tuple[str, ...]  # names and web domains, lowercase
    role: str  # role id


@dataclass(frozen=True)
class Knowledge:
    actors: tuple[ActorEntry, ...]
    roles: tuple[RoleEntry, ...]
    tenures: tuple[Tenure, ...]
    topics: tuple[Concept, ...]
    event_types: tuple[Concept, ...]
    reporting_verbs: frozenset[str]
    denial_verbs: frozenset[str]
    source_phrases: tuple[str, ...]
    unnamed_sources: frozenset[str]
    #: Assessment polarity lexicon: phrases judging a matter as going well / badly.
    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    #: Stance lexicon: phrases for / against the matter a statement is about.
    stance_for: tuple[str, ...] = ()
    stance_against: tuple[str, ...] = ()
    #: Place label (lowercase) → the labels of every place containing it, itself included.
    places: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Labels (lowercase) of places inside another place: cities, regions, landmarks.
    local_places: frozenset[str] = frozenset()
    publishers: tuple[Publisher, ...] = ()
    #: Near-synonym sets: set id → its words (lowercase lemmas).
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _id(iri: object, kind: str) -> str:
    text = str(iri)
    prefix = f"{BASE_IRI}{kind}/"
    return text[len(prefix):] if text.startswith(prefix) else text.rsplit("/", 1)[-1]


def _texts(graph: Graph, subject: object, predicate: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal))


def _one(graph: Graph, subject: object, predicate: URIRef) -> str | None:
    values = _texts(graph, subject, predicate)
    return values[0] if values else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _concepts(graph: Graph, kind: str, cls: URIRef) -> tuple[Concept, ...]:
    concepts = []
    for subject in sorted(set(graph.subjects(RDF.type, cls))):
        label = _one(graph, subject, SKOS.prefLabel) or _id(subject, kind)
        labels = [label, *_texts(graph, subject, SKOS.altLabel)]
        concepts.append(
            Concept(
                id=_id(subject, kind),
                label=label,
                labels=tuple(dict.fromkeys(x.lower() for x in labels)),
                cues=tuple(dict.fromkeys(x.lower() for x in _texts(graph, subject, SKOS.hiddenLabel))),
                broader=tuple(sorted(_id(b, kind) for b in graph.objects(subject, SKOS.broader))),
                cameo=_one(graph, subject, TKG.cameoCode),
            )
        )
    return tuple(concepts)


def _members(graph: Graph, scheme: str) -> list[str]:
    """prefLabels of the concepts in (or under) a lexicon scheme or collection."""
    node = URIRef(LEXICON + scheme)
    found = set(graph.subjects(SKOS.inScheme, node)) | set(graph.objects(node, SKOS.member))
    found |= set(graph.subjects(SKOS.broader, node))
    labels: list[str] = []
    for concept in found:
        labels.extend(_texts(graph, concept, SKOS.prefLabel))
        labels.extend(_texts(graph, concept, SKOS.altLabel))
    return sorted({label.lower() for label in labels})


def _actor_kind(graph: Graph, subject: object) -> str:
    types = set(graph.objects(subject, RDF.type))
    if TKG.Organisation in types:
        return "organisation"
    if TKG.Group in types:
        return "group"
    return "person"


@lru_cache(maxsize=4)
def load(directory: Path = ONTOLOGY_DIR) -> Knowledge:
    """Read the actor, topic, event-type and lexicon files of ``directory``."""
    graph = Graph()
    for name in ("actors.ttl", "topics.ttl", "event-types.ttl", "lexicon.ttl", "assessment.ttl", "places.ttl",
                 "sources.ttl", "synonyms.ttl"):
        path = directory / name
        if not path.exists():
            raise FileNotFoundError(f"knowledge file missing: {path}")
        graph.parse(path, format="turtle")
    actors = []
    for cls in (TKG.Person, TKG.Organisation, TKG.Group):
        for subject in sorted(set(graph.subjects(RDF.type, cls))):
            name = _one(graph, subject, SKOS.prefLabel)
            if name is None:
                continue
            wikidata = _one(graph, subject, TKG.wikidata)
            if wikidata is None:
                same = [str(o) for o in graph.objects(subject, OWL.sameAs) if "wikidata" in str(o)]
                wikidata = same[0].rsplit("/", 1)[-1] if same else None
            actors.append(
                ActorEntry(
                    id=_id(subject, "actor"),
                    name=name,
                    aliases=tuple(_texts(graph, subject, SKOS.altLabel)),
                    kind=_actor_kind(graph, subject),
                    wikidata=wikidata,
                    gender=_one(graph, subject, TKG.gender),
                    hidden=tuple(_texts(graph, subject, SKOS.hiddenLabel)),
                )
            )
    roles = tuple(
        RoleEntry(
            id=_id(s, "role"),
            label=_one(graph, s, SKOS.prefLabel) or _id(s, "role"),
            phrases=tuple(
                dict.fromkeys(
                    p.lower()
                    for p in _texts(graph, s, SKOS.prefLabel) + _texts(graph, s, SKOS.altLabel)
                )
            ),
        )
        for s in sorted(set(graph.subjects(RDF.type, TKG.Role)))
    )
    tenures = tuple(
        Tenure(
            holder=_id(graph.value(s, TKG.holder), "actor"),
            role=_id(graph.value(s, TKG.role), "role"),
            start=_date(_one(graph, s, TKG.validFrom)),
            end=_date(_one(graph, s, TKG.validUntil)),
        )
        for s in sorted(set(graph.subjects(RDF.type, TKG.RoleTenure)))
        if graph.value(s, TKG.holder) is not None and graph.value(s, TKG.role) is not None
    )
    return Knowledge(
        actors=tuple(actors),
        roles=roles,
        tenures=tenures,
        topics=_concepts(graph, "topic", TKG.Topic),
        event_types=_concepts(graph, "event-type", TKG.EventType),
        reporting_verbs=frozenset(_members(graph, "reporting-verbs")),
        denial_verbs=frozenset(_members(graph, "denial-verbs")),
        source_phrases=tuple(_members(graph, "source-phrases")),
        unnamed_sources=frozenset(_members(graph, "unnamed-sources")),
        places=_places(graph),
        local_places=frozenset(
            label.lower()
            for place in graph.subjects(SKOS.broader, None)
            if (place, RDF.type, TKG.Place) in graph
            for label in _texts(graph, place, SKOS.prefLabel) + _texts(graph, place, SKOS.altLabel)
        ),
        publishers=tuple(
            Publisher(
                labels=tuple(x.lower() for x in _texts(graph, p, SKOS.prefLabel) + _texts(graph, p, SKOS.altLabel)
                             + _texts(graph, p, SKOS.hiddenLabel)),
                role=_id(graph.value(p, TKG.authorRole), "role"),
            )
            for p in sorted(set(graph.subjects(RDF.type, TKG.Publisher)))
            if graph.value(p, TKG.authorRole) is not None
        ),
        synonyms={
            _id(c, "lexicon/synonyms"): tuple(
                x.lower() for x in _texts(graph, c, SKOS.prefLabel) + _texts(graph, c, SKOS.altLabel)
            )
            for c in sorted(set(graph.subjects(SKOS.inScheme, URIRef(LEXICON + "synonyms/scheme"))))
        },
        positive=_assessment(graph, "positive"),
        negative=_assessment(graph, "negative"),
        stance_for=_assessment(graph, "for"),
        stance_against=_assessment(graph, "against"),
    )


def _places(graph: Graph) -> dict[str, frozenset[str]]:
    """Every label of every place, mapped to the labels of all places containing it."""
    labels = {
        place: {x.lower() for x in _texts(graph, place, SKOS.prefLabel) + _texts(graph, place, SKOS.altLabel)
                + _texts(graph, place, SKOS.hiddenLabel)}
        for place in set(graph.subjects(RDF.type, TKG.Place))
    }
    result: dict[str, frozenset[str]] = {}
    for place, own in labels.items():
        within = set(own)
        seen = {place}
        frontier = list(graph.objects(place, SKOS.broader))
        while frontier:
            parent = frontier.pop()
            if parent in seen or parent not in labels:
                continue
            seen.add(parent)
            within |= labels[parent]
            frontier.extend(graph.objects(parent, SKOS.broader))
        for label in own:
            result[label] = frozenset(within)
    return result


def _assessment(graph: Graph, polarity: str) -> tuple[str, ...]:
    concept = URIRef(f"{LEXICON}assessment/{polarity}")
    return tuple(sorted(x.lower() for x in _texts(graph, concept, SKOS.hiddenLabel)))
