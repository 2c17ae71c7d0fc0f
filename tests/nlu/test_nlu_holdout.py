"""Intent accuracy of the shipped model on examples it never saw (tests/nlu/holdout.yml)."""
import asyncio

import pytest

from bench.nlu_scoring import holdout_examples, score
from guide_kb.rasa_data import LOOKUP_PATH
from tests.model import ROOT, require_model

ACCURACY_THRESHOLD = 0.85  # measured 0.89 (bench/nlu_classifiers.py, README)


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent
    return Agent.load(str(require_model()))


def test_holdout_is_not_in_the_training_data():
    import yaml
    training = set()
    for path in (ROOT / "data" / "nlu.yml", LOOKUP_PATH):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" not in block:  # lookup tables and synonyms are not examples
                continue
            for line in block["examples"].splitlines():
                training.add(line.strip()[2:].strip())
    leaked = [text for text, _ in holdout_examples() if text in training]
    assert not leaked, leaked


def test_intent_accuracy_on_holdout(agent):
    examples = holdout_examples()
    loop = asyncio.new_event_loop()
    try:
        predicted = [loop.run_until_complete(agent.parse_message(text))["intent"]["name"]
                     for text, _ in examples]
    finally:
        loop.close()
    accuracy, macro_f1 = score([gold for _, gold in examples], predicted)
    misses = [(t, g, p) for (t, g), p in zip(examples, predicted, strict=False) if g != p]
    assert accuracy >= ACCURACY_THRESHOLD, f"accuracy {accuracy:.3f}, F1 {macro_f1:.3f}: {misses}"
