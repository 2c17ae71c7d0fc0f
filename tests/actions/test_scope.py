"""actions.scope: in or out of scope, decided once, from the guide's evidence."""
import dataclasses

import pytest

from actions import knowledge, scope
from actions.reading import read
from actions.resolution import Resolution, resolve


def verdict(message: str, intent: str = "ask_steps", not_covered=None) -> scope.Verdict:
    reading = read(message)
    search = knowledge.search()
    # what the NLU's lookup tables would find: the names of services and packages written out
    entities = search.item_names_in(reading.text) + [
        name for name, _ in search._package_names if name in reading.text]
    resolution = resolve(reading.query, entities, [], situations=reading.situations,
                         ruled_out=reading.ruled_out, done=reading.done)
    return scope.decide(intent, reading.text, resolution, situations=reading.situations,
                        done=reading.done,
                        not_covered=not_covered)


@pytest.mark.parametrize("entry", knowledge.guide().not_covered, ids=lambda e: e.term)
def test_every_not_covered_entry_is_needed_and_works(entry):
    """Its example is refused with the list, and answered with a nearby service without the
    entry: an entry that is not needed fails here and is removed from guide.yml."""
    assert verdict(entry.example).outcome == scope.NOT_COVERED
    others = tuple(e for e in knowledge.guide().not_covered if e.term != entry.term)
    without = verdict(entry.example, not_covered=others)
    assert without.outcome in (scope.ANSWERED, scope.ASKED), "not needed"


@pytest.mark.parametrize("entry", knowledge.guide().not_covered, ids=lambda e: e.term)
def test_no_not_covered_entry_is_a_name_of_a_guide_service(entry):
    # 退休证 is a name of 退休审批 (同步办理退休证): the guide covers it
    guide = knowledge.guide()
    names = {n for i in guide.items for n in (i.name, *i.aliases)} | {
        n for p in guide.packages for n in (p.name, *p.aliases)}
    assert not set(entry.term.split("+")) <= names  # 个体+营业执照: 个体 is not a name


def test_a_not_covered_word_never_overrules_a_service_written_out():
    # 毕业证 is not covered, 就业创业证 is: the person asks about the guide's service
    message = "厂子不用我了想去社区办个就业创业证两个毕业证都得拿着吗"
    assert verdict(message).outcome == scope.ANSWERED


def test_a_situation_the_guide_serves_overrules_the_list():
    # 企业 + 退休 is on the list (企业职工退休), but a retiree's death is 第九包's: 企业、个人
    assert verdict("我老伴是企业职工退休的 去年没了 遗属待遇得准备啥").answered


@pytest.mark.parametrize("message", [
    "网上把失业金申请完了 医保还用另外跑一趟办手续吗",   # 医保 = 基本医疗保险, 代缴
    "我那张带银行功能的医保卡弄丢了 补一张上哪办",       # 医保卡 = 社保卡
    "被单位裁员了 那个救济金咋申请",                    # 救济金 = 失业保险金
])
def test_everyday_words_of_covered_services_are_answered(message):
    assert verdict(message, intent="out_of_scope").answered  # the intent is a cue, not a verdict


def test_medical_insurance_in_general_is_not_the_unemployed_s_premium():
    found = verdict("怎么交医保")
    assert found.outcome == scope.UNFIT and found.reason == "unemployed"


def test_unknown_words_with_weak_evidence_are_out_of_scope():
    assert verdict("北京今天限行吗").outcome == scope.OUT_OF_SCOPE


def test_a_button_is_always_answered():
    empty = dataclasses.replace(resolve("社保卡", [], []))
    assert scope.decide("ask_steps", "公积金", empty, chosen=True).answered


def test_a_told_situation_the_found_service_serves_is_evidence_enough():
    # a story in words the guide never uses, weakly matched: refused, unless the service found
    # is the guide's answer for the situation the user tells (第八包 serves work_injury)
    found = Resolution(items=[knowledge.guide().item("funeral_grant")], coverage=0.2,
                       unknown_words=["厂里", "白事"])
    assert scope.decide("nlu_fallback", "厂里 白事", found).outcome == scope.OUT_OF_SCOPE
    told = scope.decide("nlu_fallback", "厂里 白事", found, situations={"work_injury"})
    assert told.outcome == scope.ANSWERED


def test_a_nearby_term_beside_a_service_named_in_whole_words_is_a_detail_of_it():
    # 找活 is a name of 求职登记 and 人才市场 one of its package: 毕业证 is a paper to bring
    assert verdict("去人才市场找活 要带毕业证吗").outcome == scope.ANSWERED
    assert verdict("大学毕业证丢了上哪补办").outcome == scope.NOT_COVERED


def test_a_paper_said_to_be_brought_needs_only_the_package_named():
    # 人力资源市场 names 求职登记's package; 毕业证 is brought along, not asked to be reissued
    assert verdict("想去人力资源市场登个记 除了身份证毕业证还带啥").outcome == scope.ANSWERED
    assert verdict("人力资源市场能补办毕业证吗").outcome == scope.NOT_COVERED


def test_a_nearby_term_of_a_step_already_taken_is_not_asked():
    # 工伤认定 is not the guide's; 认定下来了 says it is behind them, and 伙食 补助 is asked
    assert verdict("工伤认定下来了 住院期间吃饭的伙食补助要带啥").outcome == scope.ANSWERED
    assert verdict("工伤认定要带啥").outcome == scope.NOT_COVERED


def test_a_company_s_retiree_is_not_served_by_the_institutions_package():
    # 第一包 serves 市属机关事业单位: its 退休金 is not an 企业 retiree's
    def items(message):
        reading = read(message)
        return [i.id for i in resolve(reading.query, [], [], situations=reading.situations).items]
    assert "institution_pension_claim" not in items("我是企业退休的 今年退休金啥时候能领")
    assert items("事业单位退休的 今年退休金啥时候能领") == ["institution_pension_claim"]
