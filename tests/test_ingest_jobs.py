"""Ingestion at scale: a parallel build stores exactly what a serial one does, in input order,
streams its input, resumes after an interruption, and reports progress; the shortcuts taken
for speed give the answers of the plain definitions they replace."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import pipeline
from graph.articles import count_items, read_articles
from graph.config import SPACY_MODEL
from graph.knowledge import Concept
from graph.model import Article, Span, Statement, TimeValue
from graph.pipeline import batches, build, ingest, read_parallel, reader, word_count
from graph.store import open_store
from graph.topics import TopicIndex


def _nquads(store) -> list[str]:
    out = io.BytesIO()
    store.dump("nquads", out)
    return sorted(out.getvalue().decode("utf-8").splitlines())


def _article(article_id: str, text: str) -> Article:
    return Article(id=article_id, text=text, published=date(2022, 10, 14))


class Recorder:
    """A progress display that remembers what it was told."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.words: list[int] = []
        self.linked = 0
        self.stop_after = stop_after

    def advance(self, words: int) -> None:
        self.words.append(words)
        if self.stop_after is not None and len(self.words) >= self.stop_after:
            raise KeyboardInterrupt

    def linking(self) -> None:
        self.linked += 1


@pytest.fixture(scope="module")
def two_jobs_store(tmp_path_factory, seeds_dir):
    """The seeds built on two processes, in batches small enough that both workers read."""
    patch = pytest.MonkeyPatch()
    patch.setattr(pipeline, "BATCH_CHARS", 3_000)
    path = tmp_path_factory.mktemp("two-jobs") / "store"
    try:
        with open_store(path) as store:
            recorder = Recorder()
            summary = build([seeds_dir], store, reader(SPACY_MODEL), jobs=2, progress=recorder)
    finally:
        patch.undo()
    return path, summary, recorder


def test_two_jobs_store_exactly_what_one_job_stores(two_jobs_store, seeds_built):
    path, summary, _ = two_jobs_store
    assert summary.articles == 5 and not summary.errors
    with open_store(path) as parallel:
        two = _nquads(parallel)
    with open_store(seeds_built) as serial:
        one = _nquads(serial)
    assert len(two) > 1000
    assert two == one


def test_progress_is_told_of_every_article_and_of_linking(two_jobs_store, seeds_dir):
    _, _, recorder = two_jobs_store
    texts = [a.text for a in read_articles(seeds_dir)]
    assert sorted(recorder.words) == sorted(word_count(t) for t in texts)
    assert recorder.linked == 1


def test_seeds_make_several_batches_when_the_batch_is_small(monkeypatch, seeds_dir):
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 3_000)
    assert len(list(batches(read_articles(seeds_dir)))) >= 3


@pytest.mark.parametrize("jobs", [0, -1])
def test_a_number_of_jobs_below_one_is_refused(jobs):
    with pytest.raises(ValueError, match=rf"at least 1, not {jobs}"):
        list(read_parallel([], reader(SPACY_MODEL), jobs=jobs))


def test_a_parallel_build_refuses_a_reader_it_cannot_rebuild_in_its_workers(monkeypatch):
    import dataclasses

    monkeypatch.setattr(pipeline, "BATCH_CHARS", 10)
    other = dataclasses.replace(reader(SPACY_MODEL))
    articles = [_article("a", "Putin said the talks failed."), _article("b", "Biden said so too.")]
    with pytest.raises(ValueError, match="reader"):
        list(read_parallel(articles, other, jobs=2))
    assert len(list(read_parallel(articles, other, jobs=1))) == 2


def test_an_interrupted_build_resumes_where_it_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 60)
    rows = [{"id": f"n{k}", "text": f"Zelensky said on Monday that the offensive was a success ({k}).",
             "published": "2024-09-05"} for k in range(8)]
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    context = reader(SPACY_MODEL)
    with open_store(tmp_path / "store") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest([source], store, context, jobs=2, progress=Recorder(stop_after=3))
        stored = store.article_ids()
        assert stored == ["n0", "n1", "n2"]  # stored in input order, one transaction each
        summary = ingest([source], store, context, jobs=1)
        assert (summary.skipped, summary.articles) == (3, 5)
        resumed = _nquads(store)
    with open_store(tmp_path / "fresh") as store:
        ingest([source], store, context, jobs=1)
        assert resumed == _nquads(store)


