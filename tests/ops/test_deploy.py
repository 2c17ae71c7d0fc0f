"""deploy/: the compose file, nginx.conf and docs/operations.md agree with each other and with
the code (Docker and nginx do not run here: these are static checks)."""
import re

import pytest
import yaml

from ops.settings import ROOT, Settings

DEPLOY = ROOT / "deploy"
RASA_SERVICES = ("rasa-a", "rasa-b")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nginx():
    return (DEPLOY / "nginx.conf").read_text(encoding="utf-8")


def upstreams(nginx_conf):
    return dict(re.findall(r"upstream\s+(\w+)\s*\{([^}]*)\}", nginx_conf))


def test_the_services(compose):
    services = compose["services"]
    assert {"postgres", "redis", "actions", "web", "nginx", *RASA_SERVICES} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["actions"]["command"] == ["python", "-m", "ops.launch", "actions"]
    assert services["actions"]["environment"]["ACTION_WORKERS"] == "2"
    assert services["actions"]["environment"]["ACTION_SERVER_SANIC_WORKERS"] == "2"
    assert list(services["nginx"]["ports"]) == ["${PUBLIC_PORT:-8080}:80"]
    published = [name for name, s in services.items() if s.get("ports")]
    assert published == ["nginx"]


def test_the_rasa_servers_share_postgresql_and_redis(compose):
    ports = set()
    for name in RASA_SERVICES:
        service = compose["services"][name]
        env = service["environment"]
        settings = Settings.from_env({k: str(v) for k, v in env.items()})
        assert settings.tracker_db_url.startswith("postgresql://") and "@postgres:5432/" in \
            settings.tracker_db_url
        assert settings.lock_store_url == "redis://redis:6379/0"
        assert settings.action_endpoint_url == "http://actions:5055/webhook"
        assert service["command"] == ["python", "-m", "ops.launch", "rasa"]
        assert service["network_mode"] == "service:nginx"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        assert "WECHAT_TOKEN" in env and "RASA_AUTH_TOKEN" in env
        ports.add(settings.bot_port)
    assert len(ports) == len(RASA_SERVICES)  # one network namespace: distinct ports


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


def test_the_dockerfile_builds_from_the_repository_root(compose):
    build = compose["x-app"]["build"]
    assert build == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "FROM python:3.10" in dockerfile and "requirements.txt" in dockerfile
    assert "rasa train --fixed-model-name bot --out models" in dockerfile
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
