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
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from graph.store import FORMATS, Row, Store
from graph.vocab import LINKS_GRAPH, NOT_IRI, ONTOLOGY_GRAPH, id_of, segment_of

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
    GRAPH ?links { ?s a tkg:Statement ; tkg:speaker ?actor ; tkg:quote ?quote . DATE } }""".replace("DATE", _DATE)

_EVENTS = """SELECT ?s ?label ?type ?value ?begin ?end ?precision WHERE { GRAPH ?links {
    ?s a tkg:Event . OPTIONAL { ?s rdfs:label ?label } OPTIONAL { ?s tkg:eventType ?type }
    DATE } }""".replace("DATE", _DATE)

_LABELS = "SELECT ?s ?label WHERE { GRAPH ?links { ?s a tkg:Event ; rdfs:label ?label } }"

_SPEAKERS = """SELECT ?actor ?name ?wikidata WHERE { GRAPH ?links {
    ?s a tkg:Statement ; tkg:speaker ?actor . ?actor skos:prefLabel ?name .
    OPTIONAL { ?actor tkg:wikidata ?wikidata } } }"""

_ALIASES = """SELECT DISTINCT ?actor ?alias WHERE {
    GRAPH ?links { ?s a tkg:Statement ; tkg:speaker ?actor . ?actor skos:altLabel ?alias } }"""

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

#: The same two, for given mentions (``VALUES ?m``) of given nodes (``_MEMBERS``): looked up
#: mention by mention, where the store would otherwise join every mention it holds.
_MEMBERS = "SELECT ?s ?m WHERE { GRAPH ?links { ?s a ?class ; tkg:hasMention ?m } }"
_MENTION_FACTS = """SELECT ?m ?article ?resolution ?kind ?cue ?note WHERE {
    OPTIONAL { ?m tkg:inArticle ?article } OPTIONAL { ?m tkg:speakerResolution ?resolution }
    OPTIONAL { ?m tkg:statementKind ?kind } OPTIONAL { ?m tkg:cue ?cue }
    OPTIONAL { ?m tkg:dateNote ?note } }"""
_MENTION_EVIDENCE = """SELECT DISTINCT ?m ?article ?start ?end ?text WHERE {
    ?m tkg:evidence ?ev .
    ?ev tkg:inArticle ?article ; tkg:start ?start ; tkg:endOffset ?end ; tkg:text ?text }"""

_RELATIONS = """SELECT ?type ?source ?target ?explanation ?confidence WHERE { GRAPH ?links {
    ?r a tkg:Relation ; tkg:relationType ?type ;
       tkg:relationSource ?source ; tkg:relationTarget ?target .
    OPTIONAL { ?r tkg:explanation ?explanation } OPTIONAL { ?r tkg:confidence ?confidence } } }"""

# ---------------------------------------------------------------- assembling the JSON


def _article_id(iri: str | None) -> str | None:
    return segment_of(iri, "article") if iri else None


def _date(row: Row) -> Item:
    return {key: row[key] for key in ("value", "begin", "end", "precision")}


def chronological(item: Item) -> tuple[bool, str, str]:
    """The contract's order of statements and events: by begin date (undated last), then id."""
    begin = item["date"]["begin"]
    return begin is None, begin or "", item["id"]


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_LINKS_GROUP = re.compile(r"GRAPH \?links \{")


def _select(store: Store, sparql: str, **bindings: Any) -> list[Row]:
    """``store.select`` with the links and ontology graphs named in the query text: the store
    looks a graph named by an IRI up directly, but joins one bound through ``VALUES`` only after
    evaluating the pattern over every graph (150 ms instead of 5 on 10,000 articles)."""
    named = sparql.replace("GRAPH ?links", f"GRAPH <{LINKS_GRAPH}>")
    return store.select(named.replace("GRAPH ?ontology", f"GRAPH <{ONTOLOGY_GRAPH}>"), **bindings)


