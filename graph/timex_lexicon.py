"""Word tables for time expressions: months, weekdays, numbers, units, seasons, holidays.

Plain data plus tiny lookups, shared by the grammar (which builds regexes from these words) and
the normaliser (which maps the matched words to values). Nothing here touches a date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
#: Abbreviations are only read next to a day or a year ("Sept. 21", "Oct 2022"), never alone.
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
#: Month names that are also common English words or given names: read alone only after a
#: preposition or a period modifier ("in May", "early March"), never as a bare word.
AMBIGUOUS_MONTHS = frozenset({"march", "may"})

WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
#: Capitalised words that turn a weekday into the name of a day ("Black Monday", "Good Friday").
WEEKDAY_NAME_PREFIXES = frozenset(
    {
        "black",
        "good",
        "cyber",
        "super",
        "bloody",
        "ash",
        "holy",
        "maundy",
        "easter",
        "palm",
        "shrove",
        "fat",
        "blue",
        "giving",
        "great",
        "spy",
        "white",
    }
)

SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "autumn": "FA",
    "fall": "FA",
    "winter": "WI",
}

#: Parts of the day and their TimeML codes.
PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
}

UNITS: dict[str, str] = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "week": "W",
    "fortnight": "F",
    "month": "MO",
    "quarter": "Q",
    "year": "Y",
    "decade": "DE",
    "century": "CE",
}
UNIT_PLURALS: dict[str, str] = {
    "seconds": "second",
    "minutes": "minute",
    "hours": "hour",
    "days": "day",
    "weeks": "week",
    "fortnights": "fortnight",
    "months": "month",
    "quarters": "quarter",
    "years": "year",
    "decades": "decade",
    "centuries": "century",
}

#: Words for numbers that quantify a duration; None means an unspecified amount (``PXY``).
NUMBER_WORDS: dict[str, float | None] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "half a": 0.5,
    "a half": 0.5,
    "a dozen": 12,
    "dozen": 12,
    "a few": None,
    "few": None,
    "several": None,
    "some": None,
    "many": None,
    "dozens of": None,
    "hundreds of": None,
}
#: Fixed-date holidays (month, day); moving ones are computed by the calendar module.
HOLIDAYS: dict[str, tuple[int, int]] = {
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "valentine's day": (2, 14),
    "halloween": (10, 31),
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
}

#: Generic references with no calendar value of their own.
REFERENCES: dict[str, str] = {
    "currently": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "presently": "PRESENT_REF",
    "nowadays": "PRESENT_REF",
    "at the moment": "PRESENT_REF",
    "the time being": "PRESENT_REF",
    "these days": "PRESENT_REF",
    "now": "PRESENT_REF",
    "current": "PRESENT_REF",
    "recently": "PAST_REF",
    "more recently": "PAST_REF",
    "lately": "PAST_REF",
    "the past": "PAST_REF",
    "recent": "PAST_REF",
    "the future": "FUTURE_REF",
    "the near future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF",
    "the near term": "FUTURE_REF",
    "the long term": "FUTURE_REF",
    "the short term": "FUTURE_REF",
    "soon": "FUTURE_REF",
    "very soon": "FUTURE_REF",
}

#: Set adjectives and adverbs ("weekly" → every week).
SET_WORDS: dict[str, str] = {
    "hourly": "PT1H",
    "daily": "P1D",
    "nightly": "P1D",
    "weekly": "P1W",
    "biweekly": "P2W",
    "fortnightly": "P2W",
    "monthly": "P1M",
    "quarterly": "P3M",
    "annual": "P1Y",
    "annually": "P1Y",
    "yearly": "P1Y",
}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any inline blank."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"[^\S\n]+") for w in ordered)


def capitalised(words: Iterable[str]) -> str:
    """An alternation that accepts ``January`` and ``JANUARY`` but not ``january``."""
    return alternation({form for w in words for form in (w.capitalize(), w.upper())})


def number_value(text: str) -> float | None:
    """``"27"`` → 27, ``"twenty-five"`` → 25, ``"two and a half"`` → 2.5, ``"several"`` → None.

    Raises ValueError for words that are not numbers.
    """
    words = " ".join(text.lower().replace("-", " ").split())
    if words in NUMBER_WORDS:
        return NUMBER_WORDS[words]
    if " and a half" in words:
        whole = number_value(words.replace(" and a half", ""))
        return None if whole is None else whole + 0.5
    total = 0.0
    for word in words.split():
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            total += float(word)
        elif word == "hundred":
            total = max(total, 1.0) * 100
        elif word in NUMBER_WORDS and NUMBER_WORDS[word] is not None and word not in {"a", "an"}:
            total += NUMBER_WORDS[word]  # type: ignore[operator]
        else:
            raise ValueError(f"not a number: {text!r}")
    return total


def month_number(word: str) -> int:
    """``"Sept."`` → 9. Raises ValueError naming the valid month words."""
    key = word.lower().rstrip(".")
    if key in MONTHS:
        return MONTHS[key]
    if key in MONTH_ABBREVIATIONS:
        return MONTH_ABBREVIATIONS[key]
    raise ValueError(f"not a month: {word!r}; expected one of {sorted(MONTHS)}")


def weekday_number(word: str) -> int:
    """``"Friday"`` → 4 (Monday is 0). Raises ValueError naming the valid weekday words."""
    key = word.lower().rstrip(".")
    if key in WEEKDAYS:
        return WEEKDAYS[key]
    if key in WEEKDAY_ABBREVIATIONS:
        return WEEKDAY_ABBREVIATIONS[key]
    raise ValueError(f"not a weekday: {word!r}; expected one of {sorted(WEEKDAYS)}")


def unit_of(word: str) -> str:
    """``"Weeks"`` → ``"week"``. Raises ValueError naming the valid units."""
    key = word.lower()
    key = UNIT_PLURALS.get(key, key)
    if key not in UNITS:
        raise ValueError(f"not a time unit: {word!r}; expected one of {sorted(UNITS)}")
    return key
