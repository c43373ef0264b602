"""Parity fixtures for retail-ml's sklearn-trees loader, made with Debian's python3-sklearn.

    /usr/bin/python3 models/forest/make_fixtures.py

Writes models/forest/fixtures/<name>.json: {model, X, proba, importances?}. The test rows
include values exactly at split thresholds (and the float32 neighbours), where float32
casting and `x <= threshold` decide the branch.
"""
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier, RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from export_sklearn import export_model

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
os.makedirs(OUT, exist_ok=True)


def edge_rows(model, X, rng, count):
    """Rows copied from X with one feature set at, just below or just above a split threshold."""
    trees = [e for stage in model.estimators_ for e in np.atleast_1d(stage)] if hasattr(model, "estimators_") else [model]
    rows = []
    for _ in range(count):
        t = trees[rng.integers(len(trees))].tree_
        inner = np.flatnonzero(t.children_left != -1)
        if len(inner) == 0:
            continue
        node = inner[rng.integers(len(inner))]
        thr = t.threshold[node]
        row = X[rng.integers(len(X))].astype(np.float64).copy()
        kind = rng.integers(4)
        f32 = np.float32(thr)
        row[t.feature[node]] = [thr, float(f32), float(np.nextafter(f32, np.float32(np.inf))), float(np.nextafter(f32, np.float32(-np.inf)))][kind]
        rows.append(row)
    return np.array(rows)


def write(name, model, X_test, rng, names=None):
    X = np.vstack([X_test, edge_rows(model, X_test, rng, 60)])
    entry = {
        "model": export_model(model, names),
        "X": X.tolist(),
        "proba": model.predict_proba(X).tolist(),
    }
    if not isinstance(model, GradientBoostingClassifier):
        entry["importances"] = model.feature_importances_.tolist()
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(entry, f)
    print(name, len(entry["model"]["trees"]), "trees,", X.shape[0], "rows")


rng = np.random.default_rng(7)
cancer = load_breast_cancer()
Xc, yc = cancer.data, cancer.target
iris = load_iris()
Xi, yi = iris.data, iris.target
yi_names = np.array(iris.target_names)[yi]  # string classes

perm = rng.permutation(len(Xc))
tr, te = perm[:400], perm[400:]
names = [str(n) for n in cancer.feature_names]

write("rf_cancer", RandomForestClassifier(n_estimators=12, max_depth=6, random_state=0).fit(Xc[tr], yc[tr]), Xc[te], rng, names)
write("rf_cancer_balanced_entropy", RandomForestClassifier(n_estimators=8, criterion="entropy", class_weight="balanced", min_samples_leaf=3, random_state=1).fit(Xc[tr], yc[tr]), Xc[te], rng)
write("dt_cancer", DecisionTreeClassifier(random_state=0).fit(Xc[tr], yc[tr]), Xc[te], rng)
write("gb_cancer", GradientBoostingClassifier(n_estimators=25, max_depth=3, learning_rate=0.2, random_state=0).fit(Xc[tr], yc[tr]), Xc[te], rng)
write("gb_cancer_exponential", GradientBoostingClassifier(loss="exponential", n_estimators=10, max_depth=2, random_state=0).fit(Xc[tr], yc[tr]), Xc[te], rng)
write("et_iris", ExtraTreesClassifier(n_estimators=10, max_depth=5, random_state=0).fit(Xi, yi_names), Xi, rng)
write("rf_iris", RandomForestClassifier(n_estimators=10, random_state=3).fit(Xi, yi), Xi, rng)
write("gb_iris", GradientBoostingClassifier(n_estimators=15, max_depth=2, random_state=0).fit(Xi, yi), Xi, rng)
