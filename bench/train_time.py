"""Training time from scratch: `rasa train --force` with the project's config, domain and data,
into a temp dir with an empty Rasa cache (RASA_CACHE_DIRECTORY), so nothing is reused.

    .venv/bin/python bench/train_time.py [--json]

Uses data/ as it is now (`make data` regenerates the lookup tables; not run here).
Target: wall time <= 300 s.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.harness import ROOT, Report, cli, emit, log, rasa_train

TARGET_S = 300.0


def main() -> int:
    args = cli(__doc__.splitlines()[0]).parse_args()
    report = Report("train_time (rasa train --force, empty cache)")
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        out = Path(tmp)
        log("rasa train --force")
        seconds = rasa_train(out, ROOT / "config.yml", ROOT / "domain.yml", ROOT / "data",
                             "bot", force=True, timeout=1200)
        size_mb = (out / "bot.tar.gz").stat().st_size / 1e6
    report.add("wall s", seconds)
    report.add("model size MB", size_mb)
    report.target("train wall time", seconds, TARGET_S, unit=" s")
    emit(report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
