"""Training-parity fixtures: a scikit-learn 1.2.1 DecisionTreeClassifier fitted on data
where no two candidate splits tie, so a correct CART reproduces it node for node.

    /usr/bin/python3 models/forest/make_training_fixtures.py   # writes fixtures-training/training_tree.json
"""
import json
import os

import numpy as np
from sklearn.tree import DecisionTreeClassifier

from export_sklearn import export_model

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(5)
n = 400
X = rng.normal(size=(n, 6)).astype(np.float32).astype(np.float64)
X[:, 5] = np.round(X[:, 5] * 2)  # a feature with many ties between rows
score = X[:, 0] + 0.8 * X[:, 1] * X[:, 2] - 0.5 * X[:, 5] + rng.normal(scale=0.4, size=n)
y = np.digitize(score, [-0.5, 0.7])  # 3 classes
w = rng.integers(1, 4, n).astype(np.float64)



def best_proxy_per_feature(Xn, yn, wn, criterion, min_leaf):
    """Best impurity proxy each feature reaches at a node (-inf when it has no valid split)."""
    k = 3
    onehot = np.zeros((len(yn), k))
    onehot[np.arange(len(yn)), yn] = wn
    total = onehot.sum(axis=0)
    best = []
    for f in range(Xn.shape[1]):
        order = np.argsort(Xn[:, f], kind="mergesort")
        xs = Xn[order, f]
        left = np.cumsum(onehot[order], axis=0)[:-1]
        pos = np.arange(1, len(xs))
        ok = (xs[1:] > xs[:-1] + 1e-7) & (pos >= min_leaf) & (len(xs) - pos >= min_leaf)
        if not ok.any():
            best.append(-np.inf)
            continue
        l, r = left[ok], total - left[ok]
        wl, wr = l.sum(axis=1), r.sum(axis=1)
        if criterion == "gini":
            proxy = (l**2).sum(axis=1) / wl + (r**2).sum(axis=1) / wr
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                hl = -np.nansum(np.where(l > 0, l * np.log2(l / wl[:, None]), 0), axis=1)
                hr = -np.nansum(np.where(r > 0, r * np.log2(r / wr[:, None]), 0), axis=1)
            proxy = -(hl + hr)
        best.append(proxy.max())
    return np.array(best)


def assert_tie_free(clf, X, y, w, criterion, min_leaf):
    """None when every split wins by a clear margin, or a different feature order could pick another tree."""
    t = clf.tree_
    node_rows = {0: np.arange(len(X))}
    for node in range(t.node_count):
        rows = node_rows[node]
        if t.children_left[node] == -1:
            continue
        best = np.sort(best_proxy_per_feature(X[rows], y[rows], w[rows], criterion, min_leaf))[::-1]
        if not best[0] - best[1] > 1e-9 * abs(best[0]):
            return f"tie at node {node}: {best[:2]}"
        go_left = X[rows, t.feature[node]] <= t.threshold[node]
        node_rows[t.children_left[node]] = rows[go_left]
        node_rows[t.children_right[node]] = rows[~go_left]


out = {"X": X.tolist(), "y": y.tolist(), "sample_weight": w.tolist(), "trees": {}}
for name, params, sw in [
    ("entropy_depth5_split30", dict(criterion="entropy", max_depth=5, min_samples_split=30), None),
    ("gini_weighted_balanced", dict(max_depth=5, min_samples_leaf=10, class_weight="balanced"), w),
    ("gini_weighted_balanced_depth4", dict(max_depth=4, min_samples_leaf=10, class_weight="balanced"), w),
    ("gini_weighted_depth6", dict(max_depth=6, min_samples_leaf=4), w),
    ("gini_depth3", dict(max_depth=3), None),
    ("gini_depth5_leaf12", dict(max_depth=5, min_samples_leaf=12), None),
    ("gini_split60", dict(min_samples_split=60), None),
]:
    clf = DecisionTreeClassifier(random_state=0, **params).fit(X, y, sample_weight=sw)
    weights = np.ones(n) if sw is None else sw.copy()
    if params.get("class_weight") == "balanced":
        weights *= (n / (3 * np.bincount(y)))[y]
    tie = assert_tie_free(clf, X, y, weights, params.get("criterion", "gini"), params.get("min_samples_leaf", 1))
    if tie:
        print("skipped", name, tie)
        continue
    out["trees"][name] = {"params": params, "weighted": sw is not None, "model": export_model(clf), "importances": clf.feature_importances_.tolist()}
with open(os.path.join(HERE, "fixtures-training", "training_tree.json"), "w") as f:
    json.dump(out, f)
print("kept", list(out["trees"]))
