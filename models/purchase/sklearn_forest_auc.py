"""Test ROC AUC of scikit-learn 1.2.1 random forests on the purchase features, for the
"within 0.01 of scikit-learn with the same settings on the same split" check.

    /usr/bin/python3 models/purchase/sklearn_forest_auc.py   # writes models/purchase/sklearn_forest_auc.json

Features: the pandas reference (expected_features.csv.gz). Split: row i is a test row iff i % 5 == 0.
The AUC is averaged over 5 seeds so the committed number is not one lucky draw.
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
df = pd.read_csv(os.path.join(HERE, "expected_features.csv.gz"))
y = df.pop("purchase_24h").to_numpy()
X = df.drop(columns=["user_id"]).to_numpy(dtype=np.float64)
test = np.arange(len(X)) % 5 == 0

configs = {
    "default_100": dict(n_estimators=100),
    "balanced_depth10": dict(n_estimators=100, max_depth=10, class_weight="balanced"),
    "entropy_leaf5": dict(n_estimators=100, criterion="entropy", min_samples_leaf=5),
}
out = {"feature_names": list(df.columns.drop("user_id")), "configs": {}}
for name, params in configs.items():
    aucs = []
    for seed in range(5):
        rf = RandomForestClassifier(random_state=seed, n_jobs=1, **params).fit(X[~test], y[~test])
        aucs.append(roc_auc_score(y[test], rf.predict_proba(X[test])[:, 1]))
    out["configs"][name] = {"params": params, "auc_mean": float(np.mean(aucs)), "auc_seeds": aucs}
    print(name, np.mean(aucs), np.std(aucs))
with open(os.path.join(HERE, "sklearn_forest_auc.json"), "w") as f:
    json.dump(out, f, indent=1)
