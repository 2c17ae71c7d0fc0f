"""The evaluation sets, scored over REST with the project's scorer (tests/eval/run_eval.py), as
`make eval` does. Each set has a floor that a regression must not cross (the targets of the README
are higher where they are not reached yet), and no set may get an answer that states a fact of
another sub-service (a forbidden window, address or material: a misroute)."""
import importlib.util
import uuid

import pytest
import yaml

from tests.model import ROOT

pytestmark = pytest.mark.e2e

EVAL = ROOT / "tests" / "eval"
SCORER = EVAL / "run_eval.py"
# set → the least share of conversations that must pass (measured figures are in the README)
FLOORS = {
    "dev.yml": 1.0,
    "dev_hard.yml": 0.93,
    "citizen_questions_tune.yml": 0.97,
    "citizen_questions_holdout.yml": 0.95,
    "plain_questions_tune.yml": 0.97,
    "plain_questions_holdout.yml": 0.95,
    "misroute.yml": 0.95,
    "hard_tune.yml": 0.93,
    "blind_citizen.yml": 0.83,
    "blind_citizen2.yml": 0.8,
    "effect_tune.yml": 0.9,
    "effect_tune2.yml": 0.88,
    "blind_citizen3.yml": 0.8,
    "blind_citizen4.yml": 0.8,
    "effect_tune3.yml": 0.8,
    "oos_tune.yml": 0.8,
    "story_tune.yml": 0.88,
    "effect_tune4.yml": 0.78,
    "effect_holdout4.yml": 0.76,
    "scope_follow_tune.yml": 0.92,
    "scope_follow_holdout.yml": 0.72,
    "blind_citizen5.yml": 0.83,
    "blind_citizen6.yml": 0.86,
    "blind_citizen7.yml": 0.83,
    "blind_citizen8.yml": 0.88,
    "blind_citizen9.yml": 0.83,
    "blind_citizen10.yml": 0.83,
    "gap_tune.yml": 0.88,
    "gap_holdout.yml": 0.74,
    "turns_tune.yml": 0.88,
    "turns_holdout.yml": 0.73,
    "effect_tune5.yml": 0.92,
    "effect_holdout5.yml": 0.8,
    "everyday_tune.yml": 0.88,
    "everyday_holdout.yml": 0.86,
    "situations_tune.yml": 0.73,
    "situations_holdout.yml": 0.73,
    "parts_tune.yml": 0.93,
    "parts_holdout.yml": 0.93,
    "followups_tune.yml": 0.6,
    "followups_holdout.yml": 0.64,
    "effect_tune6.yml": 0.5,
    "effect_holdout6.yml": 0.5,
}
# Written blind and never tuned on (the holdout halves are never looked at): their misroutes are
# counted in the README, not fixed one by one.
SCORED_ONLY = {"blind_citizen.yml", "blind_citizen2.yml", "blind_citizen3.yml",
               "blind_citizen4.yml", "blind_citizen5.yml", "blind_citizen6.yml",
               "blind_citizen7.yml", "blind_citizen8.yml", "blind_citizen9.yml",
               "blind_citizen10.yml",
               "effect_holdout4.yml", "scope_follow_holdout.yml",
               "gap_holdout.yml", "turns_holdout.yml", "effect_holdout5.yml",
               "everyday_holdout.yml", "situations_holdout.yml",
               "parts_holdout.yml", "followups_holdout.yml", "effect_holdout6.yml"}
# Misroutes known and counted in the README, on sets tuned on (turns): 俺要办个失业的登记 answers
# 《就业创业证》申领 beside 失业登记 (办个 reads as 申领); a story naming 就业创业证 and 找工作
# answers 求职登记 beside it (找工作 is a name of 求职登记); a 机关's 退下来的手续 answers 待遇申领
# beside 退休审批; 失业保险往抚顺挪 answers 转出; five nearby questions the guide does
# not cover, answered with a service (a burn at a restaurant without 工伤保险,
# 农民工's 一次性生活补助, a stolen card's money, retirees' 医保, 医保 in another city); a
# 档案存放证明 answers the 档案接收和转递 (档案存放 is its alias); the money on a 医保卡 spent for
# a parent, and 社保 paid per month, answer the 社保卡 package (社保 is a part of 社保卡); when
# a man born in 63 may retire answers 退休审批, and 厂里不给认工伤 the 第八包 (its 认 is no 工伤认定).
KNOWN_MISROUTES = {"effect_tune.yml": 1, "effect_tune2.yml": 1, "effect_tune3.yml": 1, "oos_tune.yml": 5,
                   "effect_tune4.yml": 1, "gap_tune.yml": 2, "effect_tune5.yml": 1,
                   "situations_tune.yml": 2}


@pytest.fixture(scope="module")
def scorer():
    spec = importlib.util.spec_from_file_location("run_eval", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_set_in_the_folder_has_a_floor():
    assert sorted(p.name for p in EVAL.glob("*.yml")) == sorted(FLOORS)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_eval_set_meets_its_floor_without_misroutes(stack, scorer, name):
    cases = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))["cases"]
    failed, misroutes = [], []
    for case in cases:
        sender = f"eval-{case['id']}-{uuid.uuid4().hex[:6]}"
        ok = True
        for turn in case["turns"]:
            reply = scorer.ask(stack.url(), sender, turn["q"], timeout=30)
            problems = scorer.check(reply, turn)
            forbidden = [p for p in problems if p.startswith("has forbidden")]
            if forbidden:  # counted per turn, as `make eval` counts them
                misroutes.append(f"{case['id']} {turn['q']}: {', '.join(forbidden)}")
            if problems and ok:
                failed.append(f"{case['id']} {turn['q']}: {problems}")
                ok = False
    passed = 1 - len(failed) / len(cases)
    assert name in SCORED_ONLY or len(misroutes) <= KNOWN_MISROUTES.get(name, 0), \
        "answers stating another service's facts:\n" + "\n".join(misroutes)
    assert passed >= FLOORS[name], f"{passed:.1%} < {FLOORS[name]:.0%}:\n" + "\n".join(failed)
