import datetime
import re

from guide_kb import render

CLOSED_DAY = datetime.date(2026, 11, 27)
OPEN_DAY = datetime.date(2026, 11, 5)


def test_every_answer_names_its_source(guide):
    item = guide.item("card_loss_report")
    for sections in [("materials",), ("place", "hours"), render.CARD_SECTIONS, ("duration",),
                     ("routes",)]:
        text = render.item_answer(guide, item, sections, CLOSED_DAY)
        assert text.rstrip().endswith("第十包「社保卡服务包」（抚人社办发〔2020〕33号，试行，2020-12-07起施行）")


def test_place_answer_gives_windows_and_today_for_window_59(guide):
    grant = guide.item("one_time_death_grant")
    closed = render.item_answer(guide, grant, ("place", "hours"), CLOSED_DAY)
    assert "59号窗口" in closed and "每月1-15号" in closed and "12月1日" in closed
    assert "在办理时间内" in render.item_answer(guide, grant, ("place", "hours"), OPEN_DAY)


def test_a_missing_asked_part_is_said_not_invented(guide):
    item = guide.item("card_password_reset")
    assert "指南未规定" in render.item_answer(guide, item, ("hours",), CLOSED_DAY)
    assert "指南未提供" in render.item_answer(guide, item, ("routes",), CLOSED_DAY)
    assert "指南未" not in render.card_answer(guide, item, CLOSED_DAY)


def test_materials_keep_conditions_and_where_forms_come_from(guide):
    text = render.item_answer(guide, guide.item("institution_retirement_approval"),
                              ("materials",), CLOSED_DAY)
    assert "有企业参保缴费经历人员：" in text
    assert "（网上打印）" in text


def test_materials_narrow_to_the_situation_told_and_say_whose_are_left_out(guide):
    item = guide.item("employment_certificate_application")
    told = render.item_answer(guide, item, ("materials",), CLOSED_DAY,
                              render.Who(situations=frozenset({"veteran"})))
    assert "《退役军人证》" in told and "第二代身份证" in told
    assert "《居住证》" not in told and "法院判决书" not in told
    assert "其他情况另需的材料未列出" in told and "非本市户籍劳动者" in told
    # nobody told: every paper, with its condition
    every = render.item_answer(guide, item, ("materials",), CLOSED_DAY)
    assert "《居住证》" in every and "《退役军人证》" in every and "未列出" not in every
    # a situation no paper of the item is for narrows nothing
    assert render.item_answer(guide, item, ("materials",), CLOSED_DAY,
                              render.Who(situations=frozenset({"retired"}))) == every


def test_the_heading_s_note_is_shown_with_the_materials(guide):
    text = render.item_answer(guide, guide.item("one_time_death_grant"), ("materials",), OPEN_DAY)
    assert "说明：一次性工亡补助金（含生活困难，预计50%确认）" in text
    assert "说明" not in render.item_answer(guide, guide.item("funeral_grant"), ("materials",),
                                          OPEN_DAY)


def test_no_materials_says_so_with_the_guides_reason(guide):
    text = render.item_answer(guide, guide.item("basic_medical_premium_payment"),
                              ("materials",), CLOSED_DAY)
    assert "不需要申请材料" in text and "自动生成" in text


def test_county_route_comes_first_for_that_county(guide):
    item = guide.item("card_password_reset")
    assert render.place_lines(guide, item, render.Who(county="清原"))[0].startswith("清原县：")
    assert "县就业局服务大厅" in render.place_lines(guide, item, render.Who(county="清原"))[0]
    everywhere = "\n".join(render.place_lines(guide, item))
    assert "社保卡管理大厅" in everywhere and "新华大街22号" in everywhere


def test_card_has_place_materials_steps_and_online_route(guide):
    text = render.card_answer(guide, guide.item("unemployment_benefit_claim"), CLOSED_DAY)
    for part in ("办理地点", "所需材料", "办理流程", "http://fsrs.fushun.gov.cn/"):
        assert part in text


def test_answers_are_plain_text(guide):
    for item in guide.items:
        text = render.card_answer(guide, item, CLOSED_DAY)
        assert not re.search(r"[*#`<>]|\]\(", text), item.id


def test_every_window_number_shown_is_the_guides(guide):
    """A wrong window number sends an old person across the city: only the guide's numbers."""
    for item in guide.items:
        windows = {w for p in item.places for w in p.windows}
        steps = "".join(s.text for s in item.steps)
        text = render.item_answer(guide, item, ("place", "steps"), CLOSED_DAY)
        for number in re.findall(r"(\d+)号窗口", text):
            assert int(number) in windows or f"{number}号窗口" in steps, (item.id, number)


def test_places_narrow_to_the_applicant_named(guide):
    item = guide.item("institution_pension_claim")
    assert render.applicant_in(item, "全额事业单位退休待遇") == "全额事业单位"
    assert render.applicant_in(item, "非全额事业单位退休待遇") == "非全额事业单位"
    assert render.applicant_in(item, "退休待遇") is None
    # 非全额拨款 holds 全额拨款: the longer word people use decides
    assert render.applicant_in(item, "我们单位非全额拨款的 能在48、49号办不") == "非全额事业单位"
    assert render.applicant_in(item, "说错了 是全额的") == "全额事业单位"
    lines = render.place_lines(guide, item, render.Who(applicant="参公单位"))
    assert len(lines) == 1 and "46、47号窗口" in lines[0]


def test_applicant_found_from_a_word_inside_the_places_for(guide):
    item = guide.item("card_application")
    assert render.applicant_in(item, "我是在校学生呢") == "城镇职工及在校学生"
    pension = guide.item("institution_pension_claim")
    assert render.applicant_in(pension, "非全额的呢") == "非全额事业单位"
    assert render.applicant_in(pension, "事业单位的呢") is None  # several fit: no narrowing


def test_a_route_the_steps_already_give_is_not_repeated(guide):
    card = render.card_answer(guide, guide.item("card_loss_report"), CLOSED_DAY)
    assert card.count("12333进行挂失") == 1
    asked = render.item_answer(guide, guide.item("card_loss_report"), ("routes",), CLOSED_DAY)
    assert "电话办理" in asked
