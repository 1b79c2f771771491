"""TempEval-3 style timex scoring: alignment, the three figures, what is left out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.timex_score import format_report, lines_end, publication_date, score_timexes

MEANTIME = Path(__file__).parent / "data" / "meantime"


def row(start: int, end: int, value: str, doc: str = "d1", **extra: object) -> dict:
    return {
        "doc": doc,
        "start": start,
        "end": end,
        "value": value,
        "text": "x" * (end - start),
        **extra,
    }


def figures(result: dict) -> tuple[float, float, float]:
    return result["relaxed"]["f1"], result["strict"]["f1"], result["value"]["f1"]


@pytest.mark.parametrize(
    ("gold", "system", "expected"),
    [
        # Exact span, same value.
        ([row(0, 6, "2022-10-14")], [row(0, 6, "2022-10-14")], (1.0, 1.0, 1.0)),
        # Overlap only ("on Friday" against "Friday"): relaxed and value count, strict does not.
        ([row(3, 9, "2022-10-14")], [row(0, 9, "2022-10-14")], (1.0, 0.0, 1.0)),
        # Found with the wrong value.
        ([row(0, 6, "2022-10-14")], [row(0, 6, "2022-10-07")], (1.0, 1.0, 0.0)),
        # Touching spans do not overlap.
        ([row(0, 6, "2022")], [row(6, 10, "2022")], (0.0, 0.0, 0.0)),
        # Same offsets in another document do not match.
        ([row(0, 6, "2022")], [row(0, 6, "2022", doc="d2")], (0.0, 0.0, 0.0)),
        # Nothing found, nothing expected.
        ([], [], (0.0, 0.0, 0.0)),
    ],
)
def test_figures(gold: list, system: list, expected: tuple) -> None:
    assert figures(score_timexes(gold, system)) == pytest.approx(expected)


def test_alignment_is_one_to_one() -> None:
    gold = [row(0, 20, "P2Y")]
    system = [row(0, 8, "2009"), row(12, 20, "2011")]
    result = score_timexes(gold, system)
    assert result["relaxed"]["correct"] == 1
    assert result["relaxed"]["precision"] == pytest.approx(0.5)
    assert result["relaxed"]["recall"] == pytest.approx(1.0)
    assert {m["kind"] for m in result["mismatches"]} == {"wrong value", "spurious"}


def test_exact_match_is_preferred_over_a_longer_overlap() -> None:
    gold = [row(0, 4, "2009"), row(0, 20, "P2Y")]
    system = [row(0, 4, "2009")]
    result = score_timexes(gold, system)
    assert result["strict"]["correct"] == 1 and result["value"]["correct"] == 1


def test_creation_time_and_spanless_rows_are_left_out_with_what_overlaps_them() -> None:
    gold = [
        row(10, 25, "2008-03-01", functionInDocument="CREATION_TIME"),
        {"doc": "d1", "start": None, "end": None, "value": "2058", "text": None},
        row(40, 46, "2008-02-29", functionInDocument="NONE"),
    ]
    system = [row(10, 25, "2008-03-01"), row(40, 46, "2008-02-29")]
    result = score_timexes(gold, system)
    assert (result["gold"], result["system"]) == (1, 1)
    assert figures(result) == pytest.approx((1.0, 1.0, 1.0))


def test_mismatches_name_both_sides() -> None:
    result = score_timexes(
        [row(0, 6, "2022-10-14"), row(10, 14, "2014")],
        [row(0, 6, "2022-10-07"), row(20, 24, "PXY")],
    )
    kinds = {m["kind"]: m for m in result["mismatches"]}
    assert kinds["wrong value"]["gold_value"] == "2022-10-14"
    assert kinds["wrong value"]["system_value"] == "2022-10-07"
    assert kinds["missed"]["gold_value"] == "2014" and kinds["missed"]["system_value"] is None
    assert kinds["spurious"]["system_value"] == "PXY" and kinds["spurious"]["gold_value"] is None


def test_precision_and_recall_use_their_own_denominators() -> None:
    gold = [row(0, 4, "2001"), row(10, 14, "2002"), row(20, 24, "2003"), row(30, 34, "2004")]
    system = [row(0, 4, "2001"), row(10, 14, "1999")]
    value = score_timexes(gold, system)["value"]
    assert (value["precision"], value["recall"]) == pytest.approx((0.5, 0.25))
    assert value["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)


spans = st.lists(
    st.tuples(
        st.integers(0, 1000), st.integers(1, 30), st.sampled_from(["2022", "P1W", "PAST_REF"])
    ),
    max_size=15,
)


@given(spans)
def test_gold_scored_against_itself_is_perfect(items: list) -> None:
    gold, cursor = [], 0
    for gap, length, value in items:
        cursor += gap
        gold.append(row(cursor, cursor + length, value))
        cursor += length
    result = score_timexes(gold, [dict(g) for g in gold])
    expected = 1.0 if gold else 0.0
    assert figures(result) == pytest.approx((expected, expected, expected))
    assert result["mismatches"] == []


def test_meantime_gold_against_itself() -> None:
    gold = [
        json.loads(line)
        for line in (MEANTIME / "timex3_gold.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    system = [
        dict(g)
        for g in gold
        if g["start"] is not None and g["functionInDocument"] != "CREATION_TIME"
    ]
    result = score_timexes(gold, system)
    assert result["gold"] == len(system) > 0
    assert figures(result) == pytest.approx((1.0, 1.0, 1.0))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2008-03-01", date(2008, 3, 1)), ("03-02-2009", date(2009, 2, 3)), (None, None)],
)
def test_publication_dates_of_benchmark_documents(value: str | None, expected: date | None) -> None:
    assert publication_date(value) == expected


def test_unreadable_publication_date_names_the_formats() -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        publication_date("March 2008")


@pytest.mark.parametrize(("lines", "end"), [(1, 5), (2, 10), (3, 15), (9, 15), (0, 15)])
def test_lines_end(lines: int, end: int) -> None:
    assert lines_end("title\ndate\nbody", lines) == end


def test_report_lists_figures_and_commonest_errors() -> None:
    gold = [row(0, 6, "2022-10-14"), row(10, 16, "2022-10-14", doc="d2"), row(20, 24, "2014")]
    system = [row(0, 6, "2022-10-07"), row(10, 16, "2022-10-07", doc="d2")]
    report = format_report(score_timexes(gold, system), errors=2)
    assert "value    P 0.000  R 0.000  F1 0.000" in report
    assert "   2  wrong value  'xxxxxx': gold 2022-10-14 system 2022-10-07" in report
    assert "   1  missed       'xxxx' (2014)" in report