def _only(sparql: str, nodes: Sequence[str] | None, variable: str = "s") -> str:
    """``sparql`` kept to the nodes ``nodes`` (IRIs) by a ``VALUES ?s`` block (or another
    ``variable``) at the start of its first ``GRAPH ?links`` group, else of its WHERE group, so
    the store looks up those nodes instead of scanning all (a ``VALUES`` outside the group is
    joined with it only after the group was evaluated for every node); ``None`` keeps all."""
    if nodes is None:
        return sparql
    bad = next((n for n in nodes if NOT_IRI.search(n)), None)
    if bad is not None:
        raise ValueError(f"not an IRI: {bad!r}")
    where = _LINKS_GROUP.search(sparql) or _WHERE.search(sparql)
    if where is None:
        raise ValueError(f"no WHERE group to restrict in {sparql[:80]!r}")
    values = " ".join(f"<{n}>" for n in nodes)
    return f"{sparql[:where.end()]} VALUES ?{variable} {{ {values} }} {sparql[where.end():]}"


def _grouped(rows: list[Row], value: Callable[[Row], Any], key: str = "s") -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        groups[str(row[key])].append(value(row))
    return groups


def _by_mention(store: Store, nodes: Sequence[str] | None, whole: str, per_mention: str) -> list[Row]:
    """The rows of ``whole`` (one a node's mention, ``?s``), or for ``nodes`` only: their
    mentions first, then ``per_mention`` for those, given the node as ``s``."""
    if nodes is None:
        return _select(store, whole)
    members = _select(store, _only(_MEMBERS, nodes))
    if not members:
        return []
    mentions = sorted({str(row["m"]) for row in members})
    found = _grouped(_select(store, _only(per_mention, mentions, "m")), lambda r: r, "m")
    return [{**row, "s": member["s"]} for member in members for row in found.get(str(member["m"]), [])]


def _evidence(store: Store, nodes: Sequence[str] | None = None) -> dict[str, list[Item]]:
    rows = _by_mention(store, nodes, _EVIDENCE, _MENTION_EVIDENCE)
    groups = _grouped(rows, lambda r: (_article_id(r["article"]), int(str(r["start"])),
                                       int(str(r["end"])), r["text"]))
    return {k: [{"article": a, "start": start, "end": end, "text": text}
                for a, start, end, text in sorted(set(v), key=lambda e: (e[0] or "", *e[1:]))]
            for k, v in groups.items()}


def _mentions(store: Store, nodes: Sequence[str] | None = None) -> dict[str, list[Item]]:
    rows = _by_mention(store, nodes, _MENTIONS, _MENTION_FACTS)
    groups = _grouped(rows, lambda r: {
        "id": id_of(str(r["m"])), "article": _article_id(r["article"]),
        "speaker_resolution": r["resolution"], "kind": r["kind"], "cue": r["cue"],
        "date_note": r["note"]})
    return {k: sorted(v, key=lambda m: m["id"]) for k, v in groups.items()}


def _linked(
    store: Store, predicate: str, convert: Callable[[str], str], nodes: Sequence[str] | None = None,
) -> dict[str, list[str]]:
    rows = _select(store, _only(_LINKED.format(predicate=predicate), nodes))
    return {k: sorted(set(v)) for k, v in _grouped(rows, lambda r: convert(str(r["o"]))).items()}


def _speakers(store: Store, nodes: Sequence[str] | None = None) -> dict[str, Item]:
    aliases = _grouped(_select(store, _only(_ALIASES, nodes)), lambda r: r["alias"], "actor")
    rows = sorted(_select(store, _only(_SPEAKERS, nodes)), key=lambda r: (r["actor"], r["name"]))
    speakers: dict[str, Item] = {}
    for row in rows:
        actor = str(row["actor"])
        speakers.setdefault(actor, {"id": id_of(actor), "name": row["name"],
                                    "aliases": sorted(set(aliases.get(actor, [])) - {row["name"]}),
                                    "wikidata": row["wikidata"]})
    return speakers


