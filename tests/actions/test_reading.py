"""actions.reading: what one pass over a message sees, before any decision."""
import pytest

from actions.reading import read


@pytest.mark.parametrize("message,ruled_out,query", [
    ("说错了 不是工亡那个 是老爷子退休后过世了", "工亡", "老爷子退休后过世了"),
    ("失业那个登记 不是找工作那个", "找工作", "失业那个登记"),
    ("是不是要本人去", "", "是不是要本人去"),  # a question, not a correction
])
def test_a_correction_separates_what_it_rules_out(message, ruled_out, query):
    reading = read(message)
    assert (reading.ruled_out, reading.query) == (ruled_out, query)
    assert reading.is_correction == bool(ruled_out)


def test_situations_composed_and_cancelled():
    assert "retiree_death" in read("我老妈退休好几年了，前几天走了，丧葬费咋领").situations
    at_work = read("退休返聘在厂里出事故没了 丧葬费").situations
    assert "work_injury" in at_work and "retiree_death" not in at_work


def test_situations_come_from_what_is_not_ruled_out():
    assert "work_injury" not in read("不是工亡那个 是老爷子退休后过世了").situations


@pytest.mark.parametrize("message,kinds", [
    ("要交照片不", {"yes_no"}),
    ("社保卡密码重置需要什么", set()),        # 什么 ends in 么 but asks for a list
    ("照片要几张", {"count"}),
    ("创业场地补贴能补多少钱", {"amount"}),
    ("换张新卡得等多少天", set()),             # a wait, not money
    ("失业金能领多少个月", {"period"}),
    ("我自己能去申请不", {"who", "yes_no"}),
    ("我还在上班 能去人力资源市场做求职登记吗", {"who", "yes_no"}),
    ("网上能办吗", {"yes_no"}),               # how, not whether they may
    ("失业金每月几号发", {"payment"}),          # when it is paid, not which day to go
])
def test_detail_cues(message, kinds):
    assert read(message).details == frozenset(kinds)


def test_a_named_day_of_the_month_but_not_an_address_or_window():
    assert read("今天16号了还能办吗").day_of_month == 16
    assert read("新华大街22号在哪").day_of_month is None
    assert read("59号窗口在几楼").day_of_month is None


def test_county_is_read_and_left_out_of_the_query():
    reading = read("我是清原县的 社保卡解挂在哪")
    assert reading.county == "清原" and "清原" not in reading.query


