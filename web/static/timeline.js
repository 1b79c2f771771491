// The timeline: statements and events on one zoomable axis (vis-timeline from npm).
// A date known to the day is a box; a period ("late March", a week, a month) is a bar from its
// first to its last day, never a made-up day. Lanes are speakers or topics, with events in a
// lane of their own at the top; colour is the statement's first topic.

import {DataSet, Timeline} from "/vendor/vis-timeline.mjs";
import {escapeHtml, nextDay, shorten, topicColour} from "./dom.js";

const DAY_MS = 86400000;
const EVENTS_LANE = "lane:events";
const NO_TOPIC_LANE = "lane:no-topic";
const LABEL_PX = 300;
const LANES_PX = 160;

function isPeriod(date) {
  return Boolean(date.end && date.end !== date.begin);
}

function placed(date) {
  const base = {start: date.begin};
  return isPeriod(date) ? {...base, end: nextDay(date.end), type: "range"} : {...base, type: "box"};
}

/** An item's words: the quote's start; in topic lanes after the speaker, whose lane it is not. */
function statementLabel(statement, lane) {
  const quote = `“${shorten(statement.quote, 38)}”`;
  return lane === "topic" ? `${shorten(statement.speaker.name || statement.speaker.id, 22)}: ${quote}` : quote;
}

function statementItem(statement, lane, topic, contradicted) {
  const colour = topicColour(topic);
  const classes = ["statement", contradicted ? "contradicted" : ""].filter(Boolean).join(" ");
  return {
    ...placed(statement.date),
    id: lane === "topic" ? `${statement.id}#${topic || "none"}` : statement.id,
    group: lane === "topic" ? (topic ? `lane:topic:${topic}` : NO_TOPIC_LANE)
                            : `lane:speaker:${statement.speaker.id}`,
    content: escapeHtml(statementLabel(statement, lane)),
    title: escapeHtml(`${statement.speaker.name}: “${shorten(statement.quote, 300)}”`),
    className: classes,
    style: `border-color: ${colour}; background-color: color-mix(in srgb, ${colour} 22%, white);`,
  };
}

function eventItem(event) {
  return {
    ...placed(event.date),
    id: event.id,
    group: EVENTS_LANE,
    content: escapeHtml(`◆ ${shorten(event.label, 30)}`),
    title: escapeHtml(`Event: ${event.label}${event.type ? ` (${event.type})` : ""}`),
    className: "event",
  };
}

function lanes(statements, events, lane, topicNames) {
  const groups = [];
  if (events.length) groups.push({id: EVENTS_LANE, content: "Events", order: 0, className: "lane-events"});
  const counts = new Map();
  for (const statement of statements) {
    const keys = lane === "topic" ? (statement.topics.length ? statement.topics : [null])
                                  : [statement.speaker.id];
    for (const key of keys) counts.set(key, (counts.get(key) || 0) + 1);
  }
  const names = new Map(statements.map((s) => [s.speaker.id, s.speaker.name || s.speaker.id]));
  const ordered = [...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  ordered.forEach(([key, count], index) => {
    const id = lane === "topic" ? (key ? `lane:topic:${key}` : NO_TOPIC_LANE) : `lane:speaker:${key}`;
    const label = lane === "topic" ? (key ? topicNames.get(key) || key : "no topic") : names.get(key);
    groups.push({id, content: escapeHtml(`${label} (${count})`), order: index + 1});
  });
  return groups;
}

/** The timeline in ``container``; ``onOpen(id)`` is called with the statement or event chosen. */
export function createTimeline(container, onOpen) {
  const items = new DataSet();
  const groups = new DataSet();
  const timeline = new Timeline(container, items, groups, {
    stack: true,
    align: "left",
    orientation: "top",
    groupOrder: "order",
    maxHeight: 520,
    minHeight: 200,
    verticalScroll: true,
    zoomKey: "ctrlKey",
    zoomMin: 3 * DAY_MS,
    zoomMax: 40 * 365 * DAY_MS,
    showCurrentTime: false,
    margin: {item: {horizontal: 4, vertical: 4}},
    tooltip: {followMouse: true, overflowMethod: "cap"},
    cluster: {maxItems: 4, showStipes: true, fitOnDoubleClick: true,
              titleTemplate: "{count} items close together: double-click or zoom in to see them"},
  });
  timeline.on("select", ({items: chosen}) => {
    const id = chosen.length ? String(chosen[0]).split("#")[0] : "";
    if (id.startsWith("statement/") || id.startsWith("event/")) onOpen(id);
  });

  function move(fraction) {
    const {start, end} = timeline.getWindow();
    const shift = (end - start) * fraction;
    timeline.setWindow(new Date(start.valueOf() + shift), new Date(end.valueOf() + shift));
  }
  container.addEventListener("keydown", (event) => {
    const keys = {ArrowLeft: () => move(-0.2), ArrowRight: () => move(0.2),
                  "+": () => timeline.zoomIn(0.5), "=": () => timeline.zoomIn(0.5),
                  "-": () => timeline.zoomOut(0.5), "0": () => timeline.fit()};
    if (keys[event.key] && event.target === container) {
      event.preventDefault();
      keys[event.key]();
    }
  });

  /** Show the period of ``dated`` items, with room on the right for the label of the last one
   *  (a label is about LABEL_PX wide; lane names take about LANES_PX). */
  function frame(dated) {
    if (!dated.length) return;
    const first = Math.min(...dated.map((d) => Date.parse(d.date.begin)));
    const last = Math.max(...dated.map((d) => Date.parse(d.date.begin)));
    const span = Math.max(last - first, 14 * DAY_MS);
    const width = Math.max(container.clientWidth - LANES_PX, 1);
    const room = Math.min(Math.max(LABEL_PX / Math.max(width - LABEL_PX, 1), 0.1), 1.5);
    timeline.setWindow(new Date(first - span * 0.04), new Date(last + span * room), {animation: false});
  }

  return {
    /** Draw ``statements`` and ``events`` in lanes by "speaker" or "topic"; the window shows the
     *  statements' period, and the events' too when ``frameEvents``. */
    draw(statements, events, {lane, topicNames, contradicted, frameEvents}) {
      const dated = statements.filter((s) => s.date.begin);
      const datedEvents = events.filter((e) => e.date.begin);
      const shown = [];
      for (const statement of dated) {
        const topics = lane === "topic" && statement.topics.length ? statement.topics : [statement.topics[0] || null];
        for (const topic of topics) shown.push(statementItem(statement, lane, topic, contradicted.has(statement.id)));
      }
      shown.push(...datedEvents.map(eventItem));
      items.clear();
      groups.clear();
      groups.add(lanes(dated, datedEvents, lane, topicNames));
      items.add(shown);
      frame(frameEvents || !dated.length ? [...dated, ...datedEvents] : dated);
      return {placed: dated.length + datedEvents.length, undatedStatements: statements.length - dated.length};
    },
    /** Mark the statement or event ``id`` as chosen and bring it into view (zoom kept). */
    select(id) {
      const chosen = items.getIds().filter((key) => String(key).split("#")[0] === id);
      timeline.setSelection(chosen);
      const item = chosen.length ? items.get(chosen[0]) : null;
      if (item) {
        const {start, end} = timeline.getWindow();
        const at = new Date(item.start).valueOf();
        if (at < start.valueOf() || at > end.valueOf()) timeline.moveTo(new Date(item.start), {animation: false});
      }
    },
    zoom(fraction) {
      if (fraction > 0) timeline.zoomIn(fraction); else timeline.zoomOut(-fraction);
    },
    move,
    fit() {
      timeline.fit();
    },
  };
}
