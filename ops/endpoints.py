"""Rasa's endpoints.yml for this deployment: SQLite by default, PostgreSQL and Redis when set."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict
from urllib.parse import unquote, urlparse

import yaml

from ops.settings import Settings


class ConfigurationError(Exception):
    """A setting that cannot work, named in the message."""


def tracker_store(settings: Settings) -> Dict[str, Any]:
    if not settings.tracker_db_url:
        return {"type": "SQL", "dialect": "sqlite", "db": str(settings.sqlite_path)}
    url = urlparse(settings.tracker_db_url)
    if url.scheme not in ("postgresql", "postgres"):
        raise ConfigurationError(
            f"TRACKER_DB_URL must be postgresql://user:password@host:port/db, got {url.scheme}://")
    store = {"type": "SQL", "dialect": "postgresql", "url": url.hostname or "localhost",
             "port": url.port or 5432, "db": (url.path or "/").lstrip("/") or "rasa"}
    if url.username:
        store["username"] = unquote(url.username)
    if url.password:
        store["password"] = unquote(url.password)
    return store


def lock_store(settings: Settings) -> Dict[str, Any]:
    if not settings.lock_store_url:
        return {"type": "in_memory"}
    url = urlparse(settings.lock_store_url)
    if url.scheme != "redis":
        raise ConfigurationError(f"LOCK_STORE_URL must be redis://host:port/db, got {url.scheme}://")
    store = {"type": "redis", "url": url.hostname or "localhost", "port": url.port or 6379,
             "db": int((url.path or "/0").lstrip("/") or 0), "key_prefix": "fushun"}
    if url.password:
        store["password"] = unquote(url.password)
    return store


def endpoints(settings: Settings) -> Dict[str, Any]:
    return {"action_endpoint": {"url": f"http://localhost:{settings.actions_port}/webhook"},
            "tracker_store": tracker_store(settings),
            "lock_store": lock_store(settings)}


def write_endpoints(settings: Settings, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints(settings), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path
