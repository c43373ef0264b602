"""Generates the scikit-learn expectations the cluster/preprocess tests compare against.

Run from the repository root with Debian's python3-sklearn (1.2.1), single-threaded:
    OMP_NUM_THREADS=1 /usr/bin/python3 models/cluster/make_expectations.py
Writes models/cluster/expected_*.json. CI never runs this; tests read the committed JSON.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_samples, silhouette_score
from sklearn.preprocessing import PowerTransformer, StandardScaler

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from derive import ATTRIBUTES, CLIPPED, derive  # noqa: E402
from export_sklearn import export  # noqa: E402

CSV = HERE.parent.parent.parent / "shared" / "data" / "customer-segmentation" / "marketing_campaign.csv"


def fl(a):
    return [None if np.isnan(v) else float(v) for v in np.asarray(a, dtype=float).ravel()]


def rows(a):
    return [fl(r) for r in np.asarray(a, dtype=float)]


def labels_str(labels):
    return "".join(str(int(v)) for v in labels)


def write(name, obj):
    (HERE / name).write_text(json.dumps(obj, separators=(",", ":")) + "\n")
    print("wrote", name, (HERE / name).stat().st_size, "bytes")


meta = {"sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__,
        "OMP_NUM_THREADS": os.environ["OMP_NUM_THREADS"]}

# ---------------------------------------------------------------- the real data, derived
raw = pd.read_csv(CSV, sep="\t")
derived = derive(raw)
median_income = float(derived["Income"].median())
imputed = derived.copy()
imputed["Income"] = imputed["Income"].fillna(median_income)
bounds = {}
clipped = imputed.copy()
for col in CLIPPED:
    q1, q3 = imputed[col].quantile(0.25), imputed[col].quantile(0.75)
    bounds[col] = float(q3 + 1.5 * (q3 - q1))
    clipped[col] = clipped[col].clip(upper=bounds[col])
X21 = clipped.to_numpy()

pt = PowerTransformer(method="yeo-johnson", standardize=True)
T21 = pt.fit_transform(X21)
pca_full = PCA(n_components=2, svd_solver="full").fit(T21)
P2 = pca_full.transform(T21)
pca_auto = PCA(n_components=2, random_state=0).fit(T21)  # what PCA(2) picks by default here: randomized
km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(P2)

write("expected_pipeline.json", {
    "meta": meta,
    "attributes": ATTRIBUTES,
    "clipped": CLIPPED,
    "rows": len(derived),
    "missingIncome": int(derived["Income"].isna().sum()),
    "medianIncome": median_income,
    "derivedHead": rows(derived.head(12).to_numpy()),
    "derivedColumnSums": fl(derived.fillna(0).sum(axis=0)),
    "clipBounds": [bounds.get(a) for a in ATTRIBUTES],
    "clippedColumnSums": fl(clipped.sum(axis=0)),
    "powerTransformer": export(pt),
    "transformedHead": rows(T21[:12]),
    "pcaFull": export(pca_full),
    "pcaAutoSolver": export(pca_auto),
    "pcaHead": rows(P2[:12]),
    "kmeans": {"k": 3, "nInit": 10, "seed": 0, **export(km), "labels": labels_str(km.labels_)},
    "scores": {
        "silhouette": float(silhouette_score(P2, km.labels_)),
        "daviesBouldin": float(davies_bouldin_score(P2, km.labels_)),
        "calinskiHarabasz": float(calinski_harabasz_score(P2, km.labels_)),
    },
    "elbow": [{"k": k, "inertia": float(m.inertia_), "silhouette": float(silhouette_score(P2, m.labels_))}
              for k in range(2, 9) for m in [KMeans(n_clusters=k, n_init=10, random_state=0).fit(P2)]],
})

# ---------------------------------------------------------------- preprocessing on synthetic data
rng = np.random.RandomState(7)
skew = np.column_stack([
    rng.lognormal(0, 1, 400),                     # right-skewed, positive
    -rng.lognormal(0, 0.7, 400),                  # left-skewed, negative
    rng.standard_normal(400) * 3 + 1,             # mixed signs
    rng.exponential(50, 400) - 20,                # mostly positive, some negative
    np.round(rng.gamma(2, 2, 400)),               # integers with ties
])
skew_nan = skew.copy()
skew_nan[rng.rand(*skew.shape) < 0.05] = np.nan
pt2 = PowerTransformer().fit(skew_nan)
pt3 = PowerTransformer(standardize=False).fit(skew)
sc = StandardScaler().fit(skew_nan)
const = np.column_stack([np.full(50, 3.3), np.arange(50.0)])
sc_const = StandardScaler().fit(const)
imp = SimpleImputer(strategy="median").fit(skew_nan)
pca5 = PCA(n_components=3, svd_solver="full").fit(skew)
q = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0]
write("expected_preprocess.json", {
    "meta": meta,
    "skew": rows(skew),
    "skewNaN": rows(skew_nan),
    "powerTransformer": export(pt2),
    "powerTransformed": rows(pt2.transform(skew_nan[:20])),
    "powerTransformerUnscaled": export(pt3),
    "standardScaler": export(sc),
    "scaled": rows(sc.transform(skew_nan[:20])),
    "constant": rows(const),
    "standardScalerConstant": export(sc_const),
    "imputer": export(imp),
    "pca": export(pca5),
    "pcaScores": rows(pca5.transform(skew[:20])),
    "quantiles": {"q": q, "values": [fl(np.nanquantile(skew_nan[:, j], q)) for j in range(skew.shape[1])]},
})

# ---------------------------------------------------------------- kmeans fits
X_blobs, y_blobs = make_blobs(n_samples=500, centers=4, n_features=3, random_state=1, cluster_std=1.5)
U5 = np.random.RandomState(3).uniform(-1, 1, size=(600, 5))
fits = []
for name, X, params in [
    ("blobs-k4", X_blobs, dict(n_clusters=4, n_init=3, random_state=0)),
    ("blobs-k7-seed5", X_blobs, dict(n_clusters=7, n_init=2, random_state=5)),
    ("uniform5-k8", U5, dict(n_clusters=8, n_init=2, random_state=42)),
    ("uniform5-k8-maxiter3", U5, dict(n_clusters=8, n_init=1, random_state=1, max_iter=3)),
    ("uniform5-k3-tol", U5, dict(n_clusters=3, n_init=1, random_state=2, tol=1e-2)),
]:
    m = KMeans(**params).fit(X)
    fits.append({"name": name, "data": name.split("-")[0], "params": params, **export(m), "labels": labels_str(m.labels_)})
# an empty cluster on the first iteration: one starting centre far from every row
init = np.vstack([X_blobs[:3], [[1000.0, 1000.0, 1000.0]]])
m = KMeans(n_clusters=4, init=init, n_init=1).fit(X_blobs)
fits.append({"name": "blobs-empty-cluster", "data": "blobs", "params": {"n_clusters": 4}, "init": rows(init),
             **export(m), "labels": labels_str(m.labels_)})
write("expected_kmeans.json", {"meta": meta, "blobs": rows(X_blobs), "uniform5": rows(U5), "fits": fits})

# ---------------------------------------------------------------- assignment with near-ties
assign_cases = []
r = np.random.RandomState(11)
for d, k in [(2, 3), (2, 8), (5, 4), (21, 8), (21, 3)]:
    C = r.standard_normal((k, d)) * r.uniform(0.5, 50)
    pts = []
    for _ in range(120):
        a, b = r.choice(k, 2, replace=False)
        mid = (C[a] + C[b]) / 2
        # move along a random direction orthogonal-ish, then nudge by a few ulps toward either side
        direction = r.standard_normal(d)
        direction -= direction.dot(C[b] - C[a]) / (C[b] - C[a]).dot(C[b] - C[a]) * (C[b] - C[a])
        p = mid + direction * r.uniform(0, 0.1)
        steps = r.randint(-3, 4)
        p = p + steps * np.spacing(np.abs(p) + 1e-300) * np.sign(C[b] - C[a])
        pts.append(p)
    # exact ties on a dyadic grid: centres ±1, points on the bisecting plane
    X = np.array(pts)
    labels = KMeans(n_clusters=k, init=C, n_init=1, max_iter=1)
    labels.cluster_centers_ = C
    labels._n_threads = 1
    labels.n_features_in_ = d
    labels._n_features_out = k
    pred = labels.predict(X)
    assign_cases.append({"d": d, "k": k, "centers": rows(C), "x": rows(X), "labels": labels_str(pred)})
C = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])
X = np.array([[0.0, -5.0], [0.0, 0.25], [0.5, 0.5], [-0.5, 0.5], [0.0, 0.0]])
m = KMeans(n_clusters=3, init=C, n_init=1, max_iter=1)
m.cluster_centers_ = C; m._n_threads = 1; m.n_features_in_ = 2; m._n_features_out = 3
assign_cases.append({"d": 2, "k": 3, "centers": rows(C), "x": rows(X), "labels": labels_str(m.predict(X))})
write("expected_assign.json", {"meta": meta, "cases": assign_cases})

# ---------------------------------------------------------------- quality metrics
y_blobs_km = KMeans(n_clusters=4, n_init=1, random_state=0).fit_predict(X_blobs)
single = y_blobs.copy(); single[0] = 9  # a cluster of one row
far = X_blobs + 1e4  # far from the origin: the dot-product distance formula loses digits
metric_cases = []
for name, X, y in [("blobs-true", X_blobs, y_blobs), ("blobs-kmeans", X_blobs, y_blobs_km), ("blobs-singleton", X_blobs, single),
                   ("blobs-far", far, y_blobs), ("real-pca2", P2, km.labels_), ("real-21", T21, km.labels_),
                   ("uniform5", U5, np.arange(600) % 5)]:
    metric_cases.append({
        "name": name, "labels": labels_str(y),
        "silhouette": float(silhouette_score(X, y)),
        "silhouetteHead": fl(silhouette_samples(X, y)[:10]),
        "silhouetteSampled": float(silhouette_score(X, y, sample_size=min(300, len(X) - 1), random_state=0)),
        "daviesBouldin": float(davies_bouldin_score(X, y)),
        "calinskiHarabasz": float(calinski_harabasz_score(X, y)),
        "inertia": float(sum(((X[y == c] - X[y == c].mean(axis=0)) ** 2).sum() for c in np.unique(y))),
    })
write("expected_metrics.json", {"meta": meta, "cases": metric_cases,
                                "note": "data: blobs/uniform5 from expected_kmeans.json, real-* from the pipeline"})

# RandomState draws, to pin the generator
rs = np.random.RandomState(12345)
write("expected_random.json", {"randomSample": fl(np.random.RandomState(0).random_sample(5)),
                               "randint1000": [int(rs.randint(1000)) for _ in range(6)],
                               "uniformAfterRandint": fl(rs.uniform(size=3)),
                               "permutation20": [int(v) for v in np.random.RandomState(2).permutation(20)]})
