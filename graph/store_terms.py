"""RDF terms between rdflib and pyoxigraph, query bindings and RDF/XML safety: what every store
(:mod:`graph.store`, :mod:`graph.store_remote`) writes and reads its terms with."""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.vocab import PREFIXES, XSD

Binding = str | int | date | URIRef
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def to_ox(node: Node | Binding) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = node.datatype or XSD.string
        return ox.Literal(str(node), datatype=ox.NamedNode(str(datatype)))
    if isinstance(node, (str, int, date)) and not isinstance(node, bool):
        return to_ox(Literal(node))
    raise TypeError(f"cannot bind {node!r}: expected str, int, date or rdflib URIRef")


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_bindings(sparql: str, bindings: dict[str, Binding]) -> str:
    """``sparql`` with a ``VALUES`` block binding ``bindings`` at the start of its WHERE group."""
    if not bindings:
        return sparql
    for name in bindings:
        if not _VARIABLE.fullmatch(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    where = _WHERE.search(sparql)
    brace = where.end() if where else sparql.find("{") + 1
    if brace == 0:
        raise ValueError(f"cannot bind variables in a query without a WHERE group: {sparql[:80]!r}")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(to_ox(value)) for value in bindings.values())
    return f"{sparql[:brace]} VALUES ({names}) {{ ({values}) }} {sparql[brace:]}"


#: Prefixes for Turtle, TriG and RDF/XML output. Not ``id:``: our IRIs have slashes and dots that
#: need escapes in prefixed names (``id:topic\/\.``), which some parsers (rdflib) get wrong.
OUTPUT_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "id"}

#: Characters XML 1.0 cannot hold, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(data: bytes) -> bytes:
    """RDF/XML that parses back to the same texts: CR escaped (XML parsers turn a raw one into
    LF); ``ValueError`` for a character XML cannot hold at all."""
    bad = _NOT_XML.search(data.decode("utf-8"))
    if bad:
        raise ValueError(f"RDF/XML cannot hold the character U+{ord(bad.group()):04X} found in "
                         f"the store; export it as turtle, ntriples, trig, nquads or jsonld")
    return data.replace(b"\r", b"&#13;")
