"""Exports of the store: RDF serialisations and the JSON contract, through a writer registry.

``export(store, format, fp)`` looks ``format`` up in a registry of writers. Built in: the RDF
formats of :data:`graph.store.FORMATS` (``turtle``, ``ntriples``, ``rdfxml`` hold the union of
all graphs; ``trig``, ``nquads``, ``jsonld`` keep the named graphs) and ``json``. Other modules
add theirs with :func:`register_writer`; ``graphml`` is drawn by :mod:`graph.analysis`.

The JSON document is the project's contract (``graph/evaluate.py`` scores it), computed by
SPARQL from what the store holds::

    {"articles": [{id, title, published, source, url}],
     "statements": [{id, speaker: {id, name, aliases, wikidata},
                     date: {value, begin, end, precision}, topics, quote,
                     evidence: [{article, start, end, text}], cited_by, about, mentions}],
     "events": [{id, label, type, date, evidence, mentions}],
     "relations": [{type, source, target, explanation, confidence}]}

Statements and events are the merged nodes of the links graph, with the evidence of all their
mentions. Every list is sorted: statements and events by begin date (undated last), then id.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from graph import ids
from graph.store import FORMATS, Row, Store
from graph.vocab import LINKS_GRAPH, ONTOLOGY_GRAPH, id_of, segment_of, topic_iri

Writer = Callable[[Store, BinaryIO], None]
Item = dict[str, Any]

# ---------------------------------------------------------------- SPARQL

_DATE = """OPTIONAL { ?s tkg:timemlValue ?value } OPTIONAL { ?s tkg:begin ?begin }
        OPTIONAL { ?s tkg:end ?end } OPTIONAL { ?s tkg:precision ?precision }"""

_ARTICLES = """SELECT ?id ?title ?published ?source ?url WHERE { GRAPH ?g {
    ?a a tkg:Article ; dcterms:identifier ?id .
    OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a tkg:publishedOn ?published }
    OPTIONAL { ?a tkg:source ?source } OPTIONAL { ?a tkg:url ?url } } }"""

_STATEMENTS = """SELECT ?s ?actor ?quote ?value ?begin ?end ?precision WHERE {
    GRAPH ?links { ?s a tkg:Statement ; tkg:speaker ?actor ; tkg:quote ?quote . DATE }
    FILTERS }""".replace("DATE", _DATE)

_EVENTS = """SELECT ?s ?label ?type ?value ?begin ?end ?precision WHERE { GRAPH ?links {
    ?s a tkg:Event . OPTIONAL { ?s rdfs:label ?label } OPTIONAL { ?s tkg:eventType ?type }
    DATE } }""".replace("DATE", _DATE)

_SPEAKERS = """SELECT ?actor ?name ?wikidata WHERE { GRAPH ?links {
    ?s a tkg:Statement ; tkg:speaker ?actor . ?actor skos:prefLabel ?name .
    OPTIONAL { ?actor tkg:wikidata ?wikidata } } }"""

_ALIASES = """SELECT DISTINCT ?actor ?alias WHERE {
    GRAPH ?links { ?s a tkg:Statement ; tkg:speaker ?actor } ?actor skos:altLabel ?alias }"""

_LINKED = "SELECT ?s ?o WHERE {{ GRAPH ?links {{ ?s a ?class ; {predicate} ?o }} }}"

_MENTIONS = """SELECT ?s ?m ?article ?resolution ?kind ?cue ?note WHERE {
    GRAPH ?links { ?s a ?class ; tkg:hasMention ?m }
    OPTIONAL { ?m tkg:inArticle ?article } OPTIONAL { ?m tkg:speakerResolution ?resolution }
    OPTIONAL { ?m tkg:statementKind ?kind } OPTIONAL { ?m tkg:cue ?cue }
    OPTIONAL { ?m tkg:dateNote ?note } }"""

_EVIDENCE = """SELECT DISTINCT ?s ?article ?start ?end ?text WHERE {
    GRAPH ?links { ?s a ?class ; tkg:hasMention ?m }
    ?m tkg:evidence ?ev .
    ?ev tkg:inArticle ?article ; tkg:start ?start ; tkg:endOffset ?end ; tkg:text ?text }"""

_RELATIONS = """SELECT ?type ?source ?target ?explanation ?confidence WHERE { GRAPH ?links {
    ?r a tkg:Relation ; tkg:relationType ?type ;
       tkg:relationSource ?source ; tkg:relationTarget ?target .
    OPTIONAL { ?r tkg:explanation ?explanation } OPTIONAL { ?r tkg:confidence ?confidence } } }"""

_BY_SPEAKER = """FILTER EXISTS { ?actor skos:prefLabel|skos:altLabel ?speakerLabel .
        FILTER (LCASE(STR(?speakerLabel)) = LCASE(?speaker)) }"""
#: The topic's id and labels set flags (OPTIONAL), not EXISTS: Virtuoso 7.2 drops the speaker's
#: FILTER EXISTS beside a FILTER that ORs EXISTS blocks (tests/test_store_remote.py).
_BY_TOPIC = """OPTIONAL { GRAPH ?links { ?s tkg:topic ?topicIri } BIND (true AS ?topicById) }
    OPTIONAL { GRAPH ?links { ?s tkg:topic ?t }
               GRAPH ?ontology { ?t skos:prefLabel|skos:altLabel ?topicLabel }
               FILTER (LCASE(STR(?topicLabel)) = LCASE(?topic)) BIND (true AS ?topicByLabel) }
    FILTER (BOUND(?topicById) || BOUND(?topicByLabel) || (EVENT_WORDS))"""
#: One word of a topic name found in an event the statement is about (its label or mentions).
_EVENT_WORD = """EXISTS {{ GRAPH ?links {{ ?s tkg:about ?e }}
            {{ GRAPH ?links {{ ?e rdfs:label ?eventText }} }} UNION
            {{ GRAPH ?links {{ ?e tkg:hasMention ?m }} ?m tkg:evidence/tkg:text ?eventText }}
            FILTER (CONTAINS(LCASE(STR(?eventText)), ?{variable})) }}"""
_TOPIC_WORD = re.compile(r"\w{3,}")
_SINCE = "FILTER (BOUND(?end) && ?end >= ?since)"
_UNTIL = "FILTER (BOUND(?begin) && ?begin <= ?until)"


# ---------------------------------------------------------------- assembling the JSON


def _article_id(iri: str | None) -> str | None:
    return segment_of(iri, "article") if iri else None


def _date(row: Row) -> Item:
    return {key: row[key] for key in ("value", "begin", "end", "precision")}


def _chronological(item: Item) -> tuple[bool, str, str]:
    begin = item["date"]["begin"]
    return begin is None, begin or "", item["id"]


def _grouped(rows: list[Row], value: Callable[[Row], Any], key: str = "s") -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        groups[str(row[key])].append(value(row))
    return groups


def _evidence(store: Store) -> dict[str, list[Item]]:
    groups = _grouped(store.select(_EVIDENCE, links=LINKS_GRAPH), lambda r: {
        "article": _article_id(r["article"]), "start": int(str(r["start"])),
        "end": int(str(r["end"])), "text": r["text"]})
    return {k: sorted(v, key=lambda e: (e["article"], e["start"], e["end"]))
            for k, v in groups.items()}


def _mentions(store: Store) -> dict[str, list[Item]]:
    groups = _grouped(store.select(_MENTIONS, links=LINKS_GRAPH), lambda r: {
        "id": id_of(str(r["m"])), "article": _article_id(r["article"]),
        "speaker_resolution": r["resolution"], "kind": r["kind"], "cue": r["cue"],
        "date_note": r["note"]})
    return {k: sorted(v, key=lambda m: m["id"]) for k, v in groups.items()}


def _linked(store: Store, predicate: str, convert: Callable[[str], str]) -> dict[str, list[str]]:
    rows = store.select(_LINKED.format(predicate=predicate), links=LINKS_GRAPH)
    return {k: sorted(set(v)) for k, v in _grouped(rows, lambda r: convert(str(r["o"]))).items()}


def _speakers(store: Store) -> dict[str, Item]:
    aliases = _grouped(store.select(_ALIASES, links=LINKS_GRAPH), lambda r: r["alias"], "actor")
    rows = sorted(store.select(_SPEAKERS, links=LINKS_GRAPH), key=lambda r: (r["actor"], r["name"]))
    speakers: dict[str, Item] = {}
    for row in rows:
        actor = str(row["actor"])
        speakers.setdefault(actor, {"id": id_of(actor), "name": row["name"],
                                    "aliases": sorted(set(aliases.get(actor, [])) - {row["name"]}),
                                    "wikidata": row["wikidata"]})
    return speakers


def _statements(store: Store, filters: str = "", **bindings: Any) -> list[Item]:
    rows = store.select(_STATEMENTS.replace("FILTERS", filters), links=LINKS_GRAPH, **bindings)
    if not rows:
        return []
    speakers, evidence, mentions = _speakers(store), _evidence(store), _mentions(store)
    topics = _linked(store, "tkg:topic", lambda iri: segment_of(iri, "topic"))
    cited = _linked(store, "tkg:citedBy", lambda iri: segment_of(iri, "article"))
    about = _linked(store, "tkg:about", id_of)
    statements: dict[str, Item] = {}
    for row in rows:
        s, actor = str(row["s"]), str(row["actor"])
        unknown = {"id": id_of(actor), "name": None, "aliases": [], "wikidata": None}
        statements.setdefault(s, {
            "id": id_of(s), "speaker": dict(speakers.get(actor, unknown)), "date": _date(row),
            "topics": topics.get(s, []), "quote": row["quote"], "evidence": evidence.get(s, []),
            "cited_by": cited.get(s, []), "about": about.get(s, []),
            "mentions": mentions.get(s, []),
        })
    return sorted(statements.values(), key=_chronological)


def _events(store: Store) -> list[Item]:
    evidence, mentions = _evidence(store), _mentions(store)
    events: dict[str, Item] = {}
    for row in store.select(_EVENTS, links=LINKS_GRAPH):
        e = str(row["s"])
        events.setdefault(e, {
            "id": id_of(e), "label": row["label"],
            "type": segment_of(row["type"], "event-type") if row["type"] else None,
            "date": _date(row), "evidence": evidence.get(e, []),
            "mentions": [{"id": m["id"], "article": m["article"]} for m in mentions.get(e, [])],
        })
    return sorted(events.values(), key=_chronological)


def _relations(store: Store) -> list[Item]:
    relations = [
        {"type": r["type"], "source": id_of(str(r["source"])), "target": id_of(str(r["target"])),
         "explanation": r["explanation"],
         "confidence": None if r["confidence"] is None else float(r["confidence"])}
        for r in store.select(_RELATIONS, links=LINKS_GRAPH)
    ]
    return sorted(relations, key=lambda r: (r["type"], r["source"], r["target"]))


def graph_json(store: Store) -> dict[str, list[Item]]:
    """The JSON contract document for everything the store holds."""
    articles = sorted(store.select(_ARTICLES), key=lambda a: str(a["id"]))
    reviews = [
        {"kind": r.kind, "verdict": r.verdict, "relation_type": r.relation_type,
         "source": list(r.source), "target": list(r.target), "note": r.note}
        for r in store.reviews()
    ]
    return {"articles": articles, "statements": _statements(store), "events": _events(store),
            "relations": _relations(store), "reviews": reviews}


def statement_rows(store: Store, speaker: str | None = None, topic: str | None = None,
                   since: date | None = None, until: date | None = None) -> list[Item]:
    """Statements (in the JSON contract's shape) filtered in SPARQL, by date then id.

    ``speaker`` matches the speaker's name or any alias, ignoring case. ``topic`` matches a
    topic's slug, or its prefLabel or altLabel in the ontology graph (ignoring case), or is
    contained in the label of an event the statement is about. ``since``/``until`` keep the
    statements whose date window overlaps ``[since, until]``; undated ones then drop out.
    """
    filters, bindings = [], {}
    if speaker is not None:
        filters.append(_BY_SPEAKER)
        bindings["speaker"] = speaker.strip()
    if topic is not None:
        words = _TOPIC_WORD.findall(topic.lower()) or [topic.strip().lower()]
        event_words = " && ".join(_EVENT_WORD.format(variable=f"topicWord{i}") for i in range(len(words)))
        filters.append(_BY_TOPIC.replace("EVENT_WORDS", event_words))
        bindings.update(topic=topic.strip(), topicIri=topic_iri(ids.slug(topic)),
                        ontology=ONTOLOGY_GRAPH)
        bindings.update({f"topicWord{i}": word for i, word in enumerate(words)})
    if since is not None:
        filters.append(_SINCE)
        bindings["since"] = since
    if until is not None:
        filters.append(_UNTIL)
        bindings["until"] = until
    return _statements(store, "\n    ".join(filters), **bindings)


# ---------------------------------------------------------------- writers and the registry


def _write_rdf(format: str, store: Store, fp: BinaryIO) -> None:
    store.dump(format, fp)


def _write_json(store: Store, fp: BinaryIO) -> None:
    fp.write(json.dumps(graph_json(store), ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def _write_graphml(store: Store, fp: BinaryIO) -> None:
    from graph.analysis import graphml  # networkx is imported by graph.analysis only

    fp.write(graphml(graph_json(store)).encode("utf-8"))


_WRITERS: dict[str, Writer] = {"json": _write_json, "graphml": _write_graphml}
_WRITERS.update({name: partial(_write_rdf, name) for name in FORMATS})


def register_writer(format: str, writer: Writer) -> None:
    """Make ``export(store, format, fp)`` call ``writer(store, fp)`` (e.g. graphml)."""
    _WRITERS[format] = writer


def formats() -> list[str]:
    """The export formats available now."""
    return sorted(_WRITERS)


def export(store: Store, format: str, fp: BinaryIO) -> None:
    """Write the store to the binary file ``fp`` in ``format``."""
    writer = _WRITERS.get(format)
    if writer is None:
        raise ValueError(f"unknown export format {format!r}; "
                         f"available formats: {', '.join(formats())}")
    writer(store, fp)


def export_to_path(store: Store, format: str, path: Path) -> None:
    """Write to a temporary file beside ``path``, then rename it: a crash leaves the previous
    file intact."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as fp:
            export(store, format, fp)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
