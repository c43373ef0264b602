#!/usr/bin/python3
"""Reference pickles, joblib files and legacy-binary XGBoost models for retail-ml's
safe unpickler, made with Debian's XGBoost 1.7.4, scikit-learn 1.2.1 and joblib.

    /usr/bin/python3 models/pickle/generate.py

Writes models/pickle/fixtures/ (small: few trees, few rows) and
models/xgboost/fixtures-legacy/ (the legacy binary format). Every expected number is
what Python itself predicts for the committed file, after loading it back.
"""
from __future__ import annotations

import io
import json
import os
import pickle
import pickletools
import struct

import joblib
import numpy as np
import sklearn
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "fixtures")
LEGACY = os.path.join(ROOT, "models", "xgboost", "fixtures-legacy")
os.makedirs(OUT, exist_ok=True)
os.makedirs(LEGACY, exist_ok=True)
NTHREAD = 1


def data(n: int, f: int, seed: int):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, f)).astype(np.float32)
    x[rng.random(size=(n, f)) < 0.1] = np.nan  # missing values follow default directions
    score = np.nan_to_num(x[:, 0]) + 0.5 * np.nan_to_num(x[:, 1]) - np.nan_to_num(x[:, 2]) ** 2
    return x, score


def f32list(a) -> list:
    # float32 values as doubles: JSON round-trips them exactly.
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def dump(path: str, obj) -> None:
    with open(path, "w") as fh:
        json.dump(obj, fh, separators=(",", ":"))
        fh.write("\n")


X, S = data(40, 5, 1)
ROWS = X[:12]

# ----------------------------------------------------------------------- legacy binary
legacy_cases = []


