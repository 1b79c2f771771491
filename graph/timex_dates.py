"""Normalisers for calendar dates: days, months, quarters, seasons, years, decades, holidays.

Each ``read_<rule>(candidate, ctx)`` turns one grammar match into a :class:`Reading`, or None
when the words do not make a real date. Absolute days go through ``ctx.parse`` (dateparser);
what the text leaves out (the year of "October 14", the month of "next month") is filled in
by :mod:`graph.timex_calendar` from the publication date and the tense.
"""

from __future__ import annotations

from datetime import date, timedelta

from graph import timex_calendar as cal
from graph.model import Precision
from graph.timex_grammar import Candidate
from graph.timex_lexicon import HOLIDAYS, SEASONS, month_number, weekday_number
from graph.timex_reading import (
    Context,
    Reading,
    dated,
    day,
    narrow,
    relative_anchor,
    undated,
    unresolved,
    year_anchor,
)

_BACKWARD = {"last", "past", "previous", "the last", "the past", "the previous", "this past"}
_FORWARD = {"next", "coming", "the next", "the coming", "this coming", "the following"}
_CURRENT = {"this", "current", "the current", "the same", "the"}


def _rel(groups: dict[str, str | None], name: str = "rel") -> str:
    return " ".join((groups.get(name) or "").lower().split())


def _clean(expression: str) -> str:
    """Blank runs collapsed and blanks before commas dropped, for dateparser."""
    return " ".join(expression.replace(" ,", ",").split()).replace(" ,", ",")


