"""Rasa's endpoints.yml for this deployment: SQLite by default, PostgreSQL and Redis when set."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Optional
from urllib.parse import unquote, urlparse

import yaml

from ops.settings import ConfigurationError, Settings

REDIS_LOCK_STORE = "ops.lock_store.AtomicRedisLockStore"
# Rasa's SQL store with storage errors failing one request, not the process (ops/tracker_store.py)
SQL_TRACKER_STORE = "ops.tracker_store.GuardedSQLTrackerStore"


def tracker_store(settings: Settings) -> Dict[str, Any]:
    if not settings.tracker_db_url:
        return {"type": SQL_TRACKER_STORE, "dialect": "sqlite", "db": str(settings.sqlite_path)}
    url = urlparse(settings.tracker_db_url)
    if url.scheme not in ("postgresql", "postgres"):
        raise ConfigurationError(
            f"TRACKER_DB_URL must be postgresql://user:password@host:port/db, got {url.scheme}://")
    store = {"type": SQL_TRACKER_STORE, "dialect": "postgresql", "url": url.hostname or "localhost",
             "port": _port(url, "TRACKER_DB_URL") or 5432,
             "db": unquote((url.path or "/").lstrip("/")) or "rasa"}
    if url.username:
        store["username"] = unquote(url.username)
    if url.password:  # Rasa substitutes it from the environment: never written to the file
        store["password"] = "${TRACKER_DB_PASSWORD}"
    return store


def lock_store(settings: Settings) -> Dict[str, Any]:
    if not settings.lock_store_url:
        return {"type": "in_memory"}
    url = urlparse(settings.lock_store_url)
    if url.scheme != "redis":
        raise ConfigurationError(f"LOCK_STORE_URL must be redis://host:port/db, got {url.scheme}://")
    db = (url.path or "/0").lstrip("/") or "0"
    if not db.isdigit():
        raise ConfigurationError(f"LOCK_STORE_URL must end with a database number "
                                 f"(redis://host:port/0), got /{db}")
    # Rasa's RedisLockStore with atomic lock changes (ops/lock_store.py): Rasa's own can let two
    # servers serve one conversation at once and lose a turn
    store = {"type": REDIS_LOCK_STORE, "url": url.hostname or "localhost",
             "port": _port(url, "LOCK_STORE_URL") or 6379, "db": int(db), "key_prefix": "fushun"}
    if url.password:
        store["password"] = "${LOCK_STORE_PASSWORD}"
    return store


def secrets(settings: Settings) -> Dict[str, str]:
    """The passwords endpoints.yml refers to, for the environment of the Rasa process."""
    found = {}
    for variable, value in (("TRACKER_DB_PASSWORD", settings.tracker_db_url),
                            ("LOCK_STORE_PASSWORD", settings.lock_store_url)):
        password = urlparse(value).password if value else None
        if password:
            found[variable] = unquote(password)
    return found


def action_endpoint(settings: Settings) -> Dict[str, Any]:
    # action_answer reads no domain: Rasa need not send the whole domain with every turn
    selective = {"enable_selective_domain": True}
    if not settings.action_endpoint_url:
        return {"url": f"http://localhost:{settings.actions_port}/webhook", **selective}
    url = urlparse(settings.action_endpoint_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigurationError("ACTION_ENDPOINT_URL must be http://host:port/webhook, got "
                                 f"{settings.action_endpoint_url!r}")
    return {"url": settings.action_endpoint_url, **selective}


def _port(url, variable: str) -> Optional[int]:
    try:
        return url.port
    except ValueError:  # urlparse raises on a port that is not a number or out of range
        raise ConfigurationError(f"{variable} has an invalid port: {url.netloc!r}") from None


def endpoints(settings: Settings) -> Dict[str, Any]:
    return {"action_endpoint": action_endpoint(settings),
            "tracker_store": tracker_store(settings),
            "lock_store": lock_store(settings)}


def write_endpoints(settings: Settings, path: Path) -> Path:
    content = endpoints(settings)  # validate before touching the file
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an older file keeps its mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(yaml.safe_dump(content, allow_unicode=True, sort_keys=False))
    return path

