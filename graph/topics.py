"""Topics from the SKOS scheme in ``ontology/topics.ttl``.

A statement is about a topic when its words contain one of the topic's labels or cue lemmas
(``skos:hiddenLabel``): "peace talks", "mediation", "negotiate" and "initialled agreements" all
reach *negotiations*. Matching is on lemmas, so inflection does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from graph.knowledge import Concept

_NON_WORD = re.compile(r"[^\w\s-]+")


def _phrase(text: str) -> str:
    return " " + " ".join(_NON_WORD.sub(" ", text.lower()).split()) + " "


@dataclass(frozen=True)
class TopicIndex:
    concepts: tuple[Concept, ...]

    @cached_property
    def _cues(self) -> dict[str, list[tuple[str, str]]]:
        """First word of a cue → (the cue as a padded phrase, topic id): a text can only hold a
        cue whose first word it holds, so only those cues are searched for."""
        by_first: dict[str, list[tuple[str, str]]] = {}
        for concept in self.concepts:
            for cue in (*concept.labels, *concept.cues):
                phrase = _phrase(cue)
                if phrase.strip():  # a cue of punctuation alone names nothing
                    by_first.setdefault(phrase.split()[0], []).append((phrase, concept.id))
        return by_first

    def classify(self, lemmas: Iterable[str], text: str) -> tuple[str, ...]:
        """Topic ids whose labels or cues occur in ``lemmas`` or the raw ``text``."""
        lemma_text = _phrase(" ".join(lemmas))
        raw = _phrase(text)
        found = {
            concept
            for word in {*lemma_text.split(), *raw.split()} & self._cues.keys()
            for cue, concept in self._cues[word]
            if cue in lemma_text or cue in raw
        }
        return tuple(sorted(found))

    def resolve(self, name: str) -> set[str]:
        """Topic ids a user's topic name refers to (id, label or alternative label)."""
        wanted = _phrase(name).strip()
        return {
            c.id for c in self.concepts
            if wanted in {c.id.replace("-", " "), c.id, *c.labels}
        }
