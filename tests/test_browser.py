"""The timeline page in headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright)
against ``python -m api`` serving a copy of the seeds store on 127.0.0.1.

What an analyst does: ask what someone said about a topic, read the answers in date order, open
a statement, follow its evidence into the article, filter by topic, open a contradiction, review
a relation, run a SPARQL query; on a wide and a phone-width screen. Every test also checks that
no request left this machine's server. Screenshots go to ``artifacts/`` (not committed).

Without Chromium (or Playwright) the tests are skipped, except when ``CI`` is set: then they fail.
"""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest
from loopback import serving

from graph.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "artifacts"
TOKEN = "browser-test-token"
#: Chromium's own flags: headless as root, and none of its background calls to the network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; the browser tests must run in CI")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(seeds_copy, tmp_path_factory):
    """The base address of ``python -m api`` on a copy of the seeds store, writes enabled."""
    from api.routes_web import WEB_DIR, missing_vendor_files

    if missing_vendor_files(WEB_DIR):
        _unavailable("web/node_modules is not installed (npm ci --prefix web)")
    with serving(tmp_path_factory.mktemp("browser-server"), "--host", "127.0.0.1",
                 store=seeds_copy(), env={"TKG_WRITE_TOKEN": TOKEN}) as running:
        yield f"http://127.0.0.1:{running.port}"


