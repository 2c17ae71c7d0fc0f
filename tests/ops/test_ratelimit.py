"""channels.ratelimit.SlidingWindowLimiter with an injected clock."""
from channels.ratelimit import SlidingWindowLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_up_to_the_limit_then_refuses():
    clock = Clock()
    limiter = SlidingWindowLimiter(3, 60, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]


def test_the_window_slides():
    clock = Clock()
    limiter = SlidingWindowLimiter(2, 60, clock=clock)
    assert limiter.allow("a")            # t=0
    clock.now += 30
    assert limiter.allow("a")            # t=30
    assert not limiter.allow("a")
    clock.now += 29.9                    # t=59.9: both still inside
    assert not limiter.allow("a")
    clock.now += 0.1                     # t=60: the first has left the window
    assert limiter.allow("a")
    assert not limiter.allow("a")
    clock.now += 30                      # t=90: the one of t=30 has left
    assert limiter.allow("a")


def test_refused_requests_do_not_count():
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 10, clock=clock)
    assert limiter.allow("a")
    for _ in range(100):
        clock.now += 0.05
        assert not limiter.allow("a")
    clock.now = 1010.0                   # 10 s after the only allowed request
    assert limiter.allow("a")


def test_keys_are_independent():
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 60, clock=clock)
    assert limiter.allow("sender-a")
    assert not limiter.allow("sender-a")
    assert limiter.allow("sender-b")


def test_idle_keys_are_forgotten_so_memory_stays_bounded():
    clock = Clock()
    limiter = SlidingWindowLimiter(1, 60, clock=clock)
    for i in range(100_001):
        limiter.allow(f"k{i}")
    clock.now += 61
    limiter.allow("new")                 # over 100,000 keys: the idle ones go
    assert len(limiter._hits) <= 2
    assert limiter.allow("k1")           # a forgotten key starts afresh
