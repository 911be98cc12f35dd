"""Reads an iCalendar file with Debian's python3-icalendar and prints its
events as JSON for the Go test to compare with the API."""
import datetime
import json
import sys

import icalendar

cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())


def when(v):
    d = v.dt
    if isinstance(d, datetime.datetime):
        return d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return d.isoformat()


out = []
for ev in cal.walk("VEVENT"):
    out.append({
        "uid": str(ev["UID"]), "summary": str(ev["SUMMARY"]), "description": str(ev.get("DESCRIPTION", "")),
        "all_day": not isinstance(ev["DTSTART"].dt, datetime.datetime),
        "start": when(ev["DTSTART"]), "end": when(ev["DTEND"]),
        "status": str(ev.get("STATUS", "")), "sequence": int(ev.get("SEQUENCE", 0)),
    })
print(json.dumps({"icalendar": out, "calname": str(cal.get("X-WR-CALNAME", "")), "errors": [
    str(c.errors) for c in cal.walk() if getattr(c, "errors", None)]}))
