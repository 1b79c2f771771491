"""Deterministic identifiers minted from content: no randomness, no blank nodes.

An id is ``KIND/DIGEST``; :mod:`graph.rdf` turns it into an IRI under the project's base.
The same content always gives the same id, so re-ingesting an article changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata


def digest(*parts: object, length: int = 16) -> str:
    """A short hex SHA-256 digest of ``parts`` joined unambiguously."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def slug(text: str) -> str:
    """``"Volodymyr Zelenskyy"`` → ``"volodymyr-zelenskyy"`` (ASCII, lowercase, hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or digest(text, length=8)


def statement_mention_id(article_id: str, start: int, end: int) -> str:
    return f"mention/{digest('statement', article_id, start, end)}"


def event_mention_id(article_id: str, start: int, end: int) -> str:
    return f"event-mention/{digest('event', article_id, start, end)}"


_NODE_ID = re.compile(r"(?:statement|event)/[0-9a-f]+")


def is_node_id(text: str) -> bool:
    """Whether ``text`` has the shape of a statement or event id (``statement/9f2c…``)."""
    return _NODE_ID.fullmatch(text) is not None


def statement_id(member_mention_ids: list[str]) -> str:
    """A merged statement is named after its smallest member mention: stable as members join."""
    return f"statement/{min(member_mention_ids).split('/', 1)[1]}"


def event_id(member_mention_ids: list[str]) -> str:
    return f"event/{min(member_mention_ids).split('/', 1)[1]}"


def actor_id(name: str) -> str:
    return f"actor/{slug(name)}"


def relation_id(kind: str, source: str, target: str) -> str:
    return f"relation/{digest(kind, source, target)}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def review_id(kind: str, verdict: str, relation_type: str | None, source: list[str], target: list[str]) -> str:
    """Deciding the same thing again replaces the earlier decision (same id, other verdict)."""
    del verdict
    return f"review/{digest(kind, relation_type or '', *sorted(source), '|', *sorted(target))}"
