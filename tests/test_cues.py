"""Reporting cues over real news sentences (graph/cues.py), with negatives."""

import pytest

from graph.cues import according_cues, verb_cues

REPORTING = frozenset(
    "say tell warn insist deny acknowledge reiterate claim add assert announce describe "
    "believe remark recall criticise criticize emphasize assure justify explain call speak".split()
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
        ("Anatoly Antonov said increased Western support for Ukraine would increase the risk of a clash.", "said", "Anatoly Antonov", "increased Western support"),
    ],
)
def test_verb_cues(nlp, sentence, verb, speaker, content_start):
    found = [c for c in cues_of(nlp, sentence) if c[0] == verb]
    assert found, cues_of(nlp, sentence)
    _, got_speaker, content = found[0]
    assert got_speaker == speaker
    assert content.startswith(content_start)


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
