// The timeline page: loads the graph from the API, answers "what did SPEAKER say about TOPIC",
// draws the timeline, and shows the chosen statement, event, article or relation list.
// The question lives in the address's query (?speaker=…&topic=…), the open view in its hash
// (#statement/…, #event/…, #article/ID?focus=start-end, #contradictions, #articles), so the
// back button and shared links work.

import {ApiError, get, getAll, setWriteToken, writeToken} from "./api.js";
import {articleView} from "./article.js";
import {statementView} from "./card.js";
import {assignColours, formatDate, h, show, shorten, topicColour} from "./dom.js";
import {createTimeline} from "./timeline.js";
import {articlesView, eventView, relationsView, welcomeView} from "./views.js";

const $ = (id) => document.getElementById(id);

const data = {
  statements: new Map(), events: new Map(), articles: new Map(), relations: [], reviews: [],
  actors: [], topics: [], topicNames: new Map(), contradicted: new Set(), truncated: false,
};
const view = {answers: null, question: null, topic: null, lane: "speaker", open: null};
let config = {writes_enabled: false};
let timeline = null;

function say(message) {
  $("status").textContent = message;
}

async function load() {
  const [statements, events, articles, relations, actors, topics, reviews, settings] = await Promise.all([
    getAll("/statements"), getAll("/events"), get("/articles"), getAll("/relations"),
    getAll("/actors"), get("/topics"), get("/reviews"), get("/config")]);
  data.statements = new Map(statements.items.map((s) => [s.id, s]));
  data.events = new Map(events.items.map((e) => [e.id, e]));
  data.articles = new Map(articles.items.map((a) => [a.id, a]));
  data.relations = relations.items;
  data.reviews = reviews.items;
  data.actors = actors.items;
  data.topics = topics.items;
  data.topicNames = new Map(topics.items.map((t) => [t.id, t.name]));
  data.contradicted = new Set(relations.items.filter((r) => r.type === "contradicts").flatMap((r) => [r.source, r.target]));
  data.truncated = statements.total > statements.items.length;
  config = settings;
  assignColours(topics.items.map((t) => t.id));
}

function fillOptions() {
  show($("speaker-options"), data.actors.map((a) => h("option", {value: a.name}, `${a.statements} statements`)));
  show($("topic-options"), data.topics.filter((t) => t.statements > 0).map((t) => h("option", {value: t.name}, `${t.statements} statements`)));
  $("nav-contradictions").textContent = `Contradictions (${data.relations.filter((r) => r.type === "contradicts").length})`;
  $("nav-articles").textContent = `Articles (${data.articles.size})`;
}

/** The statements shown now: the answers to the question, or everything; then the topic filter. */
function shownStatements() {
  const base = view.answers ?? [...data.statements.values()];
  return view.topic ? base.filter((s) => s.topics.includes(view.topic)) : base;
}

function shownEvents(statements) {
  if (!view.answers && !view.topic) return [...data.events.values()];
  const about = new Set(statements.flatMap((s) => s.about));
  return [...data.events.values()].filter((e) => about.has(e.id));
}

function drawLegend() {
  const used = new Set([...data.statements.values()].flatMap((s) => s.topics));
  const topics = data.topics.filter((t) => used.has(t.id));
  show($("legend"), topics.map((t) => h("button", {
    type: "button", class: "chip", style: `--topic: ${topicColour(t.id)}`,
    "aria-pressed": String(view.topic === t.id), dataset: {topic: t.id},
    onclick: () => filterTopic(view.topic === t.id ? null : t.id)}, t.name)),
    view.topic ? h("button", {type: "button", class: "chip clear", onclick: () => filterTopic(null)}, "all topics") : null);
}

