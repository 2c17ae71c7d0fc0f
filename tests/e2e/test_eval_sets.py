"""The evaluation sets, scored over REST by the workplace's own scorer (../shared/eval/run_eval.py),
as `make eval` does: a regression below the target fails the build."""
import importlib.util
import uuid

import pytest
import yaml

from tests.model import ROOT

pytestmark = pytest.mark.e2e

SCORER = ROOT.parent / "shared" / "eval" / "run_eval.py"
TARGET = 0.95
SETS = [ROOT.parent / "shared" / "eval" / "dev.yml",
        ROOT / "tests" / "eval" / "citizen_questions.yml",
        ROOT / "tests" / "eval" / "plain_questions.yml"]


@pytest.fixture(scope="module")
def scorer():
    if not SCORER.exists():
        pytest.skip(f"the scorer {SCORER} is not beside the repo")
    spec = importlib.util.spec_from_file_location("run_eval", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_eval_set_meets_the_target(stack, scorer, path):
    if not path.exists():
        pytest.skip(f"{path} is not there")
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    failed = []
    for case in cases:
        sender = f"eval-{case['id']}-{uuid.uuid4().hex[:6]}"
        for turn in case["turns"]:
            reply = scorer.ask(stack.url(), sender, turn["q"], timeout=30)
            problems = scorer.check(reply, turn)
            if problems:
                failed.append(f"{case['id']} {turn['q']}: {problems}")
                break
    passed = 1 - len(failed) / len(cases)
    assert passed >= TARGET, f"{passed:.1%} < {TARGET:.0%}:\n" + "\n".join(failed)
