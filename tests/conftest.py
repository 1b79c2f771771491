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
