"""Keyword rules: exact and contains matching, and which rule wins."""
import pytest

from channels.wechat.keywords import CONTAINS, EXACT, KeywordRule, find_reply, normalise
from channels.wechat.menu_file import load_menu

RULES = [KeywordRule(CONTAINS, ("转人工", "人工客服"), "handoff"),
         KeywordRule(EXACT, ("人工", "电话", "12333"), "handoff"),
         KeywordRule(EXACT, ("地址",), "address"),
         KeywordRule(CONTAINS, ("地址",), "address_anywhere")]


@pytest.mark.parametrize("text,reply", [
    ("人工", "handoff"),
    (" 人工？ ", "handoff"),  # spaces and punctuation at the edges do not count
    ("电话。", "handoff"),
    ("12333", "handoff"),
    ("我要转人工", "handoff"),
    ("请帮我接人工客服谢谢", "handoff"),
    ("人工费用", None),  # exact: the whole message only
    ("地址", "address"),  # exact rules before contains rules, whatever the file's order
    ("失业金办理地址", "address_anywhere"),
    ("失业金怎么领", None),
    ("", None),
])
def test_rules(text, reply):
    assert find_reply(RULES, text) == reply


def test_normalise_folds_case_and_edges():
    assert normalise("  Hello!! ") == "hello"
    assert KeywordRule(EXACT, ("hello",), "x").matches("HELLO。")


@pytest.mark.parametrize("text,key", [
    ("人工", "handoff"), ("电话", "handoff"), ("客服", "handoff"), ("12333", "handoff"),
    ("我要转人工", "handoff"), ("有人工服务吗", "handoff"),
    ("地址", "address"), ("办事地址", "address"),
    ("失业金办理地址在哪", None), ("社保卡挂失电话是多少", None), ("你好", None),
])
def test_shipped_rules(text, key):
    answer = load_menu().keyword_answer(text)
    assert (answer.key if answer else None) == key
