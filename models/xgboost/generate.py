#!/usr/bin/python3
"""Reference fixtures for retail-ml's XGBoost loaders, made with Debian's XGBoost 1.7.4.

Run from anywhere with Debian's interpreter (not the python3 first on PATH):

    /usr/bin/python3 models/xgboost/generate.py

Every case trains a small model with fixed seeds on synthetic customer data and
writes into models/xgboost/fixtures/:

    <name>.json, <name>.ubj       booster.save_model
    <name>.dump.json              (some cases) get_dump(dump_format="json"), parsed
    <name>.expected.json          inputs and XGBoost's own outputs

plus manifest.json. See README.md for the layout of the expected files.
"""
from __future__ import annotations

import json
import math
import os
import sys

import numpy as np
import pandas as pd
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
NTHREAD = 1  # single thread: identical models on every machine

FEATURES = [
    "age", "last_login_days", "orders_12m", "avg_basket", "discount_share",
    "sessions_30d", "returns_12m", "tenure_days",
]
CHANNELS = ["web", "app", "store", "email", "social", "partner"]               # 6
REGIONS = ["north", "south", "east", "west", "central", "metro_a", "metro_b",
           "coast", "hills", "islands"]                                       # 10
DEVICES = ["ios", "android", "windows", "mac", "linux", "tablet", "tv", "other"]  # 8
FAV = ["books", "clothing", "electronics", "home", "beauty", "toys", "sports",
       "garden", "grocery", "auto", "music", "pets"]                          # 12
CLASSES = ["Books", "Clothing", "Electronics", "Home"]

manifest: list[dict] = []


# ----------------------------------------------------------------------------- data

def customers(n: int, rng: np.random.Generator, nan_frac: float = 0.08):
    """Numeric customer features (float64, NaN = missing) and a latent score."""
    age = rng.integers(18, 76, n).astype(float)
    last_login = np.round(rng.exponential(25.0, n))
    orders = rng.poisson(4.0, n).astype(float)
    basket = np.round(rng.lognormal(3.6, 0.55, n), 2)
    discount = np.round(rng.beta(2.0, 5.0, n), 3)
    sessions = rng.poisson(9.0, n).astype(float)
    returns = rng.binomial(orders.astype(int), 0.12).astype(float)
    tenure = np.round(rng.uniform(0.0, 2200.0, n))
    X = np.column_stack([age, last_login, orders, basket, discount, sessions, returns, tenure])
    latent = (0.35 * (orders - 4) - 0.03 * (last_login - 25) + 0.6 * (discount - 0.3) * 3
              + 0.02 * (sessions - 9) - 0.4 * returns + 0.004 * (basket - 40)
              + 0.0004 * (tenure - 1100) - 0.01 * (age - 45))
    if nan_frac > 0:
        X = X.copy()
        X[rng.random(X.shape) < nan_frac] = np.nan
    return X, latent


def categorical_frame(n: int, rng: np.random.Generator, nan_frac: float = 0.08):
    """pandas frame: 4 numeric columns and 3 `category` columns (6, 10, 12 levels)."""
    X, latent = customers(n, rng, nan_frac)
    ch = rng.integers(0, len(CHANNELS), n)
    rg = rng.integers(0, len(REGIONS), n)
    fv = rng.integers(0, len(FAV), n)
    latent = latent + np.array([0.8, 0.3, -0.5, 0.1, -0.9, 0.4])[ch] \
        + np.where(np.isin(rg, [1, 4, 7, 8]), 0.9, -0.4) \
        + np.array([0.2, -0.6, 0.9, 0.5, -0.3, 0.0, 0.7, -0.8, 0.1, 0.4, -0.2, 0.6])[fv]
    codes = {}
    for name, c, k in (("channel", ch, 6), ("region", rg, 10), ("favourite", fv, 12)):
        c = c.astype(float)
        c[rng.random(n) < nan_frac] = np.nan
        codes[name] = (c, k)
    df = pd.DataFrame({f: X[:, i] for i, f in enumerate(FEATURES[:4])})
    for name, (c, k) in codes.items():
        df[name] = pd.Categorical.from_codes(np.where(np.isnan(c), -1, c).astype(int),
                                             categories=list(range(k)))
    return df, latent


def frame_to_matrix(df: pd.DataFrame) -> np.ndarray:
    """Categorical columns become their integer codes, missing → NaN."""
    cols = []
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            codes = df[c].cat.codes.to_numpy().astype(float)
            codes[codes < 0] = np.nan
            cols.append(codes)
        else:
            cols.append(df[c].to_numpy(dtype=float))
    return np.column_stack(cols)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ----------------------------------------------------------------------------- output

