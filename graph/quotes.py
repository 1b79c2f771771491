"""Direct quotations in a block of text: where each quote opens and closes.

Works on plain text, before any parsing, and knows the conventions of news copy:

- curly and straight double quotes, and mixed pairs (``"…”``) from careless copy;
- single quotes as used in headlines (``Putin calls it a 'failure'``), never apostrophes
  (``Russia's``, ``conscripts’ mortgages``);
- a quote that opens a paragraph and is not closed there continues into the next paragraph,
  which reopens it (``“I link …\\n\\n“What I think …”``);
- a quote introduced by a colon and not closed in its paragraph runs on to the paragraph's end
  and into the next one, likewise (``Mr Diggins said of Putin: “He’s desperate.\n\n“I think …”``);
- any other quote opened mid-sentence and never closed runs to the end of its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
SINGLE_OPEN = "‘'"
SINGLE_CLOSE = "’'"
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
#: Any double or single quote mark: only these positions are looked at.
_DOUBLE_MARK = re.compile(f"[{re.escape(OPENERS + CLOSERS + STRAIGHT)}]")
_SINGLE_MARK = re.compile(f"[{re.escape(SINGLE_OPEN + SINGLE_CLOSE)}]")


@dataclass(frozen=True)
class Quote:
    """A quotation inside a block: ``[start, end)`` includes the marks, ``inner`` excludes them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    #: True when the quote opened at the start of the block (or after a colon) and was not
    #: closed in it: it runs to the block's end and may continue in the next block.
    runs_on: bool = False
    #: True when the quote continues one that ran on from the previous block.
    continued: bool = False

    def words(self, text: str) -> int:
        return len(_WORD.findall(text[self.inner_start : self.inner_end]))


def _is_opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-:/") and not after.isspace()


def _double_marks(text: str) -> list[tuple[int, str]]:
    """Positions of double-quote marks with their role: 'open' or 'close'."""
    marks = []
    for found in _DOUBLE_MARK.finditer(text):
        i, ch = found.start(), found.group()
        if ch in OPENERS:
            marks.append((i, "open"))
        elif ch in CLOSERS:
            marks.append((i, "close"))
        elif ch == STRAIGHT:
            marks.append((i, "open" if _is_opening_straight(text, i) else "close"))
    return marks


def _sentence_end(text: str, start: int) -> int:
    match = _SENTENCE_END.search(text, start)
    return match.end() if match else len(text)


def double_quotes(text: str, *, continues: bool = False) -> list[Quote]:
    """Double-quoted spans of ``text`` (one block).

    ``continues`` says the previous block ended inside a run-on quote, so a closing mark before
    any opening one closes that quote.
    """
    quotes: list[Quote] = []
    open_at: int | None = None
    for i, role in _double_marks(text):
        if role == "open":
            if open_at is None:
                open_at = i
            continue
        if open_at is not None:
            quotes.append(Quote(open_at, i + 1, open_at + 1, i))
            open_at = None
        elif continues and not quotes:
            quotes.append(Quote(0, i + 1, 0, i, continued=True))
    if open_at is not None:
        if not text[:open_at].strip() or text[:open_at].rstrip().endswith(":"):
            quotes.append(Quote(open_at, len(text), open_at + 1, len(text), runs_on=True))
        else:
            end = _sentence_end(text, open_at + 1)
            quotes.append(Quote(open_at, end, open_at + 1, end))
    return quotes


def _single_marks(text: str) -> list[tuple[int, str]]:
    marks = []
    for found in _SINGLE_MARK.finditer(text):
        i, ch = found.start(), found.group()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in SINGLE_OPEN and not before.isalnum() and after.isalnum():
            marks.append((i, "open"))
        elif ch in SINGLE_CLOSE and not after.isalnum() and (before.isalnum() or before in ".!?,"):
            marks.append((i, "close"))
    return marks


def single_quotes(text: str, *, max_length: int = 200) -> list[Quote]:
    """Single-quoted spans (headline style), skipping apostrophes and possessives."""
    quotes: list[Quote] = []
    open_at: int | None = None
    for i, role in _single_marks(text):
        if role == "open" and open_at is None:
            open_at = i
        elif role == "close" and open_at is not None:
            if i - open_at <= max_length and i > open_at + 1:
                quotes.append(Quote(open_at, i + 1, open_at + 1, i))
            open_at = None
    return quotes


def find_quotes(text: str, *, continues: bool = False) -> list[Quote]:
    """All quotations of a block: double quotes, then single quotes outside them."""
    doubles = double_quotes(text, continues=continues)
    singles = [
        q for q in single_quotes(text)
        if not any(d.start <= q.start < d.end for d in doubles)
    ]
    return sorted(doubles + singles, key=lambda q: q.start)
