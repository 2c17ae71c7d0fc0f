"""BotStack (ops/local_stack.py) with Rasa started by the production command line
(ops.launch.rasa_command, what `make run` and the containers use), optionally with an auth token
(Rasa's HTTP API on) or settings of its own (e.g. another lock store), several at once."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import List, Optional, Sequence

from ops.endpoints import write_endpoints
from ops.launch import rasa_command
from ops.local_stack import BotStack, _wait, free_port
from ops.settings import Settings


@dataclass(frozen=True)
class RasaSpec:
    auth_token: Optional[str] = None
    settings: Optional[Settings] = None  # None: the stack's (its endpoints.yml)
    port: Optional[int] = None


class OpsStack(BotStack):
    def start_rasa(self, model: Path, port: Optional[int] = None,
                   auth_token: Optional[str] = None,
                   settings: Optional[Settings] = None) -> int:
        return self.start_many(model, [RasaSpec(auth_token, settings, port)])[0]

    def start_many(self, model: Path, specs: Sequence[RasaSpec]) -> List[int]:
        """Start the Rasa servers at once (loading a model takes seconds), wait for all; their
        ports in the same order."""
        pending = []
        try:
            for spec in specs:
                port = spec.port or free_port()
                endpoints, settings = self.endpoints, self.settings
                if spec.settings is not None:
                    settings = replace(spec.settings, actions_port=self.settings.actions_port)
                    endpoints = write_endpoints(settings, self.workdir / f"endpoints-{port}.yml")
                command = rasa_command(replace(settings, auth_token=spec.auth_token), endpoints,
                                       model, port)
                process, log = self._spawn(f"rasa-{port}", command)
                pending.append((port, process, log))
            for port, process, log in pending:
                _wait(f"http://127.0.0.1:{port}/webhooks/rest/", process, "rasa", log)
        except Exception:
            for _, process, _ in pending:
                process.kill()
                process.wait(10)
            raise
        for port, process, _ in pending:
            self.rasa.append(process)
            self.rasa_ports.append(port)
        return [port for port, _, _ in pending]

    def restart_actions(self) -> None:
        self.stop_actions()
        self.start_actions()
