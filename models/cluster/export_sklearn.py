"""Export fitted scikit-learn preprocessing / clustering objects to retail-ml's JSON formats.

Run with Debian's python3-sklearn:  /usr/bin/python3 models/cluster/export_sklearn.py
Import a fitted object in Python:    from export_sklearn import export; json.dump(export(obj), f)
The TypeScript side reads the result with StandardScaler.fromJSON, PowerTransformer.fromJSON,
SimpleImputer.fromJSON, PCA.fromJSON, or kmeansModelFromJSON.
"""
import json
import math

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import PowerTransformer, StandardScaler


def _floats(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def export(obj):
    if isinstance(obj, StandardScaler):
        n = obj.n_samples_seen_
        n = np.full(obj.mean_.shape, n) if np.ndim(n) == 0 else n
        return {"type": "StandardScaler", "mean": _floats(obj.mean_), "var": _floats(obj.var_),
                "scale": _floats(obj.scale_), "nSamplesSeen": _floats(n)}
    if isinstance(obj, PowerTransformer):
        if obj.method != "yeo-johnson":
            raise ValueError("only yeo-johnson is supported")
        return {"type": "PowerTransformer", "method": "yeo-johnson", "lambdas": _floats(obj.lambdas_),
                "scaler": export(obj._scaler) if obj.standardize else None}
    if isinstance(obj, SimpleImputer):
        if obj.strategy not in ("median", "mean", "constant"):
            raise ValueError("strategy must be median, mean or constant")
        return {"type": "SimpleImputer", "strategy": obj.strategy, "statistics": _floats(obj.statistics_)}
    if isinstance(obj, PCA):
        if obj.whiten:
            raise ValueError("whitened PCA is not supported")
        return {"type": "PCA", "mean": _floats(obj.mean_), "components": [_floats(r) for r in obj.components_],
                "explainedVariance": _floats(obj.explained_variance_),
                "explainedVarianceRatio": _floats(obj.explained_variance_ratio_),
                "singularValues": _floats(obj.singular_values_)}
    if isinstance(obj, KMeans):
        return {"type": "KMeans", "centroids": [_floats(r) for r in obj.cluster_centers_],
                "inertia": float(obj.inertia_), "iterations": int(obj.n_iter_)}
    raise TypeError(f"cannot export {type(obj).__name__}")


if __name__ == "__main__":
    # Smoke test: export a small fitted pipeline to stdout.
    X = np.array([[1.0, 2.0], [2.0, 0.5], [3.0, 9.0], [8.0, 1.0]])
    for o in (StandardScaler().fit(X), PowerTransformer().fit(X), PCA(1).fit(X),
              KMeans(2, n_init=1, random_state=0).fit(X)):
        print(json.dumps(export(o)))
