"""The scoring report: frozen dataclasses holding every figure and the misses behind it.

A figure is a :class:`Ratio` (hits over total) so a reader sees both the share and the counts;
its ``value`` is None when the total is 0 (printed "n/a"). Lists of misses name gold ids and
what the system said, so a developer can see what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ratio:
    """``hits / total``; ``value`` is None when nothing was there to count."""

    hits: int
    total: int
    value: float | None = field(init=False)

    def __post_init__(self) -> None:
        if not 0 <= self.hits <= self.total:
            raise ValueError(f"a ratio needs 0 <= hits <= total, got {self.hits}/{self.total}")
        object.__setattr__(self, "value", self.hits / self.total if self.total else None)


@dataclass(frozen=True)
class Wrong:
    """A matched pair the system got wrong: what it said against what the gold says."""

    gold: str
    system: str
    said: str
    expected: str


@dataclass(frozen=True)
class StatementScores:
    recall: Ratio
    precision: Ratio
    speaker_accuracy: Ratio
    date_accuracy: Ratio
    full_recall: Ratio
    full_precision: Ratio
    cited_by_recall: Ratio
    merge_accuracy: Ratio
    #: Pairs of one speaker's different gold points held by different system statements.
    kept_apart: Ratio
    #: Required gold statements no system statement matches.
    missed: tuple[str, ...]
    #: System statements matching no gold statement.
    unmatched: tuple[str, ...]
    wrong_speakers: tuple[Wrong, ...]
    wrong_dates: tuple[Wrong, ...]
    #: ``"gold id @ article"`` pairs whose citation the system lacks.
    missing_citations: tuple[str, ...]
    #: ``"gold id: span | span"`` pairs of evidence no single system statement holds.
    unmerged: tuple[str, ...]
    #: ``"gold id ~ gold id"``: one speaker's different points held by one system statement.
    overmerged: tuple[str, ...]


@dataclass(frozen=True)
class EventLine:
    """One gold event: found, dated within its window, merged (one system event covers all its
    mentions); dated and merged are None when not found, merged is None for a single mention."""

    gold: str
    label: str
    optional: bool
    found: bool
    dated: bool | None
    merged: bool | None


@dataclass(frozen=True)
class EventScores:
    recall: Ratio
    precision: Ratio
    date_accuracy: Ratio
    merge_accuracy: Ratio
    missed: tuple[str, ...]
    unmatched: tuple[str, ...]
    wrong_dates: tuple[Wrong, ...]
    unmerged: tuple[str, ...]
    per_event: tuple[EventLine, ...]


@dataclass(frozen=True)
class RelationScores:
    contradicts_recall: Ratio
    contradicts_precision: Ratio
    #: System contradicts links over a ``not_contradicts`` pair or from a statement to itself.
    trap_false_alarms: int
    causes_recall: Ratio
    causes_precision: Ratio
    missed_contradicts: tuple[str, ...]
    false_contradicts: tuple[str, ...]
    false_alarms: tuple[str, ...]
    missed_causes: tuple[str, ...]
    false_causes: tuple[str, ...]


@dataclass(frozen=True)
class NoiseHit:
    """A system statement or event whose evidence overlaps a gold noise span."""

    kind: str
    system: str
    article: str
    noise: str


@dataclass(frozen=True)
class QueryScore:
    question: str
    speaker: str
    topic: str
    recall: Ratio
    precision: Ratio
    #: Whether the returned matches follow the gold dates; None with fewer than two matches.
    in_order: bool | None
    missed: tuple[str, ...]
    #: Returned statements matching no expected or may_include gold statement.
    extraneous: tuple[str, ...]
    #: ``"later gold id before earlier gold id"`` for each pair returned out of date order.
    out_of_order: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    statements: StatementScores
    events: EventScores
    relations: RelationScores
    #: Distinct system statements and events that overlap a noise span.
    noise_hits: int
    noise: tuple[NoiseHit, ...]
    #: One score per gold query; None when no timeline function was given.
    queries: tuple[QueryScore, ...] | None
