"""Transcript turns (graph/turns.py) read as statements by their labelled speakers."""


def speakers(extraction):
    return [(s.speaker.name, s.kind) for s in extraction.statements]


def test_inline_turns_become_statements_of_their_speakers(read):
    text = (
        "Vladimir Putin had a working meeting with Head of the Federal Customs Service Vladimir Bulavin.\n\n"
        "President of Russia Vladimir Putin: I know that you wanted to start by discussing the reform. "
        "Please, let us begin. Head of the Federal Customs Service Vladimir Bulavin: Mr President, a year "
        "ago, I already reported to you that we had implemented sweeping transformations."
    )
    extraction = read(text, "2021-10-25")
    assert speakers(extraction) == [("Vladimir Putin", "direct"), ("Vladimir Bulavin", "direct")]
    bulavin = extraction.statements[1]
    assert bulavin.speaker.description == "Head of the Federal Customs Service"
    assert bulavin.evidence[0].text.startswith("Mr President, a year ago")
    assert bulavin.date.value == "2021-10-25"


def test_a_turn_continues_over_paragraphs_until_the_next_label(read):
    text = (
        "Vladimir Putin: Good afternoon, colleagues. We will discuss the budget today.\n\n"
        "The main thing is to keep inflation under control.\n\n"
        "Question: Will salaries rise next year?\n\n"
        "Vladimir Putin: Yes, they will rise by the rate of inflation."
    )
    extraction = read(text, "2021-12-23")
    assert [s.speaker.name for s in extraction.statements] == ["Vladimir Putin"] * 3
    assert not any("salaries rise" in s.quote for s in extraction.statements)


def test_one_colon_sentence_is_not_a_transcript(read):
    text = "The ministry made one thing clear: the talks will go on next week."
    assert all(s.kind != "direct" for s in read(text).statements)


def test_a_surname_label_is_the_person_the_transcript_introduced(read):
    text = (
        "Alexei Miller: The pipeline has been commissioned and works at full capacity. "
        "Vladimir Putin: Good, what about the new wells in the north? "
        "Miller: The efficiency of the technologies has been proven by the new wells."
    )
    names = [s.speaker.name for s in read(text, "2021-10-27").statements]
    assert names == ["Alexei Miller", "Vladimir Putin", "Alexei Miller"]
