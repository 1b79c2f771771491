// The article view: the text as ingested, with what was read from it highlighted at its spans
// (statements, events) and the page furniture greyed out, since the reader ignored it.
// Offsets are code points (as the API gives them), not JavaScript's UTF-16 units.

import {get} from "./api.js";
import {h, show, viewLink} from "./dom.js";
import {articleTitle} from "./card.js";

/** Cut ``text`` at every span boundary: [{text, start, end, spans}] with the spans covering each
 *  piece. Spans are {start, end, ...} in code points; ones outside the text are clipped. */
export function segments(text, spans) {
  const points = Array.from(text);
  const cuts = new Set([0, points.length]);
  const kept = [];
  for (const span of spans) {
    const start = Math.max(0, Math.min(points.length, span.start));
    const end = Math.max(start, Math.min(points.length, span.end));
    if (end > start) {
      kept.push({...span, start, end});
      cuts.add(start);
      cuts.add(end);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const [start, end] = [sorted[i], sorted[i + 1]];
    pieces.push({text: points.slice(start, end).join(""), start, end,
                 spans: kept.filter((s) => s.start <= start && s.end >= end)});
  }
  return pieces;
}

function spansOf(article) {
  const spans = [];
  for (const statement of article.statements) {
    for (const e of statement.evidence) spans.push({...e, kind: "statement", id: statement.id, label: `${statement.speaker}: ${statement.quote}`});
  }
  for (const event of article.events) {
    for (const e of event.evidence) spans.push({...e, kind: "event", id: event.id, label: `event: ${event.label}`});
  }
  for (const e of article.furniture) spans.push({...e, kind: "furniture", label: "page furniture: ignored by the reader"});
  return spans;
}

function innermost(spans, kind) {
  const of = spans.filter((s) => s.kind === kind);
  return of.length ? of.reduce((a, b) => (b.end - b.start < a.end - a.start ? b : a)) : null;
}

/** The text of a piece as shown: runs of blank lines (left by removed images) kept to one. */
function shown(text) {
  return text.replace(/\n\s*\n(\s*\n)+/g, "\n\n");
}

function piece(segment, focus) {
  const focused = focus && segment.start >= focus.start && segment.end <= focus.end;
  const statement = innermost(segment.spans, "statement");
  const event = innermost(segment.spans, "event");
  const furniture = innermost(segment.spans, "furniture");
  const classes = [statement && "statement", event && "event", furniture && "furniture", focused && "focus"].filter(Boolean).join(" ");
  const target = statement || event;
  const text = shown(segment.text);
  if (target) return h("a", {href: `#${target.id}`, class: `span ${classes}`, title: target.label}, text);
  if (furniture) return h("span", {class: classes, title: furniture.label}, text);
  return focused ? h("mark", {class: "focus"}, text) : text;
}

/** Show the article ``id`` in ``container``; ``focus`` ({start, end}) is highlighted and shown. */
export async function articleView(container, id, focus) {
  const article = await get(`/articles/${encodeURIComponent(id)}`);
  const text = h("div", {class: "article-text", lang: "en"},
                 segments(article.text, spansOf(article)).map((s) => piece(s, focus)));
  show(container, h("article", {class: "article", "aria-labelledby": "article-title"},
    h("p", {class: "kicker"}, "Article"),
    h("h2", {id: "article-title"}, article.title || `(no title) ${article.id}`),
    h("p", {class: "muted"}, [article.source, article.published].filter(Boolean).join(" · ") || "no source or date",
      article.url ? [" · ", h("a", {href: article.url, rel: "noopener noreferrer", target: "_blank", class: "external"}, "original")] : null),
    h("p", {class: "legend-line"}, h("span", {class: "span statement"}, "statement"), " ",
      h("span", {class: "span event"}, "event"), " ", h("span", {class: "furniture"}, "page furniture (ignored)"),
      focus ? [" ", h("mark", {class: "focus"}, "the evidence you followed")] : null),
    h("details", {class: "read-here"},
      h("summary", {}, `Read from this article: ${article.statements.length} statements, ${article.events.length} events, ${article.furniture.length} furniture spans`),
      h("ul", {class: "plain"},
        article.statements.map((s) => h("li", {}, viewLink(s.id, h("strong", {}, s.speaker), `: “${s.quote}”`))),
        article.events.map((e) => h("li", {}, viewLink(e.id, "event: ", h("strong", {}, e.label)))))),
    text));
  const first = text.querySelector(".focus");
  if (first) first.scrollIntoView({block: "center"});
  return article;
}
