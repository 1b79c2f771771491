"""Tests for graph.evaluate: scoring hand-built JSON exports against the real seeds gold."""

from __future__ import annotations

import copy
import dataclasses
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.evaluate import Ratio, Report, Wrong, format_report, score

GOLD_PATH = Path(__file__).parent / "data" / "seeds.gold.json"
A000, A001, A002, A003, A004 = (
    "000_99abdfa5ef970735",
    "001_237da4f63847cbf0",
    "002_720875782e86ab24",
    "003_c3eefc58b1871f46",
    "004_d070eae29229f494",
)


@cache
def _gold_text() -> str:
    return GOLD_PATH.read_text(encoding="utf-8")


def gold() -> dict:
    """A fresh copy of the seeds gold, safe to alter."""
    return json.loads(_gold_text())


def gold_statement(gid: str) -> dict:
    return next(s for s in gold()["statements"] if s["id"] == gid)


def evidence(entries: list[dict]) -> list[dict]:
    return [
        {"article": e["article"], "start": e["span"][0], "end": e["span"][1], "text": e["evidence"]}
        for e in entries
    ]


def day_range(lo: str, hi: str) -> dict:
    return {"value": lo if lo == hi else f"{lo}/{hi}", "begin": lo, "end": hi, "precision": "day"}


def system_statement(g: dict, **changes: object) -> dict:
    """The export form of a gold statement, read perfectly, with ``changes`` applied."""
    node = {
        "id": f"statement/{g['id']}",
        "speaker": {"id": "actor/x", "name": g["speaker"], "aliases": [], "wikidata": None},
        "date": day_range(*g["date_window"]),
        "topics": list(g["topics"]),
        "quote": g["cited_by"][0]["evidence"],
        "evidence": evidence(g["cited_by"]),
        "cited_by": sorted({e["article"] for e in g["cited_by"]}),
        "about": [f"event/{e}" for e in g["about_events"]],
    }
    return {**node, **changes}


def system_event(g: dict, **changes: object) -> dict:
    node = {
        "id": f"event/{g['id']}",
        "label": g["label"],
        "type": g["type"],
        "date": day_range(*g["date_window"]),
        "evidence": evidence(g["mentions"]),
    }
    return {**node, **changes}


def statement_on(sid: str, article: str, start: int, end: int, **changes: object) -> dict:
    """A system statement with one evidence span and a speaker/date nobody expects."""
    node = {
        "id": sid,
        "speaker": {"id": "actor/nobody", "name": "Nobody", "aliases": [], "wikidata": None},
        "date": day_range("1999-01-01", "1999-01-01"),
        "topics": [],
        "quote": "",
        "evidence": [{"article": article, "start": start, "end": end, "text": "x" * (end - start)}],
        "cited_by": [article],
        "about": [],
    }
    return {**node, **changes}


def perfect(g: dict) -> dict:
    """A system export made from the gold itself: every item and relation, optional ones too."""
    statements = {s["id"] for s in g["statements"]}

    def ref(gid: str) -> str:
        return f"statement/{gid}" if gid in statements else f"event/{gid}"

    return {
        "articles": [
            {"id": a["id"], "title": None, "published": a["published"][0]} for a in g["articles"]
        ],
        "statements": [system_statement(s) for s in g["statements"]],
        "events": [system_event(e) for e in g["events"]],
        "relations": [
            {
                "type": r["type"],
                "source": ref(r["a"]),
                "target": ref(r["b"]),
                "explanation": r["why"],
            }
            for r in g["relations"]
        ],
    }


def perfect_timeline(g: dict, reverse: bool = False):
    """Statements of a speaker on a topic, in gold date order (or reversed)."""

    def timeline(speaker: str, topic: str) -> list[dict]:
        chosen = [s for s in g["statements"] if s["speaker"] == speaker and topic in s["topics"]]
        chosen.sort(key=lambda s: s["date_window"][0], reverse=reverse)
        return [system_statement(s) for s in chosen]

    return timeline


