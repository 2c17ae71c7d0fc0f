"""Keeping the knowledge current: the document's 文号, version and effective date in guide.yml,
each item's reviewed_on, and the answers' source line naming the document's version."""
from __future__ import annotations

import datetime

import pytest

from guide_kb import render
from guide_kb.errors import GuideSchemaError
from guide_kb.loader import load_guide, parse_guide
from web.staff.review import overdue


def test_the_document_has_its_number_version_and_effective_date():
    document = load_guide().document
    assert (document.number, document.version, document.effective_date) == (
        "抚人社办发〔2020〕33号", "试行", "2020-12-07")


def test_the_source_line_names_the_version():
    guide = load_guide()
    line = render.source_line(guide, guide.package_of(guide.item("card_loss_report")))
    assert line == ("来源：《抚顺市人社服务快办行动打包办服务指南（试行）》第十包「社保卡服务包」"
                    "（抚人社办发〔2020〕33号，试行，2020-12-07起施行）")


def _raw_with(reviewed_on):
    import yaml

    from guide_kb.loader import guide_path
    raw = yaml.safe_load(guide_path().read_text(encoding="utf-8"))
    raw["packages"][9]["items"][0]["reviewed_on"] = reviewed_on
    return raw


def test_reviewed_on_is_a_date():
    item = parse_guide(_raw_with(datetime.date(2026, 6, 1))).packages[9].items[0]
    assert item.reviewed_on == "2026-06-01"
    with pytest.raises(GuideSchemaError, match="reviewed_on"):
        parse_guide(_raw_with("last spring"))


def test_entries_past_the_review_interval_are_listed():
    guide = parse_guide(_raw_with(datetime.date(2026, 6, 1)))
    reviewed = guide.packages[9].items[0]
    late = overdue(guide, 365, today=datetime.date(2026, 12, 6))
    assert reviewed.id not in {o["item"] for o in late}
    assert len(late) == len(guide.items) - 1  # the rest count from the effective date
    assert late[0]["reviewed_on"] == "2020-12-07" and not late[0]["recorded"]
    assert overdue(guide, 365, today=datetime.date(2021, 12, 7)) == []
    assert [o["item"] for o in overdue(guide, 100, today=datetime.date(2026, 12, 6))
            if o["recorded"]] == [reviewed.id]
