"""Event mentions in real news sentences (graph/events.py): type, date, place; negatives."""

import pytest


def events(extraction):
    return [(e.type, e.date.value) for e in extraction.events]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("On September 21, he signed a decree to mobilize part of the reserve force.", "2022-10-15",
         [("mobilisation", "2022-09-21")]),
        ("Russia carried out large-scale rocket attacks on Ukrainian cities early this week.", "2022-10-14",
         [("air-strike", "2022-10-09/2022-10-12")]),
        ("These attacks were in retaliation for Saturday morning’s “humiliating” explosion on Russia’s Crimean Bridge.",
         "2022-10-14", [("explosion", "2022-10-08TMO")]),
        ("During Turkey-mediated talks in late March, Putin recalled that Russia and Ukraine reached a preliminary agreement.",
         "2022-10-15", [("negotiation", "2022-03-20/2022-03-31")]),
        ("Zelenskyy justified the offensive, which began on August 6, by saying he wanted more pressure.",
         "2024-09-05", [("offensive", "2024-08-06")]),
        ("He has not yet decided whether to attend the G20 summit in Bali, Indonesia, next month or not.",
         "2022-10-15", [("summit", "2022-11")]),
    ],
)
def test_dated_event_mentions(read, text, published, expected):
    assert events(read(text, published)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # negated or hypothetical: not an event
        "There will be no need for massive rocket attacks in the near future.",
        "Russia and Ukraine reached a preliminary agreement which could have halted hostilities.",
        # generic, undated, unplaced
        "Putin also said he is open to negotiations with the government.",
    ],
)
def test_no_event(read, text):
    assert [e for e in read(text).events if e.date.resolved] == []


def test_a_month_name_is_not_a_march(read):
    assert events(read("The negotiations resumed in late March.", "2022-10-15")) == [
        ("negotiation", "2022-03-20/2022-03-31")
    ]


def test_undated_mention_with_a_place_is_kept_for_linking(read):
    (mention,) = read("Putin said the documents were actually initialled in Istanbul.", "2024-09-05").events
    assert mention.place == "Istanbul" and not mention.date.resolved


def test_causal_link_through_an_anaphor(read):
    text = ("Russia carried out large-scale rocket attacks on Ukrainian cities early this week. "
            "These attacks were in retaliation for Saturday morning’s explosion on the Crimean Bridge.")
    extraction = read(text, "2022-10-14")
    (cause, effect, cue), = extraction.causes
    assert extraction.events[cause].type == "explosion"
    assert extraction.events[effect].type == "air-strike"
    assert cue.text == "in retaliation for"
