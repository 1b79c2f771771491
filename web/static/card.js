// The statement card: who (with Wikidata), when (and how precisely), the words, topics, events,
// the evidence in its sentences, every citing article, and the relations with the linker's
// explanations; accept / reject buttons when the server takes reviews.

import {ApiError, get, post, writeToken} from "./api.js";
import {articleHash, formatDate, formatPrecision, h, shorten, show, topicColour, viewLink} from "./dom.js";

const WORDS = {
  contradicts: ["contradicts", "is contradicted by"],
  repeats: ["repeats", "is repeated by"],
  supports: ["supports", "is supported by"],
  causes: ["causes", "is caused by"],
  about: ["is about", "is the subject of"],
};

/** A one-line summary of a statement or event of the page's data, as a link to its view. */
export function nodeSummary(id, data) {
  const statement = data.statements.get(id);
  if (statement) {
    return viewLink(id, h("strong", {}, statement.speaker.name || statement.speaker.id),
                    ` (${formatDate(statement.date)}): “${shorten(statement.quote, 140)}”`);
  }
  const event = data.events.get(id);
  if (event) return viewLink(id, "event: ", h("strong", {}, event.label), ` (${formatDate(event.date)})`);
  return viewLink(id, id);
}

/** A topic chip: a button that shows only that topic (``onTopic``). */
export function topicChip(topic, data, onTopic) {
  return h("button", {type: "button", class: "chip", style: `--topic: ${topicColour(topic)}`,
                      title: "show only this topic", onclick: () => onTopic(topic)},
           data.topicNames.get(topic) || topic);
}

function speakerBlock(speaker) {
  const wikidata = speaker.wikidata
    ? h("a", {href: `https://www.wikidata.org/wiki/${encodeURIComponent(speaker.wikidata)}`,
              rel: "noopener noreferrer", target: "_blank", class: "external"},
        `Wikidata ${speaker.wikidata}`)
    : h("span", {class: "muted"}, "no Wikidata id known");
  return [
    h("h2", {id: "card-title", class: "card-title"}, speaker.name || speaker.id, " ", wikidata),
    speaker.aliases.length ? h("p", {class: "muted"}, "also named: ", speaker.aliases.join(", ")) : null,
  ];
}

function dateBlock(date) {
  return h("p", {class: "when"},
           h("strong", {}, formatDate(date)), " · precision: ", formatPrecision(date),
           date.value ? h("span", {class: "muted"}, ` · TimeML ${date.value}`) : null);
}

const CONTEXT = 120;

/** The end of the text before a span, cut at a word, with an ellipsis when cut. */
function lead(text) {
  if (!text || text.length <= CONTEXT) return text || "";
  const cut = text.slice(-CONTEXT);
  return `…${cut.slice(cut.indexOf(" ") + 1)}`;
}

/** The start of the text after a span, cut at a word. */
function tail(text) {
  if (!text || text.length <= CONTEXT) return text || "";
  const cut = text.slice(0, CONTEXT);
  return `${cut.slice(0, cut.lastIndexOf(" "))}…`;
}

function evidenceBlock(statement, data) {
  return h("section", {"aria-labelledby": "evidence-title"},
    h("h3", {id: "evidence-title"}, `Evidence (${statement.evidence.length})`),
    h("ol", {class: "evidence"}, statement.evidence.map((span) => {
      const article = data.articles.get(span.article);
      return h("li", {},
        h("blockquote", {class: "context"}, lead(span.before), h("mark", {}, span.text), tail(span.after)),
        h("p", {class: "source"}, article ? articleTitle(article) : span.article, " · ",
          viewLink(articleHash(span.article, span), "show in the article")));
    })));
}

/** How an article is named in lists: title, else its id; with source and date. */
export function articleTitle(article) {
  return [h("cite", {}, article.title || article.id),
          article.source ? ` — ${article.source}` : "",
          article.published ? `, ${article.published}` : ""];
}

function citedBlock(statement) {
  return h("section", {"aria-labelledby": "cited-title"},
    h("h3", {id: "cited-title"}, `Reported by ${statement.cited_by.length} article${statement.cited_by.length === 1 ? "" : "s"}`),
    h("ul", {class: "plain"}, statement.cited_by.map((article) => h("li", {},
      viewLink(articleHash(article.id), articleTitle(article)),
      article.url ? [" ", h("a", {href: article.url, rel: "noopener noreferrer", target: "_blank", class: "external"}, "original")] : null))));
}

