"""The web pages' routes: ``/``, ``/sparql/ui``, their files, ``/config``, and the article data
the article view draws (spans and furniture at code-point offsets)."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors
from api.routes_web import VENDOR, WEB_DIR, missing_vendor_files, web_router

INSTALLED = not missing_vendor_files(WEB_DIR)
needs_modules = pytest.mark.skipif(
    not INSTALLED and not os.environ.get("CI"),
    reason="web/node_modules is not installed (npm ci --prefix web); required when CI is set")


@pytest.fixture(scope="module")
def store_path(seeds_copy):
    return seeds_copy()


@pytest.fixture(scope="module")
def client(store_path):
    from api.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TKG_WRITE_TOKEN", raising=False)
        app = create_app(store_path)
    with TestClient(app) as test_client:
        yield test_client


class _Links(HTMLParser):
    """The ``src`` and ``href`` values of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in ("src", "href") and value]


def _links(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.found


@pytest.mark.parametrize(("token", "enabled"), [(None, False), ("s3cret-token", True)])
def test_config_says_whether_writes_are_enabled_without_the_token(store_path, token, enabled):
    from api.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        if token is None:
            patch.delenv("TKG_WRITE_TOKEN", raising=False)
        else:
            patch.setenv("TKG_WRITE_TOKEN", token)
        app = create_app(store_path)
    response = TestClient(app).get("/config")
    assert response.status_code == 200
    assert response.json() == {"writes_enabled": enabled}
    assert token is None or token not in response.text


@needs_modules
@pytest.mark.parametrize(("url", "marker"), [
    ("/", 'id="timeline"'),
    ("/sparql/ui", 'id="yasgui"'),
])
def test_pages_load_only_local_files(client, url, marker):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert marker in response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert "script-src 'self';" in policy
    links = [link for link in _links(response.text) if not link.startswith(("#", "data:"))]
    assert links and all(link.startswith("/") and not link.startswith("//") for link in links)
    for link in links:
        if link.startswith(("/static/", "/vendor/")):
            served = client.get(link)
            assert served.status_code == 200, link
            expected = "text/css" if link.endswith(".css") else "text/javascript"
            assert served.headers["content-type"].startswith(expected), link


@needs_modules
def test_every_module_the_page_imports_is_served(client):
    """The page's ES modules import each other and the timeline library by absolute or ./ paths."""
    pending, seen = ["/static/app.js"], set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        if path.startswith("/static/"):
            for target in re.findall(r'^import .* from "([^"]+)";$', response.text, re.MULTILINE):
                local = target.startswith("/")
                pending.append(target if local else f"/static/{target.removeprefix('./')}")
    assert "/vendor/vis-timeline.mjs" in seen
    assert {"/static/card.js", "/static/article.js", "/static/timeline.js"} <= seen


@pytest.mark.parametrize("path", ["/static/../index.html", "/static/..%2findex.html",
                                  "/static/%2e%2e/%2e%2e/api/app.py", "/static/nothing.js",
                                  "/vendor/left-pad.js", "/vendor/..%2fpackage.json"])
def test_only_the_page_files_are_served(client, path):
    assert client.get(path).status_code == 404


@pytest.fixture()
def bare_web(tmp_path):
    """A copy of ``web/`` without ``node_modules``, served by the page routes alone."""
    folder = tmp_path / "web"
    shutil.copytree(WEB_DIR, folder, ignore=shutil.ignore_patterns("node_modules"))
    app = FastAPI()
    app.state.write_token = None
    errors.install(app)
    app.include_router(web_router(folder))
    return TestClient(app)


def test_without_node_modules_the_page_says_how_to_install(bare_web):
    response = bare_web.get("/")
    assert response.status_code == 503
    assert "npm ci --prefix web" in response.text and "make run" in response.text
    for path in VENDOR.values():
        assert path in response.text
    assert bare_web.get("/vendor/vis-timeline.mjs").status_code == 503
    assert bare_web.get("/static/app.js").status_code == 200


def test_without_node_modules_the_query_page_is_the_plain_form(bare_web):
    response = bare_web.get("/sparql/ui")
    assert response.status_code == 200
    assert "<form" in response.text and "/vendor/" not in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_the_app_starts_without_node_modules(store_path, tmp_path, monkeypatch):
    from api import app as app_module

    bare = tmp_path / "web"
    shutil.copytree(WEB_DIR, bare, ignore=shutil.ignore_patterns("node_modules"))
    monkeypatch.setattr(app_module, "web_router", lambda: web_router(bare))
    with TestClient(app_module.create_app(store_path)) as test_client:
        assert test_client.get("/health").status_code == 200
        assert test_client.get("/").status_code == 503
        assert test_client.get("/statements", params={"limit": 1}).status_code == 200


def test_article_gives_its_furniture_and_spans_at_their_offsets(client):
    articles = client.get("/articles").json()["items"]
    furniture_seen = 0
    for listed in articles:
        article = client.get(f"/articles/{listed['id']}").json()
        text = article["text"]
        spans = [*article["furniture"],
                 *(e for s in article["statements"] for e in s["evidence"]),
                 *(e for ev in article["events"] for e in ev["evidence"])]
        for span in spans:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"]:span["end"]] == span["text"]  # code points, as in Python
        starts = [(s["start"], s["end"]) for s in article["furniture"]]
        assert starts == sorted(starts)
        assert all(s["evidence"] for s in article["statements"])
        assert all(isinstance(s["topics"], list) for s in article["statements"])
        furniture_seen += len(article["furniture"])
    assert furniture_seen > 0


def test_the_statement_route_knows_every_span_the_article_shows(client):
    """The article view links a highlighted span to its statement: the ids must resolve."""
    article_id = client.get("/articles").json()["items"][0]["id"]
    article = client.get(f"/articles/{article_id}").json()
    for statement in article["statements"][:5]:
        detail = client.get(f"/statements/{statement['id']}")
        assert detail.status_code == 200
        spans = {(e["article"], e["start"], e["end"]) for e in detail.json()["evidence"]}
        assert {(article_id, e["start"], e["end"]) for e in statement["evidence"]} <= spans


def test_config_is_in_the_openapi_document(client):
    assert "/config" in client.get("/openapi.json").json()["paths"]
    assert "/" not in client.get("/openapi.json").json()["paths"]
