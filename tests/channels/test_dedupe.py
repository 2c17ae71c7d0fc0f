import asyncio

import pytest

from channels.wechat.dedupe import Deduplicator


class Counter:
    def __init__(self, delay=0.0, result="answer", error=None):
        self.calls = 0
        self.delay = delay
        self.result = result
        self.error = error

    async def __call__(self):
        self.calls += 1
        await asyncio.sleep(self.delay)
        if self.error:
            raise self.error
        return f"{self.result}#{self.calls}"


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


async def test_concurrent_retries_run_the_work_once():
    dedupe = Deduplicator()
    work = Counter(delay=0.05)
    results = await asyncio.gather(*[dedupe.run(("o1", "m1"), work) for _ in range(4)])
    assert work.calls == 1
    assert [r for r, _ in results] == ["answer#1"] * 4
    assert [d for _, d in results] == [False, True, True, True]


async def test_retry_after_finish_gets_the_same_result():
    dedupe = Deduplicator()
    work = Counter()
    assert await dedupe.run(("o1", "m1"), work) == ("answer#1", False)
    assert await dedupe.run(("o1", "m1"), work) == ("answer#1", True)
    assert work.calls == 1


async def test_different_keys_are_independent():
    dedupe = Deduplicator()
    work = Counter()
    await dedupe.run(("o1", "m1"), work)
    await dedupe.run(("o1", "m2"), work)
    await dedupe.run(("o2", "m1"), work)
    assert work.calls == 3


async def test_finished_entries_expire_after_the_ttl():
    clock = Clock()
    dedupe = Deduplicator(ttl=60, clock=clock)
    work = Counter()
    await dedupe.run("k", work)
    clock.now = 59
    assert (await dedupe.run("k", work))[0] == "answer#1"
    clock.now = 121  # 60 s after it finished... measured from finish, not from the last retry
    assert (await dedupe.run("k", work))[0] == "answer#2"
    assert len(dedupe) == 1


async def test_in_flight_entries_do_not_expire():
    clock = Clock()
    dedupe = Deduplicator(ttl=1, clock=clock)
    work = Counter(delay=0.05)
    first = asyncio.ensure_future(dedupe.run("k", work))
    await asyncio.sleep(0)
    clock.now = 100
    second = await dedupe.run("k", work)
    assert (await first)[0] == second[0] and work.calls == 1


async def test_a_retry_waits_at_most_duplicate_wait():
    dedupe = Deduplicator()
    work = Counter(delay=0.2)
    first = asyncio.ensure_future(dedupe.run("k", work))
    await asyncio.sleep(0)
    with pytest.raises(asyncio.TimeoutError):
        await dedupe.run("k", work, duplicate_wait=0.01)
    assert (await first)[0] == "answer#1"  # the retry giving up did not cancel the work
    assert work.calls == 1


async def test_cancelling_the_caller_does_not_cancel_the_work():
    dedupe = Deduplicator()
    work = Counter(delay=0.05)
    caller = asyncio.ensure_future(dedupe.run("k", work))
    await asyncio.sleep(0.01)
    caller.cancel()  # WeChat hung up
    await asyncio.sleep(0.08)
    assert await dedupe.run("k", work) == ("answer#1", True)


async def test_a_failure_is_not_retried():
    dedupe = Deduplicator()
    work = Counter(error=RuntimeError("bot down"))
    for _ in range(2):
        with pytest.raises(RuntimeError):
            await dedupe.run("k", work)
    assert work.calls == 1


async def test_size_is_bounded():
    dedupe = Deduplicator(max_entries=3)
    work = Counter()
    for n in range(10):
        await dedupe.run(n, work)
    assert len(dedupe) <= 4
