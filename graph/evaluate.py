"""Scoring the store's reading (the JSON export) against a gold file (``*.gold.json``).

Follows ``GUIDELINES.md`` of the shared eval folder. The system side is the JSON export
contract: ``{articles, statements, events, relations}``; the gold side is the gold format.
Every figure is a :class:`~graph.evaluate_types.Ratio`; its value is None ("n/a") when the
denominator is empty. *Optional* gold items are never required and never count against a
system that finds them.

Matching
    A system span covers a gold span of length ``L`` (same article) with fraction
    ``overlap / L``. A system statement (event) *matches* a gold statement (event) when one of
    its evidence spans covers ≥ 0.5 of one of the gold evidence spans (mentions). Gold spans
    longer than 1,200 code points, or empty, match nothing. A system item may match several gold
    items; its *best* gold item is the one with the largest covered fraction, ties going to the
    one whose overlap fills more of the system span, then to gold file order.

Statements (R = required gold statements; *scored* = system statements except those that match
only optional gold statements; *pairs* = (scored system statement, its best gold statement)
where that best gold statement is required)
    recall            gold in R matched by some system statement / |R|
    precision         scored system statements matching some gold statement / |scored|
    speaker accuracy  pairs whose speaker is right / |pairs|. Right: a name key of the system
                      speaker's name, id (the part after the last "/"), aliases or wikidata QID
                      equals a name key of the gold speaker or one of its aliases; a name key
                      ignores case, accents, punctuation and leading "the"/"Mr"/"Dr"… words.
    date accuracy     pairs whose date is right / |pairs|. Right: system ``begin`` and ``end``
                      both set and ``lo <= begin <= end <= hi`` for the gold ``date_window``;
                      an unresolved date (a null bound) is wrong.
    full recall       gold in R matched by some system statement with the right speaker and
                      date *for that gold statement* / |R|
    full precision    scored system statements matching some gold statement with the right
                      speaker and date for it / |scored|
    cited-by recall   over (g in R, each distinct article among g's evidence): share where some
                      system statement matching a span of g *in that article* lists that
                      article in its ``cited_by``
    merge accuracy    over g in R with ≥ 2 evidence spans, every unordered pair of its spans:
                      share of pairs covered (≥ 0.5 each) by one and the same system statement;
                      a pair with an unmatched span is wrong
    kept apart        over pairs of distinct found gold statements in R with the same speaker:
                      share that no one system statement matches both (merging must not
                      swallow a speaker's different points; the check on merge accuracy)

Events (same R, scored, pairs and matching through ``mentions``/``evidence``)
    recall, precision, date accuracy, merge accuracy  as for statements
    per event (every gold event, optional ones flagged): found (some system event matches it),
    dated (some matching system event is dated inside the window), merged (one system event
    covers all its mentions); both n/a if not found, merged n/a with a single mention

Relations (system relations are de-duplicated: contradicts as unordered pairs, causes as ordered)
    contradicts recall     required gold contradicts (a, b) with a system contradicts between
                           two distinct system statements, one matching a and the other b,
                           either direction / required gold contradicts
    contradicts precision  system contradicts pairs matching any gold contradicts pair,
                           optional ones included / all system contradicts pairs
    trap false alarms      system contradicts pairs from a statement to itself, or whose two
                           statements cover (≥ 0.5) the two sides of a ``not_contradicts`` pair
    causes recall          required gold causes (a, b) with a system causes from an event
                           matching a to a distinct event matching b / required gold causes
    causes precision       system causes pairs matching any gold causes pair in its direction,
                           optional ones included / all system causes pairs

Noise hits
    the number of distinct system statements and events with evidence sharing at least one
    code point with a gold ``noise`` span

Queries (only when ``timeline(speaker, topic)`` is given; each gold query is asked once)
    recall     expected gold statements matched by some returned statement / |expect|
    precision  returned statements matching an expected or may_include gold statement /
               returned statements
    in order   taking the returned statements that match, in the order returned, with their best
               gold statement: no earlier one's gold window starts after a later one's gold window
               ends (n/a with fewer than two matches)
"""

from __future__ import annotations

from graph.evaluate_format import format_report, ratio_text
from graph.evaluate_links import Timeline, noise_hits, score_queries, score_relations
from graph.evaluate_match import gold_items, match, system_items
from graph.evaluate_nodes import score_events, score_statements
from graph.evaluate_types import (
    EventLine,
    EventScores,
    NoiseHit,
    QueryScore,
    Ratio,
    RelationScores,
    Report,
    StatementScores,
    Wrong,
)

__all__ = [
    "EventLine",
    "EventScores",
    "NoiseHit",
    "QueryScore",
    "Ratio",
    "RelationScores",
    "Report",
    "StatementScores",
    "Wrong",
    "format_report",
    "ratio_text",
    "score",
]


def _list(data: dict, key: str, side: str) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise TypeError(f"{side} {key!r} must be a list, got {type(value).__name__}")
    return value


def score(system: dict, gold: dict, *, timeline: Timeline | None = None) -> Report:
    """Score a JSON export ``system`` against a gold file ``gold`` (both parsed JSON).

    ``timeline(speaker, topic)``, when given, returns statements (export shape) in the order
    the system's timeline gives them; each gold query is then scored too. Raises ValueError on
    bad values (missing or repeated ids, bad spans or dates, unknown gold ids) and TypeError on
    JSON of the wrong shape (a list where an object belongs …), naming the bad value.
    """
    if not isinstance(system, dict) or not isinstance(gold, dict):
        raise TypeError("score needs the system export and the gold file as JSON objects (dicts)")
    statements = _list(system, "statements", "system")
    events = _list(system, "events", "system")
    gold_statements = _list(gold, "statements", "gold")
    gold_events = _list(gold, "events", "gold")
    statement_items = system_items(statements, "statement")
    event_items = system_items(events, "event")
    gold_statement_items = gold_items(gold_statements, "cited_by")
    gold_event_items = gold_items(gold_events, "mentions")
    statement_matching = match(statement_items, gold_statement_items)
    event_matching = match(event_items, gold_event_items)
    hits = noise_hits(gold, statement_items, event_items)
    return Report(
        statements=score_statements(
            statements, gold_statements, gold_statement_items, statement_matching
        ),
        events=score_events(events, gold_events, gold_event_items, event_matching),
        relations=score_relations(
            system, gold, (statement_items, statement_matching), event_matching
        ),
        noise_hits=len({(hit.kind, hit.system) for hit in hits}),
        noise=hits,
        queries=None if timeline is None else score_queries(gold, timeline),
    )
