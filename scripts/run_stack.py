"""Start Rasa, the action server and the web pages together; Ctrl-C stops them all.

`make run` calls this after training. Settings come from the environment (ops/settings.py).
The three are supervised (ops/supervisor.py): one that exits is restarted, the others go on.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ops.checks import missing_services  # noqa: E402
from ops.endpoints import ConfigurationError, write_endpoints  # noqa: E402
from ops.launch import actions_command, environment, rasa_command  # noqa: E402
from ops.settings import ROOT, Settings  # noqa: E402
from ops.supervisor import Supervised  # noqa: E402

MODEL = ROOT / "models" / "bot.tar.gz"


def commands(settings: Settings, endpoints: Path) -> Dict[str, List[str]]:
    return {
        "actions": actions_command(settings),
        "rasa": rasa_command(settings, endpoints, MODEL),
        "web": [sys.executable, "-m", "web"],
    }


def main() -> int:
    try:
        settings = Settings.from_env()
        if not MODEL.exists():
            print(f"error: no trained model at {MODEL}; run `make train` first", file=sys.stderr)
            return 1
        endpoints = write_endpoints(settings, ROOT / "var" / "endpoints.yml")
        env = environment(settings)
    except (ConfigurationError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    problems = missing_services(settings)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    env.update(WEB_PORT=str(settings.web_port),
               BOT_URL=os.environ.get("BOT_URL", f"http://localhost:{settings.bot_port}"))
    supervised = [Supervised(name, command, env, cwd=ROOT)
                  for name, command in commands(settings, endpoints).items()]
    print(f"starting: Rasa http://localhost:{settings.bot_port} (REST channel "
          f"/webhooks/rest/webhook), actions :{settings.actions_port}, "
          f"web http://localhost:{settings.web_port} — Ctrl-C stops all", flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for each in supervised:
                each.check(time.monotonic())
            time.sleep(0.5)
    finally:
        processes = [each.process for each in supervised]
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.time() + 10
        for process in processes:
            try:
                process.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
