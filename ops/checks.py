"""Start-up checks: a configured PostgreSQL or Redis that is down stops the start with a clear
message naming it, instead of a bot that fails on its first conversation (or, for PostgreSQL,
a Rasa that retries forever: its SQL tracker store waits for the database without end)."""
from __future__ import annotations

import socket
from typing import List, Optional
from urllib.parse import unquote, urlparse

from ops.settings import Settings

TIMEOUT = 3.0


def _reachable(host: str, port: int, timeout: float = TIMEOUT) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _postgres_refuses(url: str) -> Optional[str]:
    """Why PostgreSQL refuses a session (wrong user/password, no such database), or None."""
    try:
        import psycopg2
    except ImportError:  # Rasa will say it; the port answers, which is what we can check
        return None
    try:
        psycopg2.connect(url.replace("postgres://", "postgresql://", 1),
                         connect_timeout=int(TIMEOUT)).close()
    except psycopg2.Error as error:
        return _first_line(error)
    return None


def _redis_refuses(url: str) -> Optional[str]:
    """Why Redis refuses commands (NOAUTH, no such database), or None."""
    try:
        import redis
    except ImportError:
        return None
    parsed = urlparse(url)
    try:
        client = redis.Redis(host=parsed.hostname or "localhost", port=parsed.port or 6379,
                             db=int((parsed.path or "/0").lstrip("/") or 0),
                             password=unquote(parsed.password) if parsed.password else None,
                             socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, ValueError) as error:
        return _first_line(error)
    return None


def missing_services(settings: Settings) -> List[str]:
    """One line per configured service that does not answer or refuses us."""
    problems = []
    for variable, url, default_port in (("TRACKER_DB_URL", settings.tracker_db_url, 5432),
                                        ("LOCK_STORE_URL", settings.lock_store_url, 6379)):
        if not url:
            continue
        parsed = urlparse(url)
        try:
            host, port = parsed.hostname or "localhost", parsed.port or default_port
        except ValueError:
            problems.append(f"{variable} has an invalid port: {parsed.netloc!r}")
            continue
        kind = "PostgreSQL" if variable == "TRACKER_DB_URL" else "Redis"
        if not _reachable(host, port):
            problems.append(f"{kind} is configured ({variable}) but not reachable at "
                            f"{host}:{port}: start it, or unset {variable} to use the default")
            continue
        refused = (_postgres_refuses if kind == "PostgreSQL" else _redis_refuses)(url)
        if refused:
            problems.append(f"{kind} at {host}:{port} ({variable}) refused the connection: "
                            f"{refused}")
    return problems
