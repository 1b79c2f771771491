"""Time expressions: find them in a text, normalise them to TimeML values, anchor them to days.

The grammar (:mod:`graph.timex_grammar`) finds the expressions; dateparser reads absolute ones
("21 September 2022", "7/8/07"); our own calendar arithmetic resolves the relative and fuzzy
ones ("on Friday", "late March", "two weeks ago") against the publication date, reading the
tense of the surrounding words. This is the only module that imports dateparser.

    >>> from datetime import date
    >>> [(t.text, t.value) for t in find_timexes("He spoke on Friday.", date(2022, 10, 15))]
    [('Friday', '2022-10-14')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, partial

import dateparser

from graph.model import TimeValue
from graph.timex_calendar import check_tense
from graph.timex_dates import (
    read_day,
    read_decade,
    read_holiday,
    read_iso,
    read_month,
    read_month_year,
    read_new_year,
    read_quarter,
    read_quarter_code,
    read_relative_period,
    read_season,
    read_short_year,
    read_slash,
    read_year,
)
from graph.timex_filters import accept
from graph.timex_grammar import Candidate, Rule, candidates, rules, select
from graph.timex_reading import Context, Reading, TimexType
from graph.timex_relative import (
    read_ago,
    read_bare_units,
    read_clock,
    read_day_word,
    read_duration,
    read_noon,
    read_ordinal_day,
    read_reference,
    read_set_every,
    read_set_times,
    read_set_word,
    read_the_day,
    read_weekday,
)
from graph.timex_tense import SENTENCE_END, read_tense, tense_at

_READERS = {
    "iso": read_iso,
    "slash": read_slash,
    "month_day": read_day,
    "day_month": read_day,
    "month_year": read_month_year,
    "month": read_month,
    "quarter": read_quarter,
    "quarter_code": read_quarter_code,
    "season": read_season,
    "relative_period": read_relative_period,
    "new_year": read_new_year,
    "year": read_year,
    "short_year": read_short_year,
    "decade": read_decade,
    "weekday": read_weekday,
    "day_word": read_day_word,
    "clock": read_clock,
    "clock_ampm": read_clock,
    "clock_military": read_clock,
    "noon": read_noon,
    "holiday": read_holiday,
    "ago": read_ago,
    "set_every": read_set_every,
    "set_times": read_set_times,
    "set_rate": read_set_times,
    "set_word": read_set_word,
    "duration": read_duration,
    "bare_units": read_bare_units,
    "the_day": read_the_day,
    "ordinal_day": read_ordinal_day,
    "units_long": read_bare_units,
    "reference": read_reference,
}

__all__ = ["Timex", "find_timexes", "parse_absolute", "resolve_expression", "tense_at"]

#: Rules whose day comes from the sentence, not from the publication date.
_NEEDS_REFERENCE = frozenset({"clock", "clock_ampm", "clock_military", "noon", "the_day"})
#: How far from publication a day mentioned earlier in the text may be and still anchor
#: "the same day" or a bare clock time in a later sentence.
_NARRATIVE_DAYS = 31
#: How many earlier timexes are searched for that day.
_LOOKBACK = 12
#: A fixed base for dateparser when the article has no date: only month and day are read then.
_NEUTRAL_BASE = date(2000, 1, 1)


@dataclass(frozen=True)
class Timex:
    """One time expression: its code-point span, TimeML type and value, and its days."""

    start: int
    end: int
    text: str
    type: TimexType
    value: str
    time: TimeValue | None


@lru_cache(maxsize=1)
def grammar() -> tuple[Rule, ...]:
    """The compiled grammar (compiled once, on first use)."""
    return rules()


@lru_cache(maxsize=8192)
def _dateparser(expression: str, base: date, prefer: str, parts: tuple[str, ...]) -> date | None:
    settings = {
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": prefer,
        "STRICT_PARSING": set(parts) == {"day", "month", "year"},
        "REQUIRE_PARTS": list(parts),
        "PREFER_DAY_OF_MONTH": "first",
        "PARSERS": ["absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(expression, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def parse_absolute(
    expression: str, parts: tuple[str, ...], tense: str, published: date | None = None
) -> date | None:
    """Read an absolute date with dateparser, explicit settings every time.

    ``parts`` are the parts the expression must state (day, month, year). Lone numbers are
    refused: dateparser would happily turn "12" into a date.
    """
    cleaned = " ".join(expression.split())
    if re.fullmatch(r"[\d\s,.]*", cleaned):
        raise ValueError(f"refusing to parse a lone number as a date: {expression!r}")
    prefer = "future" if check_tense(tense) == "future" else "past"
    return _dateparser(cleaned, published or _NEUTRAL_BASE, prefer, tuple(sorted(parts)))


def _read(cand: Candidate, context: Context) -> Reading | None:
    """The reading of one candidate; None when its days fall outside the calendar that
    ``datetime.date`` holds (years 1 to 9999): "3000 years ago" from 2022, "next year" from
    9999-12-31. Such an expression is left out rather than stopping the whole text."""
    try:
        return _READERS[cand.rule](cand, context)
    except OverflowError:
        return None
    except ValueError as error:
        if "out of range" in str(error):
            return None
        raise


def _sentence_starts(text: str, start: int, end: int) -> list[int]:
    lo = max(0, start - 400)
    return [lo] + [m.end() for m in SENTENCE_END.finditer(text, lo, min(len(text), end + 400))]


def _day_of(reading: Reading | None) -> date | None:
    if reading and reading.time and reading.time.begin and reading.time.begin == reading.time.end:
        return reading.time.begin
    return None


def _reference_day(
    index: int, days: list[date | None], sentence_of: list[int], published: date | None
) -> date | None:
    """The day the narrative is on at timex ``index``: the day pinned down nearest before
    (else after) it in its sentence, else the last day near publication mentioned in the
    sentences before, else the publication date."""
    sentence, before, after = sentence_of[index], index - 1, index + 1
    while before >= 0 and sentence_of[before] == sentence:
        if days[before]:
            return days[before]
        before -= 1
    while after < len(days) and sentence_of[after] == sentence:
        if days[after]:
            return days[after]
        after += 1
    for earlier in range(before, max(-1, before - _LOOKBACK), -1):
        found = days[earlier]
        if found and (published is None or abs((found - published).days) <= _NARRATIVE_DAYS):
            return found
    return published


def _needs_reference(cand: Candidate) -> bool:
    """Clock times without a day, "the same day", "the following Monday"."""
    following = " ".join((cand.groups.get("rel") or "").lower().split()).startswith("the ")
    return cand.rule in _NEEDS_REFERENCE or (cand.rule == "weekday" and following)


def _tense(text: str, cand: Candidate, given: str | None, future: bool) -> tuple[str, bool]:
    """(tense, marked?): the caller's tense, else future when an earlier date in the sentence
    lies after publication, else the tense read from the words around the expression."""
    if given:
        return given, True
    if future:
        return "future", True
    return read_tense(text, cand.start, cand.end)


def _find(
    text: str, published: date | None, start: int, end: int | None, tense: str | None
) -> list[Timex]:
    stop = len(text) if end is None else end
    if not 0 <= start <= stop <= len(text):
        raise ValueError(f"bad range [{start}, {end}) for a text of {len(text)} code points")
    chosen = select(candidates(text, start, stop, grammar()), lambda c: accept(c, text))
    starts = _sentence_starts(text, start, stop)
    sentence_of = [bisect.bisect_right(starts, c.start) for c in chosen]
    parse = partial(parse_absolute, published=published)
    readings: list[Reading | None] = [None] * len(chosen)
    future_sentences: set[int] = set()
    for index, cand in enumerate(chosen):
        if _needs_reference(cand):
            continue
        here, cued = _tense(text, cand, tense, sentence_of[index] in future_sentences)
        context = Context(text, published, here, cued, published, parse)
        reading = _read(cand, context)
        readings[index] = reading
        if published and reading and reading.time and (reading.time.begin or published) > published:
            future_sentences.add(sentence_of[index])
    days = [_day_of(r) for r in readings]
    for index, cand in enumerate(chosen):
        if _needs_reference(cand):
            here, cued = _tense(text, cand, tense, False)
            reference = _reference_day(index, days, sentence_of, published)
            context = Context(text, published, here, cued, reference, parse)
            readings[index] = _read(cand, context)
    return [
        Timex(c.start, c.end, text[c.start : c.end], r.type, r.value, r.time)
        for c, r in zip(chosen, readings)
        if r is not None
    ]


def find_timexes(
    text: str, published: date | None, *, start: int = 0, end: int | None = None
) -> list[Timex]:
    """Every time expression in ``text[start:end]``, in text order, offsets into ``text``.

    Relative expressions are anchored to ``published`` (tense read from the words around
    each expression); without a publication date they come back unresolved.
    """
    return _find(text, published, start, end, None)


def resolve_expression(
    expression: str, published: date | None, *, tense: str = "past"
) -> TimeValue | None:
    """The days of one expression ("on Friday", "late March", "October 14, 2022"), read in
    ``tense`` (``"past"`` or ``"future"``); None when it holds no date."""
    check_tense(tense)
    for timex in _find(expression, published, 0, len(expression), tense):
        if timex.time is not None:
            return timex.time
    return None
