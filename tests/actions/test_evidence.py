"""actions.evidence: the guide's sentence that holds the asked detail leads the answer."""
from actions import evidence, knowledge
from actions.reading import read
from guide_kb.render import hotline_hint

guide = knowledge.guide()


def lead(message: str, item_id: str, **kwargs):
    reading = read(message)
    words = knowledge.search().tokenizer.words(reading.query)
    return evidence.lead(reading, guide.item(item_id), words, **kwargs)


def test_every_sentence_is_the_guide_s_own():
    for item in guide.items:
        for sentence in evidence.sentences(item):
            assert sentence, item.id


def test_a_yes_no_question_leads_with_the_sentence_holding_the_detail():
    lines = lead("市里的中心还会再下来核查一遍吗", "startup_leader_insurance_subsidy")
    assert lines and all(line.startswith("指南原文：「") for line in lines)
    assert any("实地核查" in line for line in lines)


def test_a_detail_the_item_does_not_mention_is_declined_in_those_words():
    lines = lead("要交照片不", "card_application")
    assert lines == ["指南关于「社会保障卡申领」没有提到照片。如需进一步确认，请拨打"
                     "人力资源和社会保障服务热线12333。"]


def test_an_amount_is_declined_never_answered_with_another_field():
    lines = lead("创业场地补贴能补多少钱", "startup_venue_subsidy")
    assert len(lines) == 1 and "没有写明" in lines[0] and "12333" in lines[0]
    assert "时限" not in lines[0]


def test_a_named_day_is_reasoned_against_the_rule():
    assert lead("今天16号了还能办吗", "funeral_grant")[0].startswith("16号不在办理时间内")
    assert lead("10号去能办不", "funeral_grant")[0].startswith("10号在办理时间内")


def test_who_asks_for_the_audience_line():
    assert lead("谁能办", "job_seeker_registration") == ["指南原文：「服务对象：用人单位、各类求职者」"]


def test_a_follow_up_condition_is_looked_up_without_a_question_word():
    lines = lead("我是外地户口的呢", "employment_certificate_application", follow_up=True)
    assert lines and "《居住证》" in lines[0]


def test_the_applicant_branch_leaves_the_other_branches_out():
    lines = lead("非全额的在哪个窗口吗", "institution_pension_claim",
                 applicant="非全额事业单位")
    assert not any("48、49号" in line for line in lines)
    # 全额事业单位 is written inside 非全额事业单位: that line is still the other branch's
    lines = lead("全额的在哪个窗口吗", "institution_pension_claim", applicant="全额事业单位")
    assert lines and not any("51-52号" in line for line in lines)


def test_a_period_condition_is_quoted_by_its_kind_of_number():
    # 店得开多久才能申请: no word of the question is in the sentence; its 6个月 answers it
    lines = lead("店得开多久才能申请", "startup_venue_subsidy")
    assert lines and "6个月以上" in lines[0]


def test_a_follow_up_about_something_the_guide_never_mentions_is_told_so():
    lines = lead("要预约吗", "card_loss_report", follow_up=True)
    assert lines == ["指南关于「社会保障卡挂失」没有提到预约。" + hotline_hint(guide)]
    # asked with the guide's own words, the sentence holding them leads instead
    assert "有效身份证件" in lead("要带有效身份证件吗", "card_loss_report", follow_up=True)[0]


def test_a_paper_named_like_the_package_is_still_the_detail_asked():
    # 营业执照 is also a name of 第三包; here it is the paper whose form is asked
    assert lead("要营业执照原件吗", "startup_leader_insurance_subsidy", follow_up=True) == [
        "指南原文：「申报企业营业执照复印件」"]


def test_how_often_is_answered_with_the_guide_s_monthly_sentence():
    lines = lead("补贴下来以后 是不是月月都要交东西", "startup_leader_insurance_subsidy")
    assert lines == ["指南原文：「县（区）公共就业服务机构按月报送材料。」"]


def test_the_heading_s_note_answers_a_detail_it_holds():
    # 含生活困难，预计50%确认 is the guide's note on the 一次性工亡补助金 heading
    assert lead("一次性工亡补助金 家里贼困难 能先拿一部分不", "one_time_death_grant") == [
        "指南原文：「一次性工亡补助金（含生活困难，预计50%确认）」"]


def test_a_share_quoted_for_an_amount_still_says_the_sum_is_not_written():
    lines = lead("一次性工亡补助金具体能给多少", "one_time_death_grant")
    assert lines[0] == "指南原文：「一次性工亡补助金（含生活困难，预计50%确认）」"
    assert lines[1].startswith("指南没有写明「一次性工亡补助金」的具体金额。") and "12333" in lines[1]


def test_when_the_money_is_paid_is_not_the_handling_time():
    # 即时办结 is how long the handling takes; the guide says when money is paid only for the
    # 创业 subsidies (市财政局复核后拨付)
    assert lead("多久到账", "offsite_travel_lodging_claim", follow_up=True) == [
        "指南没有写明「统筹地区以外交通食宿费申领」的钱什么时候发放到账。如需进一步确认，请拨打"
        "人力资源和社会保障服务热线12333。"]
    assert lead("补贴钱啥时候打到卡上", "startup_venue_subsidy") == [
        "指南原文：「市财政局复核后拨付补贴资金。」"]
