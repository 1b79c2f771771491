"""The read model (graph/read_model.py): stored items equal the SPARQL-drawn ones, a link
rewrites only what changed, exports leave it out, and a store without it still answers."""

import io
import json

import pytest

from graph import read_model
from graph.config import SPACY_MODEL
from graph.export import event_items, statement_items
from graph.pipeline import build, reader, relink
from graph.rdf import links_quads
from graph.store import open_store
from graph.vocab import ITEMS_GRAPH, LINKS_GRAPH, SKOS, TKG, actor_iri, iri

STATEMENTS = f"""SELECT ?s WHERE {{ GRAPH <{LINKS_GRAPH}> {{
    ?s a <https://timeline-kg.org/ns#Statement> }} }}"""
ENTRIES = f"SELECT DISTINCT ?s WHERE {{ GRAPH <{ITEMS_GRAPH}> {{ ?s ?p ?o }} FILTER (?s != <{ITEMS_GRAPH}>) }}"
EVENTS = f"SELECT ?e WHERE {{ GRAPH <{LINKS_GRAPH}> {{ ?e a <https://timeline-kg.org/ns#Event> }} }}"
SPEAKERS = f"""SELECT DISTINCT ?a WHERE {{ GRAPH <{LINKS_GRAPH}> {{
    ?s <https://timeline-kg.org/ns#speaker> ?a }} }}"""


@pytest.fixture(scope="module")
def context():
    return reader(SPACY_MODEL)


def _nodes(store, query=STATEMENTS) -> list[str]:
    return sorted(str(row[next(iter(row))]) for row in store.select(query))


def _assert_items_are_current(store) -> None:
    assert read_model.current(store)
    for query, stored_json, compute in [(STATEMENTS, read_model.statement_json, statement_items),
                                        (EVENTS, read_model.event_json, event_items)]:
        nodes = _nodes(store, query)
        stored = stored_json(store, nodes)
        computed = {str(iri(item["id"])): item for item in compute(store, nodes)}
        assert sorted(stored) == nodes == sorted(computed)
        assert {node: json.loads(text) for node, text in stored.items()} == computed
    entries = _nodes(store, STATEMENTS) + _nodes(store, EVENTS) + _nodes(store, SPEAKERS)
    assert _nodes(store, ENTRIES) == sorted(entries)
    held = f"SELECT ?s WHERE {{ GRAPH <{ITEMS_GRAPH}> {{ ?s <{TKG.itemJson}> ?json }} }}"
    assert _nodes(store, held) == sorted(_nodes(store) + _nodes(store, EVENTS))


def test_every_statement_is_stored_as_the_sparql_item(seeds_store):
    _assert_items_are_current(seeds_store)


def test_a_link_with_nothing_new_writes_nothing(seeds_copy, context):
    with open_store(seeds_copy()) as store:
        linked = relink(store, context)
        quads = read_model.stamped(links_quads(linked.statements, linked.events, linked.relations, linked.articles))
        assert read_model.refresh(store, linked, quads) == 0
        assert read_model.current(store)


def test_adding_and_removing_articles_rewrites_only_what_changed(seeds_copy, context, seeds_dir, monkeypatch):
    written = []
    refresh = read_model.refresh
    monkeypatch.setattr(read_model, "refresh", lambda *args: written.append(refresh(*args)) or written[-1])
    with open_store(seeds_copy()) as store:
        assert store.remove_article(max(store.article_ids()))
        relink(store, context)
        _assert_items_are_current(store)
        build([seeds_dir], store, context)
        _assert_items_are_current(store)
        entries = len(_nodes(store, ENTRIES))
    assert all(0 < count < entries for count in written)


def test_a_speakers_new_alias_changes_the_fingerprint_of_that_speakers_statements_only(seeds_copy, context):
    with open_store(seeds_copy()) as store:
        linked = relink(store, context)
    quads = links_quads(linked.statements, linked.events, linked.relations, linked.articles)
    before, _ = read_model._node_sources(linked, quads)
    speaker = linked.statements[0].speaker
    alias = (actor_iri(speaker), SKOS.altLabel, TKG.quote, LINKS_GRAPH)
    after, _ = read_model._node_sources(linked, [*quads, alias])
    changed = {node for node in before if before[node] != after[node]}
    assert changed == {iri(n.id) for n in linked.statements if actor_iri(n.speaker) == actor_iri(speaker)}


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld", "turtle", "ntriples", "rdfxml"])
def test_exports_leave_the_read_model_out(seeds_store, fmt):
    out = io.BytesIO()
    seeds_store.dump(fmt, out)
    text = out.getvalue().decode("utf-8")
    assert "graph/items" not in text
    stored = ['"speaker":{', '\\"speaker\\":{', "&quot;speaker&quot;:{"]  # as each format writes it
    assert not any(marker in text for marker in stored)
    assert "tkg:Statement" in text or "ns#Statement" in text


def test_the_union_graph_leaves_the_read_model_out(seeds_store):
    union = seeds_store.graph()
    assert not list(union.triples((None, TKG.itemJson, None)))
    assert list(union.triples((None, TKG.quote, None)))


def test_a_writer_killed_between_links_and_read_model_leaves_answers_right(seeds_copy, context, monkeypatch):
    class Killed(Exception):
        pass

    def killed(*args):
        raise Killed

    with open_store(seeds_copy()) as store:
        assert read_model.current(store)
        assert store.remove_article(max(store.article_ids()))
        with monkeypatch.context() as patched:
            patched.setattr(read_model, "refresh", killed)
            with pytest.raises(Killed):
                relink(store, context)
        assert not read_model.current(store)
        nodes = _nodes(store)
        computed = {str(iri(item["id"])): item for item in statement_items(store, nodes)}
        stored = read_model.statement_json(store, nodes)
        assert {node: json.loads(text) for node, text in stored.items()} == computed
        relink(store, context)
        assert read_model.current(store)
        _assert_items_are_current(store)


def test_a_store_without_the_read_model_computes_what_it_lacks(seeds_copy):
    with open_store(seeds_copy()) as store:
        nodes = _nodes(store)
        stored = read_model.statement_json(store, nodes)
        events = _nodes(store, EVENTS)
        stored_events = read_model.event_json(store, events)
        kursk = read_model.events_matching(store, ["kursk", "offensive"])
        store._update(f"DROP GRAPH <{ITEMS_GRAPH}>")
        assert read_model.statement_json(store, nodes) == stored
        assert read_model.event_json(store, events) == stored_events
        assert read_model.events_matching(store, ["kursk", "offensive"]) == kursk != []
        assert read_model.events_matching(store, ["kursk", "nonexistentword"]) == []


@pytest.mark.parametrize(("name", "found"), [
    ("Vladimir Putin", True), ("PUTIN", True), ("  putin ", True),  # an alias, any case
    ("Puti", False), ("Vladimir", False), ("", False),  # a name must match whole
])
def test_a_speaker_is_found_by_a_whole_name_or_alias(seeds_store, name, found):
    actors = read_model.actors_named(seeds_store, name)
    assert actors == (["https://timeline-kg.org/id/actor/vladimir-putin"] if found else [])