function readingBlock(statement, data) {
  const rows = statement.mentions.map((m) => h("tr", {},
    h("td", {}, data.articles.get(m.article)?.title || m.article),
    h("td", {}, m.kind || ""), h("td", {}, m.cue || ""), h("td", {}, m.speaker_resolution || ""),
    h("td", {}, m.date_note || "")));
  return h("details", {class: "reading"},
    h("summary", {}, `How it was read (${statement.mentions.length} mention${statement.mentions.length === 1 ? "" : "s"})`),
    h("div", {class: "table-scroll"}, h("table", {},
      h("thead", {}, h("tr", {}, ["article", "kind", "cue", "speaker found by", "date"].map((t) => h("th", {scope: "col"}, t)))),
      h("tbody", {}, rows))));
}

/** The people's decision recorded on relation ``relation`` of ``statement``, if any. */
function decisionOn(relation, statement, data) {
  const mine = new Set(statement.mentions.map((m) => m.id));
  const otherId = relation.source === statement.id ? relation.target : relation.source;
  const other = data.statements.get(otherId) || data.events.get(otherId);
  const theirs = new Set((other?.mentions || []).map((m) => m.id));
  return data.reviews.find((r) => r.kind === "relation" && r.relation_type === relation.type
    && [[r.source, r.target], [r.target, r.source]].some(([a, b]) =>
      a.some((m) => mine.has(m)) && b.some((m) => theirs.has(m))));
}

function relationsBlock(statement, data, context) {
  if (!statement.relations.length) {
    return h("section", {}, h("h3", {}, "Relations"), h("p", {class: "muted"}, "No relation to other statements or events was found."));
  }
  return h("section", {"aria-labelledby": "relations-title"},
    h("h3", {id: "relations-title"}, `Relations (${statement.relations.length})`),
    h("ul", {class: "relations"}, statement.relations.map((relation) => {
      const outgoing = relation.source === statement.id;
      const other = outgoing ? relation.target : relation.source;
      const words = WORDS[relation.type] || [relation.type, `is ${relation.type} of`];
      const decision = decisionOn(relation, statement, data);
      return h("li", {class: `relation ${relation.type}`},
        h("p", {}, h("span", {class: `badge ${relation.type}`}, relation.type), " This statement ",
          outgoing ? words[0] : words[1], ": ", nodeSummary(other, data)),
        h("p", {class: "explanation"}, relation.explanation || "no explanation recorded",
          relation.confidence !== null ? h("span", {class: "muted"}, ` · confidence ${relation.confidence}`) : null),
        decision ? h("p", {class: "decision"}, `A reviewer ${decision.verdict}ed this${decision.note ? `: ${decision.note}` : "."}`) : null,
        context.config.writes_enabled ? reviewButtons(relation, context) : null);
    })));
}

function reviewButtons(relation, context) {
  async function decide(verdict) {
    if (!writeToken() && !(await context.askToken())) return;
    try {
      const result = await post("/reviews", {verdict, kind: "relation", first: relation.source,
                                             second: relation.target, relation_type: relation.type});
      context.say(`Recorded: ${verdict} “${relation.type}”. The graph was relinked (${result.relations} relations).`);
      await context.reload();
    } catch (error) {
      context.say(error instanceof ApiError ? `Review refused: ${error.message}` : String(error));
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) context.forgetToken();
    }
  }
  return h("p", {class: "review"},
    h("button", {type: "button", class: "accept", onclick: () => decide("accept")}, "Accept"),
    h("button", {type: "button", class: "reject", onclick: () => decide("reject")}, "Reject"));
}

/** Show the statement ``id`` in ``container``. */
export async function statementView(container, id, data, context) {
  const statement = await get(`/statements/${id.replace(/^statement\//, "")}`);
  show(container, h("article", {class: "card", "aria-labelledby": "card-title"},
    h("p", {class: "kicker"}, "Statement"),
    speakerBlock(statement.speaker),
    dateBlock(statement.date),
    h("blockquote", {class: "quote"}, statement.quote),
    h("dl", {class: "facts"},
      h("dt", {}, "Topics"),
      h("dd", {}, statement.topics.length ? statement.topics.map((t) => topicChip(t, data, context.onTopic)) : h("span", {class: "muted"}, "none recognised")),
      h("dt", {}, "About"),
      h("dd", {}, statement.about.length ? h("ul", {class: "plain"}, statement.about.map((e) =>
        h("li", {}, viewLink(e.id, e.label || e.id)))) : h("span", {class: "muted"}, "no event linked"))),
    evidenceBlock(statement, data),
    citedBlock(statement),
    relationsBlock(statement, data, context),
    readingBlock(statement, data)));
  return statement;
}