def test_bad_lines_and_stored_articles_count_as_done(tmp_path):
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        '{"id": "ok", "text": "Putin said the talks failed.", "published": "2022-10-14"}\n'
        '{"id": "broken", "text": \n', encoding="utf-8")
    recorder = Recorder()
    with open_store(tmp_path / "store") as store:
        ingest([source], store, reader(SPACY_MODEL), progress=recorder)
        ingest([source], store, reader(SPACY_MODEL), progress=recorder)
    assert sorted(recorder.words) == [0, 0, 0, 5]  # the bad line twice, then read and skipped


# --- batches -----------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=90), max_size=40))
def test_batches_cut_the_input_in_order_at_the_size_limits(lengths):
    articles = [_article(f"a{k}", "x" * n) for k, n in enumerate(lengths)]
    patch = pytest.MonkeyPatch()
    patch.setattr(pipeline, "BATCH_CHARS", 100)
    patch.setattr(pipeline, "BATCH_ARTICLES", 4)
    try:
        cut = list(batches(iter(articles)))
    finally:
        patch.undo()
    assert [a for batch in cut for a in batch] == articles
    for batch in cut[:-1]:
        size = sum(len(a.text) for a in batch)
        assert size >= 100 or len(batch) == 4
        assert sum(len(a.text) for a in batch[:-1]) < 100 and len(batch) <= 4
    assert all(cut)


# --- counting the input for the progress display -----------------------------------------

def _items(source: Path) -> int:
    return sum(1 for _ in read_articles(source))


def test_the_count_of_a_jsonl_is_its_items_bad_ones_included(tmp_path):
    source = tmp_path / "a.jsonl"
    source.write_text(
        '{"id": "a", "text": "One."}\n\n   \n{"id": "b", "text": \n{"id": "a", "text": "Two."}\n'
        '{"id": "c", "text": "Three."}', encoding="utf-8")
    assert count_items(source) == _items(source) == 4


def test_the_count_of_folders_and_single_files(tmp_path, seeds_dir):
    assert count_items(seeds_dir) == _items(seeds_dir) == 5
    folder = tmp_path / "texts"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text("Putin said so.", encoding="utf-8")
    assert count_items(folder) == _items(folder) == 2
    assert count_items(folder / "a.txt") == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert count_items(empty) == _items(empty) == 1  # the error that says it is empty


def test_a_count_that_needs_parsing_or_reading_is_unknown(tmp_path):
    listing = tmp_path / "a.json"
    listing.write_text('[{"id": "a", "text": "One."}]', encoding="utf-8")
    assert count_items(listing) is None
    assert count_items(tmp_path / "missing.jsonl") is None


# --- shortcuts give the plain definitions' answers --------------------------------------

def test_token_lookups_by_offset_match_a_walk_over_the_doc(read, nlp):
    from graph.nlp import Block

    text = "“We will not stop,” Putin said on Friday in Astana. The talks, he added, had failed."
    block = Block("x", 0, 0, text, nlp(text))
    for start, end in [(0, 18), (1, 5), (20, 26), (45, 90), (3, 3), (84, 200)]:
        walked = [t.i for t in block.doc if start <= t.idx < end]
        assert list(block.tokens_within(start, end)) == walked
    assert block.lemmas == tuple(t.lemma_.lower() for t in block.doc)
    assert block.entities == tuple((e.start, e.end, e.label_, e.text) for e in block.doc.ents)


