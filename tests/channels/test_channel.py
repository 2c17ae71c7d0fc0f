"""The channel end to end: its blueprint in a real Sanic app on 127.0.0.1, a fake bot, and a
stand-in for WeChat's API on 127.0.0.1."""
import asyncio
import time
from pathlib import Path

import pytest
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.utils.common import class_from_module_path
from rasa.shared.utils.io import read_config_file
from wechatpy.crypto import WeChatCrypto

from channels.wechat import WeChatInput
from channels.wechat.channel import FAILURE_TEXT, LATE_TEXT, SUCCESS, read_credentials
from channels.wechat.messages import UNSUPPORTED_TEXT, parse_xml
from channels.wechat.replies import MORE_FOOTER, NO_MORE_TEXT, NOT_READY_TEXT, utf8_len
from guide_kb.loader import load_guide
from tests.channels.conftest import (
    ACCOUNT,
    AES_KEY,
    APPID,
    APPSECRET,
    OPENID,
    TOKEN,
    FakeBot,
    message_xml,
    sha1_sorted,
    signed_params,
)
from tests.channels.test_messages import BILLION_LAUGHS, EXTERNAL_DTD, EXTERNAL_ENTITY

CREDENTIALS = Path(__file__).resolve().parents[2] / "credentials.yml"
CLASS_PATH = "channels.wechat.WeChatInput"
WECHAT_ENV = ["WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_ENCODING_AES_KEY", "WECHAT_APPSECRET",
              "WECHAT_API_BASE"]


def channel(**kwargs):
    settings = dict(token=TOKEN, appid=APPID, encoding_aes_key=AES_KEY, reply_deadline=2.0)
    settings.update(kwargs)
    return WeChatInput(**settings)


def reply_content(body):
    fields = parse_xml(body.encode("utf-8"))
    assert fields["MsgType"] == "text"
    assert fields["ToUserName"] == OPENID and fields["FromUserName"] == ACCOUNT
    return fields["Content"]


# ---- credentials -----------------------------------------------------------------------------

@pytest.fixture
def no_wechat_env(monkeypatch):
    for name in WECHAT_ENV:
        monkeypatch.delenv(name, raising=False)


def test_credentials_file_loads_with_rasas_reader_without_wechat_env(no_wechat_env):
    credentials = read_config_file(str(CREDENTIALS))
    entry = credentials[CLASS_PATH]
    assert not entry  # no credentials in the file: they come from the environment only
    # what rasa.core.run._create_single_channel does with a class path
    instance = class_from_module_path(CLASS_PATH).from_credentials(entry)
    assert isinstance(instance, WeChatInput)
    assert not instance.enabled
    assert "WECHAT_TOKEN" in instance.disabled_reason


def test_credentials_file_with_wechat_env(monkeypatch):
    monkeypatch.setenv("WECHAT_TOKEN", TOKEN)
    monkeypatch.setenv("WECHAT_APPID", APPID)
    monkeypatch.setenv("WECHAT_ENCODING_AES_KEY", AES_KEY)
    monkeypatch.setenv("WECHAT_APPSECRET", APPSECRET)
    monkeypatch.setenv("WECHAT_API_BASE", "http://127.0.0.1:1")
    entry = read_config_file(str(CREDENTIALS))[CLASS_PATH]
    instance = WeChatInput.from_credentials(entry)
    assert instance.enabled and instance.crypto is not None
    assert instance.customer_service.api_base == "http://127.0.0.1:1"
    assert instance.name() == instance.url_prefix() == "wechat"


def test_read_credentials(no_wechat_env, monkeypatch):
    monkeypatch.setenv("WECHAT_TOKEN", "from-env")
    monkeypatch.setenv("WECHAT_APPID", "  ")
    settings = read_credentials({"token": "in-the-file", "reply_deadline": "3.5",
                                 "max_input_chars": "x"})
    assert settings["token"] == "from-env"  # the environment only: never the file
    assert settings["appid"] is None  # blank → missing
    assert settings["encoding_aes_key"] is None
    assert settings["reply_deadline"] == 3.5
    assert "max_input_chars" not in settings


