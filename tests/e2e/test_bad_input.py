"""Bad input on the REST channel: a 4xx or a polite reply, never a 5xx; the bot keeps answering."""
import json

import pytest

from ops.local_stack import post

pytestmark = pytest.mark.e2e

BAD_BODIES = {
    "empty": json.dumps({"sender": "bad-1", "message": ""}).encode(),
    "whitespace": json.dumps({"sender": "bad-2", "message": "   \n\t "}).encode(),
    "20000 chars": json.dumps({"sender": "bad-3", "message": "社保卡" * 6667}).encode(),
    "control chars": json.dumps({"sender": "bad-4", "message": "社保卡\x00\x07挂失\x1b"}).encode(),
    "emoji only": json.dumps({"sender": "bad-5", "message": "😀😀😀🙏"}).encode(),
    "invalid json": b"{sender: ",
    "not an object": b"[1, 2, 3]",
    "message not a string": json.dumps({"sender": "bad-6", "message": 42}).encode(),
    "sender not a string": json.dumps({"sender": {"a": 1}, "message": "hi"}).encode(),
    "sender of 10000 chars": json.dumps({"sender": "x" * 10000, "message": "hi"}).encode(),
    "no body": b"",
    # a lone surrogate is valid JSON but no database can store it: once stopped the server
    "surrogate in sender": b'{"sender":"x\\ud800","message":"hi"}',
    "surrogate in message": b'{"sender":"bad-7","message":"hi\\udfff"}',
    "deeply nested": b"[" * 100000 + b"]" * 100000,
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_bad_input_never_5xx(stack, name):
    status, body = post(stack.url(), BAD_BODIES[name])
    assert status < 500, (name, status, body)
    if status == 200:
        # text for every client; an answer's structure follows its text (the custom payload)
        assert isinstance(body, list) and body and body[0].get("text"), body
        assert all(m.get("text") or m.get("custom", {}).get("answer") for m in body), body
    else:
        assert 400 <= status < 500 and "error" in body, body


def test_the_bot_still_answers_after_bad_input(stack):
    for body in BAD_BODIES.values():
        post(stack.url(), body)
    assert "12333" in stack.ask("after-bad", "社保卡怎么挂失")


def test_a_request_that_once_stopped_the_server_is_refused_and_the_server_lives(stack):
    for _ in range(3):
        status, body = post(stack.url(), b'{"sender":"x\\ud800","message":"hi"}')
        assert status == 400 and "sender" in body["error"]
    assert all(process.poll() is None for process in stack.rasa)
    assert "12333" in stack.ask("after-surrogate", "社保卡怎么挂失")


def test_an_oversized_body_is_413(stack):
    status, body = post(stack.url(), json.dumps({"sender": "big", "message": "社" * 300000}).encode())
    assert status == 413 and "error" in body


def test_long_message_is_cut_and_answered(stack):
    reply = stack.ask("long-1", "社保卡怎么挂失" + "。" * 20000)
    assert "挂失" in reply


def test_personal_numbers_are_masked_with_a_reminder(stack):
    reply = stack.ask("pii-1", "我身份证210402199001011234 社保卡丢了怎么办")
    assert "个人信息" in reply
