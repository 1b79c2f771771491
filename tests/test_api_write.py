"""Write routes: the token, idempotent ingest, removal with what only it supported, reviews."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

TOKEN = "test-token-5b1e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

NEW_ARTICLE = {
    "id": "api-test-1",
    "title": "Kuleba speaks on grain exports",
    "published": "2023-05-02",
    "source": "Test Wire",
    "text": ("Ukraine's foreign minister Dmytro Kuleba said on Monday that grain exports would "
             "resume next week. \"We have reached an agreement with our partners,\" Kuleba told "
             "reporters in Kyiv."),
}


@pytest.fixture(scope="module")
def store_path(seeds_copy):
    return seeds_copy()


@pytest.fixture(scope="module")
def client(store_path):
    from api.app import create_app

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TKG_WRITE_TOKEN", TOKEN)
        app = create_app(store_path)
    with TestClient(app) as test_client:
        yield test_client


def _triples(client) -> int:
    return len(client.app.state.store.get())


@pytest.mark.parametrize(("method", "url", "body"), [
    ("POST", "/articles", NEW_ARTICLE),
    ("DELETE", "/articles/000_99abdfa5ef970735", None),
    ("POST", "/reviews", {"verdict": "accept", "kind": "merge", "first": "mention/x",
                          "second": "mention/y"}),
])
@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    ({"Authorization": "Bearer wrong"}, 403),
    ({"Authorization": f"Basic {TOKEN}"}, 401),
])
def test_writes_without_the_token_are_refused(client, method, url, body, headers, status):
    before = _triples(client)
    response = client.request(method, url, json=body, headers=headers)
    assert response.status_code == status
    assert response.json()["error"]["status"] == status
    assert _triples(client) == before


def test_writes_are_refused_when_no_token_is_configured(store_path, monkeypatch):
    from api.app import create_app

    monkeypatch.delenv("TKG_WRITE_TOKEN", raising=False)
    app = create_app(store_path)
    response = TestClient(app).post("/articles", json=NEW_ARTICLE, headers=AUTH)
    assert response.status_code == 403
    assert "TKG_WRITE_TOKEN" in response.json()["error"]["message"]


def test_post_reads_the_article_and_is_idempotent(client):
    first = client.post("/articles", json=NEW_ARTICLE, headers=AUTH)
    assert first.status_code == 200, first.text
    [article] = first.json()["articles"]
    assert article["id"] == NEW_ARTICLE["id"] and article["status"] == "stored"
    assert any("agreement" in s["quote"] for s in article["statements"])
    count = _triples(client)
    for _ in range(4):
        again = client.post("/articles", json=[NEW_ARTICLE], headers=AUTH)
        assert again.json()["articles"][0]["status"] == "unchanged"
        assert _triples(client) == count
    listed = [a["id"] for a in client.get("/articles").json()["items"]]
    assert NEW_ARTICLE["id"] in listed


def test_post_reports_bad_items_and_keeps_the_good(client):
    good = {**NEW_ARTICLE, "id": "api-test-2", "text": NEW_ARTICLE["text"] + " More follows."}
    bad = {"id": "api-bad", "text": "Some text.", "published": "2023-02-30"}
    body = client.post("/articles", json=[bad, good], headers=AUTH).json()
    assert [a["id"] for a in body["articles"]] == ["api-test-2"]
    [error] = body["errors"]
    assert error["index"] == 0 and error["id"] == "api-bad" and "2023-02-30" in error["message"]


def test_post_with_only_bad_items_is_422(client):
    response = client.post("/articles", json={"id": "has space", "text": "x"}, headers=AUTH)
    assert response.status_code == 422
    assert "has space" in response.json()["error"]["message"]


def test_delete_removes_the_article_and_what_only_it_supported(client):
    unique = ("Dmytro Kuleba said on Tuesday that the port of Odesa would reopen in June. "
              "\"Ships are ready to sail,\" Kuleba told reporters.")
    client.post("/articles", json=NEW_ARTICLE, headers=AUTH)
    client.post("/articles", json={**NEW_ARTICLE, "id": "api-test-3",
                                   "text": unique + " " + NEW_ARTICLE["text"]}, headers=AUTH)
    own = {s["id"] for s in client.get("/statements", params={"article": "api-test-3"}).json()["items"]}
    assert own
    response = client.delete("/articles/api-test-3", headers=AUTH)
    assert response.status_code == 200
    assert client.get("/articles/api-test-3").status_code == 404
    remaining = {s["id"] for s in client.get("/statements", params={"limit": 1000}).json()["items"]}
    only_here = set(response.json()["statements_removed"])
    assert only_here and not (only_here & remaining)
    shared = remaining & own
    assert shared
    for statement in shared:
        assert "api-test-3" not in client.get(f"/statements/{statement}").json()["cited_by"]
    assert client.delete("/articles/api-test-3", headers=AUTH).status_code == 404


def test_review_rejecting_a_relation_removes_it(client):
    relation = client.get("/relations", params={"type": "contradicts"}).json()["items"][0]
    body = {"verdict": "reject", "kind": "relation", "relation_type": "contradicts",
            "first": relation["source"], "second": relation["target"], "note": "test"}
    response = client.post("/reviews", json=body, headers=AUTH)
    assert response.status_code == 200, response.text
    left = client.get("/relations", params={"type": "contradicts"}).json()["items"]
    assert (relation["source"], relation["target"]) not in {(r["source"], r["target"]) for r in left}
    assert client.get("/reviews").json()["items"][0]["verdict"] == "reject"


def test_review_with_an_unknown_node_is_400(client):
    body = {"verdict": "accept", "kind": "merge", "first": "statement/0000", "second": "mention/1"}
    response = client.post("/reviews", json=body, headers=AUTH)
    assert response.status_code == 400
    assert "statement/0000" in response.json()["error"]["message"]


def test_post_needs_json(client):
    response = client.post("/articles", content=json.dumps(NEW_ARTICLE),
                           headers={**AUTH, "Content-Type": "text/plain"})
    assert response.status_code == 415
