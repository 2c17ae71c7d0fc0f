"""deploy/: what each container of the compose file would run, worked out by the project's own
code from the environment compose gives it (Docker and nginx do not run here), and nginx.conf,
the Dockerfile and docs/operations.md agreeing with it."""
import re
from typing import Dict

import pytest
import yaml
from rasa.utils.endpoints import read_endpoint_config

from ops.endpoints import write_endpoints
from ops.launch import actions_command, environment, rasa_command
from ops.settings import MODEL, ROOT, Settings
from web.config import WebConfig

DEPLOY = ROOT / "deploy"
RASA_SERVICES = ("rasa-a", "rasa-b")
# what an operator puts in deploy/.env (deploy/env.example)
DOT_ENV = {"POSTGRES_PASSWORD": "s3cret", "RASA_AUTH_TOKEN": "t0k", "WECHAT_TOKEN": "wx-token"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nginx():
    return (DEPLOY / "nginx.conf").read_text(encoding="utf-8")


def upstreams(nginx_conf):
    return dict(re.findall(r"upstream\s+(\w+)\s*\{([^}]*)\}", nginx_conf))


def container_env(compose, name: str) -> Dict[str, str]:
    """The service's environment as compose interpolates it: ${VAR:-default}, ${VAR:?message}."""
    def value(match):
        variable, kind, rest = match.group(1), match.group(2), match.group(3)
        if DOT_ENV.get(variable):
            return DOT_ENV[variable]
        assert kind != ":?", f"compose refuses to start without {variable}"
        return rest if kind == ":-" else ""
    env = compose["services"][name].get("environment") or {}
    return {k: re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", value, str(v)) for k, v in env.items()}


def test_the_rasa_servers_share_one_conversation_store_and_lock_store(compose, tmp_path,
                                                                     monkeypatch):
    """Every Rasa container writes the same PostgreSQL and Redis into its endpoints.yml, reaches
    the one action server, and listens on a port of its own (one network namespace)."""
    shared, ports = [], set()
    for name in RASA_SERVICES:
        settings = Settings.from_env(container_env(compose, name))
        path = write_endpoints(settings, tmp_path / f"{name}.yml")
        process_env = environment(settings, base=container_env(compose, name))
        for variable in ("TRACKER_DB_PASSWORD", "LOCK_STORE_PASSWORD"):  # Rasa reads them
            monkeypatch.delenv(variable, raising=False)
            if variable in process_env:
                monkeypatch.setenv(variable, process_env[variable])
        tracker = read_endpoint_config(str(path), "tracker_store")
        lock = read_endpoint_config(str(path), "lock_store")
        assert tracker.kwargs["dialect"] == "postgresql" and tracker.url == "postgres"
        assert tracker.kwargs["password"] == DOT_ENV["POSTGRES_PASSWORD"]
        assert read_endpoint_config(str(path), "action_endpoint").url == \
            "http://actions:5055/webhook"
        shared.append((tracker.kwargs, tracker.url, lock.url, lock.kwargs))
        command = rasa_command(settings, path, MODEL)
        assert command[command.index("--port") + 1] == str(settings.bot_port)
        assert "--enable-api" in command  # RASA_AUTH_TOKEN set: the API on, behind the token
        assert settings.wechat.token == "wx-token"
        ports.add(settings.bot_port)
        assert compose["services"][name]["command"] == ["python", "-m", "ops.launch", "rasa"]
        assert lock.type == "ops.lock_store.AtomicRedisLockStore" and lock.url == "redis"
    assert shared[0] == shared[1]
    assert len(ports) == len(RASA_SERVICES)


def test_the_action_server_runs_the_workers_it_is_given(compose):
    settings = Settings.from_env(container_env(compose, "actions"))
    env = environment(settings, base=container_env(compose, "actions"))
    assert env["ACTION_SERVER_SANIC_WORKERS"] == str(settings.action_workers) == "2"
    assert settings.actions_host == "0.0.0.0"  # the rasa containers reach it by name
    assert actions_command(settings)[-2:] == ["--port", "5055"]


def test_only_nginx_is_published_and_the_web_pages_listen_where_it_sends(compose, nginx):
    published = [name for name, s in compose["services"].items() if s.get("ports")]
    assert published == ["nginx"]
    config = WebConfig.from_env(container_env(compose, "web"))
    assert config.host == "0.0.0.0"
    assert f"server web:{config.port};" in upstreams(nginx)["web"]
    assert config.bot_url == "http://localhost:8080"  # the widget talks to nginx, same origin


def test_no_secret_in_the_files(compose):
    text = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
    for variable in ("POSTGRES_PASSWORD", "RASA_AUTH_TOKEN", "WECHAT_TOKEN", "WECHAT_APPSECRET"):
        for value in re.findall(rf"{variable}: (.*)", text):
            assert value.startswith("${"), (variable, value)
    assert "POSTGRES_PASSWORD:?" in text  # compose refuses to start without one


def test_nginx_routes_each_rasa_server_with_consistent_hashing(compose, nginx):
    rasa_ports = {int(compose["services"][n]["environment"]["BOT_PORT"]) for n in RASA_SERVICES}
    blocks = upstreams(nginx)
    for name in ("rasa_rest", "rasa_wechat"):
        block = blocks[name]
        assert re.search(r"hash \$\w+ consistent;", block)
        assert block.index("hash") < block.index("keepalive")  # nginx requires this order
        assert {int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", block)} == rasa_ports
    assert "default $http_x_sender_id;" in nginx and "default $arg_openid;" in nginx
    assert "hash $wechat_affinity consistent" in blocks["rasa_wechat"]
    assert "server web:8000;" in blocks["web"]


def test_nginx_exposes_the_channels_but_not_rasas_api(nginx):
    locations = dict(re.findall(r"location\s+([^{]+?)\s*\{([^}]*)\}", nginx))
    assert "proxy_pass http://rasa_rest;" in locations["= /webhooks/rest/webhook"]
    assert "proxy_pass http://rasa_wechat;" in locations["^~ /webhooks/wechat/"]
    assert "return 404;" in locations["^~ /webhooks/"]
    assert "proxy_pass http://web;" in locations["/"]
    passing_to_rasa = [path for path, body in locations.items() if "http://rasa_" in body]
    assert all(path.split()[-1].startswith("/webhooks/") for path in passing_to_rasa)
    # overwritten, never appended: the REST channel trusts the first entry
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx
    assert "$proxy_add_x_forwarded_for" not in nginx
    assert nginx.count("{") == nginx.count("}")


def test_the_image_trains_the_model_every_process_loads(compose):
    build = compose["x-app"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "python -m ops.launch train" in dockerfile  # the model path of ops/settings.py
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert ".venv" in ignored and "var" in ignored


def test_the_documented_variables(compose):
    docs = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    variables = {"TRACKER_DB_URL", "LOCK_STORE_URL", "RASA_AUTH_TOKEN", "BOT_ALLOWED_ORIGINS",
                 "ACTION_WORKERS", "ACTION_ENDPOINT_URL", "FEEDBACK_DB", "TRACKER_SQLITE_PATH"}
    for service in compose["services"].values():
        variables |= {k for k in (service.get("environment") or {}) if k.isupper()}
    variables -= {"POSTGRES_USER", "POSTGRES_DB", "WEB_HOST", "RASA_TELEMETRY_ENABLED"}
    undocumented = sorted(v for v in variables if f"`{v}`" not in docs)
    assert not undocumented, undocumented
    for variable in ("WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_APPSECRET",
                     "WECHAT_ENCODING_AES_KEY", "WECHAT_API_BASE"):
        assert variable in docs
    env_example = (DEPLOY / "env.example").read_text()
    for variable in re.findall(r"\$\{(\w+)", (DEPLOY / "docker-compose.yml").read_text()):
        assert f"{variable}=" in env_example, variable
