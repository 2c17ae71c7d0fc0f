"""WeChat request signatures.

WeChat signs every call to the server URL with `signature = sha1(''.join(sorted([token, timestamp,
nonce])))`; in 兼容/安全 mode it also sends `msg_signature`, the same hash with the Encrypt field as
a fourth string. Comparisons are constant-time, and a signed timestamp older (or newer) than the
freshness window is refused so that a captured request cannot be replayed later.
"""
from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict
from typing import Callable, Optional, Tuple

from channels.wechat.errors import InvalidSignature, ReplayedRequest, StaleTimestamp

DEFAULT_MAX_AGE = 300  # seconds


def make_signature(token: str, timestamp: str, nonce: str, *extra: str) -> str:
    """Hex sha1 over the sorted, concatenated strings (WeChat's signing scheme)."""
    parts = sorted([token, timestamp, nonce, *extra])
    return hashlib.sha1("".join(parts).encode("utf-8")).hexdigest()


def signatures_match(expected: str, given: Optional[str]) -> bool:
    """Constant-time comparison; tolerates a missing or non-ASCII `given`."""
    given_bytes = (given or "").strip().lower().encode("utf-8")
    return hmac.compare_digest(expected.encode("utf-8"), given_bytes)


def check_freshness(timestamp: Optional[str], max_age: Optional[float] = DEFAULT_MAX_AGE,
                    clock: Callable[[], float] = time.time) -> None:
    """Raise StaleTimestamp unless `timestamp` is within `max_age` seconds of `clock()`.

    `max_age=None` turns the check off. Clocks drift both ways, so a timestamp from the future is
    refused too when it is further ahead than the window.
    """
    if max_age is None:
        return
    if not timestamp or not timestamp.strip().isdigit():
        raise StaleTimestamp("timestamp is missing or not a number")
    age = clock() - int(timestamp)
    if abs(age) > max_age:
        raise StaleTimestamp(f"timestamp is {age:+.0f} s away from now (window {max_age:g} s)")


class SignatureChecker:
    """Checks signature/msg_signature of requests for one Token."""

    def __init__(self, token: str, max_age: Optional[float] = DEFAULT_MAX_AGE,
                 clock: Callable[[], float] = time.time) -> None:
        if not token:
            raise ValueError("token must not be empty")
        self._token = token
        self.max_age = max_age
        self._clock = clock

    def check(self, signature: Optional[str], timestamp: Optional[str],
              nonce: Optional[str]) -> None:
        """Verify `signature` (token, timestamp, nonce), then the timestamp's freshness."""
        expected = make_signature(self._token, timestamp or "", nonce or "")
        if not signature or not signatures_match(expected, signature):
            raise InvalidSignature("signature does not match")
        check_freshness(timestamp, self.max_age, self._clock)

    def check_message(self, msg_signature: Optional[str], timestamp: Optional[str],
                      nonce: Optional[str], encrypt: str) -> None:
        """Verify `msg_signature` (token, timestamp, nonce, Encrypt) and freshness."""
        expected = make_signature(self._token, timestamp or "", nonce or "", encrypt)
        if not msg_signature or not signatures_match(expected, msg_signature):
            raise InvalidSignature("msg_signature does not match")
        check_freshness(timestamp, self.max_age, self._clock)


class ReplayGuard:
    """Remembers the (timestamp, nonce) of signed requests for the freshness window.

    In 明文 mode the signature does not cover the body, so a captured timestamp/nonce/signature
    could carry another body and user. The same pair with the same body is WeChat's own retry
    (answered once by the channel's dedupe); with another body it is refused.
    """

    def __init__(self, max_age: Optional[float] = DEFAULT_MAX_AGE,
                 clock: Callable[[], float] = time.time, max_entries: int = 100_000) -> None:
        self.max_age = max_age or DEFAULT_MAX_AGE
        self._clock = clock
        self._max_entries = max_entries
        self._seen: "OrderedDict[Tuple[str, str], Tuple[float, str]]" = OrderedDict()

    def check(self, timestamp: Optional[str], nonce: Optional[str], body: bytes) -> None:
        now = self._clock()
        while self._seen and (now - next(iter(self._seen.values()))[0] > 2 * self.max_age
                              or len(self._seen) > self._max_entries):
            self._seen.popitem(last=False)
        key = (timestamp or "", nonce or "")
        digest = hashlib.sha256(body).hexdigest()
        seen = self._seen.get(key)
        if seen is not None and seen[1] != digest:
            raise ReplayedRequest("timestamp and nonce already used with another message")
        if seen is None:
            self._seen[key] = (now, digest)
