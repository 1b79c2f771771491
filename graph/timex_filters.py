"""Context checks that keep the grammar from inventing dates.

A grammar match is only a candidate: "May" may be a verb, "2000" may count people, "70s" may
be an age, "Black Monday" is a name. :func:`accept` looks at the words around a candidate
(never at dates) and says whether it is a time expression. Rejected candidates leave room for
shorter ones at the same place.
"""

from __future__ import annotations

import calendar

from graph.timex_grammar import Candidate
from graph.timex_lexicon import AMBIGUOUS_MONTHS, WEEKDAY_NAME_PREFIXES, month_number
from graph.timex_reading import sentence_initial, word_after, word_before


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words after which a bare month, year or season is read as a time.
TIME_PREPOSITIONS = _words(
    "in since until till by from to through throughout during before after of between and "
    "or early late mid last next this that around circa c. on for into as than at "
    "spanning summer spring autumn fall winter year fiscal"
)
#: Prepositions strong enough to make a four-digit number a year whatever follows it.
YEAR_PREPOSITIONS = _words(
    "in since until till by during before after of circa c. through throughout between "
    "from year early late mid spring summer autumn fall winter january february march "
    "april may june july august september october november december"
)
#: Nouns that a number counts rather than dates ("2000 people", "1998 points").
COUNTED_NOUNS = _words(
    "people police staff personnel aircraft livestock cattle sheep deer fish feet foot km "
    "kg mph kph mw gw mm cm ft lb lbs metre meter mile kilometre kilometer ton tonne per "
    "percent strong more less fewer other out plus or to and"
)
#: Words before "the day" that make it a day of the narrative ("to end the day", "for the day").
_DAY_VERBS = _words(
    "end ends ended ending finish finishes finished finishing close closes closed closing "
    "start starts started starting open opens opened opening begin began begins beginning "
    "for on during throughout by"
)
#: Words after "the day" that tie it to something else ("the day after", "the day he left").
_DAY_TIES = _words(
    "after before of when that which following prior as he she they we i it you his her "
    "their its the a"
)
_SPRING_FALL_PREPOSITIONS = _words(
    "in during by until till since this last next early late mid through throughout "
    "before after from"
)
#: Verbs of saying: a bare month or season right before one is a person ("April said", "June
#: told reporters", "Summer asked"), never a time.
_SPEECH_VERBS = _words(
    "said says told tells asked asks added adds wrote writes replied replies explained "
    "explains argued argues claimed claims insisted insists warned warns announced announces "
    "noted notes stated states recalled recalls tweeted tweets posted posts"
)
_CLOCK_PREPOSITIONS = _words(
    "at by around from until till after before since about to between and approximately circa past"
)


