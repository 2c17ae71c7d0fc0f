"""The Rasa process's entry point: `python -m ops.rasa_server run --model … ` is `rasa run …`
with the project's start-up done explicitly first: the action-reply validator built once
(channels/action_validation.py) and event classes looked up from a table (ops/event_types.py),
each refusing a Rasa version it was not written for.
"""
from __future__ import annotations

import sys

from channels import action_validation
from ops import event_types


def main() -> None:
    action_validation.install()
    event_types.install()
    from rasa.__main__ import main as rasa_main  # after the install: Rasa's CLI imports a lot

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