function answerItem(statement) {
  const open = view.open === statement.id;
  return h("li", {class: `answer${open ? " open" : ""}${data.contradicted.has(statement.id) ? " contradicted" : ""}`,
                  dataset: {id: statement.id, begin: statement.date.begin || ""}},
    h("a", {href: `#${statement.id}`, "aria-current": open ? "true" : null},
      h("span", {class: "answer-date"}, formatDate(statement.date)),
      h("span", {class: "answer-speaker"}, statement.speaker.name || statement.speaker.id),
      h("span", {class: "answer-quote"}, `“${shorten(statement.quote, 160)}”`)),
    h("span", {class: "answer-topics"}, statement.topics.map((t) =>
      h("span", {class: "dot", style: `--topic: ${topicColour(t)}`, title: data.topicNames.get(t) || t}, data.topicNames.get(t) || t))));
}

function drawAnswers(statements, undated) {
  const question = view.question;
  const asked = question && [question.speaker, question.topic].filter(Boolean).length;
  $("answers-title").textContent = asked
    ? `What ${question.speaker || "anyone"} said${question.topic ? ` about ${question.topic}` : ""}`
    : "All statements";
  const dated = statements.filter((s) => s.date.begin);
  const span = dated.length ? ` · ${formatDate(dated[0].date)} to ${formatDate(dated[dated.length - 1].date)}` : "";
  const filter = view.topic ? ` · topic: ${data.topicNames.get(view.topic) || view.topic}` : "";
  const more = !asked && data.truncated ? " · only the first statements are loaded; ask to narrow" : "";
  const off = undated ? ` · ${undated} undated, listed but not on the time axis` : "";
  $("answers-summary").textContent = `${statements.length} statement${statements.length === 1 ? "" : "s"}${span}${filter}${off}${more}`;
  show($("answers"), statements.map(answerItem));
  if (asked && !statements.length) {
    $("answers").append(h("li", {class: "muted"}, "Nothing found. Check the spelling, or try a shorter topic (a word of an event works too)."));
  }
}

function redraw() {
  const statements = shownStatements();
  const events = shownEvents(statements);
  const counts = timeline.draw(statements, events, {lane: view.lane, topicNames: data.topicNames,
                                                    contradicted: data.contradicted, frameEvents: Boolean(view.answers || view.topic)});
  drawAnswers(statements, counts.undatedStatements);
  drawLegend();
  if (view.open) timeline.select(view.open);
}

function filterTopic(topic) {
  view.topic = topic;
  redraw();
}

function questionFromAddress() {
  const params = new URLSearchParams(window.location.search);
  const question = Object.fromEntries(["speaker", "topic", "since", "until"].map((k) => [k, params.get(k) || ""]));
  return Object.values(question).some(Boolean) ? question : null;
}

async function ask(question, {remember = true} = {}) {
  view.question = question;
  if (remember) {
    const params = new URLSearchParams(Object.entries(question || {}).filter(([, v]) => v));
    const query = params.toString();
    window.history.replaceState(null, "", `${window.location.pathname}${query ? `?${query}` : ""}${window.location.hash}`);
  }
  if (!question) {
    view.answers = null;
    redraw();
    return;
  }
  $("ask-speaker").value = question.speaker;
  $("ask-topic").value = question.topic;
  $("ask-since").value = question.since;
  $("ask-until").value = question.until;
  try {
    const answer = await get("/timeline", question);
    view.answers = answer.items.map((s) => data.statements.get(s.id) || s);
    redraw();
    say(`${answer.total} answer${answer.total === 1 ? "" : "s"}.`);
  } catch (error) {
    say(error instanceof ApiError ? error.message : String(error));
  }
}

function wireAsk() {
  $("ask").addEventListener("submit", (event) => {
    event.preventDefault();
    const question = {speaker: $("ask-speaker").value.trim(), topic: $("ask-topic").value.trim(),
                      since: $("ask-since").value, until: $("ask-until").value};
    ask(Object.values(question).some(Boolean) ? question : null);
  });
  $("ask-clear").addEventListener("click", () => {
    for (const id of ["ask-speaker", "ask-topic", "ask-since", "ask-until"]) $(id).value = "";
    view.topic = null;
    ask(null);
  });
  $("lanes").addEventListener("change", (event) => {
    view.lane = event.target.value;
    redraw();
  });
  for (const button of document.querySelectorAll(".zoom button")) {
    button.addEventListener("click", () => {
      if (button.dataset.zoom) timeline.zoom(Number(button.dataset.zoom));
      if (button.dataset.move) timeline.move(Number(button.dataset.move));
      if (button.dataset.fit) timeline.fit();
    });
  }
}

