"""Expected classification metrics from Debian's python3-sklearn 1.2.1, for test/metrics.

    /usr/bin/python3 models/metrics/make_fixtures.py   # writes models/metrics/expected.json
"""
import json
import os

import numpy as np
from sklearn import metrics

rng = np.random.default_rng(11)
cases = []


def case(name, y, scores, threshold=0.5):
    y = np.asarray(y)
    s = np.asarray(scores, dtype=np.float64)
    pred = (s >= threshold).astype(int)
    fpr, tpr, roc_thr = metrics.roc_curve(y, s)
    prec, rec, pr_thr = metrics.precision_recall_curve(y, s)
    targets = {}
    for target in (1.0, 0.9, 0.5):
        ok = rec[:-1] >= target
        i = np.flatnonzero(ok)[np.argmax(pr_thr[ok])]
        targets[str(target)] = {"threshold": float(pr_thr[i]), "precision": float(prec[i]), "recall": float(rec[i])}
    cases.append({
        "name": name,
        "y": y.tolist(),
        "scores": s.tolist(),
        "threshold": threshold,
        "confusion_matrix": metrics.confusion_matrix(y, pred).tolist(),
        "precision": metrics.precision_score(y, pred, zero_division=0),
        "recall": metrics.recall_score(y, pred, zero_division=0),
        "f1": metrics.f1_score(y, pred, zero_division=0),
        "accuracy": metrics.accuracy_score(y, pred),
        "roc_auc": metrics.roc_auc_score(y, s),
        "average_precision": metrics.average_precision_score(y, s),
        "pr_auc": metrics.auc(rec, prec),
        "log_loss": metrics.log_loss(y, np.clip(s, 0, 1)),
        "roc_curve": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": roc_thr.tolist()},
        "pr_curve": {"precision": prec.tolist(), "recall": rec.tolist(), "thresholds": pr_thr.tolist()},
        "threshold_for_recall": targets,
    })


n = 500
y = rng.integers(0, 2, n)
case("random_continuous", y, np.clip(0.3 * y + rng.normal(0.35, 0.2, n), 0, 1))
case("heavy_ties", y, np.round(np.clip(0.25 * y + rng.uniform(0, 0.75, n), 0, 1), 1))
y2 = (rng.uniform(size=300) < 0.1).astype(int)
case("imbalanced_with_exact_zero_one", y2, np.where(rng.uniform(size=300) < 0.1, y2.astype(float), rng.uniform(size=300)), threshold=0.3)
case("tiny", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])

multi_y = rng.integers(0, 3, 200)
multi_p = rng.dirichlet([1, 1, 1], 200)
multi_p[np.arange(200), multi_y] += 0.5
multi_p /= multi_p.sum(axis=1, keepdims=True)
labels_str = np.array(["a", "b", "c"])[multi_y]
pred_str = np.array(["a", "b", "c"])[multi_p.argmax(axis=1)]
out = {
    "binary": cases,
    "multiclass": {
        "y": labels_str.tolist(),
        "pred": pred_str.tolist(),
        "proba": multi_p.tolist(),
        "log_loss": metrics.log_loss(labels_str, multi_p),
        "confusion_matrix": metrics.confusion_matrix(labels_str, pred_str).tolist(),
        "accuracy": metrics.accuracy_score(labels_str, pred_str),
    },
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected.json"), "w") as f:
    json.dump(out, f)
print("wrote", len(cases), "binary cases")
