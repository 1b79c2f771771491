"""Hostile inputs for the article reader, generated (never committed): issue 8, item 3.

Each :class:`Hostile` is one JSON Lines line as raw bytes (what ``tkg build`` reads) and, when
the line is valid JSON, the decoded value (what ``POST /articles`` is sent). ``verdict`` says
what the reader must do with it: ``"read"`` (stored), ``"reject"`` (an error naming what is
wrong) or ``"either"`` (both are fine, as long as it is one or the other, quickly and cleanly).

The nonsense corpus (:func:`nonsense_corpus`) is text that holds no time expression at all,
built from the words the date reader is known to mistake for dates ("a", "12", "may", "March").
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

#: Where a hostile text is told to fetch things, unless the caller names its own trap.
DEFAULT_TRAP = "http://127.0.0.1:9"

_SAID = "The minister said on Friday that the talks would resume."
_PUBLISHED = "2022-10-15"
_NO_JSON = object()


@dataclass(frozen=True)
class Hostile:
    """One hostile input: a name, the raw JSONL line, the JSON value (or absent) and the verdict."""

    name: str
    line: bytes
    value: object
    verdict: str

    @property
    def is_json(self) -> bool:
        """Whether the line is valid JSON (and so can be posted to the API as it is)."""
        return self.value is not _NO_JSON


def _record(name: str, verdict: str, text: object = _SAID, **fields: object) -> Hostile:
    record = {"id": f"h-{name}", "text": text, "published": _PUBLISHED, **fields}
    line = json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return Hostile(name, line, record, verdict)


def _raw(name: str, line: bytes, verdict: str = "reject") -> Hostile:
    try:
        value: object = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        value = _NO_JSON
    return Hostile(name, line, value, verdict)


def _punctuation_runs() -> Iterator[Hostile]:
    """Runs of 20,000 of one punctuation mark or symbol, alone and inside a sentence."""
    marks = "?!.,;:'\"()[]{}$%&*-_=+/\\|<>@#~^`…—–“”‘’«»¿¡§¶•"
    for index, mark in enumerate(marks):
        yield _record(f"run-{index}", "either", f"Putin said {mark * 20_000} on Friday.")
    for index, mark in enumerate("?!.$'\"(-…"):
        yield _record(f"bare-run-{index}", "either", mark * 20_000)
    yield _record("run-spaced", "either", "a " + "? " * 10_000)
    yield _record("run-mixed", "either", "".join(random.Random(8).choices("?!.,;:'\"()$%a1", k=20_000)))
    yield _record("run-possessive", "either", "He said " + "'s" * 10_000)
    yield _record("run-emoji", "either", "She said " + "\U0001f600" * 5_000)
    yield _record("run-brackets", "either", "(((" + "a" * 10 + ")))" * 3_000)
    yield _record("run-hyphens", "either", "a-" * 10_000)


def _huge_texts() -> Iterator[Hostile]:
    """Texts far beyond the size limit, just under it, and long lines and words."""
    yield _record("huge-5mb-words", "reject", "word " * 1_000_000)
    yield _record("huge-5mb-question", "reject", "?" * 5_000_000)
    yield _record("huge-over-limit", "reject", "a" * 2_000_001)
    yield _record("huge-1mb-one-word", "read", "Hello " + "x" * 1_000_000 + " there.")
    yield _record("huge-1mb-whitespace", "read", "Hi." + " " * 1_000_000 + "\n" * 1_000 + "Bye.")
    yield _record("huge-url", "read", "See https://example.org/" + "a/" * 200_000 + " now.")
    yield _record("long-line-words", "read", "the cat sat on the mat and " * 700)
    yield _record("long-word-100k", "read", "x" * 100_000)
    yield _record("many-lines", "read", "Yes.\n" * 20_000)
    yield _record("many-blank-lines", "read", "Start." + "\n" * 200_000 + "End.")


def _control_characters() -> Iterator[Hostile]:
    """Every C0 control but tab, line feed and carriage return, DEL and some C1 controls."""
    allowed = {0x09, 0x0A, 0x0D}
    for code in [*range(0x00, 0x20), 0x7F, 0x80, 0x85, 0x8D, 0x9B, 0x9F]:
        if code not in allowed:
            yield _record(f"control-{code:02x}", "reject", f"He said{chr(code)} it was over.")
    yield _record("control-tab-cr", "read", "He said\tit\r\nwas over.\r\n")


def _invisible_and_bidi() -> Iterator[Hostile]:
    """Zero-width, bidi, separators, soft hyphens, combining stacks: legal text to be read."""
    for code in [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x00AD, 0x2028, 0x2029, 0x061C, 0x180E]:
        yield _record(f"invisible-{code:04x}", "read", f"Putin{chr(code)} said on{chr(code)} "
                      f"Friday{chr(code) * 50} that talks{chr(code)} would resume.")
    yield _record("zero-width-only", "either", "\u200b\u200c\u200d" * 100)
    yield _record("zalgo", "read", "Putin said " + "a" + "\u0301\u0316\u0324" * 2_000 + " today.")


def _scripts() -> Iterator[Hostile]:
    """Mixed scripts, homoglyphs, right-to-left text, exotic digits."""
    texts = {
        "cyrillic-homoglyphs": "Рutin sаid on Frіday thаt the tаlks would resume.",
        "arabic": "قال الوزير يوم الجمعة إن المحادثات ستستأنف في ٢٠٢٢.",
        "hebrew": "השר אמר ביום שישי כי השיחות יתחדשו.",
        "mixed-rtl": "The minister said \u202eyadirF no\u202c that talks would resume.",
        "cjk": "部长周五表示，会谈将于２０２２年１０月恢复。",
        "japanese": "大臣は金曜日に協議が再開されると述べた。",
        "devanagari": "मंत्री ने शुक्रवार को कहा कि बातचीत १० अक्टूबर को फिर शुरू होगी।",
        "thai": "รัฐมนตรีกล่าวเมื่อวันศุกร์ว่าการเจรจาจะกลับมาดำเนินต่อ",
        "math-letters": "𝐓𝐡𝐞 𝐦𝐢𝐧𝐢𝐬𝐭𝐞𝐫 said on 𝐅𝐫𝐢𝐝𝐚𝐲 that talks resume in 𝐌𝐚𝐫𝐜𝐡.",
        "fullwidth": "Ｔｈｅ minister said on Ｆｒｉｄａｙ, Ｏｃｔｏｂｅｒ １４, ２０２２.",
        "emoji-zwj": "The minister 👩‍👩‍👧‍👦 said 🏳️‍🌈 on Friday 🇺🇦 that talks would resume.",
        "greek": "Ο υπουργός είπε την Παρασκευή ότι οι συνομιλίες θα συνεχιστούν.",
        "korean": "장관은 금요일 회담이 재개될 것이라고 말했다.",
        "private-use": "The minister \ue000\uf8ff said on Friday that talks \U000f0000 resume.",
        "noncharacters": "The minister \ufffe\uffff said on Friday that talks would resume.",
        "astral-digits": "On 𝟏𝟐 March 𝟐𝟎𝟐𝟐 the minister said talks would resume.",
    }
    for name, text in texts.items():
        yield _record(name, "read", text)


def _empty_texts() -> Iterator[Hostile]:
    for index, text in enumerate(["", " ", "\n\n\n", "\t", "\r\n", " \t\r\n " * 1000]):
        yield _record(f"empty-{index}", "reject", text)
    for index, text in enumerate(["\u00a0", "\u2003", "\u3000", "\u2028\u2029"]):
        yield _record(f"unicode-space-{index}", "reject", text)
    yield _record("one-letter", "read", "a")
    yield _record("one-digit", "read", "7")
    yield _record("one-dot", "either", ".")


def _absurd_published() -> Iterator[Hostile]:
    """Publication dates that are not dates, and dates at the ends of the calendar, with text
    that asks for arithmetic on them ("last year", "in two weeks")."""
    relative = ("Last year, the minister said on Friday that in two weeks, next month, the "
                "day after tomorrow and 300 years ago the talks would resume early next decade.")
    bad = ["0000-00-00", "2022-02-30", "2022-13-01", "-2022-01-01", "20221015",
           "2022-10-15T00:00:00", "yesterday", "", " 2022-10-15", "２０２２-１０-１５",
           "2022-10-15\n", "99999-01-01", "٢٠٢٢-١٠-١٥"]
    for index, value in enumerate(bad):
        yield _record(f"published-bad-{index}", "reject", relative, published=value)
    for index, value in enumerate(["0001-01-01", "9999-12-31", "1970-01-01", "2100-02-28",
                                   "1000-06-15", "0001-01-02", "9999-12-30"]):
        yield _record(f"published-edge-{index}", "read", relative, published=value)
    yield _record("text-absurd-dates", "read", "He said on 31 February 2022, on 0 March 0000, "
                  "on 99/99/9999, in the year 99999, on 9999-12-32 and in 10000 BC it rained.")


def _wrong_types(trap: str) -> Iterator[Hostile]:
    """JSON records whose fields have the wrong type, and lines that are not records."""
    for index, value in enumerate([5, None, [], {}, True, 1.5, "", "has space", "a/b", "x" * 10_000]):
        yield _raw(f"id-type-{index}", json.dumps({"id": value, "text": _SAID}).encode(),
                   "read" if index == 9 else "reject")
    for index, value in enumerate([5, None, [], {"a": 1}, True, ["a", "b"], 1e308]):
        yield _raw(f"text-type-{index}", json.dumps({"id": f"t{index}", "text": value}).encode())
    for index, (field, value) in enumerate([("published", 20221015), ("published", ["2022"]),
                                            ("title", {"a": 1}), ("url", [1]), ("source", 5),
                                            ("title", True)]):
        record = {"id": f"f{index}", "text": _SAID, field: value}
        yield _raw(f"field-type-{index}", json.dumps(record).encode())
    for index, line in enumerate([b"[]", b"5", b'"text"', b"null", b"true", b"{", b"{}",
                                  b'{"id": "a", "text": "b",}', b"{'id': 'a'}", b"NaN",
                                  b'{"id": "nan", "text": NaN}', b'{"id":"a","id":"b","text":"c"}']):
        yield _raw(f"not-a-record-{index}", line, "read" if index == 11 else "reject")
    yield _raw("extra-fields", json.dumps({"id": "extra", "text": _SAID, "@context":
                                           f"{trap}/ctx", "x": [1]}).encode(), "read")


def _nested() -> Iterator[Hostile]:
    """Deeply nested JSON: as a whole line, and inside fields of an otherwise good record."""
    for depth in (1_000, 100_000):
        yield _raw(f"nested-list-{depth}", b"[" * depth + b"]" * depth)
        yield _raw(f"nested-object-{depth}", b'{"a":' * depth + b"1" + b"}" * depth)
        inner = b"[" * depth + b"]" * depth
        yield _raw(f"nested-title-{depth}",
                   b'{"id": "n%d", "text": "Hi there.", "title": ' % depth + inner + b"}")
        yield _raw(f"nested-unclosed-{depth}", b'{"id": "u", "text": ' + b"[" * depth)


def _bad_bytes() -> Iterator[Hostile]:
    """Lines that are not UTF-8: broken sequences, UTF-16 and UTF-32, lone surrogates."""
    def line(text: bytes) -> bytes:
        return b'{"id": "enc", "text": "He said ' + text + b' on Friday."}'

    broken = [b"\xff", b"\xc3", b"\xc3\x28", b"\xe2\x82", b"\xf0\x9f\x98", b"\xc0\x80",
              b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80",
              b"\xf8\x88\x80\x80\x80", b"\x80", b"\xfe\xff"]
    for index, raw in enumerate(broken):
        yield _raw(f"utf8-broken-{index}", line(raw))
    record = json.dumps({"id": "utf16", "text": _SAID})
    for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        yield _raw(f"encoded-{codec}", record.encode(codec))
    yield _raw("bom-mid-line", line("\ufeff".encode()), "read")
    for index, escape in enumerate([b"\\ud800", b"\\udfff", b"\\ud83d", b"\\ude00\\ud83d"]):
        yield _raw(f"json-lone-surrogate-{index}", line(escape))
    yield _raw("json-pair-surrogate", line(b"\\ud83d\\ude00"), "read")
    yield _raw("json-nul-escape", line(b"\\u0000"))


def _rdf_as_text(url: str) -> Iterator[Hostile]:
    """RDF, XML and JSON-LD meant to make a parser expand entities or fetch ``url``: to the
    reader, which parses no RDF from users, just text."""
    texts = {
        "rdfxml-billion-laughs": '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 10))
        + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="x"><p>&lol9;</p></rdf:Description></rdf:RDF>',
        "rdfxml-external-entity": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM '
        f'"file:///etc/passwd"><!ENTITY y SYSTEM "{url}/y">]><rdf:RDF>&x;&y;</rdf:RDF>',
        "doctype-parameter-entity": f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/dtd"> %p;]>',
        "jsonld-remote-context": json.dumps({"@context": f"{url}/context.jsonld",
                                             "@id": "x", "name": "said on Friday"}),
        "jsonld-import": json.dumps({"@context": {"@import": f"{url}/c", "@version": 1.1}}),
        "turtle-remote": f"@base <{url}/> . @prefix x: <{url}/x#> . <a> x:said \"Friday\" .",
        "sparql-load": f"LOAD <{url}/data.ttl> INTO GRAPH <{url}/g>",
        "sparql-service": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "xinclude": f'<x xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{url}/a"/></x>',
        "html-script": f'<script src="{url}/a.js"></script><img src="{url}/i.png"> He said hi.',
        "log4shell": "${jndi:" + url.replace("http", "ldap") + "/a} said on Friday it was over.",
        "template": "{{7*7}} ${7*7} %s%n%x {0.__class__} said on Friday.",
        "nquads-injection": '"> <x> <y> <z> .\n<a> <b> "c" <g> .\n_:b0 <p> "\\u0000" .',
    }
    for name, text in texts.items():
        yield _record(name, "read", text)


def _ids() -> Iterator[Hostile]:
    for index, value in enumerate(["\u202eevil", "zero\u200bwidth", "..", ".", "%2F%2E", "ü-ñ-中",
                                   "a" * 1_000, "CON", "-rf", "\ud800"]):
        line = json.dumps({"id": value, "text": _SAID}, ensure_ascii=True).encode()
        yield _raw(f"id-odd-{index}", line, "reject" if index == 9 else "either")


def hostile_inputs(trap: str = DEFAULT_TRAP) -> list[Hostile]:
    """Every hostile input, in a fixed order (at least 200); URLs in them point at ``trap``."""
    return [
        *_punctuation_runs(), *_huge_texts(), *_control_characters(), *_invisible_and_bidi(),
        *_scripts(), *_empty_texts(), *_absurd_published(), *_wrong_types(trap), *_nested(),
        *_bad_bytes(), *_rdf_as_text(trap), *_ids(),
    ]


#: Words that say nothing about time, and the words the date reader has mistaken for dates.
_NEUTRAL = (
    "apple table green run walk house dog cat blue fast slow people cars page room chapter "
    "score goals river stone bright quiet loud paper window garden engine bridge market "
    "a an the of and to is was he she it they we you will would can could might"
).split()
_BAIT = "a 12 7 3 99 100 250 1,000 2.5 3.5% 42 No. #1 1st 2nd 3rd 12th".split()
#: Month, day and season words in senses that are not dates, one sentence each.
NON_DATE_SENTENCES = (
    "I may go.", "You may leave if you like.", "It may rain.", "May I ask a question?",
    "The march of the soldiers was loud.", "They march through the square.",
    "He will march on the capital.", "An august institution opened its doors.",
    "April said hello to everyone.", "June told reporters she was tired.",
    "Summer asked for a glass of water.", "Jan wrote a letter to the editor.",
    "The sun was bright.", "Sat down and ate.", "They wed in a small church.",
    "A second attempt failed.", "Spring water is clean.", "The fall of the empire was swift.",
    "He had a spring in his step.", "The 12 apostles are painted on the wall.",
    "Page 12 is missing.", "Room 101 is locked.", "The score was 12 to 7.",
    "Chapter 11 protection was sought.", "A Boeing 737 landed.", "Windows 10 crashed again.",
    "Route 66 is long.", "Apollo 13 returned.", "Catch-22 is a novel.", "PS5 sales rose.",
    "COVID-19 spread.", "The G7 met.", "Agent 007 smiled.", "He scored 12.", "12.",
    "A.", "a", "12", "may", "March", "Mar", "Dec", "Sun", "Wed", "Sat", "Mon",
    "They counted 1,998 votes.", "About 2000 people came.", "He has 1999 points.",
    "She read 3.5 pages.", "It costs 12 dollars.", "The ratio is 3/4.",
)


def nonsense_corpus(count: int = 400, *, seed: int = 12) -> list[str]:
    """Texts with no time expression: the sentences above, and random word salad mixing
    neutral words with the numbers and articles that lenient date parsers turn into dates."""
    rng = random.Random(seed)
    salad = []
    for _ in range(count):
        words = rng.choices(_NEUTRAL + _BAIT, k=rng.randint(1, 14))
        salad.append(" ".join(words).capitalize() + rng.choice([".", "", "!", "?"]))
    return [*NON_DATE_SENTENCES, *salad]
