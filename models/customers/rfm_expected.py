"""Reference RFM scores for the Online Retail 40,000-line sample, computed with pandas 1.5.3.

Run with Debian's Python: /usr/bin/python3 models/customers/rfm_expected.py
Writes models/customers/rfm_sample40000.json, read by test/customers/rfm.test.ts.

Cleaning: drop lines without CustomerID; cancellations are invoices starting with C or negative
quantities; purchases are the other lines with quantity > 0 and price > 0. Monetary is purchase
value minus cancelled value. Scores: R = qcut(recency, 5, labels 5..1), F = qcut(frequency ranked
'first', 5), M = qcut(monetary, 5); customers in order of first purchase line, which is the order
rank(method='first') breaks frequency ties by.
"""
import json
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "..", "shared", "data", "online-retail", "online_retail_sample40000.xlsx")

df = pd.read_excel(SRC, dtype={"InvoiceNo": str, "StockCode": str})
if not pd.api.types.is_datetime64_any_dtype(df["InvoiceDate"]):
    df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"], unit="D", origin="1899-12-30")
df = df[df["CustomerID"].notna()].copy()
df["CustomerID"] = df["CustomerID"].astype(int).astype(str)
cancel_mask = df["InvoiceNo"].str.upper().str.startswith("C") | (df["Quantity"] < 0)
purchases = df[~cancel_mask & (df["Quantity"] > 0) & (df["UnitPrice"] > 0)].copy()
cancels = df[cancel_mask].copy()

snapshot = pd.Timestamp("2011-12-10")
purchases["value"] = purchases["Quantity"] * purchases["UnitPrice"]
g = purchases.groupby("CustomerID")
rfm = pd.DataFrame(
    {
        "recency": (snapshot - g["InvoiceDate"].max()).dt.days,
        "frequency": g["InvoiceNo"].nunique(),
        "monetary": g["value"].sum(),
    }
)
cancels["value"] = cancels["Quantity"].abs() * cancels["UnitPrice"]
net = cancels.groupby("CustomerID")["value"].sum()
rfm["monetary"] = rfm["monetary"] - net.reindex(rfm.index).fillna(0.0)
rfm = rfm.loc[purchases["CustomerID"].drop_duplicates().tolist()]

rfm["R"] = pd.qcut(rfm["recency"], 5, labels=[5, 4, 3, 2, 1]).astype(int)
rfm["F"] = pd.qcut(rfm["frequency"].rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
rfm["M"] = pd.qcut(rfm["monetary"], 5, labels=[1, 2, 3, 4, 5]).astype(int)

out = {
    "source": "online_retail_sample40000.xlsx",
    "snapshot": "2011-12-10T00:00:00Z",
    "tool": f"pandas {pd.__version__}",
    "columns": ["customerId", "recency", "frequency", "monetary", "R", "F", "M"],
    "rows": [
        [cid, int(r.recency), int(r.frequency), round(float(r.monetary), 6), int(r.R), int(r.F), int(r.M)]
        for cid, r in rfm.iterrows()
    ],
}
with open(os.path.join(HERE, "rfm_sample40000.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(len(out["rows"]), "customers")
