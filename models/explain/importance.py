#!/usr/bin/python3
"""XGBoost 1.7.4's own feature importances for every tree model in models/xgboost/fixtures/.

    /usr/bin/python3 models/explain/importance.py

Writes models/explain/importance.json: {case: {importance_type: {feature: score}}} from
`Booster.get_score(importance_type=...)` for weight, gain, cover, total_gain and total_cover,
plus the same for the shared 1.7.4 fixtures in ../shared/data/xgboost-models/xgb-1.7.4-small.
Scores are float32 values written as exact doubles.
"""
import json
import os

import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = [
    ("fixtures", os.path.join(HERE, "..", "xgboost", "fixtures")),
    ("shared", os.path.join(HERE, "..", "..", "..", "shared", "data", "xgboost-models", "xgb-1.7.4-small")),
]
TYPES = ["weight", "gain", "cover", "total_gain", "total_cover"]


def main() -> None:
    out = {"xgboost": xgb.__version__, "cases": {}}
    for label, folder in SOURCES:
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".json") or name.endswith(".expected.json") or name.endswith(".dump.json") or name == "manifest.json":
                continue
            booster = xgb.Booster(model_file=os.path.join(folder, name))
            if json.loads(booster.save_config())["learner"]["gradient_booster"]["name"] == "gblinear":
                continue
            case = f"{label}/{name[:-5]}"
            out["cases"][case] = {t: booster.get_score(importance_type=t) for t in TYPES}
    with open(os.path.join(HERE, "importance.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(out['cases'])} cases")


if __name__ == "__main__":
    main()
