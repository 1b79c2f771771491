"""The build as a whole: bad items are reported and skipped, good ones stored, nothing half-written."""

import json

from graph.config import SPACY_MODEL
from graph.pipeline import build, reader
from graph.store import open_store


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_an_article_the_store_refuses_is_reported_and_the_rest_kept(tmp_path, monkeypatch):
    from graph import rdf

    source = tmp_path / "a.jsonl"
    write_jsonl(source, [
        {"id": "good", "text": "Putin said the talks failed.", "published": "2022-10-14"},
        {"id": "refused", "text": "Zelensky said the offensive was a success.", "published": "2024-09-05"},
    ])
    real = rdf.article_quads

    def refusing(extraction):
        if extraction.article.id == "refused":
            raise ValueError("cannot write this one")
        return real(extraction)

    monkeypatch.setattr(rdf, "article_quads", refusing)
    with open_store(tmp_path / "store") as store:
        summary = build([source], store, reader(SPACY_MODEL))
        assert store.article_ids() == ["good"]
    assert summary.articles == 1
    assert [(e.source, e.message) for e in summary.errors] == [("refused", "not stored: cannot write this one")]


def test_statements_never_share_their_first_evidence_span(tmp_path):
    text = ("Putin said: “We will not stop.” “We will not stop,” he said again. "
            "It is therefore not necessary to mobilise more.")
    source = tmp_path / "b.jsonl"
    write_jsonl(source, [{"id": "dup", "text": text, "published": "2022-10-14"}])
    with open_store(tmp_path / "store") as store:
        summary = build([source], store, reader(SPACY_MODEL))
        (extraction,) = store.extractions()
    assert not summary.errors
    firsts = [(s.evidence[0].start, s.evidence[0].end) for s in extraction.statements]
    assert len(firsts) == len(set(firsts))