def test_from_credentials_none_is_disabled(no_wechat_env):
    assert not WeChatInput.from_credentials(None).enabled


def test_a_bad_aes_key_disables_the_channel():
    instance = channel(encoding_aes_key="too-short")
    assert not instance.enabled and "43" in instance.disabled_reason


async def test_disabled_channel_answers_503(serve, no_wechat_env):
    bot = FakeBot()
    served = await serve(WeChatInput.from_credentials(None), bot)
    status, body = await served.post(message_xml("text", Content="你好"))
    assert status == 503 and "WECHAT_TOKEN" in body
    status, _ = await served.get(params={**signed_params(), "echostr": "e"})
    assert status == 503
    status, _ = await served.get("/webhooks/wechat/")
    assert status == 503
    assert bot.calls == 0


# ---- GET verification --------------------------------------------------------------------------

async def test_url_verification_echoes_echostr(serve):
    served = await serve(channel(), FakeBot())
    status, body = await served.get(params={**signed_params(), "echostr": "1234567890abc"})
    assert (status, body) == (200, "1234567890abc")
    status, _ = await served.get("/webhooks/wechat/")
    assert status == 200


async def test_url_verification_with_a_forged_signature(serve):
    served = await serve(channel(), FakeBot())
    params = {**signed_params(token="not-the-token"), "echostr": "x"}
    status, body = await served.get(params=params)
    assert status == 403 and "x" not in body.split(":")[0]


async def test_url_verification_without_echostr(serve):
    served = await serve(channel(), FakeBot())
    assert (await served.get(params=signed_params()))[0] == 400


# ---- refused requests ----------------------------------------------------------------------------

async def test_forged_signature_is_403_and_nothing_happens(serve):
    bot = FakeBot()
    instance = channel()
    served = await serve(instance, bot)
    status, _ = await served.post(message_xml("text", Content="你好"),
                                  params=signed_params(token="forged"))
    assert status == 403
    status, _ = await served.post(message_xml("text", Content="你好"), params={})
    assert status == 403
    assert bot.calls == 0 and len(instance.dedupe) == 0


async def test_stale_timestamp_is_403(serve):
    bot = FakeBot()
    instance = channel()
    served = await serve(instance, bot)
    stale = str(int(time.time()) - 301)
    status, body = await served.post(message_xml("text", Content="你好"),
                                     params=signed_params(timestamp=stale))
    assert status == 403 and "StaleTimestamp" in body
    assert bot.calls == 0 and len(instance.dedupe) == 0


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, "<xml><oops>",
                                  "plain text", "<xml><MsgType>text</MsgType></xml>", ""])
async def test_bad_xml_is_400_and_the_bot_is_not_called(serve, body):
    bot = FakeBot()
    instance = channel()
    served = await serve(instance, bot)
    status, _ = await served.post(body)
    assert status == 400
    assert bot.calls == 0 and len(instance.dedupe) == 0


async def test_oversize_body_is_413(serve):
    bot = FakeBot()
    instance = channel()
    served = await serve(instance, bot)
    body = message_xml("text", Content="字" * 30000)  # ~90 KB
    status, _ = await served.post(body)
    assert status == 413
    status, _ = await served.post(body, chunked=True)  # no Content-Length: counted while read
    assert status == 413
    assert bot.calls == 0 and len(instance.dedupe) == 0


# ---- messages -----------------------------------------------------------------------------------

async def test_text_goes_to_the_bot_and_the_answer_comes_back(serve):
    bot = FakeBot(answer=["退休审批需要以下材料：", "1. 退休（职）表"])
    served = await serve(channel(), bot)
    status, body = await served.post(message_xml("text", Content="退休审批要带什么材料"))
    assert status == 200
    assert reply_content(body) == "退休审批需要以下材料：\n\n1. 退休（职）表"
    (message,) = bot.messages
    assert message.text == "退休审批要带什么材料"
    assert message.sender_id == OPENID
    assert message.input_channel == "wechat"
    assert isinstance(message.output_channel, CollectingOutputChannel)


