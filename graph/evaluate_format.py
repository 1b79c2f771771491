"""A scoring report as text: one figure a line, then what was missed, section by section."""

from __future__ import annotations

from collections.abc import Iterable

from graph.evaluate_types import QueryScore, Ratio, Report, Wrong

_WIDTH = 24


def ratio_text(ratio: Ratio) -> str:
    """``0.72  (36/50)``, or ``n/a`` when there was nothing to count."""
    if ratio.value is None:
        return "n/a"
    return f"{ratio.value:.2f}  ({ratio.hits}/{ratio.total})"


def _figure(name: str, value: Ratio | int) -> str:
    text = ratio_text(value) if isinstance(value, Ratio) else str(value)
    return f"  {name:<{_WIDTH}}{text}"


def _misses(name: str, entries: Iterable[str]) -> list[str]:
    listed = list(entries)
    if not listed:
        return []
    return [f"  {name} ({len(listed)}):", *(f"    {entry}" for entry in listed)]


def _wrong(wrong: Wrong) -> str:
    return f"{wrong.gold} <- {wrong.system}: said {wrong.said!r}, gold {wrong.expected!r}"


def _flag(value: bool | None, yes: str, no: str) -> str:
    return "-" if value is None else (yes if value else no)


def _statements(report: Report) -> list[str]:
    s = report.statements
    return [
        "statements",
        _figure("recall", s.recall),
        _figure("precision", s.precision),
        _figure("speaker accuracy", s.speaker_accuracy),
        _figure("date accuracy", s.date_accuracy),
        _figure("full recall", s.full_recall),
        _figure("full precision", s.full_precision),
        _figure("cited-by recall", s.cited_by_recall),
        _figure("merge accuracy", s.merge_accuracy),
        _figure("kept apart", s.kept_apart),
        *_misses("not found", s.missed),
        *_misses("matching no gold", s.unmatched),
        *_misses("wrong speaker", map(_wrong, s.wrong_speakers)),
        *_misses("wrong date", map(_wrong, s.wrong_dates)),
        *_misses("citation missing", s.missing_citations),
        *_misses("not merged", s.unmerged),
        *_misses("merged but different points", s.overmerged),
    ]


def _events(report: Report) -> list[str]:
    e = report.events
    lines = [
        "events",
        _figure("recall", e.recall),
        _figure("precision", e.precision),
        _figure("date accuracy", e.date_accuracy),
        _figure("merge accuracy", e.merge_accuracy),
    ]
    id_width = max((len(line.gold) for line in e.per_event), default=0) + 2
    for line in e.per_event:
        flags = (
            f"{'found' if line.found else 'MISSING':<9}"
            f"{_flag(line.dated, 'dated', 'WRONG DATE'):<12}"
            f"{_flag(line.merged, 'merged', 'NOT MERGED'):<12}"
        )
        optional = " (optional)" if line.optional else ""
        lines.append(f"    {line.gold:<{id_width}}{flags}{line.label}{optional}")
    return [
        *lines,
        *_misses("not found", e.missed),
        *_misses("matching no gold", e.unmatched),
        *_misses("wrong date", map(_wrong, e.wrong_dates)),
        *_misses("not merged", e.unmerged),
    ]


def _relations(report: Report) -> list[str]:
    r = report.relations
    return [
        "relations",
        _figure("contradicts recall", r.contradicts_recall),
        _figure("contradicts precision", r.contradicts_precision),
        _figure("trap false alarms", r.trap_false_alarms),
        _figure("causes recall", r.causes_recall),
        _figure("causes precision", r.causes_precision),
        *_misses("contradicts not found", r.missed_contradicts),
        *_misses("contradicts not in gold", r.false_contradicts),
        *_misses("false alarms", r.false_alarms),
        *_misses("causes not found", r.missed_causes),
        *_misses("causes not in gold", r.false_causes),
    ]


def _query(query: QueryScore) -> list[str]:
    order = {None: "n/a", True: "yes", False: "NO"}[query.in_order]
    return [
        f"  {query.question or query.speaker + ' / ' + query.topic}",
        "  " + _figure("recall", query.recall),
        "  " + _figure("precision", query.precision),
        "  " + f"  {'in date order':<{_WIDTH}}{order}",
        *("  " + line for line in _misses("not returned", query.missed)),
        *("  " + line for line in _misses("not expected", query.extraneous)),
        *("  " + line for line in _misses("out of order", query.out_of_order)),
    ]


def format_report(report: Report) -> str:
    """The report as readable text: one figure a line, "n/a" for empty ones, then the misses."""
    lines = [*_statements(report), *_events(report), *_relations(report), "noise"]
    lines.append(_figure("noise hits", report.noise_hits))
    lines += _misses(
        "hits", (f"{h.kind} {h.system} @ {h.article}: {h.noise!r}" for h in report.noise)
    )
    if report.queries is not None:
        lines.append("queries")
        for query in report.queries:
            lines += _query(query)
    return "\n".join(lines) + "\n"
