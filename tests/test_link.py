"""Linking across articles (graph/link.py, statement_merge.py, event_merge.py, relations.py)."""

from datetime import date

import pytest

from graph.config import SPACY_MODEL
from graph.model import Actor, Span, Statement, TimeValue
from graph.pipeline import reader
from graph.relations import contradictions, figures
from graph.statement_merge import merge_statements

PUTIN = Actor("vladimir-putin", "Vladimir Putin", ("Putin",), "Q7747")
DIGGINS = Actor("simon-diggins", "Simon Diggins", kind="person")
DAY = TimeValue(date(2022, 10, 14), date(2022, 10, 14), "day", "2022-10-14")


@pytest.fixture(scope="module")
def context():
    return reader(SPACY_MODEL).link_context


def statement(article, quote, speaker=PUTIN, when=DAY, cue="said", start=0):
    span = Span(start, start + len(quote), quote)
    return Statement(article, speaker, "named", Span(0, len(cue), cue), quote, (span,), when, "indirect")


def test_the_same_remark_in_two_outlets_is_one_statement(context):
    nodes = merge_statements([
        statement("a", "There will be no need for massive rocket attacks in the near future"),
        statement("b", "There is no need for large-scale rocket attacks right now"),
    ], context.concepts)
    (node,) = nodes
    assert node.cited_by == ("a", "b")


def test_different_points_of_one_press_conference_stay_apart(context):
    nodes = merge_statements([
        statement("a", "the Ukrainian secret service was behind the attack on the bridge"),
        statement("a", "Moscow's partners in the former USSR were concerned about the conflict", start=100),
    ], context.concepts)
    assert len(nodes) == 2


def test_different_speakers_never_merge(context):
    nodes = merge_statements([
        statement("a", "the offensive in Kursk failed"),
        statement("b", "the offensive in Kursk failed", speaker=DIGGINS),
    ], context.concepts)
    assert len(nodes) == 2


def test_incompatible_dates_never_merge(context):
    later = TimeValue(date(2024, 9, 5), date(2024, 9, 5), "day", "2024-09-05")
    nodes = merge_statements([
        statement("a", "we are ready to negotiate on the basis of the Istanbul agreements"),
        statement("b", "we are ready to negotiate on the basis of the Istanbul agreements", when=later),
    ], context.concepts)
    assert len(nodes) == 2


def test_he_added_continues_the_previous_statement(context):
    nodes = merge_statements([
        statement("a", "he did not foresee a new wave of mobilization"),
        statement("a", "Nothing else is planned", cue="added", start=200),
    ], context.concepts)
    assert len(nodes) == 1


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Putin announced that 300,000 people would be drafted", [300_000]),
        ("it could be up to a million people that'd be mobilised", [1_000_000]),
        ("A total of 33,000 have joined military units", [33_000]),
        ("the front line is 1,100 kilometers long", [1_100]),
        ("out of the 29 targets only seven didn't hit", []),
    ],
)
def test_figures(text, values):
    assert [f.value for f in figures(text, {})] == values


def test_conflicting_figures_contradict_but_rounding_does_not(context):
    nodes = merge_statements([
        statement("a", "Putin announced that 300,000 people would be mobilised and drafted"),
        statement("b", "the decree allows the ministry to mobilise one million people", speaker=DIGGINS),
    ], context.concepts)
    found = contradictions(nodes, concept_of=context.concept_of)
    assert [r.type for r in found] == ["contradicts"] and "300,000" in found[0].explanation
    rounding = merge_statements([
        statement("a", "of them 220,000 people are now mobilised"),
        statement("b", "the mobilisation had registered 222,000 people", speaker=DIGGINS),
    ], context.concepts)
    assert contradictions(rounding, concept_of=context.concept_of) == []


def test_opposite_assessments_of_one_topic_contradict(context):
    nodes = merge_statements([
        statement("a", "the battle there is going as planned in the war"),
        statement("b", "He is desperate. He is definitely losing the war", speaker=DIGGINS,
                  when=TimeValue(date(2022, 9, 27), date(2022, 9, 27), "day", "2022-09-27")),
    ], context.concepts)
    nodes = [n.__class__(n.id, n.speaker, n.date, n.quote, ("war-conduct",), n.mentions) for n in nodes]
    found = contradictions(nodes, positive=context.positive, negative=context.negative)
    assert len(found) == 1 and "opposite assessments" in found[0].explanation


def test_negation_flips_an_assessment(context):
    nodes = merge_statements([
        statement("a", "the Ukrainian offensive did not succeed"),
        statement("b", "the Ukrainian offensive did not succeed at all", speaker=DIGGINS),
    ], context.concepts)
    nodes = [n.__class__(n.id, n.speaker, n.date, n.quote, ("war-conduct",), n.mentions) for n in nodes]
    assert contradictions(nodes, positive=context.positive, negative=context.negative) == []


@pytest.mark.parametrize(
    ("word", "concept"),
    [("negotiations", "topic:negotiations"), ("mobilised", "topic:mobilisation")],
)
def test_one_word_cues_evoke_their_topic(context, word, concept):
    from graph.similarity import terms

    assert any(concept in context.concepts.get(stem, ()) for stem in terms(word))


@pytest.mark.parametrize("word", ["Russia", "Russian", "right", "Ukraine"])
def test_parts_of_phrases_evoke_no_topic(context, word):
    """"russian-speaking" (war aims) and "right now" (a synonym of now) are phrases: "Russia" and
    "right" alone must not carry their concepts into every text."""
    from graph.similarity import terms

    (stem,) = terms(word)
    assert not any(c.startswith("topic:") for c in context.concepts.get(stem, ())), context.concepts.get(stem)
    assert "synonyms:now" not in context.concepts.get(stem, ())


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("failure", "failed", True),
        ("agreed", "agreements", True),
        ("negotiations", "negotiating", True),
        ("goals", "goal", True),
        ("mobilization", "mobilized", True),
        ("failure", "future", False),
        ("statement", "stature", False),
    ],
)
def test_word_stems(a, b, same):
    from graph.similarity import terms

    assert (terms(a) == terms(b)) is same, (terms(a), terms(b))