def ratios(value: object, path: str = "report") -> list[tuple[str, Ratio]]:
    """Every Ratio inside a report, with where it sits."""
    if isinstance(value, Ratio):
        return [(path, value)]
    if dataclasses.is_dataclass(value):
        return [
            found
            for f in dataclasses.fields(value)
            for found in ratios(getattr(value, f.name), f"{path}.{f.name}")
        ]
    if isinstance(value, tuple):
        return [found for i, item in enumerate(value) for found in ratios(item, f"{path}[{i}]")]
    return []


def only(g: dict, **lists: list) -> dict:
    """A system export holding only the given lists."""
    return {"articles": [], "statements": [], "events": [], "relations": [], **lists}


# --- a perfect system -------------------------------------------------------------------------


def test_perfect_system_scores_one_everywhere() -> None:
    g = gold()
    report = score(perfect(g), g, timeline=perfect_timeline(g))
    found = ratios(report)
    assert len(found) > 20
    assert [(where, r.value) for where, r in found if r.value != 1.0] == []
    assert report.noise_hits == 0 and report.noise == ()
    assert report.relations.trap_false_alarms == 0
    assert all(line.found and line.dated for line in report.events.per_event)
    assert all(line.merged in (True, None) for line in report.events.per_event)
    assert report.queries is not None and len(report.queries) == len(g["queries"])
    assert all(q.in_order is True for q in report.queries)
    for section in (report.statements, report.events, report.relations):
        for f in dataclasses.fields(section):
            value = getattr(section, f.name)
            if isinstance(value, tuple) and f.name != "per_event":
                assert value == (), f.name


def test_perfect_counts_follow_the_gold() -> None:
    g = gold()
    report = score(perfect(g), g)
    required = [s for s in g["statements"] if not s["optional"]]
    optional = [s for s in g["statements"] if s["optional"]]
    assert report.statements.recall.total == len(required)
    # statements matching only optional gold are left out of the precision denominator
    assert report.statements.precision.total == len(g["statements"]) - len(optional)
    assert report.statements.cited_by_recall.total == sum(
        len({c["article"] for c in s["cited_by"]}) for s in required
    )
    assert report.statements.merge_accuracy.total == sum(
        len(s["cited_by"]) * (len(s["cited_by"]) - 1) // 2 for s in required
    )
    required_contradicts = [
        r for r in g["relations"] if r["type"] == "contradicts" and not r.get("optional")
    ]
    assert report.relations.contradicts_recall.total == len(required_contradicts)
    assert report.queries is None


# --- empty system -----------------------------------------------------------------------------


@pytest.mark.parametrize("system", [{}, only(gold())])
def test_empty_system_scores_zero_recall_and_no_precision(system: dict) -> None:
    g = gold()
    report = score(system, g, timeline=lambda speaker, topic: [])
    s, e, r = report.statements, report.events, report.relations
    for figure in (
        s.recall,
        s.full_recall,
        s.cited_by_recall,
        s.merge_accuracy,
        e.recall,
        e.merge_accuracy,
        r.contradicts_recall,
        r.causes_recall,
    ):
        assert figure.value == 0.0 and figure.total > 0
    for figure in (
        s.precision,
        s.full_precision,
        s.speaker_accuracy,
        s.date_accuracy,
        e.precision,
        e.date_accuracy,
        r.contradicts_precision,
        r.causes_precision,
    ):
        assert figure.value is None
    assert set(s.missed) == {x["id"] for x in g["statements"] if not x["optional"]}
    assert report.queries is not None
    assert all(
        q.recall.value == 0.0 and q.precision.value is None and q.in_order is None
        for q in report.queries
    )
    text = format_report(report)
    assert "n/a" in text and "P22-as-planned" in text


# --- matching by span -------------------------------------------------------------------------

FRONT_LINE = (A000, 1982, 2092)  # P22-front-line, 110 code points