async def test_voice_recognition_goes_to_the_bot(serve):
    bot = FakeBot(answer="社保卡补办……")
    served = await serve(channel(), bot)
    status, body = await served.post(message_xml("voice", MediaId="m", Format="amr",
                                                 Recognition="社保卡丢了怎么办"))
    assert status == 200 and reply_content(body) == "社保卡补办……"
    assert bot.messages[0].text == "社保卡丢了怎么办"


@pytest.mark.parametrize("msg_type,fields", [
    ("image", {"PicUrl": "http://x/p.jpg", "MediaId": "m"}),
    ("location", {"Location_X": "41.8", "Location_Y": "123.9", "Scale": "15", "Label": "抚顺"}),
    ("link", {"Title": "t", "Description": "d", "Url": "http://x"}),
    ("video", {"MediaId": "m", "ThumbMediaId": "t"}),
    ("shortvideo", {"MediaId": "m", "ThumbMediaId": "t"}),
    ("file", {"Title": "a.pdf"}),
    ("somethingnew", {}),
])
async def test_other_types_get_a_polite_text(serve, msg_type, fields):
    bot = FakeBot()
    served = await serve(channel(), bot)
    status, body = await served.post(message_xml(msg_type, **fields))
    assert status == 200 and reply_content(body) == UNSUPPORTED_TEXT
    assert bot.calls == 0


async def test_subscribe_welcome_lists_the_packages_of_the_guide(serve):
    bot = FakeBot()
    served = await serve(channel(), bot)
    status, body = await served.post(message_xml("event", msg_id=None, Event="subscribe"))
    assert status == 200
    text = reply_content(body)
    for package in load_guide().packages:
        assert package.name in text
    assert bot.calls == 0


async def test_unsubscribe_is_success(serve):
    bot = FakeBot()
    served = await serve(channel(), bot)
    status, body = await served.post(message_xml("event", msg_id=None, Event="unsubscribe"))
    assert (status, body) == (200, SUCCESS)
    assert bot.calls == 0


async def test_long_input_is_cut_before_the_bot(serve):
    bot = FakeBot()
    served = await serve(channel(max_input_chars=500), bot)
    await served.post(message_xml("text", Content="问" * 800))
    assert bot.messages[0].text == "问" * 500


async def test_bot_failure_gets_an_apology(serve):
    served = await serve(channel(), FakeBot(error=RuntimeError("boom")))
    status, body = await served.post(message_xml("text", Content="你好"))
    assert status == 200 and reply_content(body) == FAILURE_TEXT


async def test_buttons_can_be_answered_by_number(serve):
    bot = FakeBot(answer={"text": "您要了解哪一项？", "buttons": [
        {"title": "申请材料", "payload": '/ask_materials{"service_id": "x"}'},
        {"title": "办理地点", "payload": "/ask_place"}]})
    served = await serve(channel(), bot)
    _, body = await served.post(message_xml("text", Content="退休", msg_id="1"))
    assert "1. 回复「申请材料」" in reply_content(body)
    await served.post(message_xml("text", Content="1", msg_id="2"))
    await served.post(message_xml("text", Content="办理地点", msg_id="3"))
    assert [m.text for m in bot.messages] == ["退休", '/ask_materials{"service_id": "x"}',
                                              "/ask_place"]


# ---- long answers and 更多 ------------------------------------------------------------------------

async def test_overlong_answer_is_split_and_more_returns_the_rest(serve):
    lines = [f"{n}. 第{n}行：抚顺社保大厦2楼33、34号窗口办理，即时办结。" for n in range(1, 150)]
    bot = FakeBot(answer="\n".join(lines))
    served = await serve(channel(), bot)
    _, body = await served.post(message_xml("text", Content="都有哪些窗口", msg_id="10"))
    parts = [reply_content(body)]
    msg_id = 11
    while parts[-1].endswith(MORE_FOOTER):
        _, body = await served.post(message_xml("text", Content="更多", msg_id=str(msg_id)))
        parts.append(reply_content(body))
        msg_id += 1
    assert len(parts) >= 3
    assert all(utf8_len(p) <= 2000 for p in parts)
    received = "\n".join(p.replace("\n\n" + MORE_FOOTER, "") for p in parts)
    assert received.splitlines() == lines
    _, body = await served.post(message_xml("text", Content="更多", msg_id=str(msg_id)))
    assert reply_content(body) == NO_MORE_TEXT
    assert bot.calls == 1  # 更多 never reaches the bot


