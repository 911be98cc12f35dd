"""Reads /timeline.xlsx with Debian's python3-openpyxl in read-only mode
(which trusts the sheet's dimension) and prints each row's values with
their Python types as JSON for the Go test."""
import datetime
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb["Timeline"]


def cell(c):
    v = c.value
    # data_type "f" is a formula, "s" a string, "n" a number (dates too).
    dt = getattr(c, "data_type", "n")
    if isinstance(v, datetime.datetime):
        return {"type": "datetime", "value": v.isoformat(), "data_type": dt}
    if v is None:
        return {"type": "none", "value": None, "data_type": dt}
    return {"type": type(v).__name__, "value": v, "data_type": dt}


rows = [[cell(c) for c in row] for row in ws.iter_rows()]
print(json.dumps({"dimension": ws.calculate_dimension(), "max_row": ws.max_row, "rows": rows}))
