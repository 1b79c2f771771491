"""Ingesting the same articles again changes nothing: five ``tkg build`` runs of one file and five
POSTs of one article leave the store's N-Quads (article graphs and links graph) as after the
first; a changed article replaces its graph whole, leaving nothing of the old reading."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.cli import main
from graph.store import open_reader
from graph.vocab import LINKS_GRAPH

TOKEN = "idempotency-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

FIRST = {
    "id": "idem-grain-1",
    "title": "Kuleba says grain exports will resume",
    "published": "2023-05-02",
    "source": "Test Wire",
    "text": ("Ukraine's foreign minister Dmytro Kuleba said on Monday that grain exports would "
             "resume next week. \"We have reached an agreement with our partners,\" Kuleba told "
             "reporters in Kyiv. Russia's foreign ministry spokeswoman Maria Zakharova said on "
             "Tuesday that no agreement had been reached."),
}
SECOND = {
    "id": "idem-grain-2",
    "title": "Grain deal disputed",
    "published": "2023-05-04",
    "source": "Other Wire",
    "text": ("Dmytro Kuleba told reporters in Kyiv on Monday: \"We have reached an agreement with "
             "our partners.\" On Wednesday Maria Zakharova said that Moscow had not agreed to "
             "anything and that the ships would not sail."),
}


def nquads(store_path: Path) -> list[str]:
    """The published store as sorted N-Quads lines (it holds no blank nodes: lines compare)."""
    with open_reader(store_path) as store:
        out = io.BytesIO()
        store.dump("nquads", out)
    return sorted(out.getvalue().decode("utf-8").splitlines())


def in_links(lines: list[str]) -> list[str]:
    return [line for line in lines if line.endswith(f"<{LINKS_GRAPH}> .")]


def build(source: Path, store: Path) -> None:
    assert main(["build", str(source), "--store", str(store), "--quiet", "--jobs", "1"]) == 0


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def test_five_cli_builds_of_one_file_change_no_triple(tmp_path):
    source = write_jsonl(tmp_path / "articles.jsonl", [FIRST, SECOND])
    store = tmp_path / "store"
    after = []
    for _ in range(5):
        build(source, store)
        after.append(nquads(store))
    assert in_links(after[0]), "no links graph: the comparison would not cover the links"
    assert [len(lines) for lines in after] == [len(after[0])] * 5
    assert all(lines == after[0] for lines in after)


def test_a_changed_article_replaces_its_reading_whole(tmp_path):
    changed = {**FIRST, "text": FIRST["text"].replace("next week", "in June")}
    store = tmp_path / "store"
    build(write_jsonl(tmp_path / "v1.jsonl", [FIRST, SECOND]), store)
    first = nquads(store)
    build(write_jsonl(tmp_path / "v2.jsonl", [changed, SECOND]), store)
    fresh = tmp_path / "fresh"
    build(write_jsonl(tmp_path / "only-v2.jsonl", [changed, SECOND]), fresh)
    assert nquads(store) != first
    assert nquads(store) == nquads(fresh)


@pytest.fixture
def client(tmp_path, monkeypatch):
    from api.app import create_app

    monkeypatch.setenv("TKG_WRITE_TOKEN", TOKEN)
    app = create_app(tmp_path / "store")
    with TestClient(app) as test_client:
        yield test_client


def test_five_posts_of_the_same_articles_change_no_triple(client, tmp_path):
    body = [FIRST, SECOND]
    first = client.post("/articles", json=body, headers=AUTH)
    assert first.status_code == 200, first.text
    assert {a["status"] for a in first.json()["articles"]} == {"stored"}
    after_one = nquads(tmp_path / "store")
    assert in_links(after_one)
    for _ in range(4):
        again = client.post("/articles", json=body, headers=AUTH)
        assert again.status_code == 200, again.text
        assert {a["status"] for a in again.json()["articles"]} == {"unchanged"}
    assert nquads(tmp_path / "store") == after_one