@pytest.mark.parametrize(
    ("article", "start", "end", "matches"),
    [
        (A000, 1982, 2037, True),  # exactly half
        (A000, 1982, 2036, False),  # one code point short of half
        (A000, 2037, 2092, True),
        (A000, 2038, 3000, False),
        (A000, 1900, 2200, True),
        (A001, 1982, 2092, False),  # same offsets, other article
    ],
)
def test_a_statement_matches_when_it_covers_half_a_gold_span(
    article: str, start: int, end: int, matches: bool
) -> None:
    system = only(gold(), statements=[statement_on("s", article, start, end)])
    assert ("P22-front-line" not in score(system, gold()).statements.missed) is matches


@given(start=st.integers(1800, 2200), length=st.integers(0, 400))
@settings(max_examples=60, deadline=None)
def test_matching_is_the_half_coverage_rule(start: int, length: int) -> None:
    article, lo, hi = FRONT_LINE
    end = start + length
    covered = max(0, min(end, hi) - max(start, lo))
    system = only(gold(), statements=[statement_on("s", article, start, end)])
    matched = "P22-front-line" not in score(system, gold()).statements.missed
    assert matched is (2 * covered >= hi - lo)


@pytest.mark.parametrize(("length", "matches"), [(1200, True), (1201, False), (1300, False)])
def test_gold_spans_over_1200_code_points_match_nothing(length: int, matches: bool) -> None:
    g = gold()
    g["statements"] = [
        dict(
            gold_statement("P22-front-line"),
            cited_by=[{"article": A001, "evidence": "long", "span": [0, length]}],
        )
    ]
    g["relations"] = []
    system = only(g, statements=[statement_on("s", A001, 0, length)])
    assert score(system, g).statements.recall.value == (1.0 if matches else 0.0)


def test_best_match_decides_accuracy_but_any_match_counts_for_full_figures() -> None:
    # [737, 940) covers all of ZEL22-no-talks-with-putin and 63/102 of P22-open-to-talks.
    g = gold()
    putin = {
        "id": "actor/vladimir-putin",
        "name": "Vladimir Putin",
        "aliases": [],
        "wikidata": None,
    }
    node = statement_on(
        "s", A001, 737, 940, speaker=putin, date=day_range("2022-10-14", "2022-10-14")
    )
    report = score(only(g, statements=[node]), g)
    assert report.statements.speaker_accuracy == Ratio(0, 1)
    assert report.statements.wrong_speakers == (
        Wrong("ZEL22-no-talks-with-putin", "s", "Vladimir Putin", "Volodymyr Zelensky"),
    )
    assert report.statements.full_precision == Ratio(1, 1)
    assert report.statements.full_recall.hits == 1


def test_optional_gold_is_neither_required_nor_counted_against() -> None:
    g = gold()
    optional = system_statement(gold_statement("MOD22-kyiv-withdrawal"))
    report = score(only(g, statements=[optional]), g)
    assert "MOD22-kyiv-withdrawal" not in report.statements.missed
    assert report.statements.precision.total == 0
    stray = statement_on("stray", A000, 0, 20)
    assert score(only(g, statements=[optional, stray]), g).statements.precision == Ratio(0, 1)


def test_accuracy_is_judged_only_where_the_best_match_is_required() -> None:
    # [1230, 1424) covers optional MOD22-kyiv-withdrawal and 82/147 of P22-istanbul-initialled.
    g = gold()
    ministry = _speaker("Russian Defense Ministry")
    report = score(only(g, statements=[statement_on("s", A001, 1230, 1424, speaker=ministry)]), g)
    assert report.statements.precision == Ratio(1, 1)
    assert report.statements.speaker_accuracy == Ratio(0, 0)
    assert "P22-istanbul-initialled" not in report.statements.missed


@given(chosen=st.sets(st.integers(0, 50)))
@settings(max_examples=30, deadline=None)
def test_recall_counts_exactly_the_required_statements_found(chosen: set[int]) -> None:
    g = gold()
    picked = [s for i, s in enumerate(g["statements"]) if i in chosen]
    report = score(only(g, statements=[system_statement(s) for s in picked]), g)
    required = [s for s in picked if not s["optional"]]
    assert report.statements.recall.hits == len(required)
    assert report.statements.precision.value == (1.0 if required else None)
    assert report.statements.full_recall.hits == len(required)


