"""guide_kb.answer: the plain text and the structure are the same answer, the structure answer
first, and nothing in it that the text does not say."""
import datetime
import re
from collections import Counter

import pytest

from guide_kb import render
from guide_kb.answer import LEAD_MAX_CHARS, Answer, Block
from guide_kb.loader import load_guide

GUIDE = load_guide()
DAY = datetime.date(2020, 12, 16)  # outside 每月1-15号


def _characters(lines):
    """The characters the lines say, without the layout (titles' 【】, list numbers, the ：
    after a heading, the ； joining a short list)."""
    text = "".join(re.sub(r"^\d+\. ", "", line) for line in lines)
    return Counter(c for c in text if c not in "【】：；")


def _structure_lines(structure):
    lines = [structure["title"], *structure["lead"]]
    for section in structure["sections"]:
        lines += [section["title"], *section["lines"]]
    return lines + [structure["source"]]


@pytest.mark.parametrize("sections", [("place", "hours"), ("materials", "place"),
                                      render.CARD_SECTIONS, ("audience",) + render.CARD_SECTIONS])
def test_the_structure_says_what_the_text_says_nothing_more_nothing_less(sections):
    for item in GUIDE.items:
        card = render.item_card(GUIDE, item, sections, DAY)
        structure = card.structure()
        assert _characters(_structure_lines(structure)) == _characters(card.text().split("\n")), \
            item.id
        assert structure["title"] == item.name


def test_a_short_asked_section_is_the_lead_and_not_repeated():
    item = GUIDE.item("one_time_death_grant")
    structure = render.item_card(GUIDE, item, ("place", "hours", "steps"), DAY).structure()
    assert structure["lead"] == ["办理地点：抚顺社保大厦2楼59号窗口"]
    assert [s["title"] for s in structure["sections"]] == ["办理时间", "办理流程"]
    hours = structure["sections"][0]
    assert hours["inline"] and hours["lines"][0] == "每月1-15号"
    assert "不在办理时间内" in hours["lines"][1]


def test_the_asked_detail_leads_and_a_long_first_section_stays_a_section():
    item = GUIDE.item("startup_leader_insurance_subsidy")
    quote = "指南原文：「企业职工工资表」"
    structure = render.item_card(GUIDE, item, ("materials", "place"), DAY,
                                 lead=[quote]).structure()
    assert structure["lead"] == [quote]
    materials = structure["sections"][0]
    assert materials["title"] == "所需材料" and materials["numbered"]
    assert not any(line[:2] == "1." for line in materials["lines"])  # numbers are the layout's

    plain = render.item_card(GUIDE, item, ("materials", "place"), DAY).structure()
    assert plain["lead"] == [] and plain["sections"][0]["title"] == "所需材料"


def test_links_are_the_hotline_and_the_guides_url_only():
    hall = render.online_hall_card(GUIDE).structure()
    assert hall["links"] == [{"title": GUIDE.document.online_hall,
                              "href": GUIDE.document.online_hall}]
    item = next(i for i in GUIDE.items if not i.hours)
    missing = render.item_card(GUIDE, item, ("hours",), DAY).structure()
    assert {"title": "拨打12333", "href": "tel:12333"} in missing["links"]
    # a URL followed by Chinese punctuation or an arrow ends at the URL
    card = Answer("x", ("见http://fsrs.fushun.gov.cn/→录入，或（http://fsrs.fushun.gov.cn/）。",),
                  (), "", "12333")
    assert card.links() == [{"title": "http://fsrs.fushun.gov.cn/",
                             "href": "http://fsrs.fushun.gov.cn/"}]


def test_block_text_and_lead_forms():
    listed = Block("所需材料", ("身份证", "社保卡"), numbered=True)
    assert listed.text_lines() == ["所需材料：", "1. 身份证", "2. 社保卡"]
    assert listed.is_short() and listed.as_lead() == ["所需材料：身份证；社保卡"]
    inline = Block("办理时间", ("每月1-15号", "今天可以办理。"), inline=True)
    assert inline.text_lines() == ["办理时间：每月1-15号", "今天可以办理。"]
    assert not Block("办理流程", ("长" * (LEAD_MAX_CHARS + 1),)).is_short()
    assert not Block("", ("无标题",)).is_short()


def test_a_package_answer_keeps_its_text():
    package = GUIDE.packages[5]
    card = render.package_card(GUIDE, package, DAY)
    assert card.text() == render.package_answer(GUIDE, package, DAY)
    assert card.text().split("\n")[0] == package.source  # no 【】 around a package
    assert card.structure()["title"] == package.source


def test_building_duration_and_named_day_answers_carry_their_structure_too():
    centre = [(p, place) for p in GUIDE.packages for place in p.places
              if place.name == "抚顺市就业和人才服务中心"]
    injury = GUIDE.package("work_injury_death")
    cards = [render.places_card(GUIDE, centre),
             render.package_durations_card(GUIDE, GUIDE.package("unemployment_insurance")),
             render.package_day_card(GUIDE, injury, 16)]
    for card in cards:
        assert _characters(_structure_lines(card.structure())) == _characters(
            card.text().split("\n"))
    building = "\n".join(_structure_lines(cards[0].structure()))
    assert all(package.source in building for package, _ in centre) and "地址不同" in building
    assert cards[2].structure()["lead"][0].startswith("16号不在办理时间内")
