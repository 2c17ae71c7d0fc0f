"""Faults: the action server down or restarted, Rasa restarted, PostgreSQL/Redis configured but
down, and Rasa's HTTP API behind RASA_AUTH_TOKEN."""
import json
import urllib.error
import urllib.request
import uuid

import pytest

from channels.hotline import with_hotline
from channels.rest import BUSY
from ops.checks import missing_services
from ops.settings import Settings
from tests.model import require_model
from tests.ops.conftest import AUTH_TOKEN
from tests.ops.services import closed_port, postgres_admin

e2e = pytest.mark.e2e


def sender() -> str:
    return f"ops-{uuid.uuid4().hex[:8]}"


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# ---- (a) (b) the action server ---------------------------------------------------------------

@e2e
def test_action_server_down_gives_busy_then_the_conversation_goes_on(sqlite_stack):
    stack, user = sqlite_stack, sender()
    assert "社会保障卡补领、换领、换发" in stack.ask(user, "社保卡补办")
    stack.stop_actions()
    try:
        reply = stack.ask(user, "需要带什么")
        assert reply == with_hotline(BUSY) and "系统繁忙" in reply and "12333" in reply
    finally:
        stack.start_actions()
    assert "身份证" in stack.ask(user, "需要带什么")  # the failed turn lost no context


@e2e
def test_action_server_restart_mid_conversation_loses_nothing(sqlite_stack):
    stack, user = sqlite_stack, sender()
    assert "转入地" in stack.ask(user, "失业保险关系转出需要什么")
    stack.restart_actions()
    assert "跨地区转移就业有关情况登记表" in stack.ask(user, "那转入呢")


# ---- (c) Rasa restarted ----------------------------------------------------------------------

@e2e
def test_restarted_rasa_continues_from_the_sqlite_tracker_store(sqlite_stack):
    stack, user = sqlite_stack, sender()
    first = next(p for p in stack.rasa_ports if p != stack.token_port)
    assert "社会保障卡补领、换领、换发" in stack.ask(user, "社保卡补办", port=first)
    stack.stop_rasa(first)
    again = stack.start_rasa(require_model())
    assert "身份证" in stack.ask(user, "需要带什么", port=again)
    assert stack.settings.tracker_db_url is None and stack.settings.sqlite_path.is_file()


# ---- (e) RASA_AUTH_TOKEN ---------------------------------------------------------------------

@e2e
def test_rasa_http_api_is_off_without_a_token(sqlite_stack):
    port = next(p for p in sqlite_stack.rasa_ports if p != sqlite_stack.token_port)
    base = f"http://127.0.0.1:{port}"
    assert get(f"{base}/status") in (403, 404)
    assert get(f"{base}/conversations/someone/tracker") in (403, 404)


@e2e
def test_rasa_http_api_needs_the_token_when_one_is_set(sqlite_stack):
    port = sqlite_stack.token_port
    base = f"http://127.0.0.1:{port}"
    assert get(f"{base}/status") in (401, 403)
    assert get(f"{base}/status?token=wrong") in (401, 403)
    assert get(f"{base}/conversations/someone/tracker") in (401, 403)
    with urllib.request.urlopen(f"{base}/status?token={AUTH_TOKEN}", timeout=10) as resp:
        assert resp.status == 200 and "model_file" in json.loads(resp.read())
    # the public REST channel needs no token, and shares the conversation store
    user = sender()
    assert "社会保障卡补领、换领、换发" in sqlite_stack.ask(user, "社保卡补办", port=port)
    with urllib.request.urlopen(f"{base}/conversations/{user}/tracker?token={AUTH_TOKEN}",
                                timeout=10) as resp:
        assert json.loads(resp.read())["slots"]["service"].startswith("item:")


# ---- (d) PostgreSQL / Redis configured but down ----------------------------------------------

def test_missing_services_names_a_closed_postgresql_port():
    port = closed_port()
    problems = missing_services(Settings(tracker_db_url=f"postgresql://u:p@127.0.0.1:{port}/x"))
    assert len(problems) == 1
    assert "PostgreSQL" in problems[0] and "TRACKER_DB_URL" in problems[0]
    assert f"127.0.0.1:{port}" in problems[0] and ":p@" not in problems[0]


def test_missing_services_names_a_closed_redis_port():
    port = closed_port()
    problems = missing_services(Settings(lock_store_url=f"redis://127.0.0.1:{port}/0"))
    assert len(problems) == 1
    assert "Redis" in problems[0] and "LOCK_STORE_URL" in problems[0]


def test_missing_services_is_quiet_for_the_defaults():
    assert missing_services(Settings()) == []


