"""Validate the action server's replies with a JSON-schema validator compiled once.

Rasa 3.6's RemoteAction calls `jsonschema.validate(result, schema)` on every custom-action reply,
which checks the large events schema itself each time: about 20 ms of CPU per turn, most of a
turn's cost (bench/rest_latency.py). This validates against the same schema, with the same error
(jsonschema's best match, with Rasa's hint appended), but builds the validator once. Installed when
Rasa imports this package for its channels (channels/__init__.py).
"""
from __future__ import annotations

from typing import Any, Dict, Text

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


def install() -> None:
    validators.validator_for(_SCHEMA).check_schema(_SCHEMA)  # once, as jsonschema.validate would
    RemoteAction._validate_action_result = validate_action_result
