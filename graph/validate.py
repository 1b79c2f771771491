"""SHACL validation of what the store holds: the only module that imports pySHACL.

The shapes are ``ontology/shapes.ttl``; they are checked against the union of every graph in
the store (articles, links and ontology together), so class checks such as "a tkg:topic is a
tkg:Topic of the scheme" see the ontology data and subclass axioms.
"""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph

from graph.store import Store
from graph.vocab import SHAPES_FILE


def shapes_graph(path: Path = SHAPES_FILE) -> Graph:
    """The SHACL shapes, parsed from ``path``."""
    return Graph().parse(path, format="turtle")


def validate_graph(data: Graph, shapes: Graph | None = None) -> tuple[bool, str]:
    """Whether ``data`` conforms to the shapes, and pySHACL's report text."""
    conforms, _, text = shacl_validate(
        data, shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none", abort_on_first=False, allow_warnings=False,
    )
    return bool(conforms), str(text)


def validate(store: Store, shapes: Graph | None = None) -> tuple[bool, str]:
    """Whether the union of the store's graphs conforms to the shapes, and the report text."""
    return validate_graph(store.graph(), shapes)
