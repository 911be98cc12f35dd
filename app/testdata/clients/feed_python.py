"""Reads an Atom feed with Debian's python3-feedparser and prints what it
saw as JSON for the Go test."""
import json
import sys

import feedparser

d = feedparser.parse(open(sys.argv[1], "rb").read())
print(json.dumps({
    "bozo": bool(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
    "feed": {"id": d.feed.get("id"), "title": d.feed.get("title"), "author": d.feed.get("author"), "updated": d.feed.get("updated"),
             "self": [l.href for l in d.feed.get("links", []) if l.rel == "self"]},
    "entries": [{"id": e.id, "title": e.title, "summary": e.summary, "summary_type": e.summary_detail.type,
                 "link": e.link, "updated": e.updated} for e in d.entries],
}))