def read_iso(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    when = ctx.parse(ctx.text[cand.start : cand.start + 10], ("day", "month", "year"), ctx.tense)
    if when is None:
        return None
    if groups.get("hour"):
        value = f"{when.isoformat()}T{groups['hour']}:{groups['minute']}"
        return day("TIME", value, when, "explicit")
    return day("DATE", when.isoformat(), when, "explicit")


def read_slash(cand: Candidate, ctx: Context) -> Reading | None:
    when = ctx.parse(ctx.text[cand.start : cand.end], ("day", "month", "year"), ctx.tense)
    return None if when is None else day("DATE", when.isoformat(), when, "explicit")


def read_day(cand: Candidate, ctx: Context) -> Reading | None:
    """Days of a month ("October 14", "Friday, 14 October 2022"): dateparser reads the day and
    month; a missing year comes from the publication date and the tense."""
    groups = cand.groups
    month = month_number(groups["mon"] or "")
    number = int("".join(ch for ch in groups["day"] or "" if ch.isdigit()))
    if groups.get("year"):
        when = ctx.parse(
            _clean(ctx.text[cand.start : cand.end]), ("day", "month", "year"), ctx.tense
        )
        return None if when is None else day("DATE", when.isoformat(), when, "explicit")
    parsed = ctx.parse(_clean(f"{groups['mon']} {number}"), ("day", "month"), ctx.tense)
    if parsed is None or (parsed.month, parsed.day) != (month, number):
        return None
    if ctx.published is None:
        return unresolved("DATE", f"XXXX-{month:02d}-{number:02d}")
    weekday = weekday_number(groups["wd"]) if groups.get("wd") else None
    when = cal.infer_year_for_day(
        month, number, ctx.published, ctx.tense, weekday, upcoming=not ctx.cued
    )
    if when is None:
        return None
    return day("DATE", when.isoformat(), when, year_anchor(ctx.published))


def _month_reading(year: int, month: int, mod: str | None, anchor: str) -> Reading:
    period = cal.month_period(year, month)
    return narrow("DATE", f"{year}-{month:02d}", period, "month", "month", mod, anchor)


def read_month_year(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    month = month_number(groups["mon"] or "")
    parsed = ctx.parse(_clean(f"{groups['mon']} {groups['year']}"), ("month", "year"), ctx.tense)
    if parsed is None or parsed.month != month:
        return None
    return _month_reading(parsed.year, month, groups.get("mod"), "explicit")


def read_month(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    month = month_number(groups["mon"] or "")
    rel, yrel = _rel(groups), _rel(groups, "yrel")
    if ctx.published is None:
        return unresolved("DATE", f"XXXX-{month:02d}")
    pub = ctx.published
    if yrel:
        year = _year_of_rel(yrel, pub)
    elif rel in _BACKWARD:
        year = pub.year if month < pub.month else pub.year - 1
    elif rel in _FORWARD:
        year = pub.year if month > pub.month else pub.year + 1
    elif rel in _CURRENT:
        year = pub.year
    else:
        year = cal.infer_year_for_month(month, pub, ctx.tense, upcoming=not ctx.cued)
    anchor = relative_anchor(pub) if rel or yrel else year_anchor(pub)
    return _month_reading(year, month, groups.get("mod"), anchor)


_ORDINAL_QUARTERS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}


def _quarter_reading(year: int, quarter: int, anchor: str) -> Reading:
    return dated(
        "DATE", f"{year}-Q{quarter}", cal.quarter_period(year, quarter), "interval", anchor
    )


def _year_of_rel(yrel: str, pub: date) -> int:
    """The year "last year" (before publication), "next year" or "this year" names."""
    return pub.year + (
        -1 if yrel in ("last", "the previous") else 1 if yrel in ("next", "the following") else 0
    )


def read_quarter(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    ordinal, yrel = _rel(groups, "ord"), _rel(groups, "yrel")
    explicit_year = int(groups["year"]) if groups.get("year") else None
    if ordinal in ("last", "final"):
        if explicit_year is None and not yrel:
            if ctx.published is None:
                return unresolved("DATE", "XXXX-QX")
            current = cal.quarter_of(ctx.published)
            year, quarter = (
                (ctx.published.year, current - 1) if current > 1 else (ctx.published.year - 1, 4)
            )
            return _quarter_reading(year, quarter, relative_anchor(ctx.published))
        quarter = 4
    else:
        quarter = _ORDINAL_QUARTERS[ordinal]
    if explicit_year is not None:
        return _quarter_reading(explicit_year, quarter, "explicit")
    if ctx.published is None:
        return unresolved("DATE", f"XXXX-Q{quarter}")
    if yrel:
        return _quarter_reading(
            _year_of_rel(yrel, ctx.published), quarter, relative_anchor(ctx.published)
        )
    year = cal.infer_year_for_quarter(quarter, ctx.published, ctx.tense, upcoming=not ctx.cued)
    return _quarter_reading(year, quarter, year_anchor(ctx.published))


def read_quarter_code(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    quarter = int(groups["q"] or 0)
    if groups.get("year"):
        return _quarter_reading(int(groups["year"] or 0), quarter, "explicit")
    if ctx.published is None:
        return unresolved("DATE", f"XXXX-Q{quarter}")
    year = cal.infer_year_for_quarter(quarter, ctx.published, ctx.tense, upcoming=not ctx.cued)
    return _quarter_reading(year, quarter, year_anchor(ctx.published))


def read_season(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    code = SEASONS[(groups["season"] or "").lower()]
    rel = _rel(groups)
    if groups.get("year"):
        year, anchor = int(groups["year"] or 0), "explicit"
    elif ctx.published is None:
        return unresolved("DATE", f"XXXX-{code}")
    else:
        pub = ctx.published
        current_year, current_code = cal.season_of(pub)
        anchor = relative_anchor(pub) if rel and rel != "the" else year_anchor(pub)
        if rel in _BACKWARD:
            year = cal.infer_year_for_season(code, pub, "past")
            year -= 1 if (year, code) == (current_year, current_code) else 0
        elif rel in _FORWARD:
            year = cal.infer_year_for_season(code, pub, "future")
            year += 1 if (year, code) == (current_year, current_code) else 0
        elif rel in ("this", "current", "the current"):
            year = current_year if code == current_code else pub.year
        else:
            year = cal.infer_year_for_season(code, pub, ctx.tense, upcoming=not ctx.cued)
    return narrow(
        "DATE",
        f"{year}-{code}",
        cal.season_period(year, code),
        "season",
        "season",
        groups.get("mod"),
        anchor,
    )


def _period_of(unit: str, pub: date, step: int) -> tuple[str, cal.Period, Precision]:
    """(TimeML value, period, precision) of the ``unit`` ``step`` units from ``pub``."""
    if unit == "week":
        shifted = pub + timedelta(days=7 * step)
        return cal.week_value(shifted), cal.week_period(shifted), "week"
    if unit == "month":
        year, month = cal.shift_month(pub.year, pub.month, step)
        return f"{year}-{month:02d}", cal.month_period(year, month), "month"
    if unit == "quarter":
        index = pub.year * 4 + cal.quarter_of(pub) - 1 + step
        year, quarter = index // 4, index % 4 + 1
        return f"{year}-Q{quarter}", cal.quarter_period(year, quarter), "interval"
    if unit == "decade":
        first = pub.year - pub.year % 10 + 10 * step
        return str(first // 10), cal.decade_period(first), "interval"
    if unit == "century":
        first = pub.year - pub.year % 100 + 100 * step
        return str(first // 100), (date(first, 1, 1), date(first + 99, 12, 31)), "interval"
    return str(pub.year + step), cal.year_period(pub.year + step), "year"


def _weekend(rel: str, pub: date, tense: str) -> cal.Period:
    on_weekend = pub.weekday() >= 5
    if rel in _BACKWARD or (rel not in _FORWARD and tense == "past"):
        this_one = on_weekend and rel not in _BACKWARD
        return cal.weekend_period(pub if this_one else pub - timedelta(days=7))
    return cal.weekend_period(pub + timedelta(days=7) if on_weekend else pub)


_DURATION_UNITS = {"week": "P1W", "month": "P1M", "year": "P1Y", "decade": "P10Y", "quarter": "P1Q"}


def read_relative_period(cand: Candidate, ctx: Context) -> Reading | None:
    """Periods named from publication: "last week", "early this week", "the weekend"."""
    groups = cand.groups
    unit, rel, mod, ei = (
        (groups["unit"] or "").lower(),
        _rel(groups),
        groups.get("mod"),
        _rel(groups, "ei"),
    )
    if rel in ("the past", "the last") and unit in ("week", "month") and not mod:
        return undated("DURATION", _DURATION_UNITS[unit])
    if rel in ("the past", "the last") and unit == "decade" and not mod:
        return undated("DURATION", "P10Y")
    if rel == "the past" and unit == "year" and not mod:
        return undated("DURATION", "P1Y")
    if ctx.published is None:
        return unresolved(
            "DATE",
            {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX"}.get(unit, "XXXX"),
        )
    pub, anchor = ctx.published, relative_anchor(ctx.published)
    if unit == "weekend":
        period = _weekend(rel, pub, ctx.tense)
        return dated("DATE", f"{cal.week_value(period[0])}-WE", period, "interval", anchor)
    step = -1 if rel in _BACKWARD else 1 if rel in _FORWARD else 0
    value, period, precision = _period_of(unit, pub, step)
    if ei == "earlier" and step == 0:
        return dated(
            "DATE",
            value,
            (period[0], max(period[0], pub - timedelta(days=1))),
            precision,
            anchor,
            exact=False,
        )
    if ei == "later" and step == 0:
        return dated(
            "DATE",
            value,
            (min(period[1], pub + timedelta(days=1)), period[1]),
            precision,
            anchor,
            exact=False,
        )
    return narrow("DATE", value, period, precision, unit, mod, anchor)


def read_new_year(cand: Candidate, ctx: Context) -> Reading | None:
    if ctx.published is None:
        return unresolved("DATE", "XXXX")
    year = ctx.published.year + (1 if ctx.published.month >= 7 else 0)
    return dated("DATE", str(year), cal.year_period(year), "year", relative_anchor(ctx.published))


def read_year(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    year = int(groups["year"] or 0)
    if groups.get("fiscal"):
        return undated("DATE", f"FY{year}")
    period = cal.year_period(year)
    return narrow("DATE", str(year), period, "year", "year", groups.get("mod"), "explicit")


def read_short_year(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    short = int(groups["yy"] or 0)
    limit = ctx.published.year + 10 if ctx.published else 2030
    year = 2000 + short if 2000 + short <= limit else 1900 + short
    return dated("DATE", str(year), cal.year_period(year), "year", "explicit")


def read_decade(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    if groups.get("d4") or groups.get("e4"):
        first = int(groups.get("d4") or groups.get("e4") or 0)
        anchor = "explicit"
    else:
        tens = int(groups["d2"] or 0)
        limit = ctx.published.year if ctx.published else 2030
        first = 2000 + tens if 2000 + tens <= limit else 1900 + tens
        anchor = "century inferred"
    return narrow(
        "DATE",
        str(first // 10),
        cal.decade_period(first),
        "interval",
        "decade",
        groups.get("mod"),
        anchor,
    )


def _holiday_day(name: str, year: int) -> date | None:
    key = " ".join(name.lower().replace("’", "'").split())
    if key.startswith("easter"):
        return cal.easter(year) + timedelta(days=1 if key.endswith("monday") else 0)
    if key.startswith("thanksgiving"):
        return cal.thanksgiving(year)
    month_day = HOLIDAYS.get(key)
    return date(year, *month_day) if month_day else None


def read_holiday(cand: Candidate, ctx: Context) -> Reading | None:
    groups = cand.groups
    name, rel = groups["hol"] or "", _rel(groups)
    if groups.get("year"):
        when = _holiday_day(name, int(groups["year"] or 0))
        return None if when is None else day("DATE", when.isoformat(), when, "explicit")
    if ctx.published is None:
        return unresolved("DATE", "XXXX-XX-XX")
    pub = ctx.published
    options = [d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _holiday_day(name, y))]
    if rel == "last" or (rel != "next" and ctx.tense == "past"):
        chosen = max((d for d in options if (d < pub if rel == "last" else d <= pub)), default=None)
    else:
        chosen = min((d for d in options if (d > pub if rel == "next" else d >= pub)), default=None)
    return None if chosen is None else day("DATE", chosen.isoformat(), chosen, year_anchor(pub))
