"""Shared fixtures: the spaCy pipeline (loaded once per session), project paths and a loopback
listener."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT, SPACY_MODEL

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def nlp():
    from graph.nlp import load

    return load(SPACY_MODEL)


@pytest.fixture(scope="module")
def listener():
    """A :class:`loopback.Listener` per test module, counting the connections that reach it."""
    from loopback import Listener

    listening = Listener()
    yield listening
    listening.close()


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
def seeds_built(tmp_path_factory, seeds_dir) -> Path:
    """A store directory built from the seed articles once per test session, closed. Tests copy
    it (:func:`seeds_copy`): an on-disk store is opened by one process holder at a time."""
    from graph.config import SPACY_MODEL
    from graph.pipeline import build, reader
    from graph.store import open_store

    path = tmp_path_factory.mktemp("seeds-built") / "store"
    with open_store(path) as store:
        build([seeds_dir], store, reader(SPACY_MODEL))
    return path


@pytest.fixture(scope="session")
def seeds_copy(seeds_built, tmp_path_factory):
    """``seeds_copy()`` → the path of a fresh copy of the seeds store, free to open and change."""
    import shutil

    def copy() -> Path:
        target = tmp_path_factory.mktemp("seeds") / "store"
        shutil.copytree(seeds_built, target)
        return target

    return copy


@pytest.fixture(scope="session")
def seeds_store(seeds_copy):
    """A copy of the seeds store, opened for the whole session."""
    from graph.store import open_store

    with open_store(seeds_copy()) as store:
        yield store


@pytest.fixture(scope="session")
def seeds_export(seeds_store):
    from graph.export import graph_json

    return graph_json(seeds_store)