def legacy(name: str, bst: xgb.Booster, objective: str, booster: str) -> None:
    raw = bytes(bst.save_raw(raw_format="deprecated"))
    with open(os.path.join(LEGACY, f"{name}.bin"), "wb") as fh:
        fh.write(raw)
    path_model = os.path.join(LEGACY, f"{name}.model")
    bst.save_model(path_model)  # 1.7 writes the legacy binary for names other than .json/.ubj
    with open(path_model, "rb") as fh:
        assert fh.read() == raw, name
    d = xgb.DMatrix(ROWS, missing=np.nan)
    reloaded = xgb.Booster(model_file=path_model)
    margin = reloaded.predict(d, output_margin=True)
    value = reloaded.predict(d)
    assert np.array_equal(margin, bst.predict(d, output_margin=True)), name
    dump(os.path.join(LEGACY, f"{name}.expected.json"), {
        "objective": objective, "booster": booster,
        "rows": [[None if np.isnan(v) else float(v) for v in r] for r in ROWS],
        "margin": f32list(margin), "value": f32list(value),
        "width": int(margin.size // len(ROWS)),
    })
    legacy_cases.append(name)


def train(params: dict, y, rounds: int) -> xgb.Booster:
    p = {"nthread": NTHREAD, "seed": 0, "max_depth": 3, "eta": 0.3, **params}
    return xgb.train(p, xgb.DMatrix(X, label=y, missing=np.nan), num_boost_round=rounds)


y_bin = (S > 0).astype(int)
y_multi = np.digitize(S, [-0.5, 0.5])
legacy("binary_logistic", train({"objective": "binary:logistic", "base_score": 0.3}, y_bin, 5), "binary:logistic", "gbtree")
legacy("multi_softprob", train({"objective": "multi:softprob", "num_class": 3}, y_multi, 4), "multi:softprob", "gbtree")
legacy("reg_squarederror", train({"objective": "reg:squarederror", "base_score": 0.7}, S, 5), "reg:squarederror", "gbtree")
legacy("dart", train({"objective": "binary:logistic", "booster": "dart", "rate_drop": 0.3, "skip_drop": 0.0}, y_bin, 6), "binary:logistic", "dart")
legacy("gblinear", train({"objective": "reg:squarederror", "booster": "gblinear"}, np.nan_to_num(S), 4), "reg:squarederror", "gblinear")
legacy("count_poisson", train({"objective": "count:poisson"}, np.abs(np.round(S)), 4), "count:poisson", "gbtree")
legacy("parallel_forest", train({"objective": "binary:logistic", "num_parallel_tree": 3, "subsample": 0.8, "colsample_bynode": 0.8}, y_bin, 2), "binary:logistic", "gbtree")

# Categorical splits: XGBoost 1.7 refuses to write them in the legacy binary format.
try:
    import pandas as pd
    df = pd.DataFrame({"a": X[:, 0], "c": pd.Categorical(np.arange(40) % 4)})
    cat = xgb.train({"nthread": 1, "tree_method": "hist", "max_cat_to_onehot": 1},
                    xgb.DMatrix(df, label=S, enable_categorical=True), 2)
    cat.save_raw(raw_format="deprecated")
    categorical_note = "saved (unexpected)"
except Exception as e:  # noqa: BLE001
    categorical_note = f"refused by XGBoost 1.7.4: {type(e).__name__}"
dump(os.path.join(LEGACY, "manifest.json"), {"xgboost": xgb.__version__, "cases": legacy_cases, "categorical": categorical_note})

# ----------------------------------------------------------------------- XGBoost pickles
manifest = {"xgboost": xgb.__version__, "sklearn": sklearn.__version__, "joblib": joblib.__version__, "numpy": np.__version__, "cases": []}


def expect(name: str, model, kind: str, files: list[str], note: str = "") -> None:
    d = ROWS
    out = {"name": name, "kind": kind, "files": files, "note": note, "rows": [[None if np.isnan(v) else float(v) for v in r] for r in d]}
    if kind == "booster":
        out["margin"] = f32list(model.predict(xgb.DMatrix(d, missing=np.nan), output_margin=True))
        out["value"] = f32list(model.predict(xgb.DMatrix(d, missing=np.nan)))
    else:
        out["margin"] = f32list(model.predict(d, output_margin=True))
        out["predict"] = [float(v) for v in np.asarray(model.predict(d)).ravel()]
        if kind == "classifier":
            out["proba"] = f32list(model.predict_proba(d))
            out["classes"] = [int(c) for c in model.classes_]
    dump(os.path.join(OUT, f"{name}.expected.json"), out)
    manifest["cases"].append({"name": name, "files": files})


def write_pickles(name: str, model, kind: str) -> None:
    files = []
    for proto in (0, 2, 3, 4, 5):
        fname = f"{name}.p{proto}.pkl"
        with open(os.path.join(OUT, fname), "wb") as fh:
            pickle.dump(model, fh, protocol=proto)
        files.append(fname)
    for suffix, compress in (("joblib", 0), ("z3.joblib", 3)):
        fname = f"{name}.{suffix}"
        joblib.dump(model, os.path.join(OUT, fname), compress=compress)
        files.append(fname)
    # Python reads back every file to the same predictions.
    ref = None
    for fname in files:
        path = os.path.join(OUT, fname)
        m = joblib.load(path) if fname.endswith("joblib") else pickle.load(open(path, "rb"))
        p = m.predict(xgb.DMatrix(ROWS, missing=np.nan), output_margin=True) if kind == "booster" else m.predict(ROWS, output_margin=True)
        assert ref is None or np.array_equal(ref, p), fname
        ref = p
    expect(name, model, kind, files)


clf = xgb.XGBClassifier(n_estimators=5, max_depth=3, nthread=NTHREAD, random_state=0).fit(X, y_bin)
write_pickles("xgb_classifier_binary", clf, "classifier")
clf3 = xgb.XGBClassifier(n_estimators=3, max_depth=2, nthread=NTHREAD, random_state=0).fit(X, y_multi)
write_pickles("xgb_classifier_multi", clf3, "classifier")
reg = xgb.XGBRegressor(n_estimators=4, max_depth=3, nthread=NTHREAD, random_state=0).fit(X, S)
write_pickles("xgb_regressor", reg, "regressor")
bst = train({"objective": "binary:logistic"}, y_bin, 4)
write_pickles("xgb_booster", bst, "booster")

# A Booster pickle as XGBoost 1.0-1.6 wrote it without JSON serialisation: "CONFIG-offset:",
# the int64 length of the legacy binary model, the model, then the JSON config. 1.7.4
# still reads this layout, which checks that the bytes below are what it expects.
raw = bytes(bst.save_raw(raw_format="deprecated"))
handle = b"CONFIG-offset:" + struct.pack("<q", len(raw)) + raw + bst.save_config().encode()
state = bst.__getstate__()
state["handle"] = bytearray(handle)
old = xgb.Booster()
old.__setstate__(dict(state))
assert np.array_equal(old.predict(xgb.DMatrix(ROWS, missing=np.nan), output_margin=True), bst.predict(xgb.DMatrix(ROWS, missing=np.nan), output_margin=True))
probe = xgb.Booster()
probe.__dict__.update({k: v for k, v in bst.__dict__.items() if k != "handle"})
buf = io.BytesIO()


class _OldBooster:
    """Pickles exactly as xgboost.core.Booster with the CONFIG-offset handle."""

    def __reduce_ex__(self, proto):
        return (xgb.core.Booster, (), state)


pickle.dump(_OldBooster(), buf, protocol=2)
with open(os.path.join(OUT, "xgb_booster_config_offset.p2.pkl"), "wb") as fh:
    fh.write(buf.getvalue())
check = pickle.loads(buf.getvalue())
expect("xgb_booster_config_offset", check, "booster", ["xgb_booster_config_offset.p2.pkl"],
       "synthesised as XGBoost 1.0-1.6 pickled a Booster (legacy binary after CONFIG-offset:); read back by 1.7.4")

# ----------------------------------------------------------------------- scikit-learn globals
# The globals scikit-learn 1.2.1 pickles of the supported classes need: the allow-list test
# checks each is allowed and that the unpickler reads these files.
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (LabelEncoder, MinMaxScaler, OneHotEncoder, OrdinalEncoder,
                                   PowerTransformer, StandardScaler)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
import pandas as pd

Xc = np.nan_to_num(X.astype(np.float64))
df = pd.DataFrame({"age": Xc[:, 0], "days": Xc[:, 1], "city": np.array(["Delhi", "Mumbai", "Pune", "Goa"])[np.arange(40) % 4]})
models = {
    "DecisionTreeClassifier": DecisionTreeClassifier(max_depth=3, random_state=0).fit(Xc, y_bin),
    "DecisionTreeRegressor": DecisionTreeRegressor(max_depth=3, random_state=0).fit(Xc, S),
    "RandomForestClassifier": RandomForestClassifier(n_estimators=2, max_depth=2, random_state=0).fit(Xc, y_multi),
    "RandomForestRegressor": RandomForestRegressor(n_estimators=2, max_depth=2, random_state=0).fit(Xc, S),
    "ExtraTreesClassifier": ExtraTreesClassifier(n_estimators=2, max_depth=2, random_state=0).fit(Xc, y_bin),
    "ExtraTreesRegressor": ExtraTreesRegressor(n_estimators=2, max_depth=2, random_state=0).fit(Xc, S),
    "GradientBoostingClassifier": GradientBoostingClassifier(n_estimators=2, max_depth=2, random_state=0).fit(Xc, y_multi),
    "KMeans": KMeans(n_clusters=3, n_init=2, random_state=0).fit(Xc),
    "StandardScaler": StandardScaler().fit(Xc),
    "MinMaxScaler": MinMaxScaler().fit(Xc),
    "PowerTransformer": PowerTransformer().fit(Xc),
    "LabelEncoder": LabelEncoder().fit(["Books", "Home", "Clothing"]),
    "OneHotEncoder": OneHotEncoder(handle_unknown="ignore").fit(df[["city"]]),
    "OrdinalEncoder": OrdinalEncoder().fit(df[["city"]]),
    "SimpleImputer": SimpleImputer().fit(X),
    "PCA": PCA(n_components=2).fit(Xc),
    "Pipeline": Pipeline([("impute", SimpleImputer()), ("power", PowerTransformer()), ("pca", PCA(2)), ("kmeans", KMeans(3, n_init=2, random_state=0))]).fit(X),
    "ColumnTransformer": ColumnTransformer([("num", StandardScaler(), ["age", "days"]), ("cat", OneHotEncoder(), ["city"])], remainder="drop").fit(df),
    "ColumnTransformerPassthrough": ColumnTransformer([("num", StandardScaler(), [0])], remainder="passthrough").fit(Xc),
}
globals_seen: set[str] = set()


class Recorder(pickle.Unpickler):
    """Records every global a pickle names while Python loads it."""

    def find_class(self, module, name):
        globals_seen.add(f"{module}.{name}")
        return super().find_class(module, name)


for name, m in models.items():
    for proto in (0, 2, 4, 5):
        Recorder(io.BytesIO(pickle.dumps(m, protocol=proto))).load()
for name in ("DecisionTreeClassifier", "StandardScaler", "OneHotEncoder"):
    with open(os.path.join(OUT, f"sklearn_{name}.p4.pkl"), "wb") as fh:
        pickle.dump(models[name], fh, protocol=4)
tree = models["DecisionTreeClassifier"].tree_
dump(os.path.join(OUT, "sklearn_DecisionTreeClassifier.expected.json"), {
    "node_count": int(tree.node_count), "n_features": int(tree.n_features),
    "threshold": [float(v) for v in tree.threshold], "left": [int(v) for v in tree.children_left],
    "feature": [int(v) for v in tree.feature], "value_shape": list(tree.value.shape),
    "value": [float(v) for v in tree.value.ravel()],
    "node_fields": list(tree.__getstate__()["nodes"].dtype.names),
})
dump(os.path.join(OUT, "sklearn_StandardScaler.expected.json"), {
    "mean": [float(v) for v in models["StandardScaler"].mean_], "scale": [float(v) for v in models["StandardScaler"].scale_],
    "n_samples_seen": int(models["StandardScaler"].n_samples_seen_)})
dump(os.path.join(OUT, "sklearn_OneHotEncoder.expected.json"), {"categories": [list(map(str, c)) for c in models["OneHotEncoder"].categories_]})
manifest["sklearn_globals"] = sorted(globals_seen)

# ----------------------------------------------------------------------- NumPy layouts
arrays = {
    "f8_2x3": np.arange(6, dtype=np.float64).reshape(2, 3) / 7,
    "f4_fortran": np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4)),
    "i8": np.array([-3, 0, 2**40], dtype=np.int64),
    "be_i4": np.array([1, -2, 3], dtype=">i4"),
    "u1": np.array([0, 255, 7], dtype=np.uint8),
    "bool": np.array([True, False, True]),
    "U": np.array(["Delhi", "Pune", "Ünïcode"]),
    "obj": np.array(["Books", "Home", None, 3], dtype=object),
    "struct": np.array([(1, 2.5), (-1, 0.25)], dtype=[("a", "<i8"), ("b", "<f8")]),
    "scalar_f8": np.float64(0.1),
    "scalar_i8": np.int64(-7),
    "empty": np.zeros((0, 3)),
}
for proto in (0, 2, 4, 5):
    with open(os.path.join(OUT, f"numpy.p{proto}.pkl"), "wb") as fh:
        pickle.dump(arrays, fh, protocol=proto)
