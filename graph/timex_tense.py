"""Tense around a time expression: is "on Friday" the one before publication or the next?

News mostly reports what has happened, so the default is past; a cue in the sentence can say
otherwise. The cue nearest the expression wins: a future marker (will, 'll, scheduled, set to …)
or a past-tense verb (said, met, announced …); failing both, a weak marker (until, next, ahead
of) points ahead.
"""

from __future__ import annotations

import re

#: Words announcing that what they govern is yet to happen.
_FUTURE_CUES = re.compile(
    r"(?i)(?<![\w'’-])(?:will|shall|wo\s*n['’]t|won['’]t|going\s+to|gonna|to\s+be\s+held|"
    r"to\s+take\s+place|scheduled|slated|set\s+to|due\s+to|due\s+on|expected\s+to|plans?\s+to|"
    r"planned\s+for|planning\s+to|(?:intends?|wants?|aims?|hopes?|seeks?)\s+to|upcoming|"
    r"should|(?-i:may|might)|look(?:s|ing)?\s+forward\s+to|(?:is|are)\s+to)"
    r"(?![\w'’])|['’]ll(?!\w)"
)
#: Verbs in the past tense: common irregular ones, and lower-case words ending in -ed.
_PAST_CUES = re.compile(
    r"(?<![\w'’-])(?:said|told|(?:was|were|had|did)(?:n['’]t)?|began|came|went|made|took|gave|"
    r"held|met|saw|left|fell|rose|grew|won|lost|sold|bought|spoke|wrote|led|hit|struck|sent|"
    r"kept|found|thought|brought|became|got|ran|stood|paid|"
    r"(?P<ed>(?![a-z]*(?:eed|ndred)\b)[a-z]{2,}ed))"
    r"(?![\w'’-])"
)
#: Words before an -ed form that make it a participle, not a past tense: "should be completed",
#: "to remain closed", "has agreed", "later than (originally) planned".
_PARTICIPLE_BEFORE = re.compile(
    r"(?i)(?<![\w'’-])(?:be|been|being|is|are|am|remain|remains|stay|stays|seem|seems|has|have|"
    r"than|as)\s+(?:[a-z]+ly\s+)?$"
)
#: Words that point ahead only when no verb in the sentence says otherwise ("closed until
#: Friday", but "didn't know until January").
_WEAK_FUTURE_CUES = re.compile(r"(?i)(?<![\w'’-])(?:until|till|next|coming|ahead\s+of)(?![\w'’])")
_CUES = ((_FUTURE_CUES, "future"), (_PAST_CUES, "past"))
SENTENCE_END = re.compile(r"\n|[.!?][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9])")
_WINDOW = 80


def read_tense(text: str, start: int, end: int) -> tuple[str, bool]:
    """(tense, whether a cue in the sentence said so) for ``text[start:end]``.

    ``"future"`` when the nearest cue announces the future (will, 'll, scheduled, set to …),
    ``"past"`` when it is a past-tense verb (said, met, announced …). With neither, a weak cue
    (until, next, ahead of) means future; with nothing at all the tense is past (news reports
    what has happened) but unmarked.
    """
    left = text[max(0, start - _WINDOW) : start]
    left = left[max((m.end() for m in SENTENCE_END.finditer(left)), default=0) :]
    right = text[end : min(len(text), end + _WINDOW)]
    boundary = SENTENCE_END.search(right)
    right = right[: boundary.start() if boundary else len(right)]
    for cues in (_CUES, ((_WEAK_FUTURE_CUES, "future"),)):
        found = [
            (len(left) - m.end(), 0, tense)
            for pattern, tense in cues
            for m in pattern.finditer(left)
            if not _participle(left, m)
        ]
        found += [
            (m.start(), 1, tense)
            for pattern, tense in cues
            for m in pattern.finditer(right)
            if not _participle(right, m)
        ]
        if found:
            return min(found)[2], True
    return "past", False


def _participle(text: str, match: re.Match[str]) -> bool:
    """Whether an -ed cue is a participle ("be completed"), which says nothing of tense."""
    return bool(match.groupdict().get("ed")) and bool(
        _PARTICIPLE_BEFORE.search(text, max(0, match.start() - 40), match.start())
    )


def tense_at(text: str, start: int, end: int) -> str:
    """``"past"`` or ``"future"``: the tense the expression at ``text[start:end]`` is read in."""
    return read_tense(text, start, end)[0]
