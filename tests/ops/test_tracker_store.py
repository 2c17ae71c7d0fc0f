"""ops.tracker_store: a storage error fails one request, is recorded, and never exits the process."""
import asyncio
import sqlite3
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event as sa_event

from ops import storage_health
from ops.tracker_store import GuardedSQLTrackerStore, StorageError


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("STORAGE_FAILURE_LOG", str(tmp_path / "failures.log"))
    storage_health.reset()
    yield GuardedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite",
                                 db=str(tmp_path / "tracker.db"))
    storage_health.reset()


def _tracker(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [UserUttered("社保卡丢了")])


def test_a_lone_surrogate_fails_that_request_only(store):
    # Rasa's own store turns this UnicodeEncodeError into sys.exit(1)
    with pytest.raises(StorageError):
        asyncio.run(store.save(_tracker("x\ud800")))
    assert storage_health.failed_since("x\ud800", 0.0)
    assert storage_health.problem() and "UnicodeEncodeError" in storage_health.problem()
    asyncio.run(store.save(_tracker("citizen")))  # the store goes on working
    assert asyncio.run(store.retrieve("citizen")).latest_message.text == "社保卡丢了"
    assert not storage_health.failed_since("citizen", 0.0)


def test_a_locked_database_is_a_recorded_failure(tmp_path, store, monkeypatch):
    monkeypatch.setattr("ops.tracker_store.SQLITE_BUSY_TIMEOUT_MS", 50)
    store = GuardedSQLTrackerStore(domain=Domain.empty(), dialect="sqlite",
                                   db=str(tmp_path / "locked.db"))
    holder = sqlite3.connect(tmp_path / "locked.db", timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError):
            asyncio.run(store.save(_tracker("locked-out")))
    finally:
        holder.rollback()
        holder.close()
    assert storage_health.failed_since("locked-out", 0.0)


def test_sqlite_runs_in_wal_mode(tmp_path, store):
    asyncio.run(store.save(_tracker("wal")))
    mode = sqlite3.connect(tmp_path / "tracker.db").execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)


def test_the_report_counts_the_turns_that_could_not_be_stored(tmp_path, store):
    from ops.report import unstored_turns

    with pytest.raises(StorageError):
        asyncio.run(store.save(_tracker("x\ud800")))
    log = tmp_path / "failures.log"
    assert unstored_turns(log) == 1
    assert unstored_turns(log, since=time.time() + 60) == 0


def test_sqlite_connections_are_kept_between_requests(store):
    opened = []
    sa_event.listen(store.engine, "connect", lambda *_: opened.append(1))
    for _turn in range(5):
        asyncio.run(store.save(_tracker("kept")))
        assert asyncio.run(store.retrieve("kept")) is not None
    assert len(opened) <= 1  # Rasa's own engine opens (and checkpoints) one per session
