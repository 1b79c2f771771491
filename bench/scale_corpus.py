"""Write a larger corpus for the scale benchmarks by recombining real paragraphs.

Each synthetic article starts from a real document of ``../shared/corpora/`` (its title,
publication date, source and first paragraph) and goes on with paragraphs drawn from other
documents of the same collection published within ``--window-days`` of it, until it holds about
``--words`` words. Paragraphs are whole (a quote is never cut in half), so the reader meets real
sentences with their speakers, dates and events; a paragraph reappears in several synthetic
articles, as wire copy does in a real archive, so cross-article merging is exercised too. The
draw is seeded: the same arguments write the same file.

    .venv/bin/python bench/scale_corpus.py --articles 10000 -o /tmp/scale-10k.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _documents(folder: Path) -> dict[str, list[dict]]:
    """The dated documents of each collection (one file a collection), by publication date."""
    collections = {}
    for path in sorted(folder.glob("*.jsonl")):
        documents = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        dated = [d for d in documents if d.get("published") and d.get("text")]
        collections[path.stem] = sorted(dated, key=lambda d: (d["published"], d["id"]))
    return collections


#: Paragraphs shorter than this many words are headings or captions, longer ones transcript
#: monologues that would make every article a transcript; both are left out.
PARAGRAPH_WORDS = (8, 150)


def _paragraphs(text: str) -> list[str]:
    low, high = PARAGRAPH_WORDS
    return [p.strip() for p in text.splitlines() if low <= len(p.split()) <= high]


def synthetic_articles(
    collections: dict[str, list[dict]], count: int, *, words: int = 300, window_days: int = 30, seed: int = 7,
) -> Iterator[dict]:
    """``count`` recombined articles (dicts in the ``.jsonl`` input shape), one at a time."""
    rng = random.Random(seed)
    names = sorted(collections)
    days = {name: [date.fromisoformat(d["published"][:10]) for d in collections[name]] for name in names}
    for k in range(count):
        name = names[k % len(names)]
        documents = collections[name]
        base = rng.choice(documents)
        day = date.fromisoformat(base["published"][:10])
        low = bisect_left(days[name], day - timedelta(days=window_days))
        high = bisect_right(days[name], day + timedelta(days=window_days))
        paragraphs = _paragraphs(base["text"])[:1]
        total = sum(len(p.split()) for p in paragraphs)
        for _ in range(40):
            if total >= words:
                break
            donor = documents[rng.randrange(low, high)]
            candidates = _paragraphs(donor["text"])
            if candidates:
                paragraph = rng.choice(candidates)
                paragraphs.append(paragraph)
                total += len(paragraph.split())
        yield {"id": f"synthetic-{k:06d}", "title": base.get("title") or "", "published": base["published"],
               "source": base.get("source") or "", "url": f"https://example.org/synthetic/{k:06d}",
               "text": "\n\n".join(paragraphs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="how many articles to write")
    parser.add_argument("--words", type=int, default=300, help="about how many words an article holds")
    parser.add_argument("--window-days", type=int, default=30, help="how far apart donor documents may be")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="folder of real .jsonl collections")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the .jsonl file to write")
    args = parser.parse_args(argv)
    collections = _documents(args.corpora)
    if not collections:
        print(f"no .jsonl collections in {args.corpora}", file=sys.stderr)
        return 2
    written = words = 0
    with args.output.open("w", encoding="utf-8") as out:
        for article in synthetic_articles(collections, args.articles, words=args.words,
                                          window_days=args.window_days, seed=args.seed):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
            written += 1
            words += len(article["text"].split())
    print(f"{written} articles, {words} words ({words / max(written, 1):.0f} a document) -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
