"""Detection of time expressions: run the grammar's rules over the raw text.

Each :class:`Rule` (patterns in :mod:`graph.timex_patterns`) is searched only near its trigger
words, so a long article costs little more than one pass of a tokenizer. :func:`candidates`
returns every match, best first; :func:`select` keeps the longest non-overlapping ones that a
context check accepts. The timex span is the group ``x`` (or ``x2``) when a rule reads context
it must leave out (a preposition), else the whole match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from graph.timex_patterns import DIGITS, YEARS, patterns, triggers

_TOKEN = re.compile(r"[^\W_]+")
_YEAR_TOKEN = re.compile(r"(?:fy)?(?:1[89]|20)\d\ds?")
#: How far around a trigger word a rule's match may start or end.
_REACH = 80


@dataclass(frozen=True)
class Rule:
    """One pattern, searched only near its trigger words (a match always holds one)."""

    name: str
    pattern: re.Pattern[str]
    triggers: frozenset[str]


@dataclass(frozen=True)
class Candidate:
    """One match of one rule: the timex span and the rule's named groups."""

    start: int
    end: int
    rule: str
    groups: dict[str, str | None]
    #: ``[start, end)`` of each matched named group, for checks on what surrounds a part.
    spans: dict[str, tuple[int, int]]


def rules() -> tuple[Rule, ...]:
    """The compiled grammar, most specific rule first."""
    words = triggers()
    return tuple(Rule(name, re.compile(pattern), words[name]) for name, pattern in patterns())


def _span(match: re.Match[str]) -> tuple[int, int]:
    for name in ("x", "x2"):
        if match.group(name) is not None:
            return match.span(name)
    return match.span()


def _trigger_positions(text: str, start: int, end: int) -> dict[str, list[int]]:
    """Offsets of each token of ``text[start:end]`` (lower-cased), numbers under their markers."""
    positions: dict[str, list[int]] = {}
    for token in _TOKEN.finditer(text, start, end):
        word = token.group().lower()
        positions.setdefault(word, []).append(token.start())
        if word[0].isdigit():
            positions.setdefault(DIGITS, []).append(token.start())
        if _YEAR_TOKEN.fullmatch(word):
            positions.setdefault(YEARS, []).append(token.start())
    return positions


def _windows(offsets: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """Disjoint ``[lo, hi)`` stretches within :data:`_REACH` of a trigger, clipped to the range."""
    merged: list[tuple[int, int]] = []
    for offset in sorted(offsets):
        lo, hi = max(start, offset - _REACH), min(end, offset + _REACH)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _matches(
    rule: Rule, text: str, start: int, end: int, positions: dict[str, list[int]]
) -> list[re.Match[str]]:
    offsets = [o for word in rule.triggers for o in positions.get(word, ())]
    found = []
    for lo, hi in _windows(offsets, start, end):
        # Read past the window so guards after a match see the real text (never past ``end``).
        for match in rule.pattern.finditer(text, lo, min(end, hi + _REACH)):
            if match.start() >= hi:
                break
            found.append(match)
    return found


def candidates(text: str, start: int, end: int, grammar: tuple[Rule, ...]) -> list[Candidate]:
    """Every match of every rule in ``text[start:end]``, best first (longest, then rule order)."""
    found: list[tuple[int, int, Candidate]] = []
    positions = _trigger_positions(text, start, end)
    for priority, rule in enumerate(grammar):
        for match in _matches(rule, text, start, end, positions):
            s, e = _span(match)
            if e > s:
                groups = match.groupdict()
                spans = {
                    name: match.span(name) for name, value in groups.items() if value is not None
                }
                found.append((priority, e - s, Candidate(s, e, rule.name, groups, spans)))
    found.sort(key=lambda item: (-item[1], item[0], item[2].start))
    return [cand for _priority, _length, cand in found]


def select(ranked: list[Candidate], accept: Callable[[Candidate], bool]) -> list[Candidate]:
    """Greedily keep accepted candidates that overlap nothing kept before, in text order."""
    if not ranked:
        return []
    occupied = bytearray(max(c.end for c in ranked) + 1)
    kept: list[Candidate] = []
    for cand in ranked:
        if occupied.find(1, cand.start, cand.end) == -1 and accept(cand):
            kept.append(cand)
            occupied[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    return sorted(kept, key=lambda c: c.start)
