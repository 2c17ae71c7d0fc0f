"""tests/test_stories.yml through `rasa test core`: the multi-turn flows predict as written."""
import os
import subprocess
import sys
from pathlib import Path

from tests.model import ROOT, require_model


def test_story_flows_predict_without_errors(tmp_path: Path):
    model = require_model()
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [str(rasa), "test", "core", "--stories", "tests/test_stories.yml", "--model",
         str(model), "--out", str(tmp_path), "--fail-on-prediction-errors"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false"))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Correct:          6 / 6" in output, output[-3000:]
