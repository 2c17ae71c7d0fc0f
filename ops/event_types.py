"""Look event classes up by type name from a table, not by walking Rasa's class tree.

Rasa 3.6's `Event.resolve_by_type` walks every subclass of `Event` (`all_subclasses`, about 25
recursive calls) for each event it deserialises: each stored event of a conversation on every
turn, and each event an action returns. That walk was the largest single cost of reading a
tracker (bench/tracker_store.py). The table answers the same class; a name it does not hold
(a class imported later, 'topic', an unknown name) goes to Rasa's own lookup, unchanged.
Installed by the Rasa process's entry point (ops/rasa_server.py), on the Rasa version it was
written for.
"""
from __future__ import annotations

from typing import Dict, Optional, Text, Type

import rasa
from rasa.shared.core.events import Event

# The static method replaced here, and its behaviour, are those of this Rasa release.
SUPPORTED_RASA = "3.6.21"

_rasa_lookup = Event.resolve_by_type
_classes: Dict[Text, Type[Event]] = {}


class UnsupportedRasaVersion(RuntimeError):
    """Another Rasa version: its event lookup may differ, so nothing is replaced."""


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None
                    ) -> Optional[Type[Event]]:
    found = _classes.get(type_name)
    if found is not None:
        return found
    found = _rasa_lookup(type_name, default)
    if found is not None and found is not default:
        _classes[type_name] = found
    return found


def install() -> None:
    if rasa.__version__ != SUPPORTED_RASA:
        raise UnsupportedRasaVersion(
            f"ops.event_types replaces Event.resolve_by_type of Rasa {SUPPORTED_RASA}; this is "
            f"Rasa {rasa.__version__}: check the method, then update SUPPORTED_RASA")
    Event.resolve_by_type = staticmethod(resolve_by_type)
