"""Property-based fuzzing of the running bot (Hypothesis): random JSON shapes, Unicode (lone
surrogates, RTL, zero-width, emoji), sizes and XML at the REST channel and the WeChat endpoint.
No input may give a 5xx or stop a process, and the bot still answers afterwards."""
import hashlib
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops.local_stack import post

pytestmark = pytest.mark.e2e

WECHAT_TOKEN = "fuzz-token"  # the package's stack runs with it (tests/e2e/conftest.py)
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# every code point, lone surrogates included, plus the troublesome ones more often
ANY_CHAR = st.characters(blacklist_categories=())
TRICKY = st.sampled_from(["\u202e", "\u200b", "\ufeff", "\ud800", "\udfff", "😀", "👨‍👩‍👧",
                          "\x00", "社保卡", "\u0627\u0644", "１３９１２３４５６７８"])
TEXT = st.lists(st.one_of(ANY_CHAR, TRICKY), max_size=40).map("".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children,
                                                                      max_size=4),
    max_leaves=12)
REST_BODIES = st.one_of(
    st.builds(lambda s, m: {"sender": s, "message": m}, TEXT, TEXT),
    st.builds(lambda s, m: {"sender": s, "message": m}, JSON, JSON),
    JSON,
).map(lambda value: json.dumps(value, ensure_ascii=True).encode()) | st.binary(max_size=300) \
    | st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth)


@FUZZ
@given(body=REST_BODIES)
def test_the_rest_channel_never_fails_with_a_5xx(stack, body):
    status, _ = post(stack.url(), body)
    assert status < 500, body[:200]


def _signed(timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([WECHAT_TOKEN, timestamp, nonce])).encode()).hexdigest()


XML = st.one_of(
    TEXT.map(lambda text: (
        "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[fuzz]]>"
        "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>1</MsgId></xml>").encode(
            "utf-8", "surrogatepass")),
    st.binary(max_size=400),
    st.just(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml>&a;</xml>'),
)


@FUZZ
@given(body=XML, nonce=st.text(alphabet="abcdefghij0123456789", min_size=1, max_size=12),
       sign=st.booleans())
def test_the_wechat_endpoint_never_fails_with_a_5xx(stack, body, nonce, sign):
    timestamp = str(int(time.time()))
    signature = _signed(timestamp, nonce) if sign else "0" * 40
    url = (f"{stack.url().replace('/rest/', '/wechat/')}?signature={signature}"
           f"&timestamp={timestamp}&nonce={nonce}&openid=fuzz")
    status, _ = post(url, body)
    assert status < 500, body[:200]


def test_everything_still_answers_after_the_fuzzing(stack):
    assert all(process.poll() is None for process in stack.rasa)
    assert stack.actions.poll() is None
    assert "12333" in stack.ask("after-fuzz", "社保卡怎么挂失")
