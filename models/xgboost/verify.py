#!/usr/bin/python3
"""Check the fixtures against a from-scratch float32 scorer of the saved JSON models.

    /usr/bin/python3 models/xgboost/verify.py

Not a second source of expected values (those come only from XGBoost itself): this
confirms the semantics written in README.md reproduce XGBoost 1.7.4's margins bit for
bit, and measures how many fixture rows each tempting shortcut would get wrong
(double-precision comparisons, out-of-range categories following default_left,
base_score converted in double precision, float64 accumulation).
"""
from __future__ import annotations

import json
import math
import os

import numpy as np

F = np.float32
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def base_margin(objective: str, bs: float, double_link: bool) -> np.float32:
    # binary:logitraw keeps base_score as the margin in 1.7.4 (no logit)
    if double_link:
        b = float(F(bs))
        if objective in ("binary:logistic", "reg:logistic"):
            return F(-np.log(1.0 / b - 1.0))
        if objective in ("count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "survival:aft"):
            return F(np.log(b))
        return F(b)
    # float32 arithmetic and a correctly rounded float32 log (glibc logf), as
    # XGBoost's -logf(1.0f / base_score - 1.0f) and std::log(float). numpy's float32
    # log is not correctly rounded (log(3.5f) comes out 1 ulp high), so use math.log.
    b = F(bs)
    if objective in ("binary:logistic", "reg:logistic"):
        return -F(math.log(float(F(F(1) / b) - F(1))))
    if objective in ("count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "survival:aft"):
        return F(math.log(float(b)))
    return b


def walk(t: dict, row: np.ndarray, mode: dict) -> int:
    i = 0
    left, right = t["left_children"], t["right_children"]
    cats = {n: set(t["categories"][s:s + k]) for n, s, k in
            zip(t["categories_nodes"], t["categories_segments"], t["categories_sizes"])}
    while left[i] != -1:
        x = row[t["split_indices"][i]]
        if np.isnan(x):
            go_left = bool(t["default_left"][i])
        elif t["split_type"][i] == 1:
            x32 = float(F(x))
            if x32 < 0 or x32 >= 2 ** 31:
                go_left = bool(t["default_left"][i]) if mode["cat_oob_default"] else True
            else:
                go_left = int(x32) not in cats[i]
        elif mode["double_compare"]:
            go_left = float(x) < float(t["split_conditions"][i])
        else:
            go_left = F(x) < F(t["split_conditions"][i])
        i = left[i] if go_left else right[i]
    return i


def score(model: dict, e: dict, rows: np.ndarray, mode: dict, rng=None) -> np.ndarray:
    L = model["learner"]
    obj = L["objective"]["name"]
    ngroup = max(int(L["learner_model_param"]["num_class"]), int(L["learner_model_param"].get("num_target", "1")), 1)
    bm = base_margin(obj, float(L["learner_model_param"]["base_score"]), mode["double_link"])
    dt = np.float64 if mode["f64_accumulate"] else np.float32
    out = np.zeros((len(rows), ngroup), dtype=dt) + dt(bm)
    gb = L["gradient_booster"]
    if gb["name"] == "gblinear":
        w = np.asarray(gb["model"]["weights"], dtype=np.float32).reshape(-1, ngroup)
        for r, row in enumerate(rows):
            for g in range(ngroup):
                s = F(out[r, g]) + w[-1, g]          # bias first, then features in order
                for f, x in enumerate(row):
                    if not np.isnan(x):
                        s = F(s + F(F(x) * w[f, g]))
                out[r, g] = s
        return out
    weights = gb.get("weight_drop")
    m = gb["gbtree"]["model"] if gb["name"] == "dart" else gb["model"]
    per_round = int(m["gbtree_model_param"]["num_parallel_tree"]) * ngroup
    b, e_ = rng if rng else (0, 0)
    lo, hi = b * per_round, (e_ * per_round if e_ else len(m["trees"]))
    for k in range(lo, hi):
        t, g = m["trees"][k], m["tree_info"][k]
        for r, row in enumerate(rows):
            leaf = F(t["split_conditions"][walk(t, row, mode)])
            if weights is not None:
                leaf = F(leaf * F(weights[k]))
            out[r, g] = dt(out[r, g] + dt(leaf))
    return out


MODES = {
    "xgboost rules": dict(double_compare=False, cat_oob_default=False, double_link=False, f64_accumulate=False),
    "float64 threshold compare": dict(double_compare=True, cat_oob_default=False, double_link=False, f64_accumulate=False),
    "out-of-range category follows default_left": dict(double_compare=False, cat_oob_default=True, double_link=False, f64_accumulate=False),
    "base_score link in float64": dict(double_compare=False, cat_oob_default=False, double_link=True, f64_accumulate=False),
    "float64 accumulation": dict(double_compare=False, cat_oob_default=False, double_link=False, f64_accumulate=True),
}


def main() -> None:
    manifest = json.load(open(os.path.join(OUT, "manifest.json")))
    wrong = {k: [] for k in MODES}
    for case in manifest["cases"]:
        name = case["name"]
        e = json.load(open(os.path.join(OUT, f"{name}.expected.json")))
        model = json.load(open(os.path.join(OUT, f"{name}.json")))
        rows = np.array([[np.nan if v is None else v for v in r] for r in e["rows"]], dtype=np.float64)
        want = np.asarray(e["margin"], dtype=np.float32)
        for mode_name, mode in MODES.items():
            got = score(model, e, rows, mode).astype(np.float32)
            bad = int((~(got == want)).any(axis=1).sum())
            if bad:
                wrong[mode_name].append(f"{name}:{bad}")
        for rg in e["iteration_ranges"]:
            got = score(model, e, rows, MODES["xgboost rules"], tuple(rg["range"])).astype(np.float32)
            assert np.array_equal(got, np.asarray(rg["margin"], dtype=np.float32)), (name, rg["range"])
        if "leaf" in e:
            gb = model["learner"]["gradient_booster"]
            trees = (gb["gbtree"] if gb["name"] == "dart" else gb)["model"]["trees"]
            got = [[walk(t, row, MODES["xgboost rules"]) for t in trees] for row in rows]
            assert got == e["leaf"], (name, "leaf")
    assert not wrong["xgboost rules"], wrong["xgboost rules"]
    print("all margins, iteration ranges and leaf indices reproduced bit-exactly by the float32 rules")
    for mode_name, cases in wrong.items():
        if mode_name != "xgboost rules":
            print(f"- {mode_name}: {len(cases)} cases differ (rows): {', '.join(cases) or 'none'}")


if __name__ == "__main__":
    main()
