"""Rasa's Redis lock store, with every change of a lock made atomically.

Rasa 3.6's RedisLockStore changes a conversation's lock with GET, change in Python, SET. Two Rasa
servers that take a message of the same conversation at the same moment can then both draw ticket
0, run at the same time, and one turn is lost from the tracker store (tests/ops/test_scale_out.py
shows it); a server finishing can also delete the lock another server has just queued on, which
then fails with a LockError. Here each change runs in a Redis transaction (WATCH/MULTI/EXEC,
retried when another server changed the lock in between), so tickets are unique and a lock is
deleted only when nobody waits on it.

endpoints.yml (ops/endpoints.py writes it when LOCK_STORE_URL is set):

  lock_store:
    type: ops.lock_store.AtomicRedisLockStore
    url: redis-host
    port: 6379
    db: 0
    key_prefix: fushun
"""
from __future__ import annotations

import json
import logging
from typing import Any, Callable, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 200  # optimistic retries of one change under contention
_UNCHANGED = object()
_DELETE = object()

Change = Callable[[Optional[TicketLock]], Tuple[Any, Any]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """From endpoints.yml (Rasa passes `endpoint_config` for a custom type), or with
        RedisLockStore's own arguments."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _atomic(self, conversation_id: Text, change: Change) -> Any:
        """Run change(lock) → (new lock | _UNCHANGED | _DELETE, result) as one transaction."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            for _ in range(MAX_ATTEMPTS):
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    outcome, result = change(lock)
                    if outcome is _UNCHANGED:
                        pipe.unwatch()
                        return result
                    pipe.multi()
                    if outcome is _DELETE:
                        pipe.delete(key)
                    else:
                        pipe.set(key, outcome.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:  # another server changed the lock: read it again
                    continue
        raise LockError(f"Could not change the lock of conversation '{conversation_id}': "
                        f"{MAX_ATTEMPTS} concurrent changes in a row")

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]) -> Tuple[Any, Any]:
            lock = lock or TicketLock(conversation_id)
            ticket = lock.issue_ticket(lock_lifetime)
            return lock, ticket

        try:
            return self._atomic(conversation_id, change)
        except LockError:
            raise
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[Any, Any]:
            if lock is None:
                return _UNCHANGED, None
            lock.remove_expired_tickets()
            return lock, None

        self._atomic(conversation_id, change)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[Any, Any]:
            if lock is None:
                return _UNCHANGED, None
            lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomic(conversation_id, change)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove the ticket; delete the lock in the same transaction if nobody waits."""
        def change(lock: Optional[TicketLock]) -> Tuple[Any, Any]:
            if lock is None:
                return _UNCHANGED, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else _DELETE), None

        self._atomic(conversation_id, change)