# --- speakers and dates -----------------------------------------------------------------------


def _speaker(name: str | None, **more: object) -> dict:
    return {"id": "actor/someone", "name": name, "aliases": [], "wikidata": None, **more}


@pytest.mark.parametrize(
    ("gid", "speaker", "right"),
    [
        ("P22-front-line", _speaker("Vladimir Putin"), True),
        ("P22-front-line", _speaker("putin"), True),
        ("P22-front-line", _speaker("the Russian president"), True),
        ("P22-front-line", _speaker("Mr Putin"), True),
        ("P22-front-line", _speaker("Unknown", id="actor/vladimir-putin"), True),
        ("P22-front-line", _speaker("Unknown", wikidata="Q7747"), True),
        ("P22-front-line", _speaker("Unknown", aliases=["Kremlin chief"]), True),
        ("P22-front-line", _speaker("Putin's spokesman"), False),
        ("P22-front-line", _speaker("Dmitry Peskov", wikidata="Q4158"), False),
        ("P22-front-line", None, False),
        ("DIGG22-losing", _speaker("Mr Diggins"), True),
        ("DIGG22-losing", _speaker("Diggins"), True),
        ("DIGG22-losing", _speaker("Simon"), False),
        ("UA22-withdraw-first", _speaker("THE UKRAINIAN GOVERNMENT"), True),
        ("ZEL22-no-talks-with-putin", _speaker("Volodymyr Zelenskyy"), True),
        ("ZEL22-no-talks-with-putin", _speaker("Ukraine"), False),
        ("KIRILL22-sins", _speaker("Patriarch Kirill"), True),
        ("KIRILL22-sins", _speaker("The"), False),
    ],
)
def test_speaker_accuracy(gid: str, speaker: dict | None, right: bool) -> None:
    g = gold()
    node = system_statement(gold_statement(gid), speaker=speaker)
    report = score(only(g, statements=[node]), g)
    assert report.statements.speaker_accuracy == Ratio(int(right), 1)
    assert report.statements.full_recall == Ratio(int(right), report.statements.recall.total)


@pytest.mark.parametrize(
    ("date", "right"),
    [
        (day_range("2022-09-21", "2022-09-21"), True),
        (day_range("2022-09-19", "2022-09-25"), True),  # the window's own bounds
        (day_range("2022-09-18", "2022-09-21"), False),
        (day_range("2022-09-21", "2022-09-26"), False),
        (day_range("2022-09-22", "2022-09-20"), False),  # reversed
        ({"value": "Friday", "begin": None, "end": None, "precision": "unknown"}, False),
        (None, False),
    ],
)
def test_date_accuracy(date: dict | None, right: bool) -> None:
    g = gold()  # P22-300k-speech: 2022-09-19..2022-09-25
    report = score(
        only(g, statements=[system_statement(gold_statement("P22-300k-speech"), date=date)]), g
    )
    assert report.statements.date_accuracy == Ratio(int(right), 1)
    assert report.statements.full_precision == Ratio(int(right), 1)
    assert len(report.statements.wrong_dates) == int(not right)


@pytest.mark.parametrize("gid", ["P22-front-line", "KREMSRC22-one-million", "P24-kursk-failed"])
def test_one_wrong_speaker_loses_exactly_that(gid: str) -> None:
    g = gold()
    system = perfect(g)
    node = next(s for s in system["statements"] if s["id"] == f"statement/{gid}")
    node["speaker"] = _speaker("Dmitry Peskov")
    baseline, report = score(perfect(g), g).statements, score(system, g).statements
    assert report.speaker_accuracy.hits == baseline.speaker_accuracy.hits - 1
    assert report.full_recall.hits == baseline.full_recall.hits - 1
    assert report.full_precision.hits == baseline.full_precision.hits - 1
    assert (report.recall, report.precision, report.date_accuracy) == (
        baseline.recall,
        baseline.precision,
        baseline.date_accuracy,
    )
    assert report.wrong_speakers == (
        Wrong(gid, f"statement/{gid}", "Dmitry Peskov", g_speaker(gid)),
    )


