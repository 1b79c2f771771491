"""Reporting cues over real news sentences (graph/cues.py), with negatives."""

import pytest

from graph.cues import according_cues, verb_cues

REPORTING = frozenset(
    "say tell warn insist deny acknowledge reiterate claim add assert announce describe "
    "believe remark recall criticise criticize emphasize assure justify explain call speak "
    "accuse praise blame report".split()
)


def cues_of(nlp, sentence):
    doc = nlp(sentence)
    tokens = list(doc)
    found = []
    for cue in verb_cues(tokens, REPORTING) + according_cues(tokens):
        speaker = doc[cue.speaker[0] : cue.speaker[1]].text if cue.speaker else None
        found.append((cue.verb.text, speaker, doc[cue.content[0] : cue.content[1]].text))
    return found


@pytest.mark.parametrize(
    ("sentence", "verb", "speaker", "content_start"),
    [
        ("Putin said the Ukrainian secret service was behind the attack.", "said", "Putin", "the Ukrainian secret service"),
        ("Putin told the assembled media that Russia has no intention of destroying Ukraine.", "told", "Putin", "that Russia"),
        ("The aim of the Ukrainian armed forces was to unsettle Russia, Putin said.", "said", "Putin", "The aim"),
        ("He criticized Kiev for refusing to talk to him.", "criticized", "He", "Kiev"),
        ("Putin reiterated his willingness to negotiate on the basis of the agreements.", "reiterated", "Putin", "his willingness"),
        ("He described the invasion of around 10,000 soldiers as a success.", "described", "He", "the invasion"),
        ("Zelensky signed a decree forbidding any negotiations with Putin, saying Ukraine will only talk to Russia when it has a different president.", "saying", "Zelensky", "Ukraine will"),
        # a that-clause after the verb is the content, not a clause parsed before it
        ("So, despite all sorts of setbacks for Russian troops – which would hastily withdraw in "
         "some parts of Ukraine – Putin reported that he did not foresee a new wave of mobilization.",
         "reported", "Putin", "that he did not foresee"),
        ("Anatoly Antonov said increased Western support for Ukraine would increase the risk of a clash.", "said", "Anatoly Antonov", "increased Western support"),
    ],
)
def test_verb_cues(nlp, sentence, verb, speaker, content_start):
    found = [c for c in cues_of(nlp, sentence) if c[0] == verb]
    assert found, cues_of(nlp, sentence)
    _, got_speaker, content = found[0]
    assert got_speaker == speaker
    assert content.startswith(content_start)


@pytest.mark.parametrize(
    ("sentence", "verb", "speaker", "content"),
    [
        ("He criticized Kiev for refusing to talk to him.", "criticized", "He",
         "Kiev for refusing to talk to him"),
        ("The foreign minister accused Moscow of nuclear blackmail.", "accused", "The foreign minister",
         "Moscow of nuclear blackmail"),
        ("Biden praised the Ukrainian soldiers for their courage.", "praised", "Biden",
         "the Ukrainian soldiers for their courage"),
        ("Lavrov blamed the West for the food crisis.", "blamed", "Lavrov", "the West for the food crisis"),
    ],
)
def test_expressive_cue_takes_target_and_grievance(nlp, sentence, verb, speaker, content):
    """An expressive act's content is its target with the reason given for it, not the target
    alone ("Kiev")."""
    assert (verb, speaker, content) in cues_of(nlp, sentence)


@pytest.mark.parametrize(
    ("sentence", "contents"),
    [
        ("Putin said that Russia’s partial mobilization will end within the next two weeks and "
         "that he has no plans to mobilize more.",
         ["that Russia’s partial mobilization will end within the next two weeks",
          "that he has no plans to mobilize more"]),
        ("She said the army had retreated and that the city was lost.",
         ["the army had retreated", "that the city was lost"]),
        # one point: a conjoined subject, a conjoined predicate without its own "that"
        ("He said that Russia and Ukraine had met.", ["that Russia and Ukraine had met"]),
        ("He said that he was tired and went home.", ["that he was tired and went home"]),
    ],
)
def test_two_reported_that_clauses_are_two_points(nlp, sentence, contents):
    assert [content for verb, _, content in cues_of(nlp, sentence) if verb == "said"] == contents


def test_expressive_cue_without_reason_keeps_its_target(nlp):
    assert ("criticized", "He", "Kiev") in cues_of(nlp, "He criticized Kiev on Friday.")


def test_according_to_a_document_names_its_author(nlp):
    found = cues_of(nlp, "According to the latest update by the British Defence Ministry, many of the drafted troops will suffer.")
    assert ("According", "the British Defence Ministry", "many of the drafted troops will suffer.") in found


def test_according_to_pronoun(nlp):
    found = cues_of(nlp, "According to him, the Russian armed forces have begun to push the Ukrainian army out.")
    assert found[0][1] == "him" and found[0][2].startswith("the Russian armed forces")


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia carried out large-scale rocket attacks on Ukrainian cities early this week.",
        "Tens of thousands of Russians have fled the country to avoid going to the front.",
        "If he says so, the talks will resume.",
        "The hostilities are about to enter the 9th month.",
    ],
)
def test_no_cue(nlp, sentence):
    assert cues_of(nlp, sentence) == []
