"""Menu clicks, keyword replies and the welcome through the channel: a real Sanic app on
127.0.0.1, the FakeBot for the bot, Rasa's own processor writing fixed replies' turns."""
import asyncio
import logging
import re

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from channels.privacy import REMINDER
from channels.wechat import WeChatInput, menu_file
from channels.wechat.channel import SUCCESS
from channels.wechat.menu_file import load_menu
from channels.wechat.messages import MENU_GONE_TEXT
from channels.wechat.replies import MORE_FOOTER, NO_MORE_TEXT
from channels.wechat.turns import FixedTurn, record_turn
from tests.channels.conftest import AES_KEY, APPID, OPENID, TOKEN, FakeBot, message_xml
from tests.channels.test_channel import reply_content
from tests.channels.test_menu_file import SHIPPED_KEYS

MENU = load_menu()


def channel(**kwargs):
    return WeChatInput(token=TOKEN, appid=APPID, encoding_aes_key=AES_KEY, reply_deadline=2.0,
                       **kwargs)


def click(key, create_time=None):
    xml = message_xml("event", msg_id=None, Event="CLICK", EventKey=key)
    if create_time:
        xml = re.sub(r"<CreateTime>\d+</CreateTime>", f"<CreateTime>{create_time}</CreateTime>",
                     xml)
    return xml


async def recorded(served, instance):
    """The user and bot events of the tracker, once the channel's records are written."""
    await asyncio.gather(*instance.background_tasks)
    return [e for e in await served.agent.events()
            if isinstance(e, (UserUttered, BotUttered))]


# ---- clicks --------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", SHIPPED_KEYS)
async def test_every_click_key_of_the_shipped_menu_is_answered(serve, key):
    answer = MENU.answer(key)
    bot = FakeBot(answer="机器人的答案")
    instance = channel()
    served = await serve(instance, bot)
    status, body = await served.post(click(key))
    assert status == 200
    if answer.payload:  # asked like a typed message: the chat's own answer
        assert reply_content(body) == "机器人的答案"
        (message,) = bot.messages
        assert message.text == answer.payload
        assert (message.sender_id, message.input_channel) == (OPENID, "wechat")
        assert await recorded(served, instance) == []  # Rasa records it, not the channel
    else:  # a fixed text, recorded as a turn
        assert reply_content(body) == answer.text
        assert bot.calls == 0
        user, bot_said = await recorded(served, instance)
        assert (user.text, user.intent_name, user.input_channel) == (
            f"/{answer.intent}", answer.intent, "wechat")
        assert bot_said.text == answer.text and bot_said.metadata["fixed_reply"] == key


async def test_package_and_item_clicks_send_payloads_the_bot_understands(serve):
    bot = FakeBot()
    served = await serve(channel(), bot)
    await served.post(click("package:graduate"))
    await served.post(click("item:card_loss_report"))
    assert [m.text for m in bot.messages] == [
        '/ask_overview{"service_id": "package:graduate"}',
        '/ask_steps{"service_id": "item:card_loss_report"}']


async def test_a_long_click_answer_is_split_like_a_chat_answer(serve):
    lines = [f"{n}. 第{n}行：抚顺社保大厦2楼33、34号窗口办理，即时办结。" for n in range(1, 40)]
    bot = FakeBot(answer="\n".join(lines))
    served = await serve(channel(), bot)
    _, body = await served.post(click("package:unemployment"))
    assert reply_content(body).endswith(MORE_FOOTER)
    _, body = await served.post(message_xml("text", Content="更多", msg_id="2"))
    assert reply_content(body).splitlines()[-1] == lines[-1]
    _, body = await served.post(message_xml("text", Content="更多", msg_id="3"))
    assert reply_content(body) == NO_MORE_TEXT
    assert bot.calls == 1


async def test_the_choices_of_a_click_answer_can_be_picked_by_number(serve):
    bot = FakeBot(answer={"text": "我可以解答……", "buttons": [
        {"title": "机关事业单位服务包",
         "payload": '/ask_overview{"service_id": "package:public_institution"}'}]})
    served = await serve(channel(), bot)
    _, body = await served.post(click("packages"))
    assert "1. 回复「机关事业单位服务包」" in reply_content(body)
    await served.post(message_xml("text", Content="1", msg_id="2"))
    assert [m.text for m in bot.messages] == [
        "/ask_capabilities", '/ask_overview{"service_id": "package:public_institution"}']


async def test_two_clicks_in_the_same_second_are_both_answered(serve):
    bot = FakeBot()
    served = await serve(channel(), bot)
    await served.post(click("item:card_application", create_time=1700000000))
    await served.post(click("item:card_loss_report", create_time=1700000000))
    assert bot.calls == 2


async def test_a_click_key_the_file_does_not_define(serve, caplog):
    bot = FakeBot()
    served = await serve(channel(), bot)
    with caplog.at_level(logging.WARNING):
        status, body = await served.post(click("V1001_TODAY_MUSIC"))
    assert status == 200 and reply_content(body) == MENU_GONE_TEXT
    assert bot.calls == 0
    assert "V1001_TODAY_MUSIC" in caplog.text and "make wechat-menu" in caplog.text


async def test_view_is_logged_and_answered_success(serve, caplog):
    bot = FakeBot()
    served = await serve(channel(), bot)
    with caplog.at_level(logging.INFO, logger="channels.wechat.messages"):
        result = await served.post(message_xml("event", msg_id=None, Event="VIEW",
                                               EventKey="http://fsrs.fushun.gov.cn/"))
    assert result == (200, SUCCESS)
    assert bot.calls == 0
    assert "menu link opened: http://fsrs.fushun.gov.cn/" in caplog.text