def f32(a) -> list:
    """float32 array → nested lists of exact doubles (NaN → None)."""
    a = np.asarray(a, dtype=np.float32)
    return _nested(a.astype(np.float64))


def f64(a) -> list:
    return _nested(np.asarray(a, dtype=np.float64))


def _nested(a):
    if a.ndim == 0:
        v = float(a)
        return None if math.isnan(v) else v
    return [_nested(x) for x in a]


def as_2d(a: np.ndarray, n: int) -> np.ndarray:
    return np.asarray(a).reshape(n, -1)


def write_json(path: str, obj) -> None:
    with open(path, "w") as f:
        json.dump(obj, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")


def model_json(booster: xgb.Booster) -> dict:
    return json.loads(booster.save_raw("json").decode())  # json.loads accepts bare NaN


def save_case(name: str, description: str, booster: xgb.Booster, rows: np.ndarray, *,
              objective: str, num_class: int = 0, base_score=None,
              feature_names=None, feature_types=None, categorical: bool = False,
              ranges=None, dump: bool = False, interactions_rows: int = 3,
              notes: str | None = None, extra: dict | None = None) -> dict:
    n = rows.shape[0]
    dm = xgb.DMatrix(rows, missing=np.nan, feature_names=feature_names,
                     feature_types=feature_types, enable_categorical=categorical,
                     nthread=NTHREAD)
    mj = model_json(booster)
    learner = mj["learner"]
    gb = learner["gradient_booster"]
    linear = gb["name"] == "gblinear"
    tree_model = gb["gbtree"]["model"] if gb["name"] == "dart" else gb.get("model")

    margin = booster.predict(dm, output_margin=True)
    value = booster.predict(dm)
    expected = {
        "name": name,
        "description": description,
        "xgboost_version": xgb.__version__,
        "objective": objective,
        "booster": gb["name"],
        "num_feature": int(learner["learner_model_param"]["num_feature"]),
        "feature_names": feature_names,
        "feature_types": feature_types,
        "num_class": num_class,
        "num_target": int(learner["learner_model_param"].get("num_target", "1")),
        "base_score": base_score,
        "saved_base_score": learner["learner_model_param"]["base_score"],
        "best_iteration": (int(learner["attributes"]["best_iteration"])
                           if "best_iteration" in learner["attributes"] else None),
        "num_trees": None if linear else int(tree_model["gbtree_model_param"]["num_trees"]),
        "num_boosted_rounds": booster.num_boosted_rounds(),
        "rows": f64(rows),
        "margin": f32(as_2d(margin, n)),
        "value": f32(as_2d(value, n)),
    }
    if linear:
        expected["num_trees_note"] = ("gblinear: no trees; XGBoost 1.7.4 ignores the end of "
                                      "iteration_range for gblinear and rejects begin != 0")
    else:
        expected["leaf"] = as_2d(booster.predict(dm, pred_leaf=True), n).astype(int).tolist()
    expected["iteration_ranges"] = []
    for b, e in (ranges or []):
        expected["iteration_ranges"].append({
            "range": [b, e],
            "margin": f32(as_2d(booster.predict(dm, output_margin=True, iteration_range=(b, e)), n)),
            "value": f32(as_2d(booster.predict(dm, iteration_range=(b, e)), n)),
        })
    # contributions: shape exactly as XGBoost returns it (see README)
    expected["contribs"] = f32(booster.predict(dm, pred_contribs=True))
    if not linear:
        expected["approx_contribs"] = f32(booster.predict(dm, pred_contribs=True, approx_contribs=True))
        if interactions_rows > 0:
            dm3 = xgb.DMatrix(rows[:interactions_rows], missing=np.nan, feature_names=feature_names,
                              feature_types=feature_types, enable_categorical=categorical,
                              nthread=NTHREAD)
            expected["interactions"] = f32(booster.predict(dm3, pred_interactions=True))
        else:
            expected["interactions"] = None
    if notes:
        expected["notes"] = notes
    if extra:
        expected.update(extra)

    files = [f"{name}.json", f"{name}.ubj", f"{name}.expected.json"]
    booster.save_model(os.path.join(OUT, f"{name}.json"))
    booster.save_model(os.path.join(OUT, f"{name}.ubj"))
    if dump:
        trees = [json.loads(s) for s in booster.get_dump(dump_format="json")]
        write_json(os.path.join(OUT, f"{name}.dump.json"), trees)
        files.append(f"{name}.dump.json")
    write_json(os.path.join(OUT, f"{name}.expected.json"), expected)
    manifest.append({"name": name, "objective": objective, "booster": gb["name"],
                     "files": files, "description": description})
    sanity(expected, booster, dm)
    distinct = min(len(set(col)) for col in zip(*expected["margin"]))
    assert distinct >= 4, (name, "degenerate model: too few distinct margins", distinct)
    return expected


# ----------------------------------------------------------------------------- sanity

def sanity(e: dict, booster: xgb.Booster, dm: xgb.DMatrix) -> None:
    """The saved files reload to identical predictions; value follows from margin."""
    for ext in ("json", "ubj"):
        b2 = xgb.Booster(model_file=os.path.join(OUT, f"{e['name']}.{ext}"))
        m2 = as_2d(b2.predict(dm, output_margin=True), len(e["rows"]))
        assert np.array_equal(np.asarray(f32(m2), dtype=np.float64),
                              np.asarray(e["margin"], dtype=np.float64)), (e["name"], ext)
    m = np.asarray(e["margin"], dtype=np.float64)
    v = np.asarray(e["value"], dtype=np.float64)
    obj = e["objective"]
    if obj in ("binary:logistic", "reg:logistic"):
        want = sigmoid(m)
    elif obj in ("count:poisson", "reg:gamma", "reg:tweedie", "survival:cox", "survival:aft"):
        want = np.exp(m)
    elif obj == "multi:softprob":
        z = np.exp(m - m.max(axis=1, keepdims=True))
        want = z / z.sum(axis=1, keepdims=True)
    elif obj == "multi:softmax":
        want = m.argmax(axis=1).reshape(-1, 1).astype(float)
    elif obj == "binary:hinge":
        want = (m > 0).astype(float)
    else:
        want = m
    assert np.allclose(v, want, rtol=2e-6, atol=1e-7), (e["name"], np.abs(v - want).max())
    if e.get("contribs") is not None:
        c = np.asarray(e["contribs"], dtype=np.float64)
        s = c.sum(axis=-1).reshape(len(e["rows"]), -1)
        assert np.allclose(s, m, rtol=1e-4, atol=1e-4), (e["name"], np.abs(s - m).max())


# ----------------------------------------------------------------------------- training

def params(objective: str, **kw) -> dict:
    p = {"objective": objective, "max_depth": 4, "eta": 0.3, "seed": 7,
         "nthread": NTHREAD, "tree_method": "exact"}
    p.update(kw)
    return p


def labels_for(objective: str, latent: np.ndarray, rng: np.random.Generator):
    n = len(latent)
    z = latent + rng.normal(0.0, 0.5, n)
    if objective.startswith("binary:"):
        return (rng.random(n) < sigmoid(z)).astype(float)
    if objective == "reg:logistic":
        return np.clip(np.round(sigmoid(z) + rng.normal(0, 0.05, n), 3), 0.0, 1.0)
    if objective in ("reg:squarederror", "reg:pseudohubererror", "reg:absoluteerror"):
        return np.round(60.0 + 25.0 * z, 2)
    if objective == "reg:squaredlogerror":
        return np.round(np.exp(1.0 + 0.5 * z), 2)   # larger labels give one-leaf trees
    if objective == "count:poisson":
        return rng.poisson(np.exp(0.8 + 0.35 * z)).astype(float)
    if objective == "reg:gamma":
        return np.round(rng.gamma(3.0, np.exp(0.5 + 0.3 * z) / 3.0), 3) + 0.01
    if objective == "reg:tweedie":
        buys = rng.random(n) < sigmoid(z)
        return np.where(buys, np.round(rng.gamma(2.0, 1.2, n), 3), 0.0)
    raise ValueError(objective)


def train_simple(objective: str, rng, *, rounds=5, extra=None, n=600, label_fn=None):
    X, latent = customers(n, rng)
    y = label_fn(latent) if label_fn else labels_for(objective, latent, rng)
    d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=FEATURES, nthread=NTHREAD)
    b = xgb.train(params(objective, **(extra or {})), d, rounds)
    return b


