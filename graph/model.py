"""The data that flows through timeline-kg: frozen dataclasses, no I/O.

Every extracted thing keeps its evidence: an article id plus ``[start, end)``
code-point offsets into the article text exactly as ingested.

Reading (one article)                     Linking (across articles)
    Article                                   StatementNode  (merged Statements)
    Extraction                                EventNode      (merged EventMentions)
      Statement  (one point of one utterance) Relation       (contradicts, causes, about, …)
      EventMention                            Graph          (everything the store holds)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Precision = Literal["day", "week", "month", "season", "year", "interval", "unknown"]
SpeakerResolution = Literal["named", "surname", "pronoun", "role", "carried", "unnamed"]
StatementKind = Literal["direct", "indirect", "paraphrase", "headline", "mixed"]
RelationType = Literal["contradicts", "causes", "about", "repeats", "supports"]


@dataclass(frozen=True)
class Span:
    """A ``[start, end)`` code-point span of an article's text."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"span text has {len(self.text)} code points but [{self.start}, {self.end}) "
                f"covers {self.end - self.start}"
            )

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Article:
    """One news article as ingested. ``text`` is never altered after ingestion."""

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    #: Spans of page furniture (related links, prompts, captions …) ignored by the reader.
    furniture: tuple[Span, ...] = ()
    #: Hex SHA-256 of ``text``: lets a build skip articles already stored unchanged.
    content_hash: str = ""


@dataclass(frozen=True)
class TimeValue:
    """A date or interval with its precision.

    ``begin``/``end`` are inclusive days; ``value`` is the TimeML form
    (``2022-10-14``, ``2022-10``, ``2022``, ``2022-W41``, ``2022-03-20/2022-03-31``).
    ``anchor`` says how it was obtained, e.g. ``"explicit"``, ``"relative to published"``,
    ``"publication date"`` (no time in the text), ``"unresolved"``.
    """

    begin: date | None
    end: date | None
    precision: Precision
    value: str
    anchor: str = "explicit"

    @property
    def resolved(self) -> bool:
        return self.begin is not None and self.end is not None


@dataclass(frozen=True)
class Actor:
    """A speaker or participant. ``id`` is a stable slug (``vladimir-putin``)."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    kind: Literal["person", "organisation", "group", "unnamed"] = "person"
    #: What the article says of a speaker unknown to the actor data ("Former defence attaché").
    description: str | None = None


@dataclass(frozen=True)
class Statement:
    """One point of one utterance by one source, as read from one article."""

    article_id: str
    speaker: Actor
    #: How the speaker was found: named in the sentence, a pronoun, a role phrase, carried over …
    speaker_resolution: SpeakerResolution
    #: The reporting cue ("said", "told", "according to", a colon …).
    cue: Span | None
    #: The verbatim words attributed to the speaker (quote or reported content).
    quote: str
    #: Evidence spans in the article (the first is the main one).
    evidence: tuple[Span, ...]
    date: TimeValue
    kind: StatementKind
    topics: tuple[str, ...] = ()
    #: Human-readable note on how the date was anchored ("'on Friday' before 2022-10-15").
    date_note: str = ""


@dataclass(frozen=True)
class EventMention:
    """A mention of a datable event in one article."""

    article_id: str
    label: str
    type: str
    date: TimeValue
    evidence: tuple[Span, ...]
    trigger: str = ""
    participants: tuple[str, ...] = ()
    place: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article."""

    article: Article
    statements: tuple[Statement, ...] = ()
    events: tuple[EventMention, ...] = ()
    #: Causal links stated in this article: (cause mention index, effect mention index, cue span).
    causes: tuple[tuple[int, int, Span], ...] = ()
    #: about links: (statement index, event mention index).
    about: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatementNode:
    """One utterance, merged across the articles that report it."""

    id: str
    speaker: Actor
    date: TimeValue
    quote: str
    topics: tuple[str, ...]
    mentions: tuple[Statement, ...]

    @property
    def cited_by(self) -> tuple[str, ...]:
        return tuple(sorted({m.article_id for m in self.mentions}))


@dataclass(frozen=True)
class EventNode:
    """One real-world event, merged across its mentions."""

    id: str
    label: str
    type: str
    date: TimeValue
    mentions: tuple[EventMention, ...]


@dataclass(frozen=True)
class Relation:
    """A typed, explained link between two nodes (statement or event ids)."""

    type: RelationType
    source: str
    target: str
    explanation: str
    confidence: float = 1.0
    evidence: tuple[tuple[str, Span], ...] = field(default=())


@dataclass(frozen=True)
class Review:
    """A person's decision on something the machine drew; it overrides the machine.

    Nodes are named by their member mentions (``mention/…``, ``event-mention/…``), which do not
    change when a rebuild re-merges nodes, so a decision survives rebuilds and new articles.

    - ``relation`` + ``accept``/``reject``: keep or drop a relation of ``relation_type`` between
      the nodes holding ``source`` and ``target`` mentions;
    - ``merge`` + ``accept``: the nodes holding ``source`` and ``target`` are one node;
    - ``merge`` + ``reject``: the ``target`` mentions never share a node with ``source`` ones.
    """

    kind: Literal["relation", "merge"]
    verdict: Literal["accept", "reject"]
    source: tuple[str, ...]
    target: tuple[str, ...]
    relation_type: str | None = None
    note: str = ""
