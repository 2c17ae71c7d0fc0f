import copy

import pytest
import yaml

from guide_kb.loader import DEFAULT_PATH, load_guide
from guide_kb.search import GuideSearch


@pytest.fixture(scope="session")
def guide():
    return load_guide()


@pytest.fixture(scope="session")
def search(guide):
    return GuideSearch(guide)


@pytest.fixture(scope="session")
def _raw_guide():
    with DEFAULT_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def raw_guide(_raw_guide):
    """A fresh, mutable copy of guide.yml's data, for breaking on purpose."""
    return copy.deepcopy(_raw_guide)
