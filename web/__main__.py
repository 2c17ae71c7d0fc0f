"""python -m web: serve the widget demo, the agent console and the API (settings: docs/web.md)."""
from __future__ import annotations

import logging
import sys

from ops.settings import ConfigurationError
from web.app import create_app
from web.config import WebConfig


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = WebConfig.from_env()
    except ConfigurationError as error:
        print(f"web: {error}", file=sys.stderr)
        return 2
    app = create_app(config, name="fushun_web")
    app.run(host=config.host, port=config.port, workers=1, access_log=config.access_log,
            motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
