"""What the store remembers of its last link: the articles it read and the members of each node,
so the next build places only the new articles' mentions (:class:`graph.link.Earlier`)."""

from __future__ import annotations

from collections import defaultdict

from graph.link import Earlier
from graph.vocab import LINKS_GRAPH, id_of, segment_of

_READ = "SELECT ?a ?hash WHERE { GRAPH ?links { ?a tkg:linkedContent ?hash } }"
_MEMBERS = "SELECT ?node ?m WHERE { GRAPH ?links { ?node tkg:hasMention ?m } }"


def earlier_link(store) -> Earlier | None:
    """The last link's reading of ``store`` (a :class:`~graph.store.Store` or a remote one);
    None when it has none to build on: never linked, or linked by a version that did not
    record what it read."""
    read = {segment_of(str(row["a"]), "article"): str(row["hash"])
            for row in store.select(_READ, links=LINKS_GRAPH)}
    if not read:
        return None
    groups: dict[str, list[str]] = defaultdict(list)
    for row in store.select(_MEMBERS, links=LINKS_GRAPH):
        groups[id_of(str(row["node"]))].append(id_of(str(row["m"])))
    return Earlier(read, [sorted(groups[node]) for node in sorted(groups)])
