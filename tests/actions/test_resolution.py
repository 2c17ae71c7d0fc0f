"""actions.resolution: which sub-service a reading is about."""
from actions import knowledge
from actions.reading import read
from actions.resolution import _explaining_most, resolve
from guide_kb.search import Hit


def resolved(message: str, context=()):
    reading = read(message)
    return resolve(reading.query, [], list(context), situations=reading.situations,
                   ruled_out=reading.ruled_out, done=reading.done, described=reading.described)


def ids(resolution):
    return [item.id for item in resolution.items]


def test_a_service_named_as_a_paper_of_another_is_that_paper():
    # 《就业创业证》 is a paper 失业登记 asks for: they have it, and ask about 失业登记
    assert ids(resolved("想去社区把失业登记上 上回那个就业创业证还在 还用带啥")) == [
        "unemployment_registration"]


def test_two_services_joined_are_both_asked_even_when_one_is_a_paper_of_the_other():
    assert sorted(ids(resolved("就业创业证和失业登记都咋办"))) == [
        "employment_certificate_application", "unemployment_registration"]


def test_a_step_already_taken_leaves_the_next_one_of_its_package():
    result = resolved("审批已经在33 34号窗口办完了 现在要给他们申请退休待遇")
    assert "institution_retirement_approval" not in ids(result)
    assert "institution_pension_claim" in ids(result)


def test_a_shared_name_keeps_both_routes():
    # 遗属待遇 is in a paper's name of 第八包 (工亡职工遗属待遇审批表), not a paper itself
    result = resolved("遗属待遇咋领")
    packages = {knowledge.guide().package_of(i).id for i in result.items}
    assert packages == {"work_injury_death", "retiree_death"}


def test_a_story_without_the_guide_s_words_finds_the_services_named_by_its_situation():
    # 自己干 is 创业: its services rank however few of the story's words they explain
    assert ids(resolved("想自己干点啥 啥也不懂 想找个明白人讲讲国家都扶持啥")) == [
        "startup_policy_consultation"]
    # a service named outright still outranks them
    assert ids(resolved("我自己开店的 社保卡丢了咋办")) == ["card_loss_report"]


def test_a_story_ranks_the_items_of_the_package_serving_its_situation():
    # 出事走了: 第八包 serves a death at work; 办后事的钱 is its 丧葬补助金, however long the story
    assert ids(resolved("俺家那口子在厂里出事走了 办后事的钱能给报不")) == ["funeral_grant"]


def test_of_services_scoring_alike_the_one_a_word_of_its_own_names_is_the_answer():
    # 失业保险关系 is both 转入's and 转出's; 转回来 (转入) is 转入's alone
    found = ids(resolved("在大连上班交了五年失业保险 今年回抚顺了 想把失业保险关系转回来在这边领 "
                         "那边得开啥材料"))
    assert found[0] == "insurance_relation_transfer_in"
    assert "insurance_relation_transfer_out" not in found


def test_a_paper_they_ask_to_get_is_its_service():
    # 就业创业证 is a paper 求职登记 asks for, but 去办就业创业证 asks for the paper itself
    assert "employment_certificate_application" in ids(resolved(
        "现在也没活干 村里说可以去办就业创业证 除了身份证户口本还得带啥"))


def test_a_thing_described_reads_as_the_guide_s_word():
    # 学校装的那袋材料 is the 档案
    assert ids(resolved("学校给我装的那袋材料里到底都有啥 能去瞅一眼不"))[0] == "archive_lookup"


def test_a_step_done_in_context_leaves_the_next_of_its_package():
    from actions.resolution import after_done

    approval = knowledge.guide().item("institution_retirement_approval")
    claim = knowledge.guide().item("institution_pension_claim")
    assert after_done(read("这步办完了 往后每月的钱找哪").done, [approval]) == [claim]
    assert after_done(read("往后每月的钱找哪").done, [approval]) == [approval]
    # done words naming a service are that service, not the one in context
    assert after_done(read("失业登记办完了").done, [approval]) == [approval]


def test_each_step_already_taken_is_left_out():
    found = ids(resolved("工伤认定下来了 医药费都报了 听说住院期间吃饭也有补助 还要带啥"))
    assert found == ["hospital_meal_allowance"]