def test_missing_services_names_a_database_that_does_not_exist():
    admin, reason = postgres_admin()
    if admin is None:
        pytest.skip(reason)
    url = admin.rsplit("/", 1)[0] + f"/no_such_db_{uuid.uuid4().hex[:8]}"
    problems = missing_services(Settings(tracker_db_url=url))
    assert len(problems) == 1 and "PostgreSQL" in problems[0] and "refused" in problems[0]
    assert "does not exist" in problems[0]


@pytest.mark.parametrize("variable,url,kind", [
    ("TRACKER_DB_URL", "postgresql://rasa@127.0.0.1:{port}/rasa", "PostgreSQL"),
    ("LOCK_STORE_URL", "redis://127.0.0.1:{port}/0", "Redis"),
])
def test_run_stack_exits_non_zero_naming_what_is_missing(variable, url, kind, monkeypatch,
                                                          tmp_path, capsys):
    from ops import stack as run_stack
    from ops import supervisor

    model = tmp_path / "bot.tar.gz"
    model.write_bytes(b"stand-in")  # the model check comes first; this test is about services
    monkeypatch.setattr(run_stack, "MODEL", model)
    monkeypatch.setattr(run_stack, "ROOT", tmp_path)  # endpoints.yml goes to tmp, not var/

    def no_start(*args, **kwargs):
        raise AssertionError("the stack started a process although a service is down")

    monkeypatch.setattr(supervisor.subprocess, "Popen", no_start)
    for name in ("TRACKER_DB_URL", "LOCK_STORE_URL", "RASA_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    port = closed_port()
    monkeypatch.setenv(variable, url.format(port=port))
    assert run_stack.main() == 1
    err = capsys.readouterr().err
    assert f"error: {kind} is configured ({variable}) but not reachable at 127.0.0.1:{port}" in err


def test_run_stack_refuses_a_bad_scheme(monkeypatch, tmp_path, capsys):
    from ops import stack as run_stack

    model = tmp_path / "bot.tar.gz"
    model.write_bytes(b"stand-in")
    monkeypatch.setattr(run_stack, "MODEL", model)
    monkeypatch.setattr(run_stack, "ROOT", tmp_path)
    monkeypatch.setenv("TRACKER_DB_URL", "mysql://u@127.0.0.1/rasa")
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert run_stack.main() == 1
    assert "TRACKER_DB_URL must be postgresql://" in capsys.readouterr().err


# ---- Redis lost while running ----------------------------------------------------------------

@e2e
def test_redis_lost_while_running_gives_busy_then_recovers(sqlite_stack):
    """The Rasa at token_port has a lock store of its own (a private redis-server): when it goes
    away, the bot answers 系统繁忙…12333 (never a 500, never an answer without the lock), and
    continues the conversation once Redis is back."""
    redis = sqlite_stack.private_redis
    if redis is None:
        pytest.skip("redis-server is not installed: no private Redis to stop")
    port, user = sqlite_stack.token_port, sender()
    assert "社会保障卡补领、换领、换发" in sqlite_stack.ask(user, "社保卡补办", port=port)
    redis.stop()
    try:
        assert sqlite_stack.ask(user, "需要带什么", port=port) == with_hotline(BUSY)
    finally:
        redis.start()
    assert "身份证" in sqlite_stack.ask(user, "需要带什么", port=port)


def test_container_launcher_exits_non_zero_naming_what_is_missing(monkeypatch, tmp_path,
                                                                  capsys):
    """`python -m ops.launch rasa` (the compose services) checks like `make run` before it
    replaces itself with Rasa."""
    from ops import launch

    def no_exec(*args):
        raise AssertionError("ops.launch started Rasa although Redis is down")

    monkeypatch.setattr(launch.os, "execve", no_exec)
    monkeypatch.setattr(launch.os, "chdir", lambda path: None)
    monkeypatch.setenv("ENDPOINTS_PATH", str(tmp_path / "endpoints.yml"))
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    port = closed_port()
    monkeypatch.setenv("LOCK_STORE_URL", f"redis://127.0.0.1:{port}/0")
    model = tmp_path / "bot.tar.gz"
    model.write_bytes(b"stand-in")
    monkeypatch.setattr(launch, "MODEL", model)
    assert launch.main(["rasa"]) == 1
    assert (f"Redis is configured (LOCK_STORE_URL) but not reachable at 127.0.0.1:{port}"
            in capsys.readouterr().err)
    monkeypatch.setenv("ACTION_WORKERS", "many")
    assert launch.main(["actions"]) == 1
    assert "ACTION_WORKERS must be a whole number" in capsys.readouterr().err
    assert launch.main([]) == 2
