"""Timelines as a partial order of intervals (graph/analysis.py)."""

import io

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from graph.analysis import graphml, overlapping, precedence_graph, timeline


def item(id_, begin, end):
    return {"id": id_, "date": {"begin": begin, "end": end}}


MARCH = item("march", "2022-03-01", "2022-03-31")
MARCH_29 = item("march-29", "2022-03-29", "2022-03-29")
APRIL = item("april", "2022-04-02", "2022-04-02")
UNDATED = {"id": "undated", "date": {"begin": None, "end": None}}


def test_overlapping_intervals_are_unordered():
    graph = precedence_graph([MARCH, MARCH_29, APRIL])
    assert graph.has_edge("march", "april") and graph.has_edge("march-29", "april")
    assert not graph.has_edge("march", "march-29") and not graph.has_edge("march-29", "march")
    assert overlapping([MARCH, MARCH_29, APRIL]) == [("march", "march-29")]


def test_timeline_puts_undated_items_last_and_earlier_first():
    assert [i["id"] for i in timeline([APRIL, UNDATED, MARCH_29, MARCH])] == [
        "march", "march-29", "april", "undated"
    ]


@given(st.lists(st.tuples(st.dates(), st.integers(0, 60)), min_size=1, max_size=25))
def test_timeline_is_a_linear_extension_of_precedence(spans):
    from datetime import timedelta

    items = [item(f"i{k}", b.isoformat(), min(b + timedelta(days=d), b.max).isoformat())
             for k, (b, d) in enumerate(spans)]
    order = {row["id"]: n for n, row in enumerate(timeline(items))}
    for a, b in precedence_graph(items).edges:
        assert order[a] < order[b]


def test_graphml_opens_with_typed_edges():
    export = {
        "articles": [{"id": "a1", "title": "T", "published": "2022-10-14"}],
        "statements": [{"id": "s1", "quote": "q", "date": MARCH["date"], "cited_by": ["a1"],
                        "speaker": {"id": "actor/x", "name": "X", "wikidata": None}}],
        "events": [{"id": "e1", "label": "talks", "date": MARCH_29["date"]}],
        "relations": [{"type": "about", "source": "s1", "target": "e1", "explanation": "names it"}],
    }
    graph = nx.read_graphml(io.StringIO(graphml(export)))
    edges = {(a, b, d["type"]) for a, b, d in graph.edges(data=True)}
    assert edges == {("s1", "actor/x", "speaker"), ("s1", "a1", "cited-by"), ("s1", "e1", "about")}


def test_stance_summary_counts_per_month_in_time_order():
    from graph.analysis import stance_summary

    rows = [
        {**item("a", "2024-09-05", "2024-09-05"), "quote": "we are ready to negotiate"},
        {**item("b", "2022-10-14", "2022-10-14"), "quote": "there is no need for talks"},
        {**item("c", "2022-10-20", "2022-10-20"), "quote": "the weather"},
    ]

    def judge(text):
        return 1 if "ready" in text else -1 if "no need" in text else 0

    assert [(m["period"], m["for"], m["against"], m["neither"]) for m in stance_summary(rows, judge)] == [
        ("2022-10", 0, 1, 1), ("2024-09", 1, 0, 0)
    ]
