"""Named SPARQL queries: the ``.rq`` files of ``api/queries/``, their parameters, and running them.

A REST endpoint that is a query keeps its SPARQL here, as a file a user can read, copy into any
SPARQL client and change. Each file is a complete, standard query (its own ``PREFIX`` lines, named
graphs written out) with parameters declared in comment lines::

    #@param speaker string  the speaker's name or any alias, ignoring case

A parameter is a SPARQL variable. :func:`render` binds the given ones with a ``VALUES`` row at
the start of the query's ``WHERE`` group; the others stay unbound, and each file's filters let
everything through for an unbound parameter (``FILTER (!BOUND(?speaker) || …)``). So the text a
response shows with ``?explain=true`` is the exact query that ran, runnable as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef

from graph.store import Row, Store
from graph.vocab import NOT_IRI

QUERY_DIR = Path(__file__).resolve().parent / "queries"
#: Parameter kinds and the Python values each accepts.
KINDS: dict[str, tuple[type, ...]] = {"string": (str,), "date": (date,), "iri": (URIRef,),
                                      "int": (int,)}

_PARAM = re.compile(r"^#@param\s+(\w+)\s+(\w+)\s+(.*)$", re.MULTILINE)
_NAME = re.compile(r"[a-z][a-z_]*")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
#: A WHERE group that opens with a named graph: the VALUES row goes inside that graph's group
#: (the same join), where the store uses it to look up the matching triples; outside, it is
#: joined only after the graph's patterns were evaluated in full.
_WHERE_GRAPH = re.compile(r"\bWHERE\s*\{\s*GRAPH\s*<[^>\s]*>\s*\{", re.IGNORECASE)

Value = str | date | int | URIRef


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file: its name (the file stem), text and declared parameters."""

    name: str
    text: str
    params: tuple[Param, ...]

    @property
    def description(self) -> str:
        """The leading comment lines that are not parameter declarations."""
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            if not line.startswith("#@"):
                lines.append(line.lstrip("# ").rstrip())
        return " ".join(lines)


def names() -> list[str]:
    """The names of the named queries, sorted."""
    return sorted(path.stem for path in QUERY_DIR.glob("*.rq"))


@lru_cache(maxsize=64)
def load(name: str) -> NamedQuery:
    """The named query ``name``; ``ValueError`` naming the known ones when there is none."""
    if not _NAME.fullmatch(name) or not (QUERY_DIR / f"{name}.rq").is_file():
        raise ValueError(f"no named query {name!r}; known queries: {', '.join(names())}")
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    params = []
    for match in _PARAM.finditer(text):
        param_name, kind, description = match.groups()
        if kind not in KINDS:
            raise ValueError(f"{name}.rq declares {param_name!r} of unknown kind {kind!r}; "
                             f"kinds: {', '.join(KINDS)}")
        params.append(Param(param_name, kind, description.strip()))
    return NamedQuery(name, text, tuple(params))


def _term(value: Value) -> str:
    if isinstance(value, URIRef):
        bad = NOT_IRI.search(value)
        if bad:
            raise ValueError(f"{str(value)!r} is not a valid IRI: it holds {bad.group()!r}")
        return value.n3()
    return Literal(value).n3()


def render(name: str, **bindings: Value | None) -> str:
    """The text of query ``name`` with ``bindings`` (``None`` = leave unbound) as a VALUES row.

    ``ValueError`` for a parameter the query does not declare or a value of the wrong kind.
    """
    query = load(name)
    declared = {param.name: param for param in query.params}
    given = {key: value for key, value in bindings.items() if value is not None}
    for key, value in given.items():
        if key not in declared:
            raise ValueError(f"query {name!r} has no parameter {key!r}; "
                             f"its parameters: {', '.join(declared) or 'none'}")
        kind = declared[key].kind
        if not isinstance(value, KINDS[kind]) or isinstance(value, bool):
            raise TypeError(f"parameter {key!r} of query {name!r} must be a {kind}, "
                             f"not {value!r}")
    if not given:
        return query.text
    where = _WHERE_GRAPH.search(query.text) or _WHERE.search(query.text)
    if where is None:
        raise ValueError(f"query {name!r} has no WHERE group to bind parameters in")
    variables = " ".join(f"?{key}" for key in given)
    values = " ".join(_term(value) for value in given.values())
    row = f"\n  VALUES ({variables}) {{ ({values}) }}"
    return f"{query.text[:where.end()]}{row}{query.text[where.end():]}"


def run(store: Store, name: str, **bindings: Value | None) -> tuple[list[Row], str]:
    """Rows of query ``name`` with ``bindings``, and the exact SPARQL text that ran."""
    sparql = render(name, **bindings)
    return store.select(sparql), sparql
