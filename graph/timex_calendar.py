"""Calendar arithmetic for time expressions: periods, weeks, seasons, anchoring by tense.

Pure functions over :class:`datetime.date`. A *period* is an inclusive ``(begin, end)`` pair
of days. Tense is ``"past"`` or ``"future"``: which way an expression without a year (or a
weekday) is read from the publication date.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

Period = tuple[date, date]

TENSES = ("past", "future")
#: In a past-tense sentence a day-and-month without a year still means the coming one when it
#: falls this close after publication ("arrives on November 11" in an article of 5 November).
UPCOMING_HORIZON_DAYS = 31
#: Likewise a month, quarter or season that begins this soon after publication ("by early June"
#: in an article of mid-May, "during the fourth quarter" in one of mid-August, "winter" in one
#: of October).
UPCOMING_PERIOD_DAYS = 62

_SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def check_tense(tense: str) -> str:
    """Return ``tense`` if valid, else raise ValueError naming the choices."""
    if tense not in TENSES:
        raise ValueError(f"unknown tense {tense!r}; expected one of {list(TENSES)}")
    return tense


def valid_day(year: int, month: int, day: int) -> date | None:
    """The date, or None when the day does not exist (30 February)."""
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def month_period(year: int, month: int) -> Period:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def year_period(year: int) -> Period:
    return date(year, 1, 1), date(year, 12, 31)


def week_period(day: date) -> Period:
    """Monday to Sunday of the ISO week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_value(day: date) -> str:
    """TimeML value of the ISO week holding ``day``: ``2022-W41``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekend_period(day: date) -> Period:
    """Saturday and Sunday of the ISO week holding ``day``."""
    monday = week_period(day)[0]
    return monday + timedelta(days=5), monday + timedelta(days=6)


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return month_period(year, first)[0], month_period(year, first + 2)[1]


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def season_period(year: int, code: str) -> Period:
    """Meteorological seasons; winter ``YYYY-WI`` runs December YYYY to February YYYY+1."""
    first = _SEASON_MONTHS[code]
    begin = date(year, first, 1)
    last_year, last_month = (year + 1, 2) if code == "WI" else (year, first + 2)
    return begin, month_period(last_year, last_month)[1]


def season_of(day: date) -> tuple[int, str]:
    """The season holding ``day`` as (year, code); January and February belong to last winter."""
    if day.month in (1, 2):
        return day.year - 1, "WI"
    code = next(c for c, m in sorted(_SEASON_MONTHS.items(), key=lambda i: -i[1]) if day.month >= m)
    return day.year, code


def decade_period(first_year: int) -> Period:
    return date(first_year, 1, 1), date(first_year + 9, 12, 31)


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def add_months(day: date, delta: int) -> date:
    year, month = shift_month(day.year, day.month, delta)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def weekday_near(published: date, weekday: int, tense: str, *, strict: bool = False) -> date:
    """The ``weekday`` (Monday 0) nearest ``published`` in the direction of ``tense``.

    Past: the most recent such day on or before publication (strictly before if ``strict``,
    as for "last Friday"); future: the next on or after (strictly after for "next Friday").
    """
    check_tense(tense)
    if tense == "past":
        back = (published.weekday() - weekday) % 7
        return published - timedelta(days=back or (7 if strict else 0))
    ahead = (weekday - published.weekday()) % 7
    return published + timedelta(days=ahead or (7 if strict else 0))


def infer_year_for_day(
    month: int,
    day: int,
    published: date,
    tense: str,
    weekday: int | None = None,
    *,
    upcoming: bool = True,
) -> date | None:
    """The date of ``month``/``day`` with the year the article most plausibly means.

    A weekday named with the date ("Friday, October 14") picks the year where it matches.
    Otherwise past tense takes the latest such day on or before publication, unless
    ``upcoming`` (the tense was not marked in the text) and the day comes within
    :data:`UPCOMING_HORIZON_DAYS` after it; future tense takes the next on or after.
    """
    check_tense(tense)
    candidates = [
        d
        for y in range(published.year - 4, published.year + 5)
        if (d := valid_day(y, month, day)) is not None
    ]
    if not candidates:
        return None
    if weekday is not None:
        matching = [
            d for d in candidates if d.weekday() == weekday and abs(d.year - published.year) <= 1
        ]
        if matching:
            return min(matching, key=lambda d: abs((d - published).days))
    ahead = [d for d in candidates if d >= published]
    behind = [d for d in candidates if d <= published]
    if tense == "future":
        return min(ahead)
    soon = [d for d in ahead if (d - published).days <= UPCOMING_HORIZON_DAYS]
    return min(soon) if soon and upcoming else max(behind)


def _upcoming(begin: date, published: date) -> bool:
    return 0 < (begin - published).days <= UPCOMING_PERIOD_DAYS


def infer_year_for_month(month: int, published: date, tense: str, *, upcoming: bool = True) -> int:
    """Past: the latest such month up to the publication month, unless ``upcoming`` and it
    begins within :data:`UPCOMING_PERIOD_DAYS`; future: the next from the publication month."""
    check_tense(tense)
    if tense == "future":
        return published.year if month >= published.month else published.year + 1
    if month <= published.month:
        return published.year
    soon = upcoming and _upcoming(date(published.year, month, 1), published)
    return published.year if soon else published.year - 1


def infer_year_for_season(code: str, published: date, tense: str, *, upcoming: bool = True) -> int:
    """Past: the latest season that has begun by publication (or, if ``upcoming``, begins
    within :data:`UPCOMING_PERIOD_DAYS`); future: the next not yet over."""
    check_tense(tense)
    past = tense == "past"
    years = (published.year - 1, published.year, published.year + 1)
    for year in reversed(years) if past else years:
        begin, end = season_period(year, code)
        if past and (begin <= published or (upcoming and _upcoming(begin, published))):
            return year
        if not past and end >= published:
            return year
    return published.year


def infer_year_for_quarter(
    quarter: int, published: date, tense: str, *, upcoming: bool = True
) -> int:
    """Past: the latest such quarter begun by publication, unless ``upcoming`` and it begins
    within :data:`UPCOMING_PERIOD_DAYS`; future: the next not yet over."""
    check_tense(tense)
    current = quarter_of(published)
    if tense == "future":
        return published.year if quarter >= current else published.year + 1
    if quarter <= current:
        return published.year
    soon = upcoming and _upcoming(quarter_period(published.year, quarter)[0], published)
    return published.year if soon else published.year - 1


def part_of(period: Period, part: str, unit: str) -> Period:
    """The early, mid or late part of a period (``part`` in early|mid|late).

    Months: 1–10, 11–20, 20–end. Weeks: Sunday before to Wednesday, Tuesday to Thursday,
    Thursday to Sunday. Other periods: thirds by month (early 2009 → January–April).
    """
    begin, end = period
    if unit == "month":
        if part == "early":
            return begin, begin.replace(day=10)
        if part == "mid":
            return begin.replace(day=11), begin.replace(day=20)
        return begin.replace(day=20), end
    if unit == "week":
        offsets = {"early": (-1, 2), "mid": (1, 3), "late": (3, 6)}[part]
        return begin + timedelta(days=offsets[0]), begin + timedelta(days=offsets[1])
    months = (end.year - begin.year) * 12 + end.month - begin.month + 1
    third = max(1, months // 3)
    if part == "early":
        return begin, add_months(begin, third) - timedelta(days=1)
    if part == "mid":
        first = add_months(begin, third)
        return first, add_months(first, max(1, months - 2 * third)) - timedelta(days=1)
    return add_months(begin, months - third), end


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
