import pytest

from ops.local_stack import BotStack
from tests.model import require_model


@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    model = require_model()
    # the WeChat channel on (明文 mode) so that its endpoint is exercised too (test_fuzz.py)
    stack = BotStack(tmp_path_factory.mktemp("stack"), extra_env={"WECHAT_TOKEN": "fuzz-token"})
    stack.start_actions()
    stack.start_rasa(model)
    yield stack
    stack.stop()
