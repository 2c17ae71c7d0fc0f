import pytest

from channels.wechat.messages import parse_xml
from channels.wechat.replies import (
    MORE_FOOTER,
    NO_MORE_TEXT,
    NOT_READY_TEXT,
    ConversationStore,
    cdata,
    render_messages,
    split_reply,
    strip_markdown,
    text_reply_xml,
    utf8_len,
)


def test_texts_are_joined_by_blank_lines():
    rendered = render_messages([{"recipient_id": "o", "text": "第一段"},
                                {"recipient_id": "o", "text": "第二段\n第二行"}])
    assert rendered.text == "第一段\n\n第二段\n第二行"
    assert rendered.choices == {}


def test_buttons_are_numbered_lines():
    rendered = render_messages([
        {"text": "请选择要办理的事项："},
        {"text": "或者：", "buttons": [
            {"title": "申请材料", "payload": '/ask_materials{"service_id": "a"}'},
            {"title": "办理地点", "payload": "/ask_place"}]},
        {"buttons": [{"title": "**其他**", "payload": "/other"}]},
    ])
    lines = rendered.text.splitlines()
    assert "1. 回复「申请材料」" in lines
    assert "2. 回复「办理地点」" in lines
    assert "3. 回复「其他」" in lines  # numbering goes on across messages, markdown stripped
    assert rendered.choices["1"] == '/ask_materials{"service_id": "a"}'
    assert rendered.choices["办理地点"] == "/ask_place"
    assert rendered.choices["3"] == "/other"


def test_button_without_payload_sends_its_title():
    assert render_messages([{"buttons": [{"title": "是"}]}]).choices == {"1": "是", "是": "是"}


def test_images_and_empty_messages():
    rendered = render_messages([{"image": "https://x/y.png"}, {"text": ""}, {"custom": {"a": 1}}])
    assert rendered.text == "https://x/y.png"


@pytest.mark.parametrize("markdown,plain", [
    ("**办理地点**：社保大厦", "办理地点：社保大厦"),
    ("## 申请材料\n- 身份证\n- 户口簿", "申请材料\n· 身份证\n· 户口簿"),
    ("详见[网上大厅](http://fsrs.fushun.gov.cn/)", "详见网上大厅（http://fsrs.fushun.gov.cn/）"),
    ("`12333` 热线", "12333 热线"),
    ("> 注意\n第二行", "注意\n第二行"),
    ("a<br>b", "a\nb"),
    ("~~旧~~新", "旧新"),
    ("*强调*文字", "强调文字"),
    ("```\ncode\n```", "code"),
    ("1. 第一步\n2. 第二步", "1. 第一步\n2. 第二步"),
    ("a\n\n\n\nb", "a\n\nb"),
    ("service_id_name 不变", "service_id_name 不变"),
])
def test_strip_markdown(markdown, plain):
    assert strip_markdown(markdown) == plain


def test_short_text_is_one_part():
    assert split_reply("短回答") == ["短回答"]


def long_answer(lines=200):
    return "\n".join(f"{n}. 第{n}行：抚顺社保大厦2楼33、34号窗口办理。" for n in range(1, lines + 1))


def test_long_text_is_cut_on_line_boundaries():
    text = long_answer()
    parts = split_reply(text, 2000)
    assert len(parts) > 2
    for part in parts:
        assert utf8_len(part) <= 2000
    for part in parts[:-1]:
        assert part.endswith("\n\n" + MORE_FOOTER)
    assert not parts[-1].endswith(MORE_FOOTER)
    bodies = [p[:-len("\n\n" + MORE_FOOTER)] for p in parts[:-1]] + [parts[-1]]
    assert "\n".join(bodies) == text  # nothing lost, no line cut in two
    for body in bodies:
        assert all(line in text.splitlines() for line in body.splitlines())


def test_a_single_overlong_line_is_cut_between_characters():
    text = "很长" * 2000
    parts = split_reply(text, 2000)
    assert all(utf8_len(p) <= 2000 for p in parts)
    assert "".join(p.replace("\n\n" + MORE_FOOTER, "") for p in parts) == text


