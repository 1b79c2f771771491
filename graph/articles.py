"""Reading articles: a folder (with or without ``manifest.json``), a ``.jsonl``, a ``.json``
or a single ``.txt`` file, streamed one article at a time.

A bad item never stops the others: it is yielded as an :class:`IngestError` naming the file,
the line and what was expected, and reading goes on with the next item. Only a source that is
not one of the accepted kinds raises (``ValueError``).

Text is decoded as strict UTF-8; a byte-order mark at the start of a file is removed, and
nothing else is changed (line endings, ``\\r\\n`` included, are kept as they are). Evidence
offsets are code points into ``Article.text``, so the text must stay exactly as decoded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from graph.furniture import find_furniture
from graph.ids import content_hash
from graph.model import Article

#: Longest text accepted, in code points.
DEFAULT_MAX_CHARS = 2_000_000
MANIFEST = "manifest.json"
ACCEPTED_KINDS = (
    "a folder with manifest.json, a folder of .txt files, a .jsonl file (one article object a "
    "line), a .json file (a list of article objects) or a single .txt file"
)

_BOM = "\ufeff"
_JSON_SPACE = re.compile(r"[ \t\r\n]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Control characters other than tab, line feed and carriage return (C0, DEL, C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Characters an id may not hold: ids become IRI path segments (graph/article/<id>).
_BAD_ID_CHAR = re.compile(r"[\s\x00-\x1f\x7f-\x9f<>\"{}|\\^`/?#\ud800-\udfff]")
#: Lone surrogates: JSON escapes (``"\\ud800"``) decode to them, but no UTF-8 can hold them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_OPTIONAL_FIELDS = ("title", "source", "url")
_TOO_DEEP = (
    "JSON nested too deeply to read (lists or objects inside one another hundreds of levels "
    "deep); an article is a flat object {id, text, title, published, source, url}"
)


@dataclass(frozen=True)
class IngestError:
    """A bad input item: reported, skipped, never half-written."""

    #: The file the problem is in.
    source: str
    #: 1-based line number (JSONL line, manifest or JSON list entry, line of a text) when known.
    line: int | None
    #: What is wrong and what is expected.
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class _Defaults:
    """Metadata for items that do not carry their own (the keywords of :func:`read_articles`)."""

    published: date | None
    title: str | None
    source: str | None
    max_chars: int


_Item = tuple[Article | IngestError, str, int | None]


class _Bad(Exception):
    """An item is bad: carries the message and, when known, a more precise line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_articles(
    source: Path,
    *,
    published: date | None = None,
    title: str | None = None,
    source_name: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[Article | IngestError]:
    """The articles of ``source``, one at a time, with an :class:`IngestError` for each bad item.

    ``source`` is a folder with ``manifest.json`` (a JSON list of ``{id, file, title,
    published, source, url}``), a folder without it (every ``*.txt``, id = file stem), a
    ``.jsonl`` file (one ``{id, text, title, published, source, url}`` object a line; ``id``
    and ``text`` required, ``published`` as YYYY-MM-DD), a ``.json`` file holding a list of
    such objects, or a single ``.txt`` file (id = file stem). ``published``, ``title`` and
    ``source_name`` fill in what an item does not say itself. Ids must be unique within a
    source. Raises ``ValueError`` at once when ``source`` is none of these kinds.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be a positive number of code points, not {max_chars!r}")
    path = Path(source)
    defaults = _Defaults(published, title, source_name, max_chars)
    if path.is_dir():
        manifest = path / MANIFEST
        if manifest.exists():
            return _unique(_from_manifest(manifest, defaults))
        return _unique(_from_folder(path, defaults))
    suffix = path.suffix.lower()
    if path.is_file() and suffix == ".jsonl":
        return _unique(_from_jsonl(path, defaults))
    if path.is_file() and suffix == ".json":
        return _unique(_from_json_list(path, defaults))
    if path.is_file() and suffix == ".txt":
        return _unique(_from_text_files([path], defaults))
    state = f"is not a known kind ({suffix or 'no suffix'})" if path.exists() else "does not exist"
    raise ValueError(
        f"cannot read articles from {str(path)!r}: it {state}; expected {ACCEPTED_KINDS}"
    )


def count_items(source: Path) -> int | None:
    """How many items (articles and errors) :func:`read_articles` yields for ``source``, found
    without parsing: the non-blank lines of a ``.jsonl``, the entries of a manifest, the
    ``.txt`` files of a folder, 1 for a ``.txt``. None for a ``.json`` list, which would have
    to be parsed, and for anything that cannot be read."""
    path = Path(source)
    try:
        if path.is_dir():
            manifest = path / MANIFEST
            if manifest.exists():
                entries = json.loads(_read_file(manifest))
                return len(entries) if isinstance(entries, list) else None
            return max(1, sum(1 for p in path.glob("*.txt") if p.is_file()))
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            with path.open("rb") as handle:
                return sum(1 for line in handle if line.strip())
        return 1 if suffix == ".txt" and path.is_file() else None
    except (OSError, ValueError, RecursionError, _Bad):
        return None


def _unique(items: Iterator[_Item]) -> Iterator[Article | IngestError]:
    """Drop the second article with an id already seen in this source, as an error."""
    seen: dict[str, str] = {}
    for item, where, line in items:
        if isinstance(item, Article):
            if item.id in seen:
                message = f"duplicate id {item.id!r}: already used at {seen[item.id]}"
                yield IngestError(where, line, message)
                continue
            seen[item.id] = f"{where}:{line}" if line is not None else where
        yield item


def _from_jsonl(path: Path, defaults: _Defaults) -> Iterator[_Item]:
    """One article a line, read line by line: the file is never held in memory whole."""
    where = str(path)
    offset = 0
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                line_offset, offset = offset, offset + len(raw)
                try:
                    text = _decode(raw, first=number == 1, base=line_offset)
                    if not text.strip():
                        continue
                    item: Article | IngestError = _article(
                        _parse_json(text.rstrip("\r\n")), defaults
                    )
                except _Bad as bad:
                    item = IngestError(where, number, bad.message)
                yield item, where, number
    except OSError as error:
        yield IngestError(where, None, f"cannot read the file: {error.strerror}"), where, None


def _from_json_list(path: Path, defaults: _Defaults) -> Iterator[_Item]:
    """A JSON list of article objects; each item is reported with the line it starts on."""
    where = str(path)
    for line, entry in _json_list(path):
        try:
            item = entry if isinstance(entry, IngestError) else _article(entry, defaults)
        except _Bad as bad:
            item = IngestError(where, line, bad.message)
        yield item, where, line


def _from_manifest(manifest: Path, defaults: _Defaults) -> Iterator[_Item]:
    """The entries of a folder's manifest, each reading its text from ``file``."""
    for line, entry in _json_list(manifest):
        if isinstance(entry, IngestError):
            yield entry, str(manifest), line
        else:
            yield _manifest_entry(manifest, line, entry, defaults), str(manifest), line


def _manifest_entry(
    manifest: Path, line: int | None, entry: object, defaults: _Defaults
) -> Article | IngestError:
    """One manifest entry read with its text.

    A problem with the entry is reported at its manifest line; a problem with the text it
    points at (encoding, control characters, emptiness, size) in the text file itself.
    """
    if not isinstance(entry, dict):
        message = f"expected a JSON object {{id, file, …}}, found {_kind(entry)}"
        return IngestError(str(manifest), line, message)
    try:
        text_path = _manifest_file(manifest.parent, entry)
    except _Bad as bad:
        return IngestError(str(manifest), line, bad.message)
    try:
        text = _check_text(_read_file(text_path, defaults.max_chars), defaults.max_chars)
    except _Bad as bad:
        return IngestError(str(text_path), bad.line, bad.message)
    try:
        return _article({**entry, "text": text}, defaults)
    except _Bad as bad:
        return IngestError(str(manifest), line, bad.message)


def _from_folder(folder: Path, defaults: _Defaults) -> Iterator[_Item]:
    """Every ``*.txt`` of a folder without manifest, in name order."""
    files = sorted(p for p in folder.glob("*.txt") if p.is_file())
    if not files:
        message = f"no {MANIFEST} and no .txt files in the folder; expected {ACCEPTED_KINDS}"
        yield IngestError(str(folder), None, message), str(folder), None
    yield from _from_text_files(files, defaults)


def _from_text_files(files: list[Path], defaults: _Defaults) -> Iterator[_Item]:
    """Plain-text files, id = file stem, metadata from ``defaults``."""
    for path in files:
        try:
            text = _read_file(path, defaults.max_chars)
            item: Article | IngestError = _article({"id": path.stem, "text": text}, defaults)
        except _Bad as bad:
            item = IngestError(str(path), bad.line, bad.message)
        yield item, str(path), None


def _manifest_file(folder: Path, entry: dict[str, Any]) -> Path:
    """The text file a manifest entry points at, which must exist inside the folder."""
    name = entry.get("file")
    if not isinstance(name, str) or not name.strip():
        raise _Bad(f"'file' must be a non-empty string naming a text file, found {name!r}")
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise _Bad(f"'file' must be a path inside the folder {str(folder)!r}, found {name!r}")
    target = folder / relative
    if not target.is_file():
        raise _Bad(f"file {name!r} listed in the manifest does not exist in {str(folder)!r}")
    return target


def _read_file(path: Path, max_chars: int | None = None) -> str:
    """The whole file as strict UTF-8 without its byte-order mark.

    With ``max_chars``, a file too big to hold that many code points (4 bytes each at most)
    is refused before it is read.
    """
    try:
        size = path.stat().st_size
        if max_chars is not None and size > 4 * max_chars:
            raise _Bad(
                f"file has {size} bytes: more than {max_chars} code points (max_chars) can take"
            )
        raw = path.read_bytes()
    except OSError as error:
        raise _Bad(f"cannot read the file: {error.strerror}") from None
    return _decode(raw, first=True, base=0, whole=True)


def _decode(raw: bytes, *, first: bool, base: int, whole: bool = False) -> str:
    """Strict UTF-8 decoding; a BOM is removed when ``first`` (the start of a file).

    An error names the byte offset in the file (``base`` + position in ``raw``) and, when
    ``raw`` is a ``whole`` file, the line of the bad byte.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1 if whole else None
        raise _Bad(
            f"not valid UTF-8: byte 0x{raw[error.start]:02x} at byte offset {base + error.start} "
            f"({error.reason}); save the file as UTF-8",
            line,
        ) from None
    return text[1:] if first and text.startswith(_BOM) else text


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _Bad(f"malformed JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise _Bad(_TOO_DEEP) from None


def _json_list(path: Path) -> Iterator[tuple[int | None, Any]]:
    """The items of the JSON list in ``path``, each with the line it starts on.

    Items are yielded as they are parsed; when the file cannot be read or stops being a valid
    list, an :class:`IngestError` takes the place of the item and the list ends there.
    """
    where = str(path)
    try:
        text = _read_file(path)
        yield from _list_items(text)
    except _Bad as bad:
        yield bad.line, IngestError(where, bad.line, bad.message)


def _list_items(text: str) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    pos = _skip_space(text)
    if not text.startswith("[", pos):
        raise _Bad(f"expected a JSON list of article objects, found {_kind(_parse_json(text))}")
    pos = _skip_space(text, pos + 1)
    if text.startswith("]", pos):
        _expect_end(text, pos + 1)
        return
    line, counted = 1, 0
    while True:
        line, counted = line + text.count("\n", counted, pos), pos
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            message = f"malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            raise _Bad(message, error.lineno) from None
        except RecursionError:
            raise _Bad(_TOO_DEEP, line) from None
        yield line, item
        pos = _skip_space(text, end)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif text.startswith("]", pos):
            _expect_end(text, pos + 1)
            return
        else:
            message = "malformed JSON: expected ',' or the closing ']' of the list"
            raise _Bad(message, text.count("\n", 0, pos) + 1)


def _skip_space(text: str, pos: int = 0) -> int:
    """The first position at or after ``pos`` that is not JSON whitespace."""
    match = _JSON_SPACE.match(text, pos)
    return match.end() if match else pos


def _expect_end(text: str, pos: int) -> None:
    """``_Bad`` unless only whitespace follows ``pos``."""
    rest = _skip_space(text, pos)
    if rest < len(text):
        line = text.count("\n", 0, rest) + 1
        raise _Bad("malformed JSON: extra data after the closing ']' of the list", line)


def _article(record: object, defaults: _Defaults) -> Article:
    """An :class:`Article` from a record, after checking every field; ``_Bad`` if not valid."""
    if not isinstance(record, dict):
        raise _Bad(f"expected a JSON object {{id, text, …}}, found {_kind(record)}")
    article_id = _check_id(record.get("id"))
    text = _check_text(record.get("text"), defaults.max_chars)
    fields = {name: _optional_string(record, name) for name in _OPTIONAL_FIELDS}
    published = _check_published(record.get("published"))
    return Article(
        id=article_id,
        text=text,
        title=fields["title"] or defaults.title,
        published=published or defaults.published,
        source=fields["source"] or defaults.source,
        url=fields["url"],
        furniture=find_furniture(text),
        content_hash=content_hash(text),
    )


def _check_id(value: object) -> str:
    if value is None:
        raise _Bad("missing 'id': every article needs a non-empty string id")
    if not isinstance(value, str):
        raise _Bad(f"'id' must be a string, found {_kind(value)} {value!r}")
    if not value:
        raise _Bad("'id' is empty: every article needs a non-empty string id")
    bad = _BAD_ID_CHAR.search(value)
    if bad:
        raise _Bad(
            f"id {value!r} contains {bad.group()!r} (U+{ord(bad.group()):04X}); ids are used in "
            "IRIs, so they may not hold spaces, control characters, lone surrogates or any of "
            '<>"{}|\\^`/?#'
        )
    return value


def _check_text(value: object, max_chars: int) -> str:
    if value is None:
        raise _Bad("missing 'text': every article needs its text as a string")
    if not isinstance(value, str):
        raise _Bad(f"'text' must be a string, found {_kind(value)}")
    if not value:
        raise _Bad("'text' is empty")
    if not value.strip():
        raise _Bad("'text' holds only whitespace")
    if len(value) > max_chars:
        raise _Bad(
            f"text has {len(value)} code points: more than the limit of {max_chars} (max_chars)"
        )
    _check_surrogates("text", value)
    control = _CONTROL.search(value)
    if control:
        line = value.count("\n", 0, control.start()) + 1
        raise _Bad(
            f"text contains control character U+{ord(control.group()):04X} at code point "
            f"{control.start()} (line {line} of the text); only tab, line feed and carriage "
            "return are allowed",
            line,
        )
    return value


def _check_published(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"'published' must be a YYYY-MM-DD string, found {_kind(value)} {value!r}")
    if not _DATE.fullmatch(value):
        raise _Bad(f"'published' is {value!r}: expected a date as YYYY-MM-DD, e.g. '2022-10-14'")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"'published' is {value!r}: not a real calendar date") from None


def _optional_string(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"{name!r} must be a string or null, found {_kind(value)} {value!r}")
    _check_surrogates(name, value)
    return value.strip() or None


def _check_surrogates(name: str, value: str) -> None:
    """``_Bad`` when ``value`` holds a lone surrogate, naming where."""
    lone = _SURROGATE.search(value)
    if lone:
        raise _Bad(
            f"{name!r} holds the lone surrogate U+{ord(lone.group()):04X} at code point "
            f"{lone.start()} (an unpaired \\uD800–\\uDFFF escape in the JSON): it is not a "
            "character and no UTF-8 text can hold it; escape characters outside the Basic "
            "Multilingual Plane as a surrogate pair, or write them as they are"
        )


def _kind(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)
