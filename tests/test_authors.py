"""Who speaks in a document's own first person (graph/authors.py)."""

from datetime import date

import pytest

from graph.authors import author_of
from graph.config import SPACY_MODEL
from graph.model import Article
from graph.pipeline import reader


@pytest.fixture(scope="module")
def context():
    return reader(SPACY_MODEL)


@pytest.mark.parametrize(
    ("title", "source", "url", "published", "author"),
    [
        ("Statement by President Biden on Russia's Unprovoked and Unjustified Attack on Ukraine",
         None, None, "2022-02-23", "Joe Biden"),
        ("Interview with Vladimir Putin", None, None, "2022-06-01", "Vladimir Putin"),
        # publisher: the office holder on the day of publication
        ("Statement on the North Atlantic Treaty Organization Summit", "The American Presidency Project",
         None, "2022-03-24", "Joe Biden"),
        ("Statement on Ukraine", "The American Presidency Project", None, "2025-03-01", "Donald Trump"),
        ("Meeting with Head of the Federal Customs Service", None, "http://en.kremlin.ru/events/president/news/66993",
         "2021-10-25", "Vladimir Putin"),
        ("Joint Statement by President Biden and Prime Minister Justin P.J. Trudeau of Canada on the Roadmap",
         "The American Presidency Project", None, "2022-02-23", "Joe Biden and Justin P.J. Trudeau"),
        # negatives: an ordinary news article has no first-person author
        ("Putin calls Ukraine's incursion into Kursk a 'failure'", "Euronews", None, "2024-09-05", None),
        ("Statement on the summit", None, None, "2022-03-24", None),
    ],
)
def test_author_of(context, title, source, url, published, author):
    article = Article("a", "text", title=title, source=source, url=url, published=date.fromisoformat(published))
    found = author_of(article, context.gazetteer, context.publishers)
    assert (found.name if found else None) == author


def test_first_person_in_an_official_statement_is_its_author(context, read):
    from graph.ids import content_hash
    from graph.pipeline import extract_all

    text = "Today I met with fellow leaders. I think NATO is more united than ever."
    article = Article("s", text, title="Statement on the NATO Summit", source="The American Presidency Project",
                      published=date(2022, 3, 24), content_hash=content_hash(text))
    (statement,) = next(extract_all([article], context)).statements
    assert statement.speaker.name == "Joe Biden" and statement.speaker_resolution == "pronoun"


def test_first_person_without_an_author_stays_unresolved(read):
    extraction = read("I think NATO is more united than ever.", "2022-03-24")
    assert extraction.statements == ()
    assert any("no speaker for 'I'" in w for w in extraction.warnings)


def test_a_question_to_you_is_not_a_statement(read):
    extraction = read("Do you think the sanctions will work?", "2022-03-24")
    assert extraction.statements == () and extraction.warnings == ()


@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("Joint Statement of the Group of Seven (G-7) Nations: G7 Apulia Leaders' Communiqué", "Group of Seven leaders"),
        ("Joint Statement—G-20 Bali Leaders' Declaration", "G20 leaders"),
        ("Joint Statement on Further Restrictive Economic Measures",
         "Signatories of “Joint Statement on Further Restrictive Economic Measures”"),
    ],
)
def test_a_joint_document_is_spoken_by_its_signatories_not_the_publisher(context, title, author):
    article = Article("a", "text", title=title, source="The American Presidency Project",
                      published=date(2024, 6, 14))
    found = author_of(article, context.gazetteer, context.publishers)
    assert (found.name if found else None) == author