def _capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _original_word_before(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    words = text[max(line_start, start - 40) : start].split()
    return words[-1] if words else ""


def _named_after_capital(text: str, start: int) -> bool:
    """True when a capitalised non-preposition word directly precedes a capitalised one,
    as in "USA Today" or "Maya June" (and not "On Monday" or a sentence start)."""
    previous = _original_word_before(text, start)
    return (
        _capitalised(previous)
        and previous.lower().strip(",.;:") not in TIME_PREPOSITIONS
        and not sentence_initial(text, start - len(previous) - 1 if previous else start)
        and previous[-1:] not in ",.;:"
    )


def _next_is_name(text: str, end: int) -> bool:
    following = word_after(text, end)
    return _capitalised(following) and following.lower() not in ("of", "and", "or")


def _rel(cand: Candidate) -> str:
    return " ".join((cand.groups.get("rel") or "").lower().split())


def _speaker_name(text: str, end: int) -> bool:
    """True when a verb of saying follows: the word is someone's name."""
    return word_after(text, end).lower().strip(",.;:") in _SPEECH_VERBS


def _bare_month(cand: Candidate, text: str) -> bool:
    groups = cand.groups
    if _rel(cand) == "the":
        return False
    if groups.get("mod") or groups.get("rel") or groups.get("yrel"):
        return True
    before = word_before(text, cand.start)
    if before in TIME_PREPOSITIONS:
        return True
    if _speaker_name(text, cand.end):
        return False
    if month_number(groups["mon"] or "") in {month_number(m) for m in AMBIGUOUS_MONTHS}:
        return False
    return not _next_is_name(text, cand.end) and not _named_after_capital(text, cand.start)


def _bare_year(cand: Candidate, text: str) -> bool:
    groups = cand.groups
    if groups.get("mod") or groups.get("fiscal"):
        return True
    if word_before(text, cand.start) in YEAR_PREPOSITIONS:
        return True
    following = word_after(text, cand.end).strip(",.;:()\"'")
    if not following or text[cand.end : cand.end + 1] in ",.;:)!?'’\"":
        return True
    if _capitalised(following) and _named_after_capital(text, cand.start):
        return False
    following = following.lower()
    plural = following.endswith("s") and not following.endswith("ss") and len(following) > 2
    return not (plural or following in COUNTED_NOUNS or following[:1].isdigit())


def _valid_day_month(cand: Candidate) -> bool:
    digits = "".join(ch for ch in cand.groups["day"] or "" if ch.isdigit())
    month = month_number(cand.groups["mon"] or "")
    return 1 <= int(digits) <= (29 if month == 2 else calendar.monthrange(2001, month)[1])


def _decade(cand: Candidate, text: str) -> bool:
    if not cand.groups.get("d2"):
        return True
    if cand.groups.get("the") or text[cand.start] in "'’":
        return True
    return word_before(text, cand.start) in ("and", "or", "to", "through")


def _season(cand: Candidate, text: str) -> bool:
    groups = cand.groups
    if _next_is_name(text, cand.end):
        return False
    if not (groups.get("rel") or groups.get("mod") or groups.get("year")) and _speaker_name(
        text, cand.end
    ):
        return False
    if groups.get("year") or groups.get("mod"):
        return True
    rel = " ".join((groups.get("rel") or "").lower().split())
    if rel and rel != "the":
        return True
    season = (groups.get("season") or "").lower()
    prepositions = _SPRING_FALL_PREPOSITIONS if season in ("spring", "fall") else TIME_PREPOSITIONS
    if word_before(text, cand.start if not rel else cand.spans["rel"][0]) in prepositions:
        return not (rel == "the" and word_after(text, cand.end).lower() == "of")
    return season not in ("spring", "fall") and not rel


#: Words that may follow "on the 21st" when it is a day of the month.
_AFTER_ORDINAL_DAY = _words(
    "and or at in when while but to as with he she they we the a it this of"
) | {""}


def _ordinal_day(cand: Candidate, text: str) -> bool:
    following = word_after(text, cand.end)
    if following[:1] in (",", ".", ";", ":", ")", "!", "?", "'", '"', "’", "”"):
        return True
    return following.lower() in _AFTER_ORDINAL_DAY


def _the_day(cand: Candidate, text: str) -> bool:
    groups = cand.groups
    mod = " ".join((groups.get("mod") or "").lower().split())
    if mod == "the end of" and word_before(text, cand.start) == "at":
        return False  # "at the end of the day": ultimately, not a time
    if groups.get("ei") or mod:
        return True
    if groups.get("shift"):
        return word_after(text, cand.end).lower().strip(",.;:'\"") not in ("of", "after", "before")
    if word_after(text, cand.end).lower().strip(",.;:'\"") in _DAY_TIES:
        return False
    return bool(groups.get("same")) or word_before(text, cand.start) in _DAY_VERBS


def _clock(cand: Candidate, text: str) -> bool:
    groups = cand.groups
    if groups.get("sep") == "." and not groups.get("ampm"):
        return False
    if int(groups["hour"] or 0) == 24 and int(groups.get("minute") or 0) != 0:
        return False
    if groups.get("ampm") or groups.get("tz") or groups.get("dayref"):
        return True
    return word_before(text, cand.start) in _CLOCK_PREPOSITIONS


def _duration(cand: Candidate, text: str) -> bool:
    groups = cand.groups
    number = " ".join((groups.get("num") or "").lower().split())
    unit = (groups.get("unit") or "").lower()
    if unit.startswith(("second", "quarter")) and number in ("a", "an", "one"):
        return False
    start = cand.spans["num"][0]
    return not (
        number[:1].isdigit()
        and start >= 2
        and text[start - 1] in ",."
        and text[start - 2].isdigit()
    )


def _reference(cand: Candidate, text: str) -> bool:
    word = " ".join((cand.groups.get("word") or "").lower().split())
    if (
        word == "soon"
        and text[max(0, cand.start - 3) : cand.start].lower() == "as "
        and text[cand.end : cand.end + 3].lower() == " as"
    ):
        return False
    if word in ("current", "recent"):
        following = word_after(text, cand.end)
        return bool(following) and following[0].islower()
    return True


def accept(cand: Candidate, text: str) -> bool:
    """Whether the words around ``cand`` make it a time expression."""
    rule = cand.rule
    if rule in ("month_day", "day_month"):
        return _valid_day_month(cand)
    if rule == "month":
        return _bare_month(cand, text)
    if rule == "year":
        return _bare_year(cand, text)
    if rule == "decade":
        return _decade(cand, text)
    if rule == "season":
        return _season(cand, text)
    if rule in ("clock",):
        return _clock(cand, text)
    if rule in ("duration", "ago"):
        return _duration(cand, text)
    if rule == "reference":
        return _reference(cand, text)
    if rule == "the_day":
        return _the_day(cand, text)
    if rule == "relative_period":
        # "the week", "the year" name a period only with a modifier ("the end of the year").
        unit = (cand.groups.get("unit") or "").lower()
        return _rel(cand) != "the" or bool(cand.groups.get("mod")) or unit == "weekend"
    if rule == "ordinal_day":
        return _ordinal_day(cand, text)
    if rule == "weekday":
        previous = _original_word_before(text, cand.start)
        named = _capitalised(previous) and previous.lower() in WEEKDAY_NAME_PREFIXES
        return cand.groups.get("rel") is not None or not named
    if (
        rule == "day_word"
        and _capitalised(text[cand.start])
        and not sentence_initial(text, cand.start)
    ):
        previous = _original_word_before(text, cand.start)
        return not (_capitalised(previous) and previous.lower() not in TIME_PREPOSITIONS)
    if rule in ("holiday", "quarter_code"):
        return not _next_is_name(text, cand.end) and not _named_after_capital(text, cand.start)
    return True