def test_rows(rng, n=30, nan_frac=0.15):
    X, _ = customers(n, rng, nan_frac)
    X[0, :] = np.nan            # a row with every value missing
    return X


# ----------------------------------------------------------------------------- cases

def case_objectives():
    dumped = {"binary:logistic", "multi:softprob", "reg:squarederror"}
    for i, obj in enumerate(["binary:logistic", "binary:logitraw", "binary:hinge", "reg:logistic",
                             "reg:squarederror", "reg:squaredlogerror", "reg:pseudohubererror",
                             "reg:absoluteerror", "count:poisson", "reg:gamma", "reg:tweedie"]):
        rng = np.random.default_rng(100 + i)
        extra = {"tweedie_variance_power": 1.4} if obj == "reg:tweedie" else {}
        if obj == "reg:pseudohubererror":
            extra = {"huber_slope": 20.0}
        b = train_simple(obj, rng, extra=extra)
        name = "obj_" + obj.replace(":", "_")
        save_case(name, f"{obj}, 5 rounds, depth 4, default base_score, NaNs in every column",
                  b, test_rows(rng), objective=obj, base_score=None, feature_names=FEATURES,
                  ranges=[(0, 1), (2, 5)], dump=obj in dumped)

    # survival:cox — label = time, negative = right-censored
    rng = np.random.default_rng(120)
    X, latent = customers(600, rng)
    t = np.round(rng.exponential(np.exp(3.0 - 0.5 * latent)), 1) + 0.1
    cens = rng.random(600) < 0.3
    d = xgb.DMatrix(X, label=np.where(cens, -t, t), missing=np.nan, feature_names=FEATURES)
    b = xgb.train(params("survival:cox"), d, 5)
    save_case("obj_survival_cox", "survival:cox (time-to-churn, 30% right-censored), value = exp(margin)",
              b, test_rows(rng), objective="survival:cox", feature_names=FEATURES, ranges=[(0, 2), (2, 5)])

    # survival:aft — interval labels, +inf upper bound = right-censored
    rng = np.random.default_rng(121)
    X, latent = customers(600, rng)
    t = np.round(rng.exponential(np.exp(3.0 - 0.5 * latent)), 1) + 0.1
    cens = rng.random(600) < 0.3
    d = xgb.DMatrix(X, missing=np.nan, feature_names=FEATURES)
    d.set_float_info("label_lower_bound", t)
    d.set_float_info("label_upper_bound", np.where(cens, np.inf, t))
    b = xgb.train(params("survival:aft", aft_loss_distribution="normal",
                         aft_loss_distribution_scale=1.2), d, 5)
    save_case("obj_survival_aft", "survival:aft (normal, scale 1.2) with lower/upper bounds, value = exp(margin)",
              b, test_rows(rng), objective="survival:aft", feature_names=FEATURES, ranges=[(0, 2), (2, 5)])

    # multi-class: favourite category of 4
    for i, obj in enumerate(["multi:softprob", "multi:softmax"]):
        rng = np.random.default_rng(130 + i)
        X, latent = customers(800, rng)
        logits = np.column_stack([
            0.03 * (np.nan_to_num(X[:, 0], nan=45) - 45),
            -0.5 * np.nan_to_num(X[:, 4], nan=0.3) * 3 + 0.3,
            0.2 * (np.nan_to_num(X[:, 2], nan=4) - 4),
            0.4 * latent,
        ]) + rng.gumbel(size=(800, 4))
        y = logits.argmax(axis=1).astype(float)
        d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=FEATURES)
        b = xgb.train(params(obj, num_class=4), d, 4)
        save_case("obj_" + obj.replace(":", "_"),
                  f"{obj}, 4 classes x 4 rounds = 16 trees (tree_info = class)"
                  + ("; value is the class index" if obj == "multi:softmax" else ""),
                  b, test_rows(rng), objective=obj, num_class=4, feature_names=FEATURES,
                  ranges=[(0, 1), (1, 3)], dump=obj == "multi:softprob",
                  extra={"class_names": CLASSES})

    # ranking: query groups of 10 products, graded relevance 0..3
    for i, obj in enumerate(["rank:pairwise", "rank:ndcg", "rank:map"]):
        rng = np.random.default_rng(140 + i)
        X, latent = customers(600, rng)
        if obj == "rank:map":
            rel = (latent + rng.normal(0, 0.7, 600) > 0.3).astype(float)
        else:
            rel = np.digitize(latent + rng.normal(0, 0.7, 600), [-0.5, 0.3, 1.0]).astype(float)
        d = xgb.DMatrix(X, label=rel, missing=np.nan, feature_names=FEATURES)
        d.set_group([10] * 60)
        b = xgb.train(params(obj), d, 5)
        save_case("obj_" + obj.replace(":", "_"), f"{obj}, 60 query groups of 10, identity output",
                  b, test_rows(rng), objective=obj, feature_names=FEATURES, ranges=[(0, 1), (1, 5)])


