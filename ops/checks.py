"""Start-up checks: a configured PostgreSQL or Redis that is down stops the start with a clear
message naming it, instead of a bot that fails on its first conversation."""
from __future__ import annotations

import socket
from typing import List
from urllib.parse import urlparse

from ops.settings import Settings


def _reachable(host: str, port: int, timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def missing_services(settings: Settings) -> List[str]:
    """One line per configured service that does not answer."""
    problems = []
    for variable, url, default_port in (("TRACKER_DB_URL", settings.tracker_db_url, 5432),
                                        ("LOCK_STORE_URL", settings.lock_store_url, 6379)):
        if not url:
            continue
        parsed = urlparse(url)
        host, port = parsed.hostname or "localhost", parsed.port or default_port
        if not _reachable(host, port):
            kind = "PostgreSQL" if variable == "TRACKER_DB_URL" else "Redis"
            problems.append(f"{kind} is configured ({variable}) but not reachable at "
                            f"{host}:{port}: start it, or unset {variable} to use the default")
    return problems
