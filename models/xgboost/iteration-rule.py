#!/usr/bin/python3
"""XGBoost's two answers for an early-stopped model, for the iteration-rule tests.

Booster.predict scores every saved round; the sklearn wrapper (XGBClassifier.predict,
predict_proba) scores rounds [0, best_iteration + 1). For two early-stopped models (the
generated binary fixture and a 3-class softprob model trained here), this writes what
XGBoost 1.7.4 gives for both, for every output retail-ml has: margins, values, leaves,
exact and approximate contributions and interaction values.

Run with Debian's XGBoost: /usr/bin/python3 models/xgboost/iteration-rule.py
(about a second; writes models/xgboost/iteration-rule/, ~150 KB, byte-identical on rerun).
"""
from __future__ import annotations

import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import xgboost as xgb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import FEATURES, NTHREAD, customers, f32, f64, params  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "iteration-rule")


def write_json(path: str, obj) -> None:
    with open(path, "w") as f:
        json.dump(obj, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")


def answers(booster: xgb.Booster, rows: np.ndarray, wrapper) -> dict:
    dm = xgb.DMatrix(rows, missing=np.nan, feature_names=FEATURES, nthread=NTHREAD)
    dm3 = xgb.DMatrix(rows[:3], missing=np.nan, feature_names=FEATURES, nthread=NTHREAD)
    best = int(booster.attr("best_iteration"))
    n = rows.shape[0]

    def outputs(r):
        return {
            "margin": f32(booster.predict(dm, output_margin=True, iteration_range=r).reshape(n, -1)),
            "value": f32(booster.predict(dm, iteration_range=r).reshape(n, -1)),
            "leaf": booster.predict(dm, pred_leaf=True, iteration_range=r).reshape(n, -1).astype(int).tolist(),
            "contribs": f32(booster.predict(dm, pred_contribs=True, iteration_range=r)),
            "approx_contribs": f32(booster.predict(dm, pred_contribs=True, approx_contribs=True, iteration_range=r)),
            "interactions": f32(booster.predict(dm3, pred_interactions=True, iteration_range=r)),
        }

    best_range = outputs((0, best + 1))
    # The wrapper's own answer, to show which behaviour it has: it must equal the best rounds.
    proba = wrapper.predict_proba(pd.DataFrame(rows, columns=FEATURES))
    if proba.shape[1] == 2:
        proba = proba[:, 1:]
    assert np.array_equal(np.asarray(f32(proba)), np.asarray(best_range["value"])), "sklearn wrapper != best rounds"
    every = outputs((0, 0))
    assert not np.array_equal(np.asarray(every["margin"]), np.asarray(best_range["margin"]))
    return {
        "best_iteration": best,
        "num_boosted_rounds": booster.num_boosted_rounds(),
        "rows": f64(rows),
        "booster_predict": every,
        "best_rounds": best_range,
        "sklearn_predict_proba": f32(proba),
    }


def binary_case() -> dict:
    path = os.path.join(HERE, "fixtures", "early_stopping_binary.json")
    booster = xgb.Booster(model_file=path)
    with open(os.path.join(HERE, "fixtures", "early_stopping_binary.expected.json")) as f:
        rows = np.array([[np.nan if v is None else v for v in r] for r in json.load(f)["rows"]], dtype=float)
    wrapper = xgb.XGBClassifier()
    wrapper.load_model(path)
    return {"model": "models/xgboost/fixtures/early_stopping_binary.json", **answers(booster, rows, wrapper)}


def softprob_case() -> dict:
    rng = np.random.default_rng(2101)
    X, latent = customers(900, rng)
    # Three classes by the latent score's terciles, with noise so that training can overfit.
    z = latent + rng.normal(0.0, 0.8, len(latent))
    y = np.digitize(z, np.quantile(z, [1 / 3, 2 / 3])).astype(float)
    # Trained and saved through the sklearn wrapper, as its users do.
    frame = lambda a: pd.DataFrame(a, columns=FEATURES)  # noqa: E731
    model = xgb.XGBClassifier(n_estimators=200, max_depth=3, learning_rate=0.3, objective="multi:softprob",
                              eval_metric="mlogloss", early_stopping_rounds=3, tree_method="exact",
                              n_jobs=NTHREAD, random_state=7)
    model.fit(frame(X[:600]), y[:600], eval_set=[(frame(X[600:]), y[600:])], verbose=False)
    b = model.get_booster()
    assert 2 <= model.best_iteration and model.best_iteration + 1 < b.num_boosted_rounds(), (model.best_iteration, b.num_boosted_rounds())
    path = os.path.join(OUT, "early_stopping_softprob.json")
    model.save_model(path)
    wrapper = xgb.XGBClassifier()
    wrapper.load_model(path)
    b = xgb.Booster(model_file=path)
    rows, _ = customers(30, np.random.default_rng(2102))
    return {"model": "models/xgboost/iteration-rule/early_stopping_softprob.json", **answers(b, rows, wrapper)}


def main():
    # Loading a Booster file into the wrapper warns; that is exactly what is meant here.
    warnings.filterwarnings("ignore", message="Loading a native XGBoost model")
    os.makedirs(OUT, exist_ok=True)
    cases = [binary_case(), softprob_case()]
    write_json(os.path.join(OUT, "expected.json"), {
        "generator": "models/xgboost/iteration-rule.py",
        "xgboost": xgb.__version__,
        "cases": cases,
    })
    for c in cases:
        print(f"{c['model']}: best_iteration {c['best_iteration']} of {c['num_boosted_rounds']} rounds")


if __name__ == "__main__":
    main()
