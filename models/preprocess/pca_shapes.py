"""PCA fits on awkward shapes for test/preprocess/pca-shapes.test.ts.

Run with Debian's Python: /usr/bin/python3 models/preprocess/pca_shapes.py
Writes expected_pca_shapes.json (inputs and scikit-learn 1.2.1's fitted attributes).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.decomposition import PCA

rng = np.random.RandomState(7)
cases = {}


def add(name, x, k):
    p = PCA(n_components=k, svd_solver="full").fit(x)
    cases[name] = {
        "x": x.tolist(),
        "k": k,
        "mean": p.mean_.tolist(),
        "components": p.components_.tolist(),
        "singular_values": p.singular_values_.tolist(),
        "explained_variance": p.explained_variance_.tolist(),
        "explained_variance_ratio": p.explained_variance_ratio_.tolist(),
        "transform": p.transform(x[:10]).tolist(),
    }


# Tall, correlated columns with very different scales.
base = rng.normal(size=(600, 6))
mix = rng.normal(size=(6, 21))
tall = base @ mix + 0.1 * rng.normal(size=(600, 21))
tall[:, 3] *= 1e4
tall[:, 7] *= 1e-3
add("tall_600x21", tall, 5)
# Wide: fewer rows than columns.
add("wide_6x15", rng.normal(size=(6, 15)) * 3 + 1, 4)
# Rank-deficient: a duplicated and a constant column.
rd = rng.exponential(size=(80, 5))
rd = np.column_stack([rd, rd[:, 1] * 2.0, np.full(80, 3.5)])
add("rank_deficient_80x7", rd, 4)
# Square, integer-valued (ties in the data, 0/1 columns).
add("binary_40x8", rng.randint(0, 2, size=(40, 8)).astype(float), 8)

out = {"sklearn": sklearn.__version__, "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected_pca_shapes.json"), "w") as f:
    json.dump(out, f)