def test_a_day_named_relative_to_today(monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-12-02")  # a Wednesday
    assert read("明天去能办吗").day_of_month == 3
    assert read("下周一过去行不").day_of_month == 7
    assert read("下礼拜天能办不").day_of_month == 13
    assert read("社保卡怎么挂失").day_of_month is None


def test_a_negated_situation_is_not_told():
    situations = read("不对 说错了 俺爸还没退休呢 是在厂里干活出事没的").situations
    assert "retired" not in situations and "work_injury" in situations


def test_said_wrong_and_returns_are_read():
    assert read("不对 说错了 是在厂里出事没的").is_correction
    reading = read("再问回刚才那个 店得开多久才能申请")
    assert reading.returns and "刚才" not in reading.query


@pytest.mark.parametrize("message, done", [
    ("退休审批都批下来了现在该办待遇申领了", "退休审批批下来"),
    ("失业登记办完了 失业金咋领", "失业登记办完"),
    ("社保卡挂失了 下一步干啥", "社保卡挂失"),
    ("社保卡办好了吗", ""),                 # asks whether it is done
    ("社保卡申请完多长时间能拿到", ""),     # asks about what follows it
    ("个人账户一次性待遇多久能办完", ""),
    ("同事刚办完退休审批 现在申请养老金", "退休审批"),   # the step after its verb
    ("办过就业创业证 现在想登记找活", "就业创业证"),
    ("想找个培训 就业创业证我有", "就业创业证"),          # a paper held is not asked for
    ("办完手续就能领钱吗", ""),                             # names no service
    ("我有社保卡 密码忘了咋办", ""),
    ("失业登记上个月在社区就弄完了 还能干点啥", "失业登记上个月在社区就弄完"),
    ("一次性工亡补助金和丧葬费前年在社保大厦领完了", "一次性工亡补助金和丧葬费前年在社保大厦领完"),
])
def test_a_step_already_taken_is_read_apart(message, done):
    reading = read(message)
    assert reading.done == done
    assert reading.query == reading.text  # its words still tell the situation


def test_the_money_of_a_told_situation_reads_as_the_guide_s_word():
    assert read("没活了 那份钱想当面去申请").query.endswith(" 失业金")
    assert read("社保卡取不了钱").query == "社保卡取不了钱"  # no situation with money told
    assert read("失业金咋领 要带啥钱").query.count("失业金") == 1
    # a 机关's money for someone who left work is its 待遇
    assert read("市里机关的 科长不上班了 每月那份钱咋申请").query.endswith(" 机关事业单位待遇")


def test_a_situation_told_in_other_words_adds_the_guide_s_word():
    # 自己开个小饭馆 is 创业 in the guide's word; a situation told in its words needs nothing
    assert read("自己开个小饭馆 门面租金贵").query.endswith(" 创业")
    assert "self_employed" in read("想做点小买卖").situations
    assert read("创业补贴 自己干行不").query.count("创业") == 1


def test_a_situation_pattern_reads_a_cue_with_a_gap():
    assert "employer" in read("饭店想招两个服务员").situations
    assert "employer" not in read("想找个服务员的活").situations


def test_a_composed_situation_told_partly_in_other_words_adds_its_word():
    # 失业金 + 搬去儿子那: the benefit goes along, 转出 in the guide's word
    assert read("失业金还剩几个月 俺要搬去儿子那住 想在那边接着领").query.endswith(" 转出")
    assert "转出" not in read("失业了 档案转到哪去").query  # no place moved to
    assert "转出" not in read("工伤以后搬到大连住了 失业金咋办").query  # 工伤: not this one


def test_a_thing_described_by_its_use_reads_as_the_guide_s_word():
    # 看病 would name 工伤医疗; the description is the card
    assert read("还没有那个看病能刷、还能领钱的卡 想头回办一张").query == "还没有那个社保卡 想头回办一张"
    assert "社保卡" not in read("看病的钱能报吗").query


def test_a_step_already_taken_is_read_for_any_verb_of_the_guide():
    assert read("工伤认定下来了 伙食补助咋领").done == "工伤认定下来"
    assert read("伤残鉴定完了 想搬去外地").done == "伤残鉴定完"


def test_a_benefit_card_is_an_account_change_only_when_it_changes():
    assert "benefit_account" in read("领钱的卡不用了 换了家银行").situations
    assert "benefit_account" not in read("看病能刷 还能领钱的卡 第一次办咋整").situations


def test_the_money_of_a_situation_inside_a_composed_one_is_not_added():
    # 退休 + 过世 is 第九包's story: the retiree's own 养老金 is not what the family asks
    assert "养老金" not in read("老爷子退休以后走了 剩的钱咋领").query
    assert read("退下来好些年了 每月那份钱打的卡不用了").query.endswith(" 养老金")


def test_not_right_about_something_else_is_no_correction():
    assert not read("密码输了好几回都不对 咋弄").corrects
    assert read("不对 是失业金").corrects


def test_the_money_of_a_situation_described_is_the_guide_s_word():
    assert read("下岗费在网上咋申请").query.startswith("失业金在网上咋申请")


def test_a_weekday_asks_for_the_hours():
    assert "hours" in read("周六能办吗").sections


def test_an_app_asks_for_the_routes():
    # the answer then says which routes the guide gives, and 12333 where it gives none
    assert "routes" in read("这个能在APP上直接弄不").sections
    assert "routes" in read("小程序上能办吗").sections


def test_asking_who_is_hiring_is_no_employer_speaking():
    assert "employer" not in read("刚毕业 想知道哪招人 哪有培训").situations
    assert "employer" not in read("有招人的单位能给我推推不").situations
    assert "employer" in read("饭店想招俩服务员 上哪登记").situations


def test_something_found_is_an_unblocked_card_only_after_a_loss():
    assert "解挂" not in read("新单位找到了 失业金还能领不").described
    assert "解挂" in read("社保卡丢了 昨天又在车里找着了").described


def test_a_cue_after_have_still_tells_the_person_s_situation():
    # 有招人的 asks who is hiring; 我有工伤 tells a work injury
    assert "work_injury" in read("我有工伤 住院伙食补助咋领").situations
    assert "retiree_death" in read("家里有退休的老人走了 丧葬费咋领").situations


def test_a_file_moved_is_told_apart_from_a_benefit_moved():
    assert "转递" in read("我那档案得调过去 人家单位催了").described
    assert "转递" not in read("我那失业金得转过去 人搬到沈阳了").described


def test_money_that_follows_the_person_is_a_move_away():
    assert "unemployed_moving_away" in read("闺女要去南方了 她的失业金能跟着过去领不").situations


def test_a_residence_registered_elsewhere_is_told_in_everyday_words():
    assert "nonlocal" in read("嫁过来好几年了 户口一直没迁过来 就业创业证能办不").situations
    assert "nonlocal" in read("我户口不在这 能办吗").situations


def test_what_one_gets_at_the_end_asks_for_the_steps():
    # the guide names such papers only in its steps (打印《失业人员待遇审核单》)
    assert "steps" in read("交完材料 最后能拿到啥").sections
    assert "steps" in read("窗口办完给开个啥单子不").sections
    assert "steps" in read("批下来以后还要干啥").sections


@pytest.mark.parametrize("message,word", [
    ("工伤没了的人 烧埋费上哪领", "丧葬费"),
    ("那几个数我是真记不住了 想重新弄个新的", "密码"),
    ("我一直靠他养活 以后每个月咋办", "抚恤金"),
    ("坐高铁去北京复查 加上住宾馆花了两千多", "交通食宿费"),
    ("司机给送回来了 这卡我还想接着用", "解挂"),
    ("社保卡让我落出租车上了 先别让人拿去乱刷", "挂失"),
    ("卡落在饭店里了", "挂失"),
    ("社区说先领个小本儿", "就业创业证"),
    ("学校把档案寄回来了还封着口呢", "密封"),
    ("社保卡密码想不起来了", "忘记密码"),  # not 密码重置了: that would read as a step taken
    ("去药店刷看病的卡 刷不了", "社保卡"),
    ("看病那卡密码输错三回锁上了", "忘记密码"),
    ("租门面的钱贵 想让政府补一块", "租金"),
    ("租门面的钱贵 想让政府补一块", "补贴"),
    ("孩子念完书回来了 学校那一包材料寄哪去", "档案"),
    ("领失业金那阵 看病那块保险还用自己掏钱不", "基本医疗保险"),
    ("每月领的没工作的补助 搬家以后还能领不", "失业金"),
    ("卡挂失以后又在抽屉里找到了", "解挂"),
    ("挂失的卡想恢复使用", "解挂"),
    ("当兵回来 想办个找工作用的证", "就业创业证"),
    ("老人没了 他那养老金能取出来不", "个人账户余额"),
    ("新单位让我把档案提走 要带啥", "转递"),
])
def test_a_thing_described_in_everyday_words_is_the_guide_s_word(message, word):
    assert word in read(message).query


def test_a_move_home_is_relocating_and_a_hospital_referral_is_not():
    assert "injured_relocating" in read("工伤以后要搬到海南跟儿子过了 走之前得报个啥").situations
    assert "injured_relocating" in read("我是工伤职工 打算去三亚长住了").situations
    assert "relocating" not in read("工伤以后转到沈阳医院做的手术").situations


def test_a_card_the_benefit_is_received_on_is_the_benefit_card():
    assert "benefit_account" in read("原来那张卡不想用了 想换张卡收钱").situations
    assert "benefit_account" in read("原先那张卡不用了 想换张新卡接收待遇").situations
    assert "died" in read("老伴走后留下的那份钱 每月打到卡上").situations
    # the benefit's card named by the benefit it is for
    assert "benefit_account" in read("我妈退休金的卡换了").situations


def test_a_pension_paid_into_a_card_that_changes_is_an_account_change():
    assert "benefit_account" in read("我爸每月退休金进的那张卡要注销了 想改成往另一张卡里打").situations


def test_the_north_east_where_asks_for_the_place():
    reading = read("人才市场搁哪疙瘩呢")
    assert "place" in reading.sections


def test_a_pensioner_told_in_old_words_is_retired():
    assert "retiree_death" in read("俺家老爷子吃劳保的 上礼拜没了").situations


def test_a_step_taken_whose_wait_is_asked_is_the_subject_not_a_step_behind():
    assert read("社保卡申请完了 多少天能做好").done == ""
    assert read("退休审批都批下来了 待遇咋申领").done != ""


def test_working_for_oneself_in_one_word_is_self_employed():
    assert "self_employed" in read("寻思自己出来单干 可啥也不懂").situations


def test_whom_the_person_wants_to_reach_is_not_their_situation():
    # an employer who wants 找活的人 to know; a job seeker who wants 招人的单位 to see them
    assert read("我们小厂缺几个焊工 想挂上号 让来找活的人知道").situations == {"employer"}
    assert "employer" not in read("想在人才市场留个底儿 让招人的单位能看着我的情况").situations
    assert "employer" not in read("想把我的情况挂上 让缺人的单位看见").situations


def test_an_institution_retiring_someone_adds_the_guide_s_word_or_its_money():
    assert read("俺们局里老王到岁数了 退下来的手续得拿些啥").query.endswith(" 退休")
    # 那份钱 asks for the 待遇, not the 审批 before it
    money = read("俺们是市里的机关 有个科长退下来了 往后他每月那份钱咋申请").query
    assert money.endswith(" 退休待遇") and not money.endswith(" 退休 退休待遇")


def test_a_paper_described_by_what_it_proves_is_the_guide_s_paper():
    assert "就业创业证" in read("能证明我是失业人员的证 咋办").described
    assert "就业创业证" in read("下岗证要几张照片").described


def test_putting_people_on_record_reads_as_filing():
    assert "备案" in read("招的人定下来了 想把人正式报上去让市里有个底").described
    assert "备案" not in read("我想在人才市场那留个底儿").described


def test_a_retiree_of_a_company_is_told_apart_from_a_past_in_one():
    assert "enterprise_retiree" in read("俺家老爷子是化工厂退休的 上礼拜走了").situations
    assert "enterprise_retiree" not in read("他以前在企业干过 退休审批要啥").situations


def test_a_card_left_at_home_is_not_lost():
    assert "挂失" not in read("社保卡落家里了 身份证带着能办不").query


def test_whom_the_message_is_meant_to_reach_tells_who_speaks():
    seeking = read("想在人才市场留个底儿 让招人的单位能看着我的情况").situations
    assert "job_seeker" in seeking and "employer" not in seeking
    hiring = read("饭店的招工信息咋发出去 让找活的人都知道").situations
    assert "employer" in hiring and "job_seeker" not in hiring


def test_wanting_another_job_is_seeking_one():
    assert "job_seeker" in read("还上着班 想换个活").situations
    assert "job_seeker" not in read("换了单位 档案咋转过去").situations


def test_a_name_written_out_is_not_a_description_of_it():
    assert read("上回那个就业创业证还在").described == ()
    assert "就业创业证" in read("找工作和自己干都用得上的那个本").described


def test_who_does_a_step_is_asked_of_the_steps_not_of_who_may_apply():
    reading = read("场地补贴交上去以后谁来审")
    assert "who" not in reading.details and "steps" in reading.sections
    assert "who" in read("场地补贴谁能申请").details


def test_money_spent_on_treatment_is_the_medical_expense():
    assert read("工伤住院花的钱咋报").described == ("医疗费",)
    assert read("住院那些钱想找工伤那边给报了").described == ("医疗费",)
    assert read("工伤住院吃饭的钱咋领").described == ("伙食费",)  # the meals: 住院伙食补助费


def test_things_described_by_what_people_do_with_them():
    assert read("她养老保险里自己交的钱还剩下的能退给家里吗").described == ("个人账户余额",)
    assert read("想办那个找工作的本 要开啥证明").described == ("就业创业证",)
    assert read("每个月能给孩子领点养活的钱吗").described == ("抚恤金",)
    assert read("我有个材料要放档案里").described == ("归档",)


def test_situations_told_in_everyday_words():
    assert "institution_retiring" in read("俺们单位是参照公务员法管理的 有个老同志刚退").situations
    assert "unemployed" in read("现在回抚顺了没活 想接着领").situations


def test_a_number_told_in_the_story_is_not_asked():
    # 退休好几年了 is no 几年 asked: the answer would say the guide gives no period
    assert read("老舅退休好几年了 上礼拜没了 个人账户里的钱咋领").details == frozenset()
    assert read("厂子要招十几个操作工 想登个记 需要啥").details == frozenset()
    assert "count" in read("照片要几张").details


def test_a_floor_asked_is_the_place():
    assert "place" in read("几楼").sections
    assert "place" in read("在哪层").sections


def test_what_was_asked_just_before_named_again_is_a_return():
    assert read("刚才政审那个 当天能办完不").returns
    assert read("再说回刚才那个补贴").returns
    assert not read("我之前那个单位黄了").returns


def test_a_route_taken_and_a_day_told_in_the_story_are_not_asked():
    told = read("卡前几天以为丢了打电话给冻上了 现在又找着了 咋弄回能用")
    assert not told.sections & {"routes", "duration"}
    assert "routes" in read("打电话能挂失不").sections
    assert "duration" in read("几天能办完").sections


@pytest.mark.parametrize("message,situation", [
    ("替我爸问 他厂子不干了 去现场办每月领钱的事", "unemployed"),     # the works closed
    ("想让社区帮着找个看门打更的活", "job_seeker"),                  # a job sought, described
    ("我受伤以后每月领钱打的那个卡 想换一张", "work_injury"),         # paid for an injury
    ("我受伤以后每月领钱打的那个卡 想换一张", "benefit_account"),     # 那个卡 the money goes to
    ("调进事业单位 现在到点要回家了", "retired"),                    # 到点 of one's age
    ("保险都是在沈阳交的 今年回抚顺老家了", "claimed_elsewhere"),     # paid in another city
    ("我有电工证 想通过你们找个单位", "job_seeker"),
])
def test_situations_told_in_words_around_the_cue(message, situation):
    assert situation in read(message).situations


def test_a_child_gone_to_school_is_no_training():
    assert "培训" not in read("孩子上学了想出去找个班上").described


def test_an_injury_at_home_is_no_work_injury():
    assert "work_injury" not in read("在家摔了受伤了 医药费能报不").situations


@pytest.mark.parametrize("message,word", [
    ("他自己名下还剩不少钱 能取出来不", "个人账户余额"),
    ("卡那几个数输错好几回锁了", "忘记密码"),
    ("卡磨坏了读不出来 想换新的", "卡坏了"),
    ("领着没活干的钱期间 看病那保险还用自己交不", "基本医疗保险"),
    ("东西都涨价 领没活干那份钱的能多给点不", "物价上涨补贴"),
    ("住了一个月院 饭钱那块要带啥去", "伙食费"),
    ("去沈阳看伤 火车票和宾馆的票都留着了", "交通食宿费"),
    ("我妈没收入 听说能按月领点钱养活", "抚恤金"),
    ("我妈让我问问 下岗那个本本咋办", "就业创业证"),
    ("有没有教人咋干买卖的课", "培训"),
    ("给员工交保险那个补的钱批下来以后 每个月还得报材料不", "社保补贴"),
])
def test_things_described_read_as_the_guide_s_word(message, word):
    assert word in read(message).described
