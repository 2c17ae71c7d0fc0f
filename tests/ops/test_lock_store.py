"""ops.lock_store.AtomicRedisLockStore against the Redis on 127.0.0.1 (skipped without it): two
'servers' (two store instances, own connections) never serve one conversation at once."""
import asyncio
import threading
import time
import uuid

import pytest

from ops import lock_store as lock_store_module
from ops.lock_store import AtomicRedisLockStore
from tests.ops.services import REDIS_HOST, REDIS_PORT, require_redis


@pytest.fixture
def stores():
    require_redis()
    prefix = f"opstest{uuid.uuid4().hex[:8]}"
    made = []

    def make():
        store = AtomicRedisLockStore(host=REDIS_HOST, port=REDIS_PORT, db=0, key_prefix=prefix)
        made.append(store)
        return store

    yield make
    if made:
        for key in made[0].red.scan_iter(f"{prefix}:*"):
            made[0].red.delete(key)
        for store in made:
            store.red.close()


def test_a_change_made_meanwhile_by_another_server_is_not_overwritten(stores, monkeypatch):
    a, b = stores(), stores()
    conversation = "c1"
    original = lock_store_module.TicketLock.issue_ticket
    interfered = []

    def issue_with_interference(self, lifetime):
        if not interfered:  # between a's WATCH/GET and its EXEC, b takes a ticket
            interfered.append(True)
            monkeypatch.setattr(lock_store_module.TicketLock, "issue_ticket", original)
            assert b.issue_ticket(conversation) == 0
        return original(self, lifetime)

    monkeypatch.setattr(lock_store_module.TicketLock, "issue_ticket", issue_with_interference)
    assert a.issue_ticket(conversation) == 1  # retried on b's change: not a second ticket 0
    lock = a.get_lock(conversation)
    assert [t.number for t in lock.tickets] == [0, 1]


def test_tickets_are_unique_under_contention(stores):
    servers = [stores(), stores(), stores()]
    tickets, errors = [], []

    def take(store):
        try:
            for _ in range(15):
                tickets.append(store.issue_ticket("c2"))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=take, args=(s,)) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(tickets) == list(range(45))


def test_the_lock_stays_while_someone_waits(stores):
    a, b = stores(), stores()
    first, second = a.issue_ticket("c3"), b.issue_ticket("c3")
    a.cleanup("c3", first)
    lock = b.get_lock("c3")
    assert lock is not None and not lock.is_locked(second)  # b's turn, its ticket kept
    b.cleanup("c3", second)
    assert b.get_lock("c3") is None


def test_one_conversation_is_served_by_one_server_at_a_time(stores):
    """Four 'servers', each with its own event loop and connection, run a critical section on
    one conversation five times each: never two at once, no update lost."""
    servers = [stores() for _ in range(4)]
    state = {"inside": 0, "most": 0, "count": 0}
    guard = threading.Lock()
    errors = []

    async def serve(store):
        for _ in range(5):
            async with store.lock("c4", wait_time_in_seconds=0.01):
                with guard:
                    state["inside"] += 1
                    state["most"] = max(state["most"], state["inside"])
                    seen = state["count"]
                await asyncio.sleep(0.005)
                with guard:
                    state["count"] = seen + 1
                    state["inside"] -= 1

    def run(store):
        try:
            asyncio.run(serve(store))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    started = time.time()
    threads = [threading.Thread(target=run, args=(s,)) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert state == {"inside": 0, "most": 1, "count": 20}
    assert servers[0].get_lock("c4") is None and time.time() - started < 60
