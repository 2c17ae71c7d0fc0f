"""The staff's confirmed wordings: validated against the guide's items, read by the loader as
aliases (so the search finds them at once), and put into the NLU data of the next training."""
from __future__ import annotations

import pytest
import yaml

from guide_kb import wordings
from guide_kb.current import CurrentGuide
from guide_kb.errors import GuideSchemaError
from guide_kb.loader import guide_path, load_guide, parse_guide
from guide_kb.rasa_data import lookup_yaml
from guide_kb.tokenize import userdict_text

ENTRY = wordings.Wording("卡片飞了", "card_loss_report", "ed", "2026-12-01")


@pytest.fixture
def wordings_file(tmp_path, monkeypatch):
    path = tmp_path / "staff_wordings.yml"
    monkeypatch.setenv("WORDINGS_PATH", str(path))
    return path


def test_the_repository_file_is_valid():
    assert wordings.DEFAULT_PATH.is_file()
    wordings.check(wordings.read(wordings.DEFAULT_PATH), (i.id for i in load_guide().items))


def test_a_wording_becomes_an_alias_and_is_searched_at_once(wordings_file):
    current = CurrentGuide()
    assert current.search.search("卡片飞了") == []
    before = current.guide
    wordings.append(ENTRY)
    assert wordings.read() == [ENTRY]
    assert current.guide is not before
    assert "卡片飞了" in current.guide.item("card_loss_report").aliases
    assert current.search.search("卡片飞了")[0].item.id == "card_loss_report"
    # the next training learns it: lookup table, synonym and jieba dictionary
    guide = load_guide()
    assert "      - 卡片飞了\n" in lookup_yaml(guide)
    assert "卡片飞了" in userdict_text(guide)


@pytest.mark.parametrize("wording, item, reason", [
    ("卡", "card_loss_report", "说法须为"),
    ("卡" * 31, "card_loss_report", "说法须为"),
    ("卡号 6222 0212", "card_loss_report", "个人号码"),
    ("[手机号已隐藏 尾号5678]", "card_loss_report", "个人号码"),
    ("卡片飞了", "no_such_item", "指南中没有事项"),
    ("卡片飞了", "card_loss_report", "已经记录过"),
])
def test_bad_wordings_are_refused(wording, item, reason):
    ids = [i.id for i in load_guide().items]
    assert reason in wordings.problem(wording, item, ids, [ENTRY])


def test_an_invalid_file_stops_the_loader_with_the_entry_named(wordings_file):
    wordings_file.write_text("wordings:\n  - {wording: 卡片飞了, item: card_lost, added_by: ed, "
                             "added_on: 2026-12-01}\n", encoding="utf-8")
    with pytest.raises(GuideSchemaError, match="card_lost"):
        load_guide()
    wordings_file.write_text("wordings:\n  - {wording: 卡片飞了}\n", encoding="utf-8")
    with pytest.raises(GuideSchemaError, match="wordings\\[0\\]"):
        load_guide()


def test_no_file_is_no_wordings(wordings_file):
    assert wordings.read() == []
    raw = yaml.safe_load(guide_path().read_text(encoding="utf-8"))
    assert load_guide().item("card_loss_report").aliases == parse_guide(raw).item(
        "card_loss_report").aliases


def test_a_guide_trusted_for_a_while_sees_the_wording_after_that(wordings_file, monkeypatch):
    import guide_kb.current as current_module

    clock = [100.0]
    monkeypatch.setattr(current_module.time, "monotonic", lambda: clock[0])
    current = CurrentGuide(recheck_seconds=1.0)
    before = current.guide
    wordings.append(ENTRY)
    assert current.guide is before  # within the second: not looked at again
    clock[0] += 1.0
    assert "卡片飞了" in current.guide.item("card_loss_report").aliases
