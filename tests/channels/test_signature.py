import pytest

from channels.wechat import signature
from channels.wechat.errors import InvalidSignature, StaleTimestamp
from channels.wechat.signature import (
    SignatureChecker,
    check_freshness,
    make_signature,
    signatures_match,
)

# Known vectors, computed by hand: sha1 of the sorted strings concatenated.
# sha1("1410685589" + "test" + "test")
VECTOR_1 = ("test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff")
# sha1("1409304348" + "testtoken" + "xxxxxx")
VECTOR_2 = ("testtoken", "1409304348", "xxxxxx", "30d7c91db269b3e0cb3e1a131646b6d1ae4750f5")


@pytest.mark.parametrize("token,timestamp,nonce,expected", [VECTOR_1, VECTOR_2])
def test_known_vectors(token, timestamp, nonce, expected):
    assert make_signature(token, timestamp, nonce) == expected


def test_signature_sorts_its_inputs():
    assert make_signature("b", "a", "c") == make_signature("c", "b", "a")


def test_msg_signature_includes_encrypt():
    assert make_signature("t", "1", "n", "ENC") != make_signature("t", "1", "n")
    assert make_signature("t", "1", "n", "ENC") == make_signature("ENC", "n", "1", "t")


def clock_at(now):
    return lambda: now


def test_checker_accepts_a_good_signature():
    token, timestamp, nonce, expected = VECTOR_2
    SignatureChecker(token, clock=clock_at(int(timestamp) + 10)).check(expected, timestamp, nonce)


def test_checker_accepts_upper_case_hex():
    token, timestamp, nonce, expected = VECTOR_2
    SignatureChecker(token, clock=clock_at(int(timestamp))).check(expected.upper(), timestamp,
                                                                  nonce)


@pytest.mark.parametrize("given", ["0" * 40, "", None, "签名", VECTOR_2[3][:-1]])
def test_checker_refuses_forged_or_missing_signatures(given):
    token, timestamp, nonce, _ = VECTOR_2
    with pytest.raises(InvalidSignature):
        SignatureChecker(token, clock=clock_at(int(timestamp))).check(given, timestamp, nonce)


def test_checker_refuses_a_signature_made_with_another_token():
    _, timestamp, nonce, _ = VECTOR_2
    forged = make_signature("othertoken", timestamp, nonce)
    with pytest.raises(InvalidSignature):
        SignatureChecker("testtoken", clock=clock_at(int(timestamp))).check(forged, timestamp,
                                                                            nonce)


def test_comparison_is_constant_time(monkeypatch):
    calls = []
    real = signature.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(signature.hmac, "compare_digest", spy)
    assert signatures_match(VECTOR_2[3], VECTOR_2[3])
    assert calls


@pytest.mark.parametrize("age,fresh", [(0, True), (299, True), (300, True), (301, False),
                                       (-300, True), (-301, False), (86400, False)])
def test_freshness_window(age, fresh):
    timestamp = "1700000000"
    now = clock_at(1700000000 + age)
    if fresh:
        check_freshness(timestamp, 300, now)
    else:
        with pytest.raises(StaleTimestamp):
            check_freshness(timestamp, 300, now)


@pytest.mark.parametrize("timestamp", [None, "", "abc", "-5", "1.5"])
def test_freshness_refuses_non_numbers(timestamp):
    with pytest.raises(StaleTimestamp):
        check_freshness(timestamp, 300, clock_at(0))


def test_freshness_can_be_turned_off():
    check_freshness("1", None, clock_at(1e12))


def test_checker_refuses_a_stale_but_correctly_signed_request():
    token, timestamp, nonce, expected = VECTOR_2
    checker = SignatureChecker(token, max_age=300, clock=clock_at(int(timestamp) + 301))
    with pytest.raises(StaleTimestamp):
        checker.check(expected, timestamp, nonce)


def test_check_message_verifies_msg_signature():
    checker = SignatureChecker("tok", clock=clock_at(100))
    good = make_signature("tok", "100", "n", "ENCRYPTED")
    checker.check_message(good, "100", "n", "ENCRYPTED")
    with pytest.raises(InvalidSignature):
        checker.check_message(good, "100", "n", "OTHER")


def test_empty_token_is_refused():
    with pytest.raises(ValueError):
        SignatureChecker("")


def test_a_replayed_nonce_with_another_body_is_refused():
    from channels.wechat.errors import ReplayedRequest
    from channels.wechat.signature import ReplayGuard

    now = [1_700_000_000.0]
    guard = ReplayGuard(300, clock=lambda: now[0])
    guard.check("1700000000", "nonce-1", b"<xml>question</xml>")
    guard.check("1700000000", "nonce-1", b"<xml>question</xml>")  # WeChat's own retry
    with pytest.raises(ReplayedRequest):
        guard.check("1700000000", "nonce-1", b"<xml>another user</xml>")
    guard.check("1700000000", "nonce-2", b"<xml>another user</xml>")
    now[0] += 3600  # long after the freshness window: forgotten, memory stays bounded
    guard.check("1700000001", "nonce-3", b"<xml>x</xml>")
    assert ("1700000000", "nonce-1") not in guard._seen
