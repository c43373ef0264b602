"""Reference computation of the purchase-in-24h features in pandas 1.5.3, written from the
issue's rules independently of the TypeScript code, to pin its output value for value.

    /usr/bin/python3 models/purchase/reference_features.py

Fits the one-hot categories on retail_app_data.csv and writes
  models/purchase/expected_features.csv.gz   all 10,000 training users
  models/purchase/expected_new_features.csv  the first 300 users of new_retail_data.csv (unknown categories ignored)
"""
import gzip
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "../../../shared/data/purchase-prediction")

CATEGORIES = {
    "shopping": ["ProductList", "ProductDetail", "CategoryBrowse", "Search"],
    "cart": ["ShoppingCart", "Checkout", "PaymentMethods", "DeliveryOptions"],
    "engagement": ["WishList", "Reviews", "Promotions"],
    "account": ["Account", "AddressBook", "OrderTracking"],
}
TRACKED = {s for screens in CATEGORIES.values() for s in screens}
PASSTHROUGH = ["age", "session_count", "total_screens_viewed", "used_search_feature", "wrote_review", "added_to_wishlist"]


def split_segment(df):
    parts = df.user_segment.str.split(" ", n=1, expand=True)
    age_group = parts[0]
    user_type = parts[1] if parts.shape[1] > 1 else pd.Series([None] * len(df), index=df.index)
    return age_group, user_type


def fit(df):
    age_group, user_type = split_segment(df)
    return {
        "region": sorted(df.region.dropna().unique()),
        "channel": sorted(df.acquisition_channel.dropna().unique()),
        "age_group": sorted(age_group.dropna().unique()),
        "user_type": sorted(user_type.dropna().unique()),
    }


def transform(df, cats):
    visit = pd.to_datetime(df.first_visit_date)
    bought = pd.to_datetime(df.purchase_date)
    out = pd.DataFrame({"user_id": df.user_id})
    for c in PASSTHROUGH:
        out[c] = df[c].astype(float)
    out["hour"] = visit.dt.hour
    out["dayofweek"] = visit.dt.dayofweek
    out["is_weekend"] = visit.dt.dayofweek.isin([5, 6]).astype(int)
    screens = df.screen_list.fillna("")
    for names in CATEGORIES.values():
        for s in names:
            out[s.lower()] = screens.str.contains(s, regex=False).astype(int)
    for cat, names in CATEGORIES.items():
        out[cat + "_count"] = out[[s.lower() for s in names]].sum(axis=1)
    out["other_screens"] = screens.apply(lambda x: sum(1 for e in x.split(",") if e not in TRACKED) if x else 0)
    out["engagement_score"] = (
        0.3 * df.session_count + 0.2 * df.used_search_feature + 0.15 * df.wrote_review + 0.15 * df.added_to_wishlist + 0.2 * df.total_screens_viewed
    )
    out["screen_diversity"] = sum((out[c + "_count"] > 0).astype(int) for c in CATEGORIES)
    out["purchase_intent"] = 0.4 * out.cart_count + 0.3 * out.shopping_count + 0.2 * out.engagement_count + 0.1 * df.added_to_wishlist
    out["platform"] = df.platform.map({"iOS": 1, "Android": 0}).fillna(0).astype(int)
    age_group, user_type = split_segment(df)
    for prefix, values in (("region", df.region), ("channel", df.acquisition_channel), ("age_group", age_group), ("user_type", user_type)):
        for cat in cats[prefix]:
            out[f"{prefix}_{cat}".lower()] = (values == cat).astype(int)
    parts = df.app_version.str.split(".")
    out["app_major_version"] = parts.str[0].astype(int)
    out["version_score"] = parts.apply(lambda ps: sum(int(p) / 10**n for n, p in enumerate(ps)))
    out["purchase_24h"] = ((bought - visit) <= pd.Timedelta(hours=24)).astype(int)
    return out


train = pd.read_csv(os.path.join(DATA, "retail_app_data.csv"))
cats = fit(train)
with gzip.GzipFile(os.path.join(HERE, "expected_features.csv.gz"), "wb", mtime=0) as f:
    f.write(transform(train, cats).to_csv(index=False, float_format="%.17g").encode())
new = pd.read_csv(os.path.join(DATA, "new_retail_data.csv")).head(300)
transform(new, cats).to_csv(os.path.join(HERE, "expected_new_features.csv"), index=False, float_format="%.17g")
print(cats)
