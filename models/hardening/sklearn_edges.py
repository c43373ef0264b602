#!/usr/bin/python3
"""What scikit-learn 1.2.1 itself does with hostile class counts in a forest export.

    /usr/bin/python3 models/hardening/sklearn_edges.py   # rewrites sklearn_edges.json (~2 s)

A small RandomForestClassifier is fitted, exported with models/forest/export_sklearn.py,
then one leaf's class counts are overwritten *inside the fitted estimator* (tree_.value is
a writable view) and scikit-learn's own predict_proba is recorded for the row reaching that
leaf. Those probabilities (outside [0, 1], NaN) are why loadSklearnTrees refuses the same
counts in an export; the valid export's probabilities are recorded too.
"""
from __future__ import annotations

import json
import math
import os
import sys

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "forest"))
from export_sklearn import export_model  # noqa: E402


def main() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(80, 3))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    clf = RandomForestClassifier(n_estimators=2, max_depth=2, random_state=0).fit(x, y)
    rows = x[:6]
    out = {"sklearn": sklearn.__version__, "rows": rows.tolist(), "valid": export_model(clf),
           "valid_proba": clf.predict_proba(rows).tolist(), "cases": []}
    tree = clf.estimators_[0].tree_
    leaf_of = clf.estimators_[0].apply(rows.astype(np.float32))
    leaf = int(leaf_of[0])
    for name, counts in (("negative_count", [-3.0, 5.0]), ("infinite_count", [math.inf, 1.0]),
                         ("negative_infinite_count", [-math.inf, 1.0]), ("counts_summing_to_zero", [-2.0, 2.0])):
        saved = tree.value[leaf].copy()
        tree.value[leaf, 0, :] = counts
        with np.errstate(all="ignore"):
            proba = clf.predict_proba(rows[:1])[0].tolist()
        exported = export_model(clf)
        tree.value[leaf] = saved
        out["cases"].append({"name": name, "leaf": leaf, "counts": counts, "sklearn_proba_row0": proba,
                             "sklearn_proba_outside_unit_interval": any(not (0 <= p <= 1) for p in proba),
                             "export": exported})
        print(f"{name:28s} sklearn predict_proba row 0 = {proba}")
    with open(os.path.join(HERE, "sklearn_edges.json"), "w") as fh:
        json.dump(out, fh, indent=1, allow_nan=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
