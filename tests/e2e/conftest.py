import pytest

from tests.e2e.stack import BotStack
from tests.model import require_model


@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    model = require_model()
    stack = BotStack(tmp_path_factory.mktemp("stack"))
    stack.start_actions()
    stack.start_rasa(model)
    yield stack
    stack.stop()
