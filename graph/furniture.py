"""Page furniture: the parts of a scraped news page that are not the article.

Scraped article text often carries the web page around it: lists of related headlines,
newsletter and cookie prompts, "Read more" links, comment boxes, share buttons, bylines, photo
captions and credits, navigation menus. Nothing may be read from them (a related headline is
not a statement of this article), so :func:`find_furniture` returns their spans and the readers
skip them. The text itself is never altered: offsets stay valid.

The rules are web-page conventions, not knowledge of any particular article, and they are
conservative: a false positive hides a real statement, so a line is only marked when its shape
leaves little doubt. The article's own headline (its first line of content) is never marked
by the headline-list rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from graph.model import Span

#: Line breaks recognised when splitting text into lines (CRLF counts as one break).
_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")

#: Whole lines that are page furniture (matched against the stripped line, case-insensitive).
_WHOLE_LINE = re.compile(
    r"""(?ix)
    (?: advertisement | advertising | sponsored(?:\s+content)? | loader | loading\.{0,3}
      | find\s+us | skip\s+to\s+(?:main\s+)?content | close\s+button | close
      | comments? | leave\s+a\s+(?:reply|comment) | \d+\s+comments?
      | error:\s*content\s+is\s+protected\s*!* | content\s+is\s+protected\s*!*
      | your\s+email\s+address\s+will\s+not\s+be\s+published\.?
        (?:\s*required\s+fields\s+are\s+marked\s*\*?)?
      | required\s+fields\s+are\s+marked\s*\*?
      | share | share\s+(?:this|the)\s+(?:article|story|page).* | share\s+on\s+\w+
      | copy/paste\s+the\s+article\b.* | copy\s+link | copy\s+to\s+clipboard\w*
      | sign\s+up | subscribe | subscribe\s+now | newsletters? | follow\s+us(?:\s+on\s+\w+)?
      | print | email | tweet | whatsapp | facebook | twitter | linkedin | more\s+info
      | source:\s*read\s+full\s+article
    )\s*[:.]?
    """
)

#: Lines that announce a list of other articles; they and the headlines after them are furniture.
_TRIGGER = re.compile(
    r"""(?ix)
    (?: you\s+(?:might|may)\s+also\s+like | related(?:\s+(?:articles?|stories|content|news|posts))?
      | read\s+more | more\s+from\b.{0,40} | more\s+(?:stories|news|on\s+this\s+story)
      | latest(?:\s+(?:posts|news|stories|articles))? | most\s+(?:read|popular|viewed|shared)
      | recommended(?:\s+for\s+you)? | trending(?:\s+now)? | top\s+stories | also\s+read
      | don['’]t\s+miss | editor['’]?s\s+picks? | what\s+to\s+read\s+next | see\s+also
    )\s*[:.]?
    """
)

#: "Read more …" and kin, from the start of a line or of a sentence to the end of the line.
_READ_MORE = re.compile(
    r"(?:^|(?<=[.!?…]\s)|(?<=[.!?…][\"”’']\s))"
    r"(?:Read\s+more\b|READ\s+MORE\b|Read\s+on\b|See\s+also\b|SEE\s+ALSO\b|Also\s+read\b"
    r"|ALSO\s+READ\b|RELATED:|Related:|MORE:)"
    r".*$"
)

#: Markers that tabloids append to links to their other articles.
_LINK_MARKER = re.compile(
    r"\[(?:REPORT|VIDEO|PICS|PICTURES|PHOTOS|GALLERY|POLL|LIVE|LATEST|INSIGHT|ANALYSIS|OPINION"
    r"|REVEALED|WATCH|MAP|LISTEN|UPDATE)\]\s*$"
)

#: Newsletter, sign-up, cookie and consent prompts (anywhere in a line of at most 600 chars).
_PROMPT = re.compile(
    r"""(?ix)
    we\s+use\s+your\s+sign-?\s?up | unsubscribe\s+at\s+any\s+time | by\s+signing\s+up
    | sign\s+up\s+(?:to|for)\s+(?:our|the)\b.{0,40}newsletter | subscribe\s+to\s+our\b
    | we\s+use\s+cookies | (?:this|our)\s+(?:web)?site\s+uses\s+cookies
    | accept\s+(?:all\s+)?cookies | cookie\s+(?:policy|settings|preferences)
    | manage\s+(?:your\s+)?(?:consent|privacy\s+settings)
    """
)

#: Photo credits and captions.
_CREDIT = re.compile(
    r"""(?x)
    ^(?:Photo|Photos|Image|Images|Picture|Pictures|Credit|Photograph|Illustration)s?\s*:
    | (?:^|[.!?]\s+)Copyright\b | ©
    | \bvia\s+(?:AP|AFP|Reuters|EPA|Getty\s+Images|Shutterstock|Sputnik|TASS|Alamy|PA)\s*\)?$
    | \((?:AP|AFP|Reuters|EPA)\s+Photo\b
    | ^(?:Getty\s+Images|Reuters|AP|AFP|EPA|Shutterstock)$
    """
)

#: "(left)" and kin in a caption naming the people in a picture.
_POSITION = re.compile(
    r"\((?:(?:far|second|third|pictured|top|bottom|back|front)\s+)?"
    r"(?:left|right|centre|center|L|R|top|bottom|above|below)\)"
)

#: A caption that only names a person by title: "President Vladimir Putin".
_TITLED_NAME = re.compile(
    r"""(?x)
    ^(?:[A-Z][\w.'’-]*\s+){0,2}
    (?:President|Prime\s+Minister|Chancellor|Minister|Secretary|General|King|Queen|Pope
      |Patriarch|Senator|Governor|Mayor|Ambassador|Spokesman|Spokeswoman|Spokesperson
      |(?:Mr|Mrs|Ms|Dr)\.?)
    (?:\s+[A-Z][\w'’-]*(?:\s*[A-Z]\.)?){1,3}$
    """
)

_NAME = r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|der|al|bin)){0,3}"
#: A byline: "By Jane Doe", "By Jane Doe and John Roe", "By Jane Doe, Reuters".
_BYLINE = re.compile(rf"^By\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME}){{0,2}}(?:\s*[|,]\s*{_NAME})?$")

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAYS = (
    "mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?"
    "|sat(?:urday)?|sun(?:day)?"
)
#: A date line: "Published on Updated", "Updated: 14 October 2022, 10:32 GMT".
_DATELINE = re.compile(
    rf"""(?ix)
    ^(?:first\s+)?(?:published|updated|last\s+updated|posted|modified)\b
    (?:[\s,:|/.+-]+(?:on|at|published|updated|am|pm|gmt|bst|cet|cest|utc|est|edt|et|pt
      |{_MONTHS}|{_DAYS}|\d{{1,4}}(?::\d\d)?(?:st|nd|rd|th)?|\d\d?:\d\d))*[\s,.]*$
    """
)

#: Stray numbers, e.g. calendar widget remains: "28 29", "30 31".
_NUMBERS = re.compile(r"^\d{1,4}(?:\s+\d{1,4})*$")
#: Navigation menus glued together: "NewsletterNewslettersEventsEventsPodcasts".
_RUN_ON = re.compile(r"^(?:[A-Z][a-z]+){3,}$")
#: Navigation menus with separators: "Home | World | Europe".
_MENU = re.compile(r"^[^|•]{1,25}(?:\s[|•]\s[^|•]{1,25}){2,}$")
#: A metadata line naming the source: "Source: Stern".
_SOURCE = re.compile(r"^Source:\s*[^.!?:]{1,60}$")

_CLOSING = "\"'”’»)]"
_SENTENCE_INSIDE = re.compile(r"[.!?][\"'”’]?\s+[\"'“‘]?[A-Z]")


class _Line(NamedTuple):
    """One line of the text: its content without surrounding whitespace, and where it is."""

    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text


def find_furniture(text: str) -> tuple[Span, ...]:
    """Spans of ``text`` that are page furniture, sorted and non-overlapping.

    Each span covers a whole line (without its surrounding whitespace) or, for "Read more …"
    links after a sentence, the end of a line.
    """
    lines = _split_lines(text)
    line_marks = [_is_furniture_line(line.text) for line in lines]
    content = (i for i, line in enumerate(lines) if not line.blank and not line_marks[i])
    headline = next(content, None)
    marked = {i for i, is_mark in enumerate(line_marks) if is_mark}
    marked |= _duplicates(lines, marked)
    marked |= _captions(lines, headline)
    marked |= _headline_lists(lines, marked, headline)
    ranges = [(lines[i].start, lines[i].end) for i in marked]
    ranges += _read_more(lines, marked)
    return tuple(Span.of(text, start, end) for start, end in _merge(ranges))


def _split_lines(text: str) -> list[_Line]:
    """The lines of ``text`` with offsets of their stripped content (blank lines included)."""
    lines = []
    start = 0
    bounds = [(m.start(), m.end()) for m in _BREAK.finditer(text)] + [(len(text), len(text))]
    for brk_start, brk_end in bounds:
        raw = text[start:brk_start]
        content = raw.strip()
        offset = start + (len(raw) - len(raw.lstrip()))
        lines.append(_Line(offset, offset + len(content), content))
        start = brk_end
    return lines


def _is_furniture_line(line: str) -> bool:
    """Whether one line, on its own, is furniture (prompt, credit, menu, trigger …)."""
    if not line:
        return False
    return bool(
        _WHOLE_LINE.fullmatch(line)
        or _TRIGGER.fullmatch(line)
        or (len(line) <= 600 and _PROMPT.search(line))
        or (len(line) <= 250 and _CREDIT.search(line))
        or (_LINK_MARKER.search(line) and _is_headline_like(_LINK_MARKER.sub("", line)))
        or (len(line) <= 80 and _BYLINE.fullmatch(line))
        or (len(line) <= 80 and _DATELINE.fullmatch(line))
        or _NUMBERS.fullmatch(line)
        or _RUN_ON.fullmatch(line)
        or _MENU.fullmatch(line)
        or _SOURCE.fullmatch(line)
    )


def _is_headline_like(line: str) -> bool:
    """Short, capitalised, no terminal full stop and one sentence at most: a link's headline."""
    line = line.strip()
    words = line.split()
    if not 3 <= len(words) <= 20 or len(line) > 160:
        return False
    first = line.lstrip("\"'“‘")[:1]
    last = line.rstrip(_CLOSING)[-1:]
    return (
        (first.isupper() or first.isdigit())
        and last not in ".,;:…-–—"
        and not _SENTENCE_INSIDE.search(line)
    )


def _duplicates(lines: list[_Line], marked: set[int]) -> set[int]:
    """Repeated lines: a headline or caption repeated as the next line of content, and a caption
    repeated at the start of its credit line.

    Only unterminated lines count as repeated headlines: a repeated sentence may be a real
    utterance said twice ("Yes." in a transcript).
    """
    found = set()
    previous = None
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if (
            previous is not None
            and line.text == lines[previous].text
            and line.text.rstrip(_CLOSING)[-1:] not in ".!?"
        ):
            found.add(i)
        if (
            i + 1 < len(lines)
            and i + 1 in marked
            and len(line.text) >= 10
            and lines[i + 1].text.startswith(line.text)
            and lines[i + 1].text != line.text
            and _CREDIT.search(lines[i + 1].text)
        ):
            found.add(i)
        previous = i
    return found


def _captions(lines: list[_Line], headline: int | None) -> set[int]:
    """Photo captions: a short line naming people "(left)", or only a titled name."""
    found = set()
    for i, line in enumerate(lines):
        if line.blank or i == headline:
            continue
        words = line.text.split()
        unterminated = line.text.rstrip(_CLOSING)[-1:] not in ".!?"
        if unterminated and (
            (len(words) <= 20 and _POSITION.search(line.text))
            or (len(words) <= 6 and _TITLED_NAME.fullmatch(line.text))
        ):
            found.add(i)
    return found


def _headline_lists(lines: list[_Line], marked: set[int], headline: int | None) -> set[int]:
    """Lists of other articles' headlines.

    Either the headline-like lines after a trigger line ("You might also like", "Related" …),
    blank lines between them allowed, or a run of two or more consecutive headline-like lines
    at the end of the text (nothing but furniture after it). A run inside the text is left
    alone: it may be a list of the article's own points.
    """
    found: set[int] = set()
    for i, line in enumerate(lines):
        if i in marked and _TRIGGER.fullmatch(line.text):
            found |= set(_after_trigger(lines, i + 1, marked, headline))
    i = len(lines) - 1
    while i >= 0 and (lines[i].blank or i in marked):
        i -= 1
    run = []
    while i >= 0 and i != headline and not lines[i].blank and _is_headline_like(lines[i].text):
        run.append(i)
        i -= 1
    if len(run) >= 2:
        found |= set(run)
    return found


def _after_trigger(
    lines: list[_Line], start: int, marked: set[int], headline: int | None
) -> Iterable[int]:
    """The headline-like lines following a trigger, until the first line of prose."""
    for j in range(start, len(lines)):
        if lines[j].blank:
            continue
        if j == headline or not (j in marked or _is_headline_like(lines[j].text)):
            return
        yield j


def _read_more(lines: list[_Line], marked: set[int]) -> list[tuple[int, int]]:
    """Links such as "Read more …" or "See also …", from where they start to the line's end."""
    ranges = []
    for i, line in enumerate(lines):
        if i in marked or line.blank:
            continue
        match = _READ_MORE.search(line.text)
        if match:
            ranges.append((line.start + match.start(), line.end))
    return ranges


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges; empty ranges dropped."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