function wireReviewer() {
  if (!config.writes_enabled) return;
  const box = $("reviewer");
  box.hidden = false;
  const dialog = $("token-dialog");
  let settle = null;
  const draw = () => show(box, writeToken()
    ? [h("span", {}, "Reviewing "), h("button", {type: "button", class: "secondary", onclick: () => { setWriteToken(null); draw(); say("Token forgotten."); }}, "Forget token")]
    : h("button", {type: "button", class: "secondary", onclick: () => context.askToken()}, "Review (paste token)"));
  $("token-cancel").addEventListener("click", () => dialog.close("cancel"));
  dialog.addEventListener("close", () => {
    const value = $("token-input").value.trim();
    if (dialog.returnValue === "save" && value) setWriteToken(value);
    $("token-input").value = "";
    draw();
    if (settle) settle(Boolean(writeToken()));
    settle = null;
  });
  context.askToken = () => new Promise((resolve) => {
    settle = resolve;
    dialog.showModal();
  });
  context.forgetToken = () => { setWriteToken(null); draw(); };
  draw();
}

const context = {
  get config() { return config; },
  say,
  onTopic: (topic) => filterTopic(topic),
  askToken: async () => false,
  forgetToken: () => setWriteToken(null),
  reload: async () => {
    await load();
    if (view.question) await ask(view.question, {remember: false}); else redraw();
    await route();
  },
};

/** Show the view named by the address's hash. */
async function route() {
  const hash = decodeURIComponent(window.location.hash.slice(1));
  const main = $("main");
  const [path, query] = hash.split("?");
  view.open = null;
  try {
    if (path.startsWith("statement/")) {
      view.open = path;
      timeline.select(path);
      await statementView(main, path, data, context);
    } else if (path.startsWith("event/")) {
      view.open = path;
      timeline.select(path);
      await eventView(main, path, data);
    } else if (path.startsWith("article/")) {
      const focus = /^focus=(\d+)-(\d+)$/.exec(query || "");
      await articleView(main, path.slice("article/".length), focus ? {start: Number(focus[1]), end: Number(focus[2])} : null);
    } else if (path === "contradictions" || path.startsWith("relations/")) {
      relationsView(main, path.split("/")[1] || "contradicts", data);
    } else if (path === "articles") {
      articlesView(main, data);
    } else {
      welcomeView(main, data);
    }
  } catch (error) {
    show(main, h("p", {class: "error"}, error instanceof ApiError && error.status === 404
      ? `Not found: ${error.message}` : `Could not show this: ${error.message || error}`));
  }
  for (const item of document.querySelectorAll("#answers .answer")) {
    const open = item.dataset.id === view.open;
    item.classList.toggle("open", open);
    item.querySelector("a").toggleAttribute("aria-current", open);
  }
  if (!hash) return;
  main.focus({preventScroll: true});
  const spanShown = path.startsWith("article/") && (query || "").startsWith("focus=");
  if (!spanShown && (window.innerWidth < 900 || path.startsWith("article/"))) main.scrollIntoView({block: "start"});
}

async function start() {
  timeline = createTimeline($("timeline"), (id) => {
    if (window.location.hash !== `#${id}`) window.location.hash = id;
  });
  wireAsk();
  try {
    await load();
  } catch (error) {
    show($("main"), h("p", {class: "error"}, `The graph could not be loaded: ${error.message || error}`));
    return;
  }
  fillOptions();
  wireReviewer();
  const question = questionFromAddress();
  if (question) await ask(question, {remember: false}); else redraw();
  window.addEventListener("hashchange", route);
  await route();
  document.body.dataset.ready = "true";
}

start();
