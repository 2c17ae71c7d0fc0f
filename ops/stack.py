"""`make run`: Rasa, the action server and the web pages on one machine, supervised; Ctrl-C
stops them all. Settings come from the environment (ops/settings.py); the command lines are those
of ops/launch.py, so one machine runs what the containers run.

    python -m ops.stack
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

from ops import launch
from ops.settings import MODEL, ROOT, ConfigurationError, Settings
from ops.supervisor import Supervised


def commands(settings: Settings, endpoints: Path) -> Dict[str, List[str]]:
    return {"actions": launch.actions_command(settings),
            "rasa": launch.rasa_command(settings, endpoints, MODEL),
            "web": launch.web_command()}


def main() -> int:
    try:
        settings = Settings.from_env()
        env = launch.environment(settings)
        endpoints = launch.prepare_rasa(settings, ROOT / "var" / "endpoints.yml", MODEL)
    except ConfigurationError as error:
        for problem in str(error).split("; "):
            print(f"error: {problem}", file=sys.stderr)
        return 1
    env.update(BOT_URL=settings.browser_bot_url)  # the web pages point the widget at this Rasa
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
        _stop([each.process for each in supervised])
    return 0


def _stop(processes: List[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.time() + 10
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    sys.exit(main())
