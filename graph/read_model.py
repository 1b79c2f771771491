"""The read model: statements ready to serve and events' search text, in the items graph.

A statement's or event's item in the JSON contract's shape (:func:`graph.export.statement_items`,
``event_items``) is drawn from a dozen SPARQL lookups per mention: a timeline of 537 statements
reported 3,308 times took 700 ms on a 100,000-article store, an event mentioned 36,232 times
18 s. So every link (:func:`graph.pipeline.relink`) also writes, into the items graph, each
statement's and each event's item serialised as JSON, each event's search text
(its name, the names its mentions gave it, its type's labels; lower-cased), which topic words
are matched against, and the questions each statement answers as keys (its speaker, its topics
and the events it is about, and the speaker with each of those), so finding a speaker's
statements on a topic (:mod:`graph.statement_search`) is one lookup a key, and each speaker's
names and aliases, lower-cased, so a name finds its actors in one lookup::

    GRAPH <…/graph/items> {
      <…/statement/ab12> tkg:itemJson "{\"id\": \"statement/ab12\", …}" ; tkg:itemSource "9f…" ;
                         tkg:itemKey "…/actor/vladimir-putin …/topic/negotiations" , … ;
                         tkg:itemDates "2022-10-14 2022-10-14" .
      <…/event/cd34> tkg:searchText "kursk offensive | incursion | military offensive" ;
                     tkg:itemSource "51…" .
      <…/actor/vladimir-putin> tkg:nameKey "vladimir putin" , "putin" , … ; tkg:itemSource "0c…" . }

``tkg:itemSource`` fingerprints what an entry was drawn from (the node, its speaker as the links
graph describes it, its links-graph triples), so a link recomputes only the entries whose
fingerprint changed: adding articles to a large store rewrites the items of the statements they
touch. The items are computed by the same SPARQL as every other item, from the store just
written, so they cannot disagree with it. The graph is derived: exports and the union graph
leave it out (:meth:`graph.store.Store.dump`), and it is published, backed up and served by a
SPARQL server together with the graph it was drawn from. Readers use it only while it records
the state of the link the links graph holds (:func:`stamped`, :func:`current`), and otherwise
compute what they need from the links graph (a store linked before the read model existed, or
whose writer was killed between writing the two).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from hashlib import sha256
from typing import Any

from rdflib import Literal, URIRef

from graph.export import event_items, statement_items
from graph.link import Linked
from graph.rdf import Quad
from graph.store import Store
from graph.vocab import ITEMS_GRAPH, LINKS_GRAPH, ONTOLOGY_GRAPH, SKOS, TKG, actor_iri, iri, topic_iri

#: Computes the items of nodes (IRIs): :func:`graph.export.statement_items` or ``event_items``.
Compute = Callable[[Store, Sequence[str]], list[dict[str, Any]]]
#: Statements whose items are computed by one call (each call's queries list them and their
#: mentions by IRI).
BATCH = 500
#: Events whose items are computed by one call: an event can have tens of thousands of mentions.
EVENT_BATCH = 10
#: Separates the labels of an event in its search text, so no word spans two of them.
SEPARATOR = " | "

#: Queries name the project's prefixes unprefixed: both stores declare them (graph.vocab.PREFIXES).
_SOURCES = f"SELECT ?node ?source WHERE {{ GRAPH <{ITEMS_GRAPH}> {{ ?node tkg:itemSource ?source }} }}"
_EVENT_LABELS = f"""SELECT DISTINCT ?event ?label WHERE {{
  {{ GRAPH <{LINKS_GRAPH}> {{ ?event a tkg:Event ; rdfs:label|skos:altLabel ?label }} }}
  UNION
  {{ GRAPH <{LINKS_GRAPH}> {{ ?event a tkg:Event ; tkg:eventType ?type }}
    GRAPH <{ONTOLOGY_GRAPH}> {{ ?type skos:prefLabel|skos:altLabel ?label }} }} }}"""
_ITEMS = f"SELECT ?node ?json WHERE {{ GRAPH <{ITEMS_GRAPH}> {{ VALUES ?node {{ NODES }} ?node tkg:itemJson ?json }} }}"
_NAMED = f"SELECT ?actor WHERE {{ GRAPH <{ITEMS_GRAPH}> {{ ?actor tkg:nameKey ?name }} }}"
_CURRENT = f"""ASK {{ GRAPH <{LINKS_GRAPH}> {{ <{LINKS_GRAPH}> tkg:linkState ?state }}
  GRAPH <{ITEMS_GRAPH}> {{ <{ITEMS_GRAPH}> tkg:linkState ?state }} }}"""
_MATCHING = f"SELECT ?event WHERE {{ GRAPH <{ITEMS_GRAPH}> {{ ?event tkg:searchText ?text }} FILTER (WORDS) }}"


def _fingerprint(*parts: object) -> str:
    return sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


def _node_sources(linked: Linked, quads: Sequence[Quad]) -> tuple[dict[URIRef, str], dict[URIRef, str]]:
    """Each statement's and each event's fingerprint: the node (its mentions as read, with their
    evidence) and its links-graph triples (topics, citing articles, names, relations it is the
    source of, dates), and for a statement its speaker's (names and aliases gathered from every
    statement of that actor)."""
    described: dict[URIRef, list[str]] = defaultdict(list)
    for s, p, o, _ in quads:
        described[s].append(f"{p} {o!r}")
    statements = {iri(node.id): _fingerprint(repr(node), sorted(described[iri(node.id)]),
                                             sorted(described[actor_iri(node.speaker)]))
                  for node in linked.statements}
    events = {iri(node.id): _fingerprint(repr(node), sorted(described[iri(node.id)]))
              for node in linked.events}
    return statements, events


def _speaker_names(linked: Linked, quads: Sequence[Quad]) -> dict[URIRef, set[str]]:
    """Each speaker (actor IRI) → its names and aliases in the links graph, lower-cased."""
    speakers = {actor_iri(node.speaker) for node in linked.statements}
    names: dict[URIRef, set[str]] = {actor: set() for actor in speakers}
    for s, p, o, _ in quads:
        if s in names and p in (SKOS.prefLabel, SKOS.altLabel):
            names[s].add(str(o).lower())
    return names


def _event_texts(store: Store) -> dict[URIRef, str]:
    """Each event of the links graph → its search text."""
    labels: dict[URIRef, set[str]] = defaultdict(set)
    for row in store.select(_EVENT_LABELS):
        labels[URIRef(str(row["event"]))].add(str(row["label"]).lower())
    return {event: SEPARATOR.join(sorted(names)) for event, names in labels.items()}


def key(*iris: str) -> str:
    """The read-model key of a question naming ``iris`` (a speaker, then a topic or event)."""
    return " ".join(iris)


def _keys(item: dict[str, Any]) -> list[str]:
    """The keys of a statement item: its speaker, each topic and event it is about, and the
    speaker with each of those."""
    actor = str(iri(item["speaker"]["id"]))
    ends = [str(topic_iri(t)) for t in item["topics"]] + [str(iri(e)) for e in item["about"]]
    return [key(actor), *(key(end) for end in ends), *(key(actor, end) for end in ends)]


def _compact(item: dict[str, Any]) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def stamped(quads: Sequence[Quad]) -> list[Quad]:
    """The quads of a links graph with the link's state added: a digest of them. The read
    model records the state of the link it was written for, and readers use it only while the
    two agree (:func:`current`): a writer killed between writing the links and the read model
    leaves a store whose readers compute their answers from the links graph until the next
    link."""
    lines = sorted(f"{s}\x1f{p}\x1f{o!r}" for s, p, o, _ in quads)
    state = sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return [*quads, (LINKS_GRAPH, TKG.linkState, Literal(state), LINKS_GRAPH)]


def current(store: Store) -> bool:
    """Whether the read model was written for the links graph the store holds."""
    return store.ask(_CURRENT)


def refresh(store: Store, linked: Linked, quads: Sequence[Quad]) -> int:
    """Bring the items graph in line with the links graph just written from ``linked`` (its
    ``quads``, :func:`stamped`): recompute the entries whose fingerprint changed, drop those of
    nodes gone, record the link's state. Returns the number of entries written."""
    state = next(o for s, p, o, _ in quads if s == LINKS_GRAPH and p == TKG.linkState)
    before = {URIRef(str(row["node"])): str(row["source"]) for row in store.select(_SOURCES)}
    statements, events = _node_sources(linked, quads)
    texts = _event_texts(store)
    names = _speaker_names(linked, quads)
    now = {**statements, **{event: _fingerprint(source, texts.get(event, "")) for event, source in events.items()},
           **{actor: _fingerprint(*sorted(keys)) for actor, keys in names.items()}}
    fresh = [node for node, source in now.items() if before.get(node) != source]
    stale = [node for node, source in before.items() if now.get(node) != source]
    written: list[Quad] = []
    for item in _items(store, [node for node in fresh if node in statements], statement_items, BATCH):
        node = iri(item["id"])
        written.append((node, TKG.itemJson, Literal(_compact(item)), ITEMS_GRAPH))
        written += [(node, TKG.itemKey, Literal(k), ITEMS_GRAPH) for k in _keys(item)]
        when = item["date"]
        dates = f"{when['begin'] or ''} {when['end'] or ''}"
        written.append((node, TKG.itemDates, Literal(dates), ITEMS_GRAPH))
    for item in _items(store, [node for node in fresh if node in events], event_items, EVENT_BATCH):
        written.append((iri(item["id"]), TKG.itemJson, Literal(_compact(item)), ITEMS_GRAPH))
    written += [(node, TKG.searchText, Literal(texts[node]), ITEMS_GRAPH) for node in fresh if node in texts]
    written += [(node, TKG.nameKey, Literal(name), ITEMS_GRAPH)
                for node in fresh if node in names for name in sorted(names[node])]
    written += [(node, TKG.itemSource, Literal(now[node]), ITEMS_GRAPH) for node in fresh]
    written.append((ITEMS_GRAPH, TKG.linkState, state, ITEMS_GRAPH))
    store.revise(ITEMS_GRAPH, [*stale, ITEMS_GRAPH], written)
    return len(fresh)


