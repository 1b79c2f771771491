"""The persistent triple store: the only module that opens pyoxigraph stores on disk.

A store is an on-disk pyoxigraph (RocksDB) dataset in one directory, holding one named graph per
article, the links graph and the ontology graph (see :mod:`graph.vocab`). Every write that
replaces a graph is one SPARQL update (drop + insert), which pyoxigraph applies in one
transaction: a failure, or ``kill -9``, leaves the previous state.

Writers and readers never share the live directory:

- a *writer session* (``with open_store(path) as store:``) holds the store's writer lock
  (:mod:`graph.store_lock`; it waits up to ``TKG_LOCK_TIMEOUT`` seconds, then raises
  :class:`StoreLockedError` naming the holder), opens the directory read-write, and at close
  publishes what it changed as the next read-only generation (:mod:`graph.snapshots`). Sessions
  are short for the API (one request) and one command long for the CLI, so ``tkg build`` can
  run while the server serves, and concurrent writers take turns;
- a *reader* (``with open_reader(path) as store:``, or :meth:`Store.published`) opens the latest
  published generation read-only; it sees each session's writes all at once, after its close.

Quads go in as rdflib terms (built by :mod:`graph.rdf`); queries come out as plain Python values.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Self

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from graph import rdf, snapshots, store_lock
from graph.config import settings
from graph.model import Extraction, Review
from graph.rdf_index import TripleIndex
from graph.rdf_review import review_iri, review_quads, reviews_from_graph
from graph.store_terms import OUTPUT_PREFIXES, Binding, from_ox, to_ox, with_bindings, xml_safe
from graph.vocab import (
    ITEMS_GRAPH,
    LINKS_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    REVIEW_GRAPH,
    TKG,
    article_graph,
    article_iri,
)
from graph.vocab import id_of as vocab_id_of
from graph.vocab import iri as vocab_iri

#: Serialisation formats of :meth:`Store.dump`: name → (pyoxigraph format, keeps named graphs).
FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}

Row = dict[str, str | None]
#: The read model's graph, which exports and the union graph leave out.
_READ_MODEL = to_ox(ITEMS_GRAPH)
_Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class StoreError(Exception):
    """The store could not be opened or used."""


class StoreLockedError(StoreError):
    """Another writer (another process, thread or handle) holds the store's directory."""


def _plain(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value  # type: ignore[attr-defined]


def _rows(solutions: ox.QuerySolutions) -> list[Row]:
    names = [v.value for v in solutions.variables]
    return [{name: _plain(solution[name]) for name in names} for solution in solutions]


def _data_lines(graph: URIRef, quads: Iterable[rdf.Quad]) -> str:
    """``quads`` (all in ``graph``; ``ValueError`` otherwise) as the triples of ``INSERT DATA``."""
    lines = []
    for s, p, o, g in quads:
        if g != graph:
            raise ValueError(f"quad {s} {p} {o} is in graph {g}, expected {graph}")
        lines.append(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} .")
    return "\n".join(lines)


def _replace_graph_update(graph: URIRef, quads: Iterable[rdf.Quad]) -> str:
    """One SPARQL update that drops ``graph`` and inserts ``quads`` (all into ``graph``)."""
    name = to_ox(graph)
    return f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n{_data_lines(graph, quads)}\n}} }}"


def _revise_update(graph: URIRef, subjects: Sequence[URIRef], quads: Sequence[rdf.Quad]) -> str:
    """One SPARQL update that removes the triples of ``subjects`` from ``graph``, then inserts
    ``quads`` (all into ``graph``); empty when there is nothing to do."""
    name, operations = to_ox(graph), []
    if subjects:
        values = " ".join(str(to_ox(s)) for s in subjects)
        operations.append(f"DELETE {{ GRAPH {name} {{ ?s ?p ?o }} }} "
                          f"WHERE {{ GRAPH {name} {{ VALUES ?s {{ {values} }} ?s ?p ?o }} }}")
    if quads:
        operations.append(f"INSERT DATA {{ GRAPH {name} {{\n{_data_lines(graph, quads)}\n}} }}")
    return " ;\n".join(operations)