def test_a_thing_described_ranks_the_services_named_by_its_word():
    # 养老保险里攒下的钱 is the 个人账户余额, however long the story around it
    reading = read("老爷子退休以后走了 他交的养老保险里攒下的钱家里能取出来不")
    assert reading.described == ("个人账户余额",)
    found = resolve(reading.query, [], [], situations=reading.situations,
                    described=reading.described)
    assert [i.id for i in found.items] == ["pension_account_lump_sum"]


def test_a_follow_up_in_the_words_of_a_paper_in_context_stays():
    # 企业 is a word of 企业个人缴费记录单 (退休审批's paper), not a switch to 企业社保补贴
    approval = knowledge.guide().item("institution_retirement_approval")
    assert resolved("有在企业交过保险的 还得多拿啥", [approval]).items == [approval]
    # a word naming a sibling still switches, though a paper of the context holds it (转入地…)
    transfer_out = knowledge.guide().item("insurance_relation_transfer_out")
    assert ids(resolved("那转入呢", [transfer_out])) == ["insurance_relation_transfer_in"]


def test_a_public_institution_hiring_is_open_recruitment_whatever_its_words():
    # a school hiring teachers is a 事业单位 recruiting: 第二包's 公开招聘, told in no word of it
    assert ids(resolved("县里几所学校要对外招老师 从报名到最后定人 中间都得走哪些环节")) == [
        "institution_open_recruitment"]


def test_unemployment_told_in_other_words_adds_the_guide_s_word():
    assert ids(resolved("厂子黄了俺没活干了 得先上哪报个到 让政府知道俺现在没工作"))[0] == (
        "unemployment_registration")
    # 找个工作 + 人才市场 stays 求职登记
    assert ids(resolved("没活干了 想找个工作 去人才市场登记要带啥")) == ["job_seeker_registration"]


def test_a_life_event_settled_in_the_conversation_holds_for_its_follow_ups():
    # after 退休后过世 (第九包), 丧葬费有吗 is not 第八包's 丧葬补助金 (for a death at work)
    retiree_death = knowledge.guide().package("retiree_death")
    result = resolved("丧葬费有吗", [retiree_death])
    assert "funeral_grant" not in ids(result) and result.package == retiree_death
    # told a death at work now, the settled event no longer holds
    assert ids(resolved("他是在厂里干活出事没的 丧葬费有吗", [retiree_death])) == ["funeral_grant"]


def test_a_place_named_after_two_routes_picks_the_route_there():
    # 失业金 is answered at the 社区站点 (第六包) and the 社保分中心 (第七包)
    routes = [knowledge.guide().item("unemployment_benefit_claim"),
              knowledge.guide().item("insurance_benefit_claim")]
    assert ids(resolved("那去社保分中心办要带啥", routes)) == ["insurance_benefit_claim"]


def test_a_sibling_of_a_service_named_outright_stays_only_when_a_word_of_its_own_is_asked():
    # 被辞了 adds 失业金, which names both routes outright; 失业金转出 shares only its words
    found = ids(resolved("刚被单位辞了 之前交了好些年保险 听说每个月能领点生活钱 在网上能弄不"))
    assert "unemployment_benefit_transfer_out" not in found
    assert "unemployment_benefit_claim" in found
    # 医疗保险 is 代缴基本医疗保险费's own word: beside 失业金, it is asked too
    assert "basic_medical_premium_payment" in ids(resolved("我领失业金呢 医疗保险咋整 还得自己去交吗"))


def test_services_of_one_package_each_named_by_a_word_of_its_own_are_answered_not_the_package():
    # 工亡 names 第八包; 一次性 and 丧事 (丧葬) each name one of its services
    assert sorted(ids(resolved("我哥在工地出事故没了 认定是工亡 家里想把那笔一次性给的钱和办丧事的补助领了"
                               " 拿啥去"))) == ["funeral_grant", "one_time_death_grant"]
    # 工亡待遇 alone names the package
    assert resolved("工亡待遇怎么领").package.id == "work_injury_death"


def test_a_work_injury_treated_where_the_person_moves_is_the_offsite_report():
    found = ids(resolved("我工伤以后一直在抚顺看病 现在要搬到海南跟儿子过了 以后看病就在那边 走之前得跟你们这报个啥"))
    assert found == ["offsite_injury_treatment_report"]