def case_base_scores():
    specs = [
        # 0.02, 0.9, 0.85: -logf(1.0f/b - 1.0f) in float32 differs from the double formula
        ("binary:logistic", [0.2, 0.7, 0.123456789, 0.02, 0.9]),
        ("reg:logistic", [0.2, 0.85]),
        ("binary:logitraw", [0.3]),
        ("binary:hinge", [0.25]),
        ("reg:squarederror", [7.77, -3.3]),
        ("count:poisson", [3.5, 0.37]),
        ("reg:gamma", [3.5, 0.37]),
        ("reg:tweedie", [3.5, 0.37]),
        ("survival:cox", [2.5]),
    ]
    k = 0
    for obj, values in specs:
        for bs in values:
            k += 1
            rng = np.random.default_rng(200 + k)
            if obj == "survival:cox":
                X, latent = customers(600, rng)
                t = np.round(rng.exponential(np.exp(3.0 - 0.5 * latent)), 1) + 0.1
                y = np.where(rng.random(600) < 0.3, -t, t)
                d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=FEATURES)
                b = xgb.train(params(obj, base_score=bs), d, 4)
            elif obj in ("count:poisson", "reg:gamma", "reg:tweedie"):
                # labels on the scale of base_score, so the first trees still split
                def scaled(latent, obj=obj, bs=bs, rng=rng):
                    y = labels_for(obj, latent, rng)
                    return np.round(y * (1.5 * bs / y.mean()), 3)
                b = train_simple(obj, rng, rounds=4, extra={"base_score": bs}, label_fn=scaled)
            else:
                b = train_simple(obj, rng, rounds=4, extra={"base_score": bs})
            tag = repr(bs).replace("-", "m").replace(".", "p")
            name = f"base_score_{obj.replace(':', '_')}_{tag}"
            save_case(name, f"{obj} with base_score={bs!r} (base margin = the objective's ProbToMargin(base_score) in float32)",
                      b, test_rows(rng), objective=obj, base_score=bs, feature_names=FEATURES,
                      ranges=[(0, 0), (0, 2)], dump=(bs == 0.123456789))


