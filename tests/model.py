"""The trained model the slow tests use: `make test` trains it before running pytest."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "bot.tar.gz"


def require_model() -> Path:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    return MODEL
