"""The original pipeline's derivation of the 21 customer attributes, in pandas (reference)."""
import pandas as pd

ATTRIBUTES = ["Age", "Education", "Marital Status", "Parental Status", "Children", "Income", "Total_Spending",
              "Days_as_Customer", "Recency", "Wines", "Fruits", "Meat", "Fish", "Sweets", "Gold", "Web", "Catalog",
              "Store", "Discount Purchases", "Total Promo", "NumWebVisitsMonth"]
# Columns the pipeline clips at Q3 + 1.5 IQR: the continuous ones (not codes, flags or Total Promo).
CLIPPED = ["Age", "Income", "Total_Spending", "Days_as_Customer", "Recency", "Wines", "Fruits", "Meat", "Fish",
           "Sweets", "Gold", "Web", "Catalog", "Store", "Discount Purchases", "NumWebVisitsMonth"]


def derive(df):
    out = pd.DataFrame()
    out["Age"] = 2022 - df["Year_Birth"]
    out["Education"] = df["Education"].map({"Basic": 0, "2n Cycle": 1, "Graduation": 2, "Master": 3, "PhD": 4})
    out["Marital Status"] = df["Marital_Status"].isin(["Married", "Together"]).astype(int)
    children = df["Kidhome"] + df["Teenhome"]
    out["Parental Status"] = (children > 0).astype(int)
    out["Children"] = children
    out["Income"] = df["Income"]
    mnt = ["MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts", "MntGoldProds"]
    out["Total_Spending"] = df[mnt].sum(axis=1)
    dt = pd.to_datetime(df["Dt_Customer"], format="%d-%m-%Y")
    out["Days_as_Customer"] = (pd.Timestamp("2022-11-03") - dt).dt.days
    out["Recency"] = df["Recency"]
    for src, dst in [("MntWines", "Wines"), ("MntFruits", "Fruits"), ("MntMeatProducts", "Meat"),
                     ("MntFishProducts", "Fish"), ("MntSweetProducts", "Sweets"), ("MntGoldProds", "Gold"),
                     ("NumWebPurchases", "Web"), ("NumCatalogPurchases", "Catalog"), ("NumStorePurchases", "Store"),
                     ("NumDealsPurchases", "Discount Purchases")]:
        out[dst] = df[src]
    out["Total Promo"] = df[["AcceptedCmp1", "AcceptedCmp2", "AcceptedCmp3", "AcceptedCmp4", "AcceptedCmp5"]].sum(axis=1)
    out["NumWebVisitsMonth"] = df["NumWebVisitsMonth"]
    return out[ATTRIBUTES].astype(float)
