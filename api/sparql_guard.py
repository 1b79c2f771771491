r"""Safety checks on a SPARQL query text, run before any execution: pure string work, no engine.

The public endpoint is query-only and must never reach the network or the file system. The
checks here reject, with :class:`QueryRejected`, a request that would:

- run a SPARQL Update (``INSERT``, ``LOAD``, ``CLEAR`` …): the endpoint is query-only;
- call ``SERVICE`` in any form (plain, ``SILENT``, variable endpoint, nested anywhere);
- name a dataset (``FROM``, ``FROM NAMED``, protocol graph parameters) with a non-http(s) IRI;
- nest brackets deeper than a limit (the engine recurses on nesting and can overflow its stack);
- hold a codepoint escape (``\u0053ERVICE``) outside strings and IRIs: SPARQL 1.1 (section
  19.2) lets a processor decode them anywhere before parsing, so an engine that does would
  read a keyword this guard never saw (pyoxigraph 0.5 does not: a syntax error today).

Dataset IRIs are checked after decoding their ``\u``/``\U`` escapes, as the engine reads them:
``<\u0066ile:///etc/passwd>`` is ``file:///etc/passwd``.

The query is lexed once, iteratively (never recursively), and the depth is checked as it is
read, so a 100 KB query nested 100,000 deep is refused after its first levels, in microseconds
(this runs on the server's event loop). The lexer follows the SPARQL 1.1 terminals; where it could disagree
with the engine about what is a string, a comment or an IRI, the query is rejected rather than
guessed at (an IRI holding an apostrophe, an unterminated string). Keywords are matched
conservatively: the engine's scannerless parser reads ``SERVICEfoo:x`` as ``SERVICE foo:x`` and
``trueSERVICE`` as ``true SERVICE``, so any bare word or prefix that *contains* ``SERVICE`` is
refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

#: SPARQL Update operations and clauses; none of them can appear in a query.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE",
                             "ADD", "WITH", "USING"})
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: Schemes a dataset IRI may use: they only name graphs of the store, never fetched.
DATASET_SCHEMES = ("http", "https")
#: A codepoint escape inside an IRI.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPENERS = "{(["
_CLOSERS = {"}": "{", ")": "(", "]": "["}
#: Prefix operators the engine parses recursively: a run of them nests like brackets.
_PREFIX_OPERATORS = frozenset("!^")

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
              | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '(?:[^'\\\n\r]|\\.)*'
              | "(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$]\w+)
  | (?P<bnode>_:[\w.\-]*)
  | (?P<pname>(?P<prefix>[^\W\d_][\w.\-]*)?:
               (?:[\w:\-]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]|\.(?=[\w:%\\\-]))*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<quote>['"])
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)


class QueryRejected(ValueError):
    """The request is refused before execution; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueryInfo:
    """What the checks learnt about an accepted query."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    has_dataset: bool  # the query names its own dataset (FROM / FROM NAMED)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    prefix: str | None = None


def _tokens(query: str) -> Iterator[_Token]:
    """The significant tokens of ``query`` (no spaces, no comments), in order, one at a time
    (so a check can stop reading at the first refusal)."""
    pos = 0
    while pos < len(query):
        match = _TOKEN.match(query, pos)
        if match is None:  # unreachable: ``punct`` matches any character
            raise QueryRejected(f"cannot read the query at character {pos}")
        kind = match.lastgroup if match.lastgroup != "prefix" else "pname"
        pos = match.end()
        if kind in ("ws", "comment"):
            continue
        if kind == "quote":
            raise QueryRejected(f"unterminated string starting at character {match.start()}")
        if kind == "iri" and "'" in match.group():
            raise QueryRejected(f"IRI {match.group()} holds an apostrophe: percent-encode it as %27")
        if kind == "punct" and match.group() == "\\":
            raise QueryRejected(f"a backslash outside strings and IRIs at character "
                                f"{match.start()}: codepoint escapes (\\uXXXX) are accepted "
                                f"only inside strings and IRIs")
        yield _Token(kind, match.group(), match.group("prefix"))


def check_depth(tokens: Iterable[_Token], max_depth: int) -> None:
    """``QueryRejected`` when brackets (or runs of ``!``/``^``) nest deeper than ``max_depth``."""
    for _ in _depth_checked(tokens, max_depth):
        pass


def _depth_checked(tokens: Iterable[_Token], max_depth: int) -> Iterator[_Token]:
    """``tokens`` passed on one at a time, ``QueryRejected`` as soon as they nest deeper than
    ``max_depth``: a 100,000-deep query is refused after reading ``max_depth`` levels of it."""
    stack: list[str] = []
    run = 0
    for token in tokens:
        yield token
        text = token.text
        run = run + 1 if token.kind == "punct" and text in _PREFIX_OPERATORS else 0
        if token.kind != "punct":
            continue
        if text in _OPENERS:
            stack.append(text)
        elif text in _CLOSERS and (not stack or stack.pop() != _CLOSERS[text]):
            raise QueryRejected(f"unbalanced {text!r} in the query")
        if len(stack) + run > max_depth:
            raise QueryRejected(f"the query nests deeper than {max_depth} levels "
                                f"(brackets, braces, parentheses or '!'/'^' runs)")


def _words(tokens: list[_Token]) -> list[str]:
    """Bare words and prefix names, upper-cased: where the engine can see a keyword."""
    words = [t.text.upper() for t in tokens if t.kind == "word"]
    return words + [t.prefix.upper() for t in tokens if t.kind == "pname" and t.prefix]


def check_dataset_iri(iri: str) -> str:
    """``iri`` when it is an absolute http(s) IRI; ``QueryRejected`` otherwise."""
    scheme = urlsplit(iri).scheme.lower()
    if scheme not in DATASET_SCHEMES:
        raise QueryRejected(f"dataset IRI {iri!r} is not allowed: graphs are named by "
                            f"{' or '.join(DATASET_SCHEMES)} IRIs only")
    return iri


def _iri_text(token: _Token) -> str:
    """The IRI a ``<…>`` token names, its ``\\uXXXX``/``\\UXXXXXXXX`` escapes decoded."""
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token.text[1:-1])


def _dataset_iris(tokens: list[_Token], prefixes: dict[str, str], base: str) -> list[str]:
    """The IRIs after ``FROM`` / ``FROM NAMED``, resolved against ``BASE`` and ``PREFIX``es."""
    prefixes = dict(prefixes)
    iris = []
    for i, token in enumerate(tokens):
        word = token.text.upper() if token.kind == "word" else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if word == "BASE" and nxt is not None and nxt.kind == "iri":
            base = urljoin(base, _iri_text(nxt))
        elif word == "PREFIX" and nxt is not None and nxt.kind == "pname" and i + 2 < len(tokens):
            prefixes[nxt.text.rstrip(":")] = urljoin(base, _iri_text(tokens[i + 2]))
        elif word in ("FROM", "NAMED") and nxt is not None:
            if nxt.kind == "iri":
                iris.append(urljoin(base, _iri_text(nxt)))
            elif nxt.kind == "pname":
                name, _, local = nxt.text.partition(":")
                if name not in prefixes:
                    raise QueryRejected(f"undeclared prefix {name!r} in {nxt.text}")
                iris.append(prefixes[name] + local)
    return iris


def _form(tokens: list[_Token]) -> str:
    for token in tokens:
        word = token.text.upper() if token.kind == "word" else ""
        if word in QUERY_FORMS:
            return word
        if word not in ("BASE", "PREFIX") and token.kind not in ("iri", "pname"):
            break
    raise QueryRejected("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE "
                        "after the prologue")


def inspect_query(query: str, *, max_depth: int, prefixes: dict[str, str] | None = None,
                  base: str = "") -> QueryInfo:
    """Check ``query`` for the public endpoint; its form when it may run, else ``QueryRejected``.

    ``prefixes`` are the ones the engine predeclares; ``base`` the base IRI it resolves against.
    """
    tokens = list(_depth_checked(_tokens(query), max_depth))
    words = _words(tokens)
    if any("SERVICE" in word for word in words):
        raise QueryRejected("SERVICE (federated query) is not allowed on this endpoint: it "
                            "would make the server fetch from other addresses")
    updates = sorted(UPDATE_KEYWORDS.intersection(words))
    if updates:
        raise QueryRejected(f"SPARQL Update ({', '.join(updates)}) is not allowed: this "
                            f"endpoint is query-only")
    for iri in _dataset_iris(tokens, prefixes or {}, base):
        check_dataset_iri(iri)
    return QueryInfo(form=_form(tokens), has_dataset="FROM" in words)
