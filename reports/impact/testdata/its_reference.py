#!/usr/bin/env python3
"""Reference numbers for impact.ITS, computed with statsmodels.

Run by hand (not by the Go tests) when the fixture needs to change:

    /usr/bin/python3 reports/impact/testdata/its_reference.py

It needs numpy and statsmodels (Debian: apt-get install python3-statsmodels;
the fixture committed was made with statsmodels 0.13.5, numpy 1.24.2). It
writes, beside itself,

    its_input.csv    case,date,value: the synthetic daily series fed to ITS
    its_golden.json  statsmodels' estimates for each case

The design matrix is built here independently of the Go code, following
DOMAIN.md section 4.2, with the GOV.UK bank holiday list typed in below, so
the Go test checks the whole pipeline (day filtering, t, weekday dummies,
seasonal terms, OLS, Newey-West) and not just the linear algebra.
"""
import csv
import datetime as dt
import json
import math
import os

import numpy as np
import statsmodels
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))

# England & Wales bank holidays 2022-2026 (GOV.UK, DOMAIN.md section 4.4).
BANK_HOLIDAYS = {
    dt.date.fromisoformat(s)
    for s in """
2022-01-03 2022-04-15 2022-04-18 2022-05-02 2022-06-02 2022-06-03 2022-08-29 2022-09-19 2022-12-26 2022-12-27
2023-01-02 2023-04-07 2023-04-10 2023-05-01 2023-05-08 2023-05-29 2023-08-28 2023-12-25 2023-12-26
2024-01-01 2024-03-29 2024-04-01 2024-05-06 2024-05-27 2024-08-26 2024-12-25 2024-12-26
2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26
2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28
""".split()
}


def daterange(a, b):
    d = a
    while d <= b:
        yield d
        d += dt.timedelta(days=1)


def synthetic(rng, start, end, intervention, missing_share):
    """Daily GP-like counts: trend, weekday pattern, annual cycle, AR(1)
    noise, a step and a slope change at the intervention; weekends and bank
    holidays get small values (ITS must drop them); a few days are missing."""
    weekday_factor = [1.12, 1.02, 0.99, 1.0, 0.93, 0.06, 0.02]
    rows = []
    e = 0.0
    for d in daterange(start, end):
        t = (d - start).days
        e = 0.4 * e + rng.normal(0, 600)
        level = 20000 + 2.5 * t + 1500 * math.sin(2 * math.pi * d.timetuple().tm_yday / 365.25 + 0.7)
        if d >= intervention:
            level += -900 + 3.0 * (d - intervention).days
        v = level * weekday_factor[d.weekday()] + e
        if d in BANK_HOLIDAYS:
            v *= 0.05
        if rng.uniform() < missing_share:
            continue
        rows.append((d, float(round(v))))
    return rows


def fit(rows, intervention, excludes=(), maxlags=None, seasonal=None):
    keep = [
        (d, v)
        for d, v in rows
        if d.weekday() < 5 and d not in BANK_HOLIDAYS and not any(a <= d <= b for a, b in excludes)
    ]
    first, last = keep[0][0], keep[-1][0]
    if seasonal is None:
        seasonal = (last - first).days + 1 >= 365
    t0 = (intervention - first).days
    X, y = [], []
    for d, v in keep:
        t = (d - first).days
        post = 1.0 if d >= intervention else 0.0
        wd = [1.0 if d.weekday() == k else 0.0 for k in (1, 2, 3, 4)]
        row = [1.0, t, post, (t - t0) * post] + wd
        if seasonal:
            doy = d.timetuple().tm_yday
            row += [math.sin(2 * math.pi * doy / 365.25), math.cos(2 * math.pi * doy / 365.25)]
        X.append(row)
        y.append(v)
    X, y = np.array(X), np.array(y)
    n = len(y)
    L = maxlags if maxlags is not None else int(math.floor(4 * (n / 100.0) ** (2.0 / 9.0)))
    res = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L})
    beta = res.params
    cf_beta = beta.copy()
    cf_beta[2] = 0.0
    cf_beta[3] = 0.0
    fitted = X @ beta
    cf = X @ cf_beta
    post = X[:, 2] == 1
    ci = res.conf_int(alpha=0.05)
    return {
        "n": n,
        "maxlags": L,
        "seasonal": bool(seasonal),
        "start": first.isoformat(),
        "t0": t0,
        "days": [d.isoformat() for d, _ in keep],
        "params": beta.tolist(),
        "bse": res.bse.tolist(),
        "zvalues": res.tvalues.tolist(),
        "pvalues": res.pvalues.tolist(),
        "conf_int": ci.tolist(),
        "cov": res.cov_params().tolist(),
        "fitted": fitted.tolist(),
        "counterfactual": cf.tolist(),
        "mean_relative_change": float((y[post].sum() - cf[post].sum()) / cf[post].sum()),
    }


def main():
    rng = np.random.RandomState(20251001)
    iv = dt.date(2025, 10, 1)
    long_rows = synthetic(rng, dt.date(2023, 1, 2), dt.date(2025, 12, 31), iv, 0.02)
    short_rows = synthetic(rng, dt.date(2025, 6, 2), dt.date(2025, 12, 19), iv, 0.0)
    strikes = [(dt.date(2024, 6, 27), dt.date(2024, 7, 2)), (dt.date(2025, 7, 25), dt.date(2025, 7, 29))]

    cases = {
        "seasonal_3y": dict(rows=long_rows, fit=fit(long_rows, iv)),
        "short_no_season": dict(rows=short_rows, fit=fit(short_rows, iv)),
        "exclude_strikes": dict(rows=long_rows, fit=fit(long_rows, iv, excludes=strikes),
                                 exclude=[[a.isoformat(), b.isoformat()] for a, b in strikes]),
        "maxlags_3": dict(rows=short_rows, fit=fit(short_rows, iv, maxlags=3), maxlags=3),
    }

    with open(os.path.join(HERE, "its_input.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "date", "value"])
        for name, rows in (("long", long_rows), ("short", short_rows)):
            for d, v in rows:
                w.writerow([name, d.isoformat(), repr(v)])

    out = {
        "generator": "its_reference.py",
        "statsmodels": statsmodels.__version__,
        "numpy": np.__version__,
        "intervention": iv.isoformat(),
        "cases": {},
    }
    series_of = {"seasonal_3y": "long", "exclude_strikes": "long", "short_no_season": "short", "maxlags_3": "short"}
    for name, c in cases.items():
        entry = dict(c["fit"])
        entry["series"] = series_of[name]
        entry["exclude"] = c.get("exclude", [])
        entry["maxlags_option"] = c.get("maxlags", 0)
        out["cases"][name] = entry
    with open(os.path.join(HERE, "its_golden.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
