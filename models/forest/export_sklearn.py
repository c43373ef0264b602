"""Write a fitted scikit-learn tree classifier as `sklearn-trees` JSON (retail-ml's loadSklearnTrees).

Supports RandomForestClassifier, ExtraTreesClassifier, DecisionTreeClassifier and
GradientBoostingClassifier (default prior init or init='zero'), single output.

    /usr/bin/python3 models/forest/export_sklearn.py model.pickle model.json   # from a pickle
    from export_sklearn import export_model; json.dump(export_model(clf), f)    # from Python
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier, RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier


def _py(values):
    return [v.item() if hasattr(v, "item") else v for v in values]


def _tree(tree, width):
    t = tree.tree_
    if t.n_outputs != 1:
        raise ValueError("only single-output trees are supported")
    value = np.asarray(t.value, dtype=np.float64).reshape(t.node_count, -1)
    if value.shape[1] != width:
        raise ValueError(f"tree value width {value.shape[1]}, expected {width}")
    return {
        "children_left": t.children_left.tolist(),
        "children_right": t.children_right.tolist(),
        "feature": t.feature.tolist(),
        "threshold": t.threshold.tolist(),  # float64, json writes repr so it round-trips exactly
        "value": value.reshape(-1).tolist(),
        "impurity": t.impurity.tolist(),
        "n_node_samples": t.n_node_samples.tolist(),
        "weighted_n_node_samples": t.weighted_n_node_samples.tolist(),
    }


def export_model(model, feature_names=None):
    if getattr(model, "n_outputs_", 1) != 1:
        raise ValueError("only single-output classifiers are supported")
    classes = _py(model.classes_)
    n_features = int(model.n_features_in_)
    if feature_names is None and hasattr(model, "feature_names_in_"):
        feature_names = [str(n) for n in model.feature_names_in_]
    out = {
        "format": "sklearn-trees",
        "version": 1,
        "producer": f"scikit-learn {sklearn.__version__}",
        "n_features": n_features,
        "feature_names": feature_names,
        "classes": classes,
    }
    if isinstance(model, (RandomForestClassifier, ExtraTreesClassifier)):
        out["estimator"] = type(model).__name__
        out["value_width"] = len(classes)
        out["trees"] = [_tree(e, len(classes)) for e in model.estimators_]
    elif isinstance(model, DecisionTreeClassifier):
        out["estimator"] = "DecisionTreeClassifier"
        out["value_width"] = len(classes)
        out["trees"] = [_tree(model, len(classes))]
    elif isinstance(model, GradientBoostingClassifier):
        # The init estimator's raw prediction must be a constant (prior or zero) to be exported.
        probe = np.zeros((2, n_features), dtype=np.float32)
        probe[1] = 1e6
        init_raw = model._raw_predict_init(probe)
        if not np.array_equal(init_raw[0], init_raw[1]):
            raise ValueError("only constant init estimators (prior or 'zero') can be exported")
        out["estimator"] = "GradientBoostingClassifier"
        out["value_width"] = 1
        out["learning_rate"] = float(model.learning_rate)
        out["loss"] = model.loss
        out["init_raw"] = init_raw[0].tolist()
        out["trees_per_stage"] = int(model.estimators_.shape[1])
        out["trees"] = [_tree(e, 1) for stage in model.estimators_ for e in stage]
    else:
        raise TypeError(f"unsupported estimator {type(model).__name__}")
    return out


if __name__ == "__main__":
    import pickle

    if len(sys.argv) != 3:
        sys.exit("usage: export_sklearn.py model.pickle out.json")
    with open(sys.argv[1], "rb") as f:
        model = pickle.load(f)
    with open(sys.argv[2], "w") as f:
        json.dump(export_model(model), f)
