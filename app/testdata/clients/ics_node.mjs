// Reads an iCalendar file with two JavaScript parsers, ical.js and
// node-ical, and prints each one's events as JSON for the Go test to
// compare with the API: {"ical.js": [...], "node-ical": [...]}.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import nodeical from "node-ical";

const text = readFileSync(process.argv[2], "utf8");
const day = (d) => d.toISOString().slice(0, 10);

const icaljs = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent").map((v) => {
  const ev = new ICAL.Event(v);
  const when = (t) => (t.isDate ? t.toString() : t.toJSDate().toISOString().replace(".000Z", "Z"));
  return {
    uid: ev.uid, summary: ev.summary, description: ev.description, all_day: ev.startDate.isDate,
    start: when(ev.startDate), end: when(ev.endDate),
    status: v.getFirstPropertyValue("status"), sequence: ev.sequence,
  };
});

const parsed = nodeical.sync.parseICS(text);
const nodeEvents = Object.values(parsed).filter((c) => c.type === "VEVENT").map((ev) => {
  // node-ical gives all-day dates as local midnights flagged dateOnly; the
  // test runs it with TZ=UTC.
  const when = (d) => (d.dateOnly ? day(d) : d.toISOString().replace(".000Z", "Z"));
  const text = (v) => (v && typeof v === "object" && "val" in v ? v.val : v);
  return {
    uid: ev.uid, summary: text(ev.summary), description: text(ev.description), all_day: !!ev.start.dateOnly,
    start: when(ev.start), end: when(ev.end), status: ev.status, sequence: Number(ev.sequence),
  };
});

process.stdout.write(JSON.stringify({ "ical.js": icaljs, "node-ical": nodeEvents }));