def _items(store: Store, nodes: Sequence[URIRef], compute: Compute, size: int) -> Iterator[dict[str, Any]]:
    """``compute``'s items of ``nodes``, ``size`` nodes a call."""
    for start in range(0, len(nodes), size):
        yield from compute(store, [str(n) for n in nodes[start:start + size]])


def _stored(store: Store, nodes: Sequence[str], compute: Compute) -> dict[str, str]:
    """``nodes`` (IRIs) → their items as JSON text, from the read model when it is
    :func:`current`; those it does not hold, or all when it is not, by ``compute``. Nodes the
    store does not hold are left out."""
    if not nodes:
        return {}
    found = {}
    if current(store):
        values = " ".join(f"<{node}>" for node in nodes)
        found = {str(row["node"]): str(row["json"]) for row in store.select(_ITEMS.replace("NODES", values))}
    missing = [node for node in nodes if node not in found]
    if missing:
        found.update((str(iri(item["id"])), _compact(item)) for item in compute(store, missing))
    return found


def statement_json(store: Store, nodes: Sequence[str]) -> dict[str, str]:
    """The statements ``nodes`` (IRIs) → their items as JSON text (see :func:`_stored`)."""
    return _stored(store, nodes, statement_items)


def event_json(store: Store, nodes: Sequence[str]) -> dict[str, str]:
    """The events ``nodes`` (IRIs) → their items as JSON text (see :func:`_stored`)."""
    return _stored(store, nodes, event_items)


def actors_named(store: Store, name: str) -> list[str]:
    """The speakers (actor IRIs) with the name or alias ``name``, ignoring case."""
    return sorted(str(row["actor"]) for row in store.select(_NAMED, name=name.strip().lower()))


def events_matching(store: Store, words: Sequence[str]) -> list[str]:
    """The events (IRIs) whose search text contains every one of ``words`` (lower-cased); when
    the read model is not :func:`current`, computed from the links graph."""
    if not words:
        return []
    if current(store):
        condition = " && ".join(f"CONTAINS(?text, ?word{i})" for i in range(len(words)))
        bindings = {f"word{i}": word.lower() for i, word in enumerate(words)}
        return sorted(str(row["event"]) for row in store.select(_MATCHING.replace("WORDS", condition), **bindings))
    return sorted(str(event) for event, text in _event_texts(store).items()
                  if all(word.lower() in text for word in words))
