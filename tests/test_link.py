"""Linking across articles (graph/link.py, statement_merge.py, event_merge.py, relations.py)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.config import SPACY_MODEL
from graph.model import Actor, Span, Statement, TimeValue
from graph.pipeline import reader
from graph.relations import contradictions, figures
from graph.similarity import cosine_prefix, overlap, prefix
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


_CLAIMS = [
    "the offensive failed", "the offensive was a success", "the operation is going as planned",
    "Russia is definitely losing", "300,000 people will be mobilised by the ministry",
    "one million people will be mobilised by the ministry",
    "the talks were a failure", "the talks went well", "the weather was mild",
]
_SPEAKERS = [PUTIN, DIGGINS, Actor("volodymyr-zelensky", "Volodymyr Zelensky", kind="person")]


def _brute_force_contradictions(nodes, context):
    """The definition, pair by pair: what the blocked search must find."""
    from graph.relations import _close_in_time, _conflicting_figures, _opposite_assessments, figures, polarities

    numbers = {n.id: figures(" ".join(e.text for m in n.mentions for e in m.evidence), context.concept_of) for n in nodes}
    polarity = polarities(nodes, context.positive, context.negative)
    found = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            if a.speaker.id != b.speaker.id and _close_in_time(a, b):
                relation = _conflicting_figures(a, b, numbers) or _opposite_assessments(a, b, polarity, {})
                if relation:
                    found.append(relation)
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_CLAIMS), st.integers(0, 2), st.integers(0, 200),
                          st.integers(0, 30), st.sampled_from([("war-conduct",), ("mobilisation",), ()])),
                min_size=2, max_size=14))
def test_blocked_contradiction_search_finds_what_every_pair_check_finds(context, rows):
    nodes = []
    for k, (claim, who, day, length, topics) in enumerate(rows):
        begin = date(2022, 1, 1) + timedelta(days=day)
        when = TimeValue(begin, begin + timedelta(days=length), "interval", f"w{k}")
        (node,) = merge_statements([statement(f"a{k}", claim, speaker=_SPEAKERS[who], when=when)], context.concepts)
        nodes.append(node.__class__(node.id, node.speaker, node.date, node.quote, topics, node.mentions))
    expected = _brute_force_contradictions(nodes, context)
    assert contradictions(nodes, concept_of=context.concept_of, positive=context.positive,
                          negative=context.negative) == expected


@pytest.mark.parametrize(
    ("text", "breaks_after"),
    [
        # a quote closed and attributed, then a new quotation paragraph: a break
        ("“We have never refused to negotiate, based on the documents initialled in Istanbul,” "
         "Putin said.\n\n“We respect our friends, our partners, who are sincerely interested in resolving "
         "all issues related to this conflict.”\n", ["Putin said."]),
        # a quotation left open runs on into the next paragraph: no break inside it
        ("Looking at the deployment of untrained soldiers, Mr Diggins said of Putin: “He’s desperate. "
         "He’s definitely losing. \n\n“I think it’s important to draw a distinction between losing and lost.\n\n"
         "“And he has not accepted in his own mind that he’s lost.”\n", ["he’s lost.”"]),
        # a pull quote or sub-heading announces the paragraph after it
        ("“Russia-NATO conflict will be a global disaster.”\n\nPutin warned that if NATO sent troops to "
         "confront Russian troops directly in Ukraine, it would be a very dangerous step.\n",
         ["dangerous step."]),
    ],
)
def test_paragraph_breaks(text, breaks_after):
    from graph.link import paragraph_breaks

    found = paragraph_breaks(text)
    assert [text[:b].rstrip().endswith(tail) for b, tail in zip(found, breaks_after)] == [True] * len(breaks_after)
    assert len(found) == len(breaks_after)


def test_a_new_quotation_paragraph_is_the_next_point_not_the_same(context):
    from dataclasses import replace

    first = replace(statement("a", "We have never refused to talk on the basis of the documents", start=0),
                    topics=("negotiations",))
    second = replace(statement("a", "We respect our friends and partners", start=120), topics=("negotiations",))
    same_paragraph = merge_statements([first, second], context.concepts, breaks={"a": []})
    new_paragraph = merge_statements([first, second], context.concepts, breaks={"a": [100]})
    assert len(same_paragraph) == 1 and len(new_paragraph) == 2


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.floats(0.01, 10.0), min_size=1, max_size=12),
       st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.floats(0.01, 10.0), min_size=1, max_size=12),
       st.randoms())
def test_similarities_do_not_depend_on_key_order(a, b, rng):
    """Sets of strings iterate in an order that changes between processes; a score computed by
    adding floats in that order would break ties differently from one run to the next."""
    from graph.similarity import overlap
    from graph.statement_merge import similarity

    def shuffled(vector):
        keys = list(vector)
        rng.shuffle(keys)
        return {k: vector[k] for k in keys}

    a2, b2 = shuffled(a), shuffled(b)
    assert overlap(a, b) == overlap(a2, b2)
    assert similarity([a, b])(0, 1) == similarity([a2, b2])(0, 1)


_WEIGHTS = st.dictionaries(st.sampled_from("abcdefghijkl"), st.sampled_from([1.0, 1.5, 2.3, 4.1, 7.9]),
                           min_size=12, max_size=12)
_WORDS = st.sets(st.sampled_from("abcdefghijkl"), min_size=1, max_size=8)


@settings(max_examples=500, deadline=None)
@given(_WEIGHTS, _WORDS, _WORDS, st.sampled_from([0.1, 0.3, 0.5, 0.9]))
def test_vectors_that_overlap_enough_share_a_word_of_a_prefix(weights, words_a, words_b, threshold) -> None:
    """Prefix filtering may leave out only pairs below the threshold (a word weighs the same in
    every vector, as rarity weights do)."""
    a, b = ({w: weights[w] for w in words} for words in (words_a, words_b))
    leads = set(prefix(a, threshold)) & b.keys() or set(prefix(b, threshold)) & a.keys()
    if overlap(a, b) >= threshold:
        assert leads


@settings(max_examples=500, deadline=None)
@given(_WEIGHTS, _WORDS, _WORDS, st.sampled_from([0.15, 0.25, 0.5, 0.9]))
def test_vectors_within_a_cosine_share_a_word_of_either_prefix(weights, words_a, words_b, threshold) -> None:
    a, b = ({w: weights[w] for w in words} for words in (words_a, words_b))
    shared = sum(a[w] * b[w] for w in a.keys() & b.keys())
    cosine = shared / (sum(x * x for x in a.values()) * sum(x * x for x in b.values())) ** 0.5
    if cosine >= threshold:
        assert set(cosine_prefix(a, threshold)) & b.keys()
        assert set(cosine_prefix(b, threshold)) & a.keys()


@pytest.mark.parametrize(("vector", "threshold", "expected"), [
    ({"kursk": 8.0, "offensive": 4.0, "war": 1.0}, 0.3, ["kursk", "offensive"]),
    ({"kursk": 8.0, "offensive": 4.0, "war": 1.0}, 0.9, ["kursk"]),
    ({"kursk": 8.0, "offensive": 4.0, "war": 1.0}, 0.05, ["kursk", "offensive", "war"]),
    ({"war": 1.0, "russia": 1.0}, 0.3, ["russia", "war"]),
])
def test_a_prefix_is_the_heaviest_words_without_which_the_threshold_is_out_of_reach(vector, threshold, expected) -> None:
    assert prefix(vector, threshold) == expected
