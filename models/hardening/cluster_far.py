#!/usr/bin/python3
"""Cluster-quality references far from the origin (data around 1e4), from scikit-learn 1.2.1.

    /usr/bin/python3 models/hardening/cluster_far.py   # rewrites cluster_far.json (~1 s)

Blobs of several sizes, widths and dimensions, shifted to ~1e4 (and one to ~1e5), where
the ‖x‖² + ‖y‖² − 2x·y distance formula loses digits. Records silhouette_samples (all of
them), silhouette_score and davies_bouldin_score.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import make_blobs
from sklearn.metrics import davies_bouldin_score, silhouette_samples, silhouette_score

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    cases = []
    for name, n, d, k, std, shift, seed in [
        ("far-2d-tight", 120, 2, 3, 0.3, 1e4, 1),
        ("far-2d-wide", 150, 2, 4, 2.0, 1e4, 2),
        ("far-5d", 160, 5, 3, 1.0, 1e4, 3),
        ("far-8d-overlap", 140, 8, 4, 4.0, 1e4, 4),
        ("far-3d-1e5", 100, 3, 3, 0.5, 1e5, 5),
        ("far-1d", 90, 1, 3, 0.2, 1.2345e4, 6),
    ]:
        x, y = make_blobs(n_samples=n, n_features=d, centers=k, cluster_std=std, random_state=seed)
        x = x + shift
        cases.append({
            "name": name, "X": x.tolist(), "labels": y.tolist(),
            "silhouette_samples": silhouette_samples(x, y).tolist(),
            "silhouette": float(silhouette_score(x, y)),
            "davies_bouldin": float(davies_bouldin_score(x, y)),
        })
    with open(os.path.join(HERE, "cluster_far.json"), "w") as fh:
        json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}, fh)
        fh.write("\n")


if __name__ == "__main__":
    main()
