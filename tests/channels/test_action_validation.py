"""channels.action_validation: action replies judged exactly as Rasa judges them, with the
validator built once; installed by the Rasa process's entry point, on the Rasa release it was
written for only."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from channels import action_validation
from channels.action_validation import UnsupportedRasaVersion
from ops import rasa_server

RASAS_OWN = RemoteAction._validate_action_result  # before any install


@pytest.fixture(autouse=True, scope="module")
def installed():
    """What the Rasa process's entry point (ops/rasa_server.py) does before Rasa starts."""
    action_validation.install()
    yield
    RemoteAction._validate_action_result = RASAS_OWN


def test_another_rasa_version_is_refused(monkeypatch):
    monkeypatch.setattr(action_validation.rasa, "__version__", "3.7.0")
    with pytest.raises(UnsupportedRasaVersion, match="3.6.21"):
        action_validation.install()


def test_the_rasa_process_does_not_start_on_another_version(monkeypatch):
    started = []
    monkeypatch.setattr("rasa.__main__.main", lambda: started.append(True))
    monkeypatch.setattr(action_validation.rasa, "__version__", "3.7.0")
    with pytest.raises(UnsupportedRasaVersion):
        rasa_server.main()
    assert not started
    monkeypatch.setattr(action_validation.rasa, "__version__", action_validation.SUPPORTED_RASA)
    monkeypatch.setattr("sys.argv", ["python -m ops.rasa_server", "--version"])
    rasa_server.main()
    assert started


def test_importing_the_channels_changes_nothing():
    import importlib

    import channels

    before = RemoteAction._validate_action_result
    importlib.reload(channels)
    assert RemoteAction._validate_action_result is before


def _action():
    return RemoteAction("action_answer", action_endpoint=None)


VALID = [
    {"events": [{"event": "slot", "name": "service", "value": "item:funeral_grant"}],
     "responses": [{"text": "…", "buttons": [{"title": "a", "payload": "/greet"}]}]},
    {"events": [], "responses": []},
]
INVALID = [
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [1, 2]},
    {"events": [{"event": "slot"}]},
]


@pytest.mark.parametrize("reply", VALID)
def test_a_valid_reply_passes_as_with_rasa(reply):
    assert _action()._validate_action_result(reply) is True
    assert RASAS_OWN(_action(), reply) is True


@pytest.mark.parametrize("reply", INVALID)
def test_an_invalid_reply_raises_rasas_error(reply):
    with pytest.raises(ValidationError) as ours:
        _action()._validate_action_result(reply)
    with pytest.raises(ValidationError) as rasas:
        RASAS_OWN(_action(), reply)
    assert "Failed to validate Action server response" in ours.value.message
    assert ours.value.message == rasas.value.message
