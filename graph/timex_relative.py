"""Normalisers for expressions read against an anchor: weekdays, today/yesterday, clock times,
"N days ago", durations, sets and generic references ("recently", "the future").

Same contract as :mod:`graph.timex_dates`: ``read_<rule>(candidate, ctx)`` returns a
:class:`Reading` or None. Arithmetic is ours; dateparser is not used for these.
"""

from __future__ import annotations

from datetime import date, timedelta

from graph import timex_calendar as cal
from graph.timex_grammar import Candidate
from graph.timex_lexicon import (
    PARTS_OF_DAY,
    REFERENCES,
    SET_WORDS,
    number_value,
    unit_of,
    weekday_number,
)
from graph.timex_reading import (
    Context,
    Reading,
    dated,
    day,
    relative_anchor,
    undated,
    unresolved,
    words_before,
)

_DAY_OFFSETS = {
    "today": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}
_DURATION_CODES = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "week": "W",
    "fortnight": "W",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "decade": "Y",
    "century": "Y",
}
_UNIT_FACTORS = {"fortnight": 2, "decade": 10, "century": 100}
_VAGUE_CODES = {"decade": "DE", "century": "CE"}
#: Words before "in N years" that make it a span looked back over ("the first time in three
#: years", "the lowest level in six years") rather than a date ahead.
_SPAN_WORDS = frozenset({"time", "first", "level", "levels", "since", "once", "ever", "only"})


