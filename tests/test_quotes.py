"""Quotation boundaries in real news lines (graph/quotes.py)."""

import pytest

from graph.quotes import find_quotes


def inner(text: str, **kwargs) -> list[str]:
    return [text[q.inner_start : q.inner_end] for q in find_quotes(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "“Nothing else is planned. No proposals have been received,” he added.",
            ["Nothing else is planned. No proposals have been received,"],
        ),
        (
            'Putin said: "Ukraine\'s goal was to make Russia transfer troops. Ukraine is now suffering.”',
            ["Ukraine's goal was to make Russia transfer troops. Ukraine is now suffering."],
        ),
        (
            "Putin calls Ukraine's incursion into Kursk a 'failure' and alleges heavy Ukrainian losses",
            ["failure"],
        ),
        (
            "Zelensky says Russian deserters will be treated in ‘civilised manner’ [REPORT]",
            ["civilised manner"],
        ),
        (
            "he did not feel the need “to hold talks with his US counterpart Joe Biden at this time. "
            "Furthermore, he said he has not yet decided.",
            ["to hold talks with his US counterpart Joe Biden at this time."],
        ),
        # Apostrophes and plural possessives are not quotation marks.
        ("Russia’s partners and the conscripts’ mortgages were paid, we’re told.", []),
        ("Putin's remarks were not quoted in full.", []),
        # A closing mark with no opening one in the line is ignored.
        ("We warn and hope that Washington recognizes the danger.”", []),
    ],
)
def test_quote_spans(text, expected):
    assert inner(text) == expected


def test_quote_opening_a_paragraph_runs_on():
    text = "“I link the partial mobilisation with the increase in the armed forces."
    (quote,) = find_quotes(text)
    assert quote.runs_on
    assert text[quote.inner_start : quote.inner_end] == text[1:]


@pytest.mark.parametrize(
    ("text", "runs_on", "inner_text"),
    [
        ("Mr Diggins said of Putin: “He’s desperate. He’s definitely losing. ", True,
         "He’s desperate. He’s definitely losing. "),
        ("The minister told reporters:  “We will not give up. Never. ", True,
         "We will not give up. Never. "),
        # no colon: an unclosed quote stops at its sentence's end
        ("He called the plan “a disaster. Then he left the room.", False, "a disaster."),
    ],
)
def test_unclosed_quote_after_colon_runs_on(text, runs_on, inner_text):
    (quote,) = find_quotes(text)
    assert quote.runs_on is runs_on
    assert text[quote.inner_start : quote.inner_end] == inner_text


def test_continued_quote_closes_in_next_paragraph():
    text = "as the new year comes, he said.” Then the journalist moved on."
    (quote,) = find_quotes(text, continues=True)
    assert quote.continued and text[quote.inner_start : quote.inner_end] == "as the new year comes, he said."


def test_word_count_of_scare_quote_is_small():
    text = "Putin also said he is “open” to negotiations."
    (quote,) = find_quotes(text)
    assert quote.words(text) == 1
