"""The RDF mapping: the only module that builds triples (rdflib), and that reads them back.

:func:`article_quads` puts one article's reading in its named graph, :func:`links_quads` the
cross-article reading (merged statements and events, relations) in the links graph, and
:func:`extraction_from_graph` rebuilds an article's :class:`~graph.model.Extraction` from its
graph, exactly, so the linker can re-read everything from the store. That rests on:

- A mention's IRI comes from its first evidence span (:mod:`graph.ids`); ``tkg:index`` is its
  position (``causes``/``about`` refer to it); ``tkg:spanOrder`` and ``tkg:participantOrder``
  keep the order of its evidence spans and participants.
- Other tuples are RDF sets, read back sorted and unique: topics, aliases, furniture,
  warnings, ``about`` and ``causes`` (the readers emit them so).
- One actor node per article graph; ``Actor.description`` (what the article says of the
  speaker there) is also kept on each mention as ``tkg:speakerDescription``. Other fields that
  differ between statements for one actor id read back merged.
- Place and participant names become ``place/<slug>`` and ``actor/<slug>`` nodes with an
  ``rdfs:label``; two names with one slug get two nodes (a digest suffix).
- Evidence nodes are ``tkg:Evidence`` and ``oa:TextPositionSelector`` (Web Annotation).
- ``None`` is not written, nor an empty string where the field defaults to one.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph import ids, vocab
from graph.model import (
    Actor,
    Article,
    EventMention,
    EventNode,
    Extraction,
    Relation,
    Span,
    Statement,
    StatementNode,
    TimeValue,
)
from graph.rdf_index import TripleIndex
from graph.vocab import DCTERMS, OA, OWL, RDF, RDFS, SKOS, TIME, TKG

Triple = tuple[URIRef, URIRef, Node]
Quad = tuple[URIRef, URIRef, Node, URIRef]

RELATION_TYPES = ("contradicts", "causes", "about", "repeats", "supports")
#: What an article graph is read back from: an rdflib graph, or the lighter index the store uses.
Readable = Graph | TripleIndex

_KINDS = {"person": TKG.Person, "organisation": TKG.Organisation, "group": TKG.Group}
_UNITS = {"day": TIME.unitDay, "week": TIME.unitWeek, "month": TIME.unitMonth,
          "year": TIME.unitYear}


# ---------------------------------------------------------------- writing: shared pieces


def _facts(node: URIRef, pairs: Iterable[tuple[URIRef, object]]) -> list[Triple]:
    """``(node, p, literal)`` for every value that is not None."""
    return [(node, p, Literal(v)) for p, v in pairs if v is not None]


def _span_triples(node: URIRef, predicate: URIRef, article_id: str, span: Span) -> list[Triple]:
    """Link ``node`` to the evidence node of ``span`` and describe that node."""
    ev = vocab.evidence_iri(article_id, span.start, span.end)
    return [(node, predicate, ev), (ev, RDF.type, TKG.Evidence),
            (ev, RDF.type, OA.TextPositionSelector),
            (ev, TKG.inArticle, vocab.article_iri(article_id)),
            *_facts(ev, [(TKG.start, span.start), (TKG.endOffset, span.end)]),
            (ev, TKG.text, Literal(span.text))]


def _evidence_triples(node: URIRef, article_id: str, spans: Sequence[Span]) -> list[Triple]:
    order = " ".join(f"{s.start}-{s.end}" for s in spans)
    return [(node, TKG.spanOrder, Literal(order)),
            *(t for span in spans for t in _span_triples(node, TKG.evidence, article_id, span))]


def _date_triples(node: URIRef, link: URIRef, date: TimeValue) -> list[Triple]:
    """Date facts on ``node`` itself, and a ``tkg:TimeInterval`` when a bound is known."""
    bounds = [(p, day) for p, day in ((TKG.begin, date.begin), (TKG.end, date.end)) if day]
    facts = [(TKG.precision, date.precision), (TKG.timemlValue, date.value or None), *bounds]
    triples = _facts(node, [*facts, (TKG.dateAnchor, date.anchor or None)])
    if not bounds:
        return triples
    interval = vocab.time_iri(date.value or f"{date.begin or ''}/{date.end or ''}")
    triples += [(node, link, interval), (interval, RDF.type, TKG.TimeInterval)]
    triples += _facts(interval, facts)
    if date.precision in _UNITS:
        triples.append((interval, TKG.precisionUnit, _UNITS[date.precision]))
    for predicate, day in bounds:
        instant = vocab.instant_iri(day)
        time_link = TIME.hasBeginning if predicate == TKG.begin else TIME.hasEnd
        triples += [(interval, time_link, instant), (instant, RDF.type, TIME.Instant),
                    (instant, TIME.inXSDDate, Literal(day))]
    return triples


def _actor_triples(actor: Actor) -> list[Triple]:
    node = vocab.actor_iri(actor)
    names = [(SKOS.prefLabel, actor.name), *((SKOS.altLabel, a) for a in actor.aliases)]
    triples = [(node, RDF.type, TKG.Actor), *((node, p, Literal(n, lang="en")) for p, n in names)]
    if actor.kind in _KINDS:
        triples.append((node, RDF.type, _KINDS[actor.kind]))
    if actor.wikidata is not None:
        triples.append((node, OWL.sameAs, vocab.wikidata_iri(actor.wikidata)))
    return triples + _facts(node, [(DCTERMS.identifier, actor.id or None),
                                   (TKG.wikidata, actor.wikidata),
                                   (TKG.description, actor.description)])


def _name_node(kind: str, name: str, taken: dict[URIRef, str]) -> URIRef:
    """``…/id/<kind>/<slug>`` for ``name``; a digest suffix if another name took that slug."""
    node = vocab.BASE[f"{kind}/{ids.slug(name)}"]
    if taken.setdefault(node, name) != name:
        node = URIRef(f"{node}-{ids.digest(name, length=8)}")
        taken[node] = name
    return node


def _event_facts(node: URIRef, event: EventMention | EventNode, participants: Sequence[str],
                 places: Iterable[str], taken: dict[URIRef, str]) -> list[Triple]:
    triples = [(node, RDFS.label, Literal(event.label))]
    if event.type:
        triples.append((node, TKG.eventType, vocab.event_type_iri(event.type)))
    triples += _date_triples(node, TKG.happenedOn, event.date)
    actors = [_name_node("actor", name, taken) for name in participants]
    for actor, name in zip(actors, participants, strict=True):
        triples += [(node, TKG.participant, actor), (actor, RDFS.label, Literal(name))]
    if actors:
        order = " ".join(vocab.id_of(actor) for actor in actors)
        triples.append((node, TKG.participantOrder, Literal(order)))
    for name in places:
        where = _name_node("place", name, taken)
        triples += [(node, TKG.place, where), (where, RDF.type, TKG.Place),
                    (where, RDFS.label, Literal(name))]
    return triples


def _mention_iri(mention: Statement | EventMention) -> URIRef:
    if not mention.evidence:
        raise ValueError(f"a mention in article {mention.article_id!r} has no evidence span, "
                         f"and its IRI is minted from the first one")
    first = mention.evidence[0]
    mint = ids.statement_mention_id if isinstance(mention, Statement) else ids.event_mention_id
    return vocab.iri(mint(mention.article_id, first.start, first.end))


# ---------------------------------------------------------------- writing: one article


def _article_triples(article: Article) -> list[Triple]:
    node = vocab.article_iri(article.id)
    triples = [(node, RDF.type, TKG.Article), (node, TKG.text, Literal(article.text))]
    triples += _facts(node, [(DCTERMS.identifier, article.id), (DCTERMS.title, article.title),
                             (TKG.publishedOn, article.published), (TKG.source, article.source),
                             (TKG.url, article.url),
                             (TKG.contentHash, article.content_hash or None)])
    for span in article.furniture:
        triples += _span_triples(node, TKG.furniture, article.id, span)
    return triples


def _mention_triples(node: URIRef, index: int, mention: Statement | EventMention,
                     taken: dict[URIRef, str]) -> list[Triple]:
    article = vocab.article_iri(mention.article_id)
    triples = [(node, TKG.inArticle, article), (node, TKG.index, Literal(index))]
    triples += _evidence_triples(node, mention.article_id, mention.evidence)
    if isinstance(mention, EventMention):
        places = [mention.place] if mention.place is not None else []
        return [(node, RDF.type, TKG.EventMention), *triples,
                *_facts(node, [(TKG.trigger, mention.trigger or None)]),
                *_event_facts(node, mention, mention.participants, places, taken)]
    triples += [(node, RDF.type, TKG.StatementMention),
                (node, TKG.speaker, vocab.actor_iri(mention.speaker)),
                (node, TKG.quote, Literal(mention.quote))]
    triples += _facts(node, [(TKG.speakerResolution, mention.speaker_resolution),
                             (TKG.statementKind, mention.kind),
                             (TKG.dateNote, mention.date_note or None),
                             (TKG.speakerDescription, mention.speaker.description)])
    if mention.cue is not None:
        triples += [(node, TKG.cue, Literal(mention.cue.text)),
                    *_span_triples(node, TKG.cueSpan, mention.article_id, mention.cue)]
    triples += [(node, TKG.topic, vocab.topic_iri(t)) for t in mention.topics]
    return triples + _actor_triples(mention.speaker) + _date_triples(node, TKG.saidOn, mention.date)


def _cause_triples(article_id: str, cause: URIRef, effect: URIRef, cue: Span) -> list[Triple]:
    node = vocab.iri(ids.relation_id("causes", vocab.id_of(cause), vocab.id_of(effect)))
    explanation = f"Article {article_id} states the causal link, with the cue: {cue.text}"
    return [(cause, TKG.causes, effect), (node, RDF.type, TKG.Relation),
            (node, TKG.relationSource, cause), (node, TKG.relationTarget, effect),
            *_facts(node, [(TKG.relationType, "causes"), (TKG.explanation, explanation)]),
            (node, TKG.cue, Literal(cue.text)), *_span_triples(node, TKG.cueSpan, article_id, cue),
            *_span_triples(node, TKG.evidence, article_id, cue)]


def _at(nodes: list[URIRef], index: int, kind: str) -> URIRef:
    if not 0 <= index < len(nodes):
        raise ValueError(f"link to {kind} mention {index}, but the article has {len(nodes)}")
    return nodes[index]


def article_quads(extraction: Extraction) -> list[Quad]:
    """The quads of one article's named graph: the article, its mentions, actors and links.

    Raises ``ValueError`` for a mention without evidence or from another article, two mentions
    minted to one IRI (the same first evidence span), or a link index out of range.
    """
    article, taken = extraction.article, {}
    triples = _article_triples(article)
    nodes: dict[type, list[URIRef]] = {Statement: [], EventMention: []}
    for mention in (*extraction.statements, *extraction.events):
        if mention.article_id != article.id:
            raise ValueError(f"mention of article {mention.article_id!r} in the extraction of "
                             f"{article.id!r}")
        node, same_kind = _mention_iri(mention), nodes[type(mention)]
        if node in same_kind:
            first = mention.evidence[0]
            raise ValueError(f"two mentions of article {article.id!r} share the first evidence "
                             f"span [{first.start}, {first.end}), so one IRI")
        triples += _mention_triples(node, len(same_kind), mention, taken)
        same_kind.append(node)
    statements, events = nodes[Statement], nodes[EventMention]
    first_cues = {(c, e): cue for c, e, cue in reversed(extraction.causes)}  # one link per pair
    for (cause, effect), cue in first_cues.items():
        triples += _cause_triples(article.id, _at(events, cause, "event"),
                                  _at(events, effect, "event"), cue)
    triples += [(_at(statements, s, "statement"), TKG.about, _at(events, e, "event"))
                for s, e in extraction.about]
    warnings = [(TKG.warning, w) for w in extraction.warnings]
    triples += _facts(vocab.article_iri(article.id), warnings)
    return [(s, p, o, vocab.article_graph(article.id)) for s, p, o in dict.fromkeys(triples)]


# ---------------------------------------------------------------- writing: the links graph


def _statement_node_triples(node: StatementNode) -> list[Triple]:
    s = vocab.iri(node.id)
    triples = [(s, RDF.type, TKG.Statement), (s, TKG.speaker, vocab.actor_iri(node.speaker)),
               (s, TKG.quote, Literal(node.quote))]
    triples += [(s, TKG.topic, vocab.topic_iri(t)) for t in node.topics]
    triples += [(s, TKG.hasMention, _mention_iri(m)) for m in node.mentions]
    triples += [(s, TKG.citedBy, vocab.article_iri(a)) for a in node.cited_by]
    return triples + _actor_triples(node.speaker) + _date_triples(s, TKG.saidOn, node.date)


def _event_node_triples(node: EventNode, taken: dict[URIRef, str]) -> list[Triple]:
    e = vocab.iri(node.id)
    participants = list(dict.fromkeys(p for m in node.mentions for p in m.participants))
    places = dict.fromkeys(m.place for m in node.mentions if m.place is not None)
    names = dict.fromkeys(m.label for m in node.mentions if m.label and m.label != node.label)
    return [(e, RDF.type, TKG.Event), *_event_facts(e, node, participants, places, taken),
            *((e, SKOS.altLabel, Literal(name)) for name in names),
            *((e, TKG.hasMention, _mention_iri(m)) for m in node.mentions)]


def _relation_triples(rel: Relation) -> list[Triple]:
    if rel.type not in RELATION_TYPES:
        raise ValueError(f"unknown relation type {rel.type!r}; valid types: "
                         f"{', '.join(RELATION_TYPES)}")
    source, target = vocab.iri(rel.source), vocab.iri(rel.target)
    node = vocab.iri(ids.relation_id(rel.type, rel.source, rel.target))
    triples = [(source, TKG[rel.type], target), (node, RDF.type, TKG.Relation),
               (node, TKG.relationSource, source), (node, TKG.relationTarget, target),
               *_facts(node, [(TKG.relationType, rel.type), (TKG.explanation, rel.explanation),
                              (TKG.confidence, Decimal(str(rel.confidence)))])]
    for article_id, span in rel.evidence:
        triples += _span_triples(node, TKG.evidence, article_id, span)
    return triples


def links_quads(statements: Sequence[StatementNode], events: Sequence[EventNode],
                relations: Sequence[Relation], read: Mapping[str, str] | None = None) -> list[Quad]:
    """The quads of the links graph: merged statements and events, relations (each both a
    direct triple and a reified ``tkg:Relation``), and the content hash of each article ``read``
    (article id → hash) to draw them. ``ValueError`` for an unknown relation type.
    """
    taken: dict[URIRef, str] = {}
    triples = [t for node in statements for t in _statement_node_triples(node)]
    triples += [t for node in events for t in _event_node_triples(node, taken)]
    triples += [t for relation in relations for t in _relation_triples(relation)]
    triples += [(vocab.article_iri(a), TKG.linkedContent, Literal(h)) for a, h in sorted((read or {}).items())]
    return [(s, p, o, vocab.LINKS_GRAPH) for s, p, o in dict.fromkeys(triples)]


# ---------------------------------------------------------------- reading an article graph back


def _text(graph: Readable, node: Node, predicate: URIRef) -> str | None:
    values = sorted(str(v) for v in graph.objects(node, predicate))
    return values[0] if values else None


def _value(graph: Readable, node: Node, predicate: URIRef) -> object:
    """The Python value (int, date) of a literal, None when absent."""
    value = graph.value(node, predicate)
    return value.toPython() if isinstance(value, Literal) else None


def _span(graph: Readable, node: Node) -> Span:
    start, end = _value(graph, node, TKG.start), _value(graph, node, TKG.endOffset)
    return Span(start, end, _text(graph, node, TKG.text) or "")  # type: ignore[arg-type]


def _spans(graph: Readable, node: Node, predicate: URIRef) -> tuple[Span, ...]:
    found = (_span(graph, ev) for ev in graph.objects(node, predicate))
    spans = {(s.start, s.end): s for s in found}
    order = (_text(graph, node, TKG.spanOrder) or "").split()
    keys = [tuple(int(n) for n in pair.split("-")) for pair in order] if order else sorted(spans)
    return tuple(spans[key] for key in keys)


def _date(graph: Readable, node: Node) -> TimeValue:
    return TimeValue(
        _value(graph, node, TKG.begin), _value(graph, node, TKG.end),  # type: ignore[arg-type]
        _text(graph, node, TKG.precision) or "unknown",  # type: ignore[arg-type]
        _text(graph, node, TKG.timemlValue) or "", _text(graph, node, TKG.dateAnchor) or "",
    )


def _actor(graph: Readable, node: Node) -> Actor:
    types = set(graph.objects(node, RDF.type))
    kind = next((k for k, cls in _KINDS.items() if cls in types), "unnamed")
    return Actor(
        _text(graph, node, DCTERMS.identifier) or "", _text(graph, node, SKOS.prefLabel) or "",
        tuple(sorted({str(a) for a in graph.objects(node, SKOS.altLabel)})),
        _text(graph, node, TKG.wikidata), kind,  # type: ignore[arg-type]
        _text(graph, node, TKG.description),
    )


def _labels(graph: Readable, node: Node, predicate: URIRef, order: URIRef | None = None) -> list[str]:
    """The labels of ``node``'s ``predicate`` values, in the ``order`` literal's order if any."""
    labels = {n: _text(graph, n, RDFS.label) or "" for n in graph.objects(node, predicate)}
    ids_in_order = (_text(graph, node, order) or "").split() if order is not None else []
    if not ids_in_order:
        return sorted(labels.values())
    return [labels[vocab.iri(node_id)] for node_id in ids_in_order]


def _article(graph: Readable, node: Node) -> Article:
    return Article(
        _text(graph, node, DCTERMS.identifier) or "", _text(graph, node, TKG.text) or "",
        _text(graph, node, DCTERMS.title),
        _value(graph, node, TKG.publishedOn),  # type: ignore[arg-type]
        _text(graph, node, TKG.source), _text(graph, node, TKG.url),
        _spans(graph, node, TKG.furniture), _text(graph, node, TKG.contentHash) or "",
    )


def _statement(graph: Readable, node: Node, article_id: str) -> Statement:
    cue = graph.value(node, TKG.cueSpan)
    speaker = replace(_actor(graph, graph.value(node, TKG.speaker)),
                      description=_text(graph, node, TKG.speakerDescription))
    return Statement(
        article_id, speaker,
        _text(graph, node, TKG.speakerResolution),  # type: ignore[arg-type]
        _span(graph, cue) if cue is not None else None, _text(graph, node, TKG.quote) or "",
        _spans(graph, node, TKG.evidence), _date(graph, node),
        _text(graph, node, TKG.statementKind),  # type: ignore[arg-type]
        tuple(sorted(vocab.segment_of(t, "topic") for t in graph.objects(node, TKG.topic))),
        _text(graph, node, TKG.dateNote) or "",
    )


def _event(graph: Readable, node: Node, article_id: str) -> EventMention:
    kind, places = graph.value(node, TKG.eventType), _labels(graph, node, TKG.place)
    return EventMention(
        article_id, _text(graph, node, RDFS.label) or "",
        vocab.segment_of(kind, "event-type") if kind is not None else "", _date(graph, node),
        _spans(graph, node, TKG.evidence), _text(graph, node, TKG.trigger) or "",
        tuple(_labels(graph, node, TKG.participant, TKG.participantOrder)),
        places[0] if places else None,
    )


def _in_order(graph: Readable, cls: URIRef) -> list[Node]:
    nodes = graph.subjects(RDF.type, cls)
    return sorted(nodes, key=lambda n: (_value(graph, n, TKG.index), str(n)))


def extraction_from_graph(graph: Readable) -> Extraction:
    """Rebuild the :class:`Extraction` of the one article described in ``graph`` (its graph).

    Raises ``ValueError`` when ``graph`` does not hold exactly one ``tkg:Article``.
    """
    articles = sorted(set(graph.subjects(RDF.type, TKG.Article)))
    if len(articles) != 1:
        raise ValueError(f"an article graph holds exactly one tkg:Article; this one holds "
                         f"{len(articles)}")
    article = _article(graph, articles[0])
    statement_nodes = _in_order(graph, TKG.StatementMention)
    event_nodes = _in_order(graph, TKG.EventMention)
    spos = {n: i for i, n in enumerate(statement_nodes)}
    epos = {n: i for i, n in enumerate(event_nodes)}
    causes = sorted(
        ((epos[graph.value(r, TKG.relationSource)], epos[graph.value(r, TKG.relationTarget)],
          _span(graph, graph.value(r, TKG.cueSpan)))
         for r in graph.subjects(TKG.relationType, Literal("causes"))),
        key=lambda cause: cause[:2],
    )
    return Extraction(
        article, tuple(_statement(graph, n, article.id) for n in statement_nodes),
        tuple(_event(graph, n, article.id) for n in event_nodes), tuple(causes),
        tuple(sorted((spos[s], epos[e]) for s, e in graph.subject_objects(TKG.about))),
        tuple(sorted({str(w) for w in graph.objects(articles[0], TKG.warning)})),
    )
