"""ops.endpoints: Rasa's endpoints.yml from the settings; ops.settings and ops.launch."""
from pathlib import Path

import pytest
import yaml
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import read_endpoint_config

from ops.endpoints import (
    SQL_TRACKER_STORE,
    ConfigurationError,
    endpoints,
    lock_store,
    secrets,
    tracker_store,
    write_endpoints,
)
from ops.launch import actions_command, environment, rasa_command, train_command
from ops.lock_store import AtomicRedisLockStore
from ops.settings import MODEL, Settings


def test_sqlite_by_default(tmp_path):
    settings = Settings(sqlite_path=tmp_path / "tracker.db")
    assert tracker_store(settings) == {"type": SQL_TRACKER_STORE, "dialect": "sqlite",
                                       "db": str(tmp_path / "tracker.db")}
    assert lock_store(settings) == {"type": "in_memory"}
    assert endpoints(settings)["action_endpoint"] == {"url": "http://localhost:5055/webhook",
                                                      "enable_selective_domain": True}


def test_postgresql_from_the_url():
    store = tracker_store(Settings(
        tracker_db_url="postgresql://rasa:s%40cret@db.example:6543/bot"))
    assert store == {"type": SQL_TRACKER_STORE, "dialect": "postgresql", "url": "db.example",
                     "port": 6543, "db": "bot", "username": "rasa",
                     "password": "${TRACKER_DB_PASSWORD}"}
    assert secrets(Settings(tracker_db_url="postgresql://rasa:s%40cret@db.example:6543/bot")) \
        == {"TRACKER_DB_PASSWORD": "s@cret"}


def test_postgres_scheme_and_defaults():
    store = tracker_store(Settings(tracker_db_url="postgres://db"))
    assert store == {"type": SQL_TRACKER_STORE, "dialect": "postgresql", "url": "db", "port": 5432,
                     "db": "rasa"}


def test_redis_from_the_url():
    atomic = "ops.lock_store.AtomicRedisLockStore"
    assert lock_store(Settings(lock_store_url="redis://:pw@cache:6380/3")) == {
        "type": atomic, "url": "cache", "port": 6380, "db": 3, "key_prefix": "fushun",
        "password": "${LOCK_STORE_PASSWORD}"}
    assert lock_store(Settings(lock_store_url="redis://cache")) == {
        "type": atomic, "url": "cache", "port": 6379, "db": 0, "key_prefix": "fushun"}


@pytest.mark.parametrize("settings,variable", [
    (Settings(tracker_db_url="mysql://u@db/rasa"), "TRACKER_DB_URL"),
    (Settings(tracker_db_url="sqlite:///var/tracker.db"), "TRACKER_DB_URL"),
    (Settings(tracker_db_url="postgresql://db:notaport/rasa"), "TRACKER_DB_URL"),
    (Settings(lock_store_url="memcached://cache:11211"), "LOCK_STORE_URL"),
    (Settings(lock_store_url="rediss://cache:6379/0"), "LOCK_STORE_URL"),
    (Settings(lock_store_url="redis://cache:6379/zero"), "LOCK_STORE_URL"),
    (Settings(action_endpoint_url="ftp://actions/webhook"), "ACTION_ENDPOINT_URL"),
])
def test_bad_urls_are_configuration_errors_naming_the_variable(settings, variable):
    with pytest.raises(ConfigurationError, match=variable):
        endpoints(settings)


def test_a_bad_setting_leaves_no_endpoints_file(tmp_path):
    path = tmp_path / "endpoints.yml"
    with pytest.raises(ConfigurationError):
        write_endpoints(Settings(tracker_db_url="mysql://db/rasa"), path)
    assert not path.exists()


def test_action_endpoint_elsewhere():
    settings = Settings(action_endpoint_url="http://actions:5055/webhook")
    assert endpoints(settings)["action_endpoint"] == {"url": "http://actions:5055/webhook",
                                                      "enable_selective_domain": True}


def test_rasa_reads_the_written_file(tmp_path, monkeypatch):
    """The file is what Rasa's own readers expect (no connection is made here); the password is
    in the environment of the process, not in the file, which only its owner can read."""
    monkeypatch.setenv("TRACKER_DB_PASSWORD", "p")
    path = write_endpoints(Settings(tracker_db_url="postgresql://u:p@db:5432/rasa",
                                    lock_store_url="redis://cache:6379/2",
                                    action_endpoint_url="http://actions:5055/webhook"),
                           tmp_path / "endpoints.yml")
    tracker = read_endpoint_config(str(path), "tracker_store")
    assert tracker.type == SQL_TRACKER_STORE and tracker.kwargs["dialect"] == "postgresql"
    assert "p@db" not in path.read_text() and path.stat().st_mode & 0o777 == 0o600
    url = SQLTrackerStore.get_db_url("postgresql", tracker.url, tracker.kwargs["port"],
                                     tracker.kwargs["db"], tracker.kwargs["username"],
                                     tracker.kwargs["password"])
    assert url.render_as_string(hide_password=False) == "postgresql://u:p@db:5432/rasa"
    lock = read_endpoint_config(str(path), "lock_store")
    assert lock.type == "ops.lock_store.AtomicRedisLockStore" and lock.kwargs["db"] == 2
    # what Rasa does with a lock store type it does not know: a class path (no connection yet)
    store = LockStore.create(lock)
    assert isinstance(store, AtomicRedisLockStore) and isinstance(store, RedisLockStore)
    assert store.key_prefix == "fushun:lock:"
    kwargs = store.red.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("cache", 6379, 2)
    assert read_endpoint_config(str(path), "action_endpoint").url == \
        "http://actions:5055/webhook"
    assert yaml.safe_load(path.read_text())["lock_store"]["key_prefix"].isalnum()


def test_rasa_command_enables_the_api_only_with_a_token():
    endpoints_file = Path("/tmp/endpoints.yml")
    plain = rasa_command(Settings(), endpoints_file)
    assert "--enable-api" not in plain and "--auth-token" not in plain
    with_token = rasa_command(Settings(auth_token="t0k", allowed_origins=["https://a.example"]),
                              endpoints_file, port=5006)
    assert with_token[with_token.index("--auth-token") + 1] == "t0k"
    assert "--enable-api" in with_token and "https://a.example" in with_token
    assert with_token[with_token.index("--port") + 1] == "5006"


def test_action_workers_reach_the_action_server():
    env = environment(Settings(action_workers=2), base={})
    assert env["ACTION_SERVER_SANIC_WORKERS"] == "2"
    assert actions_command(Settings(actions_port=5056))[-2:] == ["--port", "5056"]
    assert "ops.action_server" in actions_command(Settings())
    with pytest.raises(ConfigurationError, match="ACTION_WORKERS"):
        environment(Settings(action_workers=0), base={})


def test_training_writes_the_model_every_process_loads():
    command = train_command()
    out = Path(command[command.index("--out") + 1])
    name = command[command.index("--fixed-model-name") + 1]
    assert command[1] == "train" and out / f"{name}.tar.gz" == MODEL
    assert rasa_command(Settings(), Path("e.yml"))[rasa_command(
        Settings(), Path("e.yml")).index("--model") + 1] == str(MODEL)