# ---- keywords ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["人工", "电话", "12333", "我要转人工", "有人工服务吗"])
async def test_handoff_keywords_ask_the_bot_with_the_handoff_payload(serve, text):
    bot = FakeBot(answer="如需人工服务，请拨打人力资源和社会保障服务热线12333。")
    served = await serve(channel(), bot)
    _, body = await served.post(message_xml("text", Content=text))
    assert "12333" in reply_content(body)
    assert [m.text for m in bot.messages] == ["/human_handoff"]


async def test_an_exact_keyword_with_a_fixed_text_is_answered_and_recorded(serve):
    bot = FakeBot()
    instance = channel()
    served = await serve(instance, bot)
    _, body = await served.post(message_xml("text", Content="地址"))
    assert reply_content(body) == MENU.answer("address").text
    assert bot.calls == 0
    user, bot_said = await recorded(served, instance)
    assert (user.text, user.intent_name, user.input_channel) == ("地址", "ask_place", "wechat")
    assert user.intent["confidence"] == 1.0
    assert bot_said.text == MENU.answer("address").text


@pytest.mark.parametrize("text", ["失业金办理地址", "社保卡挂失电话是多少", "人工费用怎么算"])
async def test_a_question_that_only_contains_an_exact_word_goes_to_the_bot(serve, text):
    bot = FakeBot()
    served = await serve(channel(), bot)
    await served.post(message_xml("text", Content=text))
    assert [m.text for m in bot.messages] == [text]


async def test_a_keyword_message_with_a_personal_number_goes_the_bots_masked_way(serve):
    bot = FakeBot(answer="好的")
    served = await serve(channel(), bot)
    _, body = await served.post(message_xml("text", Content="转人工 13912345678"))
    assert reply_content(body).startswith(REMINDER)
    assert "13912345678" not in bot.messages[0].text and "尾号5678" in bot.messages[0].text


async def test_a_fixed_reply_turn_keeps_the_conversation_and_starts_a_session(serve):
    bot = FakeBot()
    instance = channel()
    served = await serve(instance, bot)
    await served.post(message_xml("text", Content="地址", msg_id="1"))
    await served.post(message_xml("text", Content="办事地址", msg_id="2"))
    await asyncio.gather(*instance.background_tasks)
    events = await served.agent.events()
    assert isinstance(events[0], ActionExecuted) and events[0].action_name == \
        "action_session_start"
    assert [e.text for e in events if isinstance(e, UserUttered)] == ["地址", "办事地址"]
    assert isinstance(events[-1], ActionExecuted) and events[-1].action_name == "action_listen"


# ---- welcome -------------------------------------------------------------------------------------

async def test_subscribe_gets_the_files_welcome_recorded_as_a_greeting(serve):
    bot = FakeBot()
    instance = channel()
    served = await serve(instance, bot)
    status, body = await served.post(message_xml("event", msg_id=None, Event="subscribe"))
    assert status == 200
    assert reply_content(body) == MENU.welcome.text
    assert bot.calls == 0
    user, bot_said = await recorded(served, instance)
    assert (user.text, user.intent_name, user.input_channel) == ("/greet", "greet", "wechat")
    assert bot_said.text == MENU.welcome.text


async def test_a_failing_tracker_store_does_not_stop_the_reply(serve, caplog):
    bot = FakeBot()
    instance = channel()
    served = await serve(instance, bot)

    async def broken(tracker):
        raise RuntimeError("database is down")

    served.agent.processor.save_tracker = broken
    _, body = await served.post(message_xml("text", Content="地址"))
    assert reply_content(body) == MENU.answer("address").text
    await asyncio.gather(*instance.background_tasks)
    assert "could not be recorded" in caplog.text


async def test_rasas_agent_without_a_model_is_not_written_to(caplog):
    """The FakeAgent stands in for these attributes of Rasa's Agent."""
    agent = Agent()
    assert not agent.is_ready() and agent.processor is None and agent.lock_store is not None
    await record_turn(agent, OPENID, FixedTurn("/greet", "greet", "welcome"), "您好", "wechat")
    assert "no model is loaded" in caplog.text


async def test_without_a_loaded_model_the_reply_is_still_sent(serve, caplog):
    instance = channel()
    served = await serve(instance, FakeBot())
    served.agent.is_ready = lambda: False
    _, body = await served.post(message_xml("event", msg_id=None, Event="subscribe"))
    assert reply_content(body) == MENU.welcome.text
    await asyncio.gather(*instance.background_tasks)
    assert "no model is loaded" in caplog.text
    assert await served.agent.events() == []


# ---- a malformed file ----------------------------------------------------------------------------

async def test_a_malformed_menu_file_disables_the_channel_naming_entry_and_rule(
        serve, monkeypatch, tmp_path):
    broken = tmp_path / "menu.yml"
    broken.write_text(menu_file.DEFAULT_PATH.read_text(encoding="utf-8").replace(
        "name: 办事指南", "name: 人社局办事指南"), encoding="utf-8")
    monkeypatch.setattr(menu_file, "DEFAULT_PATH", broken)
    instance = channel()
    assert not instance.enabled
    assert "button[0].name: '人社局办事指南' is 21 bytes in UTF-8" in instance.disabled_reason
    bot = FakeBot()
    served = await serve(instance, bot)
    status, text = await served.post(click("packages"))
    assert status == 503 and "button[0].name" in text
    assert bot.calls == 0
