"""What a matched time expression means: the shared types and helpers of the normalisers.

A :class:`Reading` is a timex's TimeML type and value plus, for dates and times that map to
days, a :class:`graph.model.TimeValue`. A :class:`Context` is what a normaliser may consult:
the text, the publication date, the tense around the expression, the day last mentioned in the
sentence, and the absolute-date parser (dateparser, injected by :mod:`graph.timex`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from graph.model import Precision, TimeValue
from graph.timex_calendar import Period, add_months, part_of, week_period, week_value

#: ``parse(expression, required parts, tense)`` → the date dateparser reads, or None.
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
AbsoluteParser = Callable[[str, tuple[str, ...], str], date | None]

UNRESOLVED = "unresolved: no publication date"

#: What each modifier picks of a period (``mod`` group of the grammar, lower-cased words).
_MOD_PARTS = {
    "early": "early",
    "mid": "mid",
    "middle": "mid",
    "late": "late",
    "start": "early",
    "beginning": "early",
    "end": "late",
    "close": "late",
}


@dataclass(frozen=True)
class Context:
    text: str
    published: date | None
    tense: str
    #: Whether the tense was marked (a cue in the sentence, or given by the caller); an
    #: unmarked past lets a date shortly after publication mean the coming one.
    cued: bool
    #: The day the sentence last pinned down (or the publication date): the anchor of "the
    #: same day" and of clock times given without a day.
    reference: date | None
    parse: AbsoluteParser


@dataclass(frozen=True)
class Reading:
    type: TimexType
    value: str
    time: TimeValue | None


def relative_anchor(published: date) -> str:
    return f"relative to publication {published.isoformat()}"


def year_anchor(published: date) -> str:
    return f"year inferred from publication {published.isoformat()}"


def period_value(period: Period) -> str:
    return f"{period[0].isoformat()}/{period[1].isoformat()}"


def dated(
    kind: TimexType,
    value: str,
    period: Period,
    precision: Precision,
    anchor: str,
    *,
    exact: bool = True,
) -> Reading:
    """A reading whose days are known. ``exact`` says whether ``value`` alone names ``period``
    (else the TimeValue carries the ``begin/end`` interval as its value)."""
    shown = value if exact else period_value(period)
    return Reading(
        kind,
        value,
        TimeValue(period[0], period[1], precision if exact else "interval", shown, anchor),
    )


def day(kind: TimexType, value: str, when: date, anchor: str) -> Reading:
    return Reading(kind, value, TimeValue(when, when, "day", value, anchor))


def unresolved(kind: TimexType, value: str) -> Reading:
    """A relative expression in an article with no publication date."""
    return Reading(kind, value, TimeValue(None, None, "unknown", value, UNRESOLVED))


def undated(kind: TimexType, value: str) -> Reading:
    """Durations, sets and generic references: no days of their own."""
    return Reading(kind, value, None)


def mod_part(mod: str | None) -> str | None:
    """``"the end of "`` → ``"late"``; ``"mid-"`` → ``"mid"``; None when no part is picked."""
    if not mod:
        return None
    words = mod.lower().replace("-", " ").split()
    for word in words:
        if word in _MOD_PARTS:
            return _MOD_PARTS[word]
    return None


_WEEK_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def _half(period: Period, second: bool) -> Period:
    """First or second half of a period: by months when it spans several, else by days."""
    begin, end = period
    months = (end.year - begin.year) * 12 + end.month - begin.month + 1
    if months >= 2:
        middle = add_months(begin, months // 2)
    else:
        middle = begin + timedelta(days=((end - begin).days + 1) // 2)
    return (middle, end) if second else (begin, middle - timedelta(days=1))


def narrow(
    kind: TimexType,
    value: str,
    period: Period,
    precision: Precision,
    unit: str,
    mod: str | None,
    anchor: str,
) -> Reading:
    """The reading of a period, narrowed by its modifier when there is one: "late March"
    (the days 20–31), "the first half of 2023" (``2023-H1``), "the last week of March"
    (that ISO week). TimeML keeps the period's value for early/mid/late; the days narrow."""
    words = " ".join((mod or "").lower().replace("-", " ").split())
    if words.endswith("week of"):
        which = words.split()[-3]
        begin, end = period
        middle = (
            end - timedelta(days=3)
            if which in ("last", "final")
            else begin + timedelta(days=3 + 7 * _WEEK_ORDINALS[which])
        )
        return dated(kind, week_value(middle), week_period(middle), "week", anchor)
    if words.endswith("half of"):
        second = "second" in words
        half = _half(period, second)
        if unit == "year":
            return dated(kind, f"{value}-H{2 if second else 1}", half, "interval", anchor)
        return dated(kind, value, half, precision, anchor, exact=False)
    part = mod_part(mod)
    if part is None:
        return dated(kind, value, period, precision, anchor)
    return dated(kind, value, part_of(period, part, unit), precision, anchor, exact=False)


def words_before(text: str, start: int, count: int = 1) -> list[str]:
    """The ``count`` words before ``start`` on the same line, lower-cased, nearest last."""
    line_start = text.rfind("\n", 0, start) + 1
    return text[max(line_start, start - 60) : start].lower().replace("’", "'").split()[-count:]


def word_before(text: str, start: int) -> str:
    found = words_before(text, start)
    return found[0].strip(",;:()\"'`") if found else ""


def word_after(text: str, end: int) -> str:
    line_end = text.find("\n", end)
    following = text[end : line_end if line_end != -1 else min(len(text), end + 60)][:60].split()
    return following[0] if following else ""


def sentence_initial(text: str, start: int) -> bool:
    """True when nothing but punctuation or quotes precedes ``start`` in its sentence."""
    before = text[max(0, start - 80) : start].rstrip(" \t\"'“‘`(")
    return not before or before[-1] in ".!?\n:;"
