"""Fits scikit-learn encoders and exports them (in retail-ml's JSON form) with their own
transforms, for the encoder parity tests.

Run with Debian's interpreter (scikit-learn 1.2.1):  /usr/bin/python3 models/features/export_sklearn.py
Writes models/features/sklearn/encoders.json.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.preprocessing import LabelEncoder, OneHotEncoder

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn")
os.makedirs(OUT, exist_ok=True)


def plain(v):
    if v is None:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    return v


def export_one_hot(enc):
    drop_idx = enc.drop_idx_
    return {
        "type": "OneHotEncoder",
        "features": [str(f) for f in enc.feature_names_in_],
        "categories": [[plain(c) for c in cats] for cats in enc.categories_],
        "handleUnknown": enc.handle_unknown,
        "dropIndices": [None] * len(enc.categories_) if drop_idx is None else [None if d is None else int(d) for d in drop_idx],
    }


def frame_rows(df):
    return [{k: plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


cases = []

# 1. The category recommender's location encoder: four cities, unknown cities ignored.
fit = pd.DataFrame({"location": ["Mumbai", "Delhi", "Bangalore", "Hyderabad", "Delhi", "Mumbai"]})
test = pd.DataFrame({"location": ["Delhi", "Pune", "Mumbai", "Bangalore", "Hyderabad", "delhi", ""]})
enc = OneHotEncoder(handle_unknown="ignore").fit(fit)
cases.append(("location, ignore unknown", enc, fit, test))

# 2. Two features, strings with non-ASCII (code point order) and ints, drop='first', unknowns are errors.
fit = pd.DataFrame({
    "city": ["Zürich", "apple", "Éze", "Bern", "Zug", "éclair", "Apple"],
    "tier": [3, 1, 2, 1, 3, 2, 10],
})
test = fit.iloc[[6, 5, 4, 3, 2, 1, 0]].reset_index(drop=True)
enc = OneHotEncoder(drop="first", handle_unknown="error").fit(fit)
cases.append(("city and tier, drop first", enc, fit, test))

# 3. drop='if_binary': only two-category features lose a column.
fit = pd.DataFrame({"gender": ["F", "M", "M", "F"], "channel": ["web", "app", "store", "web"]})
test = pd.DataFrame({"gender": ["M", "F"], "channel": ["store", "app"]})
enc = OneHotEncoder(drop="if_binary").fit(fit)
cases.append(("if_binary", enc, fit, test))

# 4. Missing values become their own (last) category.
fit = pd.DataFrame({"segment": ["b", None, "a", "b", None]})
test = pd.DataFrame({"segment": [None, "a", "b"]})
enc = OneHotEncoder(handle_unknown="ignore").fit(fit)
cases.append(("missing as a category", enc, fit, test))

one_hot = []
for name, enc, fit_df, test_df in cases:
    one_hot.append({
        "name": name,
        "fitRows": frame_rows(fit_df),
        "options": {"handleUnknown": enc.handle_unknown, "drop": enc.drop},
        "encoder": export_one_hot(enc),
        "featureNamesOut": [str(n) for n in enc.get_feature_names_out()],
        "testRows": frame_rows(test_df),
        "expected": enc.transform(test_df).toarray().tolist(),
    })

# Label encoders: the recommender's categories, and numbers.
labels = []
for name, values, probe in [
    ("categories", ["Home", "Books", "Electronics", "Clothing", "Home", "Books"], ["Clothing", "Home", "Books"]),
    ("numbers", [30, 4, 4, 12.5, -1], [12.5, -1, 30]),
    ("code points", ["b", "B", "ä", "a", "Z"], ["ä", "Z"]),
]:
    le = LabelEncoder().fit(values)
    labels.append({
        "name": name,
        "fit": values,
        "classes": [plain(c) for c in le.classes_],
        "probe": probe,
        "codes": [int(c) for c in le.transform(probe)],
    })

with open(os.path.join(OUT, "encoders.json"), "w", encoding="utf-8") as f:
    json.dump({"generator": "scikit-learn " + sklearn.__version__, "oneHot": one_hot, "label": labels}, f, indent=1, ensure_ascii=False)
print("wrote", len(one_hot), "one-hot cases and", len(labels), "label cases")
