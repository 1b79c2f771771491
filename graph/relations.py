"""Relations between merged nodes, each with an explanation a person can read.

- **about**: a statement names an event (their evidence overlaps in an article);
- **causes**: the text states that one event caused another ("in retaliation for");
- **contradicts**: two sources' claims cannot both hold — conflicting figures for the same
  quantity (300,000 vs one million mobilised; not 220,000 vs 222,000, which is rounding), or
  opposite assessments of the same matter ("failed" vs "a success", "going as planned" vs
  "definitely losing"). Never between reports of one statement, which are one node.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from graph.model import EventNode, Extraction, Relation, StatementNode
from graph.similarity import terms

#: Figures closer than this ratio are the same figure rounded, not a contradiction.
FIGURE_RATIO = 1.5
#: Statements further apart in time than this are not judged against each other.
CONTRADICTION_WINDOW = timedelta(days=45)
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|a|two|three|four|five|ten|hundreds of|"
    r"thousands of|tens of thousands of)\s*(million|thousand|billion)?(?![\w])",
    re.IGNORECASE,
)
_WORD_VALUES = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NEGATION = frozenset({"not", "no", "never", "nothing", "n't", "didn't", "did not", "hasn't", "isn't", "wasn't"})


def _mention_index(nodes: Sequence[StatementNode] | Sequence[EventNode]) -> dict[tuple[str, int], str]:
    index = {}
    for node in nodes:
        for mention in node.mentions:
            index[(mention.article_id, mention.evidence[0].start)] = node.id
    return index


def about_relations(
    extractions: Sequence[Extraction], statements: Sequence[StatementNode], events: Sequence[EventNode]
) -> list[Relation]:
    statement_of = _mention_index(statements)
    event_of = _mention_index(events)
    found: dict[tuple[str, str], Relation] = {}
    for extraction in extractions:
        for s_index, e_index in extraction.about:
            statement = extraction.statements[s_index]
            event = extraction.events[e_index]
            source = statement_of.get((statement.article_id, statement.evidence[0].start))
            target = event_of.get((event.article_id, event.evidence[0].start))
            if source and target and (source, target) not in found:
                found[(source, target)] = Relation(
                    "about", source, target,
                    f"the statement names the event in {extraction.article.id}: “{event.evidence[0].text}”",
                    0.8, ((event.article_id, event.evidence[0]),),
                )
    return list(found.values())


def causal_relations(extractions: Sequence[Extraction], events: Sequence[EventNode]) -> list[Relation]:
    event_of = _mention_index(events)
    found: dict[tuple[str, str], Relation] = {}
    for extraction in extractions:
        for cause_index, effect_index, cue in extraction.causes:
            cause, effect = extraction.events[cause_index], extraction.events[effect_index]
            source = event_of.get((cause.article_id, cause.evidence[0].start))
            target = event_of.get((effect.article_id, effect.evidence[0].start))
            if source and target and source != target:
                found[(source, target)] = Relation(
                    "causes", source, target,
                    f"{extraction.article.id} states it: “{cue.text}”",
                    0.9, ((extraction.article.id, cue),),
                )
    return list(found.values())


@dataclass(frozen=True)
class Figure:
    value: float
    context: frozenset[str]
    text: str


def figures(text: str, concept_of: dict[str, str]) -> list[Figure]:
    """Large quantities in ``text`` with the words around them (concept ids for topic cues)."""
    found = []
    for match in _NUMBER.finditer(text):
        number, scale = match.group(1).lower(), (match.group(2) or "").lower()
        if number in _WORD_VALUES:
            if not scale:
                continue
            value = float(_WORD_VALUES[number])
        elif number[0].isdigit():
            value = float(number.replace(",", ""))
        else:
            continue
        value *= _SCALE.get(scale, 1)
        if value < 1_000:
            continue
        window = text[max(0, match.start() - 60): match.end() + 60]
        words = set(terms(window)) - set(terms(match.group(0)))
        context = frozenset(concept_of.get(w, w) for w in words)
        found.append(Figure(value, context, match.group(0).strip()))
    return found


def _node_text(node: StatementNode) -> str:
    return " ".join(e.text for m in node.mentions for e in m.evidence)


def _close_in_time(a: StatementNode, b: StatementNode) -> bool:
    if not (a.date.resolved and b.date.resolved):
        return False
    gap = max(a.date.begin - b.date.end, b.date.begin - a.date.end)  # type: ignore[operator]
    return gap <= CONTRADICTION_WINDOW


@lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A judging phrase as a whole word or word start, in a lowered text padded with spaces."""
    return re.compile(rf" {re.escape(phrase)}\w* ")


