"""Expected drift statistics for test/monitoring, from Debian's scipy 1.10 / numpy.

Run with /usr/bin/python3 models/monitoring/make_fixtures.py; writes
models/monitoring/expected.json. The drift rules mirror Evidently's defaults as
issue 17 states them; every number comes from scipy/numpy, never from retail-ml.
"""
import json
import math
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

assert scipy.__version__.startswith("1.10"), scipy.__version__
rng = np.random.default_rng(17)
HERE = os.path.dirname(os.path.abspath(__file__))


def num(x):
    """JSON has no inf/nan: encode them as strings the test decodes."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


# --- kstwo.sf over each branch of Simard & L'Ecuyer's choice ------------------
kolmogorov = []
for n in [1, 2, 5, 20, 50, 100, 140, 141, 300, 1000, 5000, 20000]:
    for x in [0.001, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.999]:
        kolmogorov.append({"n": n, "x": x, "sf": num(stats.kstwo.sf(x, n))})

# --- two-sample KS, method='auto' --------------------------------------------
def ks_case(name, a, b):
    r = stats.ks_2samp(a, b, method="auto")
    return {"name": name, "a": [float(v) for v in a], "b": [float(v) for v in b],
            "statistic": num(r.statistic), "pValue": num(r.pvalue)}

ks = [
    ks_case("tiny 5 vs 7", rng.normal(size=5), rng.normal(size=7)),
    ks_case("equal 10 vs 10", rng.normal(size=10), rng.normal(0.5, size=10)),
    ks_case("equal 300 vs 300 shifted", rng.normal(size=300), rng.normal(0.4, size=300)),
    ks_case("ties 30 vs 45", rng.integers(0, 8, 30), rng.integers(0, 9, 45)),
    ks_case("ties 400 vs 650", rng.integers(0, 20, 400), rng.integers(2, 20, 650)),
    ks_case("200 vs 300", rng.normal(size=200), rng.normal(0.1, 1.2, size=300)),
    ks_case("1000 vs 1500", rng.exponential(size=1000), rng.exponential(1.05, size=1500)),
    ks_case("1000 vs 3000 shifted (tiny p)", rng.normal(size=1000), rng.normal(0.3, size=3000)),
    ks_case("777 vs 2999 same", rng.gamma(2.0, size=777), rng.gamma(2.0, size=2999)),
    ks_case("identical samples", np.arange(50.0), np.arange(50.0)),
    ks_case("disjoint", np.arange(20.0), np.arange(20.0) + 100),
    ks_case("asymptotic 1000 vs 12000", rng.normal(size=1000), rng.normal(0.05, size=12000)),
    ks_case("asymptotic 120 vs 15000 (n <= 140)", rng.normal(size=120), rng.normal(0.2, size=15000)),
    ks_case("asymptotic 900 vs 10001 far", rng.normal(size=900), rng.normal(1.0, size=10001)),
]

# --- chi-squared GOF ------------------------------------------------------------
chi2 = []
for obs, exp in [
    ([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]),
    ([5, 0, 7], [4.0, 3.0, 5.0]),
    ([120, 340, 80, 60], [130.5, 320.25, 90.0, 59.25]),
    ([3, 4, 5], [0.0, 6.0, 6.0]),
    ([1000, 1500, 2500, 40, 60], [1100.0, 1400.0, 2520.0, 30.0, 50.0]),
    (list(range(1, 401)), [float(v) for v in rng.permutation(np.arange(1, 401))]),
]:
    r = stats.chisquare(obs, exp)
    chi2.append({"observed": obs, "expected": exp, "statistic": num(r.statistic), "pValue": num(r.pvalue)})

# --- normal two-sided tail and regularised upper gamma ----------------------
normal = [{"z": z, "p": num(2 * stats.norm.sf(abs(z)))} for z in [0, 0.1, 0.5, 1, 1.96, 2.5, 3, 5, 8, 12, 20, 30, 37]]
gammaq = [{"a": a, "x": x, "q": num(scipy.special.gammaincc(a, x))}
          for a in [0.5, 1, 2.5, 10, 99.5, 1000, 5000] for x in [0.01, 0.5, 2, 9.5, 100, 990, 1100, 5200]]

# --- Wasserstein, Jensen-Shannon, histogram bins --------------------------------
wasserstein = []
for a, b in [
    (rng.normal(size=50), rng.normal(0.2, size=70)),
    (rng.integers(0, 5, 300).astype(float), rng.integers(0, 6, 200).astype(float)),
    (rng.lognormal(size=5000), rng.lognormal(0.1, size=4000)),
]:
    wasserstein.append({"a": [float(v) for v in a], "b": [float(v) for v in b],
                        "distance": num(stats.wasserstein_distance(a, b)), "std": num(np.std(a))})

js = []
for p, q in [([0.2, 0.3, 0.5], [0.1, 0.4, 0.5]), ([0.5, 0.5, 0.0], [0.0, 0.2, 0.8]), ([1, 0], [0, 1]),
             ([0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25])]:
    js.append({"p": p, "q": q, "distance": num(distance.jensenshannon(p, q))})

bins = []
for a, b in [(rng.normal(size=40), rng.normal(1, size=60)), (np.full(10, 3.0), np.full(5, 3.0)),
             (rng.uniform(-1e6, 1e6, 500), rng.uniform(-1e6, 2e6, 300))]:
    edges = np.histogram_bin_edges(np.concatenate([a, b]), bins=30)
    bins.append({"a": [float(v) for v in a], "b": [float(v) for v in b], "edges": [float(e) for e in edges],
                 "aCounts": [int(c) for c in np.histogram(a, edges)[0]],
                 "bCounts": [int(c) for c in np.histogram(b, edges)[0]]})


# --- whole drift reports, the rules written out with scipy -------------
def shares(ref, cur, kind, n_bins=30):
    if kind == "numeric":
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins=n_bins)
        r = np.histogram(ref, edges)[0] / len(ref)
        c = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = sorted(set(ref) | set(cur))
        r = np.array([sum(1 for v in ref if v == k) / len(ref) for k in keys])
        c = np.array([sum(1 for v in cur if v == k) / len(cur) for k in keys])
    return r, c


def column_drift(name, ref, cur):
    ref = [v for v in ref if v is not None and not (isinstance(v, float) and math.isnan(v))]
    cur = [v for v in cur if v is not None and not (isinstance(v, float) and math.isnan(v))]
    both = ref + cur
    all_numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in both)
    distinct = len(set(both))
    kind = "numeric" if all_numbers and distinct > 5 else ("binary" if distinct <= 2 else "categorical")
    if not all_numbers or kind != "numeric":
        ref_k = [str(v) if not isinstance(v, float) else repr(v) for v in ref]
        cur_k = [str(v) if not isinstance(v, float) else repr(v) for v in cur]
    r_sh, c_sh = shares(np.array(ref, dtype=float) if kind == "numeric" else ref_k,
                        np.array(cur, dtype=float) if kind == "numeric" else cur_k, kind)
    out = {"column": name, "kind": kind}
    if len(ref) <= 1000:
        if kind == "numeric":
            r = stats.ks_2samp(np.array(ref, float), np.array(cur, float), method="auto")
            out.update(test="ks", statistic=num(r.statistic), pValue=num(r.pvalue), threshold=0.05, drift=bool(r.pvalue < 0.05))
        elif kind == "categorical":
            keys = sorted(set(ref_k) | set(cur_k))
            k_norm = len(cur_k) / len(ref_k)
            f_exp = [ref_k.count(k) * k_norm for k in keys]
            f_obs = [cur_k.count(k) for k in keys]
            with np.errstate(divide="ignore", invalid="ignore"):
                r = stats.chisquare(f_obs, f_exp)
            out.update(test="chi2", statistic=num(r.statistic), pValue=num(r.pvalue), threshold=0.05, drift=bool(r.pvalue < 0.05))
        else:
            keys = sorted(set(ref_k) | set(cur_k))
            if len(keys) == 1:
                z, p = 0.0, 1.0
            else:
                target = keys[0]
                n1, n2 = len(ref_k), len(cur_k)
                p1 = sum(1 for v in ref_k if v == target) / n1
                p2 = sum(1 for v in cur_k if v == target) / n2
                pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
                z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
                p = 2 * stats.norm.sf(abs(z))
            out.update(test="z", statistic=num(z), pValue=num(p), threshold=0.05, drift=bool(p < 0.05))
    else:
        if kind == "numeric":
            a, b = np.array(ref, float), np.array(cur, float)
            d = stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
            out.update(test="wasserstein", statistic=num(d), pValue=None, threshold=0.1, drift=bool(d >= 0.1))
        else:
            d = distance.jensenshannon(r_sh, c_sh)
            out.update(test="jensenshannon", statistic=num(d), pValue=None, threshold=0.1, drift=bool(d >= 0.1))
    r_p = np.where(r_sh == 0, 0.0001, r_sh)
    c_p = np.where(c_sh == 0, 0.0001, c_sh)
    out["psi"] = num(np.sum((r_p - c_p) * np.log(r_p / c_p)))
    return out


def report(name, ref_cols, cur_cols):
    cols = [column_drift(c, ref_cols[c], cur_cols[c]) for c in ref_cols if c in cur_cols]
    drifted = sum(1 for c in cols if c["drift"])
    share = drifted / len(cols)
    return {"name": name, "reference": ref_cols, "current": cur_cols,
            "expected": {"datasetDrift": bool(share >= 0.5), "driftShare": share, "columns": cols}}


def with_missing(values, share):
    values = list(values)
    for i in rng.choice(len(values), int(len(values) * share), replace=False):
        values[i] = None
    return values


def small_tables(n_ref, n_cur, shift):
    ref = {
        "income": with_missing([round(float(v), 2) for v in rng.normal(50000, 12000, n_ref)], 0.05),
        "visits": [int(v) for v in rng.poisson(4 + 0, n_ref)],
        "channel": [str(v) for v in rng.choice(["web", "app", "store", "phone"], n_ref, p=[0.4, 0.3, 0.2, 0.1])],
        "vip": [str(v) for v in rng.choice(["yes", "no"], n_ref, p=[0.2, 0.8])],
        "__proto__": [int(v) for v in rng.integers(0, 3, n_ref)],
    }
    cur = {
        "income": with_missing([round(float(v), 2) for v in rng.normal(50000 + 8000 * shift, 12000, n_cur)], 0.1),
        "visits": [int(v) for v in rng.poisson(4 + 2 * shift, n_cur)],
        "channel": [str(v) for v in rng.choice(["web", "app", "store", "phone", "kiosk"], n_cur,
                                                 p=[0.4 - 0.1 * shift, 0.3, 0.2, 0.1, 0.1 * shift] if shift else [0.4, 0.3, 0.2, 0.1, 0.0])],
        "vip": [str(v) for v in rng.choice(["yes", "no"], n_cur, p=[0.2 + 0.1 * shift, 0.8 - 0.1 * shift])],
        "__proto__": [int(v) for v in rng.integers(0, 3, n_cur)],
    }
    return ref, cur


reports = []
for name, n_ref, n_cur, shift in [("small, no shift", 300, 250, 0), ("small, shifted", 800, 1200, 1),
                                  ("large reference, no shift", 3000, 2500, 0),
                                  ("large reference, shifted", 4000, 3000, 1)]:
    ref, cur = small_tables(n_ref, n_cur, shift)
    reports.append(report(name, ref, cur))

# --- model health: a prediction log over three months, outcomes, sklearn metrics --------
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

log, outcomes, health = [], [], []
months = [("2025-01-01T00:00:00.000Z", "2025-02-01T00:00:00.000Z", 0.0),
          ("2025-02-01T00:00:00.000Z", "2025-03-01T00:00:00.000Z", 0.15),
          ("2025-03-01T00:00:00.000Z", "2025-04-01T00:00:00.000Z", 0.35)]
for m, (start, end, noise) in enumerate(months):
    y_true, y_pred, score = [], [], []
    for i in range(150):
        truth = int(rng.random() < 0.4)
        p_buy = float(np.clip(0.75 * truth + 0.15 + rng.normal(0, 0.2 + noise), 0.001, 0.999))
        p_buy = round(p_buy, 4)
        rid = f"m{m}-{i:03d}"
        top = [{"label": "buy", "probability": p_buy}, {"label": "none", "probability": round(1 - p_buy, 4)}]
        top.sort(key=lambda t: -t["probability"])
        day = 1 + i % 27
        log.append({"id": rid, "timestamp": f"{start[:8]}{day:02d}T12:00:00.000Z", "model": {"name": "purchase", "sha256": "0" * 64},
                    "input": {}, "features": {"names": ["recency", "frequency"], "values": [float(rng.integers(0, 90)), float(rng.integers(1, 20))]},
                    "top": top})
        if i % 5 != 4:  # a fifth of the outcomes have not arrived
            outcomes.append({"id": rid, "label": "buy" if truth else "none"})
            y_true.append(truth)
            y_pred.append(1 if top[0]["label"] == "buy" else 0)
            score.append(p_buy)
    health.append({"from": start, "to": end, "precision": precision_score(y_true, y_pred), "recall": recall_score(y_true, y_pred),
                   "f1": f1_score(y_true, y_pred), "rocAuc": roc_auc_score(y_true, score), "labelled": len(y_true)})

# --- the README's real-data example: marketing customers joined early vs late -------------
import pandas as pd

marketing = None
path = os.path.join(HERE, "../../../shared/data/customer-segmentation/marketing_campaign.csv")
if os.path.exists(path):
    df = pd.read_csv(path, sep="\t")
    iso = df["Dt_Customer"].map(lambda d: "-".join(reversed(d.split("-"))))
    df = df.drop(columns=["ID", "Dt_Customer", "Z_CostContact", "Z_Revenue"])
    early, late = df[iso < "2013-07-01"], df[iso >= "2013-07-01"]

    def plain(series):
        return [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in series]

    cols = [column_drift(c, plain(early[c]), plain(late[c])) for c in df.columns]
    drifted = sum(1 for c in cols if c["drift"])
    marketing = {"early": len(early), "late": len(late), "datasetDrift": bool(drifted / len(cols) >= 0.5),
                 "driftShare": drifted / len(cols), "columns": cols}

# --- the README's second example: app users vs the new app users ------------------------
app = None
pp = os.path.join(HERE, "../../../shared/data/purchase-prediction")
if os.path.exists(pp):
    def read_app(name):
        df = pd.read_csv(os.path.join(pp, name), dtype={"app_version": str})
        for c in ["first_visit_date", "purchase_date"]:  # retail-ml reads ISO dates as epoch ms
            d = pd.to_datetime(df[c])
            df[c] = [None if pd.isna(v) else float(v.value // 10**6) for v in d]
        return df.drop(columns=["user_id"])

    old, new = read_app("retail_app_data.csv"), read_app("new_retail_data.csv")
    cols = [column_drift(c, plain(old[c]), plain(new[c])) for c in old.columns]
    drifted = sum(1 for c in cols if c["drift"])
    app = {"datasetDrift": bool(drifted / len(cols) >= 0.5), "driftShare": drifted / len(cols), "columns": cols}

out = {"scipy": scipy.__version__, "numpy": np.__version__, "kolmogorov": kolmogorov, "ks": ks, "chi2": chi2,
       "normal": normal, "gammaq": gammaq, "wasserstein": wasserstein, "jensenshannon": js, "bins": bins,
       "reports": reports, "log": log, "outcomes": outcomes, "health": health, "marketing": marketing, "app": app}
with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote expected.json", os.path.getsize(os.path.join(HERE, "expected.json")), "bytes")
