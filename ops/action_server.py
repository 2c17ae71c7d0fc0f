"""The action server: rasa-sdk's app, bound to loopback by default, without its error echo.

rasa-sdk answers an unexpected error with a 500 that quotes the whole request body (the user's
message and the tracker); here the error is logged by type and answered with a fixed text. The
address comes from ACTIONS_HOST (default 127.0.0.1: only Rasa on this machine calls it; the
containers set 0.0.0.0), the port from ACTIONS_PORT, the workers from ACTION_WORKERS.

    python -m ops.action_server [--port 5055]
"""
from __future__ import annotations

import argparse
import logging

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request

from ops.settings import Settings

logger = logging.getLogger(__name__)

async def without_echo(request: Request, exception: Exception):
    """The error's type in the log, a fixed text in the reply: nothing of the request."""
    logger.error("action server: %s on %s", type(exception).__name__, request.path)
    return response.json({"error": "the action failed"}, status=500)


def app() -> Sanic:
    server = create_app("actions", cors_origins=None)
    server.error_handler.add(Exception, without_echo)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="default: ACTIONS_PORT (5055)")
    port = parser.parse_args().port
    logging.basicConfig(level=logging.INFO)
    settings = Settings.from_env()
    app().run(settings.actions_host, port or settings.actions_port,
              workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
