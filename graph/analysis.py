"""Timelines as graphs: the only module that imports networkx.

Dated items (statements and events, as JSON-contract dicts) are ordered by their intervals. The
order is partial: "March 2022" and "29 March 2022" overlap, so neither precedes the other. The
precedence graph keeps that honest; a timeline lists items in a linear extension of it, earlier
begin first, then the more precise (shorter) interval, then id.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import networkx as nx


def _interval(item: dict[str, Any]) -> tuple[date, date] | None:
    when = item.get("date") or {}
    if not when.get("begin") or not when.get("end"):
        return None
    return date.fromisoformat(when["begin"]), date.fromisoformat(when["end"])


def precedence_graph(items: Iterable[dict[str, Any]]) -> nx.DiGraph:
    """``a → b`` when ``a`` ends before ``b`` begins; undated items are isolated nodes."""
    graph = nx.DiGraph()
    dated = []
    for item in items:
        graph.add_node(item["id"])
        interval = _interval(item)
        if interval:
            dated.append((interval, item["id"]))
    dated.sort()
    for i, ((_, a_end), a) in enumerate(dated):
        for (b_begin, _), b in dated[i + 1:]:
            if a_end < b_begin:
                graph.add_edge(a, b)
    return graph


def _sort_key(item: dict[str, Any]) -> tuple:
    interval = _interval(item)
    if interval is None:
        return (date.max, 0, item["id"])
    begin, end = interval
    return (begin, (end - begin).days, item["id"])


def timeline(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` in time order: a linear extension of their precedence graph, without building
    it (its edges grow with the square of the items). Sorting by begin, then length, then id
    is one: when ``a`` ends before ``b`` begins, ``a`` also begins before ``b`` does; undated
    items, which nothing precedes, come last."""
    return sorted(items, key=_sort_key)


def overlapping(items: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of items whose intervals overlap (unordered in the timeline's partial order)."""
    graph = precedence_graph(items)
    dated = [i["id"] for i in items if _interval(i)]
    closure = nx.transitive_closure_dag(graph)
    return [
        (a, b) for x, a in enumerate(dated) for b in dated[x + 1:]
        if not closure.has_edge(a, b) and not closure.has_edge(b, a)
    ]


def to_networkx(export: dict[str, Any]) -> nx.MultiDiGraph:
    """The JSON export as a graph: articles, statements, events and actors, with typed edges."""
    graph = nx.MultiDiGraph()
    for article in export.get("articles", []):
        graph.add_node(article["id"], kind="article", label=article.get("title") or article["id"],
                       date=article.get("published") or "")
    for kind in ("statements", "events"):
        for item in export.get(kind, []):
            when = item.get("date") or {}
            label = item.get("label") or item.get("quote", "")[:120]
            graph.add_node(item["id"], kind=kind[:-1], label=label, begin=when.get("begin") or "",
                           end=when.get("end") or "", precision=when.get("precision") or "")
    for statement in export.get("statements", []):
        speaker = statement["speaker"]
        graph.add_node(speaker["id"], kind="actor", label=speaker["name"], wikidata=speaker.get("wikidata") or "")
        graph.add_edge(statement["id"], speaker["id"], type="speaker")
        for article in statement.get("cited_by", []):
            graph.add_edge(statement["id"], article, type="cited-by")
    for relation in export.get("relations", []):
        if relation["source"] in graph and relation["target"] in graph:
            graph.add_edge(relation["source"], relation["target"], type=relation["type"],
                           explanation=relation.get("explanation", ""))
    return graph


def graphml(export: dict[str, Any]) -> str:
    """GraphML text of :func:`to_networkx` (opens in Gephi, yEd, Cytoscape)."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(export), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def stance_summary(
    items: Sequence[dict[str, Any]], judge: Callable[[str], int]
) -> list[dict[str, Any]]:
    """Per month, how many statements were for (+1) or against (-1) the matter, or neither.

    ``judge`` reads a statement's words and returns +1, -1 or 0. Months come in time order;
    each lists its statements' ids so a reader can open them.
    """
    months: dict[str, dict[str, Any]] = {}
    for item in timeline(items):
        interval = _interval(item)
        month = interval[0].strftime("%Y-%m") if interval else "undated"
        words = " ".join([item.get("quote", "")] + [e["text"] for e in item.get("evidence", [])])
        summary = months.setdefault(month, {"period": month, "for": 0, "against": 0, "neither": 0, "statements": []})
        summary[{1: "for", -1: "against"}.get(judge(words), "neither")] += 1
        summary["statements"].append(item["id"])
    return list(months.values())
