"""Result formats of the SPARQL endpoint: content negotiation and serialisation with a row cap.

Content negotiation picks, for a query form, the media type the client prefers among the ones we
offer (RFC 9110 ``Accept`` with q-values and wildcards); ``None`` means 406. The serialisers
write SELECT/ASK results in the four W3C formats (JSON, XML, CSV, TSV) themselves rather than
through pyoxigraph, because they must stop at a row cap and say that they did: a truncated
result carries the link :data:`TRUNCATED_LINK` in its head (JSON, XML) or a comment (Turtle,
N-Triples), besides the ``X-Truncated`` header the router sets.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
TRUNCATED_LINK = "urn:timeline-kg:truncated"

#: Media types we answer, by kind of result, in our order of preference; value: format name.
TABULAR = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
BOOLEAN = {media: name for media, name in TABULAR.items() if name in ("json", "xml")}
GRAPH = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "turtle",
}
OFFERS = {"SELECT": TABULAR, "ASK": BOOLEAN, "CONSTRUCT": GRAPH, "DESCRIBE": GRAPH}
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _ranges(accept: str) -> list[tuple[str, float]]:
    """``(media range, q)`` pairs of an Accept header; unreadable parts are skipped."""
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q the client gives ``media``: from its most specific matching range, 0 if none."""
    kind = media.split("/")[0]
    best = (-1, 0.0)
    for pattern, q in ranges:
        specificity = (3 if pattern == media else 2 if pattern == f"{kind}/*"
                       else 1 if pattern == "*/*" else -1)
        if specificity > best[0]:
            best = (specificity, q)
    return best[1] if best[0] >= 0 else 0.0


def negotiate(accept: str | None, offers: dict[str, str]) -> str | None:
    """The media type of ``offers`` the ``Accept`` header prefers (ties: our order); ``None``
    when it accepts none of them. No header, or an empty one, accepts our first offer."""
    if not accept or not accept.strip():
        return next(iter(offers))
    ranges = _ranges(accept)
    best = max(offers, key=lambda media: _quality(media, ranges))
    return best if _quality(best, ranges) > 0 else None


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
                f"<predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term: Term | None) -> str:
    return "" if term is None else str(term).replace("\t", "\\t")


def solutions_body(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], fmt: str,
                   truncated: bool) -> bytes:
    """SELECT results in ``fmt`` (json, xml, csv or tsv); unbound values are ``None``."""
    if fmt == "json":
        head: dict = {"vars": list(variables)}
        if truncated:
            head["link"] = [TRUNCATED_LINK]
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None}
                    for row in rows]
        return json.dumps({"head": head, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        parts = [f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts += [f'<link href="{TRUNCATED_LINK}"/>'] if truncated else []
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                      for v, t in zip(variables, row) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return out.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}; choose one of: json, xml, csv, tsv")


def boolean_body(value: bool, fmt: str) -> bytes:
    """ASK result in ``fmt`` (json or xml)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    raise ValueError(f"unknown boolean results format {fmt!r}; choose one of: json, xml")


def triples_body(triples: Sequence[ox.Triple], fmt: str, truncated: bool,
                 prefixes: dict[str, str] | None = None) -> bytes:
    """CONSTRUCT/DESCRIBE results in ``fmt`` (turtle, ntriples, jsonld or rdfxml)."""
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; choose one of: {', '.join(RDF_FORMATS)}")
    use_prefixes = prefixes if fmt in ("turtle", "rdfxml") else None
    body = ox.serialize(triples, None, RDF_FORMATS[fmt], prefixes=use_prefixes) or b""
    if truncated and fmt in ("turtle", "ntriples"):
        body = f"# truncated: {TRUNCATED_LINK}\n".encode() + body
    return body
