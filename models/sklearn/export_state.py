"""Fixtures for retail-ml's scikit-learn mapper (src/formats/sklearn/from-python.ts).

For each fitted estimator or pipeline this writes
  fixtures/<name>.json : {"state": <the object as the safe unpickler builds it, tagged JSON>,
                          "input": {"columns": [...] | null, "rows": [...]},
                          "expected": {"predict"|"predict_proba"|"transform"|...: ...}}
  pickles/<name>.pkl   : the same object, pickle protocol 4 (for the unpickler's own tests)

Tagged JSON (rebuilt into PyValue by test/support/py-value-json.ts):
  {"__ndarray__": {"dtype", "shape", "data"}}  data flat in C order; structured dtypes
                                               give {"__fields__": [[name, dtype, data]...]}
  {"__dict__": [[key, value], ...]}            a dict, order kept
  {"__object__": {"className", "args", "state"}}  what REDUCE/NEWOBJ + BUILD give
  {"__global__": "module.qualname"}            a bare class reference (e.g. dtype=np.float64)
  {"__float__": "nan"|"inf"|"-inf"}             non-finite floats
  {"__tuple__": [...]}                         tuples (arrays in PyValue, like lists)
Expected outputs write NaN as null. Everything is seeded: the same content whatever the protocol.

    /usr/bin/python3 models/sklearn/export_state.py
"""
import copyreg
import json
import math
import os
import pickle
import sys
import types

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.decomposition import PCA
from sklearn.ensemble import (ExtraTreesClassifier, ExtraTreesRegressor, GradientBoostingClassifier,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (LabelEncoder, MinMaxScaler, OneHotEncoder, OrdinalEncoder,
                                   PowerTransformer, StandardScaler)
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
PICKLES = os.path.join(HERE, "pickles")
SEED_DIR = os.path.join(HERE, "..", "..", "..", "shared", "data", "category-recommender")


def num(v):
    v = float(v)
    if math.isnan(v):
        return {"__float__": "nan"}
    if math.isinf(v):
        return {"__float__": "inf" if v > 0 else "-inf"}
    return v


def plain(a, dtype):
    """A plain (non-structured) array's flat values."""
    flat = a.reshape(-1)
    if dtype.kind == "f":
        return [num(v) for v in flat]
    if dtype.kind in "iu":
        return [int(v) for v in flat]
    if dtype.kind == "b":
        return [bool(v) for v in flat]
    if dtype.kind == "U":
        return [str(v) for v in flat]
    if dtype.kind == "O":
        return [enc(v) for v in flat]
    raise TypeError(f"dtype {dtype}")


def enc(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return num(v)
    if isinstance(v, tuple):
        return {"__tuple__": [enc(x) for x in v]}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {"__dict__": [[enc(k), enc(x)] for k, x in v.items()]}
    if isinstance(v, np.ndarray):
        a = np.ascontiguousarray(v)
        if a.dtype.names:
            fields = [[n, a.dtype[n].str, plain(np.ascontiguousarray(a[n]), a.dtype[n])] for n in a.dtype.names]
            return {"__ndarray__": {"dtype": "struct", "shape": list(a.shape), "data": {"__fields__": fields}}}
        return {"__ndarray__": {"dtype": a.dtype.str, "shape": list(a.shape), "data": plain(a, a.dtype)}}
    if isinstance(v, (type, types.FunctionType, types.BuiltinFunctionType)):
        return {"__global__": f"{v.__module__}.{v.__qualname__}"}
    if isinstance(v, np.dtype):
        return {"__object__": {"className": "numpy.dtype", "args": [v.str], "state": None}}
    rv = v.__reduce_ex__(4)
    func, args = rv[0], rv[1]
    state = rv[2] if len(rv) > 2 else None
    if func is copyreg.__newobj__:
        cls, args = args[0], args[1:]
    else:
        cls = func
    name = f"{cls.__module__}.{cls.__qualname__}"
    return {"__object__": {"className": name, "args": [enc(x) for x in args], "state": enc(state)}}


def out(a):
    """Expected outputs: plain JSON, NaN as null, strings as they are."""
    a = np.asarray(a.toarray() if hasattr(a, "toarray") else a)
    if a.dtype.kind == "f":
        return [None if math.isnan(x) else float(x) for x in a.reshape(-1)] if a.ndim == 1 else [
            [None if math.isnan(x) else float(x) for x in row] for row in a]
    return a.tolist()


def cells(rows):
    return [[None if (isinstance(x, float) and math.isnan(x)) or x is None else (x.item() if hasattr(x, "item") else x)
             for x in row] for row in rows]


def table(x):
    if isinstance(x, pd.DataFrame):
        return {"columns": list(map(str, x.columns)), "rows": cells(x.astype(object).values.tolist())}
    return {"columns": None, "rows": cells(np.asarray(x, dtype=object).tolist())}


def write(name, est, x_test, extra=None, fit_input=None):
    if x_test is None:  # LabelEncoder: its inputs are labels, in `extra`
        inp = None
    else:
        inp = table(x_test)
    expected = {}
    for method in ("predict", "predict_proba", "transform"):
        if hasattr(est, method) and x_test is not None:
            try:
                expected[method] = out(getattr(est, method)(x_test))
            except (AttributeError, ValueError):
                pass
    if hasattr(est, "get_feature_names_out") and "transform" in expected and x_test is not None:
        expected["feature_names_out"] = [str(n) for n in est.get_feature_names_out()]
    if hasattr(est, "classes_"):
        expected["classes"] = np.asarray(est.classes_).tolist()
    expected.update(extra or {})
    doc = {"sklearn": sklearn.__version__, "state": enc(est), "input": inp, "expected": expected}
    if fit_input is not None:  # the rows it was fitted on, for retail-ml's own fit to be compared
        doc["fit_input"] = table(fit_input)
    with open(os.path.join(FIXTURES, name + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    with open(os.path.join(PICKLES, name + ".pkl"), "wb") as f:
        pickle.dump(est, f, protocol=4)


def split(x, y, n_test):
    return x[:-n_test], y[:-n_test], x[-n_test:]


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    os.makedirs(PICKLES, exist_ok=True)
    rng = np.random.RandomState(20261206)
    iris = load_iris()
    perm = rng.permutation(150)
    xi, yi = iris.data[perm], iris.target[perm]
    yi_names = iris.target_names[yi]
    diab = load_diabetes()
    xd, yd = diab.data[:240], diab.target[:240]
    bc = load_breast_cancer()
    bperm = rng.permutation(len(bc.target))[:260]
    xb = pd.DataFrame(bc.data[bperm][:, :8], columns=[c.replace(" ", "_") for c in bc.feature_names[:8]])
    yb = bc.target[bperm]

    # Trees, forests, boosting: float32 thresholds and ties are exercised by the real data.
    x, y, xt = split(xi, yi_names, 30)
    write("decision_tree_classifier", DecisionTreeClassifier(max_depth=4, random_state=0).fit(x, y), xt)
    x, y, xt = split(xd, yd, 40)
    write("decision_tree_regressor", DecisionTreeRegressor(max_depth=5, random_state=0).fit(x, y), xt)
    x, y, xt = split(xi, yi, 30)
    write("random_forest_classifier", RandomForestClassifier(n_estimators=8, max_depth=5, random_state=1).fit(x, y), xt)
    x, y, xt = split(xd, yd, 40)
    write("random_forest_regressor", RandomForestRegressor(n_estimators=8, max_depth=5, random_state=2).fit(x, y), xt)
    write("extra_trees_classifier", ExtraTreesClassifier(n_estimators=6, max_depth=4, random_state=3).fit(xb[:-40], yb[:-40]), xb[-40:])
    write("extra_trees_regressor", ExtraTreesRegressor(n_estimators=6, max_depth=4, random_state=4).fit(x, y), xt)
    write("gradient_boosting_binary", GradientBoostingClassifier(n_estimators=6, max_depth=3, random_state=5).fit(xb[:-40], yb[:-40]), xb[-40:])
    write("gradient_boosting_exponential", GradientBoostingClassifier(loss="exponential", n_estimators=4, max_depth=2, random_state=6)
          .fit(xb[:-40].values, yb[:-40]), xb[-40:].values)
    x, y, xt = split(xi, yi_names, 30)
    write("gradient_boosting_multiclass", GradientBoostingClassifier(n_estimators=4, max_depth=2, learning_rate=0.5, random_state=7).fit(x, y), xt)

    # k-means: blobs plus held-out rows, some between clusters.
    centers = rng.normal(0, 4, size=(4, 3))
    xk = np.vstack([c + rng.normal(0, 1.2, size=(40, 3)) for c in centers])
    xk_test = rng.normal(0, 5, size=(200, 3))
    write("kmeans", KMeans(n_clusters=4, n_init=3, random_state=0).fit(xk), xk_test)

    # Scalers, power transform, PCA on skewed data with negatives, fitted on a DataFrame.
    raw = np.column_stack([rng.lognormal(1, 1, 120), rng.normal(-3, 2, 120), rng.exponential(5, 120) - 2, rng.uniform(0, 100, 120)])
    df = pd.DataFrame(raw, columns=["spend", "delta", "days", "score"])
    df_test = df.sample(25, random_state=1) * 1.3 - 0.5
    write("standard_scaler", StandardScaler().fit(df), df_test)
    write("standard_scaler_no_mean", StandardScaler(with_mean=False).fit(raw), raw[:20] * 2)
    write("min_max_scaler", MinMaxScaler(feature_range=(-1, 2)).fit(df), df_test, fit_input=df)
    write("min_max_scaler_clip", MinMaxScaler(clip=True).fit(raw), raw[:20] * 1.5)
    write("power_transformer", PowerTransformer().fit(df), df_test)
    write("power_transformer_plain", PowerTransformer(standardize=False).fit(raw), raw[:20] - 1)
    wide = np.column_stack([raw, raw[:, 0] * 0.5 + raw[:, 1], rng.normal(size=120)])
    write("pca", PCA(n_components=3).fit(wide), wide[:25] + 0.25)
    write("pca_whiten", PCA(n_components=2, whiten=True).fit(wide), wide[:25] - 0.25)

    # Imputers (one column all missing in fit: scikit-learn drops it from the output).
    holes = raw.copy()
    holes[rng.uniform(size=holes.shape) < 0.2] = np.nan
    holes_test = holes[:20] + 1
    write("simple_imputer_mean", SimpleImputer().fit(holes), holes_test)
    write("simple_imputer_median", SimpleImputer(strategy="median").fit(pd.DataFrame(holes, columns=df.columns)),
          pd.DataFrame(holes_test, columns=df.columns))
    rounded = np.round(holes / 10)
    write("simple_imputer_most_frequent", SimpleImputer(strategy="most_frequent").fit(rounded), np.round(holes_test / 10), fit_input=rounded)
    write("simple_imputer_constant", SimpleImputer(strategy="constant", fill_value=-5).fit(holes), holes_test)
    empty = holes.copy()
    empty[:, 2] = np.nan
    write("simple_imputer_empty_column", SimpleImputer().fit(empty), holes_test)

    # Encoders.
    cities = np.array(["Bangalore", "Delhi", "Hyderabad", "Mumbai"])
    cat = pd.DataFrame({"location": cities[rng.randint(0, 4, 80)], "tier": rng.choice(["gold", "silver", None], 80),
                        "store": rng.randint(1, 4, 80)})
    cat_test = pd.DataFrame({"location": ["Delhi", "Paris", "Mumbai", "Bangalore", "Hyderabad", "Delhi"],
                             "tier": ["gold", None, "bronze", "silver", "silver", "gold"], "store": [1, 2, 3, 9, 2, 1]})
    write("one_hot_encoder", OneHotEncoder(handle_unknown="ignore").fit(cat), cat_test)
    write("one_hot_encoder_drop", OneHotEncoder(drop="if_binary").fit(cat[["location", "store"]].assign(vip=rng.choice(["y", "n"], 80))),
          pd.DataFrame({"location": ["Delhi", "Mumbai"], "store": [2, 3], "vip": ["y", "n"]}))
    priced = pd.DataFrame({"price": rng.choice([2.5, 1e-05, 3.0, np.nan], 50),
                           "city": rng.choice(np.array(["Delhi", "Mumbai", np.nan], dtype=object), 50)})
    write("one_hot_encoder_float", OneHotEncoder(handle_unknown="ignore").fit(priced),
          pd.DataFrame({"price": [3.0, np.nan, 7.0, 1e-05], "city": [np.nan, "Delhi", "Pune", "Mumbai"]}))
    write("ordinal_encoder", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(cat), cat_test, fit_input=cat)
    write("ordinal_encoder_plain", OrdinalEncoder().fit(cat[["location", "store"]].values), cat_test[["location", "store"]].values[[0, 2, 4]])
    labels = ["Home", "Books", "Clothing", "Electronics", "Home", "Books"]
    le = LabelEncoder().fit(labels)
    write("label_encoder", le, None, {"transform_labels": ["Electronics", "Books", "Home"], "transform": le.transform(["Electronics", "Books", "Home"]).tolist(),
                                      "inverse_transform": le.inverse_transform([3, 0, 1, 2]).tolist(), "codes": [3, 0, 1, 2]})
    # The seed service's own artifacts, read in place (the state, not the pickle, is committed).
    seed_le = pickle.load(open(os.path.join(SEED_DIR, "label_encoder.pkl"), "rb"))
    seed_oh = pickle.load(open(os.path.join(SEED_DIR, "onehot_encoder.pkl"), "rb"))
    write("seed_label_encoder", seed_le, None, {"inverse_transform": seed_le.inverse_transform([3, 1, 2, 0]).tolist(), "codes": [3, 1, 2, 0]})
    write("seed_onehot_encoder", seed_oh, np.array([["Delhi"], ["Paris"], ["Mumbai"], ["Bangalore"]], dtype=object))

    # Pipelines.
    seg = df.copy()
    seg.iloc[rng.uniform(size=seg.shape) < 0.1] = np.nan
    seg_test = pd.DataFrame(rng.normal(0, 1, size=(60, 4)) * df.std().values + df.mean().values, columns=df.columns)
    seg_test.iloc[:8, 1] = np.nan
    segment = Pipeline([("impute", SimpleImputer(strategy="median")), ("power", PowerTransformer()),
                        ("pca", PCA(n_components=3)), ("kmeans", KMeans(n_clusters=4, n_init=4, random_state=0))]).fit(seg)
    write("pipeline_segmentation", segment, seg_test)

    shop = pd.DataFrame({"age": rng.randint(18, 70, 150).astype(float), "days": rng.exponential(40, 150), "discount": rng.randint(0, 2, 150),
                         "location": cities[rng.randint(0, 4, 150)]})
    target = np.where(shop.location.isin(["Delhi", "Mumbai"]) & (shop.age > 35), "Home", np.where(shop.days > 40, "Books", "Clothing"))
    flip = rng.uniform(size=150) < 0.15
    target[flip] = rng.choice(["Home", "Books", "Clothing"], flip.sum())
    shop_test = pd.DataFrame({"location": ["Delhi", "Paris", "Mumbai", "Hyderabad", "Bangalore", "Delhi"], "discount": [0, 1, 1, 0, 0, 1],
                              "days": [30.0, 5.5, 80.25, 41.0, 12.0, 60.0], "age": [35.0, 22.0, 61.0, 44.0, 19.0, 36.0]})
    prep = ColumnTransformer([("num", StandardScaler(), ["age", "days"]), ("cat", OneHotEncoder(handle_unknown="ignore"), ["location"])],
                             remainder="passthrough")
    write("pipeline_forest", Pipeline([("prep", prep), ("forest", RandomForestClassifier(n_estimators=6, max_depth=4, random_state=8))]).fit(shop, target),
          shop_test)

    xn = shop[["age", "days", "discount"]].values
    xn_test = shop_test[["age", "days", "discount"]].values
    boost = Pipeline([("select", ColumnTransformer([("mm", MinMaxScaler(), [0, 1]), ("keep", "passthrough", [2])], remainder="drop")),
                      ("gb", GradientBoostingClassifier(n_estimators=3, max_depth=2, random_state=9))]).fit(xn, target)
    write("pipeline_index_columns", boost, xn_test)

    sliced = ColumnTransformer([("a", StandardScaler(), slice(0, 2)), ("b", MinMaxScaler(), [False, False, True])], remainder="drop")
    write("column_transformer_slice", sliced.fit(xn), xn_test)

    mixed = ColumnTransformer([("codes", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), ["location"]),
                               ("fill", SimpleImputer(strategy="constant", fill_value=0), ["days"]), ("gone", "drop", ["age"])],
                              remainder="passthrough")
    shop_holes = shop.copy()
    shop_holes.loc[::7, "days"] = np.nan
    test_holes = shop_test.copy()
    test_holes.loc[1, "days"] = np.nan
    write("column_transformer", mixed.fit(shop_holes), test_holes)

    write("unsupported_svc", SVC().fit(xi[:60], yi[:60]), xi[-5:])

    # Python's repr of floats, as output names such as 'price_2.5' or 'x0_1e-05' spell categories.
    floats = [3.0, 1e-05, 1e16, 1.5e-07, 0.0001, 123456789012345.0, 1234567890123456.0, 0.1, -2.5, 1e22, 5e-324, -0.0, 9.999e15]
    floats += list(rng.uniform(-1, 1, 200) * 10.0 ** rng.randint(-8, 20, 200))
    with open(os.path.join(HERE, "python_repr.json"), "w") as f:
        json.dump([[num(v), repr(float(v))] for v in floats], f)


if __name__ == "__main__":
    sys.exit(main())
