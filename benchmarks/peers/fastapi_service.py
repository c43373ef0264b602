"""The same three requests as retail-ml's example service, served the way the seed systems
serve them: FastAPI on uvicorn (one worker), XGBoost / scikit-learn / pandas, SQLite, a JSONL
prediction log and an .eml outbox. Written for the load comparison in benchmarks/service.bench.ts
(Debian's python3-fastapi, python3-uvicorn, python3-xgboost 1.7.4, python3-sklearn 1.2.1).

    /usr/bin/python3 benchmarks/peers/fastapi_service.py PORT DATA_DIR
"""
import json
import os
import pickle
import sqlite3
import sys
import time
import uuid
from email.message import EmailMessage

import numpy as np
import pandas as pd
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from sklearn.ensemble import RandomForestClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "../..")
SHARED = os.path.join(ROOT, "../shared/data")
sys.path.insert(0, os.path.join(ROOT, "models/purchase"))
import reference_features  # noqa: E402  (the pandas purchase features, written from the seed's rules)

PORT, DATA = int(sys.argv[1]), sys.argv[2]
os.makedirs(os.path.join(DATA, "outbox"), exist_ok=True)

# Seed 000: the shop's own pickles, as its Streamlit app loads them.
with open(os.path.join(SHARED, "category-recommender/xgb_model_category.pkl"), "rb") as f:
    xgb_model = pickle.load(f)
with open(os.path.join(SHARED, "category-recommender/onehot_encoder.pkl"), "rb") as f:
    onehot = pickle.load(f)
with open(os.path.join(SHARED, "category-recommender/label_encoder.pkl"), "rb") as f:
    labels = pickle.load(f)
log = open(os.path.join(DATA, "predictions.jsonl"), "a")

# Seed 003: a forest trained like the service's (60 trees, balanced, min_samples_leaf=2, seed 42).
train = pd.read_csv(os.path.join(SHARED, "purchase-prediction/retail_app_data.csv"))
cats = reference_features.fit(train)
features = reference_features.transform(train, cats)
y = features.pop("purchase_24h").to_numpy()
features = features.drop(columns=["user_id"], errors="ignore")
columns = list(features.columns)
forest = RandomForestClassifier(n_estimators=60, class_weight="balanced", min_samples_leaf=2, random_state=42, n_jobs=1)
forest.fit(features.to_numpy(dtype=np.float32), y)

# Seed 001: SQLite, recommendations stored with a timestamp and reused for 24 h.
db = sqlite3.connect(os.path.join(DATA, "store.sqlite"), check_same_thread=False)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.executescript(
    """CREATE TABLE IF NOT EXISTS customer_profiles (customer_id TEXT PRIMARY KEY, name TEXT, email TEXT, created_at INTEGER);
       CREATE TABLE IF NOT EXISTS purchase_history (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT, category TEXT, price REAL, timestamp INTEGER);
       CREATE TABLE IF NOT EXISTS customer_recommendations (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT, created_at INTEGER, recommendations TEXT);"""
)
CATALOGUE = json.load(open(os.path.join(HERE, "catalogue.json")))

app = FastAPI()


@app.post("/category-recommendations")
async def category(request: Request):
    form = await request.json()
    location = onehot.transform(pd.DataFrame({"location": [form["location"]]})).toarray()[0]
    row = np.array([[form["age"], form["last_login_days"], 1 if form["prefers_discount"] == "Yes" else 0, *location]], dtype=np.float32)
    proba = xgb_model.predict_proba(row)[0]
    order = np.argsort(-proba, kind="stable")[:3]
    top = [{"label": str(labels.inverse_transform([i])[0]), "probability": float(proba[i])} for i in order]
    record_id = str(uuid.uuid4())
    log.write(json.dumps({"id": record_id, "input": form, "top": top}) + "\n")
    log.flush()
    os.fsync(log.fileno())
    msg = EmailMessage()
    msg["To"], msg["From"], msg["Subject"] = form["email"], "shop@example.com", "Your recommendations"
    msg.set_content("\n".join(f"{t['label']}: {t['probability']:.2%}" for t in top))
    with open(os.path.join(DATA, "outbox", f"{record_id}.eml"), "wb") as f:
        f.write(bytes(msg))
    return {"predictionId": record_id, "top": top}