def api(base: str, path: str) -> dict:
    with urllib.request.urlopen(f"{base}{path}", timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (the test extra of pyproject.toml)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


class Visit:
    """A page of the browser with every request it made and every script error it met."""

    def __init__(self, browser, base: str, width: int = 1280, height: int = 900) -> None:
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_selector("body[data-ready]")

    def check(self) -> None:
        """No request left the server; no script failed."""
        elsewhere = [url for url in self.requests
                     if not url.startswith((f"{self.base}/", "data:", "blob:"))]
        assert not elsewhere, f"requests left 127.0.0.1: {elsewhere}"
        assert all(url.startswith("http://127.0.0.1:")
                   for url in self.requests if url.startswith("http"))
        assert not self.errors, self.errors

    def each(self, selector: str, value: str) -> list:
        """``value`` (a JavaScript function of an element) for every element ``selector`` finds."""
        return self.page.eval_on_selector_all(selector, f"elements => elements.map({value})")

    def shot(self, name: str, full_page: bool = False) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


@pytest.fixture()
def visit(browser, server):
    visits: list[Visit] = []

    def make(**size) -> Visit:
        visits.append(Visit(browser, server, **size))
        return visits[-1]

    yield make
    for one in visits:
        one.context.close()


def _ask(page, speaker: str, topic: str) -> None:
    """Type the question and send it with the keyboard, as a person would."""
    page.fill("#ask-speaker", speaker)
    page.fill("#ask-topic", topic)
    page.press("#ask-topic", "Enter")
    page.wait_for_function(
        "name => document.querySelector('#answers-title').textContent.includes(name)", arg=speaker)


def test_ask_lists_the_answers_in_date_order_on_the_timeline(visit, server):
    one = visit()
    one.open("/")
    _ask(one.page, "Putin", "negotiations")
    expected = api(server, "/timeline?speaker=Putin&topic=negotiations")["items"]
    answers = one.each("#answers .answer", "e => [e.dataset.id, e.dataset.begin]")
    assert [a[0] for a in answers] == [s["id"] for s in expected]
    begins = [a[1] for a in answers]
    assert begins == sorted(begins)
    years = [b[:4] for b in begins]
    assert "2022" in years and "2024" in years
    assert years.index("2022") < years.index("2024")
    assert one.page.locator(".vis-item.statement, .vis-item.vis-cluster").count() >= 1
    about = {e for s in expected for e in s["about"]}
    periods = [e for e in api(server, "/events?limit=1000")["items"]
               if e["id"] in about and e["date"]["begin"] != e["date"]["end"]]
    if periods:  # an event known only to a period is drawn as a span, not a day
        assert one.page.locator(".vis-item.vis-range.event").count() >= 1
    assert "speaker=Putin" in one.page.url and "topic=negotiations" in one.page.url
    one.shot("timeline.png")
    one.check()


def test_statement_card_then_its_evidence_in_the_article(visit, server):
    one = visit()
    one.open("/?speaker=Putin&topic=negotiations")
    first = one.page.locator("#answers .answer a").first
    first.focus()
    one.page.keyboard.press("Enter")
    one.page.wait_for_selector(".card")
    statement_id = one.page.url.split("#", 1)[1]
    statement = api(server, f"/statements/{statement_id}")
    card = one.page.locator(".card")
    assert statement["speaker"]["name"] in card.locator("h2").inner_text()
    if statement["speaker"]["wikidata"]:
        link = card.locator("h2 a")
        assert link.get_attribute("href").endswith(f"/wiki/{statement['speaker']['wikidata']}")
    assert card.locator("blockquote.quote").inner_text().strip() == statement["quote"]
    assert f"precision: {statement['date']['precision']}" in card.locator(".when").inner_text() \
        or statement["date"]["precision"] == "interval"
    assert card.locator("#cited-title + ul > li").count() == len(statement["cited_by"])
    assert card.locator(".evidence > li").count() == len(statement["evidence"])
    assert one.page.locator("#answers .answer.open").get_attribute("data-id") == statement_id
    one.shot("statement-card.png", full_page=True)

    evidence = statement["evidence"][0]
    card.locator(".evidence a").first.click()
    one.page.wait_for_selector(".article-text .focus")
    highlighted = "".join(one.each(".article-text .focus", "e => e.textContent"))
    assert highlighted == evidence["text"]
    assert one.page.locator(".article-text .focus").first.is_visible()
    box = one.page.locator(".article-text .focus").first.bounding_box()
    assert 0 <= box["y"] < one.page.viewport_size["height"]
    article = api(server, f"/articles/{evidence['article']}")
    assert one.page.locator(".article-text .furniture").count() >= min(1, len(article["furniture"]))
    linked = set(one.each(".article-text a.statement", "e => e.hash.slice(1)"))
    assert linked == {s["id"] for s in article["statements"]}
    one.shot("article-view.png")
    one.page.go_back()
    one.page.wait_for_selector(".card")
    one.check()


def test_filter_by_topic(visit, server):
    one = visit()
    one.open("/")
    statements = api(server, "/statements?limit=1000")["items"]
    topic = next(t for t in api(server, "/topics")["items"] if t["statements"] > 1)
    chip = one.page.locator(f'#legend button[data-topic="{topic["id"]}"]')
    chip.click()
    assert chip.get_attribute("aria-pressed") == "true"
    shown = one.each("#answers .answer", "e => e.dataset.id")
    assert shown == [s["id"] for s in statements if topic["id"] in s["topics"]]
    assert topic["name"] in one.page.locator("#answers-summary").inner_text()
    one.page.locator(f'#legend button[data-topic="{topic["id"]}"]').click()
    assert one.page.locator("#answers .answer").count() == len(statements)
    one.check()


def test_open_a_contradiction(visit, server):
    one = visit()
    one.open("/#contradictions")
    contradictions = api(server, "/relations?type=contradicts&limit=1000")["items"]
    assert contradictions, "the seeds hold contradictions"
    assert one.page.locator(".pairs > li").count() == len(contradictions)
    first = contradictions[0]
    one.page.locator(".pairs > li").first.locator(".side-a a").click()
    one.page.wait_for_selector(".card .relation.contradicts")
    assert one.page.url.endswith(f"#{first['source']}")
    relation = one.page.locator(".card .relation.contradicts").filter(has_text=first["explanation"])
    assert relation.count() == 1
    one.check()


def test_review_a_relation_with_the_pasted_token(visit, server):
    one = visit()
    one.open("/")
    relation = api(server, "/relations?type=repeats")["items"][0]
    one.page.goto(f"{server}/#{relation['source']}")
    one.page.wait_for_selector(".card .relation.repeats .accept")
    one.page.locator(".card .relation.repeats .accept").first.click()
    one.page.wait_for_selector("#token-dialog[open]")
    one.page.fill("#token-input", TOKEN)
    one.page.press("#token-input", "Enter")
    one.page.wait_for_function(
        "() => document.querySelector('#status').textContent.startsWith('Recorded')",
        timeout=30_000)
    reviews = api(server, "/reviews")["items"]
    assert any(r["verdict"] == "accept" and r["relation_type"] == "repeats" for r in reviews)
    assert one.page.evaluate("sessionStorage.length") == 1
    assert TOKEN not in one.page.content()
    one.check()


def test_phone_width_is_readable(visit):
    one = visit(width=390, height=844)
    one.open("/?speaker=Putin&topic=negotiations")
    one.page.locator("#answers .answer a").first.click()
    one.page.wait_for_selector(".card")
    overflow = one.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    size = float(one.each(".card blockquote.quote", "e => getComputedStyle(e).fontSize")[0][:-2])
    assert size >= 16
    one.shot("phone.png")
    one.check()


def test_the_sparql_page_runs_a_query(visit, server):
    one = visit()
    one.open("/sparql/ui")
    assert one.page.locator("input.autocomplete").input_value() == f"{server}/sparql"
    one.page.locator(".yasqe_queryButton").click()
    one.page.wait_for_selector(".yasr table tbody tr")
    assert one.page.locator(".yasr table tbody tr").count() > 1
    one.shot("sparql.png")
    one.check()
