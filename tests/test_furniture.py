"""Page furniture: what is marked, what must stay readable, and the seeds' reference reading."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.config import SEEDS_DIR
from graph.furniture import find_furniture

GOLD_LOCAL = Path(__file__).parent / "data" / "seeds.gold.json"
GOLD_SHARED = Path("/work/shared/eval/seeds.gold.json")
CORPORA = Path("/work/shared/corpora")

BODY = "The minister said on Tuesday that the talks had stalled.\n\n"

FURNITURE = [
    # "Read more" links, alone or after a sentence, to the end of the line.
    (
        BODY + "Putin said the talks failed. Read more: Why the talks failed\n",
        ["Read more: Why the talks failed"],
    ),
    (
        BODY + "READ MORE: Ukraine war latest\n\nMore body text follows here.",
        ["READ MORE: Ukraine war latest"],
    ),
    (
        BODY + "The attack came at dawn. See also The ILO estimates 50 million people\n",
        ["See also The ILO estimates 50 million people"],
    ),
    (BODY + "Officials blamed saboteurs. Read on under the map\n", ["Read on under the map"]),
    (
        "Headline here\n\n“It was a mistake.” Read more about the talks\n",
        ["Read more about the talks"],
    ),
    # Related-article lists after a trigger line, blank lines between allowed.
    (
        BODY + "You might also like\n\nThe rise of deepfakes: How AI is fuelling new threats\n\n"
        "Centre-left MEPs fire warning over Commission picks",
        [
            "You might also like",
            "The rise of deepfakes: How AI is fuelling new threats",
            "Centre-left MEPs fire warning over Commission picks",
        ],
    ),
    (
        BODY + "Related\nFirst related headline goes here\nSecond ‘quoted’ headline goes here\n\n"
        "The ministry later said the strike had been cancelled.",
        ["Related", "First related headline goes here", "Second ‘quoted’ headline goes here"],
    ),
    (BODY + "Latest Posts", ["Latest Posts"]),
    (
        BODY + "Most read:\nMarkets slide as rates rise again",
        ["Most read:", "Markets slide as rates rise again"],
    ),
    # Tabloid link markers.
    (
        BODY + "Minister says the budget is ‘fine’\u00a0[REPORT]\n"
        "Army chief warns of new threat [VIDEO]\n\nMore body text follows here.",
        [
            "Minister says the budget is ‘fine’\u00a0[REPORT]",
            "Army chief warns of new threat [VIDEO]",
        ],
    ),
    # A run of headlines at the end of the page.
    (
        BODY + "Russia nukes may no longer even work, says ex-Army officer\n"
        "Macron warned ‘French army is not ready for war’\n\nSource: Read Full Article",
        [
            "Russia nukes may no longer even work, says ex-Army officer",
            "Macron warned ‘French army is not ready for war’",
            "Source: Read Full Article",
        ],
    ),
    # Newsletter, sign-up and cookie prompts.
    (
        "Headline here\n\nWe use your sign-up to provide content in ways you’ve consented to. "
        "You can unsubscribe at any time. More info\n\n" + BODY,
        [
            (
                "We use your sign-up to provide content in ways you’ve consented to. "
                "You can unsubscribe at any time. More info"
            )
        ],
    ),
    (
        BODY + "This website uses cookies to improve your experience.\n",
        ["This website uses cookies to improve your experience."],
    ),
    (
        BODY + "Sign up\n\nSubscribe to our daily briefing",
        ["Sign up", "Subscribe to our daily briefing"],
    ),
    # Comment boxes and copy protection.
    (
        BODY
        + "Leave a Reply\n\nYour email address will not be published. Required fields are marked *",
        ["Leave a Reply", "Your email address will not be published. Required fields are marked *"],
    ),
    (BODY + "\nerror: Content is protected !!", ["error: Content is protected !!"]),
    # Share buttons, navigation, advertising.
    (
        BODY + "Share this articleComments\nCopy/paste the article video embed link below:Copy to "
        "clipboardCopied\nShare this articleClose Button",
        [
            "Share this articleComments",
            "Copy/paste the article video embed link below:Copy to clipboardCopied",
            "Share this articleClose Button",
        ],
    ),
    (
        "NewsletterNewslettersEventsEventsPodcasts\nLoader\nFind Us\nADVERTISEMENT\n\nHeadline\n\n"
        + BODY,
        ["NewsletterNewslettersEventsEventsPodcasts", "Loader", "Find Us", "ADVERTISEMENT"],
    ),
    (
        "Home | World | Europe | Business\n\nHeadline\n\n" + BODY,
        ["Home | World | Europe | Business"],
    ),
    # Bylines and date lines.
    (
        "Headline\nBy\u00a0Sertac Aktan\nPublished on Updated\n\n" + BODY,
        ["By\u00a0Sertac Aktan", "Published on Updated"],
    ),
    (
        "Headline\n\nBy Jane Doe and John Roe\nUpdated: 14 October 2022, 10:32 GMT\n\n" + BODY,
        ["By Jane Doe and John Roe", "Updated: 14 October 2022, 10:32 GMT"],
    ),
    # Photo captions and credits.
    (
        "Headline\n\nPutin in Vladivostok.\nPutin in Vladivostok. Copyright\u00a0A. "
        "Photographer, Kremlin Pool Photo via AP\nCopyright\u00a0A. Photographer via AP\n\n" + BODY,
        [
            "Putin in Vladivostok.",
            "Putin in Vladivostok. Copyright\u00a0A. Photographer, Kremlin Pool Photo via AP",
            "Copyright\u00a0A. Photographer via AP",
        ],
    ),
    (BODY + "Photo: Jane Doe/AFP\n", ["Photo: Jane Doe/AFP"]),
    (
        BODY + "Soldiers rest near the front line (AP Photo/Jane Doe)\n",
        ["Soldiers rest near the front line (AP Photo/Jane Doe)"],
    ),
    (
        BODY + "US President Joe Biden (left) and French President Emmanuel Macron\n\n" + BODY,
        ["US President Joe Biden (left) and French President Emmanuel Macron"],
    ),
    (BODY + "President Vladimir Putin\n\n" + BODY, ["President Vladimir Putin"]),
    (BODY + "Prime Minister Rishi Sunak\n\n" + BODY, ["Prime Minister Rishi Sunak"]),
    # Stray numbers, metadata lines, repeated headline.
    ("Headline here.\n\n28 29\n30 31\n\n" + BODY, ["28 29", "30 31"]),
    (BODY + "Source: Stern\n", ["Source: Stern"]),
    (
        "War: offensive in Kursk failed\n\nWar: offensive in Kursk failed\n\n" + BODY,
        ["War: offensive in Kursk failed"],
    ),
]

NOT_FURNITURE = [
    "Putin said on Friday that the offensive had failed. “Did the enemy succeed? No,” he said.",
    # The article's own headline, unterminated, and a standfirst.
    "Putin sees Ukrainian offensive in Kursk failed\n\nKiev sees the offensive as a success.",
    "Putin ‘trying to trade options for himself’ as Russia close to defeat\nBody starts here.",
    # Sub-headings inside the body that carry claims.
    BODY + "Putin again speaks of willingness to negotiate\n\n" + BODY,
    BODY + "'Trump is hard on Russia'\n\n" + BODY,
    BODY + "No need for talks with US President Joe Biden\n\n" + BODY,
    BODY + "BRICS enters the picture\n\n" + BODY,
    # Quotes ending without a full stop, even two in a row inside the text.
    BODY + "“We will not hesitate to respond”\n\n" + BODY,
    BODY + "“We will fight on the beaches”\n“We will never surrender to them”\n\n" + BODY,
    # Words that furniture uses, in ordinary sentences.
    "The EU fined the company over how it uses cookies on its website.",
    "Thousands rushed to sign up for the army after the speech.",
    "By Sunday, the troops had withdrawn from the city.",
    "Published in 2019, the report said Russia would invade.",
    "The US Copyright Office said AI images cannot be protected.",
    "Putin (pictured) said the war was going to plan.",
    "Joe Biden (left) said he would meet Emmanuel Macron in Paris on Monday.",
    "He read more than 100 reports. Related talks were held in Istanbul.",
    "Latest figures show inflation at 10 per cent.",
    "President Putin said the talks had stalled",
    "Officials said the agreement was reached via AP sources in Kyiv.",
    # Transcript conventions.
    "THE PRESIDENT: Yes.\nQ: Thank you.\nTHE PRESIDENT: Yes.",
    "The President. Yes.\nPelley. Ironclad commitment?\nThe President. Yes.",
    "Vladimir Putin: Good afternoon, colleagues.\n\nWe will begin with the budget.",
    "",
]


@pytest.mark.parametrize(("text", "expected"), FURNITURE)
def test_marks_furniture(text: str, expected: list[str]) -> None:
    assert [span.text for span in find_furniture(text)] == expected


@pytest.mark.parametrize("text", NOT_FURNITURE)
def test_leaves_prose_alone(text: str) -> None:
    """Nothing is marked, whether the text opens the article or follows a paragraph."""
    assert find_furniture(text) == ()
    assert find_furniture(BODY + text) == ()


def test_offsets_survive_crlf() -> None:
    text = "Headline\r\n\r\nThe minister said so.\r\nLeave a Reply\r\n"
    (span,) = find_furniture(text)
    assert (span.text, text[span.start : span.end]) == ("Leave a Reply", "Leave a Reply")


@given(
    st.text(alphabet=st.sampled_from(list("Ab c.\n\r:[]’|12By")), max_size=200)
    | st.text(max_size=200)
)
def test_spans_are_sorted_disjoint_and_exact(text: str) -> None:
    spans = find_furniture(text)
    assert all(text[s.start : s.end] == s.text and s.text for s in spans)
    assert all(a.end < b.start for a, b in itertools.pairwise(spans))
    assert not any("\n" in s.text or "\r" in s.text for s in spans)


def _gold() -> dict:
    path = GOLD_LOCAL if GOLD_LOCAL.exists() else GOLD_SHARED
    if not path.exists():
        pytest.skip("no seeds.gold.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _seed_furniture() -> dict[str, tuple]:
    return {p.stem: find_furniture(p.read_text(encoding="utf-8")) for p in SEEDS_DIR.glob("*.txt")}


def test_seed_noise_is_covered() -> None:
    furniture = _seed_furniture()
    missed = [
        noise["evidence"]
        for noise in _gold()["noise"]
        if not any(
            s.start <= noise["span"][0] and noise["span"][1] <= s.end
            for s in furniture[noise["article"]]
        )
    ]
    assert missed == []


def test_seed_evidence_stays_readable() -> None:
    """Required statement and event evidence must not touch furniture (optional items may)."""
    gold = _gold()
    furniture = _seed_furniture()
    cited = [
        (c, s["id"]) for s in gold["statements"] if not s.get("optional") for c in s["cited_by"]
    ]
    cited += [(m, e["id"]) for e in gold["events"] if not e.get("optional") for m in e["mentions"]]
    hidden = [
        (item_id, c["evidence"])
        for c, item_id in cited
        if any(s.start < c["span"][1] and c["span"][0] < s.end for s in furniture[c["article"]])
    ]
    assert hidden == []


@pytest.mark.skipif(not CORPORA.exists(), reason="no shared corpora")
def test_clean_transcripts_are_almost_untouched() -> None:
    total = marked = 0
    for path in sorted(CORPORA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line)["text"]
                total += len(text)
                marked += sum(s.end - s.start for s in find_furniture(text))
    assert total > 0 and marked / total < 0.001
