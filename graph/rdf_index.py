"""A read-only index of triples with the part of rdflib's ``Graph`` reading API that
:func:`graph.rdf.extraction_from_graph` uses.

Reading every stored article back for linking spends most of its time building rdflib graphs
(each ``add`` updates three indexes and a context map); two plain dictionaries built in one
pass answer the same lookups, several times faster.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class TripleIndex:
    """Triples indexed by subject then predicate, and by predicate then object."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._by_subject: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self._by_predicate: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        self._size = 0
        for s, p, o in dict.fromkeys(triples):
            self._by_subject[s][p].append(o)
            self._by_predicate[p][o].append(s)
            self._size += 1

    def __len__(self) -> int:
        return self._size

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        """The objects of ``subject predicate ?o``."""
        predicates = self._by_subject.get(subject)
        return iter(predicates.get(predicate, ()) if predicates else ())

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """One object of ``subject predicate ?o`` (the first stored), None when there is none."""
        return next(self.objects(subject, predicate), None)

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        """The subjects of ``?s predicate obj``."""
        objects = self._by_predicate.get(predicate)
        return iter(objects.get(obj, ()) if objects else ())

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """The ``(subject, object)`` pairs of ``predicate``."""
        objects = self._by_predicate.get(predicate)
        return ((s, o) for o, subjects in (objects or {}).items() for s in subjects)
