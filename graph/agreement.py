"""Agreement between statements: a speaker **repeats** a position; sources **support** each other.

- *repeats*: the same speaker says the same thing again at least a week later ("we have never
  refused to negotiate … on the basis of the documents initialled in Istanbul" in 2024, after
  "those agreements were almost initialled" in 2022);
- *supports*: two different sources judge the same matter the same way at about the same time.

Candidates share a rare word (an inverted index skips words common to many statements), so the
work grows with the statements that could agree, not with their square.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from graph.model import Relation, StatementNode
from graph.statement_merge import similarity, word_vectors

#: Similarity from which a later statement restates an earlier one.
REPEAT_SIMILARITY = 0.3
#: Similarity from which two sources' judgements support each other.
SUPPORT_SIMILARITY = 0.3
#: A restatement comes at least this long after the first statement.
REPEAT_GAP = timedelta(days=7)
#: Sources support each other only about the same time.
SUPPORT_WINDOW = timedelta(days=45)
#: Words shared by more statements than this do not make candidates.
COMMON = 50


def _text(node: StatementNode) -> str:
    return " ".join(e.text for m in node.mentions for e in m.evidence)


def _candidates(vectors: list[dict[str, float]]) -> set[tuple[int, int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in vector:
            if not term.startswith(("topic:", "synonyms:")):
                index[term].append(i)
    pairs = set()
    for members in index.values():
        if len(members) <= COMMON:
            pairs |= {(a, b) for x, a in enumerate(members) for b in members[x + 1:]}
    return pairs


def _same_event(nodes: Sequence[StatementNode], about: dict[str, set[str]]) -> set[tuple[int, int]]:
    by_event: dict[str, list[int]] = defaultdict(list)
    for i, node in enumerate(nodes):
        for event in about.get(node.id, ()):
            by_event[event].append(i)
    return {(a, b) for members in by_event.values() for x, a in enumerate(members) for b in members[x + 1:]}


def agreements(
    nodes: Sequence[StatementNode], concepts: dict[str, tuple[str, ...]], polarity: dict[str, set[int]],
    about: dict[str, set[str]] | None = None,
) -> list[Relation]:
    """``repeats`` and ``supports`` relations among dated statements. ``about`` maps statement
    ids to the events they name: two statements of one speaker, a week or more apart, on one
    topic and about one event, restate a position even in other words."""
    about = about or {}
    dated = [n for n in nodes if n.date.resolved]
    vectors = word_vectors([_text(n) for n in dated], concepts)
    similar = similarity(vectors)
    pairs = _candidates(vectors) | _same_event(dated, about)
    found = []
    for i, j in sorted(pairs):
        a, b = sorted((dated[i], dated[j]), key=lambda n: (n.date.begin, n.id))
        shared = set(a.topics) & set(b.topics)
        if not shared:
            continue
        score = similar(i, j)
        events = about.get(a.id, set()) & about.get(b.id, set())
        gap = b.date.begin - a.date.end  # type: ignore[operator]
        if a.speaker.id == b.speaker.id and gap >= REPEAT_GAP and (score >= REPEAT_SIMILARITY or events):
            reason = f"both about {', '.join(sorted(events))}" if events else "similar words"
            found.append(Relation(
                "repeats", b.id, a.id,
                f"{a.speaker.name} says again on {b.date.value} what was said on {a.date.value} "
                f"({reason}; shared topics: {', '.join(sorted(shared))})",
                round(min(max(score, 0.5 if events else 0.0), 1.0), 2),
            ))
        elif (
            a.speaker.id != b.speaker.id and abs(gap) <= SUPPORT_WINDOW and score >= SUPPORT_SIMILARITY
            and polarity.get(a.id) and polarity.get(a.id) == polarity.get(b.id)
        ):
            judgement = "well" if 1 in polarity[a.id] else "badly"
            found.append(Relation(
                "supports", a.id, b.id,
                f"{a.speaker.name} and {b.speaker.name} both judge it as going {judgement} "
                f"(similar words, shared topics: {', '.join(sorted(set(a.topics) & set(b.topics)))})",
                round(min(score, 1.0), 2),
            ))
    return found
