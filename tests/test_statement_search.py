"""Finding statements (graph/statement_search.py) on the seeds store: a table of questions with
their answers (and questions with none), the explained query giving the same answer, and
properties against a brute-force reading of the JSON export."""

from datetime import date

import pytest

from graph.statement_search import Question, find, statement_rows, topic_words
from graph.vocab import article_iri, iri

PUTIN = "https://timeline-kg.org/id/actor/vladimir-putin"


def _speakers(export, name):
    name = name.lower()
    return {s["id"] for s in export["statements"]
            if name == (s["speaker"]["name"] or "").lower()
            or name in (a.lower() for a in s["speaker"]["aliases"])}


@pytest.mark.parametrize(("question", "count"), [
    (Question(speaker="Putin", topic="negotiations"), 5),
    (Question(speaker="PUTIN", topic="Negotiations"), 5),  # names and labels ignore case
    (Question(speaker="Vladimir Putin"), 23),
    (Question(actor=PUTIN), 23),
    (Question(speaker="Putin", topic="talks"), 5),  # a label of the negotiations topic
    (Question(topic="kursk offensive"), 6),  # the words of an event's name
    (Question(speaker="Putin", since=date(2024, 1, 1)), 12),
    (Question(speaker="Putin", until=date(2022, 12, 31)), 11),
    # Questions without an answer.
    (Question(speaker="Putin", topic="cricket"), 0),
    (Question(speaker="Nobody Atall"), 0),
    (Question(speaker="Putin", topic="negotiations", since=date(2030, 1, 1)), 0),
    (Question(topic="kursk cricket"), 0),  # every word must be found in the event
    (Question(speaker="Putin", since=date(2023, 1, 1), until=date(2023, 12, 31)), 0),
])
def test_questions_and_their_answers(seeds_store, question, count):
    found = find(seeds_store, question)
    assert len(found.statements) == count
    assert found.sparql.lstrip().startswith("#")
    assert [row["statement"] for row in seeds_store.select(found.sparql)] == found.statements


def test_the_answer_is_in_date_order_undated_last(seeds_store):
    found = find(seeds_store, Question())
    begins = [found.dates[s][0] for s in found.statements]
    dated = [b for b in begins if b is not None]
    assert dated == sorted(dated) and begins == dated + [None] * (len(begins) - len(dated))


def test_a_speaker_matches_by_name_or_alias_as_in_the_export(seeds_store, seeds_export):
    for statement in seeds_export["statements"]:
        speaker = statement["speaker"]
        for name in [speaker["name"], *speaker["aliases"]]:
            rows = statement_rows(seeds_store, speaker=name)
            assert {r["id"] for r in rows} == _speakers(seeds_export, name)


def test_a_topic_id_finds_every_statement_with_that_topic(seeds_store, seeds_export):
    topics = {t for s in seeds_export["statements"] for t in s["topics"]}
    for topic in topics:
        found = {r["id"] for r in statement_rows(seeds_store, topic=topic)}
        assert {s["id"] for s in seeds_export["statements"] if topic in s["topics"]} <= found


def test_speaker_and_topic_is_the_intersection_of_each(seeds_store):
    for speaker in ["Putin", "Simon Diggins", "Zelensky"]:
        for topic in ["negotiations", "war-conduct", "mobilisation", "kursk offensive"]:
            both = find(seeds_store, Question(speaker=speaker, topic=topic)).statements
            alone = set(find(seeds_store, Question(speaker=speaker)).statements)
            about = set(find(seeds_store, Question(topic=topic)).statements)
            assert set(both) == alone & about


def test_a_period_keeps_the_statements_whose_window_overlaps_it(seeds_store):
    since, until = date(2022, 10, 1), date(2022, 10, 31)
    every = find(seeds_store, Question())
    kept = find(seeds_store, Question(since=since, until=until))
    expected = [s for s in every.statements
                if every.dates[s][0] and every.dates[s][1]
                and date.fromisoformat(every.dates[s][1]) >= since
                and date.fromisoformat(every.dates[s][0]) <= until]
    assert kept.statements == expected and expected


def test_event_and_article_filters(seeds_store, seeds_export):
    for statement in seeds_export["statements"]:
        for event in statement["about"]:
            assert str(iri(statement["id"])) in find(seeds_store, Question(event=str(iri(event)))).statements
        for article in statement["cited_by"]:
            found = find(seeds_store, Question(article=str(article_iri(article)))).statements
            assert str(iri(statement["id"])) in found
    assert find(seeds_store, Question(article=str(article_iri("no-such-article")))).statements == []


def test_text_that_is_not_an_iri_is_refused(seeds_store):
    with pytest.raises(ValueError, match="not an IRI"):
        find(seeds_store, Question(event="https://x/> } DROP ALL {"))


@pytest.mark.parametrize(("topic", "words"), [
    ("Kursk offensive", ["kursk", "offensive"]),
    ("the G20 summit", ["the", "g20", "summit"]),
    ("EU", ["eu"]),  # no word of three letters: the whole topic
    ("  ", []),
])
def test_topic_words(topic, words):
    assert topic_words(topic) == words


def _changed(seeds_copy, update: str):
    from graph.store import open_store
    from graph.vocab import ITEMS_GRAPH

    with open_store(seeds_copy()) as store:
        store._update(update.replace("ITEMS", f"<{ITEMS_GRAPH}>"))
        yield store


@pytest.fixture(scope="module")
def stale(seeds_copy):
    """The seeds store as a writer killed after writing the links graph leaves it: the read
    model no longer records the links graph's state, so questions go to the links graph."""
    yield from _changed(seeds_copy, "DELETE WHERE { GRAPH ITEMS "
                                    "{ ?s <https://timeline-kg.org/ns#linkState> ?state } }")


@pytest.fixture(scope="module")
def unread(seeds_copy):
    """The seeds store without a read model (linked before it existed)."""
    yield from _changed(seeds_copy, "DROP GRAPH ITEMS")


@pytest.mark.parametrize("speaker", [None, "Putin", "Simon Diggins", "zelensky", "Nobody Atall"])
@pytest.mark.parametrize("topic", [None, "negotiations", "Conscription", "war conduct", "kursk offensive",
                                   "summit", "cricket"])
def test_the_read_model_keys_answer_as_the_links_graph_does(seeds_store, stale, unread, speaker, topic):
    for since, until in [(None, None), (date(2022, 10, 1), None), (None, date(2022, 12, 31))]:
        question = Question(speaker=speaker, topic=topic, since=since, until=until)
        keyed = find(seeds_store, question)
        assert ("itemKey" in keyed.sparql) == (speaker is not None or topic is not None)
        for partial in (stale, unread):
            looked_up = find(partial, question)
            assert keyed.dates == looked_up.dates and keyed.statements == looked_up.statements
            assert "itemKey" not in looked_up.sparql
