// Small helpers shared by the views: build elements from data (never from HTML strings, so
// nothing read from an article can inject markup), format dates, colour topics.

/** An element: h("a", {href: "#x", class: "c", onclick: f}, "text", child, [more]). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** Append children (nodes, strings, numbers, nested arrays; null and false are skipped). */
export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replace the content of ``element``. */
export function show(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** Escape text for the few library APIs that take HTML strings (timeline tooltips, lanes). */
export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** ``text`` cut to ``length`` characters at a word boundary, with an ellipsis. */
export function shorten(text, length) {
  const value = String(text ?? "");
  if (value.length <= length) return value;
  const cut = value.slice(0, length);
  const space = cut.lastIndexOf(" ");
  return `${(space > length * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

const DAY = new Intl.DateTimeFormat("en-GB", {day: "numeric", month: "short", year: "numeric", timeZone: "UTC"});
const MONTH = new Intl.DateTimeFormat("en-GB", {month: "short", year: "numeric", timeZone: "UTC"});

function utc(day) {
  return new Date(`${day}T00:00:00Z`);
}

/** A date of the JSON contract ({value, begin, end, precision}) as people write it. */
export function formatDate(date) {
  if (!date || !date.begin) return "undated";
  const {begin, end, precision} = date;
  if (precision === "year" && begin.endsWith("-01-01") && end && end.endsWith("-12-31")) return begin.slice(0, 4);
  if (precision === "month") return MONTH.format(utc(begin));
  if (!end || end === begin) return DAY.format(utc(begin));
  return `${DAY.format(utc(begin))} – ${DAY.format(utc(end))}`;
}

/** The precision of a date in words ("day", "month", "a period of 6 days"). */
export function formatPrecision(date) {
  if (!date || !date.begin) return "no date could be read";
  if (date.precision !== "interval") return date.precision || "unknown";
  const days = Math.round((utc(date.end) - utc(date.begin)) / 86400000) + 1;
  return `a period of ${days} days`;
}

/** The day after ``day`` (YYYY-MM-DD), so that an inclusive end becomes an exclusive one. */
export function nextDay(day) {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

// Tableau 10 and two more: distinct, readable on white, and not keyed on any topic's meaning.
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
                 "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#8cd17d"];
const NO_TOPIC = "#9aa0a6";
const colours = new Map();

/** Give each topic id a colour, in the order given (most frequent first). */
export function assignColours(topicIds) {
  colours.clear();
  topicIds.forEach((id, index) => colours.set(id, PALETTE[index % PALETTE.length]));
}

/** The colour of a topic id (grey for none or an unknown one). */
export function topicColour(id) {
  return (id && colours.get(id)) || NO_TOPIC;
}

/** A link to a view of the page (``#statement/…``, ``#event/…``, ``#article/…``). */
export function viewLink(hash, ...children) {
  return h("a", {href: `#${hash}`}, ...children);
}

/** The page's hash of an article, with a span (code-point offsets) to highlight and show. */
export function articleHash(id, focus) {
  return `article/${encodeURIComponent(id)}${focus ? `?focus=${focus.start}-${focus.end}` : ""}`;
}
