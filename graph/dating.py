"""When a statement was said, as opposed to when the article was published.

A time expression dates a statement when it modifies the reporting act:

- it hangs from the cue verb, or from the verb the cue depends on, without crossing the reported
  content or a relative clause ("Putin told journalists **on Friday** that …", "**Earlier this
  month**, Zelensky signed a decree, saying …"; but not "the offensive, which began **on August
  6**, …");
- or it sits next to a speech-event noun anywhere in the sentence ("in a televised speech
  **last week**", "at a press conference **on October 14**").

A statement with no such expression takes the date of the nearest statement by the same speaker
in the article that has one (one news report usually covers one appearance), else the
publication date, marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from graph.model import Statement, TimeValue
from graph.nlp import Block, Token
from graph.timex import Timex

#: Nouns for occasions on which things are said; a date next to one dates the saying.
SPEECH_NOUNS = frozenset(
    ["speech", "address", "interview", "conference", "briefing", "statement", "remark", "remarks", "session", "summit", "forum", "meeting", "call", "broadcast", "appearance", "hearing", "debate", "talk", "rally", "post", "tweet", "message"]
)
#: Dependencies that lead into something other than the reporting act.
BLOCKING_DEPS = frozenset({"relcl", "acl", "ccomp", "csubj", "pcomp"})
#: Cues whose content is a past event: a date in their sentence belongs to what is recalled
#: ("During the talks in late March, Putin recalled that …").
RECALLING = frozenset({"recall", "remember", "reminisce"})
PUBLICATION = "publication date (the text gives no time)"
OWN = "own"


def _publication(published: date | None) -> TimeValue:
    if published is None:
        return TimeValue(None, None, "unknown", "XXXX-XX-XX", "unresolved: no publication date")
    return TimeValue(published, published, "day", published.isoformat(), PUBLICATION)


@dataclass
class StatementDater:
    published: date | None
    timexes: list[Timex]

    def _candidates(self, block: Block, sentence: list[Token]) -> list[tuple[Timex, list[Token]]]:
        if not sentence:
            return []
        start = block.start + sentence[0].idx
        end = block.start + sentence[-1].idx + len(sentence[-1].text)
        found = []
        for timex in self.timexes:
            if timex.type not in {"DATE", "TIME"} or timex.time is None or not timex.time.resolved:
                continue
            if self.published and timex.time.begin > self.published:  # type: ignore[operator]
                continue  # nothing reported in an article was said after it was published
            if start <= timex.start and timex.end <= end:
                tokens = [t for t in sentence if timex.start <= block.start + t.idx < timex.end]
                if tokens:
                    found.append((timex, tokens))
        return found

    def date_of(
        self, block: Block, sentence: list[Token], cue: Token | None,
        content: tuple[int, int] | None,
    ) -> tuple[TimeValue, str]:
        """The date a statement's own sentence gives it, or a placeholder to inherit later."""
        if cue is None or cue.lemma_.lower() in RECALLING:
            return _publication(self.published), PUBLICATION
        best: tuple[int, Timex] | None = None
        for timex, tokens in self._candidates(block, sentence):
            if self._dates_the_saying(tokens, cue, content, sentence):
                distance = min(abs(t.i - cue.i) for t in tokens)
                if best is None or distance < best[0]:
                    best = (distance, timex)
        if best is None:
            return _publication(self.published), PUBLICATION
        timex = best[1]
        assert timex.time is not None
        when = timex.time
        if self.published and when.end > self.published:  # type: ignore[operator]
            when = replace(when, end=self.published, precision="interval",
                           value=f"{when.begin.isoformat()}/{self.published.isoformat()}")  # type: ignore[union-attr]
        return when, f"{OWN}: '{timex.text}' ({timex.time.anchor})"

    @staticmethod
    def _dates_the_saying(
        tokens: list[Token], cue: Token, content: tuple[int, int] | None, sentence: list[Token]
    ) -> bool:
        positions = {t.i for t in tokens}
        window = [t for t in sentence if min(positions) - 4 <= t.i <= max(positions) + 4]
        if any(t.lemma_.lower() in SPEECH_NOUNS for t in window if t.i not in positions):
            return True
        root = next((t for t in tokens if t.head.i not in positions or t.head is t), tokens[0])
        cue_line = {cue.i}
        head = cue
        while head.head is not head and head.dep_ in {"advcl", "conj", "xcomp", "relcl", "ccomp"}:
            head = head.head
            cue_line.add(head.i)
        node = root
        for _ in range(12):
            if node.i in cue_line:
                return True
            if node.dep_ in BLOCKING_DEPS:
                return False
            if node.i not in positions and node.pos_ in {"NOUN", "PROPN"}:
                # "during the talks in late March": the date belongs to the talks.
                return False
            if content and content[0] <= node.i < content[1] and node.i not in positions:
                return False
            if node.head is node:
                return False
            node = node.head
        return False

    def inherit(self, statements: list[Statement]) -> list[Statement]:
        """Give undated statements the latest date of the same speaker's dated statements.

        A report is written about its speaker's latest appearance; earlier dates in it usually
        belong to recalled, older remarks ("In late September, Putin announced …").
        """
        dated = [s for s in statements if s.date_note.startswith(OWN)]
        result = []
        for statement in statements:
            if statement.date_note.startswith(OWN) or not statement.date.anchor.startswith("publication"):
                result.append(statement)
                continue
            same = [s for s in dated if s.speaker.id == statement.speaker.id]
            if same:
                source = max(same, key=lambda s: (s.date.end, s.date.begin))
                note = f"same speaker's dated statement in this article ({source.date.value})"
                result.append(replace(statement, date=replace(source.date, anchor=note), date_note=note))
            else:
                result.append(statement)
        return result