def test_a_thing_described_ranks_the_services_with_its_word_among_their_aliases():
    # 报上去有个底 is 备案: 拟聘用备案 is an alias of 事业单位公开招聘, whatever the story's words
    assert ids(resolved("招的人定下来了 想把人正式报上去让市里有个底 拿啥去")) == [
        "institution_open_recruitment"]


def test_the_direction_said_around_the_verb_picks_out_or_in():
    # 往外转 is 转出, 往回转 and 转进来 are 转入, whatever the service moved
    assert ids(resolved("失业保险关系往外转 要啥")) == ["insurance_relation_transfer_out"]
    assert ids(resolved("失业金想往回转 咋弄")) == ["unemployment_benefit_transfer_in"]
    assert ids(resolved("失业保险关系要转进来 带啥")) == ["insurance_relation_transfer_in"]


def test_what_the_thing_asked_for_will_serve_later_is_not_asked():
    # 以后找工作都用得上: 找工作 (求职登记) is what the 就业创业证 is for, not a second question
    assert ids(resolved("退伍回来了 想先把就业创业证办下来 以后找工作都用得上 要带啥")) == [
        "employment_certificate_application"]


def test_a_stolen_card_to_be_stopped_is_a_loss_report():
    # 偷 and 冻上 are how people say the card is lost and must be stopped: 挂失
    assert ids(resolved("钱包让人偷了 社保卡也在里面 能先冻上不")) == ["card_loss_report"]


def test_the_money_left_in_the_account_is_the_lump_sum_not_the_account():
    # 账户里的钱 after a death is the 个人账户's balance; a new account alone is 账户维护
    assert ids(resolved("老爷子退休了 前几天去世了 他养老金账户里的钱家里人能领不")) == [
        "pension_account_lump_sum"]
    assert ids(resolved("我退休了 养老金账户换了 咋办")) == ["pension_account_maintenance"]


def test_the_thing_a_story_describes_is_what_is_asked():
    # 考上公务员 describes a 政审; 翻档案 and 瞅瞅 (查阅) are how the story tells it
    assert ids(resolved("儿子考上公务员了 那边要来人翻翻他档案 瞅瞅他表现咋样 人家来得带啥")) == [
        "archive_political_review"]


def test_a_common_verb_complement_names_no_service():
    # 出来 (成绩出来) was a word of 解挂's alias 翻出来了: descriptions are not names
    assert "card_unfreeze" not in ids(resolved("考试分数啥时候出来"))


def test_passing_an_exam_is_the_story_not_the_service():
    # 考上 tells why the 档案 moves; 政审 is read only from what it describes (考上公务员)
    assert ids(resolved("考上外地的单位了 人家让把存在抚顺的档案弄过去 得准备啥")) == [
        "graduate_archive_transfer"]


def test_a_benefit_claimed_in_another_city_and_continued_here_is_its_transfer_in():
    told = "在青岛那边领了三个月失业金 现在搬回抚顺了 剩下的在这继续领 咋办"
    assert ids(resolved(told)) == ["unemployment_benefit_transfer_in"]
    # the other way, and coming back without a benefit claimed elsewhere, stay what they were
    assert ids(resolved("在抚顺领着失业金 要搬到青岛去 剩下的想去那边领")) == [
        "unemployment_benefit_transfer_out"]
    assert "unemployment_benefit_transfer_in" not in ids(resolved("刚回抚顺 失业金怎么领"))


def test_one_who_lost_work_registering_is_not_an_employer():
    told = resolved("单位跟我把合同解了 想先把失业这事登上记 带啥")
    assert ids(told) == ["unemployment_registration"]


def test_a_life_event_told_in_full_outweighs_a_name_written_out():
    # 失业金 names both claims outright; the story (claimed in 大连, back in 抚顺) asks its 转入
    told = resolved("失业保险一直在大连交的 厂子黄了在大连领了两个月失业金 现在回抚顺了 剩下的失业金想在抚顺领 开啥")
    assert "unemployment_benefit_transfer_in" in ids(told)
    assert "unemployment_benefit_claim" not in ids(told)


