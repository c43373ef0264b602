#!/usr/bin/python3
"""Reference outcomes from XGBoost 1.7.4 for the hostile-model cases of issue #15.

    /usr/bin/python3 models/hardening/xgboost_edges.py   # rewrites xgboost_edges.json (~5 s)

Each mutated model is loaded and scored by XGBoost in a fresh subprocess, so a crash
(signal) is recorded as such instead of killing this script. Outcomes:
  "refused"  XGBoostError while loading or predicting
  "crashed"  the subprocess died from a signal
  "scored"   predictions (margins and values, float32 bit patterns as hex)
"""
from __future__ import annotations

import copy
import json
import os
import struct
import subprocess
import sys

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
F = np.float32


def bits(a) -> list[str]:
    return [struct.pack(">f", float(F(v))).hex() for v in np.asarray(a, dtype=np.float32).ravel()]


CHILD = r"""
import json, sys
import numpy as np, xgboost as xgb
model_text, rows = sys.stdin.read().split("\n---\n")
rows = np.array(json.loads(rows), dtype=np.float32)
b = xgb.Booster()
try:
    b.load_model(bytearray(model_text.encode()))
    learner = json.loads(model_text)["learner"]
    d = xgb.DMatrix(rows, enable_categorical=True, feature_names=learner.get("feature_names") or None,
                    feature_types=learner.get("feature_types") or None)
    m = b.predict(d, output_margin=True)
    v = b.predict(d)
except xgb.core.XGBoostError as e:
    print(json.dumps({"outcome": "refused", "error": str(e).splitlines()[0][:200]}))
    sys.exit(0)
import struct
hx = lambda a: [struct.pack(">f", float(x)).hex() for x in np.asarray(a, dtype=np.float32).ravel()]
print(json.dumps({"outcome": "scored", "margin": hx(m), "value": hx(v)}))
"""


def run_child(model: dict, rows: list[list[float]]) -> dict:
    text = json.dumps(model)
    p = subprocess.run([sys.executable, "-c", CHILD], input=text + "\n---\n" + json.dumps(rows),
                       capture_output=True, text=True, timeout=60)
    if p.returncode < 0:
        return {"outcome": "crashed", "signal": -p.returncode}
    if p.returncode != 0:
        return {"outcome": "crashed", "exit": p.returncode, "stderr": p.stderr.strip().splitlines()[-1][:200] if p.stderr.strip() else ""}
    return json.loads(p.stdout.strip().splitlines()[-1])


def train_numeric() -> dict:
    rng = np.random.default_rng(15)
    x = rng.normal(size=(200, 3)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.float32)
    b = xgb.train({"objective": "binary:logistic", "max_depth": 2, "nthread": 1, "seed": 1},
                  xgb.DMatrix(x, label=y), num_boost_round=2)
    return json.loads(b.save_raw("json").decode())


def train_categorical() -> dict:
    import pandas as pd
    rng = np.random.default_rng(16)
    c = rng.integers(0, 6, size=300)
    z = rng.normal(size=300)
    y = ((c % 2 == 0) ^ (z > 0.3)).astype(np.float32)
    df = pd.DataFrame({"c": pd.Categorical(c, categories=list(range(6))), "z": z})
    b = xgb.train({"objective": "binary:logistic", "max_depth": 2, "nthread": 1, "seed": 1, "tree_method": "hist",
                   "max_cat_to_onehot": 1},
                  xgb.DMatrix(df, label=y, enable_categorical=True), num_boost_round=2)
    return json.loads(b.save_raw("json").decode())


def trees(model: dict) -> list[dict]:
    return model["learner"]["gradient_booster"]["model"]["trees"]


