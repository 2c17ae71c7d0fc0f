import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import channels  # noqa: F401  (installs the validator, as Rasa's import of the channels does)
from channels.action_validation import validate_action_result


def _action():
    return RemoteAction("action_answer", action_endpoint=None)


def test_the_compiled_validator_is_installed():
    assert RemoteAction._validate_action_result is validate_action_result


def test_a_valid_reply_passes():
    reply = {"events": [{"event": "slot", "name": "service", "value": "item:funeral_grant"}],
             "responses": [{"text": "…"}]}
    assert _action()._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", [
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [1, 2]},
])
def test_an_invalid_reply_raises_with_rasas_hint(reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        _action()._validate_action_result(reply)