def case_dart():
    for i, obj in enumerate(["binary:logistic", "reg:squarederror"]):
        rng = np.random.default_rng(300 + i)
        b = train_simple(obj, rng, rounds=10,
                         extra={"booster": "dart", "rate_drop": 0.3, "skip_drop": 0.0,
                                "max_depth": 3, "sample_type": "uniform", "normalize_type": "tree"})
        w = model_json(b)["learner"]["gradient_booster"]["weight_drop"]
        assert any(x != 1.0 for x in w), w
        save_case("dart_" + obj.replace(":", "_"),
                  f"DART {obj}, rate_drop 0.3, 10 rounds; weight_drop beside gbtree scales each tree",
                  b, test_rows(rng), objective=obj, feature_names=FEATURES,
                  ranges=[(0, 3), (3, 10)], dump=i == 0, extra={"weight_drop": w})


def case_gblinear():
    for i, (obj, nc) in enumerate([("reg:squarederror", 0), ("binary:logistic", 0), ("multi:softprob", 3)]):
        rng = np.random.default_rng(400 + i)
        X, latent = customers(600, rng)
        if nc:
            y = np.digitize(latent + rng.normal(0, 0.5, 600), [-0.4, 0.6]).astype(float)
        else:
            y = labels_for(obj, latent, rng)
        d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=FEATURES)
        p = {"booster": "gblinear", "objective": obj, "eta": 0.5, "lambda": 0.1, "alpha": 0.01,
             "updater": "coord_descent", "feature_selector": "cyclic", "seed": 7, "nthread": NTHREAD}
        if nc:
            p["num_class"] = nc
        b = xgb.train(p, d, 6)
        save_case("gblinear_" + obj.replace(":", "_"),
                  f"gblinear {obj}, 6 rounds; missing features contribute 0",
                  b, test_rows(rng), objective=obj, num_class=nc, feature_names=FEATURES,
                  ranges=None)


def craft_categorical_rows(df_rows: np.ndarray, cat_cols: list[int], levels: list[int], rng) -> np.ndarray:
    """Test rows plus rows with out-of-range / negative category codes."""
    rows = df_rows.copy()
    bad = []
    for j, k in zip(cat_cols, levels):
        for code in (k, k + 3, 31, 32, 40, 1000, -1, -3):
            r = rows[rng.integers(0, len(rows))].copy()
            r[j] = code
            bad.append(r)
    return np.vstack([rows, np.array(bad[:: 2] + bad[1::2][:6])])


