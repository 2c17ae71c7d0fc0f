import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Optional

import pytest

from ops.checks import missing_services
from ops.settings import Settings
from tests.model import require_model
from tests.ops.services import closed_port
from tests.ops.stack import OpsStack, RasaSpec

AUTH_TOKEN = "ops-test-token-0123456789"


class PrivateRedis:
    """A redis-server of our own on a free loopback port, that a test may stop and restart."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = closed_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while missing_services(Settings(lock_store_url=self.url)) and time.time() < deadline:
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture(scope="module")
def sqlite_stack(tmp_path_factory):
    """The action server and two Rasa servers on one SQLite tracker store, for the fault tests
    (which stop and restart them): rasa_ports[0] as `make run` starts it by default; the one at
    `stack.token_port` with RASA_AUTH_TOKEN and, when redis-server is installed, a Redis lock
    store of its own (`stack.private_redis`, else None) that a test stops."""
    model = require_model()
    workdir = tmp_path_factory.mktemp("ops-stack")
    stack = OpsStack(workdir)
    redis = PrivateRedis(workdir) if shutil.which("redis-server") else None
    try:
        token_settings = stack.settings
        if redis:
            redis.start()
            token_settings = replace(stack.settings, lock_store_url=redis.url)
        stack.start_actions()
        # the first with stack.endpoints: SQLite, in-memory locks
        _, stack.token_port = stack.start_many(model, [
            RasaSpec(), RasaSpec(auth_token=AUTH_TOKEN, settings=token_settings)])
        stack.private_redis = redis
        yield stack
    finally:
        stack.stop()
        if redis:
            redis.stop()
