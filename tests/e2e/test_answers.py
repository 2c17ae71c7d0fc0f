"""Issue 12 with the real bot (Rasa + the action server): an answer's plain text for every REST
client with its structure beside it (Rasa's custom payload), 猜你想问 that the bot answers, and
WeChat's answer first in one phone screen with 更多 for the rest."""
import hashlib
import json
import time
import urllib.request
import uuid
import xml.etree.ElementTree as ET

import pytest

from channels.wechat.replies import SCREEN_LINES, screen_lines
from ops.local_stack import post
from tests.e2e.test_fuzz import WECHAT_TOKEN

pytestmark = pytest.mark.e2e


def _sender() -> str:
    return f"answers-{uuid.uuid4().hex[:8]}"


def _rest(stack, sender, message):
    status, body = post(stack.url(), json.dumps({"sender": sender, "message": message}).encode())
    assert status == 200, body
    return body


def test_an_answer_is_text_then_its_structure_and_related_questions_are_answered(stack):
    user = _sender()
    text, structured = _rest(stack, user, "一次性工亡补助金在哪领")
    assert text["text"].startswith("【一次性工亡补助金】\n办理地点：\n抚顺社保大厦2楼59号窗口")
    assert "buttons" not in text  # 办理地点, 办理流程 and, for one service, 所需材料 are shown
    assert set(structured) == {"recipient_id", "custom"}
    answer, related = structured["custom"]["answer"], structured["custom"]["related"]
    assert answer["title"] == "一次性工亡补助金"
    assert answer["lead"] == ["办理地点：抚顺社保大厦2楼59号窗口"]
    assert [s["title"] for s in answer["sections"]] == ["办理时间", "办理流程", "所需材料", "说明"]
    assert answer["source"] == text["text"].split("\n")[-1]
    assert [r["title"] for r in related] == [
        "丧葬补助金申领怎么办", "供养遗属抚恤金申领怎么办", "工伤保险待遇发放账户维护申请怎么办"]

    # each 猜你想问 is answered by the bot as the sub-service it names
    for question, title in zip(related, ("丧葬补助金申领", "供养遗属抚恤金申领", "工伤保险待遇发放账户维护申请"),
                               strict=True):
        reply = _rest(stack, user, question["payload"])
        assert reply[0]["text"].startswith(f"【{title}】"), reply
        assert reply[1]["custom"]["answer"]["title"] == title
    asked = '/ask_materials{"service_id": "item:one_time_death_grant"}'
    materials = _rest(stack, user, asked)[1]["custom"]["answer"]
    assert materials["lead"][0].startswith("所需材料：")  # short: the answer itself, first


def test_the_guide_url_and_the_hotline_are_links_of_the_structure(stack):
    body = _rest(stack, _sender(), "网上经办大厅网址是啥")
    links = body[1]["custom"]["answer"]["links"]
    assert links == [{"title": "http://fsrs.fushun.gov.cn/", "href": "http://fsrs.fushun.gov.cn/"}]
    refusal = _rest(stack, _sender(), "公积金怎么提取")
    assert len(refusal) == 1 and "12333" in refusal[0]["text"] and "custom" not in refusal[0]


def _wechat(stack, openid, content, msg_id):
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signature = hashlib.sha1("".join(sorted([WECHAT_TOKEN, timestamp, nonce])).encode()).hexdigest()
    url = (f"{stack.url().replace('/rest/', '/wechat/')}?signature={signature}"
           f"&timestamp={timestamp}&nonce={nonce}&openid={openid}")
    body = ("<xml><ToUserName><![CDATA[gh_1]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>").encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "text/xml"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return ET.fromstring(response.read()).findtext("Content")


def test_wechat_gets_the_answer_first_in_one_screen_and_more_gives_the_rest(stack):
    openid = f"o{uuid.uuid4().hex[:12]}"
    first = _wechat(stack, openid, "申请创业带头人社保补贴要带什么", 1)
    assert first.startswith("【申请创业带头人社保补贴】\n所需材料：\n1. 《抚顺市创业带头人审批表》")
    assert screen_lines(first) <= SCREEN_LINES
    assert first.endswith("回复「更多」查看：所需材料（续）、办理地点")
    rest = _wechat(stack, openid, "更多", 2)
    assert rest.startswith("所需材料（续）：")
    assert "各县区就业服务窗口" in rest and "第三包「创业服务包」" in rest

    # a 猜你想问 answered by its number
    answer = _wechat(stack, openid, "一次性工亡补助金在哪领", 3)
    assert answer.split("\n")[:2] == ["【一次性工亡补助金】", "办理地点：抚顺社保大厦2楼59号窗口"]
    assert "猜你想问（回复序号）：" in answer and screen_lines(answer) <= SCREEN_LINES
    assert _wechat(stack, openid, "1", 4).startswith("【丧葬补助金申领】")
