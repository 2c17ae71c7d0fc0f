"""ops.event_types: event classes found by type name from a table answer what Rasa's own lookup
answers, for every event type; installed by the Rasa process's entry point, on the Rasa release
it was written for only."""
import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from ops import event_types, rasa_server
from ops.event_types import UnsupportedRasaVersion

RASAS_OWN = Event.resolve_by_type  # before any install


@pytest.fixture(autouse=True)
def installed():
    event_types.install()
    yield
    Event.resolve_by_type = RASAS_OWN


def test_every_event_type_resolves_to_rasa_s_class():
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is RASAS_OWN(name)
        assert Event.resolve_by_type(name) is RASAS_OWN(name)  # the second time from the table


def test_stored_events_deserialise_as_before():
    events = [UserUttered("社保卡丢了").as_dict(), SlotSet("outcome", "answered").as_dict()]
    assert [type(Event.from_parameters(e)) for e in events] == [UserUttered, SlotSet]


def test_an_unknown_name_is_rasa_s_answer():
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert Event.resolve_by_type("topic") is None
    assert "no_such_event" not in event_types._classes


def test_another_rasa_version_is_refused(monkeypatch):
    monkeypatch.setattr(event_types.rasa, "__version__", "3.7.0")
    with pytest.raises(UnsupportedRasaVersion, match="3.6.21"):
        event_types.install()


def test_the_rasa_process_installs_the_table(monkeypatch):
    Event.resolve_by_type = RASAS_OWN
    monkeypatch.setattr("rasa.__main__.main", lambda: None)
    monkeypatch.setattr("sys.argv", ["python -m ops.rasa_server", "--version"])
    rasa_server.main()
    assert Event.resolve_by_type is event_types.resolve_by_type
