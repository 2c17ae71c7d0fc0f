"""The real action server and Rasa server on free loopback ports, for end-to-end tests and
benchmarks (a harness, not part of the product: `make run` is ops/stack.py)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from ops.endpoints import write_endpoints
from ops.launch import actions_command
from ops.settings import ROOT, Settings

BIN = Path(sys.executable).parent
START_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, body: bytes, timeout: float = 30) -> tuple:
    """(status, parsed JSON or raw text) — 4xx/5xx are returned, not raised."""
    request = urllib.request.Request(url, data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw.decode() or "null")
    except ValueError:
        return status, raw.decode(errors="replace")


def _wait(url: str, process: subprocess.Popen, name: str, log: Path) -> None:
    deadline = time.time() + START_TIMEOUT
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{name} did not start within {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


class BotStack:
    """The action server and one or more Rasa servers sharing one tracker store."""

    def __init__(self, workdir: Path, settings: Optional[Settings] = None,
                 extra_env: Optional[Dict[str, str]] = None) -> None:
        self.workdir = workdir
        self.settings = settings or Settings(sqlite_path=workdir / "tracker.db")
        self.settings = replace(self.settings, actions_port=free_port())
        self.env = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false",
                        TF_CPP_MIN_LOG_LEVEL="3", **(extra_env or {}))
        self.endpoints = write_endpoints(self.settings, workdir / "endpoints.yml")
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: List[subprocess.Popen] = []
        self.rasa_ports: List[int] = []

    def _spawn(self, name: str, command: List[str]) -> tuple:
        log = self.workdir / f"{name}.log"
        handle = log.open("wb")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=handle,
                                   stderr=subprocess.STDOUT)
        return process, log

    def start_actions(self) -> None:
        self.actions, log = self._spawn("actions", actions_command(self.settings))
        _wait(f"http://127.0.0.1:{self.settings.actions_port}/health", self.actions,
              "action server", log)

    def stop_actions(self) -> None:
        if self.actions and self.actions.poll() is None:
            self.actions.terminate()
            self.actions.wait(20)

    def start_rasa(self, model: Path, port: Optional[int] = None,
                   cors: Sequence[str] = (), token: Optional[str] = None) -> int:
        """`token`: Rasa's HTTP API on, with this token (publishing a model needs it)."""
        port = port or free_port()
        process, log = self._spawn(f"rasa-{port}", [
            str(BIN / "python"), "-m", "ops.rasa_server", "run", "--model", str(model),
            "--port", str(port),
            "--endpoints", str(self.endpoints), "--credentials",
            str(ROOT / "credentials.yml"), *(["--cors", *cors] if cors else []),
            *(["--enable-api", "--auth-token", token] if token else [])])
        _wait(f"http://127.0.0.1:{port}/webhooks/rest/", process, "rasa", log)
        self.rasa.append(process)
        self.rasa_ports.append(port)
        return port

    def stop_rasa(self, port: int) -> None:
        index = self.rasa_ports.index(port)
        process = self.rasa.pop(index)
        self.rasa_ports.pop(index)
        process.terminate()
        process.wait(30)

    def url(self, port: Optional[int] = None) -> str:
        return f"http://127.0.0.1:{port or self.rasa_ports[0]}/webhooks/rest/webhook"

    def ask(self, sender: str, message: str, port: Optional[int] = None) -> str:
        status, body = post(self.url(port), json.dumps(
            {"sender": sender, "message": message}).encode())
        assert status == 200, (status, body)
        return "\n".join((m.get("text") or "") + "".join(
            b.get("title", "") for b in m.get("buttons") or []) for m in body)

    def stop(self) -> None:
        for port in list(self.rasa_ports):
            self.stop_rasa(port)
        self.stop_actions()
