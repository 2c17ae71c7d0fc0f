"""Whether the conversation store is keeping what it is given, as seen by this process.

The tracker store records every failed and every successful operation here; the REST channel
asks whether a sender's turn failed to be stored (and then tells the user to retry), and its health
endpoint turns red while storage fails. Rasa itself would fall back to an in-memory tracker and
answer as if all were well.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Dict, Optional

from ops.settings import ROOT

# After a failure, health stays red this long even if an operation succeeds in between.
RED_SECONDS = 60.0

_lock = threading.Lock()
_failed_at: Dict[str, float] = {}  # sender id → time of its last failed operation
_state = {"failures": 0, "last_failure": 0.0, "last_error": ""}
_MAX_SENDERS = 10_000


def failure_log() -> Path:
    """One line per turn that could not be stored (time, error type), for `make report`."""
    return Path(os.environ.get("STORAGE_FAILURE_LOG", ROOT / "var" / "storage_failures.log"))


def record_failure(sender_id: Optional[str], error: BaseException) -> None:
    try:  # best effort: the disk may be what failed
        with failure_log().open("a", encoding="utf-8") as log:
            log.write(f"{time.time():.0f}\t{type(error).__name__}\n")
    except OSError:
        pass
    now = time.monotonic()
    with _lock:
        _state["failures"] += 1
        _state["last_failure"] = now
        _state["last_error"] = type(error).__name__
        if sender_id is not None:
            if len(_failed_at) >= _MAX_SENDERS:
                _failed_at.clear()  # bounded memory; only the last turns matter
            _failed_at[sender_id] = now


def failed_since(sender_id: str, since: float) -> bool:
    """Whether an operation on this sender's conversation failed at or after `since`
    (a time.monotonic() reading)."""
    with _lock:
        return _failed_at.get(sender_id, -1.0) >= since


def problem() -> Optional[str]:
    """A short description while storage is failing, None when it is healthy."""
    with _lock:
        if _state["failures"] and time.monotonic() - _state["last_failure"] < RED_SECONDS:
            return f"conversation store failing ({_state['last_error']})"
    return None


def reset() -> None:
    """Forget all failures (tests)."""
    with _lock:
        _failed_at.clear()
        _state.update(failures=0, last_failure=0.0, last_error="")
