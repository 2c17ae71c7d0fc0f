"""Keep the stack's processes running: one that exits is logged and started again after a backoff
(1 s, doubling to 30 s; back to 1 s after a minute of running), while the others go on serving."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
HEALTHY_AFTER_SECONDS = 60.0  # a process that ran this long starts again with the first backoff


class Supervised:
    """One process of the stack and when to start it again."""

    def __init__(self, name: str, command: List[str], env: Dict[str, str], cwd: Path) -> None:
        self.name, self.command, self.env, self.cwd = name, command, env, cwd
        self.backoff = FIRST_BACKOFF_SECONDS
        self.restart_at: Optional[float] = None
        self.process = self._start()

    def _start(self) -> subprocess.Popen:
        self.started = time.monotonic()
        return subprocess.Popen(self.command, cwd=self.cwd, env=self.env)

    def check(self, now: float) -> None:
        """Notice an exit and schedule a restart; restart when its time has come."""
        if self.restart_at is None and self.process.poll() is not None:
            if now - self.started >= HEALTHY_AFTER_SECONDS:
                self.backoff = FIRST_BACKOFF_SECONDS
            self.restart_at = now + self.backoff
            print(f"error: {self.name} exited with code {self.process.returncode}; "
                  f"restarting in {self.backoff:.0f} s", file=sys.stderr, flush=True)
            self.backoff = min(self.backoff * 2, MAX_BACKOFF_SECONDS)
        elif self.restart_at is not None and now >= self.restart_at:
            self.restart_at = None
            self.process = self._start()
            print(f"restarted {self.name} (pid {self.process.pid})", file=sys.stderr, flush=True)