def _words(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _number(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else f"{amount:g}"


def duration_value(amount: float | None, unit: str) -> str:
    """TimeML duration: (2, "week") → ``P2W``; (30, "minute") → ``PT30M``; (None, "year") →
    ``PXY``."""
    prefix = "PT" if unit in ("second", "minute", "hour") else "P"
    if amount is None:
        return f"{prefix}X{_VAGUE_CODES.get(unit, _DURATION_CODES[unit])}"
    return f"{prefix}{_number(amount * _UNIT_FACTORS.get(unit, 1))}{_DURATION_CODES[unit]}"


def _part_code(*parts: str | None) -> str | None:
    for part in parts:
        if part:
            return PARTS_OF_DAY[part.lower()]
    return None


def _on_day(when: date, part: str | None, anchor: str) -> Reading:
    if part:
        return day("TIME", f"{when.isoformat()}T{part}", when, anchor)
    return day("DATE", when.isoformat(), when, anchor)


def read_weekday(cand: Candidate, ctx: Context) -> Reading | None:
    """Weekdays: "Friday" (by tense), "last Friday", "next Friday", "Saturday morning"."""
    groups = cand.groups
    weekday, rel = weekday_number(groups["wd"] or ""), _words(groups.get("rel"))
    part = _part_code(groups.get("part"))
    if rel in ("the following", "the next", "the previous"):
        base = ctx.reference
        if base is None:
            return unresolved("TIME" if part else "DATE", f"XXXX-WXX-{weekday + 1}")
        when = cal.weekday_near(
            base, weekday, "past" if rel == "the previous" else "future", strict=True
        )
        return _on_day(when, part, f"relative to {base.isoformat()}")
    if ctx.published is None:
        return unresolved(
            "TIME" if part else "DATE", f"XXXX-WXX-{weekday + 1}" + (f"T{part}" if part else "")
        )
    pub = ctx.published
    if rel in ("last", "past", "previous", "this past"):
        when = cal.weekday_near(pub, weekday, "past", strict=True)
    elif rel in ("next", "coming", "this coming"):
        when = cal.weekday_near(pub, weekday, "future", strict=True)
    else:
        when = cal.weekday_near(pub, weekday, ctx.tense)
    return _on_day(when, part, relative_anchor(pub))


def read_day_word(cand: Candidate, ctx: Context) -> Reading | None:
    """Days named from publication: "today", "yesterday morning", "tonight", "last night"."""
    groups = cand.groups
    word = _words(groups.get("word"))
    part = _part_code(
        groups.get("part"), groups.get("part2"), "night" if word == "tonight" else None
    )
    offset = _DAY_OFFSETS[word] if word else (-1 if _words(groups.get("this")) == "last" else 0)
    if ctx.published is None:
        return unresolved("TIME" if part else "DATE", "XXXX-XX-XX" + (f"T{part}" if part else ""))
    when = ctx.published + timedelta(days=offset)
    anchor = "publication date" if offset == 0 else relative_anchor(ctx.published)
    return _on_day(when, part, anchor)


def _clock_day(groups: dict[str, str | None], ctx: Context) -> tuple[date | None, str]:
    ref = _words(groups.get("dayref"))
    if ref in _DAY_OFFSETS and ctx.published is not None:
        return ctx.published + timedelta(days=_DAY_OFFSETS[ref]), relative_anchor(ctx.published)
    if ref and ref not in _DAY_OFFSETS and ctx.published is not None:
        weekday = weekday_number(ref)
        return cal.weekday_near(ctx.published, weekday, ctx.tense), relative_anchor(ctx.published)
    if ref:
        return None, ""
    if ctx.reference is None:
        return None, ""
    anchor = (
        "publication date"
        if ctx.reference == ctx.published
        else f"relative to {ctx.reference.isoformat()}"
    )
    return ctx.reference, anchor


def read_clock(cand: Candidate, ctx: Context) -> Reading | None:
    """Clock times: "18:00 UTC", "6:40 p.m.", "3 pm", "0800 GMT", "12:00 UTC Monday"."""
    groups = cand.groups
    hour, minute = int(groups["hour"] or 0), int(groups.get("minute") or 0)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    zone = "Z" if groups.get("tz") else ""
    clock = f"T{hour:02d}:{minute:02d}{zone}"
    when, anchor = _clock_day(groups, ctx)
    if when is None:
        return unresolved("TIME", f"XXXX-XX-XX{clock}")
    return day("TIME", f"{when.isoformat()}{clock}", when, anchor)


def read_the_day(cand: Candidate, ctx: Context) -> Reading | None:
    """The narrative's day ("to end the day", "the same day", "the next day"): the day the
    narrative is on, or the one after or before it."""
    if ctx.reference is None:
        return unresolved("DATE", "XXXX-XX-XX")
    shift = _words(cand.groups.get("shift"))
    when = ctx.reference + timedelta(
        days=(1 if shift in ("next", "following") else -1 if shift else 0)
    )
    anchor = (
        "publication date"
        if ctx.reference == ctx.published and not shift
        else f"relative to {ctx.reference.isoformat()}"
    )
    return day("DATE", when.isoformat(), when, anchor)


def read_ordinal_day(cand: Candidate, ctx: Context) -> Reading | None:
    """A day of the month alone ("on the 21st"): that day of the publication month, or of
    the month before (past tense) or after (future) when this month's has not come or has gone."""
    number = int("".join(ch for ch in cand.groups["day"] or "" if ch.isdigit()))
    if ctx.published is None:
        return unresolved("DATE", f"XXXX-XX-{number:02d}")
    pub = ctx.published
    step = -1 if ctx.tense == "past" else 1
    for offset in range(0, 4 * step, step):
        year, month = cal.shift_month(pub.year, pub.month, offset)
        when = cal.valid_day(year, month, number)
        if when and (when <= pub if ctx.tense == "past" else when >= pub):
            return day(
                "DATE", when.isoformat(), when, f"month inferred from publication {pub.isoformat()}"
            )
    return None


def read_noon(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    clock = "T24:00" if _words(groups.get("word")) == "midnight" else "T12:00"
    if ctx.reference is None:
        return unresolved("TIME", f"XXXX-XX-XX{clock}")
    return day(
        "TIME",
        f"{ctx.reference.isoformat()}{clock}",
        ctx.reference,
        f"relative to {ctx.reference.isoformat()}",
    )


def _shifted(pub: date, amount: float, unit: str, sign: int, anchor: str) -> Reading:
    """The date ``amount`` ``unit``s before (sign -1) or after (sign 1) ``pub``, at the
    granularity of the unit: days for days and weeks, months for months, years for years."""
    if unit in ("second", "minute", "hour"):
        return day("DATE", pub.isoformat(), pub, anchor)
    if unit in ("day", "week", "fortnight"):
        days = round(amount * {"day": 1, "week": 7, "fortnight": 14}[unit])
        when = pub + timedelta(days=sign * days)
        if unit == "day":
            return day("DATE", when.isoformat(), when, anchor)
        return dated(
            "DATE",
            when.isoformat(),
            (when - timedelta(days=3), when + timedelta(days=3)),
            "interval",
            anchor,
            exact=False,
        )
    months = round(
        amount * {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}[unit]
    )
    when = cal.add_months(pub, sign * months)
    if unit in ("month", "quarter") or months % 12:
        return dated(
            "DATE",
            f"{when.year}-{when.month:02d}",
            cal.month_period(when.year, when.month),
            "month",
            anchor,
        )
    return dated("DATE", str(when.year), cal.year_period(when.year), "year", anchor)


def read_ago(cand: Candidate, ctx: Context) -> Reading | None:
    """Counting back: "two weeks ago", "20 years ago"; a vague amount ("years ago") is PAST_REF."""
    groups = cand.groups
    amount, unit = number_value(groups["num"] or ""), unit_of(groups["unit"] or "")
    if amount is None:
        return undated("DATE", "PAST_REF")
    if ctx.published is None:
        return unresolved("DATE", "XXXX-XX-XX")
    return _shifted(ctx.published, amount, unit, -1, relative_anchor(ctx.published))


def read_duration(cand: Candidate, ctx: Context) -> Reading | None:
    """Durations: "two weeks", "almost two and a half years", "the next four years", "12-hour".

    "in three weeks" in a future-tense sentence is the date three weeks after publication.
    """
    groups = cand.groups
    amount, unit = number_value(groups["num"] or ""), unit_of(groups["unit"] or "")
    plain = not groups.get("qmod") and not groups.get("dir") and not groups.get("adj")
    before = words_before(ctx.text, cand.start, 5)
    measured = any(w in _SPAN_WORDS or w.endswith("est") for w in before[:-1])
    if (
        plain
        and amount is not None
        and ctx.tense == "future"
        and ctx.published is not None
        and before[-1:] == ["in"]
        and not measured
    ):
        return _shifted(ctx.published, amount, unit, 1, relative_anchor(ctx.published))
    return undated("DURATION", duration_value(amount, unit))


def read_bare_units(cand: Candidate, ctx: Context) -> Reading | None:
    """Unquantified units: "within weeks" → PXW, "for years" → PXY, and "in the coming
    weeks" → FUTURE_REF."""
    groups = cand.groups
    unit, det = unit_of(groups["unit"] or ""), _words(groups.get("det"))
    if det in ("the coming", "the next"):
        return undated("DATE", "FUTURE_REF")
    return undated("DURATION", duration_value(None, unit))


def read_set_every(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    if groups.get("wd"):
        return undated("SET", f"XXXX-WXX-{weekday_number(groups['wd'] or '') + 1}")
    unit = unit_of(groups["unit"] or "")
    amount = 2 if groups.get("other") else number_value(groups["num"]) if groups.get("num") else 1
    return undated("SET", duration_value(amount, unit))


def read_set_times(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    return undated("SET", duration_value(1, unit_of(groups["unit"] or "")))


def read_set_word(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    return undated("SET", SET_WORDS[_words(groups.get("word"))])


def read_reference(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    return undated("DATE", REFERENCES[_words(groups.get("word"))])
