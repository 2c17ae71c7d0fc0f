"""The WeChat channel masks 身份证号/手机号/银行卡号 before the text reaches the bot (and so the
tracker store), as the REST channel does, and reminds the user not to send them."""
from channels.hotline import with_hotline
from channels.privacy import REMINDER
from channels.wechat.channel import NO_ANSWER_TEXT
from tests.channels.conftest import FakeBot, message_xml
from tests.channels.test_channel import channel, reply_content

ID = "210402199001011234"
PHONE = "13812345678"
CARD = "6222021234567890"


async def test_personal_numbers_are_masked_before_the_bot(serve):
    bot = FakeBot(answer="社保卡补办需要身份证。")
    served = await serve(channel(), bot)
    status, body = await served.post(message_xml(
        "text", Content=f"身份证{ID}手机{PHONE}卡号{CARD}，社保卡补办"))
    assert status == 200
    (message,) = bot.messages
    assert message.text == ("身份证[身份证号已隐藏 尾号1234]手机[手机号已隐藏 尾号5678]"
                            "卡号[银行卡号已隐藏 尾号7890]，社保卡补办")
    for number in (ID, PHONE, CARD, ID[:-4], PHONE[:-4], CARD[:-4]):
        assert number not in message.text
    content = reply_content(body)
    assert content.startswith(REMINDER) and "社保卡补办需要身份证。" in content


async def test_voice_transcripts_are_masked_too(serve):
    bot = FakeBot(answer="好的")
    served = await serve(channel(), bot)
    await served.post(message_xml("voice", MediaId="m1", Format="amr",
                                  Recognition=f"我的手机号是{PHONE}"))
    assert bot.messages[0].text == "我的手机号是[手机号已隐藏 尾号5678]"


async def test_a_number_cut_by_the_length_limit_is_still_masked(serve):
    bot = FakeBot(answer="好的")
    served = await serve(channel(max_input_chars=12), bot)
    await served.post(message_xml("text", Content=f"身份证号是{ID}"))
    text = bot.messages[0].text
    assert text == "身份证号是[身份证号已隐藏 "[:12] and "2104" not in text


async def test_ordinary_numbers_pass_unchanged_without_a_reminder(serve):
    bot = FakeBot(answer="59号窗口。")
    served = await serve(channel(), bot)
    status, body = await served.post(message_xml(
        "text", Content="2020年12月7日的指南里59号窗口在哪，12333打不通"))
    assert bot.messages[0].text == "2020年12月7日的指南里59号窗口在哪，12333打不通"
    assert REMINDER not in reply_content(body)


async def test_masked_message_without_an_answer_still_gets_one(serve):
    bot = FakeBot(answer=[])
    served = await serve(channel(), bot)
    status, body = await served.post(message_xml("text", Content=f"{PHONE}"))
    content = reply_content(body)
    assert REMINDER in content and with_hotline(NO_ANSWER_TEXT) in content