joblib.dump(arrays, os.path.join(OUT, "numpy.joblib"))
joblib.dump(arrays, os.path.join(OUT, "numpy.z3.joblib"), compress=3)
joblib.dump(arrays, os.path.join(OUT, "numpy.gz.joblib"), compress=("gzip", 3))
joblib.dump(arrays, os.path.join(OUT, "numpy.bz2.joblib"), compress=("bz2", 3))


def plain(v):
    if isinstance(v, np.ndarray):
        if v.dtype.names:
            return {"dtype": "struct", "shape": list(v.shape), "fields": {n: v[n].tolist() for n in v.dtype.names}}
        return {"dtype": v.dtype.str, "shape": list(v.shape), "values": [x if not isinstance(x, float) or x == x else None for x in v.ravel(order="C").tolist()]}
    return v.item()


dump(os.path.join(OUT, "numpy.expected.json"), {k: plain(v) for k, v in arrays.items()})

dump(os.path.join(OUT, "manifest.json"), manifest)
print("ok", len(manifest["cases"]), "xgboost cases,", len(legacy_cases), "legacy,", len(globals_seen), "sklearn globals;", categorical_note)

# ----------------------------------------------------------------------- MLflow folders
# Laid out as MLflow 2.x's mlflow.xgboost.save_model / mlflow.sklearn.save_model write them
# (MLflow is not packaged in Debian, so the MLmodel files are written here field by field).
FEATURES5 = ["age", "last_login_days", "orders", "basket", "discount"]
signature = json.dumps([{"type": "float", "name": n, "required": True} for n in FEATURES5])
for folder, flavour in (("mlflow-xgboost", "xgboost"), ("mlflow-sklearn", "sklearn")):
    d = os.path.join(OUT, folder)
    os.makedirs(d, exist_ok=True)
    if flavour == "xgboost":
        clf.save_model(os.path.join(d, "model.xgb"))  # legacy binary in 1.7
        body = (f"flavors:\n  python_function:\n    data: model.xgb\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n"
                f"    loader_module: mlflow.xgboost\n    python_version: 3.11.2\n  xgboost:\n    code: null\n    data: model.xgb\n"
                f"    model_class: xgboost.sklearn.XGBClassifier\n    model_format: xgb\n    xgb_version: {xgb.__version__}\n")
    else:
        with open(os.path.join(d, "model.pkl"), "wb") as fh:
            pickle.dump(clf, fh, protocol=4)
        body = (f"flavors:\n  python_function:\n    env:\n      conda: conda.yaml\n      virtualenv: python_env.yaml\n    loader_module: mlflow.sklearn\n"
                f"    model_path: model.pkl\n    predict_fn: predict\n    python_version: 3.11.2\n  sklearn:\n    code: null\n"
                f"    pickled_model: model.pkl\n    serialization_format: cloudpickle\n    sklearn_version: {sklearn.__version__}\n")
    with open(os.path.join(d, "MLmodel"), "w") as fh:
        fh.write("artifact_path: model\n" + body + "mlflow_version: 2.9.2\nmodel_uuid: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\n"
                 "signature:\n  inputs: '" + signature + "'\n  outputs: '[{\"type\": \"long\", \"required\": true}]'\n"
                 "  params: null\nutc_time_created: '2026-01-01 00:00:00.000000'\n")
    reloaded = xgb.XGBClassifier()
    if flavour == "xgboost":
        reloaded.load_model(os.path.join(d, "model.xgb"))
        assert np.array_equal(reloaded.predict_proba(ROWS), clf.predict_proba(ROWS))