def main() -> None:
    out: dict = {"xgboost": xgb.__version__, "numpy": np.__version__, "cases": {}}
    cases = out["cases"]
    num = train_numeric()
    cat = train_categorical()
    rows_num = [[0.3, -1.2, 0.5], [-0.7, 0.4, float("nan")], [float("nan"), float("nan"), 1.0], [2.0, 2.0, -2.0]]
    rows_cat = [[0, 0.1], [1, -0.5], [2, 0.9], [5, float("nan")], [float("nan"), 0.2], [3, 1.5]]

    def case(name: str, model: dict, rows, description: str) -> None:
        cases[name] = {"description": description, "model": model, "rows": rows, **run_child(model, rows)}

    case("numeric_valid", num, rows_num, "the unmodified numeric model")
    case("categorical_valid", cat, rows_cat, "the unmodified categorical model")

    # categories_nodes naming a leaf.
    m = copy.deepcopy(cat)
    t = trees(m)[0]
    leaf = next(i for i, l in enumerate(t["left_children"]) if l == -1)
    t["categories_nodes"] = t["categories_nodes"] + [leaf]
    t["categories_segments"] = t["categories_segments"] + [len(t["categories"])]
    t["categories_sizes"] = t["categories_sizes"] + [1]
    t["categories"] = t["categories"] + [1]
    case("categories_node_is_leaf", m, rows_cat, f"trees[0].categories_nodes also names leaf {leaf}")

    # the same leaf listed first (categories_nodes sorted, as XGBoost writes them).
    m = copy.deepcopy(cat)
    t = trees(m)[0]
    t["categories_nodes"] = [leaf] + t["categories_nodes"]
    t["categories_segments"] = [len(t["categories"])] + t["categories_segments"]
    t["categories_sizes"] = [1] + t["categories_sizes"]
    t["categories"] = t["categories"] + [1]
    case("categories_node_is_leaf_first", m, rows_cat, f"trees[0].categories_nodes starts with leaf {leaf}")

    # a categorical split's entry moved to a leaf (the split keeps split_type 1).
    m = copy.deepcopy(cat)
    t = trees(m)[0]
    t["categories_nodes"] = [leaf if j == 0 else v for j, v in enumerate(t["categories_nodes"])]
    case("categories_node_moved_to_leaf", m, rows_cat, f"trees[0].categories_nodes[0] names leaf {leaf} instead of its split")

    # a categorical split whose category set is empty.
    m = copy.deepcopy(cat)
    t = trees(m)[0]
    k = 0
    node = t["categories_nodes"][k]
    start, size = t["categories_segments"][k], t["categories_sizes"][k]
    t["categories"] = t["categories"][:start] + t["categories"][start + size:]
    t["categories_sizes"][k] = 0
    t["categories_segments"] = [s - size if j > k else s for j, s in enumerate(t["categories_segments"])]
    case("categorical_split_empty_set", m, rows_cat, f"trees[0] node {node}: categories_sizes 0")

    # split_type 1 on a numeric split node that has no categories entry.
    m = copy.deepcopy(num)
    t = trees(m)[0]
    t["split_type"][0] = 1
    case("split_type_1_without_categories", m, rows_num, "trees[0] root: split_type 1, not in categories_nodes")

    # the same on a tree that also has real categorical splits (a numeric node marked 1).
    m = copy.deepcopy(cat)
    for ti, t in enumerate(trees(m)):
        numeric = [i for i, l in enumerate(t["left_children"]) if l != -1 and t["split_type"][i] == 0]
        if numeric and t["categories_nodes"]:
            t["split_type"][numeric[0]] = 1
            case("split_type_1_without_categories_in_categorical_tree", m, rows_cat,
                 f"trees[{ti}] node {numeric[0]} (numeric split on feature {t['split_indices'][numeric[0]]}): split_type 1, not in categories_nodes")
            break

    # default_left outside 0/1.
    for value in (2, 255, 256, -1):
        m = copy.deepcopy(num)
        t = trees(m)[0]
        t["default_left"][0] = value
        case(f"default_left_{value}".replace("-", "m"), m, rows_num, f"trees[0] root: default_left {value}")

    # trained for 0 rounds (best_iteration "-1" in some versions' attributes).
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    b0 = xgb.train({"objective": "binary:logistic", "nthread": 1}, xgb.DMatrix(x, label=y), num_boost_round=0)
    m0 = json.loads(b0.save_raw("json").decode())
    m0["learner"].setdefault("attributes", {})
    m0["learner"]["attributes"]["best_iteration"] = "-1"
    m0["learner"]["attributes"]["best_ntree_limit"] = "0"
    case("zero_rounds_best_iteration_m1", m0, rows_num, "0 boosting rounds, attributes.best_iteration '-1'")
    cases["zero_rounds_best_iteration_m1"]["best_iteration_from_xgboost"] = b0.attributes().get("best_iteration")

    # logistic transform at extreme margins: a one-split stump whose leaves are the margins.
    margins = [-1000.0, -200.0, -120.0, -100.0, -90.0, -88.75, -88.72, -88.7, -88.69, -88.0, -87.0, -80.0, -50.0, -20.0,
               0.0, 20.0, 88.7, 100.0, 1000.0]
    for objective in ("binary:logistic", "reg:logistic"):
        # margins arrive through base_margin on a 0-round model: margin = base_margin exactly.
        b = xgb.train({"objective": objective, "nthread": 1}, xgb.DMatrix(x, label=y), num_boost_round=0)
        d = xgb.DMatrix(np.zeros((len(margins), 3), dtype=np.float32), base_margin=np.array(margins, dtype=np.float32))
        key = objective.replace(":", "_")
        out[f"sigmoid_{key}"] = {"margins": bits(margins), "value": bits(b.predict(d)),
                                 "margin_out": bits(b.predict(d, output_margin=True))}
        # and through a model's own leaves: a depth-1 stump with leaf values -200 / -88.75.
        stump = copy.deepcopy(num)
        stump["learner"]["objective"]["name"] = objective
        t = trees(stump)[0]
        for i, l in enumerate(t["left_children"]):
            if l == -1:
                t["base_weights"][i] = t["split_conditions"][i] = -200.0 if i % 2 else -88.75
        case(f"extreme_leaves_{key}", stump, rows_num, f"{objective} model whose trees[0] leaves are -200 / -88.75")

    with open(os.path.join(HERE, "xgboost_edges.json"), "w") as fh:
        json.dump(out, fh, indent=1, allow_nan=True)
        fh.write("\n")
    for name, c in cases.items():
        print(f"{name:40s} {c['outcome']}")


if __name__ == "__main__":
    main()
