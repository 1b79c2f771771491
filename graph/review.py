"""Human review overrides the machine: decisions applied to merges and relations.

Decisions name nodes by their member mentions (see :class:`graph.model.Review`), so they apply
to whatever nodes a rebuild produces: an accepted merge joins the nodes holding its mentions, a
rejected one keeps its target mentions apart, and relations are dropped, confirmed or added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from graph.model import Relation, Review

#: Relation types that hold in both directions.
SYMMETRIC = frozenset({"contradicts", "repeats", "supports"})
ACCEPTED = "accepted by a reviewer"


def apply_merge_reviews(
    groups: list[list[int]], mention_ids: Sequence[str], reviews: Sequence[Review]
) -> list[list[int]]:
    """Groups of mention indices after accepted merges (joined) and rejected ones (split off)."""
    index = {m: i for i, m in enumerate(mention_ids)}
    owner = {i: g for g in groups for i in g}
    for review in (r for r in reviews if r.kind == "merge" and r.verdict == "accept"):
        members = [index[m] for m in review.source + review.target if m in index]
        for i in members[1:]:
            a, b = owner[members[0]], owner[i]
            if a is not b:
                a.extend(b)
                for k in b:
                    owner[k] = a
    for review in (r for r in reviews if r.kind == "merge" and r.verdict == "reject"):
        sources = {index[m] for m in review.source if m in index}
        targets = {index[m] for m in review.target if m in index}
        for group in {id(owner[i]): owner[i] for i in sources}.values():
            moved = [k for k in group if k in targets]
            if moved and len(moved) < len(group):
                group[:] = [k for k in group if k not in targets]
                for k in moved:
                    owner[k] = moved
    return list({id(g): g for g in owner.values()}.values())


def _matches(relation: Relation, kind: str | None, sources: set[str], targets: set[str]) -> bool:
    if relation.type != kind:
        return False
    if relation.source in sources and relation.target in targets:
        return True
    return relation.type in SYMMETRIC and relation.source in targets and relation.target in sources


def apply_relation_reviews(
    relations: list[Relation], node_of: dict[str, str], reviews: Sequence[Review]
) -> list[Relation]:
    """Relations after the decisions: rejected ones dropped, accepted ones confirmed or added.

    ``node_of`` maps mention ids to the ids of the nodes holding them now.
    """
    result = list(relations)
    for review in (r for r in reviews if r.kind == "relation"):
        sources = {node_of[m] for m in review.source if m in node_of}
        targets = {node_of[m] for m in review.target if m in node_of}
        if not sources or not targets:
            continue
        hit = [_matches(r, review.relation_type, sources, targets) for r in result]
        if review.verdict == "reject":
            result = [r for r, h in zip(result, hit) if not h]
            continue
        note = f"{ACCEPTED}: {review.note}" if review.note else ACCEPTED
        if any(hit):
            result = [replace(r, explanation=f"{r.explanation} ({note})", confidence=1.0) if h else r
                      for r, h in zip(result, hit)]
        else:
            result.append(Relation(review.relation_type or "supports", min(sources), min(targets), note, 1.0))
    return result
