"""channels.rest.GuardedRestInput, its handler called directly: refusals are 4xx with the reason,
a slow turn is answered 系统繁忙 in time and still completes, a turn that could not be stored is
not answered as if all were well, and a flood gets 429 with Retry-After."""
import asyncio
import json

import pytest
from rasa.core.channels.channel import UserMessage

from channels.hotline import with_hotline
from channels.rest import BUSY, NOT_STORED, GuardedRestInput
from ops import storage_health


class _Request:
    """What GuardedRestInput.handle reads of a Sanic request."""

    def __init__(self, body: bytes) -> None:
        self.body, self.ip, self.headers = body, "127.0.0.1", {}


def _handle(channel: GuardedRestInput, body: bytes, on_new_message):
    return asyncio.run(channel.handle(_Request(body), on_new_message))


async def _answer(message: UserMessage) -> None:
    await message.output_channel.send_text_message(message.sender_id, "【社会保障卡挂失】")


@pytest.fixture(autouse=True)
def healthy(tmp_path, monkeypatch):
    monkeypatch.setenv("STORAGE_FAILURE_LOG", str(tmp_path / "failures.log"))
    storage_health.reset()
    yield
    storage_health.reset()


@pytest.mark.parametrize("body,status", [
    (b'{"sender":"x\\ud800","message":"hi"}', 400),
    (b'{"sender":"x","message":"hi\\udfff"}', 400),
    (b"[" * 5000 + b"]" * 5000, 400),
    (json.dumps({"sender": "big", "message": "社" * 300000}).encode(), 413),
], ids=["surrogate sender", "surrogate message", "deep nesting", "oversize"])
def test_requests_no_store_could_keep_are_refused_with_the_reason(body, status):
    response = _handle(GuardedRestInput(), body, _answer)
    assert response.status == status and json.loads(response.body)["error"]


def test_a_slow_turn_is_answered_busy_in_time_and_still_completes():
    finished = []

    async def slow(message: UserMessage) -> None:
        await asyncio.sleep(0.3)
        finished.append(message.text)

    async def run():
        channel = GuardedRestInput(turn_timeout=0.05)
        body = json.dumps({"sender": "slow", "message": "社保卡丢了"}).encode()
        response = await channel.handle(_Request(body), slow)
        assert json.loads(response.body)[0]["text"] == with_hotline(BUSY) and not finished
        await asyncio.sleep(0.5)  # shielded: the turn goes on and is stored
        assert finished == ["社保卡丢了"]

    asyncio.run(run())


def test_a_turn_that_was_not_stored_is_not_answered_as_if_all_were_well():
    async def unstored(message: UserMessage) -> None:
        storage_health.record_failure(message.sender_id, OSError("disk full"))
        await _answer(message)

    body = json.dumps({"sender": "u1", "message": "社保卡丢了"}).encode()
    response = _handle(GuardedRestInput(), body, unstored)
    assert response.status == 200
    assert [m["text"] for m in json.loads(response.body)] == [with_hotline(NOT_STORED)]
    assert "OSError" in storage_health.problem()  # what the health endpoint reports (503)


def test_a_flood_gets_429_with_retry_after():
    channel = GuardedRestInput(per_sender_per_minute=2)
    body = json.dumps({"sender": "flood", "message": "社保卡"}).encode()
    responses = [_handle(channel, body, _answer) for _ in range(3)]
    assert [r.status for r in responses] == [200, 200, 429]
    assert responses[-1].headers["retry-after"] == "60"
