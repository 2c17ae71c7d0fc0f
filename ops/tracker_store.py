"""Rasa's SQL tracker store, with storage errors handled per request.

Rasa 3.6's `SQLTrackerStore.session_scope` turns any ValueError raised while a conversation is
read or written (a lone surrogate in a sender id raises UnicodeEncodeError, a ValueError) into
`sys.exit(1)`: one request stopped the whole server. Here the same error fails that one request:
it is recorded in ops.storage_health (the channel tells the user to retry, the health endpoint
turns red) and raised as StorageError, which Rasa's FailSafeTrackerStore catches.
SQLite runs in WAL mode with a busy timeout, so readers and the writer do not lock each other out,
and its connections are pooled: SQLAlchemy 1.4 opens and closes one per session for a file, and
each close of the last connection checkpoints the WAL (about 1 ms a turn, bench/tracker_store.py).
"""
from __future__ import annotations

import contextlib
import logging
from typing import Any, Generator, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

from ops import storage_health

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 5000


class StorageError(Exception):
    """A conversation could not be read or written."""


class GuardedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self.engine = sa.create_engine(self.engine.url, poolclass=QueuePool,
                                           connect_args={"check_same_thread": False})
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            event.listen(self.engine, "connect", _sqlite_pragmas)
            with self.engine.connect() as connection:  # WAL is kept in the file itself
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        session = self.sessionmaker()
        try:
            try:
                ensure_schema_exists(session)
            except ValueError as error:  # Rasa's way of saying the PostgreSQL schema is missing
                raise StorageError(f"database schema {error} does not exist") from error
            yield session
        finally:
            session.close()

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except Exception as error:
            raise _failed("save", tracker.sender_id, error) from error

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve(sender_id)
        except Exception as error:
            raise _failed("read", sender_id, error) from error

    async def retrieve_full_tracker(self, sender_id: str) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve_full_tracker(sender_id)
        except Exception as error:
            raise _failed("read", sender_id, error) from error


def _failed(operation: str, sender_id: str, error: Exception) -> StorageError:
    storage_health.record_failure(sender_id, error)
    # the error's type only: its text may quote the user's message
    logger.error("tracker store: could not %s a conversation (%s)", operation,
                 type(error).__name__)
    return StorageError(f"could not {operation} the conversation")


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
