"""PostgreSQL and Redis on this machine, for the tests that need them: a fresh database per use,
dropped afterwards, or a clear skip reason when the server is not reachable."""
from __future__ import annotations

import getpass
import socket
import uuid
from typing import Iterator, Optional, Tuple

import pytest

PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
ADMIN_DATABASES = ("test", "postgres")


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def postgres_admin() -> Tuple[Optional[str], str]:
    """(libpq URL of a database we may CREATE DATABASE from, "") or (None, why not)."""
    if not _port_open(PG_HOST, PG_PORT):
        return None, f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}"
    try:
        import psycopg2
    except ImportError:
        return None, "psycopg2 is not installed"
    errors = []
    users = dict.fromkeys(["postgres", "root", getpass.getuser()])
    for user in users:
        for database in ADMIN_DATABASES:
            url = f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{database}"
            try:
                psycopg2.connect(url, connect_timeout=3).close()
                return url, ""
            except psycopg2.Error as error:
                errors.append(f"{user}@{database}: {str(error).strip().splitlines()[0]}")
    return None, "PostgreSQL refuses every login we tried: " + "; ".join(errors)


def require_postgres() -> str:
    url, reason = postgres_admin()
    if url is None:
        pytest.skip(reason)
    return url


def require_redis() -> None:
    if not _port_open(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    import redis

    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=3).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at {REDIS_HOST}:{REDIS_PORT} does not answer PING: {error}")


def _admin(url: str):
    import psycopg2

    connection = psycopg2.connect(url, connect_timeout=3)
    connection.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    return connection


def fresh_database(prefix: str) -> Iterator[str]:
    """Yield the URL of a new empty database; drop it afterwards (with FORCE: a Rasa that was
    killed may leave sessions behind)."""
    admin = require_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    connection = _admin(admin)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        connection = _admin(admin)
        try:
            force = " WITH (FORCE)" if connection.server_version >= 130000 else ""
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"{force}')
        finally:
            connection.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