class Store:
    """One open store: a writer session (``Store(path)``, see :func:`open_store`) or a reader of
    the published generation (:meth:`published`). A closed store refuses every call."""

    def __init__(self, path: Path | str, *, timeout_s: float | None = None) -> None:
        """Open ``path`` for writing (created with its parents if missing), waiting up to
        ``timeout_s`` (default ``TKG_LOCK_TIMEOUT``) for the writer before it."""
        self.path = Path(path)
        #: The published generation this store reads (a reader), or last published (a writer).
        self.generation: int | None = None
        self._dirty = False
        self._lease: snapshots.Lease | None = None
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock: store_lock.WriteLock | None = store_lock.acquire(
                self.path, settings().lock_timeout_s if timeout_s is None else timeout_s)
        except TimeoutError as err:
            raise StoreLockedError(str(err)) from err
        except OSError as err:
            raise StoreError(f"cannot open the store {self.path}: {err}") from err
        try:
            self._db: ox.Store | None = ox.Store(os.fspath(self.path))
        except OSError as err:
            self._lock.release()
            if "lock" in str(err).lower():
                raise StoreLockedError(
                    f"the store {self.path} is open in another program that does not take "
                    f"timeline-kg's writer lock; close it first ({err})") from err
            raise StoreError(f"cannot open the store {self.path}: {err}") from err

    @classmethod
    def published(cls, path: Path | str) -> Store:
        """A read-only store over the latest published generation of ``path``; ``StoreError``
        when none is published (see :func:`ensure_published`). Writes raise ``StoreError``."""
        path = Path(path)
        try:
            lease = snapshots.pin_latest(path)
        except OSError as err:
            raise StoreError(f"cannot read the store {path}: {err}") from err
        if lease is None:
            raise StoreError(f"the store {path} has no published generation yet: write to it "
                             f"first (tkg build), or wait for its first writer to finish")
        try:
            db = ox.Store.read_only(os.fspath(lease.directory))
        except OSError as err:
            lease.release()
            raise StoreError(f"cannot open generation {lease.generation} of the store {path}: "
                             f"{err}") from err
        store = cls.__new__(cls)
        store.path, store.generation = path, lease.generation
        store._dirty, store._lock = False, None
        # The handle before the lease: when a dropped reader is freed, its attributes go in this
        # order, so the generation stays pinned until the handle on it is gone.
        store._db, store._lease = db, lease
        return store

    # ------------------------------------------------------------ lifecycle

    @property
    def _ox(self) -> ox.Store:
        if self._db is None:
            raise StoreError(f"the store {self.path} is closed")
        return self._db

    @property
    def read_only(self) -> bool:
        """Whether this is a reader of a published generation."""
        return self._lock is None

    def close(self) -> None:
        """A writer: flush, publish the session's changes as the next generation, remove unused
        old generations, release the store. A reader: release its generation. Idempotent."""
        db, self._db = self._db, None
        if db is None:
            return
        try:
            if self._lock is not None:
                self._publish(db)
        finally:
            del db
            if self._lock is not None:
                self._lock.release()
            if self._lease is not None:
                self._lease.release()

    def _publish(self, db: ox.Store) -> None:
        try:
            db.flush()
            if self._dirty or snapshots.pending(self.path) or snapshots.latest(self.path) is None:
                self.generation = snapshots.publish(
                    self.path, lambda target: db.backup(os.fspath(target)))
            snapshots.prune(self.path)
        except OSError as err:
            raise StoreError(f"the changes to the store {self.path} are saved but could not be "
                             f"published to readers ({err}); the next writer publishes them") \
                from err

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._ox)

    # ------------------------------------------------------------ writing

    def _update(self, update: str) -> None:
        db = self._ox
        if self._lock is None:
            raise StoreError(f"the store {self.path} is open read-only (generation "
                             f"{self.generation}); write through open_store()")
        if not self._dirty:
            snapshots.mark_pending(self.path)
            self._dirty = True
        try:
            db.update(update)
        except (OSError, RuntimeError) as err:
            raise StoreError(f"update of the store {self.path} failed, nothing was changed: "
                             f"{err}") from err

    def put_article(self, extraction: Extraction) -> None:
        """Replace the article's named graph with this extraction, in one transaction."""
        graph = article_graph(extraction.article.id)
        self._update(_replace_graph_update(graph, rdf.article_quads(extraction)))

    def remove_article(self, article_id: str) -> bool:
        """Drop the article's graph; ``False`` when it was not stored."""
        graph = to_ox(article_graph(article_id))
        existed = self._ox.contains_named_graph(graph)
        self._update(f"DROP SILENT GRAPH {graph}")
        return existed

    def replace_links(self, quads: Sequence[rdf.Quad]) -> None:
        """Replace the links graph with ``quads`` (all in the links graph), in one transaction."""
        self._update(_replace_graph_update(LINKS_GRAPH, quads))

    def revise(self, graph: URIRef, subjects: Sequence[URIRef], quads: Sequence[rdf.Quad]) -> None:
        """Remove every triple of ``subjects`` from ``graph``, then add ``quads`` (all in
        ``graph``), in one transaction."""
        update = _revise_update(graph, subjects, quads)
        if update:
            self._update(update)

    def put_review(self, review: Review) -> None:
        """Record a review decision, replacing an earlier decision on the same thing."""
        node = to_ox(review_iri(review))
        lines = "\n".join(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ."
                          for s, p, o, _ in review_quads(review))
        graph = to_ox(REVIEW_GRAPH)
        self._update(
            f"DELETE WHERE {{ GRAPH {graph} {{ {node} ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {graph} {{\n{lines}\n}} }}"
        )

    def reviews(self) -> list[Review]:
        """Every review decision, in a stable order."""
        return reviews_from_graph(self.graph(REVIEW_GRAPH))

    def members(self, node_id: str) -> list[str]:
        """The mention ids of a merged statement or event of the links graph."""
        rows = self.select("SELECT ?m WHERE { GRAPH ?links { ?node tkg:hasMention ?m } }",
                           links=LINKS_GRAPH, node=vocab_iri(node_id))
        return sorted(vocab_id_of(str(row["m"])) for row in rows)

    def load_ontology(self, paths: Iterable[Path]) -> None:
        """Replace the ontology graph with the triples of these Turtle files (idempotent); left
        as it is when it already holds exactly those (every build and ``POST`` asks, and
        rewriting ~9,000 triples costs most of a second)."""
        triples = []
        for path in paths:
            try:
                triples += ox.parse(path=os.fspath(path), format=ox.RdfFormat.TURTLE)
            except SyntaxError as err:
                raise ValueError(f"{path} is not valid Turtle: {err}") from err
        graph = to_ox(ONTOLOGY_GRAPH)
        held = {(q.subject, q.predicate, q.object) for q in self._ox.quads_for_pattern(None, None, None, graph)}
        if held == {(t.subject, t.predicate, t.object) for t in triples}:
            return
        quads = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object), ONTOLOGY_GRAPH)
                 for t in triples]
        self._update(_replace_graph_update(ONTOLOGY_GRAPH, quads))

    # ------------------------------------------------------------ reading

    def has_article(self, article_id: str, content_hash: str) -> bool:
        """Whether this article is stored with this content hash (unchanged since): one index
        lookup, no query to plan, as a resumed build asks it of every article."""
        found = self._ox.quads_for_pattern(
            to_ox(article_iri(article_id)), to_ox(TKG.contentHash), ox.Literal(content_hash),
            to_ox(article_graph(article_id)))
        return next(iter(found), None) is not None

    def article_ids(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?id WHERE { GRAPH ?g { "
                           "?a a tkg:Article ; dcterms:identifier ?id } }")
        return sorted(str(row["id"]) for row in rows)

    def graph(self, name: URIRef | None = None) -> Graph:
        """A copy of one named graph as an rdflib graph, or of the union of all graphs but the
        read model (:mod:`graph.read_model`)."""
        graph = Graph()
        for triple in self._triples(name):
            graph.add(triple)
        return graph

    def _triples(self, name: URIRef | None) -> Iterator[tuple[Node, Node, Node]]:
        pattern = None if name is None else to_ox(name)
        for quad in self._ox.quads_for_pattern(None, None, None, pattern):
            if name is not None or quad.graph_name != _READ_MODEL:
                yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)

    def extractions(self) -> Iterator[Extraction]:
        """Every stored article's extraction, read back from its graph, in article id order."""
        for article_id in self.article_ids():
            yield rdf.extraction_from_graph(TripleIndex(self._triples(article_graph(article_id))))

    def _run(self, sparql: str, bindings: dict[str, Binding]) -> _Result:
        try:
            return self._ox.query(with_bindings(sparql, bindings), prefixes=PREFIXES,
                                  use_default_graph_as_union=True)
        except SyntaxError as err:
            raise ValueError(f"invalid SPARQL query: {err}") from err

    def query(self, sparql: str, **bindings: Binding) -> list[Row] | bool:
        """Run a SPARQL query over the union of all graphs (``GRAPH`` reaches a named one).

        ``bindings`` set variables beforehand (``speaker="Putin"`` binds ``?speaker``, also inside
        FILTERs): str, int and date become literals, rdflib ``URIRef`` IRIs. The prefixes of
        :data:`graph.vocab.PREFIXES` (``tkg``, ``skos``, ``dcterms`` …) are predeclared.
        SELECT gives a list of rows (variable → str, None when unbound), ASK a bool,
        CONSTRUCT/DESCRIBE rows of ``subject``/``predicate``/``object``.
        """
        result = self._run(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            return [{"subject": _plain(t.subject), "predicate": _plain(t.predicate),
                     "object": _plain(t.object)} for t in result]
        return _rows(result)

    def select(self, sparql: str, **bindings: Binding) -> list[Row]:
        """:meth:`query` for a SELECT query; ``ValueError`` for any other kind."""
        result = self._run(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            kind = type(result).__name__
            message = f"expected a SELECT query, got {kind}: {sparql[:80]!r}"
            raise ValueError(message)  # noqa: TRY004 - a wrong query, not a wrong Python type
        return _rows(result)

    def ask(self, sparql: str, **bindings: Binding) -> bool:
        """:meth:`query` for an ASK query; ``ValueError`` for any other kind."""
        result = self._run(sparql, bindings)
        if not isinstance(result, ox.QueryBoolean):
            kind = type(result).__name__
            message = f"expected an ASK query, got {kind}: {sparql[:80]!r}"
            raise ValueError(message)  # noqa: TRY004 - a wrong query, not a wrong Python type
        return bool(result)

    def dump(self, format: str, fp: BinaryIO) -> None:
        """Serialise the dataset but the read model (:mod:`graph.read_model`, derived data);
        formats without named graphs get the union of the graphs."""
        if format not in FORMATS:
            raise ValueError(f"unknown RDF format {format!r}; choose one of: {', '.join(FORMATS)}")
        rdf_format, keeps_graphs = FORMATS[format]
        prefixes = OUTPUT_PREFIXES if format in ("turtle", "trig", "rdfxml") else None
        if keeps_graphs:
            ox.serialize((q for q in self._ox if q.graph_name != _READ_MODEL), fp, rdf_format,
                         prefixes=prefixes)
            return
        solutions = self._ox.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                                   f"FILTER (?g != {_READ_MODEL}) }}")
        triples = sorted((ox.Triple(row["s"], row["p"], row["o"]) for row in solutions), key=str)
        data = ox.serialize(triples, None, rdf_format, prefixes=prefixes)
        fp.write(xml_safe(data) if format == "rdfxml" else data)


@contextmanager
def open_store(path: Path | str, *, timeout_s: float | None = None) -> Iterator[Store]:
    """A writer session on ``path`` (created with its parents if missing), waiting up to
    ``timeout_s`` (default ``TKG_LOCK_TIMEOUT``) for the writer before; published at exit."""
    store = Store(path, timeout_s=timeout_s)
    try:
        yield store
    finally:
        store.close()


def ensure_published(path: Path | str, *, timeout_s: float | None = None) -> None:
    """Give readers of ``path`` a generation: publish one (in a writer session, waiting up to
    ``timeout_s`` for the writer lock) for a store never published (new, or written before
    generations or by another program). A change a dead writer left unpublished is published
    too, but only if no writer runs now (a running one publishes at its end): never waits."""
    path = Path(path)
    try:
        missing, left = snapshots.latest(path) is None, snapshots.pending(path)
    except OSError as err:
        raise StoreError(f"cannot read the store {path}: {err}") from err
    if missing:
        with open_store(path, timeout_s=timeout_s):
            pass
    elif left:
        try:
            with open_store(path, timeout_s=0):
                pass
        except StoreLockedError:
            return


@contextmanager
def open_reader(path: Path | str, *, timeout_s: float | None = None) -> Iterator[Store]:
    """A read-only store over the latest published generation of ``path`` (see
    :func:`ensure_published`): it waits for a writer only when nothing was ever published."""
    ensure_published(path, timeout_s=timeout_s)
    store = Store.published(path)
    try:
        yield store
    finally:
        store.close()