def test_each_service_named_in_a_step_taken_is_left_out():
    told = resolved("工亡补助金和丧葬费去年就在社保大厦领完了 听说住院吃饭还有个补助 这个咋领")
    assert ids(told) == ["hospital_meal_allowance"]


def test_a_benefit_taken_along_is_its_transfer_out():
    assert ids(resolved("下个月全家搬去沈阳 失业金想带走 这边要办啥")) == [
        "unemployment_benefit_transfer_out"]


def test_of_two_things_described_the_one_told_last_is_asked():
    # 考上公务员 describes a 政审, 档案调过去 a 转递: the request comes after the story
    told = resolved("去年考上了公务员 现在新单位让我把档案调过去 带啥")
    assert ids(told) == ["graduate_archive_transfer"]
    assert read("考上了公务员 新单位让把档案调过去").described == ("政审", "转递")


def test_a_business_owner_hiring_registers_as_an_employer():
    # 开个超市 adds 创业, whose 就业创业证 is a card of one's own; one hiring registers the jobs
    assert ids(resolved("我开个超市 想招俩人 去哪登记")) == ["employer_registration"]
    assert ids(resolved("我自己开店 想办个就业创业证")) == ["employment_certificate_application"]


def test_going_elsewhere_for_treatment_is_no_move_of_a_benefit():
    # 去外地 is no 转出 of itself: 去外地看病 is the treatment outside the city (交通食宿费)
    guide = knowledge.guide()
    injury = [guide.item("injury_medical_expense_claim"), guide.item("offsite_injury_treatment_report")]
    assert ids(resolved("去外地看病的车票能报不", context=injury)) == ["offsite_travel_lodging_claim"]


def test_one_moving_away_is_not_served_by_a_transfer_in():
    # 抚顺, the city left, is a word of 失业金转到抚顺 (转入's): the move away decides
    told = resolved("老家是抚顺的 在这边领着失业金 全家要搬去大连 剩下的失业金想转到大连那边领")
    assert "unemployment_benefit_transfer_out" in ids(told)
    assert "unemployment_benefit_transfer_in" not in ids(told)


def test_a_thing_the_request_describes_stays_though_a_step_taken_names_it():
    # 火化收据 is a paper of the 个人账户一次性待遇; the cremation done does not take its claim
    told = resolved("老舅退休好几年了 上礼拜没了 火化啥的都办完了 他养老保险个人账户里的钱咋领")
    assert ids(told) == ["pension_account_lump_sum"]
    # a description inside the step taken is no request: 领过那个社保补贴 … 房租能不能给补点
    told = resolved("开了个早餐铺子 隔壁公司领过那个带头人的社保补贴 俺家没雇人 就想问房租能不能给补点")
    assert "startup_leader_insurance_subsidy" not in ids(told)


def test_a_service_whose_own_names_say_far_more_stays_beside_one_explaining_more_words():
    # 参照公务员法管理 is in 退休审批's papers; the money asked (领钱 → 退休待遇) is the 待遇申领's
    told = resolved("我们是参照公务员法管理的单位 老同志刚退 以后领钱那块手续咋办")
    assert ids(told)[0] == "institution_pension_claim"


def test_one_word_of_the_steps_in_context_asks_about_them_not_a_sibling():
    guide = knowledge.guide()
    claims = [guide.item("unemployment_benefit_claim"), guide.item("insurance_benefit_claim")]
    # 录入个人信息 is a step of the claim online; 信息 alone names no 培训信息 of its package
    assert "job_referral_training_info" not in ids(resolved("网上都要录啥信息", context=claims))
    approval = [guide.item("institution_retirement_approval")]
    # 领钱 + 机关 add 待遇 to 申领: two words of the sibling, though its steps hold them too
    assert ids(resolved("批完了领钱那块 我们是机关 去哪个窗口", context=approval)) == [
        "institution_pension_claim"]


def test_a_follow_up_in_words_other_packages_share_asks_for_the_sibling_in_context():
    approval = [knowledge.guide().item("institution_retirement_approval")]
    assert ids(resolved("那待遇申领呢", context=approval)) == ["institution_pension_claim"]


