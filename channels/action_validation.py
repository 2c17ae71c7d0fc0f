"""Validate the action server's replies with a JSON-schema validator compiled once.

Rasa 3.6's RemoteAction calls `jsonschema.validate(result, schema)` on every custom-action reply,
which checks the large events schema itself each time: about 20 ms of CPU per turn, most of a
turn's cost (bench/rest_latency.py). This validates against the same schema, with the same error
(jsonschema's best match, with Rasa's hint appended), but builds the validator once. Installed by
the Rasa process's entry point (ops/rasa_server.py), only on the Rasa version it was written for.
"""
from __future__ import annotations

from typing import Any, Dict, Text

import rasa
from jsonschema import validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_SCHEMA = RemoteAction.action_response_format_spec()
_VALIDATOR = validators.validator_for(_SCHEMA)(_SCHEMA)
_HINT = (". Failed to validate Action server response from API, make sure your response from "
         f"the Action endpoint is valid. For more information about the format visit "
         f"{DOCS_BASE_URL}/custom-actions")


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = best_match(_VALIDATOR.iter_errors(result))
    if error is None:
        return True
    error.message += _HINT
    raise error


# The private method replaced here, and its behaviour, are those of this Rasa release.
SUPPORTED_RASA = "3.6.21"


class UnsupportedRasaVersion(RuntimeError):
    """Another Rasa version: its private RemoteAction may differ, so nothing is replaced."""


def install() -> None:
    if rasa.__version__ != SUPPORTED_RASA:
        raise UnsupportedRasaVersion(
            f"channels.action_validation replaces RemoteAction._validate_action_result of Rasa "
            f"{SUPPORTED_RASA}; this is Rasa {rasa.__version__}: check the method, then update "
            "SUPPORTED_RASA")
    if not hasattr(RemoteAction, "_validate_action_result"):
        raise UnsupportedRasaVersion("RemoteAction._validate_action_result is gone")
    validators.validator_for(_SCHEMA).check_schema(_SCHEMA)  # once, as jsonschema.validate would
    RemoteAction._validate_action_result = validate_action_result
