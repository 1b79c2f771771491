"""Causal links an article states between two of its event mentions.

``EFFECT … in retaliation for CAUSE``: the cause is the event mention after the cue in the same
sentence; the effect is the mention before it, or — when the sentence opens with an anaphor
("These attacks were in retaliation for …") — the latest earlier mention whose trigger is the
anaphor's head noun.
"""

from __future__ import annotations

import re

from graph.model import EventMention, Span
from graph.nlp import Block

CAUSAL_CUES = re.compile(
    r"\b(?:in (?:retaliation|response|revenge|reprisal) (?:for|to)|because of|as a result of|"
    r"(?:was|were) (?:triggered|caused|prompted|provoked) by|(?:led|leading) to|resulted in|"
    r"in the wake of)\b",
    re.IGNORECASE,
)
#: Cues after which the mention that follows is the *effect* rather than the cause.
FORWARD = re.compile(r"^(?:led|leading) to|^resulted in", re.IGNORECASE)
_ANAPHOR = re.compile(r"^\s*(?:these|those|the|this|that)\s+(\w+)", re.IGNORECASE)


def _stem(word: str) -> str:
    return word.lower()[:5]


def read_causes(blocks: list[Block], events: list[EventMention]) -> list[tuple[int, int, Span]]:
    """(cause index, effect index, cue span) triples, indices into ``events``."""
    links = []
    for block in blocks:
        for sentence in block.doc.sents:
            start = block.start + sentence.start_char
            end = block.start + sentence.end_char
            inside = [(i, e) for i, e in enumerate(events) if start <= e.evidence[0].start < end]
            for match in CAUSAL_CUES.finditer(sentence.text):
                cue_start = start + match.start()
                cue = Span(cue_start, cue_start + len(match.group(0)), match.group(0))
                after = [(i, e) for i, e in inside if e.evidence[0].start >= cue.end]
                before = [(i, e) for i, e in inside if e.evidence[0].end <= cue.start]
                if not after:
                    continue
                anaphor = _anaphor(sentence.text, start, events)
                other = anaphor if anaphor is not None else (before[-1][0] if before else None)
                if other is None:
                    continue
                first_after = after[0][0]
                if FORWARD.match(match.group(0)):
                    links.append((other, first_after, cue))
                else:
                    links.append((first_after, other, cue))
    return links


def _anaphor(sentence: str, start: int, events: list[EventMention]) -> int | None:
    match = _ANAPHOR.match(sentence)
    if not match:
        return None
    head = _stem(match.group(1))
    earlier = [
        (i, e) for i, e in enumerate(events)
        if e.evidence[0].end <= start and _stem(e.trigger.split()[-1]) == head and e.date.resolved
    ]
    return earlier[-1][0] if earlier else None
