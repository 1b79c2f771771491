"""Speaker turns in transcripts: ``President of Russia Vladimir Putin: I know that …``.

Press-conference, meeting and interview transcripts mark who speaks with a label and a colon,
often inline ("… let us begin. Head of the Customs Service Vladimir Bulavin: Mr President, …").
A turn runs from its label to the next label, across paragraphs. A label names a person (an
entity the parser sees, possibly after a title) or is an interviewer's ("Question", "Remark"),
whose turns only end the previous speaker's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.nlp import Block

_LABEL = re.compile(
    r"(?:^|(?<=[.!?…”\"’)]\s))"
    r"((?:[A-Z][\w.’'-]*\s+|(?:of|the|and|for|on|to|de|von|al|bin)\s+){0,10}[A-Z][\w’'-]+):\s+(?=\S)"
)
#: Labels of interviewers and the audience: they end a turn but are not statements of interest.
INTERVIEWER_LABELS = frozenset({"question", "remark", "q", "answer", "a", "moderator", "reply", "response"})
#: A label longer than this is a sentence ending in a colon, not a speaker label.
MAX_LABEL_WORDS = 12
#: Turns are cut into statements of at most this many characters, at sentence ends.
CHUNK_CHARS = 600
#: A chunk shorter than this many words is a courtesy ("Thank you."), not a statement.
MIN_CHUNK_WORDS = 5


@dataclass(frozen=True)
class Turn:
    """A labelled turn inside one block: article offsets of the label and of the words."""

    label: str
    label_start: int
    start: int
    end: int
    interviewer: bool


def _names_a_person(block: Block, start: int, end: int) -> bool:
    return any(
        e.label_ == "PERSON" and start <= e.start_char and e.end_char <= end for e in block.doc.ents
    )


def find_labels(block: Block) -> list[tuple[str, int, int, bool]]:
    """(label, label start, words start, interviewer?) for each turn label in the block."""
    found = []
    for match in _LABEL.finditer(block.text):
        label = match.group(1)
        if len(label.split()) > MAX_LABEL_WORDS:
            continue
        interviewer = label.lower() in INTERVIEWER_LABELS
        if interviewer or _names_a_person(block, match.start(1), match.end(1)):
            found.append((label, match.start(1), match.end(), interviewer))
    return found


def find_turns(blocks: list[Block]) -> list[Turn]:
    """Turns of a transcript. A single label counts only where it opens a paragraph."""
    labelled = [(block, label) for block in blocks for label in find_labels(block)]
    if len(labelled) < 2:
        # One label opening a paragraph still marks a turn; one inline colon does not.
        labelled = [(block, label) for block, label in labelled if label[1] == 0]
        if not labelled:
            return []
    turns: list[Turn] = []
    for k, (block, (label, label_start, start, interviewer)) in enumerate(labelled):
        if k + 1 < len(labelled):
            next_block, next_label = labelled[k + 1]
            end = next_block.start + next_label[1]
        else:
            end = blocks[-1].end
        turns.append(Turn(label, block.start + label_start, block.start + start, end, interviewer))
    return turns


def chunks(block: Block, start: int, end: int) -> list[tuple[int, int]]:
    """Article spans of the sentences of ``block`` within ``[start, end)``, grouped up to
    :data:`CHUNK_CHARS` characters."""
    groups: list[tuple[int, int]] = []
    for sentence in block.doc.sents:
        s = max(start, block.start + sentence.start_char)
        e = min(end, block.start + sentence.end_char)
        if e - s < 2 or not block.text[s - block.start : e - block.start].strip():
            continue
        if groups and e - groups[-1][0] <= CHUNK_CHARS and s - groups[-1][1] <= 2:
            groups[-1] = (groups[-1][0], e)
        else:
            groups.append((s, e))
    return [(s, e) for s, e in groups if len(block.text[s - block.start : e - block.start].split()) >= MIN_CHUNK_WORDS]
