"""Processing each WeChat message once.

WeChat retries a message three times within 15 s when it gets no answer in 5 s. Each message is
processed by one task, kept under its key ((openid, MsgId); events: openid + CreateTime):
  - a retry while the task runs waits for that task and answers what it answers;
  - a retry after it finished gets the same answer, for `ttl` seconds after it finished.
The task is not tied to the HTTP request, so WeChat dropping the connection does not cancel it.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Awaitable, Callable, Generic, Hashable, Optional, Tuple, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
DEFAULT_TTL = 60.0  # well past WeChat's 15 s of retries


@dataclass
class _Entry(Generic[T]):
    task: "asyncio.Task[T]"
    finished_at: Optional[float] = None


class Deduplicator(Generic[T]):
    def __init__(self, ttl: float = DEFAULT_TTL, max_entries: int = 10000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._entries: "OrderedDict[Hashable, _Entry[T]]" = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def _purge(self) -> None:
        now = self._clock()
        for key in [k for k, e in self._entries.items()
                    if e.finished_at is not None and now - e.finished_at > self._ttl]:
            del self._entries[key]
        if len(self._entries) > self._max_entries:  # drop the oldest finished ones
            for key in [k for k, e in self._entries.items() if e.finished_at is not None]:
                if len(self._entries) <= self._max_entries:
                    break
                del self._entries[key]

    def _finished(self, entry: "_Entry[T]", task: "asyncio.Task[T]") -> None:
        entry.finished_at = self._clock()
        if not task.cancelled() and task.exception() is not None:  # retrieved: no asyncio warning
            logger.debug("deduplicated work failed: %r", task.exception())

    async def run(self, key: Hashable, work: Callable[[], Awaitable[T]],
                  duplicate_wait: Optional[float] = None) -> Tuple[T, bool]:
        """(result, duplicate): `work()` runs once per key; `duplicate` is True for a retry.

        The first caller waits for the work (which must bound its own time). A retry waits at
        most `duplicate_wait` seconds and then raises asyncio.TimeoutError; the work goes on and
        later retries get its result.
        """
        self._purge()
        entry = self._entries.get(key)
        if entry is None:
            task = asyncio.ensure_future(work())
            entry = _Entry(task)
            self._entries[key] = entry
            task.add_done_callback(lambda done, e=entry: self._finished(e, done))
            return await asyncio.shield(task), False
        self._entries.move_to_end(key)
        if duplicate_wait is None:
            return await asyncio.shield(entry.task), True
        return await asyncio.wait_for(asyncio.shield(entry.task), max(duplicate_wait, 0)), True