def g_speaker(gid: str) -> str:
    return gold_statement(gid)["speaker"]


# --- cited-by and merging ---------------------------------------------------------------------


def test_a_missing_citation_loses_exactly_that_article() -> None:
    g = gold()
    system = perfect(g)
    node = next(s for s in system["statements"] if s["id"] == "statement/P22-no-more-mobilisation")
    node["cited_by"] = [A000]
    report, baseline = score(system, g).statements, score(perfect(g), g).statements
    assert report.cited_by_recall.hits == baseline.cited_by_recall.hits - 1
    assert report.missing_citations == (f"P22-no-more-mobilisation @ {A001}",)
    assert report.merge_accuracy == baseline.merge_accuracy


def test_a_citation_needs_matching_evidence_in_that_article() -> None:
    g = gold()
    mobilisation = gold_statement("P22-no-more-mobilisation")
    in_000 = [c for c in mobilisation["cited_by"] if c["article"] == A000]
    node = system_statement(dict(mobilisation, cited_by=in_000), cited_by=[A000, A001])
    report = score(only(g, statements=[node]), g).statements
    assert f"P22-no-more-mobilisation @ {A001}" in report.missing_citations
    assert f"P22-no-more-mobilisation @ {A000}" not in report.missing_citations
    assert report.cited_by_recall.hits == 1


def test_a_statement_split_across_articles_loses_its_merge_pairs() -> None:
    g = gold()
    system = perfect(g)
    speech = gold_statement("P22-300k-speech")
    system["statements"] = [
        s for s in system["statements"] if s["id"] != "statement/P22-300k-speech"
    ]
    for part in speech["cited_by"]:
        system["statements"].append(
            system_statement(dict(speech, cited_by=[part]), id=f"statement/part-{part['article']}")
        )
    report, baseline = score(system, g).statements, score(perfect(g), g).statements
    assert report.merge_accuracy.hits == baseline.merge_accuracy.hits - 1
    assert report.unmerged == (f"P22-300k-speech: {A000}[263:348] | {A004}[1851:1936]",)
    assert (report.recall, report.cited_by_recall) == (baseline.recall, baseline.cited_by_recall)


def test_event_lines_say_found_dated_merged() -> None:
    g = gold()
    system = perfect(g)
    talks = next(e for e in g["events"] if e["id"] == "EV-istanbul-talks")
    events = [
        e
        for e in system["events"]
        if e["id"] not in ("event/EV-istanbul-talks", "event/EV-invasion", "event/EV-g20-bali")
    ]
    for article in (A001, A002, A003):
        mentions = [m for m in talks["mentions"] if m["article"] == article]
        events.append(system_event(dict(talks, mentions=mentions), id=f"event/talks-{article}"))
    bali = next(e for e in g["events"] if e["id"] == "EV-g20-bali")
    events.append(system_event(bali, date=day_range("2022-10-14", "2022-10-14")))
    system["events"] = events
    report = score(system, g).events
    lines = {line.gold: line for line in report.per_event}
    assert (lines["EV-istanbul-talks"].found, lines["EV-istanbul-talks"].merged) == (True, False)
    assert (lines["EV-invasion"].found, lines["EV-invasion"].dated) == (False, None)
    assert lines["EV-invasion"].merged is None
    assert (lines["EV-g20-bali"].dated, lines["EV-g20-bali"].merged) == (False, None)
    assert lines["EV-crimean-bridge"] == dataclasses.replace(
        lines["EV-crimean-bridge"], found=True, dated=True
    )
    baseline = score(perfect(g), g).events
    # 4 mentions, 6 pairs; only the two in article 001 stay together; invasion's 1 pair is lost
    assert report.merge_accuracy.hits == baseline.merge_accuracy.hits - 5 - 1
    assert report.missed == ("EV-invasion",)
    # pairs: invasion gone, talks now three system events; one wrong date (Bali)
    pairs = baseline.date_accuracy.total - 1 + 2
    assert report.date_accuracy == Ratio(pairs - 1, pairs)
    assert [w.gold for w in report.wrong_dates] == ["EV-g20-bali"]


