"""Linking only what is new (graph/link.py ``Earlier``, graph/link_state.py, ``tkg build``)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.config import SPACY_MODEL
from graph.ids import statement_mention_id
from graph.link import Earlier, link
from graph.link_state import earlier_link
from graph.model import TimeValue
from graph.pipeline import reader, relink
from graph.similarity import overlapping

START = date(2022, 1, 1)


@pytest.fixture(scope="module")
def context():
    return reader(SPACY_MODEL).link_context


@pytest.fixture(scope="module")
def extractions(seeds_store):
    return sorted(seeds_store.extractions(), key=lambda e: e.article.id)


def earlier_of(linked) -> Earlier:
    return Earlier(dict(linked.articles),
                   [sorted(str(m) for m in _members(n)) for n in linked.statements + linked.events])


def _members(node):
    from graph.event_merge import mention_id as event_mention_id
    from graph.statement_merge import mention_id as statement_mention_id

    of = statement_mention_id if node.id.startswith("statement/") else event_mention_id
    return [of(m) for m in node.mentions]


def groups(linked) -> set[frozenset[str]]:
    return {frozenset(_members(n)) for n in linked.statements + linked.events}


windows = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=25)


@given(windows, st.data())
def test_pairs_with_a_few_are_the_sweeps_pairs_holding_them(spans, data):
    dates = [TimeValue(START + timedelta(b), START + timedelta(b + n), "interval", "x") for b, n in spans]
    among = data.draw(st.sets(st.integers(0, max(len(dates) - 1, 0)))) if dates else set()
    every = list(overlapping(range(len(dates)), dates))
    assert {frozenset(p) for p in every} == {
        frozenset((i, j)) for i in range(len(dates)) for j in range(i + 1, len(dates))
        if dates[i].begin <= dates[j].end and dates[j].begin <= dates[i].end
    }
    assert sorted(overlapping(range(len(dates)), dates, among)) == sorted(
        p for p in every if among & set(p))


def test_nothing_new_keeps_every_node_and_relation(extractions, context):
    full = link(extractions, context)
    again = link(extractions, context, earlier=earlier_of(full))
    assert again == full


def test_an_earlier_link_that_read_nothing_is_no_link(extractions, context):
    assert link(extractions, context, earlier=Earlier({}, [])) == link(extractions, context)


@pytest.mark.parametrize("last", range(5))
def test_a_new_article_joins_the_kept_nodes(extractions, context, last):
    before = [e for k, e in enumerate(extractions) if k != last]
    earlier = earlier_of(link(before, context))
    after = link(extractions, context, earlier=earlier)
    full = link(extractions, context)
    for group in earlier.groups:  # kept: never split
        assert any(set(group) <= g for g in groups(after))
    new_article = extractions[last].article.id
    assert {m.article_id for n in after.statements for m in n.mentions} >= {new_article}
    assert after.articles == full.articles
    # the greedy merge may order ties differently, but nearly every node is as linked at once
    assert len(groups(after) & groups(full)) >= 0.95 * len(groups(full))


def test_an_article_read_again_with_other_text_is_placed_anew(extractions, context):
    full = link(extractions, context)
    changed = extractions[0].article.id
    bogus = sorted(statement_mention_id(changed, s.evidence[0].start, s.evidence[0].end)
                   for s in extractions[0].statements)
    assert len(bogus) > 1
    earlier = earlier_of(full)
    earlier = Earlier({**earlier.articles, changed: "0" * 64}, [*earlier.groups, bogus])
    assert frozenset(bogus) not in groups(link(extractions, context, earlier=earlier))


def test_a_build_records_what_it_linked_and_builds_on_it(seeds_copy, context):
    from graph.store import open_store

    with open_store(seeds_copy()) as store:
        full = relink(store, reader(SPACY_MODEL), anew=True)
        earlier = earlier_link(store)
        assert earlier is not None
        assert earlier.articles == {e.article.id: e.article.content_hash for e in store.extractions()}
        assert {frozenset(g) for g in earlier.groups} == groups(full)
        assert relink(store, reader(SPACY_MODEL)) == full


def test_a_store_never_linked_has_no_earlier_link(tmp_path):
    from graph.store import open_store

    with open_store(tmp_path / "store") as store:
        assert earlier_link(store) is None
