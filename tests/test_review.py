"""Human review: decisions override the machine and survive rebuilds and new articles."""

import json

import pytest

from graph.config import SPACY_MODEL
from graph.export import graph_json
from graph.pipeline import build, reader, review
from graph.store import open_store


@pytest.fixture()
def store(tmp_path, seeds_dir):
    with open_store(tmp_path / "store") as opened:
        build([seeds_dir], opened, reader(SPACY_MODEL))
        yield opened


def contradictions(data):
    return {(r["source"], r["target"]) for r in data["relations"] if r["type"] == "contradicts"}


def by_quote(data, words):
    """The statement whose evidence holds ``words``."""
    return next(s for s in data["statements"] if words in " ".join(e["text"] for e in s["evidence"]))


def test_rejected_contradiction_stays_rejected_after_rebuilds_and_new_articles(store, seeds_dir, tmp_path):
    before = graph_json(store)
    source, target = sorted(contradictions(before))[0]
    review(store, reader(SPACY_MODEL), "reject", "relation", source, target,
           relation_type="contradicts", note="not the same quantity")
    assert (source, target) not in contradictions(graph_json(store))

    build([seeds_dir], store, reader(SPACY_MODEL))
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "extra-1", "published": "2022-10-20",
                                 "text": "Zelensky said the offensive was a success."}) + "\n", encoding="utf-8")
    build([extra], store, reader(SPACY_MODEL))
    after = graph_json(store)
    assert (source, target) not in contradictions(after)
    assert after["reviews"] == [{"kind": "relation", "verdict": "reject", "relation_type": "contradicts",
                                 "source": store.members(source) or after["reviews"][0]["source"],
                                 "target": after["reviews"][0]["target"], "note": "not the same quantity"}]


def test_accepted_merge_joins_two_statements_and_shows_in_the_export(store):
    data = graph_json(store)
    first = by_quote(data, "more Russian conquests in the Donetsk region")
    second = by_quote(data, "weakened itself in key areas")
    assert first["id"] != second["id"]
    review(store, reader(SPACY_MODEL), "accept", "merge", first["id"], second["id"], note="same remark")
    merged = by_quote(graph_json(store), "weakened itself in key areas")
    assert set(merged["cited_by"]) == {"002_720875782e86ab24", "003_c3eefc58b1871f46"}
    assert "more Russian conquests" in " ".join(e["text"] for e in merged["evidence"])


def test_accepted_relation_the_machine_missed_is_added_with_its_note(store):
    data = graph_json(store)
    planned = by_quote(data, "going as planned")
    losing = by_quote(data, "definitely losing")
    review(store, reader(SPACY_MODEL), "accept", "relation", planned["id"], losing["id"],
           relation_type="contradicts", note="as planned vs losing")
    relations = [r for r in graph_json(store)["relations"] if r["type"] == "contradicts"
                 and {r["source"], r["target"]} == {by_quote(graph_json(store), "going as planned")["id"], losing["id"]}]
    assert len(relations) == 1 and "accepted by a reviewer: as planned vs losing" in relations[0]["explanation"]


def test_a_bad_review_is_refused_with_the_choices(store):
    with pytest.raises(ValueError, match="choose one of"):
        review(store, reader(SPACY_MODEL), "accept", "relation", "statement/x", "statement/y", relation_type="hates")
    with pytest.raises(ValueError, match="no statement or event"):
        review(store, reader(SPACY_MODEL), "accept", "merge", "statement/0000", "statement/1111")