# --- noise ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article", "start", "end", "hits"),
    [
        (A001, 4860, 4890, 1),  # "error: Content is protected !!"
        (A001, 4850, 4861, 1),  # one code point of it
        (A001, 4830, 4860, 0),  # ends where it starts
        (A000, 4860, 4890, 0),  # other article
    ],
)
def test_a_statement_over_a_noise_span_is_a_noise_hit(
    article: str, start: int, end: int, hits: int
) -> None:
    g = gold()
    report = score(only(g, statements=[statement_on("s", article, start, end)]), g)
    assert report.noise_hits == hits
    assert [(h.kind, h.system, h.noise) for h in report.noise] == [
        ("statement", "s", "error: Content is protected !!")
    ] * hits


def test_noise_hits_count_items_once_and_cover_events() -> None:
    g = gold()
    related = statement_on("related", A004, 3320, 3607)  # five related-article links
    event = {
        "id": "e",
        "label": "",
        "type": "",
        "date": None,
        "evidence": [{"article": A002, "start": 2311, "end": 2324, "text": "Leave a Reply"}],
    }
    report = score(only(g, statements=[related], events=[event]), g)
    assert report.noise_hits == 2
    assert len(report.noise) == 6
    assert ("event", "e") in {(h.kind, h.system) for h in report.noise}


# --- relations --------------------------------------------------------------------------------


def _contradicts(source: str, target: str) -> dict:
    return {"type": "contradicts", "source": source, "target": target, "explanation": ""}


def _causes(source: str, target: str) -> dict:
    return {"type": "causes", "source": source, "target": target, "explanation": ""}


@pytest.mark.parametrize(
    ("spans", "alarms"),
    [
        (((A000, 350, 385), (A001, 4674, 4722)), 1),  # 220,000 vs 222,000: rounding
        (((A001, 4674, 4722), (A000, 350, 385)), 1),  # the other way round
        (((A002, 2113, 2158), (A003, 2483, 2517)), 1),  # the same statement in two reports
        (((A000, 263, 348), (A004, 1631, 1808)), 0),  # 300,000 vs one million: a real one
    ],
)
def test_contradicts_across_a_trap_is_a_false_alarm(spans: tuple, alarms: int) -> None:
    g = gold()
    statements = [statement_on(f"s{i}", *span) for i, span in enumerate(spans)]
    system = only(g, statements=statements, relations=[_contradicts("s0", "s1")])
    relations = score(system, g).relations
    assert relations.trap_false_alarms == alarms
    assert relations.contradicts_precision == Ratio(1 - alarms, 1)
    assert relations.contradicts_recall.hits == 1 - alarms


@pytest.mark.parametrize(
    "node",
    [
        system_statement(gold_statement("P22-300k-speech")),
        # one span over both KREMSRC22-one-million and P22-300k-speech, a gold contradicts pair
        statement_on("statement/wide", A004, 1631, 1936),
    ],
)
def test_a_statement_contradicting_itself_is_a_false_alarm(node: dict) -> None:
    g = gold()
    system = only(g, statements=[node], relations=[_contradicts(node["id"], node["id"])])
    relations = score(system, g).relations
    assert relations.trap_false_alarms == 1
    assert relations.contradicts_precision == Ratio(0, 1)
    assert relations.contradicts_recall.hits == 0
    assert relations.false_alarms == (f"{node['id']} contradicts itself",)