def test_a_package_named_with_a_word_of_some_of_its_items_is_those_items():
    # 失业保险 names the whole 第七包; 转走 (转出) picks its two transfers out
    told = resolved("我要去大连上班了 失业保险能转走不")
    assert sorted(ids(told)) == ["insurance_relation_transfer_out", "unemployment_benefit_transfer_out"]
    assert resolved("工亡待遇咋领").package.id == "work_injury_death"


def test_a_sibling_joined_to_a_service_named_outright_is_asked_too():
    # 待遇申领 scores far below 退休审批, named whole; 和 joins them: both are asked
    assert ids(resolved("退休审批和待遇申领一块办")) == [
        "institution_retirement_approval", "institution_pension_claim"]


def test_to_have_the_thing_a_package_is_named_by_is_to_apply_for_it():
    # 办 said of the card alone: its 申领, not a list of the five card services
    assert ids(resolved("社保卡怎么办理")) == ["card_application"]
    assert ids(resolved("新入职 社保卡咋办")) == ["card_application"]
    assert resolved("社保卡都能办啥").package.id == "social_security_card"
    assert ids(resolved("社保卡丢了咋办")) == ["card_loss_report"]


def test_of_candidates_named_by_no_word_of_their_own_those_explaining_most_stay():
    guide = knowledge.guide()
    first, second = (guide.item("card_application"), guide.item("card_replacement"))
    package = guide.package_of(first)
    hits = [Hit(first, package, 2.0, 0.0, 0.6), Hit(second, package, 2.0, 0.0, 0.2)]
    assert [h.item for h in _explaining_most(hits)] == [first]


def test_a_lost_paper_the_guide_does_not_replace_is_outside_it():
    # the guide makes the 退休证 with the 退休审批 and replaces only the 社保卡
    resolution = resolved("搬家的时候把我爸那个红皮的退休证整丢了 这玩意还能补一个不 上哪补")
    assert not resolution.found and resolution.unfit == "lost_paper"
    assert [i.id for i in resolution.unfit_items] == ["institution_retirement_approval"]
    assert resolved("补个就业创业证").unfit_items[0].id == "employment_certificate_application"


def test_a_paper_is_lost_only_when_the_loss_is_told_of_it():
    # the job is lost, the card is asked for; another service named answers
    assert ids(resolved("工作丢了 也能办那个找活的本吗 要啥")) == [
        "employment_certificate_application"]
    assert ids(resolved("就业创业证丢了 失业登记咋办")) == ["unemployment_registration"]
    assert ids(resolved("就业创业证丢了 社保卡也丢了")) == ["card_loss_report"]
    assert ids(resolved("社保卡丢了咋补"))[0] == "card_replacement"


def test_two_siblings_each_named_by_a_word_joined_by_a_conjunction_are_both_asked():
    # neither is named outright: 审批 is the approval's word, 待遇 the claim's
    assert set(ids(resolved("全额事业单位的人退休 审批跟待遇一块办"))) == {
        "institution_retirement_approval", "institution_pension_claim"}


def test_a_step_its_own_word_asks_after_the_steps_taken_is_still_asked():
    # 考试 … 公示 are done; 备案, only 公开招聘's word, is asked after them
    assert ids(resolved("我是一个事业单位管人事的 今年招的三个人考试体检考察公示都弄完了 人事档案也"
                        "整理成册了 领导让我下礼拜去市里办备案 除了档案还得带啥")) == [
        "institution_open_recruitment"]
    # a word before the step taken (管人事) or shared (机关) does not bring it back
    assert ids(resolved("我在市里一个机关单位管人事 有个同志刚办完退休审批 现在要给他申请发养老金 "
                        "我们是行政机关 该去几号窗口")) == ["institution_pension_claim"]


def test_a_situation_told_with_no_service_named_gets_the_service_the_guide_sends_it_to():
    # no word of 用工登记's, but an employer: 求职登记 sends employers there
    assert ids(resolved("饭店老板 缺服务员 想让你们那帮着招 要啥手续")) == ["employer_registration"]


def test_to_get_one_for_the_first_time_is_its_application_not_a_new_one_again():
    assert ids(resolved("我还没有那个看病刷的卡 想整一张")) == ["card_application"]
    assert ids(resolved("社保卡让洗衣机搅坏了 带银行功能那种 想重新整张能用的")) == [
        "card_replacement"]
