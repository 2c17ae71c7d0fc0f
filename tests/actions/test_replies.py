"""actions.replies: an answer's message carries its text and, in `custom`, the same answer as
structure with 猜你想问; the buttons never offer what the answer shows."""
import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge, replies
from actions.answer import ActionAnswer
from tests.actions.conftest import button_titles, make_tracker

GUIDE = knowledge.guide()
PAYLOAD = re.compile(r'^/(ask_\w+)\{"service_id": "item:(\w+)"\}$')


def _run(text, intent, **kwargs):
    dispatcher = CollectingDispatcher()
    # in a thread of its own: a test run that has a loop going (Playwright's) cannot nest one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, ActionAnswer().run(
            dispatcher, make_tracker(text, intent, **kwargs), domain={})).result()
    return dispatcher


def test_related_questions_are_the_parts_not_shown_and_the_next_sub_services():
    item = GUIDE.item("card_loss_report")
    package = GUIDE.package_of(item)
    related = replies.related(GUIDE, item, ["place", "hours"])
    assert [r["title"] for r in related] == [
        "社会保障卡挂失的所需材料", "社会保障卡挂失的办理流程",
        f"{package.items[package.items.index(item) + 1].name}怎么办"]
    everything = replies.related(GUIDE, item, ["materials", "place", "steps"])
    at = package.items.index(item)  # the ones after it, then round to the package's first
    after = list(package.items[at + 1:]) + list(package.items[:at])
    assert [r["title"] for r in everything] == [f"{i.name}怎么办" for i in after[:3]]
    assert everything[-1]["title"] == f"{package.items[0].name}怎么办"


@pytest.mark.parametrize("item", GUIDE.items, ids=lambda i: i.id)
def test_every_related_question_is_a_button_the_bot_answers_about_a_near_item(item):
    related = replies.related(GUIDE, item, ["materials"])
    assert 1 <= len(related) <= replies.MAX_RELATED
    package = GUIDE.package_of(item)
    packages = list(GUIDE.packages)
    next_package = packages[(packages.index(package) + 1) % len(packages)]
    for question in related:
        intent, item_id = PAYLOAD.match(question["payload"]).groups()
        assert GUIDE.has_item(item_id)
        near = GUIDE.item(item_id)
        assert near == item or near in package.items or near == next_package.items[0]
        assert near.name in question["title"]
    # at least one about another sub-service (the next), when there is one
    assert any(item.name not in q["title"] for q in related)


def test_an_answer_sends_its_structure_beside_the_text():
    dispatcher = _run("一次性工亡补助金在哪领", "ask_place")
    [message] = dispatcher.messages
    custom = message["custom"]
    json.dumps(custom)  # plain JSON for every channel
    answer = custom["answer"]
    assert message["text"].startswith(f"【{answer['title']}】\n")
    assert answer["title"] == "一次性工亡补助金" and answer["source"] in message["text"]
    assert answer["lead"] == ["办理地点：抚顺社保大厦2楼59号窗口"]  # the window first
    # where to go for one service brings what to take there (with the heading's note)
    assert [s["title"] for s in answer["sections"]] == ["办理时间", "办理流程", "所需材料", "说明"]
    # every part is shown: neither a button nor 猜你想问 offers one again
    assert button_titles(dispatcher) == []
    titles = [r["title"] for r in custom["related"]]
    assert titles == ["丧葬补助金申领怎么办", "供养遗属抚恤金申领怎么办", "工伤保险待遇发放账户维护申请怎么办"]


def test_a_question_back_or_a_refusal_is_text_only():
    for text, intent in (("需要什么材料", "ask_materials"), ("今天天气怎么样", "out_of_scope")):
        dispatcher = _run(text, intent)
        assert dispatcher.messages and not any(m.get("custom") for m in dispatcher.messages), text
