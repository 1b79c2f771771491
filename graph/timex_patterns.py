"""The regex rules of the time grammar, as strings, and the words that trigger each rule.

Conventions: ``x`` (or ``x2``) names the timex span when a rule reads context it must leave out
(a preposition before "minutes", "the" before "1990s"); other named groups carry the parts the
normalisers read (``mon``, ``day``, ``year``, ``unit``, ``rel`` …). Blanks are possessive and
every rule opens on a word or number boundary, so no input can make a pattern backtrack
without bound. Month and weekday names must be capitalised ("May", "MAY", never "may").
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.timex_lexicon import (
    HOLIDAYS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NUMBER_WORDS,
    PARTS_OF_DAY,
    REFERENCES,
    SEASONS,
    SET_WORDS,
    UNIT_PLURALS,
    UNITS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    alternation,
    capitalised,
)

#: Trigger markers for number tokens: any token opening with a digit, and year-like tokens.
DIGITS = "<digits>"
YEARS = "<year>"

_ = r"[^\S\n]++"
_O = r"[^\S\n]*+"
SEP = rf"(?:{_O},{_O}|{_})"
#: Left guards: not inside a word (WB) or a number (NB).
WB = r"(?<![\w'’-])"
NB = r"(?<![\w.,/:$£€#])"
END = r"(?![\w-])"


def _i(words: str) -> str:
    """Case-insensitive alternation of ``|``-separated words; a space matches any blank."""
    return "(?i:" + words.replace(" ", _) + ")"


def capitalised_phrases(phrases: Iterable[str]) -> str:
    """Alternation of multi-word names with each word capitalised ("New Year's Day")."""
    forms = {" ".join(word.capitalize() for word in phrase.split()) for phrase in phrases}
    return alternation(forms).replace("'", "['’]")


MONTH = rf"(?:{capitalised(MONTHS)})"
MONTH_X = rf"(?:{MONTH}|(?:{capitalised(MONTH_ABBREVIATIONS)})\.?)"
WEEKDAY = rf"(?:{capitalised(WEEKDAYS)})"
WEEKDAY_X = rf"(?:{WEEKDAY}|(?:{capitalised(WEEKDAY_ABBREVIATIONS)})\.?)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:(?<=\d{4}[-–])|(?<!\d[-–]))(?:1[89]\d\d|20\d\d)(?![\w%]|[.,:]\d)"
PART = rf"(?i:{alternation(PARTS_OF_DAY)})"
UNIT = rf"(?i:{alternation(list(UNITS) + list(UNIT_PLURALS))})"
PLURAL_UNIT = rf"(?i:{alternation(UNIT_PLURALS)})"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
NUMBER = (
    rf"(?i:\d+(?:\.\d+)?|(?:{_TENS})(?:(?:-|{_})(?:{_ONES}))?|{alternation(NUMBER_WORDS)})"
    rf"(?:{_}{_i('and a half')})?"
)
QUANTIFIER = _i(
    "almost|nearly|about|around|approximately|roughly|over|more than|less than|"
    "fewer than|at least|up to|just|only|under|barely|some|close to"
)
UNIT_ADJECTIVE = _i(
    "consecutive|straight|successive|full|long|more|additional|whole|trading|"
    "business|working|calendar|further|extra"
)
#: Prefixes that pick part of a period: "late March", "mid-2011", "the end of this year".
MOD = (
    rf"(?P<mod>(?i:(?:early|mid|late)(?:{_}|-)|mid(?=\d)|"
    rf"(?:the{_})?(?:very{_})?(?:start|beginning|end|middle|close|"
    rf"(?:first|second|third|fourth|last|final){_}(?:week|half)){_}of{_}))"
)
RELATIVE = _i(
    "this past|this coming|the past|the last|the next|the coming|the current|"
    "the previous|the following|the same|this|last|next|past|coming|current|"
    "previous|the"
)
WEEKDAY_RELATIVE = _i(
    "this coming|this past|the following|the previous|the next|last|next|this|coming|past|previous"
)
#: "the next two weeks", "over the past five years".
DIRECTION = _i(
    "the next|the past|the last|the previous|the coming|the following|the first|"
    "the final|next|past|last|over the next|over the past|over the last"
)
YEAR_RELATIVE = _i("this|last|next|the same|that|the previous|the following|the current")
DAY_WORD = _i("today|yesterday|tomorrow|tonight")
AMPM = r"(?i:a\.m\.|p\.m\.|am|pm)(?!\w)"
DAY_REF = rf"(?:{_}(?P<dayref>{WEEKDAY}|{DAY_WORD})(?!\w))?"


def _rule(name: str, *parts: str) -> tuple[str, str]:
    return name, "".join(parts)


def patterns() -> tuple[tuple[str, str], ...]:
    """(rule name, regex) pairs, most specific first: ties between equal spans go to the first."""
    holiday = rf"{capitalised_phrases(HOLIDAYS)}|Easter|Thanksgiving(?:{_}Day)?"
    return (
        _rule(
            "iso",
            rf"{NB}(?P<x>(?P<year>(?:1[89]|20)\d\d)-(?P<month>0[1-9]|1[0-2])-",
            r"(?P<day>0[1-9]|[12]\d|3[01])(?:T(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d))?)",
            r"(?![\w/-]|[.,]\d)",
        ),
        _rule(
            "slash",
            rf"{NB}(?P<x>(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<year>\d{{4}}|\d\d))",
            r"(?![\w/]|[.,]\d)",
        ),
        _rule(
            "month_day",
            rf"{WB}(?P<x>(?:(?P<wd>{WEEKDAY_X}){SEP})?(?:{_i('the')}{_})?",
            rf"(?P<mon>{MONTH_X}){_O}(?P<day>{DAY})(?![\w]|[.,:]\d)",
            rf"(?:{SEP}(?:{_i('of')}{_})?(?P<year>{YEAR}))?)",
        ),
        _rule(
            "day_month",
            rf"{WB}(?P<x>(?:(?P<wd>{WEEKDAY_X}){SEP})?(?:{_i('the')}{_})?(?<![\d.,])",
            rf"(?P<day>{DAY})(?:{_}{_i('of')})?{_}(?P<mon>{MONTH_X})(?!\w)",
            rf"(?:{SEP}(?P<year>{YEAR}))?)",
        ),
        _rule(
            "month_year",
            rf"{WB}(?P<x>(?:{MOD})?(?P<mon>{MONTH_X}){SEP}(?:{_i('of')}{_})?",
            rf"(?P<year>{YEAR}))",
        ),
        _rule(
            "month",
            rf"{WB}(?P<x>(?:{MOD})?(?:(?P<rel>{RELATIVE}){_})?(?P<mon>{MONTH})",
            rf"(?:{_}(?:{_i('of')}{_})?(?P<yrel>{YEAR_RELATIVE}){_}{_i('year')})?){END}",
        ),
        _rule(
            "quarter",
            rf"{WB}(?P<x>(?:{_i('the')}{_})?",
            rf"(?P<ord>{_i('first|second|third|fourth|last|final|1st|2nd|3rd|4th')})",
            rf"(?:{_}|-)(?:{_i('fiscal|financial')}{_})?{_i('quarter')}",
            rf"(?:{_}(?:{_i('of')}{_})?(?:(?P<year>{YEAR})|",
            rf"(?P<yrel>{YEAR_RELATIVE}){_}{_i('year')}))?){END}",
        ),
        _rule("quarter_code", rf"{WB}(?P<x>Q(?P<q>[1-4])(?:{_O}(?P<year>{YEAR}))?){END}"),
        _rule(
            "season",
            rf"{WB}(?P<x>(?:{MOD})?(?:(?P<rel>{RELATIVE}){_})?",
            rf"(?P<season>{_i('spring|summer|autumn|fall|winter')})",
            rf"(?:{SEP}(?:{_i('of')}{_})?(?P<year>{YEAR}))?){END}",
        ),
        _rule(
            "relative_period",
            rf"{WB}(?P<x>(?:{MOD}|(?P<ei>{_i('earlier|later')}){_})?",
            rf"(?P<rel>{RELATIVE}){_}",
            rf"(?P<unit>{_i('week|weekend|month|year|decade|century|quarter')})){END}",
        ),
        _rule("new_year", rf"{WB}(?P<x>{_i('the new year')})(?![\w'’-])"),
        _rule(
            "year",
            rf"{NB}(?P<x>(?:{MOD})?(?:(?P<fiscal>(?i:fiscal(?:{_}year)?{_}|FY{_O}))?",
            rf"(?P<year>{YEAR})))",
        ),
        _rule(
            "short_year",
            rf"{WB}{_i('since|in|of|from|to|until|till|and|by|before|after')}{_}",
            r"(?P<x>['’](?P<yy>\d\d))(?![\w'’])",
        ),
        _rule(
            "decade",
            rf"{NB}(?:(?P<x>{MOD}(?:{_i('the')}{_})?(?P<d4>1[89]\d0|20\d0)s)|",
            rf"(?:(?P<the>{_i('the')}){_})?",
            r"(?P<x2>(?P<e4>1[89]\d0|20\d0)s|['’]?(?P<d2>[1-9]0|00)s))",
            r"(?![\w'’])",
        ),
        _rule(
            "weekday",
            rf"{WB}(?P<x>(?:(?P<rel>{WEEKDAY_RELATIVE}){_})?",
            rf"(?P<wd>{WEEKDAY})(?:{_}(?P<part>{PART}))?)(?!\w)",
        ),
        _rule(
            "day_word",
            rf"{WB}(?P<x>(?:(?P<ei>{_i('earlier|later')}){_})?",
            rf"(?:(?P<word>{_i('the day before yesterday|the day after tomorrow')}|{DAY_WORD})",
            rf"(?:{_}(?P<part>{PART}))?|(?P<this>{_i('this|last')}){_}(?P<part2>{PART}))){END}",
        ),
        _rule(
            "clock",
            rf"{NB}(?P<x>(?P<hour>[01]?\d|2[0-4])(?P<sep>[:.])(?P<minute>[0-5]\d)(?::[0-5]\d)?",
            rf"(?:{_O}(?P<ampm>{AMPM}))?(?:{_O}(?P<tz>UTC|GMT|Z)(?!\w))?",
            rf"(?:{_O}\({_O}(?:GMT|UTC){_O}[+-]{_O}\d{{1,2}}{_O}\))?{DAY_REF})",
        ),
        _rule(
            "clock_ampm",
            rf"{NB}(?P<x>(?P<hour>1[0-2]|0?[1-9]){_O}(?P<ampm>{AMPM})",
            rf"(?:{_O}(?P<tz>UTC|GMT)(?!\w))?{DAY_REF})",
        ),
        _rule(
            "clock_military",
            rf"{NB}(?P<x>(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d){_}(?P<tz>UTC|GMT))(?!\w)",
        ),
        _rule(
            "noon",
            rf"{WB}{_i('at|by|around|until|till|before|after|from|about|since')}{_}",
            rf"(?P<x>(?P<word>{_i('noon|midday|midnight')})){END}",
        ),
        _rule(
            "the_day",
            rf"{WB}(?P<x>(?:{MOD}|(?P<ei>{_i('late|early|later|earlier')}){_}{_i('in')}{_})?",
            rf"{_i('the')}{_}(?:(?P<same>{_i('same|very')})|",
            rf"(?P<shift>{_i('next|following|previous|preceding')}))?{_O}{_i('day')}){END}",
        ),
        _rule(
            "ordinal_day",
            rf"{WB}{_i('on|by|until|till|since|from|before|after|through')}{_}",
            rf"(?P<x>{_i('the')}{_}(?P<day>[12]\d|3[01]|0?[1-9]){_i('st|nd|rd|th')}){END}",
        ),
        _rule(
            "holiday",
            rf"{WB}(?P<x>(?:(?P<rel>{_i('last|next|this')}){_})?(?P<hol>{holiday})",
            rf"(?:{SEP}(?P<year>{YEAR}))?){END}",
        ),
        _rule(
            "ago",
            rf"{WB}(?P<x>(?P<num>{NUMBER})(?:{_}|-)(?:{UNIT_ADJECTIVE}{_})?(?P<unit>{UNIT})",
            rf"{_}{_i('ago')}){END}",
        ),
        _rule(
            "set_every",
            rf"{WB}(?P<x>{_i('every|each|per')}{_}(?:(?P<other>{_i('other')}){_}|",
            rf"(?P<num>{NUMBER}){_})?(?:(?P<unit>{UNIT})|(?P<wd>{WEEKDAY}))){END}",
        ),
        _rule(
            "set_times",
            rf"{WB}(?P<x>(?P<freq>{_i('once|twice|thrice')}|{NUMBER}{_}{_i('times')}){_}",
            rf"{_i('a|an|per|each')}{_}(?P<unit>{UNIT})){END}",
        ),
        _rule(
            "set_rate",
            rf"(?<=[\d%]){_}(?P<x>{_i('a|an|per')}{_}(?P<unit>{_i('day|week|month|year')})){END}",
        ),
        _rule("set_word", rf"{WB}(?P<x>(?P<word>{alternation(SET_WORDS)})){END}"),
        _rule(
            "duration",
            rf"{WB}(?P<x>(?:(?P<qmod>{QUANTIFIER}){_})?",
            rf"(?:(?P<dir>{DIRECTION}){_})?",
            rf"(?P<num>{NUMBER})(?:{_}|-)(?:(?P<adj>{UNIT_ADJECTIVE})(?:{_}|-))?",
            rf"(?P<unit>{UNIT})(?P<long>-long)?)(?![\w-]|{_O}-?{_i('old')}\b)",
        ),
        _rule(
            "bare_units",
            rf"{WB}(?P<prep>{_i('within|for|over|in|after')})(?:{_}{_i('just|only|mere')})?{_}",
            rf"(?P<x>(?:(?P<det>{_i('recent|the past|the last|the|the coming|the next')}){_})?",
            rf"(?P<unit>{PLURAL_UNIT})){END}",
        ),
        _rule("units_long", rf"{WB}(?P<x>(?P<unit>{PLURAL_UNIT})-long){END}"),
        _rule("reference", rf"{WB}(?P<x>(?P<word>{alternation(REFERENCES)})){END}"),
    )


def triggers() -> dict[str, frozenset[str]]:
    """For each rule, the lower-cased tokens one of which every match of it contains."""
    months = frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS)
    units = frozenset(UNITS) | frozenset(UNIT_PLURALS)
    weekdays = frozenset(WEEKDAYS)
    digits, years = frozenset({DIGITS}), frozenset({YEARS})
    return {
        "iso": years,
        "slash": digits,
        "month_day": months,
        "day_month": months,
        "month_year": months,
        "month": months,
        "quarter": frozenset({"quarter"}),
        "quarter_code": frozenset({"q1", "q2", "q3", "q4"}),
        "season": frozenset(SEASONS),
        "relative_period": frozenset(
            {"week", "weekend", "month", "year", "decade", "century", "quarter"}
        ),
        "new_year": frozenset({"year"}),
        "year": years,
        "short_year": digits,
        "decade": years | digits,
        "weekday": weekdays,
        "day_word": frozenset({"today", "tonight", "yesterday", "tomorrow"})
        | frozenset(PARTS_OF_DAY),
        "clock": digits,
        "clock_ampm": digits,
        "clock_military": digits,
        "noon": frozenset({"noon", "midday", "midnight"}),
        "the_day": frozenset({"day"}),
        "ordinal_day": digits,
        "holiday": frozenset(w.split()[0].split("'")[0] for w in HOLIDAYS)
        | {"easter", "thanksgiving"},
        "ago": units,
        "set_every": units | weekdays,
        "set_times": units,
        "set_rate": units,
        "set_word": frozenset(SET_WORDS),
        "duration": units,
        "bare_units": frozenset(UNIT_PLURALS),
        "units_long": frozenset(UNIT_PLURALS),
        "reference": frozenset(w.split()[-1] for w in REFERENCES),
    }
