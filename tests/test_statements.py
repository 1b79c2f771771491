"""Statements read from real news sentences: speaker, kind, date; negatives read nothing.

Sentences are from the seed articles and from other news copy of the same kind; the published
date is the article's.
"""

import pytest


def summary(extraction):
    return [(s.speaker.name, s.kind, s.date.value) for s in extraction.statements]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # indirect speech, named speaker, dated by the publication day
        ("Putin said the Ukrainian secret service was behind the attack.", "2022-10-14",
         [("Vladimir Putin", "indirect", "2022-10-14")]),
        # weekday resolved against publication, past tense
        ("Ukraine refuses to engage in peace talks, Russian President Vladimir Putin told journalists on Friday.",
         "2022-10-15", [("Vladimir Putin", "indirect", "2022-10-14")]),
        # direct quote with the cue after it, pronoun resolved to the previous subject
        ("Putin reported that he did not foresee a new wave of mobilization. “Nothing else is planned. "
         "No proposals have been received from the Ministry of Defense,” he added.",
         "2022-10-14", [("Vladimir Putin", "indirect", "2022-10-14"), ("Vladimir Putin", "direct", "2022-10-14")]),
        # colon-opened quote, unknown speaker becomes a new actor
        ("Former defence attaché Simon Diggins told Talk TV: “I think what he’s trying to do is trade options for himself.”",
         "2022-09-27", [("Simon Diggins", "direct", "2022-09-27")]),
        # according to a document's author
        ("According to the latest update by the British Defence Ministry, many of the drafted troops "
         "will not have had any military experience for some years.",
         "2022-09-27", [("UK Ministry of Defence", "paraphrase", "2022-09-27")]),
        # the date of the speech, not of the article: "in a televised speech last week"
        ("The number is significantly higher than the 300,000 conscripts Putin claimed would be drafted "
         "in a televised speech last week.", "2022-09-27", [("Vladimir Putin", "indirect", "2022-W38")]),
        # role phrase resolved by date
        ("The US president said the sanctions would stay in place.", "2022-06-01",
         [("Joe Biden", "indirect", "2022-06-01")]),
        ("The US president said the sanctions would stay in place.", "2025-06-01",
         [("Donald Trump", "indirect", "2025-06-01")]),
        # unnamed source
        ("An unnamed Kremlin source told independent Russian media that the decree allows the "
         "Ministry of Defence to mobilise one million people.", "2022-09-27",
         [("Kremlin source", "indirect", "2022-09-27")]),
    ],
)
def test_statements_in_sentences(read, text, published, expected):
    assert summary(read(text, published)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # narration: no attributed source
        "Russia carried out large-scale rocket attacks on Ukrainian cities early this week.",
        "Tens of thousands of Russians have fled the country to avoid going to the front.",
        # a scare quote in narration is not a statement
        "The strategically important link was hit in a “humiliating” explosion.",
        # an action verb that is not an act of speaking
        "Ukraine refused to attend the summit.",
        # page furniture
        "Leave a Reply\n\nYour email address will not be published. Required fields are marked *",
    ],
)
def test_no_statement(read, text):
    assert read(text).statements == ()


def test_quote_is_never_attributed_to_someone_mentioned_inside_it(read):
    text = ("“Other reports suggested that it could be up to a million people that’d be mobilised,” "
            "Mr Diggins said.")
    (statement,) = read("Simon Diggins is a former defence attaché. " + text, "2022-09-27").statements
    assert statement.speaker.name == "Simon Diggins"


def test_cataphoric_role_noun_resolves_to_the_named_expert(read):
    text = (
        "A former army officer said those actions are evidence Putin is definitely losing the war.\n\n"
        "Former defence attaché Simon Diggins told Talk TV: “I think what he’s trying to do is trade options.”"
    )
    speakers = {s.speaker.name for s in read(text, "2022-09-27").statements}
    assert speakers == {"Simon Diggins"}


def test_headline_quote_takes_the_speaker_of_its_section(read):
    text = (
        "Putin calls the talks useless\n\n"
        "“Russia-NATO conflict will be a global disaster.”\n\n"
        "Putin warned that if NATO sent troops to Ukraine, it would be a very dangerous step."
    )
    statements = read(text, "2022-10-15").statements
    heading = next(s for s in statements if "global disaster" in s.quote)
    assert heading.speaker.name == "Vladimir Putin" and heading.speaker_resolution == "carried"


def test_statement_without_time_inherits_the_speakers_dated_statement(read):
    text = (
        "Putin told journalists on Friday that talks were impossible.\n\n"
        "Putin said that the partial mobilization will end within the next two weeks."
    )
    dates = [s.date.value for s in read(text, "2022-10-15").statements]
    assert dates == ["2022-10-14", "2022-10-14"]


def test_no_publication_date_leaves_relative_dates_unresolved(read):
    extraction = read("Putin told journalists on Friday that talks were impossible.", None)
    (statement,) = extraction.statements
    assert not statement.date.resolved
    assert extraction.warnings


def test_paraphrase_that_runs_on_keeps_the_speaker(read):
    text = ("But the battle there is going as planned, Putin said today. "
            "It is therefore not necessary to mobilize more reservists. "
            "Tens of thousands of Russians have fled the country.")
    statements = read(text, "2022-10-14").statements
    runs_on = [s for s in statements if s.kind == "paraphrase"]
    assert [s.quote for s in runs_on] == ["It is therefore not necessary to mobilize more reservists."]
    assert runs_on[0].speaker.name == "Vladimir Putin" and runs_on[0].date.value == "2022-10-14"
    assert not any("fled" in s.quote for s in statements)


def test_a_saying_is_never_dated_after_publication(read):
    text = "The leaders said in 2050 the goal of net zero would be met. Putin said this week that talks failed."
    dates = {s.quote[:12]: (s.date.begin, s.date.end) for s in read(text, "2022-10-12").statements}
    from datetime import date

    assert all(end <= date(2022, 10, 12) for _, end in dates.values())


def test_the_place_of_a_saying_is_not_its_topic(read):
    text = ("“Did the enemy succeed? No, he achieved nothing,” Putin said at a plenary "
            "session at the Eastern Economic Forum in Vladivostok.")
    (statement,) = read(text, "2024-09-05").statements
    assert "economy" not in statement.topics


def test_the_frame_of_a_quote_still_gives_its_topic(read):
    text = "“We had no choice,” Putin said, justifying his mobilization decision."
    (statement,) = read(text, "2022-10-14").statements
    assert "mobilisation" in statement.topics


def test_expressive_speech_act_is_a_statement(read):
    text = "Putin also said he is open to talks. He criticized Kiev for refusing to talk to him."
    quotes = [s.quote for s in read(text, "2022-10-14").statements]
    assert "Kiev for refusing to talk to him" in quotes
