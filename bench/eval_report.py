"""Every evaluation set of tests/eval scored over REST with the project's scorer
(tests/eval/run_eval.py), plus the misroutes: turns whose reply states a forbidden fact (a window,
address or material of another sub-service). `make eval` runs it against `make run`.

    .venv/bin/python bench/eval_report.py [--url http://localhost:5005/webhooks/rest/webhook] [SET ...]
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import uuid
from typing import Dict

import yaml

from ops.settings import ROOT

EVAL = ROOT / "tests" / "eval"


def _scorer():
    spec = importlib.util.spec_from_file_location("run_eval", EVAL / "run_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(scorer, url: str, name: str) -> Dict[str, int]:
    cases = yaml.safe_load((EVAL / f"{name}.yml").read_text(encoding="utf-8"))["cases"]
    passed = turns = misroutes = 0
    for case in cases:
        sender = f"eval-{case['id']}-{uuid.uuid4().hex[:8]}"
        ok = True
        for turn in case["turns"]:
            problems = scorer.check(scorer.ask(url, sender, turn["q"], 30), turn)
            turns += 1
            misroutes += any(p.startswith("has forbidden") for p in problems)
            ok = ok and not problems
        passed += ok
    return {"cases": len(cases), "passed": passed, "turns": turns, "misroutes": misroutes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005/webhooks/rest/webhook")
    parser.add_argument("sets", nargs="*", default=sorted(p.stem for p in EVAL.glob("*.yml")))
    args = parser.parse_args()
    scorer = _scorer()
    for name in args.sets:
        try:
            result = score(scorer, args.url, name)
        except OSError as error:
            print(f"cannot reach the bot at {args.url}: {error}", file=sys.stderr)
            return 2
        print(f"{name:28} {result['passed']:4}/{result['cases']:<4} "
              f"({100 * result['passed'] / result['cases']:5.1f}%)  "
              f"misroutes {result['misroutes']}/{result['turns']} turns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