def case_categorical():
    specs = [
        ("cat_binary_partition", "binary:logistic", 0, 1),
        ("cat_reg_partition", "reg:squarederror", 0, 1),
        ("cat_multi_softprob_partition", "multi:softprob", 4, 1),
        ("cat_binary_onehot", "binary:logistic", 0, 16),
    ]
    for i, (name, obj, nc, onehot) in enumerate(specs):
        rng = np.random.default_rng(500 + i)
        df, latent = categorical_frame(800, rng)
        if nc:
            y = np.digitize(latent + rng.normal(0, 0.5, 800), [-0.8, 0.2, 1.1]).astype(float)
        else:
            y = labels_for(obj, latent, rng)
        d = xgb.DMatrix(df, label=y, enable_categorical=True, nthread=NTHREAD)
        p = params(obj, tree_method="hist", max_cat_to_onehot=onehot, max_depth=5)
        if nc:
            p["num_class"] = nc
        b = xgb.train(p, d, 5)
        dft, _ = categorical_frame(24, rng, nan_frac=0.2)
        # XGBoost's own pandas path vs the integer-code path must agree
        m_pd = b.predict(xgb.DMatrix(dft, enable_categorical=True), output_margin=True)
        rows0 = frame_to_matrix(dft)
        fn, ft = list(df.columns), ["c" if isinstance(df[c].dtype, pd.CategoricalDtype) else "float"
                                    for c in df.columns]
        m_np = b.predict(xgb.DMatrix(rows0, missing=np.nan, feature_names=fn, feature_types=ft,
                                     enable_categorical=True), output_margin=True)
        assert np.array_equal(m_pd, m_np), name
        rows = craft_categorical_rows(rows0, [4, 5, 6], [6, 10, 12], rng)
        mj = model_json(b)
        trees = mj["learner"]["gradient_booster"]["model"]["trees"]
        n_cat_nodes = sum(len(t["categories_nodes"]) for t in trees)
        max_set = max((s for t in trees for s in t["categories_sizes"]), default=0)
        assert n_cat_nodes > 0
        if onehot == 1:
            assert max_set > 1, "expected partition splits"
        save_case(name,
                  f"{obj}, tree_method=hist, max_cat_to_onehot={onehot} "
                  f"({'partition (set)' if onehot == 1 else 'one-hot style'} splits), "
                  "pandas category columns channel(6)/region(10)/favourite(12), NaNs, "
                  "last rows carry out-of-range and negative codes",
                  b, rows, objective=obj, num_class=nc, feature_names=fn, feature_types=ft,
                  categorical=True, ranges=[(0, 2), (2, 5)], dump=name == "cat_binary_partition",
                  notes="Rows after index 23 hold category codes >= number of levels or < 0. "
                        "XGBoost 1.7.4 accepts them at predict time and sends them LEFT at every "
                        "categorical node, whatever default_left says (NaN alone follows default_left).",
                  extra={"categorical_levels": {"channel": CHANNELS, "region": REGIONS,
                                                "favourite": FAV},
                         "categorical_split_nodes": n_cat_nodes, "largest_category_set": max_set})


def case_nan_heavy():
    for i, obj in enumerate(["binary:logistic", "reg:squarederror"]):
        rng = np.random.default_rng(600 + i)
        X, latent = customers(800, rng, nan_frac=0.4)
        y = labels_for(obj, latent, rng)
        d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=FEATURES)
        b = xgb.train(params(obj, max_depth=5), d, 6)
        rows = test_rows(rng, 30, nan_frac=0.45)
        dl = [v for t in model_json(b)["learner"]["gradient_booster"]["model"]["trees"]
              for v, l in zip(t["default_left"], t["left_children"]) if l != -1]
        assert 0 < sum(dl) < len(dl), "want both default directions"
        save_case("nan_heavy_" + obj.replace(":", "_"),
                  f"{obj}, 40% NaN in every training column, 45% in the test rows; both default directions",
                  b, rows, objective=obj, feature_names=FEATURES, ranges=[(0, 3), (3, 6)])