# ---- retries ----------------------------------------------------------------------------------

async def test_retried_msgid_is_processed_once(serve):
    bot = FakeBot(answer="只处理一次", delay=0.15)
    served = await serve(channel(), bot)
    xml = message_xml("text", Content="你好", msg_id="777")
    results = await asyncio.gather(*[served.post(xml) for _ in range(3)])  # retries in flight
    results.append(await served.post(xml))  # and one after it finished
    assert bot.calls == 1
    assert [status for status, _ in results] == [200] * 4
    assert {reply_content(body) for _, body in results} == {"只处理一次"}


async def test_same_msgid_from_another_user_is_another_message(serve):
    bot = FakeBot()
    served = await serve(channel(), bot)
    await served.post(message_xml("text", Content="a", msg_id="5"))
    await served.post(message_xml("text", openid="oOther", Content="b", msg_id="5"))
    assert bot.calls == 2


# ---- slow bot --------------------------------------------------------------------------------------

async def test_slow_bot_answer_goes_through_the_customer_service_api(serve, wechat_api):
    bot = FakeBot(answer="慢慢的答案", delay=0.5)
    instance = channel(appsecret=APPSECRET, api_base=wechat_api.url, reply_deadline=0.2)
    served = await serve(instance, bot)
    xml = message_xml("text", Content="你好", msg_id="888")
    status, body = await served.post(xml)
    assert (status, body) == (200, SUCCESS)  # at the deadline, without the answer
    await asyncio.wait_for(wechat_api.sent.wait(), 5)
    assert wechat_api.token_requests == [
        {"grant_type": "client_credential", "appid": APPID, "secret": APPSECRET}]
    assert wechat_api.send_requests == [
        {"touser": OPENID, "msgtype": "text", "text": {"content": "慢慢的答案"}}]
    # WeChat's retry of the same MsgId is not processed again and not answered twice
    assert await served.post(xml) == (200, SUCCESS)
    assert bot.calls == 1 and len(wechat_api.send_requests) == 1


async def test_retry_during_a_slow_answer_waits_and_is_not_processed_again(serve, wechat_api):
    bot = FakeBot(answer="答案", delay=0.5)
    instance = channel(appsecret=APPSECRET, api_base=wechat_api.url, reply_deadline=0.2)
    served = await serve(instance, bot)
    xml = message_xml("text", Content="你好", msg_id="889")
    results = await asyncio.gather(served.post(xml), served.post(xml))
    assert results == [(200, SUCCESS), (200, SUCCESS)]
    await asyncio.wait_for(wechat_api.sent.wait(), 5)
    await asyncio.gather(*instance.background_tasks)
    assert bot.calls == 1 and len(wechat_api.send_requests) == 1


async def test_slow_bot_without_appsecret_hands_the_answer_to_more(serve):
    bot = FakeBot(answer="迟到的答案", delay=0.4)
    instance = channel(reply_deadline=0.2)  # no appsecret: no customer-service API
    served = await serve(instance, bot)
    _, body = await served.post(message_xml("text", Content="你好", msg_id="1"))
    assert reply_content(body) == LATE_TEXT
    _, body = await served.post(message_xml("text", Content="更多", msg_id="2"))
    assert reply_content(body) == NOT_READY_TEXT
    await asyncio.gather(*instance.background_tasks)
    _, body = await served.post(message_xml("text", Content="更多", msg_id="3"))
    assert reply_content(body) == "迟到的答案"
    assert bot.calls == 1


