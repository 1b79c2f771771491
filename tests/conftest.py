"""Shared fixtures: the spaCy pipeline (loaded once per session) and project paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT, SPACY_MODEL

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def nlp():
    from graph.nlp import load

    return load(SPACY_MODEL)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return PROJECT_ROOT / "seeds"


@pytest.fixture(scope="session")
def gold() -> dict:
    import json

    return json.loads((DATA / "seeds.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def read():
    """``read(text, published)`` → the Extraction of a one-article text."""
    from datetime import date

    from graph.config import SPACY_MODEL
    from graph.furniture import find_furniture
    from graph.ids import content_hash
    from graph.model import Article
    from graph.pipeline import extract_all, reader

    context = reader(SPACY_MODEL)

    def run(text: str, published: str | None = "2022-10-15"):
        article = Article(
            id="test", text=text, published=date.fromisoformat(published) if published else None,
            furniture=find_furniture(text), content_hash=content_hash(text),
        )
        return next(extract_all([article], context))

    return run


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory, seeds_dir):
    """A store built from the seed articles (once per test session), opened."""
    from graph.config import SPACY_MODEL
    from graph.pipeline import build, reader
    from graph.store import open_store

    path = tmp_path_factory.mktemp("seeds") / "store"
    with open_store(path) as store:
        build([seeds_dir], store, reader(SPACY_MODEL))
        yield store


@pytest.fixture(scope="session")
def seeds_export(seeds_store):
    from graph.export import graph_json

    return graph_json(seeds_store)