def test_contradicts_count_either_way_once() -> None:
    g = gold()
    a = system_statement(gold_statement("P22-as-planned"))
    b = system_statement(gold_statement("DIGG22-losing"))
    relations = [
        _contradicts(b["id"], a["id"]),
        _contradicts(a["id"], b["id"]),
        _contradicts(a["id"], "statement/unknown"),
    ]
    report = score(only(g, statements=[a, b], relations=relations), g).relations
    assert report.contradicts_recall.hits == 1
    assert report.contradicts_precision == Ratio(1, 2)
    assert report.false_contradicts == ("statement/P22-as-planned ~ statement/unknown",)


@pytest.mark.parametrize(
    ("source", "target", "found"),
    [
        ("EV-crimean-bridge", "EV-october-strikes", True),
        ("EV-october-strikes", "EV-crimean-bridge", False),
    ],
)
def test_causes_keep_their_direction(source: str, target: str, found: bool) -> None:
    g = gold()
    events = [system_event(e) for e in g["events"]]
    report = score(
        only(g, events=events, relations=[_causes(f"event/{source}", f"event/{target}")]), g
    )
    assert report.relations.causes_recall == Ratio(int(found), 1)
    assert report.relations.causes_precision == Ratio(int(found), 1)


def test_optional_contradicts_count_for_precision_only() -> None:
    g = gold()
    a = system_statement(gold_statement("P22-doing-right"))
    b = system_statement(gold_statement("DIGG22-losing"))
    report = score(only(g, statements=[a, b], relations=[_contradicts(a["id"], b["id"])]), g)
    assert report.relations.contradicts_precision == Ratio(1, 1)
    assert report.relations.contradicts_recall.hits == 0


# --- queries ----------------------------------------------------------------------------------


def test_a_query_answered_out_of_date_order_is_flagged() -> None:
    g = gold()
    report = score(only(g), g, timeline=perfect_timeline(g, reverse=True))
    assert report.queries is not None
    by_topic = {q.topic: q for q in report.queries}
    assert by_topic["mobilisation"].in_order is False
    assert (
        "P22-no-more-mobilisation before P22-300k-speech" in by_topic["mobilisation"].out_of_order
    )
    assert by_topic["negotiations"].in_order is False
    # every Kursk statement was made on the same day: any order is date order
    assert by_topic["kursk offensive"].in_order is True
    assert all(q.recall.value == 1.0 and q.precision.value == 1.0 for q in report.queries)
    assert "in date order           NO" in format_report(report)


@pytest.mark.parametrize(
    ("answer", "in_order"),
    [
        (["DIGG22-up-to-million", "P22-300k-speech"], True),  # windows overlap: either order
        (["P22-300k-speech", "P22-front-line"], True),
        (["P22-front-line", "P22-300k-speech"], False),
        (["P22-front-line"], None),
    ],
)
def test_in_order_compares_gold_windows(answer: list[str], in_order: bool | None) -> None:
    g = gold()
    g["queries"] = [
        {"question": "q", "speaker": "any", "topic": "any", "expect": answer, "may_include": []}
    ]
    returned = [system_statement(gold_statement(gid)) for gid in answer]
    report = score(only(g), g, timeline=lambda speaker, topic: returned)
    assert report.queries is not None
    assert report.queries[0].in_order is in_order
    assert len(report.queries[0].out_of_order) == int(in_order is False)


def test_query_recall_and_precision_count_answers() -> None:
    g = gold()
    base = perfect_timeline(g)

    def timeline(speaker: str, topic: str) -> list[dict]:
        answer = [s for s in base(speaker, topic) if s["id"] != "statement/P24-mediators"]
        return answer + [system_statement(gold_statement("P22-not-destroy"))]

    report = score(only(g), g, timeline=timeline)
    assert report.queries is not None
    talks = next(q for q in report.queries if q.topic == "negotiations")
    assert talks.recall == Ratio(5, 6)
    assert talks.missed == ("P24-mediators",)
    assert talks.precision == Ratio(6, 7)
    assert talks.extraneous == ("statement/P22-not-destroy",)


