"""Reading articles: each input kind, each kind of bad item, streaming and exact text."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.articles import IngestError, read_articles
from graph.config import SEEDS_DIR
from graph.furniture import find_furniture
from graph.ids import content_hash
from graph.model import Article

INPUT = Path(__file__).parent / "data" / "input"


def _read(source: Path, **keywords: object) -> list[Article | IngestError]:
    return list(read_articles(source, **keywords))


def _errors(items: list[Article | IngestError]) -> list[IngestError]:
    return [item for item in items if isinstance(item, IngestError)]


def _ids(items: list[Article | IngestError]) -> list[str]:
    return [item.id for item in items if isinstance(item, Article)]


def test_folder_with_manifest() -> None:
    first, second = _read(INPUT / "manifest_folder")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.title, first.published, first.source, first.url) == (
        "talks-stall",
        "Talks stall as both sides harden positions",
        date(2023, 3, 2),
        "Example Wire",
        "https://news.example/talks-stall",
    )
    assert first.text == (INPUT / "manifest_folder" / "talks-stall.txt").read_text(encoding="utf-8")
    assert [s.text for s in first.furniture] == ["By Jane Example", "Leave a Reply"]
    assert first.content_hash == content_hash(first.text)
    assert (second.id, second.title, second.published, second.source) == (
        "port-reopens",
        None,
        None,
        None,
    )


def test_manifest_metadata_wins_over_keywords_and_keywords_fill_gaps() -> None:
    first, second = _read(
        INPUT / "manifest_folder", published=date(2020, 1, 1), source_name="Fallback"
    )
    assert (first.published, first.source) == (date(2023, 3, 2), "Example Wire")
    assert (second.published, second.source) == (date(2020, 1, 1), "Fallback")


def test_folder_without_manifest_reads_every_txt_in_name_order() -> None:
    items = _read(INPUT / "plain_folder", published=date(2024, 5, 6), source_name="Town Crier")
    assert _ids(items) == ["alpha", "beta"]
    assert all(a.published == date(2024, 5, 6) and a.source == "Town Crier" for a in items)
    assert all(a.title is None for a in items)


def test_single_txt_takes_metadata_from_keywords() -> None:
    (article,) = _read(
        INPUT / "single.txt", published=date(2022, 10, 14), title="Minister denies report"
    )
    assert (article.id, article.published, article.title) == (
        "single",
        date(2022, 10, 14),
        "Minister denies report",
    )
    assert [s.text for s in article.furniture] == ["READ MORE: Budget row explained"]


def test_json_list_reports_bad_item_with_its_line() -> None:
    items = _read(INPUT / "articles.json")
    assert _ids(items) == ["json-one", "json-two"]
    (error,) = _errors(items)
    assert (error.source, error.line) == (str(INPUT / "articles.json"), 10)
    assert "'text' must be a string, found a number" in error.message
    assert items[1].url == "https://news.example/plant" and items[0].published == date(2021, 4, 1)


JSONL_ERRORS = [
    (2, "malformed JSON: Unterminated string"),
    (3, "expected a JSON object {id, text, …}, found a list"),
    (4, "missing 'id'"),
    (5, "'id' is empty"),
    (6, "missing 'text'"),
    (7, "'text' holds only whitespace"),
    (8, "'title' must be a string or null, found a number 7"),
    (9, "'published' is '14/10/2022': expected a date as YYYY-MM-DD"),
    (10, "'published' is '2022-02-30': not a real calendar date"),
    (11, "duplicate id 'j1': already used at"),
    (12, "control character U+0007 at code point 4"),
    (15, "id 'a b' contains ' '"),
]


def test_jsonl_yields_good_articles_around_the_bad_lines() -> None:
    items = _read(INPUT / "articles.jsonl")
    assert _ids(items) == ["j1", "j14"]
    first = items[0]
    assert (first.title, first.published, first.source, first.url) == (
        "First",
        date(2022, 10, 14),
        "Example Wire",
        "https://news.example/1",
    )
    assert items[-2].published is None
    assert [e.line for e in _errors(items)] == [line for line, _ in JSONL_ERRORS]


@pytest.mark.parametrize(("line", "phrase"), JSONL_ERRORS)
def test_jsonl_error_names_file_line_and_problem(line: int, phrase: str) -> None:
    path = INPUT / "articles.jsonl"
    (error,) = [e for e in _errors(_read(path)) if e.line == line]
    assert error.source == str(path)
    assert phrase in error.message
    assert str(error).startswith(f"{path}:{line}: ")


def test_jsonl_is_streamed_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "First."}) + "\n", encoding="utf-8")
    items = read_articles(path)
    assert next(items).id == "a"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "b", "text": "Written after reading began."}) + "\n")
    assert _ids(list(items)) == ["b"]


@pytest.mark.parametrize("name", ["report.pdf", "missing.jsonl", "missing-folder", "notes.md"])
def test_unknown_kind_raises_at_call_time(tmp_path: Path, name: str) -> None:
    if name.endswith((".pdf", ".md")):
        (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cannot read articles from .*" + name + r".*\.jsonl"):
        read_articles(tmp_path / name)


def test_bad_max_chars_raises() -> None:
    with pytest.raises(ValueError, match="max_chars must be a positive number"):
        read_articles(INPUT / "single.txt", max_chars=0)


# Inputs that are clearer built byte by byte than stored as files.


def test_bad_utf8_in_txt_names_byte_offset_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"Headline\n\nCaf\xe9 owners said so.\n")
    (tmp_path / "good.txt").write_text("Officials said so.", encoding="utf-8")
    bad, good = _read(tmp_path)
    assert isinstance(bad, IngestError) and isinstance(good, Article)
    assert (bad.source, bad.line) == (str(tmp_path / "bad.txt"), 3)
    assert "not valid UTF-8: byte 0xe9 at byte offset 13" in bad.message


def test_bad_utf8_in_jsonl_names_line_and_file_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    line_one = json.dumps({"id": "a", "text": "Fine."}).encode() + b"\n"
    path.write_bytes(
        line_one
        + b'{"id": "b", "text": "\xff"}\n'
        + json.dumps({"id": "c", "text": "Ok."}).encode()
    )
    items = _read(path)
    assert _ids(items) == ["a", "c"]
    (error,) = _errors(items)
    assert error.line == 2
    assert f"byte 0xff at byte offset {len(line_one) + 21}" in error.message


def test_bom_is_removed_and_crlf_kept(tmp_path: Path) -> None:
    text = "Headline\r\n\r\nThe minister said so.\r\n"
    (tmp_path / "crlf.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (article,) = _read(tmp_path / "crlf.txt")
    assert article.text == text
    jsonl = tmp_path / "bom.jsonl"
    jsonl.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "x", "text": text}).encode() + b"\r\n")
    (from_jsonl,) = _read(jsonl)
    assert from_jsonl.text == text


def test_nul_byte_in_txt_is_rejected_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "nul.txt").write_bytes(b"Headline\n\nBody\x00 text.\n")
    (error,) = _read(tmp_path / "nul.txt")
    assert isinstance(error, IngestError) and error.line == 3
    assert "control character U+0000 at code point 14" in error.message
    assert "only tab, line feed and carriage return are allowed" in error.message


def test_text_over_the_cap_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"id": "long", "text": "x" * 11})
        + "\n"
        + json.dumps({"id": "short", "text": "x" * 10}),
        encoding="utf-8",
    )
    items = _read(path, max_chars=10)
    assert _ids(items) == ["short"]
    assert "text has 11 code points: more than the limit of 10" in _errors(items)[0].message
    (tmp_path / "big.txt").write_text("y" * 41, encoding="utf-8")
    (error,) = _read(tmp_path / "big.txt", max_chars=10)
    assert "file has 41 bytes" in error.message


def _folder(tmp_path: Path, manifest: object, files: dict[str, bytes]) -> Path:
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return tmp_path


def test_manifest_entry_errors_name_the_manifest_line(tmp_path: Path) -> None:
    manifest = [
        {"id": "ok", "file": "ok.txt"},
        {"id": "gone", "file": "gone.txt"},
        {"id": "escape", "file": "../outside.txt"},
        {"id": "ok", "file": "again.txt"},
        {"id": "nofile"},
        {"id": "dated", "file": "ok.txt", "published": "October 2022"},
    ]
    folder = _folder(
        tmp_path, manifest, {"ok.txt": b"Officials said so.", "again.txt": b"Said again."}
    )
    items = _read(folder)
    assert _ids(items) == ["ok"]
    where = str(folder / "manifest.json")
    assert [(e.source, e.line) for e in _errors(items)] == [
        (where, 6),
        (where, 10),
        (where, 14),
        (where, 18),
        (where, 21),
    ]
    messages = [e.message for e in _errors(items)]
    assert "file 'gone.txt' listed in the manifest does not exist" in messages[0]
    assert "must be a path inside the folder" in messages[1]
    assert f"duplicate id 'ok': already used at {where}:2" == messages[2]
    assert "'file' must be a non-empty string" in messages[3]
    assert "'published' is 'October 2022'" in messages[4]


def test_manifest_text_problems_name_the_text_file(tmp_path: Path) -> None:
    manifest = [{"id": "blank", "file": "blank.txt"}, {"id": "ok", "file": "ok.txt"}]
    folder = _folder(tmp_path, manifest, {"blank.txt": b" \n\n", "ok.txt": b"Officials said so."})
    error, article = _read(folder)
    assert (error.source, error.message) == (
        str(folder / "blank.txt"),
        "'text' holds only whitespace",
    )
    assert article.id == "ok"


def test_broken_manifest_keeps_the_entries_before_the_break(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Officials said so.", encoding="utf-8")
    (tmp_path / "manifest.json").write_text(
        '[\n{"id": "ok", "file": "ok.txt"},\n{"id": "x" "file"}\n]'
    )
    article, error = _read(tmp_path)
    assert article.id == "ok"
    assert (error.line, error.source) == (3, str(tmp_path / "manifest.json"))
    assert error.message.startswith("malformed JSON: Expecting ',' delimiter")


@pytest.mark.parametrize(
    ("content", "line", "phrase"),
    [
        (
            '{"id": "a", "text": "b"}',
            None,
            "expected a JSON list of article objects, found an object",
        ),
        ('[{"id": "a", "text": "b"}', 1, "expected ',' or the closing ']'"),
        ('[\n{"id": "a", "text": "b"}\n]\n]', 4, "extra data after the closing ']'"),
        ("[]", None, None),
    ],
)
def test_malformed_json_list(
    tmp_path: Path, content: str, line: int | None, phrase: str | None
) -> None:
    path = tmp_path / "list.json"
    path.write_text(content, encoding="utf-8")
    errors = _errors(_read(path))
    if phrase is None:
        assert errors == []
    else:
        (error,) = errors
        assert (error.line, phrase in error.message) == (line, True)


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    (error,) = _read(tmp_path)
    assert "no manifest.json and no .txt files" in error.message


def test_unreadable_file_is_reported_and_others_still_read(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text("Officials said so.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Officials said it again.", encoding="utf-8")
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "a.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    error, article = _read(tmp_path)
    assert (error.source, error.message) == (
        str(tmp_path / "a.txt"),
        "cannot read the file: Permission denied",
    )
    assert article.id == "b"


def test_seeds_are_read_byte_for_byte() -> None:
    manifest = json.loads((SEEDS_DIR / "manifest.json").read_text(encoding="utf-8"))
    articles = _read(SEEDS_DIR)
    assert _ids(articles) == [entry["id"] for entry in manifest]
    for article, entry in zip(articles, manifest):
        assert article.text.encode("utf-8") == (SEEDS_DIR / entry["file"]).read_bytes()
        assert article.published == date.fromisoformat(entry["published"])
        assert article.furniture == find_furniture(article.text)


# Any text that is not rejected survives reading with its code points intact.
_ALLOWED = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    "\t\n\r\u2028\u00a0\ufeff"
)
TEXTS = st.text(_ALLOWED, min_size=1, max_size=300).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_any_text_survives_jsonl_and_json(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        jsonl = Path(folder) / "feed.jsonl"
        jsonl.write_text(json.dumps({"id": "t", "text": text}) + "\n", encoding="utf-8")
        listed = Path(folder) / "list.json"
        listed.write_text(
            json.dumps([{"id": "t", "text": text}], ensure_ascii=False), encoding="utf-8"
        )
        for source in (jsonl, listed):
            (article,) = read_articles(source)
            assert article.text == text
            assert article.content_hash == content_hash(text)
            assert all(text[s.start : s.end] == s.text for s in article.furniture)


@settings(max_examples=60, deadline=None)
@given(TEXTS.filter(lambda t: not t.startswith("\ufeff")))
def test_any_text_survives_a_txt_file(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_bytes(text.encode("utf-8"))
        (article,) = read_articles(path)
        assert article.text == text
