"""Rules the statement reader applies to a block: headings, quotation frames, cue nesting.

Pure functions over parsed blocks, kept apart from the reader's bookkeeping
(:mod:`graph.statements`).
"""

from __future__ import annotations

import re

from graph.cues import Cue, find_subject, subject_phrase
from graph.model import Span
from graph.nlp import Block, Token
from graph.quotes import Quote
from graph.turns import Turn

#: A quotation shorter than this (in words) is a scare quote, not a statement of its own.
MIN_QUOTE_WORDS = 4
#: How many blocks back a quote without a cue may borrow its speaker from.
CARRY_BLOCKS = 2
#: Openings of a sentence that carries a reported argument on, with no cue of its own.
CONTINUES = re.compile(
    r"^(?:it is therefore|therefore|thus|hence|consequently|accordingly|in fact|indeed)\b|^\S+(?:\s+\S+){0,3}\s+therefore\b",
    re.IGNORECASE,
)
#: A one-sentence paragraph that is only a quote this short is a pull quote or sub-heading: it
#: takes the speaker of the statement that follows it.
PULL_QUOTE_CHARS = 120


def is_heading(block: Block, blocks: int) -> bool:
    """A title or sub-heading: a short line with no closing punctuation, or the one-sentence
    first line of an article that has a body after it."""
    text = block.text.rstrip().rstrip("”’\"')]")
    if len(text) >= 160:
        return False
    sentences = len(list(block.doc.sents))
    if blocks < 2:
        return False
    return not text.endswith((".", "!", "?", ":", "…")) or (block.index == 0 and sentences == 1)


def token_span(block: Block, tokens: list[Token]) -> Span:
    return block.span(tokens[0], tokens[-1])


def opens_sentence(block: Block, quote: Quote) -> bool:
    """Whether a quotation starts its sentence (not a phrase quoted inside narration)."""
    first = next((t for t in block.doc if t.idx >= quote.start), None)
    if first is None:
        return False
    sentence_start = first.sent.start_char
    return not block.text[sentence_start:quote.start].strip(" “\"‘'([")


def in_turn(block: Block, offset: int, turns: list[Turn]) -> bool:
    """Whether block-relative ``offset`` lies in a turn's words or label."""
    position = block.start + offset
    return any(t.label_start <= position < t.end for t in turns)


def outermost(cues: list[Cue]) -> list[Cue]:
    """Drop cues nested in another cue's content: "He criticized Kiev for refusing to talk"."""
    return [
        cue for cue in cues
        if not any(other is not cue and other.covers(cue.verb.i) for other in cues)
    ]


def colon_or_adjacent(text: str, cue: Cue, quote: Quote) -> bool:
    """A cue before a quote counts when only a colon, 'that' or a short phrase separates them."""
    last = cue.verb
    if cue.speaker is not None:
        speaker_end = cue.verb.doc[cue.speaker[1] - 1]
        last = max(last, speaker_end, key=lambda t: t.i)
    between = text[last.idx + len(last.text) : quote.start]
    return ":" in between or len(between.split()) <= 6


def bare_cues(sentence: list[Token], reporting: frozenset[str]) -> list[Cue]:
    """Reporting verbs with a subject but no parsed content: ``“…,” he added.``"""
    cues = []
    for token in sentence:
        if token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in reporting:
            subject = find_subject(token)
            if subject is not None:
                cues.append(Cue(token, subject_phrase(subject), (token.i, token.i + 1), "verb"))
    return cues