def test_exactly_at_the_limit_is_not_cut():
    text = "字" * 666 + "ab"  # 2000 bytes
    assert utf8_len(text) == 2000
    assert split_reply(text, 2000) == [text]


def test_cdata_escapes_its_terminator():
    fields = parse_xml(f"<xml><C>{cdata('a]]>b')}</C></xml>".encode())
    assert fields["C"] == "a]]>b"


def test_text_reply_xml():
    xml = text_reply_xml("oUser", "gh_acc", "你好\n<b>&", 1700000000)
    fields = parse_xml(xml.encode("utf-8"))
    assert fields == {"ToUserName": "oUser", "FromUserName": "gh_acc",
                      "CreateTime": "1700000000", "MsgType": "text", "Content": "你好\n<b>&"}


def test_text_reply_drops_characters_xml_cannot_carry():
    xml = text_reply_xml("o", "g", "a\x00b\x07c", 1)
    assert parse_xml(xml.encode())["Content"] == "abc"


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_store_hands_out_the_rest_part_by_part():
    store = ConversationStore()
    assert store.start("o1", ["p1", "p2", "p3"], {}) == "p1"
    assert store.next_part("o1") == "p2"
    assert store.next_part("o1") == "p3"
    assert store.next_part("o1") == NO_MORE_TEXT
    assert store.next_part("someone-else") == NO_MORE_TEXT


def test_store_is_per_user_and_new_answers_replace_old_ones():
    store = ConversationStore()
    store.start("o1", ["a1", "a2"], {})
    store.start("o2", ["b1", "b2"], {})
    store.start("o1", ["c1"], {})
    assert store.next_part("o1") == NO_MORE_TEXT
    assert store.next_part("o2") == "b2"


def test_store_waiting_and_late_delivery():
    store = ConversationStore()
    store.mark_waiting("o1")
    assert store.next_part("o1") == NOT_READY_TEXT
    store.deliver_late("o1", ["late1", "late2"], {"1": "/x"})
    assert store.next_part("o1") == "late1"
    assert store.choice("o1", "1") == "/x"


def test_late_answer_does_not_replace_a_newer_one():
    store = ConversationStore()
    store.mark_waiting("o1")
    store.start("o1", ["new1", "new2"], {})
    assert not store.deliver_late("o1", ["old"], {})
    assert store.next_part("o1") == "new2"


def test_store_expires():
    clock = Clock()
    store = ConversationStore(ttl=60, clock=clock)
    store.start("o1", ["p1", "p2"], {"1": "/a"})
    clock.now = 61
    assert store.next_part("o1") == NO_MORE_TEXT
    assert store.choice("o1", "1") is None


def test_store_is_bounded():
    store = ConversationStore(max_users=2)
    for user in ("a", "b", "c"):
        store.start(user, ["1", "2"], {})
    assert store.next_part("a") == NO_MORE_TEXT
    assert store.next_part("c") == "2"


def test_store_choices():
    store = ConversationStore()
    store.start("o1", ["x"], {"1": "/ask_place", "办理地点": "/ask_place"})
    assert store.choice("o1", " 1 ") == "/ask_place"
    assert store.choice("o1", "办理地点") == "/ask_place"
    assert store.choice("o1", "2") is None



# ---- answer first (the bot's structure in Rasa's custom payload) ------------------------------

