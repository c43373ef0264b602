#!/usr/bin/python3
"""Converts the benchmark models to ONNX (ai.onnx.ml TreeEnsembleClassifier), for the
onnxruntime-node column of benchmarks/xgboost.bench.ts. Written from the ONNX-ML operator
spec with Debian's python3-onnx 1.12 (no onnxmltools):

    /usr/bin/python3 models/bench/to_onnx.py

Each tree node becomes a BRANCH_LT node (x < threshold goes to the "true" branch, XGBoost's
left child; missing values follow default_left through nodes_missing_value_tracks_true);
leaves become class weights for the tree's output group. Binary models use LOGISTIC with
the base margin logit(base_score); multi-class models use SOFTMAX.

The result is checked here against XGBoost's predictions with a small numpy evaluation of
the ONNX node as the spec defines it (python3-onnx 1.12 has no runtime); the benchmark
checks onnxruntime-node itself on the same rows before timing it.
"""
import json
import os

import numpy as np
import onnx
import xgboost as xgb
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))


def convert(model_json: dict, num_features: int) -> onnx.ModelProto:
    learner = model_json["learner"]
    objective = learner["objective"]["name"]
    num_class = int(learner["learner_model_param"]["num_class"])
    base_score = np.float32(float(learner["learner_model_param"]["base_score"]))
    trees = learner["gradient_booster"]["model"]["trees"]
    tree_info = learner["gradient_booster"]["model"]["tree_info"]
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_missing_value_tracks_true",
                         "class_treeids", "class_nodeids", "class_ids", "class_weights"]}
    for t, tree in enumerate(trees):
        left, right = tree["left_children"], tree["right_children"]
        for i in range(int(tree["tree_param"]["num_nodes"])):
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(i)
            leaf = left[i] == -1
            a["nodes_featureids"].append(0 if leaf else tree["split_indices"][i])
            a["nodes_modes"].append("LEAF" if leaf else "BRANCH_LT")
            a["nodes_values"].append(0.0 if leaf else float(np.float32(tree["split_conditions"][i])))
            a["nodes_truenodeids"].append(0 if leaf else left[i])
            a["nodes_falsenodeids"].append(0 if leaf else right[i])
            a["nodes_missing_value_tracks_true"].append(0 if leaf else int(tree["default_left"][i]))
            if leaf:
                a["class_treeids"].append(t)
                a["class_nodeids"].append(i)
                a["class_ids"].append(tree_info[t] if num_class > 0 else 0)
                a["class_weights"].append(float(np.float32(tree["split_conditions"][i])))
    if objective == "binary:logistic":
        margin = -np.log(np.float32(1) / base_score - np.float32(1), dtype=np.float32)
        labels, base, transform, width = [0, 1], [float(margin)], "LOGISTIC", 2
    elif objective == "multi:softprob":
        labels, base, transform, width = list(range(num_class)), [float(base_score)] * num_class, "SOFTMAX", num_class
    else:
        raise ValueError(f"unsupported objective {objective}")
    node = helper.make_node("TreeEnsembleClassifier", ["input"], ["label", "probabilities"], domain="ai.onnx.ml",
                            classlabels_int64s=labels, base_values=base, post_transform=transform, **a)
    graph = helper.make_graph([node], "xgboost", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [None, num_features])],
                              [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
                               helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, width])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15), helper.make_opsetid("ai.onnx.ml", 3)],
                              producer_name="retail-ml models/bench/to_onnx.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def evaluate(model: onnx.ModelProto, X: np.ndarray) -> np.ndarray:
    """The TreeEnsembleClassifier node evaluated per the ONNX-ML spec (float32 sums)."""
    node = model.graph.node[0]
    at = {x.name: helper.get_attribute_value(x) for x in node.attribute}
    key = {(t, n): k for k, (t, n) in enumerate(zip(at["nodes_treeids"], at["nodes_nodeids"]))}
    leaf_weights = {}
    for t, n, c, w in zip(at["class_treeids"], at["class_nodeids"], at["class_ids"], at["class_weights"]):
        leaf_weights.setdefault((t, n), []).append((c, np.float32(w)))
    trees = sorted(set(at["nodes_treeids"]))
    k = max(at["class_ids"]) + 1
    out = np.tile(np.array(at["base_values"], dtype=np.float32), (len(X), 1))
    for r, x in enumerate(X):
        for t in trees:
            i = key[(t, 0)]
            while at["nodes_modes"][i] != b"LEAF":
                v = x[at["nodes_featureids"][i]]
                go_true = at["nodes_missing_value_tracks_true"][i] == 1 if np.isnan(v) else v < np.float32(at["nodes_values"][i])
                i = key[(t, at["nodes_truenodeids"][i] if go_true else at["nodes_falsenodeids"][i])]
            for c, w in leaf_weights[(t, at["nodes_nodeids"][i])]:
                out[r, c] = np.float32(out[r, c] + w)
    if at["post_transform"] == b"LOGISTIC":
        p = 1 / (1 + np.exp(-out[:, 0].astype(np.float64)))
        return np.column_stack([1 - p, p])
    z = np.exp(out - out.max(1, keepdims=True))
    return z / z.sum(1, keepdims=True)


def main() -> None:
    manifest = json.load(open(os.path.join(HERE, "manifest.json")))
    for m in manifest["models"]:
        booster = xgb.Booster(model_file=os.path.join(HERE, m["model_file"]))
        model_json = json.loads(booster.save_raw(raw_format="json"))
        model = convert(model_json, m["num_features"])
        onnx.save(model, os.path.join(HERE, m["onnx_file"]))
        X = np.fromfile(os.path.join(HERE, m["rows_file"]), dtype=np.float32).reshape(-1, m["num_features"])[:200]
        want = booster.predict(xgb.DMatrix(X, missing=np.nan))
        got = evaluate(model, X)
        if want.ndim == 1:
            got = got[:, 1]
        err = float(np.abs(got - want).max())
        size = os.path.getsize(os.path.join(HERE, m["onnx_file"]))
        print(f"{m['onnx_file']}: {size / 1e6:.1f} MB, max |p_onnx - p_xgboost| on 200 rows = {err:.2e}")
        assert err < 1e-5, err


if __name__ == "__main__":
    main()