def case_deep_wide():
    rng = np.random.default_rng(700)
    X, latent = customers(4000, rng)
    y = labels_for("reg:squarederror", latent, rng) + rng.normal(0, 10, 4000)
    d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=FEATURES)
    b = xgb.train(params("reg:squarederror", max_depth=12, min_child_weight=0, eta=0.5), d, 4)
    depth = max(_depth(t) for t in model_json(b)["learner"]["gradient_booster"]["model"]["trees"])
    save_case("deep_reg_depth12", f"reg:squarederror, max_depth 12, 4 trees (actual max depth {depth})",
              b, test_rows(rng), objective="reg:squarederror", feature_names=FEATURES,
              ranges=[(0, 1), (1, 4)], extra={"max_depth_reached": depth})

    rng = np.random.default_rng(701)
    n, f = 1500, 300
    X = np.full((n, f), np.nan)
    mask = rng.random((n, f)) < 0.08            # ~92% missing: sparse product-view counts
    X[mask] = rng.poisson(2.0, mask.sum()).astype(float)
    X[:, :10] = rng.normal(size=(n, 10))         # a few dense columns
    w = rng.normal(size=f) * (rng.random(f) < 0.2)
    z = np.nansum(X * w, axis=1) * 0.3
    y = (rng.random(n) < sigmoid(z)).astype(float)
    d = xgb.DMatrix(X, label=y, missing=np.nan)
    b = xgb.train(params("binary:logistic", max_depth=5, tree_method="hist"), d, 12)
    rows = np.full((24, f), np.nan)
    m = rng.random((24, f)) < 0.08
    rows[m] = rng.poisson(2.0, m.sum()).astype(float)
    rows[:, :10] = rng.normal(size=(24, 10))
    save_case("wide_binary_300f", "binary:logistic on 300 sparse-ish features (~92% missing), "
              "12 trees depth 5, no feature names",
              b, rows, objective="binary:logistic", ranges=[(0, 6), (6, 12)], interactions_rows=0,
              notes="interactions omitted (301 x 301 per row is too large for the fixture budget)")


def _depth(t):
    left, right = t["left_children"], t["right_children"]
    best, stack = 0, [(0, 0)]
    while stack:
        i, dpt = stack.pop()
        best = max(best, dpt)
        if left[i] != -1:
            stack += [(left[i], dpt + 1), (right[i], dpt + 1)]
    return best


def case_random_forest():
    for i, (obj, nc) in enumerate([("binary:logistic", 0), ("multi:softprob", 3)]):
        rng = np.random.default_rng(800 + i)
        X, latent = customers(800, rng)
        y = (np.digitize(latent + rng.normal(0, 0.5, 800), [-0.4, 0.6]).astype(float) if nc
             else labels_for(obj, latent, rng))
        d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=FEATURES)
        p = params(obj, num_parallel_tree=3, subsample=0.8, colsample_bynode=0.8, max_depth=4)
        if nc:
            p["num_class"] = nc
        b = xgb.train(p, d, 3)
        save_case(f"forest_{obj.replace(':', '_')}",
                  f"{obj}, num_parallel_tree=3, subsample 0.8, colsample_bynode 0.8, 3 rounds "
                  f"({3 * 3 * max(nc, 1)} trees; iteration_range counts rounds)",
                  b, test_rows(rng), objective=obj, num_class=nc, feature_names=FEATURES,
                  ranges=[(0, 1), (1, 3)])


def case_early_stopping():
    rng = np.random.default_rng(900)
    X, latent = customers(700, rng)
    y = labels_for("binary:logistic", latent, rng)
    flip = rng.random(700) < 0.1
    y[flip] = 1 - y[flip]
    dtr = xgb.DMatrix(X[:500], label=y[:500], missing=np.nan, feature_names=FEATURES)
    dva = xgb.DMatrix(X[500:], label=y[500:], missing=np.nan, feature_names=FEATURES)
    b = xgb.train(params("binary:logistic", max_depth=3, eta=0.1, eval_metric="logloss"), dtr, 200,
                  evals=[(dva, "valid")], early_stopping_rounds=4, verbose_eval=False)
    best = b.best_iteration
    assert 3 <= best and best + 1 < b.num_boosted_rounds(), (best, b.num_boosted_rounds())
    save_case("early_stopping_binary", f"binary:logistic trained with early_stopping_rounds=4: "
              f"{b.num_boosted_rounds()} rounds saved, best_iteration={best} in learner.attributes",
              b, test_rows(rng), objective="binary:logistic", feature_names=FEATURES,
              ranges=[(0, best + 1), (0, 1)],
              notes="margin/value use every saved tree (Booster.predict default); "
                    "iteration_ranges[0] is [0, best_iteration+1].")


def case_multi_target():
    rng = np.random.default_rng(1000)
    X, latent = customers(800, rng)
    Y = np.column_stack([labels_for("reg:squarederror", latent, rng),
                         np.round(4 + 2 * latent + rng.normal(0, 1, 800), 1)])
    m = xgb.XGBRegressor(tree_method="hist", n_estimators=4, max_depth=3, learning_rate=0.3,
                         random_state=7, n_jobs=NTHREAD)
    m.fit(pd.DataFrame(X, columns=FEATURES), Y)
    b = m.get_booster()
    save_case("multi_target_reg", "XGBRegressor with 2-D y (2 targets), hist, one_output_per_tree: "
              "num_target=2, tree_info = target index, 4 rounds x 2 trees",
              b, test_rows(rng), objective="reg:squarederror", feature_names=FEATURES,
              ranges=[(0, 1), (1, 4)])


