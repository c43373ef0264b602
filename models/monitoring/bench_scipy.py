"""The drift benchmark's Python peer: the same tests as retail-ml's driftReport on a reference
of more than 1,000 rows (Wasserstein / np.std and PSI on 30 bins for numeric columns,
Jensen-Shannon and PSI on category shares for the others), with scipy 1.10 / numpy.

Usage: /usr/bin/python3 bench_scipy.py DIR ROWS NUMERIC CATEGORICAL
Reads DIR/{ref,cur}_num.f64 (column-major) and DIR/{ref,cur}_cat.i32; prints JSON with the
wall time of the tests (data already in memory) and every statistic.
"""
import json
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

folder, rows, n_num, n_cat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ref_num = np.fromfile(f"{folder}/ref_num.f64").reshape(n_num, rows)
cur_num = np.fromfile(f"{folder}/cur_num.f64").reshape(n_num, rows)
ref_cat = np.fromfile(f"{folder}/ref_cat.i32", dtype=np.int32).reshape(n_cat, rows)
cur_cat = np.fromfile(f"{folder}/cur_cat.i32", dtype=np.int32).reshape(n_cat, rows)


def psi(r, c):
    r = np.where(r == 0, 0.0001, r)
    c = np.where(c == 0, 0.0001, c)
    return float(np.sum((r - c) * np.log(r / c)))


def run():
    out = []
    for j in range(n_num):
        a, b = ref_num[j], cur_num[j]
        edges = np.histogram_bin_edges(np.concatenate([a, b]), bins=30)
        r = np.histogram(a, edges)[0] / len(a)
        c = np.histogram(b, edges)[0] / len(b)
        w = stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
        out.append({"statistic": float(w), "psi": psi(r, c)})
    for j in range(n_cat):
        a, b = ref_cat[j], cur_cat[j]
        keys = np.union1d(np.unique(a), np.unique(b))
        r = np.bincount(np.searchsorted(keys, a), minlength=len(keys)) / len(a)
        c = np.bincount(np.searchsorted(keys, b), minlength=len(keys)) / len(b)
        out.append({"statistic": float(distance.jensenshannon(r, c)), "psi": psi(r, c)})
    return out


start = time.perf_counter()
result = run()
ms = (time.perf_counter() - start) * 1000
print(json.dumps({"ms": ms, "columns": result}))
