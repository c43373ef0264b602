"""Scores the real category model with XGBoost itself over a grid of customer forms, for
the recommender parity test.

Run with Debian's interpreter (XGBoost 1.7.4, scikit-learn 1.2.1):
    /usr/bin/python3 models/features/category_grid.py
Reads ../shared/data/category-recommender/xgb_model_category.json and writes
models/features/category/grid.json: each form, XGBoost's probabilities and its top 3.
The encoding mirrors the seed app: a OneHotEncoder(handle_unknown='ignore') over the four
cities, a LabelEncoder over the four categories, prefers_discount as 1/0.
"""
import itertools
import json
import os

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.preprocessing import LabelEncoder, OneHotEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "..", "shared", "data", "category-recommender", "xgb_model_category.json")
OUT = os.path.join(HERE, "category")
os.makedirs(OUT, exist_ok=True)

booster = xgb.Booster()
booster.load_model(MODEL)
labels = LabelEncoder().fit(["Home", "Books", "Clothing", "Electronics"])
cities = OneHotEncoder(handle_unknown="ignore").fit(np.array([["Mumbai"], ["Delhi"], ["Bangalore"], ["Hyderabad"]], dtype=object))
assert list(booster.feature_names) == ["age", "last_login_days", "prefers_discount"] + [
    "location_" + c for c in cities.categories_[0]
]

ages = [18, 22, 27, 35, 41, 50, 58, 66, 80]
gaps = [0, 1, 3, 7, 14, 30, 60, 120, 365]
discount = [False, True]
locations = ["Bangalore", "Delhi", "Hyderabad", "Mumbai", "Pune"]

forms, rows = [], []
for i, (age, gap, disc, loc) in enumerate(itertools.product(ages, gaps, discount, locations)):
    forms.append({
        "customer_id": "grid%04d" % i,
        "age": age,
        "last_login_days": gap,
        # alternate the two accepted spellings of the discount preference
        "prefers_discount": (("Yes" if disc else "No") if i % 2 else disc),
        "location": loc,
    })
    rows.append([age, gap, 1 if disc else 0] + list(cities.transform(np.array([[loc]], dtype=object)).toarray()[0]))

X = np.array(rows, dtype=np.float32)
p = booster.predict(xgb.DMatrix(X, feature_names=booster.feature_names))
top = np.argsort(-p, axis=1, kind="stable")[:, :3]
cases = [
    {
        "form": f,
        "row": [float(v) for v in X[i]],
        "probabilities": [float(v) for v in p[i]],
        "top3": [labels.classes_[j] for j in top[i]],
    }
    for i, f in enumerate(forms)
]
with open(os.path.join(OUT, "grid.json"), "w") as f:
    json.dump({
        "generator": "xgboost %s, scikit-learn %s" % (xgb.__version__, sklearn.__version__),
        "classes": list(labels.classes_),
        "cases": cases,
    }, f)
print(len(cases), "cases; example", cases[0]["top3"], cases[0]["probabilities"])
