#!/usr/bin/python3
"""The three benchmark models of benchmarks/xgboost.bench.ts, made with Debian's XGBoost 1.7.4.

    /usr/bin/python3 models/bench/train.py               # ~1-2 minutes on 2 cores
    /usr/bin/python3 models/bench/train.py --generated   # the realistic shapes, into generated/

The --generated models (sparse deep multi-class, lossguide, categorical, many shallow trees)
are too large to commit: benchmarks/xgboost.bench.ts runs this script to make them in
models/bench/generated/ (git-ignored) the first time it needs them. Same file layout, no
ONNX or dump files.

Writes into models/bench/:
    <name>.json or <name>.ubj    booster.save_model (UBJ when the JSON would be large)
    <name>.rows.f32              10,000 held-out rows, float32 little-endian, row-major, NaN = missing
    <name>.expected.f32          XGBoost's predict() for the first 1,000 of those rows (float32)
    <name>.dump.json             (binary model) get_dump(dump_format="json"), for xgboost-scorer
    <name>.onnx                  the same model as an ai.onnx.ml TreeEnsemble (to_onnx.py)
    manifest.json                shapes, files, the JSON size of each model, versions

The data imitates an e-commerce customer table (sessions, orders, baskets, discounts,
returns, category spend shares, ...) with skewed, correlated columns and ~4% missing
values, so that trees grow the depth and shapes real models have. Seeds are fixed and
training uses nthread=1, so a rerun writes identical files.
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
NTHREAD = 1
ROWS_SAVED = 10_000
EXPECTED_ROWS = 1_000


def customer_table(rng: np.random.Generator, n: int, num_features: int) -> np.ndarray:
    """Skewed, correlated customer features; the first 12 columns have fixed meanings."""
    engagement = rng.gamma(2.0, 1.0, n)                   # latent activity level
    price = rng.lognormal(3.5, 0.6, n)                    # latent price level
    age = np.clip(rng.normal(38, 12, n), 18, 90).round()
    tenure_days = rng.exponential(700, n).round()
    sessions_30d = rng.poisson(engagement * 6)
    orders_90d = rng.poisson(engagement * 1.5)
    avg_basket = price * rng.lognormal(0, 0.3, n)
    discount_share = rng.beta(1.5 + 2 / (1 + engagement), 4, n)
    returns_12m = rng.binomial(orders_90d * 4 + 1, 0.08)
    last_login_days = rng.exponential(30 / (0.3 + engagement), n).round()
    email_open_rate = rng.beta(2, 5, n)
    cart_abandons = rng.poisson(0.5 + engagement, n)
    app_user = (rng.random(n) < 0.4 + 0.1 * np.tanh(engagement - 2)).astype(float)
    region = rng.integers(0, 10, n).astype(float)
    cols = [age, tenure_days, sessions_30d, orders_90d, avg_basket, discount_share, returns_12m,
            last_login_days, email_open_rate, cart_abandons, app_user, region]
    # The rest: spend shares over product categories and page views, tied to the latent traits.
    k = num_features - len(cols)
    affinity = rng.dirichlet(np.full(k, 0.4), n)
    for j in range(k):
        if j % 2 == 0:
            cols.append((affinity[:, j] * orders_90d * avg_basket).round(2))
        else:
            cols.append(rng.poisson(affinity[:, j] * sessions_30d * 3).astype(float))
    X = np.column_stack(cols)[:, :num_features].astype(np.float64)
    X[rng.random(X.shape) < 0.04] = np.nan
    return X


def standardise(X: np.ndarray) -> np.ndarray:
    Z = np.nan_to_num((X - np.nanmean(X, 0)) / (np.nanstd(X, 0) + 1e-9))
    return np.clip(Z, -4, 4)


def binary_labels(rng, X):
    Z = standardise(X)
    score = (0.9 * Z[:, 2] + 0.7 * Z[:, 3] - 0.8 * Z[:, 7] + 0.5 * Z[:, 8] * Z[:, 9]
             + 0.6 * np.sin(2 * Z[:, 4]) - 0.4 * Z[:, 5] * Z[:, 6] + 0.3 * Z[:, 12:].sum(1) / 4 - 1.2)
    return (rng.random(len(X)) < 1 / (1 + np.exp(-score))).astype(int)


def class_labels(rng, X, num_class):
    Z = standardise(X)
    W = rng.normal(0, 0.8, (Z.shape[1], num_class))
    logits = Z @ W + 0.6 * np.sin(Z[:, :num_class] * 2) + 0.5 * (Z[:, 2:3] * Z[:, 4:5])
    logits += rng.gumbel(size=logits.shape) * 0.8
    return logits.argmax(1)


MODELS = [
    # name, objective, classes, rounds, depth, features, training rows
    ("binary_150x5_30f", "binary:logistic", 0, 150, 5, 30, 60_000),
    ("softprob_10x60_d6_64f", "multi:softprob", 10, 60, 6, 64, 60_000),
    ("softprob_12x50_d8_20f", "multi:softprob", 12, 50, 8, 20, 80_000),
]


# Shapes real models have and the three above do not (benchmarks/xgboost.bench.ts, issue 20):
# name, objective, classes, rounds, depth, features, training rows, extra parameters.
GENERATED = [
    # Sparse deep multi-class: few rows per class and a larger min_child_weight leave the
    # depth-8 trees far from full (a full one has 511 nodes).
    ("sparse_softprob_12x50_d8_20f", "multi:softprob", 12, 50, 8, 20, 12_000, {"min_child_weight": 3}),
    # Lopsided trees: loss-guided growth up to 255 leaves and depth 16.
    ("lossguide_binary_100_l255_30f", "binary:logistic", 0, 100, 16, 30, 60_000,
     {"grow_policy": "lossguide", "max_leaves": 255}),
    # Category splits (partition-based: max_cat_to_onehot 1) on region and two extra codes.
    ("categorical_binary_150x6_32f", "binary:logistic", 0, 150, 6, 32, 60_000, {"max_cat_to_onehot": 1}),
    # Many shallow trees.
    ("binary_2000x4_30f", "binary:logistic", 0, 2000, 4, 30, 30_000, {"eta": 0.02}),
]
CATEGORICAL_COLUMNS = {11: 10, 30: 40, 31: 6}  # column -> number of categories (region, city, device)


def main() -> None:
    generated = "--generated" in sys.argv[1:]
    out_dir = os.path.join(HERE, "generated") if generated else HERE
    os.makedirs(out_dir, exist_ok=True)
    manifest = {"xgboost": xgb.__version__, "numpy": np.__version__, "python": sys.version.split()[0], "models": []}
    specs = GENERATED if generated else [m + ({},) for m in MODELS]
    for i, (name, objective, num_class, rounds, depth, nf, n_train, extra) in enumerate(specs):
        rng = np.random.default_rng((2000 if generated else 1000) + i)
        categorical = extra.get("max_cat_to_onehot") is not None
        X = customer_table(rng, n_train + ROWS_SAVED, min(nf, 30) if categorical else nf)
        feature_types = None
        if categorical:
            missing = np.isnan(X[:, 11])
            city = rng.zipf(1.6, len(X)) % CATEGORICAL_COLUMNS[30]
            device = rng.integers(0, CATEGORICAL_COLUMNS[31], len(X))
            X = np.column_stack([X, city.astype(float), device.astype(float)])
            X[:, 11][missing] = np.nan
            feature_types = ["c" if j in CATEGORICAL_COLUMNS else "q" for j in range(nf)]
        y = binary_labels(rng, X) if num_class == 0 else class_labels(rng, X, num_class)
        if categorical:
            # Let the codes matter: some cities and devices buy more.
            lift = rng.normal(0, 1.2, CATEGORICAL_COLUMNS[30])[np.nan_to_num(X[:, 30]).astype(int)] + (X[:, 31] == 2) * 0.8
            y = np.where(rng.random(len(X)) < 0.35, (lift + rng.normal(0, 1, len(X)) > 0.5).astype(int), y)
        Xtr, ytr, Xte = X[:n_train], y[:n_train], X[n_train:]
        params = {"objective": objective, "max_depth": depth, "eta": 0.1, "nthread": NTHREAD, "seed": 7,
                  "tree_method": "hist", "subsample": 0.8, "colsample_bytree": 0.9, "min_child_weight": 0.5}
        params.update(extra)
        if num_class:
            params["num_class"] = num_class
        else:
            # Not 0.5 on purpose: scorers that ignore base_score get wrong probabilities.
            params["base_score"] = float(ytr.mean())
        dtrain = xgb.DMatrix(Xtr, label=ytr, missing=np.nan, feature_types=feature_types, enable_categorical=categorical)
        booster = xgb.train(params, dtrain, rounds)
        json_path = os.path.join(out_dir, name + ".json")
        booster.save_model(json_path)
        json_size = os.path.getsize(json_path)
        if json_size > 4_000_000:
            os.remove(json_path)
            model_file = name + ".ubj"
            booster.save_model(os.path.join(out_dir, model_file))
        else:
            model_file = name + ".json"
        Xte32 = Xte.astype(np.float32)
        Xte32.tofile(os.path.join(out_dir, name + ".rows.f32"))
        dtest = xgb.DMatrix(Xte32[:EXPECTED_ROWS], missing=np.nan, feature_types=feature_types, enable_categorical=categorical)
        expected = booster.predict(dtest).astype(np.float32)
        expected.tofile(os.path.join(out_dir, name + ".expected.f32"))
        if num_class == 0 and not generated:
            # The dump format the npm package xgboost-scorer reads (binary models only).
            with open(os.path.join(HERE, name + ".dump.json"), "w") as f:
                json.dump([json.loads(t) for t in booster.get_dump(dump_format="json")], f, separators=(",", ":"))
        trees = booster.get_dump()
        nodes = sum(t.count("\n") for t in trees)
        tree_json = json.loads(booster.save_raw("json"))["learner"]["gradient_booster"]["model"]["trees"]
        depths = []
        for t in tree_json:
            left, right = t["left_children"], t["right_children"]
            stack, deepest = [(0, 0)], 0
            while stack:
                node, d = stack.pop()
                deepest = max(deepest, d)
                if left[node] != -1:
                    stack += [(left[node], d + 1), (right[node], d + 1)]
            depths.append(deepest)
        manifest["models"].append({
            "name": name, "objective": objective, "num_class": num_class, "rounds": rounds, "max_depth": depth,
            "num_features": nf, "num_trees": len(trees), "num_nodes": nodes, "train_rows": n_train,
            "model_file": model_file, "json_bytes": json_size, "rows_file": name + ".rows.f32", "rows": ROWS_SAVED,
            "expected_file": name + ".expected.f32", "expected_rows": EXPECTED_ROWS,
            "expected_shape": list(expected.shape), "onnx_file": name + ".onnx",
            **({"generated": True, "params": extra, "deepest_tree": max(depths),
                "categorical_features": sorted(CATEGORICAL_COLUMNS) if categorical else []} if generated else {}),
        })
        print(f"{name}: {len(trees)} trees, {nodes} nodes ({nodes / len(trees):.0f} per tree, deepest {max(depths)}), "
              f"JSON {json_size / 1e6:.1f} MB -> {model_file}", flush=True)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