def case_names():
    rng = np.random.default_rng(1100)
    X, latent = customers(600, rng)
    X[:, 2] = np.where(np.isnan(X[:, 2]), np.nan, (X[:, 2] > 3).astype(float))  # indicator
    y = labels_for("binary:logistic", latent, rng)
    ft = ["int", "int", "i", "float", "float", "int", "int", "q"]
    names = ["age", "last_login_days", "frequent_buyer", "avg_basket", "discount_share",
             "sessions_30d", "returns_12m", "tenure_days"]
    d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=names, feature_types=ft)
    b = xgb.train(params("binary:logistic"), d, 4)
    save_case("names_and_types", "binary:logistic with feature_names and feature_types "
              "(int, i, float, q) saved in the model",
              b, test_rows(rng), objective="binary:logistic", feature_names=names, feature_types=ft,
              ranges=[(0, 2)], dump=True)

    rng = np.random.default_rng(1101)
    X, latent = customers(600, rng)
    y = labels_for("reg:squarederror", latent, rng)
    b = xgb.train(params("reg:squarederror"), xgb.DMatrix(X, label=y, missing=np.nan), 4)
    save_case("no_names", "reg:squarederror trained from a bare numpy array: no feature names or types",
              b, test_rows(rng), objective="reg:squarederror", ranges=[(0, 2)], dump=True)


def case_thresholds():
    """Rows that sit exactly on float32 split thresholds or within float64 epsilon of them."""
    rng = np.random.default_rng(1200)
    X, latent = customers(800, rng, nan_frac=0.0)
    X[:, 3] = X[:, 3] + rng.normal(0, 0.001, 800)    # non-representable decimals
    X[:, 4] = X[:, 4] * np.pi
    y = labels_for("reg:squarederror", latent, rng)
    d = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=FEATURES)
    b = xgb.train(params("reg:squarederror", max_depth=4), d, 3)
    trees = model_json(b)["learner"]["gradient_booster"]["model"]["trees"]
    base = X[:12].copy()
    rows, why = [], []
    for r0 in base:
        t = trees[0]
        i = 0
        while t["left_children"][i] != -1:
            f = t["split_indices"][i]
            thr = float(np.float32(t["split_conditions"][i]))
            eps = abs(thr) * 1e-9 if thr != 0 else 1e-300
            below32 = float(np.nextafter(np.float32(thr), np.float32(-np.inf)))
            for v, label in ((thr, "== t"), (thr - eps, "t - |t|*1e-9 (float32 rounds to t: right)"),
                             (thr + eps, "t + |t|*1e-9"), (below32, "previous float32 (left)")):
                if np.float32(thr - eps) != np.float32(thr) and label.startswith("t -"):
                    continue
                r = r0.copy()
                r[f] = v
                rows.append(r)
                why.append(f"tree0 node{i} f{f} {label}")
            xv = np.float32(r0[f])
            i = t["left_children"][i] if xv < np.float32(thr) else t["right_children"][i]
            if len(rows) >= 40:
                break
        if len(rows) >= 40:
            break
    rows = np.array(rows)
    # a float64 comparison would send 't - |t|*1e-9' left; float32 sends it right
    diff = [k for k, w in enumerate(why) if w.endswith("right)")]
    assert diff
    save_case("float32_thresholds", "reg:squarederror; rows set features to split thresholds t, "
              "t ± |t|·1e-9 (float64-only differences) and the float32 just below t",
              b, rows, objective="reg:squarederror", feature_names=FEATURES, ranges=[(0, 1)],
              dump=True, extra={"row_notes": why})


def main():
    os.makedirs(OUT, exist_ok=True)
    for fn in os.listdir(OUT):
        os.remove(os.path.join(OUT, fn))
    case_objectives()
    case_base_scores()
    case_dart()
    case_gblinear()
    case_categorical()
    case_nan_heavy()
    case_deep_wide()
    case_random_forest()
    case_early_stopping()
    case_multi_target()
    case_names()
    case_thresholds()
    write_json(os.path.join(OUT, "manifest.json"), {
        "generator": "models/xgboost/generate.py",
        "xgboost": xgb.__version__, "numpy": np.__version__, "pandas": pd.__version__,
        "python": sys.version.split()[0],
        "cases": manifest,
    })
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"{len(manifest)} cases, {total / 1e6:.2f} MB in {OUT}")


if __name__ == "__main__":
    main()
