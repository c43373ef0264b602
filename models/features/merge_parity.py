"""Generates join inputs and pandas' own merge results for the mergeTables parity test.

Run with Debian's interpreter (pandas 1.5.3):  /usr/bin/python3 models/features/merge_parity.py
Writes models/features/merge/*.csv (inputs) and models/features/merge/expected.json.
"""
import json
import math
import os

import numpy as np
import pandas as pd

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "merge")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240607)


def hexid(i):
    return "%032x" % (i * 0x9E3779B97F4A7C15 % (1 << 128))


ids = [hexid(i) for i in range(40)]

# customers: string ids with duplicates and a missing id; overlapping 'age' and 'location'
left = pd.DataFrame({
    "customer_id": [ids[i] for i in rng.integers(0, 30, 45)] + [None],
    "age": list(rng.integers(18, 80, 45).astype(float)) + [40.0],
    "location": [["Delhi", "Mumbai", None, "Bangalore"][i] for i in rng.integers(0, 4, 46)],
    "last_login_days": rng.integers(0, 400, 46),
})
left.loc[3, "age"] = np.nan
right = pd.DataFrame({
    "customer_id": [ids[i] for i in rng.integers(10, 40, 35)] + [None],
    "age": rng.integers(18, 80, 36),
    "location": [["Hyderabad", "Delhi", "Pune"][i] for i in rng.integers(0, 3, 36)],
    "stay_duration": rng.integers(1, 9, 36),
})
# numeric keys, two key columns
nleft = pd.DataFrame({
    "store": rng.integers(1, 5, 30),
    "day": rng.integers(1, 4, 30),
    "sales": np.round(rng.normal(100, 20, 30), 3),
})
nright = pd.DataFrame({
    "store": rng.integers(2, 7, 20),
    "day": rng.integers(1, 4, 20),
    "sales": np.round(rng.normal(50, 5, 20), 3),
    "staff": rng.integers(1, 10, 20),
})

files = {"customers_left": left, "customers_right": right, "stores_left": nleft, "stores_right": nright}
for name, frame in files.items():
    frame.to_csv(os.path.join(OUT, name + ".csv"), index=False)


def read(name, id_col):
    dtype = {id_col: str} if id_col else None
    return pd.read_csv(os.path.join(OUT, name + ".csv"), dtype=dtype)


def cell(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else float(v)
    return v


cases = []
for how in ["inner", "left", "right", "outer"]:
    cases.append(dict(name=f"customers {how}", left="customers_left", right="customers_right",
                      on=["customer_id"], how=how, suffixes=["_x", "_y"], id="customer_id"))
    cases.append(dict(name=f"stores {how}", left="stores_left", right="stores_right",
                      on=["store", "day"], how=how, suffixes=["_l", "_r"], id=None))
cases.append(dict(name="customers one key, stores suffix", left="stores_left", right="stores_right",
                  on=["store"], how="left", suffixes=["", "_right"], id=None))

expected = []
for c in cases:
    l = read(c["left"], c["id"])
    r = read(c["right"], c["id"])
    m = pd.merge(l, r, on=c["on"], how=c["how"], suffixes=tuple(c["suffixes"]))
    expected.append({
        **{k: c[k] for k in ["name", "left", "right", "on", "how", "suffixes"]},
        "columns": list(m.columns),
        "data": {col: [cell(v) for v in m[col].tolist()] for col in m.columns},
    })

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"generator": "pandas " + pd.__version__, "cases": expected}, f, indent=0)
print("wrote", len(expected), "cases")

# The real spreadsheets (when present): pandas' left join of recency + age + stays, summarised
# so the benchmark and tests can check the whole 99,441-row result without storing it.
SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "category-recommender")
if os.path.isdir(SHARED):
    frames = [pd.read_excel(os.path.join(SHARED, f), dtype={"customer_id": str}) for f in
              ["05_customer_recency_features.xlsx", "07_age_features.xlsx", "09_stayed_features.xlsx"]]
    m = frames[0].merge(frames[1], on="customer_id", how="left").merge(frames[2], on="customer_id", how="left")
    summary = {
        "generator": "pandas " + pd.__version__,
        "files": ["05_customer_recency_features.xlsx", "07_age_features.xlsx", "09_stayed_features.xlsx"],
        "how": "left",
        "columns": list(m.columns),
        "numRows": int(len(m)),
        "sums": {c: float(m[c].sum()) for c in m.columns if c != "customer_id"},
        "missing": {c: int(m[c].isna().sum()) for c in m.columns},
        "rows": {i: {k: cell(v) for k, v in m.iloc[i].items()} for i in [0, 1, 2610, len(m) - 1]},
    }
    with open(os.path.join(OUT, "real_summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("wrote real_summary.json")
