"""Which intent classifier: train NLU-only models that differ only in the classifier and score
them on the held-out examples in tests/nlu/holdout.yml (never in data/).

    .venv/bin/python bench/nlu_classifiers.py [--only NAME]

Prints one line per classifier: accuracy, macro F1, train seconds, parse ms.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import logging
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.nlu_scoring import holdout_examples, score
from ops.settings import ROOT

CANDIDATES = {
    "logistic_regression": {"name": "LogisticRegressionClassifier", "max_iter": 300,
                            "solver": "lbfgs", "tol": 0.0001, "random_state": 42},
    "diet": {"name": "DIETClassifier", "epochs": 80, "entity_recognition": False,
             "random_seed": 42},
}


def config_with(classifier: dict) -> dict:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    pipeline = []
    for component in config["pipeline"]:
        if component["name"] == "LogisticRegressionClassifier":
            pipeline.append(copy.deepcopy(classifier))
        else:
            pipeline.append(component)
    config["pipeline"] = pipeline
    config.pop("policies", None)
    return config


def run(name: str, classifier: dict) -> str:
    import rasa.utils.common
    from rasa.core.agent import Agent

    rasa.utils.common.configure_logging_and_warnings(logging.WARNING)
    from rasa.model_training import train_nlu

    with tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "config.yml"
        config_path.write_text(yaml.safe_dump(config_with(classifier), allow_unicode=True))
        started = time.perf_counter()
        model = train_nlu(str(config_path), str(ROOT / "data"), tmp,
                          fixed_model_name=name)
        train_seconds = time.perf_counter() - started
        agent = Agent.load(model)
        examples = holdout_examples()
        started = time.perf_counter()
        predicted = [asyncio.run(agent.parse_message(text))["intent"]["name"]
                     for text, _ in examples]
        parse_ms = (time.perf_counter() - started) * 1000 / len(examples)
    accuracy, macro_f1 = score([gold for _, gold in examples], predicted)
    return (f"{name:22s} accuracy {accuracy:.3f}  macro-F1 {macro_f1:.3f}  "
            f"train {train_seconds:5.1f} s  parse {parse_ms:.1f} ms  (n={len(examples)})")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=sorted(CANDIDATES))
    args = parser.parse_args()
    for name, classifier in CANDIDATES.items():
        if not args.only or args.only == name:
            print(run(name, classifier), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
