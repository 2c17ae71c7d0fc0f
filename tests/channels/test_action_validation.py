import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from channels import action_validation
from channels.action_validation import UnsupportedRasaVersion, validate_action_result


@pytest.fixture(autouse=True, scope="module")
def installed():
    """What the Rasa process's entry point (ops/rasa_server.py) does before Rasa starts."""
    original = RemoteAction._validate_action_result
    action_validation.install()
    yield
    RemoteAction._validate_action_result = original


def test_another_rasa_version_is_refused(monkeypatch):
    monkeypatch.setattr(action_validation.rasa, "__version__", "3.7.0")
    with pytest.raises(UnsupportedRasaVersion, match="3.6.21"):
        action_validation.install()


def test_importing_the_channels_changes_nothing():
    import importlib

    import channels

    before = RemoteAction._validate_action_result
    importlib.reload(channels)
    assert RemoteAction._validate_action_result is before


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