def _bot_messages(text, intent, **tracker):
    """What the real action says, as Rasa's channel hands it over: each message's custom
    payload a message of its own after its text (CollectingOutputChannel.send_response)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answer import ActionAnswer
    from tests.actions.conftest import make_tracker

    async def run():
        dispatcher = CollectingDispatcher()
        await ActionAnswer().run(dispatcher, make_tracker(text, intent, **tracker), {})
        channel = CollectingOutputChannel()
        for message in dispatcher.messages:
            await channel.send_response("o", {k: v for k, v in message.items() if v})
        return channel.messages
    # in a thread of its own: a test run that has a loop going (Playwright's) cannot nest one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def _facts(text):
    """What the lines of an answer say, without layout: list numbers, 【】, headings (a line
    that is one, or the parts before a ： ), the choices and the 更多 line."""
    import re
    lines = set()
    for line in text.split("\n"):
        line = re.sub(r"^\d+\. ", "", line.strip()).strip("【】")
        if line and not line.startswith(("回复", "猜你想问")) and not line.endswith("："):
            lines.update(part.split("：")[-1] for part in line.split("；"))  # a short list: A；B
    return lines


@pytest.fixture
def bot_today(monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-11-27")


def test_one_answer_first_fits_one_screen_and_more_gives_the_rest(bot_today):
    from channels.wechat.replies import SCREEN_LINES, screen_lines
    messages = _bot_messages("申请创业带头人社保补贴要带什么", "ask_materials")
    assert "text" in messages[0] and sorted(messages[1]) == ["custom", "recipient_id"]
    rendered = render_messages(messages)
    first, *more = rendered.parts()
    assert first.startswith("【申请创业带头人社保补贴】\n所需材料：\n1. 《抚顺市创业带头人审批表》")
    assert screen_lines(first) <= SCREEN_LINES
    assert first.endswith("回复「更多」查看：所需材料（续）、办理地点")
    assert more and more[0].startswith("所需材料（续）：\n")
    # nothing lost, nothing added: the plain answer's lines are all there, once
    assert _facts("\n".join([first, *more])) == _facts(messages[0]["text"])


def test_the_lead_comes_first_with_guess_questions_as_choices(bot_today):
    messages = _bot_messages("一次性工亡补助金在哪领", "ask_place")
    rendered = render_messages(messages)
    first = rendered.parts()[0]
    assert first.split("\n")[:2] == ["【一次性工亡补助金】", "办理地点：抚顺社保大厦2楼59号窗口"]
    assert "猜你想问（回复序号）：\n1. 回复「丧葬补助金申领怎么办」" in first
    assert rendered.choices["1"] == '/ask_steps{"service_id": "item:funeral_grant"}'
    assert rendered.choices["丧葬补助金申领怎么办"] == rendered.choices["1"]


def test_every_answer_opens_in_one_screen(bot_today):
    from actions import knowledge
    from channels.wechat.replies import SCREEN_LINES, screen_lines
    for item in knowledge.guide().items:
        for intent in ("ask_steps", "ask_materials", "ask_place", "ask_hours"):
            messages = _bot_messages(item.name, intent, entities=[
                {"entity": "service_id", "value": f"item:{item.id}"}])
            rendered = render_messages(messages)
            parts = rendered.parts()
            assert screen_lines(parts[0]) <= SCREEN_LINES, (item.id, intent, parts[0])
            assert parts[0].startswith(f"【{item.name}】"), (item.id, intent)
            assert _facts(messages[0]["text"]) <= _facts("\n".join(parts)), (item.id, intent)


def test_several_services_show_each_title_and_who_it_serves_first(bot_today):
    messages = _bot_messages("失业金怎么领", "ask_steps")
    first, *more = render_messages(messages).parts()
    assert first.split("\n\n")[:3] == [
        "您的问题涉及以下2项业务，分别说明如下：",
        "【失业保险金申领】\n服务对象：办理此项业务的失业人员",
        "【失业保险失业金申领】\n服务对象：领取失业保险金的失业人员。"]
    assert first.endswith("回复「更多」查看：办理地点、所需材料、办理流程")
    assert more[0].startswith("【失业保险金申领】\n办理地点：")


def test_a_structure_without_its_text_or_a_malformed_one_is_not_shown():
    rendered = render_messages([{"custom": {"answer": {"title": "x", "lead": ["y"]}}},
                                {"text": "好的。"}, {"custom": {"answer": "not a mapping"}}])
    assert rendered.text == "好的。" and rendered.first == ""
