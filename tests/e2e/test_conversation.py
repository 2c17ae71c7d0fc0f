"""Rasa + the action server, over the REST channel, as a citizen would use them."""
import uuid

import pytest

pytestmark = pytest.mark.e2e


def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_a_question_and_a_follow_up(stack):
    user = sender()
    first = stack.ask(user, "社保卡补办")
    assert "社会保障卡补领、换领、换发" in first and "第十包" in first
    assert "身份证" in stack.ask(user, "需要带什么")


def test_claim_then_which_day(stack):
    user = sender()
    stack.ask(user, "工亡补助金怎么领")
    assert "1-15" in stack.ask(user, "哪天可以去")


def test_no_service_asks_back_and_takes_the_next_reply(stack):
    user = sender()
    assert "哪项业务" in stack.ask(user, "需要什么材料")
    assert "【失业登记】\n所需材料" in stack.ask(user, "失业登记")


def test_switch_to_transfer_in_and_county_route(stack):
    user = sender()
    assert "转入地" in stack.ask(user, "失业保险关系转出需要什么")
    assert "跨地区转移就业有关情况登记表" in stack.ask(user, "那转入呢")
    other = sender()
    stack.ask(other, "社保卡密码重置在哪办")
    assert "县就业局服务大厅" in stack.ask(other, "我是新宾县的呢")


def test_out_of_scope_points_to_12333_without_facts(stack):
    reply = stack.ask(sender(), "公积金怎么提取")
    assert "12333" in reply
    for fact in ("59号", "新华大街", "东十路", "裕城路"):
        assert fact not in reply


def test_greeting_and_handoff(stack):
    assert "您好" in stack.ask(sender(), "您好")
    assert "12333" in stack.ask(sender(), "转人工")