_CUE_WORDS = ["peace", "talks", "talk", "negotiate", "grain", "deal", "mobilisation", "war", "the", "a"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_CUE_WORDS), min_size=1, max_size=3), min_size=1, max_size=6),
    st.lists(st.sampled_from(_CUE_WORDS), max_size=12),
    st.text(alphabet=" ,.-!peacetalksgrdlwmobis", max_size=40),
)
def test_topics_found_through_the_first_word_are_those_a_full_scan_finds(cues, lemmas, raw):
    from graph.topics import _phrase

    concepts = tuple(
        Concept(id=f"t{k}", label=" ".join(cue), labels=(" ".join(cue),), cues=(cue[0],))
        for k, cue in enumerate(cues)
    )
    index = TopicIndex(concepts)
    lemma_text, raw_text = _phrase(" ".join(lemmas)), _phrase(raw)
    plain = {
        c.id for c in concepts for cue in (*c.labels, *c.cues)
        if _phrase(cue).strip() and (_phrase(cue) in lemma_text or _phrase(cue) in raw_text)
    }
    assert index.classify(lemmas, raw) == tuple(sorted(plain))


def _statement(*spans: tuple[int, int]) -> Statement:
    from graph.model import Actor

    return Statement(
        article_id="a", speaker=Actor("actor/x", "X"), speaker_resolution="named", cue=None,
        quote="q", evidence=tuple(Span(s, e, "w" * (e - s)) for s, e in spans),
        date=TimeValue(None, None, "unknown", "XXXX-XX-XX"), kind="direct",
    )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(min_value=0, max_value=300), st.integers(min_value=1, max_value=40)),
             min_size=1, max_size=4),
)
def test_the_sentences_a_statement_starts_in_are_found_by_bisection(lengths, evidence):
    sentences, position = [], 0
    for n in lengths:  # disjoint, in text order, with gaps as between blocks
        sentences.append((position, position + n))
        position += n + 2
    statement = _statement(*((s, s + n) for s, n in evidence))
    spans = [(e.start, e.end) for e in statement.evidence]
    plain = list(spans)
    for start, end in sentences:
        if any(start <= s < end for s, _ in plain):
            plain.append((start, end))
    starts = [s for s, _ in sentences]
    assert pipeline.reporting_spans(statement, sentences, starts) == plain


def test_a_place_is_matched_as_whole_words_whatever_its_case():
    pattern = pipeline._whole_words("kursk")
    assert pattern.search("the Kursk offensive") and pattern.search("KURSK.")
    assert not pattern.search("Kurskaya street")
    assert pipeline._whole_words("kursk") is pattern
    assert re.escape("st. petersburg") in pipeline._whole_words("st. petersburg").pattern


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab 1.,!?(-:/“”„«»\"‘’'\n", max_size=40))
def test_quote_marks_found_by_search_are_those_a_walk_over_every_character_finds(text):
    from graph import quotes

    doubles, singles = [], []
    for i, ch in enumerate(text):
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in quotes.OPENERS:
            doubles.append((i, "open"))
        elif ch in quotes.CLOSERS:
            doubles.append((i, "close"))
        elif ch == quotes.STRAIGHT:
            doubles.append((i, "open" if quotes._is_opening_straight(text, i) else "close"))
        if ch in quotes.SINGLE_OPEN and not before.isalnum() and after.isalnum():
            singles.append((i, "open"))
        elif ch in quotes.SINGLE_CLOSE and not after.isalnum() and (before.isalnum() or before in ".!?,"):
            singles.append((i, "close"))
    assert quotes._double_marks(text) == doubles
    assert quotes._single_marks(text) == singles


def test_a_worker_whose_build_is_gone_ends_itself():
    import subprocess
    import sys

    watch = "import os, sys; from graph.pipeline import _exit_when_orphaned; _exit_when_orphaned({})"
    orphan = subprocess.run([sys.executable, "-c", watch.format("os.getppid() + 1")], check=False, timeout=60)
    assert orphan.returncode == 1
    child = subprocess.Popen([sys.executable, "-c", watch.format("os.getppid()")])
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            child.wait(timeout=4)  # its build (this test) is still there: it keeps waiting
    finally:
        child.kill()
        child.wait()
