"""scikit-learn side of benchmarks/cluster.bench.ts. Reads raw float64 files written by the
benchmark, times scikit-learn on them in this process (OMP_NUM_THREADS=1) and prints JSON."""
import os

os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

tmp = sys.argv[1]
spec = json.load(open(os.path.join(tmp, "spec.json")))


def load(name, rows, cols):
    return np.fromfile(os.path.join(tmp, name), dtype="<f8").reshape(rows, cols)


def best(runs, fn):
    t = []
    for _ in range(runs):
        s = time.perf_counter()
        r = fn()
        t.append(time.perf_counter() - s)
    return min(t) * 1000, r


out = {}
X = load("fit.bin", spec["fitRows"], spec["fitCols"])
ms, m = best(3, lambda: KMeans(n_clusters=8, init="k-means++", n_init=1, max_iter=100, random_state=0).fit(X))
out["fit"] = {"ms": ms, "inertia": float(m.inertia_), "iterations": int(m.n_iter_)}

if "hardRows" in spec:
    # Overlapping blobs, scikit-learn's defaults (n_init=10, max_iter=300), Lloyd: many iterations.
    H = load("hard.bin", spec["hardRows"], spec["fitCols"])
    # Also the process's CPU time (best of the same runs): on a shared machine the wall time
    # counts other processes' turns.
    cpu = []

    def hard_fit():
        c = time.process_time()
        r = KMeans(n_clusters=8, init="k-means++", n_init=10, algorithm="lloyd", random_state=0).fit(H)
        cpu.append(time.process_time() - c)
        return r

    ms, h = best(3, hard_fit)
    out["hard"] = {"ms": ms, "cpuMs": min(cpu) * 1000, "inertia": float(h.inertia_), "iterations": int(h.n_iter_)}

A = load("assign.bin", spec["assignRows"], spec["fitCols"])
C = load("centroids.bin", 8, spec["fitCols"])
m.cluster_centers_ = C
ms, labels = best(3, lambda: m.predict(A))
labels.astype("<i4").tofile(os.path.join(tmp, "sk_labels.bin"))
out["assign"] = {"ms": ms}

S = load("sil.bin", spec["silRows"], spec["silCols"])
y = np.fromfile(os.path.join(tmp, "sil_labels.bin"), dtype="<i4")
ms, s = best(2, lambda: silhouette_score(S, y))
out["silhouette"] = {"ms": ms, "value": float(s)}
print(json.dumps(out))
