"""actions.audience and the situation filter of actions.resolution: a sub-service whose 服务对象
does not fit the person is never the answer."""
from actions import audience, knowledge, refs
from actions.reading import read
from actions.resolution import resolve


def resolved(message: str, context: str = ""):
    reading = read(message)
    return resolve(reading.query, [], refs.parse_refs(context),
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


def test_the_package_the_guide_has_for_a_situation_when_nothing_else_fits():
    result = resolved("老爷子退休好多年了 上礼拜走了 剩的钱咋往出领")
    assert result.package.id == "retiree_death"


def test_a_situation_s_package_is_preferred_among_the_candidates():
    result = resolved("俺对象在厂里上班出事故没的 还没退休呢 后事的钱是去社保分中心待遇窗口领吗")
    assert [i.id for i in result.items] == ["funeral_grant"]


def test_a_new_card_for_a_benefit_is_its_account_maintenance():
    assert [i.id for i in resolved("老爷子领退休金的那个存折销户了 以后钱想打到新办的卡上").items] \
        == ["pension_account_maintenance"]
    assert [i.id for i in resolved("我老伴工亡了 每月领工亡的待遇 打钱那张卡想换一张").items] \
        == ["injury_benefit_account_maintenance"]
    # a survivor of a death the story does not tell to be a work injury: not 工伤's account
    survivor = {i.id for i in resolved("我爱人走后我每月领着那份家属的钱 想把收钱的卡换成另一张").items}
    assert "survivor_account_maintenance" in survivor
    assert "injury_benefit_account_maintenance" not in survivor


def test_an_employer_is_sent_to_employer_registration_and_a_job_seeker_back():
    assert [i.id for i in resolved("俺是开饭店的 想找几个服务员 去人才市场登记带啥").items] \
        == ["employer_registration"]
    assert [i.id for i in resolved("俺是找活干的 用工登记要营业执照吗").items] \
        == ["job_seeker_registration"]


def test_a_service_named_outright_outranks_detail_words_of_another():
    items = {i.id for i in resolved("领失业金是不是也得先交两张二寸照片和户口本").items}
    assert items == {"unemployment_benefit_claim", "insurance_benefit_claim"}


def test_words_that_only_tell_the_situation_keep_the_service_in_context():
    result = resolved("俺是失业的 还得多带啥不", context="item:job_seeker_registration")
    assert result.from_context and [i.id for i in result.items] == ["job_seeker_registration"]
    result = resolved("我属于失业人员", context="item:job_seeker_registration")
    assert result.from_context and [i.id for i in result.items] == ["job_seeker_registration"]
    result = resolved("失业金是不是能在网上申请", context="item:startup_venue_subsidy")
    assert not result.from_context


def test_the_item_for_a_situation_ranks_inside_a_long_story():
    story = ("俺家那口子前些年在矿上出事故没了孩子每个月有份抚恤金一直打在我那张银行卡上"
             "前阵子卡丢了补办了新卡号也变了这发钱的账户得咋改上哪去弄")
    assert [i.id for i in resolved(story).items] == ["injury_benefit_account_maintenance"]


def test_an_employer_s_vacancies_are_not_the_graduates_recruitment_news():
    assert [i.id for i in resolved("开个超市想招俩收银员 上就业中心登记招人 带啥").items] == [
        "employer_registration"]


def test_a_public_institution_recruits_by_open_recruitment_not_the_job_market():
    assert [i.id for i in resolved("俺们事业单位今年想招人 招人的办法写好了 找哪").items] == [
        "institution_open_recruitment"]
    assert [i.id for i in resolved("饭店招工 用工登记带啥").items] == ["employer_registration"]


def test_a_report_of_a_work_injury_needs_the_injury():
    reading = read("俺们事业单位新招的人要去市里报备 几号窗口")
    # the lookup table's 报备 is the fallback: without an injury it is not the answer (a 事业单位
    # reporting its new staff is 公开招聘's 备案)
    result = resolve(reading.query, ["异地工伤就医报告"], [], situations=reading.situations)
    assert [i.id for i in result.items] == ["institution_open_recruitment"]
    assert [i.id for i in resolved("工伤以后搬到外地住了 在那边看病得先报备啥").items] == [
        "offsite_injury_treatment_report"]


def test_a_work_injury_benefit_needs_the_injury():
    # the guide pays 医疗费 and 路费 for a work injury only: 看病的钱 in general is not its
    result = resolved("看病的钱能报吗")
    assert result.items == [] and result.unfit == "work_injury"
    told = resolved("在工地摔了 市里治不了转院到北京看的 来回交通费住宿费能报不")
    assert [i.id for i in told.items] == ["offsite_travel_lodging_claim"]


def test_a_situation_told_that_a_package_excludes_outweighs_one_it_requires():
    # 退休后没了: 第八包 excludes it (the guide's answer is 第九包), whatever else 第八包 requires
    result = resolved("俺爸退休好些年了 前几天没了 有人说去59号窗口办 是那吗")
    assert result.package.id == "retiree_death"


def test_a_follow_up_a_required_situation_does_not_fit_stays_in_context():
    card = knowledge.guide().item("card_loss_report")
    result = resolved("俺住院呢出不去 咋整", context="item:card_loss_report")
    assert result.items == [card] and result.from_context


def test_a_story_ranks_where_the_guide_sends_its_situation():
    # 求职登记 sends an employer to 用工登记: 招服务员 + 登记 is that, however short the rest
    assert [i.id for i in resolved("饭店招服务员 想去你们那登个记").items] == ["employer_registration"]