def polarity(text: str, positive: Sequence[str], negative: Sequence[str]) -> int:
    """+1 / -1 when the text judges something as going well / badly, 0 otherwise."""
    lowered = " " + " ".join(re.findall(r"[\w']+", text.lower().replace("’", "'"))) + " "
    score = 0
    for sign, phrases in ((1, positive), (-1, negative)):
        for phrase in phrases:
            if f" {phrase}" not in lowered:
                continue
            for match in _phrase_pattern(phrase).finditer(lowered):
                before = lowered[max(0, match.start() - 20): match.start()].split()[-3:]
                flipped = any(w in _NEGATION for w in before)
                score += -sign if flipped else sign
    return (score > 0) - (score < 0)


def polarities(
    nodes: Sequence[StatementNode], positive: Sequence[str], negative: Sequence[str]
) -> dict[str, set[int]]:
    """Each statement's assessments, one per report: {+1} going well, {-1} badly, both, none."""
    return {
        n.id: {p for m in n.mentions if (p := polarity(" ".join(e.text for e in m.evidence), positive, negative))}
        for n in nodes
    }


def contradictions(
    nodes: Sequence[StatementNode], *, concept_of: dict[str, str] | None = None,
    positive: Sequence[str] = (), negative: Sequence[str] = (),
    about: dict[str, set[str]] | None = None,
) -> list[Relation]:
    concept_of = concept_of or {}
    about = about or {}
    texts = {n.id: _node_text(n) for n in nodes}
    numbers = {n.id: figures(texts[n.id], concept_of) for n in nodes}
    polarity = polarities(nodes, positive, negative)
    found = []
    for i, j in _candidates(nodes, numbers, polarity, about):
        a, b = nodes[i], nodes[j]
        if a.speaker.id == b.speaker.id or not _close_in_time(a, b):
            continue
        relation = _conflicting_figures(a, b, numbers) or _opposite_assessments(a, b, polarity, about)
        if relation:
            found.append(relation)
    return found


def _candidates(
    nodes: Sequence[StatementNode], numbers: dict[str, list[Figure]], polarity: dict[str, set[int]],
    about: dict[str, set[str]],
) -> list[tuple[int, int]]:
    """Index pairs (in node order) that could contradict: dated nodes sharing a key — a topic or
    an event for judged ones, a context word of a figure for ones with figures — whose dates lie
    within the window (a sweep over begin dates per key). The work grows with the nodes sharing
    a matter at one time, not with the square of the graph."""
    keys: dict[str, set[int]] = {}
    for i, node in enumerate(nodes):
        if not node.date.resolved:
            continue
        own = {f"word:{w}" for f in numbers[node.id] for w in f.context}
        if polarity[node.id]:
            own |= {f"topic:{t}" for t in node.topics} | {f"event:{e}" for e in about.get(node.id, ())}
        for key in own:
            keys.setdefault(key, set()).add(i)
    pairs: set[tuple[int, int]] = set()
    for members in keys.values():
        ordered = sorted(members, key=lambda k: nodes[k].date.begin)  # type: ignore[arg-type, return-value]
        for x, i in enumerate(ordered):
            for j in ordered[x + 1:]:
                if nodes[j].date.begin - nodes[i].date.end > CONTRADICTION_WINDOW:  # type: ignore[operator]
                    break
                pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def _conflicting_figures(a: StatementNode, b: StatementNode, numbers: dict[str, list[Figure]]) -> Relation | None:
    for x in numbers[a.id]:
        for y in numbers[b.id]:
            shared = x.context & y.context
            ratio = max(x.value, y.value) / min(x.value, y.value)
            if len(shared) >= 2 and ratio >= FIGURE_RATIO:
                return Relation(
                    "contradicts", a.id, b.id,
                    f"conflicting figures for the same quantity: {a.speaker.name} gives {x.text}, "
                    f"{b.speaker.name} gives {y.text} (ratio {ratio:.1f}; shared context: "
                    f"{', '.join(sorted(shared))})",
                    0.7,
                )
    return None


def _opposite_assessments(
    a: StatementNode, b: StatementNode, polarity: dict[str, set[int]], about: dict[str, set[str]]
) -> Relation | None:
    """Some report of one judges the matter as going well and some report of the other as going
    badly (judged per report: one report may weigh setbacks against success)."""
    if not ((1 in polarity[a.id] and -1 in polarity[b.id]) or (-1 in polarity[a.id] and 1 in polarity[b.id])):
        return None
    same_event = about.get(a.id, set()) & about.get(b.id, set())
    same_topic = set(a.topics) & set(b.topics)
    if not same_event and not same_topic:
        return None
    matter = f"the same event ({', '.join(sorted(same_event))})" if same_event else f"the same topic ({', '.join(sorted(same_topic))})"
    good, bad = (a, b) if 1 in polarity[a.id] and -1 in polarity[b.id] else (b, a)
    return Relation(
        "contradicts", a.id, b.id,
        f"opposite assessments of {matter}: {good.speaker.name} judges it as going well, "
        f"{bad.speaker.name} as going badly",
        0.6 if same_event else 0.5,
    )

