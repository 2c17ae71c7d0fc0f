"""The trained model the slow tests use: `make test` trains it before running pytest."""
from pathlib import Path

import pytest

from ops.settings import MODEL, ROOT

__all__ = ["MODEL", "ROOT", "require_model"]


def require_model() -> Path:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    return MODEL
