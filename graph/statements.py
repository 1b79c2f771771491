"""Statements in one article: direct quotes, indirect speech, attributed paraphrase, headlines.

The reader walks the article's blocks in order, so pronouns and role phrases resolve against what
came before. For each sentence it finds reporting cues (:mod:`graph.cues`) and quotations
(:mod:`graph.quotes`):

- a quotation of four or more words is a **direct** statement, attributed to the cue right after
  it (``“…,” Putin said``) or right before it (``Diggins told Talk TV: “…``); with no cue of its
  own it is **carried** from the previous statement nearby (a quote paragraph following another),
  and a heading that is only a quote takes the speaker of the section's first statement;
- a cue whose content lies outside any quotation is an **indirect** statement (``Putin said the
  talks failed``, ``According to him, …``);
- in a heading, either kind is a **headline** statement.

Short quotations ("open", "just right") are scare quotes inside indirect speech, not statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.cues import Cue, according_cues, verb_cues
from graph.dating import StatementDater
from graph.model import Actor, Article, Span, Statement, StatementKind
from graph.nlp import Block, Token
from graph.quotes import Quote, find_quotes
from graph.speakers import ArticleSpeakers
from graph.statement_rules import (
    CARRY_BLOCKS,
    CONTINUES,
    MIN_QUOTE_WORDS,
    PULL_QUOTE_CHARS,
    bare_cues,
    colon_or_adjacent,
    in_turn,
    is_heading,
    opens_sentence,
    outermost,
    token_span,
)
from graph.topics import TopicIndex
from graph.turns import Turn, chunks, find_turns


@dataclass
class _Draft:
    """A statement being assembled (mutable until the article is read)."""

    block: Block
    evidence: list[Span]
    quote: str
    kind: StatementKind
    cue: Span | None
    speaker: Actor | None = None
    resolution: str = "named"
    sentence: list[Token] = field(default_factory=list)
    cue_token: Token | None = None
    content: tuple[int, int] | None = None
    pending: str | None = None  # "forward" (heading quote) or "expert" (cataphoric role noun)


@dataclass
class StatementReader:
    """Reads the statements of one article."""

    article: Article
    speakers: ArticleSpeakers
    topics: TopicIndex
    dater: StatementDater
    reporting: frozenset[str]
    drafts: list[_Draft] = field(default_factory=list)
    #: Notes on cues whose speaker could not be resolved (their statements are not kept).
    unresolved: list[str] = field(default_factory=list)
    #: Whether the block being read follows a paragraph whose quotation ran on unclosed.
    after_run_on: bool = False
    #: The block holding each turn label (by the label's article offset).
    turn_blocks: dict[int, Block] = field(default_factory=dict)

    def read(self, blocks: list[Block]) -> list[Statement]:
        turns = find_turns(blocks)
        continues = False
        for block in blocks:
            inside = [t for t in turns if t.start < block.end and block.start < t.end]
            quotes = find_quotes(block.text, continues=continues)
            self.after_run_on = continues
            continues = bool(quotes) and quotes[-1].runs_on
            if inside:
                quotes = [q for q in quotes if not in_turn(block, q.start, inside)]
            self._read_block(block, quotes, is_heading(block, len(blocks)), inside)
            for turn in inside:
                self._turn(block, turn)
        self._settle_pending()
        self._continuations(blocks)
        return self._finish()

    def _continuations(self, blocks: list[Block]) -> None:
        """Attributed paraphrase that runs on: a sentence with no cue of its own that carries
        the argument on ("It is therefore not necessary …", "In fact, there are now more …")
        right after a statement belongs to that statement's speaker."""
        sentences = [(block, sentence) for block in blocks for sentence in block.doc.sents]
        spans = [(b.start + s.start_char, b.start + s.end_char) for b, s in sentences]

        def owner(start: int, end: int) -> _Draft | None:
            return next(
                (d for d in self.drafts if d.speaker and any(e.start < end and start < e.end for e in d.evidence)),
                None,
            )

        for k in range(1, len(sentences)):
            block, sentence = sentences[k]
            start, end = spans[k]
            if owner(start, end) is not None or not CONTINUES.match(sentence.text):
                continue
            previous = owner(*spans[k - 1])
            if previous is None:
                continue
            text = sentence.text.rstrip()
            evidence = Span(start, start + len(text), text)
            self.drafts.append(
                _Draft(block, [evidence], text, "paraphrase", None, previous.speaker, "carried",
                       previous.sentence, previous.cue_token)
            )

    def _turn(self, block: Block, turn: Turn) -> None:
        """Each sentence group of a transcript turn is a direct statement by its speaker."""
        if turn.interviewer:
            return
        label_block = self.turn_blocks.get(turn.label_start)
        if label_block is None:
            label_block = block
            self.turn_blocks[turn.label_start] = block
        start = turn.label_start - label_block.start
        label_doc = label_block.doc
        entities = [(e.text, e.label_) for e in label_doc.ents
                    if start <= e.start_char and e.end_char <= start + len(turn.label)]
        resolved = self.speakers.resolve(turn.label, entities, turn.label_start, self.dater.published)
        if resolved is None:
            return
        speaker, how = resolved
        self.speakers.note(speaker, turn.label_start, subject=True)
        cue = Span(turn.label_start, turn.label_start + len(turn.label), turn.label)
        for chunk_start, chunk_end in chunks(block, turn.start, turn.end):
            text = self.article.text[chunk_start:chunk_end]
            trimmed = text.rstrip()
            evidence = Span(chunk_start, chunk_start + len(trimmed), trimmed)
            self.drafts.append(_Draft(block, [evidence], trimmed, "direct", cue, speaker, how))

    def _read_block(self, block: Block, quotes: list[Quote], heading: bool, turns: list[Turn]) -> None:
        long_quotes = [q for q in quotes if q.words(block.text) >= MIN_QUOTE_WORDS or q.continued]
        used_quotes: set[Quote] = set()
        for sentence_span in block.doc.sents:
            sentence = list(sentence_span)
            cues = outermost(verb_cues(sentence, self.reporting) + according_cues(sentence))
            self._note_mentions(block, sentence)
            for cue in cues:
                if any(q.start <= cue.verb.idx < q.end for q in long_quotes):
                    continue  # a cue inside a quotation belongs to the quoted speaker's words
                if in_turn(block, cue.verb.idx, turns):
                    continue  # likewise inside a transcript turn
                self._indirect(block, sentence, cue, long_quotes, heading, used_quotes)
        for quote in long_quotes:
            if quote not in used_quotes:
                self._direct(block, quote, heading)

    def _note_mentions(self, block: Block, sentence: list[Token]) -> None:
        """Remember the people a sentence names, so later pronouns can find them."""
        day = self.dater.published
        first, last = sentence[0].i, sentence[-1].i
        for start, end, label, _ in block.entities:
            if label != "PERSON" or not first <= start <= last:
                continue
            entity = block.doc[start:end]
            ent = entity[0]
            resolved = self.speakers.resolve(entity.text, [(entity.text, "PERSON")], block.start + entity.start_char, day)
            if resolved:
                subject = ent.dep_ in {"nsubj", "nsubjpass"} or entity.root.dep_ in {"nsubj", "nsubjpass"}
                self.speakers.note(resolved[0], block.start + entity.start_char, subject=subject)

    def _speaker(self, block: Block, cue: Cue) -> tuple[Actor, str] | tuple[None, str]:
        if cue.speaker is None:
            return None, "none"
        start, end = cue.speaker
        doc = block.doc
        tokens = doc[start:end]
        phrase = tokens.text
        entities = [(e.text, e.label_) for e in doc.ents if e.start >= start and e.end <= end]
        offset = block.start + tokens[0].idx
        resolved = self.speakers.resolve(phrase, entities, offset, self.dater.published)
        if resolved:
            actor, how = resolved
            self.speakers.note(actor, offset, subject=True)
            return actor, how
        if self.speakers.expert_pending(phrase):
            return None, "expert"
        return None, "none"

    def _indirect(
        self, block: Block, sentence: list[Token], cue: Cue, quotes: list[Quote],
        heading: bool, used: set[Quote],
    ) -> None:
        doc = block.doc
        start, end = cue.content
        if doc[start].dep_ == "mark" and doc[start].lower_ == "that":
            start += 1
        while start < end and doc[start].is_punct:
            start += 1
        if end - start < 2:
            return
        content_first, content_last = doc[start], doc[end - 1]
        c_start, c_end = content_first.idx, content_last.idx + len(content_last.text)
        inside = [q for q in quotes if q.start <= c_start and c_end <= q.end]
        if inside:
            return
        speaker, how = self._speaker(block, cue)
        if speaker is None and how != "expert":
            if cue.speaker is not None:
                phrase = doc[cue.speaker[0]:cue.speaker[1]].text
                self.unresolved.append(
                    f"{self.article.id}: no speaker for {phrase!r} ({cue.verb.text!r} at "
                    f"{block.start + cue.verb.idx})"
                )
            return
        overlapping = [q for q in quotes if q.start < c_end and c_start < q.end]
        span_tokens = [doc[i] for i in range(start, end)] + [cue.verb]
        if cue.speaker:
            span_tokens += list(doc[cue.speaker[0]:cue.speaker[1]])
        first = min(span_tokens, key=lambda t: t.i)
        last = max(span_tokens, key=lambda t: t.i)
        if last.is_punct and last.i > first.i:
            last = doc[last.i - 1]
        evidence = [token_span(block, [first, last])]
        for quote in overlapping:
            used.add(quote)
            q_span = block.char_span(quote.inner_start, quote.inner_end)
            if not evidence[0].start <= q_span.start < q_span.end <= evidence[0].end:
                evidence.append(q_span)
        kind: StatementKind = "headline" if heading else ("mixed" if overlapping else "indirect")
        if cue.kind == "according":
            kind = "headline" if heading else "paraphrase"
        self.drafts.append(
            _Draft(
                block=block,
                evidence=evidence,
                quote=doc[start:end].text,
                kind=kind,
                cue=block.span(cue.verb, cue.verb if cue.kind == "verb" else cue.verb.right_edge),
                speaker=speaker,
                resolution=how if speaker else "role",
                sentence=sentence,
                cue_token=cue.verb,
                content=cue.content,
                pending="expert" if speaker is None else None,
            )
        )

    def _frame_cue(self, block: Block, quote: Quote) -> tuple[Cue, list[Token]] | None:
        """The cue right after or right before a quotation, outside it, in the same sentence."""
        doc = block.doc
        inside = lambda t: quote.start <= t.idx < quote.end
        last_inside = [t for t in doc if inside(t)]
        if not last_inside:
            return None
        after_sentence = list(last_inside[-1].sent)
        before_sentence = list(last_inside[0].sent)
        candidates: list[tuple[int, Cue, list[Token]]] = []
        for sentence in (after_sentence, before_sentence):
            for cue in verb_cues(sentence, self.reporting) + according_cues(sentence) + bare_cues(sentence, self.reporting):
                if inside(cue.verb):
                    continue
                if cue.speaker and any(inside(doc[i]) for i in range(*cue.speaker)):
                    continue
                after = cue.verb.idx >= quote.end
                distance = cue.verb.idx - quote.end if after else quote.start - cue.verb.idx
                if not after and not colon_or_adjacent(block.text, cue, quote):
                    continue
                candidates.append((distance, cue, sentence))
        if not candidates:
            return None
        _, cue, sentence = min(candidates, key=lambda c: c[0])
        return cue, sentence

    def _direct(self, block: Block, quote: Quote, heading: bool) -> None:
        inner = block.char_span(quote.inner_start, quote.inner_end)
        if not inner.text.strip():
            return
        stripped = inner.text.rstrip(" ,")
        inner = Span(inner.start, inner.start + len(stripped), stripped)
        found = self._frame_cue(block, quote)
        kind: StatementKind = "headline" if heading else "direct"
        if found:
            cue, sentence = found
            speaker, how = self._speaker(block, cue)
            if speaker is not None or how == "expert":
                self._merge_or_add(
                    _Draft(block, [inner], inner.text, kind, block.span(cue.verb, cue.verb),
                           speaker, how if speaker else "role", sentence, cue.verb,
                           pending=None if speaker else "expert")
                )
                return
        whole_block = not block.text[: quote.start].strip() and not block.text[quote.end :].strip(" .")
        pull_quote = whole_block and len(inner.text) <= PULL_QUOTE_CHARS and len(list(block.doc.sents)) == 1
        continuing = self.after_run_on and quote.start == 0
        if whole_block and (heading or pull_quote) and not continuing:
            self.drafts.append(_Draft(block, [inner], inner.text, kind, None, pending="forward"))
            return
        if not opens_sentence(block, quote):
            return  # a quoted phrase inside narration, with nobody to attribute it to
        previous = self._recent(block)
        if previous is not None:
            self.drafts.append(
                _Draft(block, [inner], inner.text, kind, None, previous.speaker, "carried",
                       previous.sentence, previous.cue_token)
            )

    def _merge_or_add(self, draft: _Draft) -> None:
        """A quote sharing its cue with the previous one (“A,” he said, “B.”) is one statement."""
        if self.drafts and draft.cue_token is not None and self.drafts[-1].cue_token is draft.cue_token:
            previous = self.drafts[-1]
            previous.evidence.append(draft.evidence[0])
            previous.quote = f"{previous.quote} … {draft.quote}"
            return
        self.drafts.append(draft)

    def _recent(self, block: Block) -> _Draft | None:
        for draft in reversed(self.drafts):
            if block.index - draft.block.index > CARRY_BLOCKS:
                return None
            if draft.speaker is not None:
                return draft
        return None

    def _settle_pending(self) -> None:
        for i, draft in enumerate(self.drafts):
            if draft.pending == "forward":
                later = next((d for d in self.drafts[i + 1:] if d.speaker is not None), None)
                if later and later.block.index - draft.block.index <= CARRY_BLOCKS:
                    draft.speaker, draft.resolution = later.speaker, "carried"
            elif draft.pending == "expert":
                named = [d for d in self.drafts if d.speaker and d.speaker.description and d.resolution == "named"]
                if named:
                    draft.speaker, draft.resolution = named[0].speaker, "role"

    def _finish(self) -> list[Statement]:
        statements = []
        seen: set[tuple[int, int]] = set()
        for draft in self.drafts:
            first = (draft.evidence[0].start, draft.evidence[0].end)
            if first in seen:
                continue  # the same words found twice (e.g. by a cue and as a quotation)
            seen.add(first)
            if draft.speaker is None:
                self.unresolved.append(
                    f"{self.article.id}: no speaker for the words at {draft.evidence[0].start}"
                )
                continue
            if draft.resolution == "pronoun" and draft.speaker == self.speakers.author:
                # an official statement's own "I"/"we": said when it was published
                when, note = self.dater.date_of(draft.block, [], None, None)
            else:
                when, note = self.dater.date_of(draft.block, draft.sentence, draft.cue_token, draft.content)
            statements.append(
                Statement(
                    article_id=self.article.id,
                    speaker=draft.speaker,
                    speaker_resolution=draft.resolution,  # type: ignore[arg-type]
                    cue=draft.cue,
                    quote=draft.quote,
                    evidence=tuple(draft.evidence),
                    date=when,
                    kind=draft.kind,
                    topics=self._topics(draft),
                    date_note=note,
                )
            )
        return self.dater.inherit(statements)

    def _topics(self, draft: _Draft) -> tuple[str, ...]:
        """A statement's topics; one with none of its own continues the topic of the same
        speaker's statement just before it in the paragraph ("Of them, 220,000 are now under
        arms, the president said" after "300,000 people would be drafted")."""
        own = self.topics.classify(self._lemmas(draft), draft.quote)
        if own:
            return own
        earlier = [
            d for d in self.drafts
            if d.block is draft.block and d.speaker == draft.speaker
            and d.evidence[0].start < draft.evidence[0].start
        ]
        if earlier:
            previous = max(earlier, key=lambda d: d.evidence[0].start)
            return self.topics.classify(self._lemmas(previous), previous.quote)
        return own

    def _lemmas(self, draft: _Draft) -> list[str]:
        """Lemmas of the statement's words and of the frame that reports them ("…,” the Russian
        president justified his mobilization decision) — not the names in that frame, which
        say where it was said, not what about ("…,” he said at the Eastern Economic Forum)."""
        block = draft.block
        spans = [(e.start - block.start, e.end - block.start) for e in draft.evidence]
        within = sorted({i for s, e in spans for i in block.tokens_within(s, e)})
        lemmas = [block.lemmas[i] for i in within]
        if draft.kind == "direct" and draft.sentence and draft.cue_token is not None:
            lemmas += [t.lemma_.lower() for t in draft.sentence
                       if not t.ent_type_ and not any(s <= t.idx < e for s, e in spans)]
        return lemmas


def read_statements(
    article: Article, blocks: list[Block], speakers: ArticleSpeakers, topics: TopicIndex,
    dater: StatementDater, reporting: frozenset[str],
) -> tuple[list[Statement], list[str]]:
    """All statements of ``article`` (its blocks parsed by :mod:`graph.nlp`), and a note for
    each reported utterance left out because its speaker could not be resolved."""
    reader = StatementReader(article, speakers, topics, dater, reporting)
    statements = reader.read(blocks)
    return statements, reader.unresolved

