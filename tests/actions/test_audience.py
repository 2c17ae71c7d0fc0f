"""actions.audience and the situation filter of actions.resolution: a sub-service whose 服务对象
does not fit the person is never the answer."""
from actions import audience, knowledge
from actions.reading import read
from actions.resolution import resolve


def resolved(message: str, context: str = ""):
    reading = read(message)
    return resolve(reading.query, [], knowledge.parse_refs(context),
                   situations=reading.situations, ruled_out=reading.ruled_out)


def test_a_retiree_s_death_is_not_the_work_injury_package():
    funeral = knowledge.guide().item("funeral_grant")
    assert audience.conflict(funeral, {"retiree_death"}) == ("retiree_death", None)
    result = resolved("我老妈退休好几年了，前几天走了，丧葬费咋领？")
    assert result.package.id == "retiree_death" and result.unfit == "retiree_death"
    assert all(p.id == "work_injury_death" for p in result.unfit_packages)


def test_a_death_at_work_is_the_work_injury_package():
    result = resolved("我对象在厂里干活出事故没了，已经认定工亡了，丧葬补助金咋领？")
    assert [i.id for i in result.items] == ["funeral_grant"] and not result.unfit


def test_a_card_without_the_financial_function_is_sent_to_application():
    result = resolved("社保卡没开金融功能的，丢了咋补？")
    assert [i.id for i in result.items] == ["card_application"]


def test_an_exam_candidate_is_not_the_employers_recruitment_package():
    result = resolved("我今年大学毕业，想报考抚顺的事业单位，上哪报名？")
    assert not result.found and result.unfit == "exam_candidate"


def test_a_required_situation_holds_in_the_conversation_s_package():
    premium = knowledge.guide().item("basic_medical_premium_payment")
    assert audience.conflict(premium, set()) == ("unemployed", None)
    assert audience.conflict(premium, set(), context_packages={"unemployment"}) is None
    assert audience.conflict(premium, set(), written_out=True) is None