def _statements(store: Store, nodes: Sequence[str] | None = None) -> list[Item]:
    """Statement items; ``nodes`` (IRIs) keeps every query to those statements."""
    if nodes is not None and not nodes:
        return []
    rows = _select(store, _only(_STATEMENTS, nodes))
    if not rows:
        return []
    speakers, evidence, mentions = _speakers(store, nodes), _evidence(store, nodes), _mentions(store, nodes)
    topics = _linked(store, "tkg:topic", lambda iri: segment_of(iri, "topic"), nodes)
    cited = _linked(store, "tkg:citedBy", lambda iri: segment_of(iri, "article"), nodes)
    about = _linked(store, "tkg:about", id_of, nodes)
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
    return sorted(statements.values(), key=chronological)


def _events(store: Store, nodes: Sequence[str] | None = None) -> list[Item]:
    """Event items; ``nodes`` (IRIs) keeps every query to those events."""
    if nodes is not None and not nodes:
        return []
    evidence, mentions = _evidence(store, nodes), _mentions(store, nodes)
    events: dict[str, Item] = {}
    for row in _select(store, _only(_EVENTS, nodes)):
        e = str(row["s"])
        events.setdefault(e, {
            "id": id_of(e), "label": row["label"],
            "type": segment_of(row["type"], "event-type") if row["type"] else None,
            "date": _date(row), "evidence": evidence.get(e, []),
            "mentions": [{"id": m["id"], "article": m["article"]} for m in mentions.get(e, [])],
        })
    return sorted(events.values(), key=chronological)


def _relations(store: Store) -> list[Item]:
    relations = [
        {"type": r["type"], "source": id_of(str(r["source"])), "target": id_of(str(r["target"])),
         "explanation": r["explanation"],
         "confidence": None if r["confidence"] is None else float(r["confidence"])}
        for r in _select(store, _RELATIONS)
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


def statement_items(store: Store, nodes: Sequence[str]) -> list[Item]:
    """The statements ``nodes`` (IRIs) in the JSON contract's shape, by date then id; ids the
    store does not hold are left out. The work grows with ``nodes``, not with the store."""
    return _statements(store, nodes)


def event_items(store: Store, nodes: Sequence[str]) -> list[Item]:
    """The events ``nodes`` (IRIs) in the JSON contract's shape, by date then id."""
    return _events(store, nodes)


def event_labels(store: Store, nodes: Sequence[str]) -> dict[str, str]:
    """The names of the events ``nodes`` (IRIs), by id: without their evidence, which an event
    many articles report makes large."""
    rows = _select(store, _only(_LABELS, nodes)) if nodes else []
    return {id_of(str(row["s"])): row["label"] for row in rows}


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


def _temporary_name(path: Path) -> re.Pattern[str]:
    """The names of :func:`export_to_path`'s temporary files for ``path``; group 1 is the pid
    of the process that writes it."""
    return re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[^.]+\.tmp")


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (signal 0 checks without signalling)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        pass
    return True


def _remove_dead_temporaries(path: Path) -> None:
    """Remove temporary files that exports to ``path`` killed mid-write (``kill -9``, power
    loss) left behind: those whose writing process no longer runs on this machine."""
    pattern = _temporary_name(path)
    for entry in os.scandir(path.parent):
        match = pattern.fullmatch(entry.name)
        if match and not _alive(int(match.group(1))):
            Path(entry.path).unlink(missing_ok=True)


def export_to_path(store: Store, format: str, path: Path) -> None:
    """Write the store to ``path`` in ``format`` atomically: into a temporary file in the same
    directory (``.NAME.PID.RANDOM.tmp``), fsynced, then renamed over ``path``, so readers and a
    crash at any point see the previous file or the complete new one, never a truncated one.
    The temporary file is removed on any error; those of exports killed earlier are removed
    after a successful one. An existing file's permissions are kept (new files get 0644)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as fp:
            os.fchmod(fp.fileno(), mode)
            export(store, format, fp)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    _remove_dead_temporaries(path)