# --- errors and the report --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (
            lambda s: s["statements"][0]["evidence"][0].update(start=90, end=80),
            ValueError,
            r"\[90, 80\)",
        ),
        (lambda s: s["statements"][0].pop("id"), ValueError, "string id"),
        (
            lambda s: s["statements"].append(copy.deepcopy(s["statements"][0])),
            ValueError,
            "occurs twice",
        ),
        (lambda s: s["statements"][0]["date"].update(begin="2022-10"), ValueError, "'2022-10'"),
        (lambda s: s["events"][0]["evidence"][0].update(start="12"), TypeError, "'12'"),
        (lambda s: s["relations"].append(_contradicts(None, "x")), TypeError, "None"),
        (lambda s: s.update(events={}), TypeError, "'events' must be a list"),
    ],
)
def test_malformed_system_raises(change, error: type[Exception], message: str) -> None:
    g = gold()
    system = perfect(g)
    change(system)
    with pytest.raises(error, match=message):
        score(system, g)


def test_malformed_gold_raises_value_error() -> None:
    g = gold()
    g["relations"].append({"type": "supports", "a": "P22-as-planned", "b": "DIGG22-losing"})
    with pytest.raises(ValueError, match="'supports'"):
        score(only(g), g)
    g = gold()
    g["relations"].append({"type": "causes", "a": "EV-invasion", "b": "P22-as-planned"})
    with pytest.raises(ValueError, match="'P22-as-planned' is not a gold event"):
        score(only(g), g)
    g = gold()
    g["queries"][0]["expect"].append("NO-SUCH")
    with pytest.raises(ValueError, match="NO-SUCH"):
        score(only(g), g, timeline=lambda speaker, topic: [])


def test_ratio_is_none_on_an_empty_denominator() -> None:
    assert Ratio(0, 0).value is None
    assert Ratio(3, 4).value == 0.75
    with pytest.raises(ValueError, match="5/4"):
        Ratio(5, 4)


def test_format_report_prints_each_figure_and_the_misses() -> None:
    g = gold()
    system = perfect(g)
    system["statements"][0]["speaker"] = _speaker("Dmitry Peskov")
    report = score(system, g)
    assert isinstance(report, Report)
    text = format_report(report)
    recall = report.statements.recall
    assert f"recall                  1.00  ({recall.hits}/{recall.hits})" in text
    assert "wrong speaker (1):" in text and "'Dmitry Peskov'" in text
    for event in g["events"]:
        assert event["id"] in text
    assert "queries" not in text


def test_two_points_of_one_speaker_merged_are_not_kept_apart() -> None:
    g = gold()
    system = perfect(g)
    first, second = gold_statement("P22-no-more-mobilisation"), gold_statement("P22-mobilisation-ends")
    system["statements"] = [
        s for s in system["statements"] if s["id"] not in {f"statement/{first['id']}", f"statement/{second['id']}"}
    ]
    both = dict(first, cited_by=first["cited_by"] + second["cited_by"])
    system["statements"].append(system_statement(both, id="statement/both"))
    report, baseline = score(system, g).statements, score(perfect(g), g).statements
    assert baseline.kept_apart.hits == baseline.kept_apart.total > 0
    assert report.kept_apart.total == baseline.kept_apart.total
    assert report.kept_apart.hits == baseline.kept_apart.hits - 1
    assert report.overmerged == ("P22-no-more-mobilisation ~ P22-mobilisation-ends",)
    assert report.merge_accuracy == baseline.merge_accuracy


def test_statements_of_different_speakers_are_not_counted_for_kept_apart() -> None:
    g = gold()
    speakers = {s["speaker"] for s in g["statements"] if not s.get("optional")}
    report = score(perfect(g), g).statements
    same_speaker_pairs = sum(
        n * (n - 1) // 2
        for n in (sum(1 for s in g["statements"] if s["speaker"] == who and not s.get("optional"))
                  for who in speakers)
    )
    assert report.kept_apart.total == same_speaker_pairs
