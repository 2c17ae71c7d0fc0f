"""Held-out NLU examples and intent scores, shared by the benchmark and the threshold test."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import List, Tuple

import yaml

HOLDOUT = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "holdout.yml"


def holdout_examples(path: Path = HOLDOUT) -> List[Tuple[str, str]]:
    """(text, intent) pairs."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip()[2:].strip()
            if text:
                pairs.append((text, block["intent"]))
    return pairs


def score(gold: List[str], predicted: List[str]) -> Tuple[float, float]:
    """Accuracy and macro F1 over the gold intents."""
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=False)) / len(gold)
    true_positive, predicted_count, gold_count = Counter(), Counter(predicted), Counter(gold)
    for g, p in zip(gold, predicted, strict=False):
        if g == p:
            true_positive[g] += 1
    f1s = []
    for label in gold_count:
        precision = true_positive[label] / predicted_count[label] if predicted_count[label] else 0
        recall = true_positive[label] / gold_count[label]
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0)
    return accuracy, sum(f1s) / len(f1s)
