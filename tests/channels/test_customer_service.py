"""The 客服消息 client against a stand-in for WeChat's API on 127.0.0.1."""

import pytest

from channels.wechat.api import DEFAULT_API_BASE, normalise_api_base
from channels.wechat.customer_service import CustomerServiceClient
from channels.wechat.errors import CustomerServiceError
from tests.channels.conftest import APPID, APPSECRET


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def client(api, clock=None, margin=300):
    return CustomerServiceClient(APPID, APPSECRET, api.url + "/", margin=margin,
                                 clock=clock or Clock(), timeout=5)


async def test_send_text_fetches_a_token_and_posts_the_message(wechat_api):
    await client(wechat_api).send_text("oUser1", "您好，答案在这里。")
    assert wechat_api.token_requests == [
        {"grant_type": "client_credential", "appid": APPID, "secret": APPSECRET}]
    assert wechat_api.send_tokens == ["ACCESS_TOKEN_1"]
    assert wechat_api.send_requests == [
        {"touser": "oUser1", "msgtype": "text", "text": {"content": "您好，答案在这里。"}}]
    assert "您好".encode("utf-8") in wechat_api.send_raw[0]  # UTF-8, not \\u escapes


async def test_token_is_cached_until_expiry_minus_margin(wechat_api):
    clock = Clock()
    cs = client(wechat_api, clock)
    await cs.send_text("o", "1")
    clock.now += 7200 - 300 - 1
    await cs.send_text("o", "2")
    assert len(wechat_api.token_requests) == 1
    clock.now += 2
    await cs.send_text("o", "3")
    assert len(wechat_api.token_requests) == 2
    assert wechat_api.send_tokens == ["ACCESS_TOKEN_1", "ACCESS_TOKEN_1", "ACCESS_TOKEN_2"]


async def test_short_lived_token_uses_half_its_life(wechat_api):
    wechat_api.token_reply = {"access_token": "x", "expires_in": 100}
    clock = Clock()
    cs = client(wechat_api, clock)
    await cs.send_text("o", "1")
    clock.now += 51
    await cs.send_text("o", "2")
    assert len(wechat_api.token_requests) == 2


@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
async def test_rejected_token_is_fetched_again_once(wechat_api, errcode):
    wechat_api.send_replies = [{"errcode": errcode, "errmsg": "invalid credential"}]
    await client(wechat_api).send_text("o", "hi")
    assert len(wechat_api.token_requests) == 2
    assert wechat_api.send_tokens == ["ACCESS_TOKEN_1", "ACCESS_TOKEN_2"]


async def test_second_token_rejection_is_an_error(wechat_api):
    wechat_api.send_replies = [{"errcode": 40001, "errmsg": "a"}, {"errcode": 40001, "errmsg": "b"}]
    with pytest.raises(CustomerServiceError) as error:
        await client(wechat_api).send_text("o", "hi")
    assert error.value.errcode == 40001


async def test_ip_whitelist_error_names_the_fix(wechat_api):
    wechat_api.token_reply = {"errcode": 40164, "errmsg": "invalid ip 1.2.3.4, not in whitelist"}
    with pytest.raises(CustomerServiceError) as error:
        await client(wechat_api).send_text("o", "hi")
    assert error.value.errcode == 40164
    assert "IP whitelist" in str(error.value)
    assert wechat_api.send_requests == []


async def test_send_error_is_raised(wechat_api):
    wechat_api.send_replies = [{"errcode": 45015, "errmsg": "response out of time limit"}]
    with pytest.raises(CustomerServiceError) as error:
        await client(wechat_api).send_text("o", "hi")
    assert error.value.errcode == 45015 and "48 hours" in str(error.value)


async def test_unreachable_api_is_an_error():
    cs = CustomerServiceClient(APPID, APPSECRET, "http://127.0.0.1:9", timeout=2)
    with pytest.raises(CustomerServiceError):
        await cs.send_text("o", "hi")


def test_api_base():
    assert normalise_api_base(None) == DEFAULT_API_BASE == "https://api.weixin.qq.com"
    assert normalise_api_base("") == DEFAULT_API_BASE
    assert normalise_api_base("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    with pytest.raises(ValueError):
        normalise_api_base("ftp://x")
    assert CustomerServiceClient(APPID, APPSECRET).api_base == DEFAULT_API_BASE


def test_credentials_are_required():
    with pytest.raises(ValueError):
        CustomerServiceClient(APPID, "")