@app.post("/predict/batch")
async def predict_batch(request: Request):
    body = await request.json()
    users = pd.DataFrame(body["users"])
    if "purchase_date" not in users:
        users["purchase_date"] = pd.NaT
    x = reference_features.transform(users, cats).reindex(columns=columns, fill_value=0).to_numpy(dtype=np.float32)
    p = forest.predict_proba(x)[:, 1]
    return {"predictions": [{"prediction": int(v >= 0.5), "probability": float(v)} for v in p]}


@app.post("/customer/create")
async def create(request: Request):
    b = await request.json()
    with db:
        db.execute("INSERT INTO customer_profiles VALUES (?, ?, ?, ?)", (b["customer_id"], b["name"], b["email"], int(time.time() * 1000)))
    return {"customer_id": b["customer_id"]}


@app.post("/recommendations/process-purchase")
async def purchase(request: Request):
    b = await request.json()
    product = CATALOGUE[int(b["product_id"]) - 1]
    with db:
        db.execute("INSERT INTO purchase_history (customer_id, category, price, timestamp) VALUES (?, ?, ?, ?)", (b["customer_id"], product["category"], product["price"], int(time.time() * 1000)))
        db.execute("DELETE FROM customer_recommendations WHERE customer_id = ?", (b["customer_id"],))
    return {"customer_id": b["customer_id"]}


@app.get("/recommendations/{customer_id}")
async def recommendations(customer_id: str):
    now = int(time.time() * 1000)
    row = db.execute("SELECT created_at, recommendations FROM customer_recommendations WHERE customer_id = ? ORDER BY created_at DESC LIMIT 1", (customer_id,)).fetchone()
    if row and now - row[0] < 24 * 3600 * 1000:
        return {"customer_id": customer_id, "from_cache": True, "recommendations": json.loads(row[1])}
    if not db.execute("SELECT 1 FROM customer_profiles WHERE customer_id = ?", (customer_id,)).fetchone():
        raise HTTPException(404)
    purchases = db.execute("SELECT category, price FROM purchase_history WHERE customer_id = ?", (customer_id,)).fetchall()
    average = sum(p[1] for p in purchases) / len(purchases) if purchases else 0
    weights = {}
    for category, price in purchases:
        weights[category.lower()] = weights.get(category.lower(), 0) + price / max(average, 1)
    total = sum(weights.values()) or 1
    weights = {c: w / total for c, w in weights.items()}
    segment = "premium" if average > 100 else "regular" if average >= 50 else "budget"
    scored = []
    for p in CATALOGUE:
        cat = p["category"].lower()
        score = weights.get(cat, 0) * 2 + sum(w * 0.5 for c, w in weights.items() if c in cat or cat in c) + sum(w * 0.3 for c, w in weights.items() if c in p["tags"].lower())
        if (segment == "premium" and p["price"] > 100) or (segment == "budget" and p["price"] < 50):
            score *= 1.2
        if score > 0:
            scored.append({"productId": p["id"], "name": p["name"], "category": p["category"], "price": p["price"], "score": score})
    scored.sort(key=lambda r: r["score"], reverse=True)
    scored = scored[:7]
    with db:
        db.execute("INSERT INTO customer_recommendations (customer_id, created_at, recommendations) VALUES (?, ?, ?)", (customer_id, now, json.dumps(scored)))
    return {"customer_id": customer_id, "from_cache": False, "recommendations": scored}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=PORT, workers=1, log_level="warning", access_log=False)
