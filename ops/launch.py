"""The commands that start Rasa, the action server and the web pages, shared by `make run`
(ops/stack.py, all three supervised) and by deployments that run one process each (the
containers of deploy/docker-compose.yml, the systemd unit in deploy/systemd/).

`python -m ops.launch rasa` writes endpoints.yml from the environment, checks that a configured
PostgreSQL/Redis answers, and replaces itself with Rasa (ops/rasa_server.py); `python -m
ops.launch actions` does the same for the action server with ACTION_WORKERS workers, and
`python -m ops.launch web` for the web pages. Each exits 1 with a message naming the problem when
a setting cannot work. `python -m ops.launch train` trains the model they load (ops/settings.MODEL)
for `make train` and the image.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from ops.checks import missing_services
from ops.endpoints import secrets, write_endpoints
from ops.settings import MODEL, ROOT, ConfigurationError, Settings

CREDENTIALS = ROOT / "credentials.yml"


def rasa_command(settings: Settings, endpoints: Path, model: Path = MODEL,
                 port: Optional[int] = None) -> List[str]:
    command = [str(_bin("python")), "-m", "ops.rasa_server", "run", "--model", str(model),
               "--port", str(port or settings.bot_port),
               "--endpoints", str(endpoints), "--credentials", str(CREDENTIALS)]
    if settings.allowed_origins:
        command += ["--cors", *settings.allowed_origins]
    if settings.auth_token:  # Rasa's HTTP API only with a token; without one it stays off
        command += ["--enable-api", "--auth-token", settings.auth_token]
    return command


def actions_command(settings: Settings) -> List[str]:
    # rasa-sdk's app, on loopback unless ACTIONS_HOST says otherwise (ops/action_server.py)
    return [str(_bin("python")), "-m", "ops.action_server", "--port", str(settings.actions_port)]


def environment(settings: Settings, base: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """What the processes need besides the settings: the repo on the path, no telemetry, and
    the action server's worker count (Rasa SDK reads ACTION_SERVER_SANIC_WORKERS)."""
    if settings.action_workers < 1:
        raise ConfigurationError("ACTION_WORKERS must be at least 1")
    env = dict(os.environ if base is None else base)
    env.update(PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false",
               ACTION_SERVER_SANIC_WORKERS=str(settings.action_workers), **secrets(settings))
    return env


def train_command(model: Path = MODEL) -> List[str]:
    """`rasa train` writing the model every process loads (Rasa skips it when nothing changed)."""
    return [str(_bin("rasa")), "train", "--fixed-model-name", model.name[:-len(".tar.gz")],
            "--out", str(model.parent)]


def web_command() -> List[str]:
    return [sys.executable, "-m", "web"]


def prepare_rasa(settings: Settings, endpoints_path: Path, model: Path = MODEL) -> Path:
    """Everything Rasa needs before it starts: the model, endpoints.yml, the configured
    PostgreSQL and Redis answering. Returns the endpoints file; raises ConfigurationError."""
    if not model.exists():
        raise ConfigurationError(f"no trained model at {model}; run `make train`")
    endpoints = write_endpoints(settings, endpoints_path)
    problems = missing_services(settings)
    if problems:
        raise ConfigurationError("; ".join(problems))
    return endpoints


def _bin(name: str) -> Path:
    return Path(sys.executable).parent / name


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv not in (["rasa"], ["actions"], ["web"], ["train"]):
        print("usage: python -m ops.launch rasa|actions|web|train   (settings: docs/operations.md)",
              file=sys.stderr)
        return 2
    try:
        settings = Settings.from_env()
        env = environment(settings)
        if argv == ["actions"]:
            command = actions_command(settings)
        elif argv == ["web"]:
            command = web_command()
        elif argv == ["train"]:
            command = train_command()
        else:
            endpoints = prepare_rasa(settings, settings.endpoints_path or (
                ROOT / "var" / f"endpoints-{settings.bot_port}.yml"), MODEL)
            command = rasa_command(settings, endpoints)
    except ConfigurationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    os.chdir(ROOT)
    os.execve(command[0], command, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