async def test_customer_service_failure_is_logged_not_raised(serve, wechat_api, caplog):
    wechat_api.token_reply = {"errcode": 40164, "errmsg": "invalid ip"}
    bot = FakeBot(answer="答案", delay=0.3)
    instance = channel(appsecret=APPSECRET, api_base=wechat_api.url, reply_deadline=0.1)
    served = await serve(instance, bot)
    assert await served.post(message_xml("text", Content="你好")) == (200, SUCCESS)
    await asyncio.gather(*instance.background_tasks)
    assert "40164" in caplog.text and "IP whitelist" in caplog.text


# ---- 兼容 and 安全 modes ------------------------------------------------------------------------------

def encrypted_request(plain_xml, compatible=False, token=TOKEN):
    timestamp, nonce = str(int(time.time())), "encnonce"
    peer = WeChatCrypto(token, AES_KEY, APPID)
    envelope = parse_xml(peer.encrypt_message(plain_xml, nonce, timestamp).encode("utf-8"))
    encrypt = envelope["Encrypt"]
    body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>" \
           f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    if compatible:  # 兼容模式: the plaintext fields travel next to Encrypt
        body = plain_xml.replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
    params = {"signature": sha1_sorted(token, timestamp, nonce), "timestamp": timestamp,
              "nonce": nonce, "openid": OPENID, "encrypt_type": "aes",
              "msg_signature": sha1_sorted(token, timestamp, nonce, encrypt)}
    return body, params


def decrypt_reply(body, params):
    envelope = parse_xml(body.encode("utf-8"))
    assert envelope["Nonce"] == params["nonce"]
    plain = WeChatCrypto(TOKEN, AES_KEY, APPID).decrypt_message(
        body, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    return reply_content(plain)


@pytest.mark.parametrize("compatible", [False, True], ids=["安全", "兼容"])
async def test_encrypted_modes(serve, compatible):
    bot = FakeBot(answer="加密的答案")
    served = await serve(channel(), bot)
    body, params = encrypted_request(message_xml("text", Content="加密的问题"), compatible)
    status, reply = await served.post(body, params=params)
    assert status == 200
    assert "加密的答案" not in reply
    assert decrypt_reply(reply, params) == "加密的答案"
    assert bot.messages[0].text == "加密的问题"


async def test_encrypted_mode_with_a_forged_msg_signature(serve):
    bot = FakeBot()
    served = await serve(channel(), bot)
    body, params = encrypted_request(message_xml("text", Content="x"))
    params["msg_signature"] = "0" * 40
    assert (await served.post(body, params=params))[0] == 403
    assert bot.calls == 0


async def test_encrypted_xml_bomb_inside_the_ciphertext(serve):
    bot = FakeBot()
    served = await serve(channel(), bot)
    body, params = encrypted_request(BILLION_LAUGHS)
    assert (await served.post(body, params=params))[0] == 400
    assert bot.calls == 0


async def test_encrypted_request_without_a_key_is_503(serve):
    bot = FakeBot()
    served = await serve(channel(encoding_aes_key=None), bot)
    body, params = encrypted_request(message_xml("text", Content="x"))
    status, text = await served.post(body, params=params)
    assert status == 503 and "WECHAT_ENCODING_AES_KEY" in text
    assert bot.calls == 0


async def test_plain_mode_still_works_when_a_key_is_configured(serve):
    served = await serve(channel(), FakeBot(answer="明文答案"))
    _, body = await served.post(message_xml("text", Content="x"))
    assert reply_content(body) == "明文答案"


async def test_a_captured_signature_replayed_with_another_body_is_refused(serve):
    """明文 mode signs only timestamp and nonce: reusing them with another user's body is a
    replay (403); WeChat's own retry of the same body is still answered."""
    bot = FakeBot(answer="好的")
    served = await serve(channel(), bot)
    params = signed_params()
    first = message_xml("text", msg_id="9001", Content="社保卡补办")
    assert (await served.post(first, params=params))[0] == 200
    assert (await served.post(first, params=params))[0] == 200  # a retry: same body
    forged = message_xml("text", openid="attacker", msg_id="9002", Content="别人的问题")
    status, _ = await served.post(forged, params=params)
    assert status == 403
    assert [m.text for m in bot.messages] == ["社保卡补办"]
