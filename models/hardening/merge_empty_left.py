#!/usr/bin/python3
"""pandas 1.5.3's column order when the left table of a merge has no rows.

    /usr/bin/python3 models/hardening/merge_empty_left.py   # rewrites merge_empty_left.json

pandas then takes the key columns at the right table's positions (for every `how`), where
with rows it keeps them at the left's. Each case records both tables as CSV text and
pandas' merged columns and rows (missing = null).
"""
import io
import json
import math
import os

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))


def records(df: pd.DataFrame) -> list:
    out = []
    for row in df.itertuples(index=False):
        out.append([None if (isinstance(v, float) and math.isnan(v)) or v is None else v for v in row])
    return out


def main() -> None:
    tables = {
        "right": "customer_id,age,city\na,30,X\nb,40,Y\nc,50,Z\n",
        "right_key_last": "age,city,customer_id\n31,P,b\n41,Q,z\n",
        "left_empty": "customer_id,age,seg\n",
        "left_empty_key_middle": "seg,customer_id,age\n",
        "left_empty_no_overlap": "customer_id,seg\n",
        "left_one_row": "customer_id,age,seg\nb,1,s\n",
    }
    types = {"customer_id": str, "seg": str, "city": str, "age": float}
    read = lambda name: pd.read_csv(io.StringIO(tables[name]), dtype={k: v for k, v in types.items() if k in tables[name].splitlines()[0].split(",")})
    cases = []
    for left, right in [("left_empty", "right"), ("left_empty_key_middle", "right"), ("left_empty_key_middle", "right_key_last"),
                        ("left_empty_no_overlap", "right"), ("left_one_row", "right")]:
        for how in ("right", "left", "inner", "outer"):
            l, r = read(left), read(right)
            if left == "left_empty_no_overlap":
                r = r.drop(columns=["age"])
            m = l.merge(r, on="customer_id", how=how)
            cases.append({"left": left, "right": right, "drop_right": ["age"] if left == "left_empty_no_overlap" else [],
                          "how": how, "columns": list(m.columns), "rows": records(m)})
    with open(os.path.join(HERE, "merge_empty_left.json"), "w") as fh:
        json.dump({"pandas": pd.__version__, "tables": tables, "cases": cases}, fh, indent=1)
        fh.write("\n")
    for c in cases:
        print(c["left"], c["right"], c["how"], c["columns"])


if __name__ == "__main__":
    main()
