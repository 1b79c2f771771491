// The other views of the detail panel: an event with its mentions across articles, the
// relations (contradictions first), the list of articles, and the welcome text.

import {get} from "./api.js";
import {articleHash, formatDate, formatPrecision, h, show, viewLink} from "./dom.js";
import {articleTitle, nodeSummary} from "./card.js";

export const RELATION_TYPES = ["contradicts", "repeats", "supports", "causes", "about"];

/** Show the event ``id``: when, its mentions in each article, statements about it, causes. */
export async function eventView(container, id, data) {
  const event = await get(`/events/${id.replace(/^event\//, "")}`);
  const byArticle = new Map();
  for (const span of event.evidence) {
    if (!byArticle.has(span.article)) byArticle.set(span.article, []);
    byArticle.get(span.article).push(span);
  }
  const causal = data.relations.filter((r) => r.type === "causes" && (r.source === id || r.target === id));
  show(container, h("article", {class: "card", "aria-labelledby": "event-title"},
    h("p", {class: "kicker"}, "Event", event.type ? ` · ${event.type}` : ""),
    h("h2", {id: "event-title"}, event.label || event.id),
    h("p", {class: "when"}, h("strong", {}, formatDate(event.date)), " · precision: ", formatPrecision(event.date),
      event.date.value ? h("span", {class: "muted"}, ` · TimeML ${event.date.value}`) : null),
    h("section", {"aria-labelledby": "mentions-title"},
      h("h3", {id: "mentions-title"}, `Mentioned in ${byArticle.size} article${byArticle.size === 1 ? "" : "s"}`),
      h("ul", {class: "plain mentions"}, [...byArticle.entries()].map(([article, spans]) => h("li", {},
        data.articles.has(article) ? articleTitle(data.articles.get(article)) : article,
        h("ul", {}, spans.map((span) => h("li", {}, "“", span.text, "” ",
          viewLink(articleHash(article, span), "show in the article")))))))),
    h("section", {"aria-labelledby": "about-title"},
      h("h3", {id: "about-title"}, `Statements about it (${event.statements.length})`),
      event.statements.length
        ? h("ul", {class: "plain"}, event.statements.map((s) => h("li", {}, nodeSummary(s.id, data))))
        : h("p", {class: "muted"}, "none")),
    causal.length ? h("section", {}, h("h3", {}, "Causes"), h("ul", {class: "plain"}, causal.map((r) =>
      h("li", {}, r.source === id ? ["causes ", nodeSummary(r.target, data)] : ["is caused by ", nodeSummary(r.source, data)],
        h("p", {class: "explanation"}, r.explanation || ""))))) : null));
  return event;
}

/** Show the relations of one type (contradictions by default), each pair side by side. */
export function relationsView(container, type, data) {
  const chosen = RELATION_TYPES.includes(type) ? type : "contradicts";
  const relations = data.relations.filter((r) => r.type === chosen);
  const picker = h("select", {id: "relation-type", onchange: (e) => { window.location.hash = `relations/${e.target.value}`; }},
    RELATION_TYPES.map((t) => h("option", {value: t, selected: t === chosen},
      `${t} (${data.relations.filter((r) => r.type === t).length})`)));
  show(container, h("section", {class: "relations-view", "aria-labelledby": "relations-view-title"},
    h("p", {class: "kicker"}, "Relations across articles"),
    h("h2", {id: "relations-view-title"}, chosen === "contradicts" ? "Contradictions" : `Relations: ${chosen}`),
    h("label", {}, "Show ", picker),
    relations.length ? h("ol", {class: "pairs"}, relations.map((r) => h("li", {class: `pair ${r.type}`},
      h("div", {class: "pair-sides"}, h("div", {class: "side-a"}, nodeSummary(r.source, data)),
        h("div", {class: "pair-word", "aria-hidden": "true"}, r.type === "contradicts" ? "≠" : "→"),
        h("div", {class: "side-b"}, nodeSummary(r.target, data))),
      h("p", {class: "explanation"}, r.explanation || "no explanation recorded",
        r.confidence !== null ? h("span", {class: "muted"}, ` · confidence ${r.confidence}`) : null))))
      : h("p", {class: "muted"}, `No “${chosen}” relation in the graph.`)));
}

/** Show the stored articles, newest first, with what was read from each. */
export function articlesView(container, data) {
  const counts = new Map();
  for (const statement of data.statements.values()) {
    for (const article of statement.cited_by) counts.set(article, (counts.get(article) || 0) + 1);
  }
  const articles = [...data.articles.values()].sort((a, b) => String(b.published || "").localeCompare(String(a.published || "")));
  show(container, h("section", {"aria-labelledby": "articles-title"},
    h("p", {class: "kicker"}, "Sources"),
    h("h2", {id: "articles-title"}, `Articles (${articles.length})`),
    h("ol", {class: "plain articles"}, articles.map((a) => h("li", {},
      viewLink(articleHash(a.id), articleTitle(a)), h("span", {class: "muted"}, ` · ${counts.get(a.id) || 0} statements`))))));
}

/** The first view: what the graph holds and what to do. */
export function welcomeView(container, data) {
  const contradictions = data.relations.filter((r) => r.type === "contradicts").length;
  show(container, h("section", {class: "welcome", "aria-labelledby": "welcome-title"},
    h("h2", {id: "welcome-title"}, "Who said what, when — with the evidence one click away"),
    h("p", {}, `The graph holds ${data.statements.size} statements and ${data.events.size} events read from ${data.articles.size} articles, `,
      viewLink("contradictions", `${contradictions} contradictions`), "."),
    h("ul", {},
      h("li", {}, "Ask on the left what someone said about a topic: the answers are listed in date order and drawn on the timeline."),
      h("li", {}, "Open a statement (on the timeline or in the list) to see its words, when it was said, every article that reports it, and the sentences that support it."),
      h("li", {}, "Press a topic in the colour key to show only that topic."))));
}
