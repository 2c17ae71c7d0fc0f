import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from tests.actions.conftest import button_titles, slot_events, texts

pytestmark = pytest.mark.asyncio


async def answer(dispatcher, tracker):
    return await ActionAnswer().run(dispatcher, tracker, domain={})


async def test_materials_of_a_clear_service(dispatcher, tracker_for):
    events = await answer(dispatcher, tracker_for("社保卡密码重置需要什么", "ask_materials"))
    reply = texts(dispatcher)
    assert "【社会保障卡密码修改与重置】\n所需材料" in reply and "身份证" in reply
    assert "第十包「社保卡服务包」" in reply
    assert slot_events(events)["service"] == "item:card_password_reset"
    assert button_titles(dispatcher) == []  # 办理地点 and 办理流程 are in the answer already


async def test_place_gives_window_and_whether_open_today(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("一次性工亡补助金在哪领", "ask_place"))
    reply = texts(dispatcher)
    assert "59号窗口" in reply and "每月1-15号" in reply
    assert "不在办理时间内" in reply and "12月1日" in reply


async def test_when_a_building_is_open_is_answered_per_package_it_houses(dispatcher, tracker_for):
    # 上班 names no service: the building is what is asked about; the guide gives hours per
    # package (第八包's 59号窗口), none for the building
    await answer(dispatcher, tracker_for("社保大厦几点上班", "ask_hours"))
    reply = texts(dispatcher)
    assert "59号窗口" in reply and "每月1-15号" in reply and "33、34" in reply
    assert "办理时间：指南未写明" in reply and "东十路" not in reply


async def test_where_to_go_for_one_service_says_what_to_bring(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("工伤待遇发放账户维护去哪办", "ask_place"))
    reply = texts(dispatcher)
    assert "59号窗口" in reply and "所需材料" in reply and "享受待遇人员社会保障卡" in reply


async def test_where_to_go_for_several_services_leaves_their_papers_out(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("失业金去哪领", "ask_place"))
    reply = texts(dispatcher)
    assert "社区站点" in reply and "社保分中心" in reply and "所需材料" not in reply


async def test_shared_word_answers_both_services_labelled(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("失业金怎么领", "ask_steps"))
    reply = texts(dispatcher)
    assert "【失业保险金申领】" in reply and "第六包「失业服务包」" in reply
    assert "【失业保险失业金申领】" in reply and "第七包「失业保险待遇服务包」" in reply


async def test_question_without_service_asks_back_with_packages(dispatcher, tracker_for):
    events = await answer(dispatcher, tracker_for("需要什么材料", "ask_materials"))
    assert "哪项业务" in texts(dispatcher)
    assert len(button_titles(dispatcher)) == 10
    assert slot_events(events) == {"aspect": "materials", "outcome": "asked"}


async def test_the_pending_aspect_is_answered_when_the_service_comes(dispatcher, tracker_for):
    tracker = tracker_for("失业登记", "inform_service", aspect="materials")
    await answer(dispatcher, tracker)
    assert "【失业登记】\n所需材料" in texts(dispatcher)


async def test_follow_up_reuses_the_service_in_context(dispatcher, tracker_for):
    tracker = tracker_for("要带啥", "ask_materials", service="item:card_replacement")
    await answer(dispatcher, tracker)
    assert "【社会保障卡补领、换领、换发】\n所需材料" in texts(dispatcher)


async def test_a_paper_of_the_service_in_context_is_asked_about_not_refused(dispatcher, tracker_for):
    # 毕业证 alone is a service the guide does not cover (补办); asked in which form, after
    # 《就业创业证》申领, it is that service's paper
    tracker = tracker_for("毕业证要原件还是复印的", "ask_materials",
                          service="item:employment_certificate_application")
    await answer(dispatcher, tracker)
    reply = texts(dispatcher)
    assert "户口本和最高学历毕业证原件及复印件" in reply and "不在《" not in reply


async def test_a_lost_paper_the_guide_does_not_replace_says_which_service_makes_it(
        dispatcher, tracker_for):
    tracker = tracker_for("就业创业证丢了咋补", "ask_steps")
    events = await answer(dispatcher, tracker)
    reply = texts(dispatcher)
    assert "指南只写了「《就业创业证》申领」的办理，没有写就业创业证丢失后如何补办" in reply
    assert "12333" in reply and "二寸照片" not in reply
    assert slot_events(events)["outcome"] == "unfit"


async def test_hours_of_a_whole_package_in_context_are_its_own_or_said_not_given(
        dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("中午休息不", "ask_place", service="package:social_security_card"))
    reply = texts(dispatcher)
    assert "办理时间：指南未写明" in reply and "新华大街22号" in reply and "请问您要办理哪一项" not in reply


async def test_papers_asked_for_a_situation_a_package_serves_are_each_service_s(dispatcher,
                                                                                tracker_for):
    # a retiree's death is 第九包's situation: the papers of each of its services, not a question
    await answer(dispatcher, tracker_for("俺家老爷子吃劳保的 上礼拜没了 都拿啥", "ask_overview"))
    reply = texts(dispatcher)
    assert "医院出具的死亡证明" in reply and "劳动保障行政部门审批手续" in reply
    assert "请问您要办理哪一项" not in reply


async def test_no_online_route_sends_to_the_hotline(dispatcher, tracker_for):
    tracker = tracker_for("能网上办不", "ask_online", service="item:institution_open_recruitment")
    await answer(dispatcher, tracker)
    assert "指南未提供该事项的网上或电话办理方式" in texts(dispatcher)
    assert "12333" in texts(dispatcher)


async def test_no_phone_route_for_the_service_in_context_says_what_to_bring(dispatcher,
                                                                          tracker_for):
    tracker = tracker_for("打电话能解不", "ask_online", service="item:card_unfreeze")
    await answer(dispatcher, tracker)
    reply = texts(dispatcher)
    assert "指南未提供该事项的网上或电话办理方式" in reply and "本人有效身份证件" in reply


async def test_a_first_guess_asked_online_shows_no_papers(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("社保卡解挂能打电话办吗", "ask_online"))
    reply = texts(dispatcher)
    assert "【社会保障卡解挂】" in reply and "本人有效身份证件" not in reply


async def test_a_follow_up_describing_another_service_switches_to_it(dispatcher, tracker_for):
    # 翻出来了 describes 解挂 (the card is found again), after 挂失 was in context
    tracker = tracker_for("卡在抽屉里翻出来了 还能接着用不", "ask_steps",
                          service="item:card_loss_report")
    await answer(dispatcher, tracker)
    assert "【社会保障卡解挂】" in texts(dispatcher)


async def test_elliptical_switch_stays_in_the_package(dispatcher, tracker_for):
    tracker = tracker_for("那转入呢", "inform_service", aspect="materials",
                          service="item:insurance_relation_transfer_out")
    events = await answer(dispatcher, tracker)
    assert "【失业保险关系转入】\n所需材料" in texts(dispatcher)
    assert slot_events(events)["service"] == "item:insurance_relation_transfer_in"


async def test_county_follow_up_gives_the_county_route(dispatcher, tracker_for):
    tracker = tracker_for("我是新宾县的呢", "inform_county", aspect="place",
                          service="item:card_password_reset",
                          entities=[{"entity": "county", "value": "新宾"}])
    await answer(dispatcher, tracker)
    reply = texts(dispatcher)
    assert "新宾县：" in reply and "县就业局服务大厅" in reply


async def test_a_county_told_beside_a_service_named_switches_to_it(dispatcher, tracker_for):
    # 解挂 is two characters, but only 社会保障卡解挂's names have it
    tracker = tracker_for("那解挂呢 我是新宾的", "inform_county", aspect="place",
                          service="item:card_loss_report",
                          entities=[{"entity": "county", "value": "新宾"}])
    events = await answer(dispatcher, tracker)
    assert slot_events(events)["service"] == "item:card_unfreeze"
    assert "县就业局服务大厅" in texts(dispatcher)


async def test_out_of_scope_says_so_and_gives_12333(dispatcher, tracker_for):
    events = await answer(dispatcher, tracker_for("公积金怎么提取", "out_of_scope"))
    reply = texts(dispatcher)
    assert "抱歉" in reply and "12333" in reply
    assert "窗口" not in reply
    assert slot_events(events) == {"outcome": "not_covered"}


async def test_unknown_words_with_an_aspect_intent_are_out_of_scope(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("房产证在哪办", "ask_place"))
    assert "12333" in texts(dispatcher) and "窗口" not in texts(dispatcher)


async def test_unsure_nlu_with_context_and_known_words_answers(dispatcher, tracker_for):
    tracker = tracker_for("哪天可以去", "nlu_fallback", confidence=0.3,
                          ranking=[{"name": "out_of_scope", "confidence": 0.3},
                                   {"name": "ask_hours", "confidence": 0.25}],
                          service="item:one_time_death_grant")
    await answer(dispatcher, tracker)
    assert "每月1-15号" in texts(dispatcher)


async def test_a_button_names_the_service_exactly(dispatcher, tracker_for):
    entities = [{"entity": "service_id", "value": "item:funeral_grant"}]
    await answer(dispatcher, tracker_for('/ask_materials{"service_id": "item:funeral_grant"}',
                                         "ask_materials", entities=entities))
    assert "【丧葬补助金申领】\n所需材料" in texts(dispatcher)


async def test_package_level_place_question(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("人力资源市场在哪", "ask_place"))
    reply = texts(dispatcher)
    assert "东十路3号" in reply and "裕城路" not in reply


async def test_package_level_materials_question_asks_which_item(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("工亡待遇需要什么材料", "ask_materials"))
    assert "哪一项" in texts(dispatcher)
    assert "丧葬补助金申领" in button_titles(dispatcher)


async def test_capabilities_lists_the_ten_packages(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("你能做什么", "ask_capabilities"))
    titles = button_titles(dispatcher)
    assert len(titles) == 10 and "社保卡服务包" in titles


async def test_handoff_gives_the_guides_hotline_whatever_the_message_names(dispatcher,
                                                                        tracker_for):
    await answer(dispatcher, tracker_for("社保卡挂失转人工", "human_handoff"))
    assert texts(dispatcher) == "如需人工服务，请拨打人力资源和社会保障服务热线12333。"


async def test_no_materials_needed_is_said(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("代缴基本医疗保险费要什么材料", "ask_materials"))
    assert "不需要申请材料" in texts(dispatcher)


async def test_unknown_slot_value_is_ignored(dispatcher, tracker_for):
    tracker = tracker_for("要带啥", "ask_materials", service="item:removed_service")
    await answer(dispatcher, tracker)
    assert "哪项业务" in texts(dispatcher)


async def test_a_building_is_answered_as_each_package_gives_it(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("抚顺市就业和人才服务中心在哪", "ask_place"))
    reply = texts(dispatcher)
    assert "裕城路39号" in reply and "东十路3号" in reply  # the guide gives both
    assert "第四包" in reply and "第五包" in reply and "地址不同" in reply


async def test_whole_package_question_by_its_name_asks_which_item_with_its_place(
        dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("工亡待遇需要什么材料", "ask_materials"))
    reply = texts(dispatcher)
    assert "哪一项" in reply and "59号窗口" in reply


async def test_a_second_part_asked_in_the_same_question_is_answered(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("依据档案出具证明要带啥 在哪开", "ask_materials"))
    reply = texts(dispatcher)
    assert "所需材料" in reply and "裕城路39号" in reply


async def test_a_detail_word_pulls_in_the_section_that_holds_it(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("失业保险关系转出最后给开啥证明", "ask_materials"))
    assert "失业人员失业信息关系转迁证明" in texts(dispatcher)


async def test_follow_up_without_a_service_keeps_the_context(dispatcher, tracker_for):
    tracker = tracker_for("每个月啥时候能办", "ask_hours",
                          service="item:offsite_injury_treatment_report")
    await answer(dispatcher, tracker)
    assert "每月1-15号" in texts(dispatcher)


async def test_the_applicant_named_gets_only_their_windows(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("全额事业单位退休待遇申领去几号窗口", "ask_place"))
    reply = texts(dispatcher)
    assert "48、49号窗口" in reply and "51-52" not in reply and "43-45" not in reply


@pytest.mark.parametrize("question", ["工伤认定去哪申请", "医保卡异地就医备案咋弄", "公积金怎么提取"])
async def test_services_next_to_the_guides_are_out_of_scope(dispatcher, tracker_for, question):
    await answer(dispatcher, tracker_for(question, "ask_place"))
    reply = texts(dispatcher)
    assert "12333" in reply and "窗口" not in reply


async def test_a_guide_service_named_with_a_nearby_word_is_answered(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("异地工伤就医报告要什么材料", "ask_materials"))
    assert "《工伤职工移居外埠登记表》" in texts(dispatcher)


async def test_what_a_named_package_includes(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("失业保险待遇服务包包括哪些内容", "ask_overview"))
    reply = texts(dispatcher)
    assert "第七包「失业保险待遇服务包」" in reply and "失业金转出" in reply and "说明" in reply


async def test_a_county_named_brings_its_route_whatever_was_asked(dispatcher, tracker_for):
    tracker = tracker_for("清原县的能在县里办吗", "ask_online", service="item:card_unfreeze")
    await answer(dispatcher, tracker)
    assert "县就业局服务大厅" in texts(dispatcher)


async def test_a_follow_up_naming_another_applicant(dispatcher, tracker_for):
    tracker = tracker_for("非全额的呢", "inform_service", aspect="place",
                          service="item:institution_pension_claim")
    await answer(dispatcher, tracker)
    reply = texts(dispatcher)
    assert "51-52号窗口" in reply and "48、49号窗口" not in reply


async def test_two_sub_services_named_in_one_question_are_both_answered(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("社保卡挂失后怎么解挂", "ask_steps"))
    reply = texts(dispatcher)
    assert "【社会保障卡挂失】" in reply and "【社会保障卡解挂】" in reply


async def test_a_detail_word_picks_the_items_of_a_package_that_say_it(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("社保卡能不能代办", "ask_audience"))
    reply = texts(dispatcher)
    assert "代办人身份证" in reply and "【社会保障卡挂失】" not in reply


async def test_two_services_written_out_are_both_answered(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("一次性工亡补助金和丧葬补助金要什么材料", "ask_materials"))
    reply = texts(dispatcher)
    assert "【一次性工亡补助金】" in reply and "【丧葬补助金申领】" in reply


async def test_words_that_together_name_an_uncovered_service(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("企业职工办退休去哪", "ask_place"))
    assert "12333" in texts(dispatcher) and "33、34" not in texts(dispatcher)
    dispatcher.messages.clear()
    await answer(dispatcher, tracker_for("有企业参保经历的机关事业单位人员退休审批要带什么",
                                         "ask_materials"))
    assert "企业个人缴费记录单" in texts(dispatcher)


async def test_an_unsure_parse_asks_for_no_aspect_its_words_do_not_name(dispatcher, tracker_for):
    # 会有人来厂子里看吗 is no question about 网上办理: the card, whose steps say 实地核查, answers
    tracker = tracker_for("会有人来厂子里看吗", "nlu_fallback", confidence=0.35,
                          ranking=[{"name": "nlu_fallback", "confidence": 0.35},
                                   {"name": "ask_online", "confidence": 0.3}],
                          service="item:startup_leader_insurance_subsidy")
    await answer(dispatcher, tracker)
    reply = texts(dispatcher)
    assert "实地核查" in reply and "网上或电话办理" not in reply


async def test_one_word_of_another_package_s_name_does_not_leave_the_context(
        dispatcher, tracker_for):
    # 上班 is a word of 求职登记's alias 想上班, but the message tells about the daughter
    tracker = tracker_for("她在外地上班回不来 俺去行不", "ask_place", confidence=0.45,
                          service="item:graduate_archive_transfer")
    events = await answer(dispatcher, tracker)
    assert "【高校毕业生档案接收和转递】" in texts(dispatcher)
    assert "service" not in slot_events(events)


async def test_a_follow_up_asking_for_a_section_continues_the_context(dispatcher, tracker_for):
    tracker = tracker_for("材料往哪交 俺店在望花", "nlu_fallback", confidence=0.3,
                          ranking=[{"name": "nlu_fallback", "confidence": 0.3}],
                          service="item:startup_venue_subsidy")
    events = await answer(dispatcher, tracker)
    assert "【申请创业场地补贴】" in texts(dispatcher)
    assert slot_events(events)["outcome"] == "answered"


async def test_a_step_already_taken_leaves_the_next_one(dispatcher, tracker_for):
    tracker = tracker_for("退休审批已经在社保大厦办完了 接着去办退休待遇申领 全额拨款事业单位去哪个窗口",
                          "ask_place")
    await answer(dispatcher, tracker)
    reply = texts(dispatcher)
    assert "【机关事业单位待遇申领】" in reply and "48、49号" in reply
    assert "机关事业单位人员退休审批" not in reply


async def test_a_correction_of_the_applicant_keeps_the_service(dispatcher, tracker_for):
    tracker = tracker_for("说错了 俺们是参公单位", "inform_service", aspect="place",
                          service="item:institution_pension_claim")
    events = await answer(dispatcher, tracker)
    reply = texts(dispatcher)
    assert "46、47号" in reply and "33、34号" not in reply
    assert "service" not in slot_events(events)


async def test_a_paper_of_another_service_asked_about_stays_with_the_one_in_context(
        dispatcher, tracker_for):
    # 死亡证明 is a paper of 个人账户一次性待遇 (and one of its names): asked after 丧葬补助金,
    # whether 丧葬补助金 needs it is the question, and the guide does not list it there
    tracker = tracker_for("要死亡证明吗", "ask_materials", aspect="materials",
                          service="item:funeral_grant")
    events = await answer(dispatcher, tracker)
    assert "指南关于「丧葬补助金申领」没有提到死亡证明" in texts(dispatcher)
    assert "service" not in slot_events(events)


async def test_the_papers_of_the_situation_told_are_listed_not_the_others(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("刚从部队复员回来 想办个就业创业证 得带啥", "ask_materials"))
    reply = texts(dispatcher)
    assert "《退役军人证》" in reply and "《居住证》" not in reply
    assert "其他情况另需的材料未列出" in reply


async def test_a_name_of_the_service_tells_no_situation(dispatcher, tracker_for):
    # 失业证 is a name of 《就业创业证》申领, not a word saying the person lost a job
    await answer(dispatcher, tracker_for("办失业证要带啥", "ask_materials"))
    reply = texts(dispatcher)
    assert "《退役军人证》" in reply and "《居住证》" in reply and "未列出" not in reply


async def test_a_situation_of_the_service_before_brings_the_conversation_back(dispatcher,
                                                                             tracker_for):
    # 一次性工亡补助金, then 人才市场在几楼; 工亡 is the situation 第八包 serves, not 第五包
    tracker = tracker_for("那个工亡的钱 一个月里哪几天能去办", "ask_hours", aspect="place",
                          service="package:hr_market", earlier="item:one_time_death_grant")
    events = await answer(dispatcher, tracker)
    assert "【一次性工亡补助金】" in texts(dispatcher) and "1-15号" in texts(dispatcher)
    assert slot_events(events)["service"] == "item:one_time_death_grant"


async def test_a_corrected_situation_asks_the_same_thing_for_the_situation_now_told(
        dispatcher, tracker_for):
    # 遗属待遇 of a retiree (第九包); 说错了 he died of a work injury: 第八包's 遗属 benefit
    tracker = tracker_for("哎呀说错了 他不是退休以后没的 是在单位上班出工伤死的", "ask_materials",
                          aspect="materials", service="item:survivor_benefit_claim")
    events = await answer(dispatcher, tracker)
    assert "【供养遗属抚恤金申领】" in texts(dispatcher)
    assert slot_events(events)["service"] == "item:dependent_pension_claim"


async def test_the_applicant_told_holds_for_the_next_service(dispatcher, tracker_for):
    events = await answer(dispatcher, tracker_for("退休审批 我们是参公单位 上哪去", "ask_place"))
    assert slot_events(events)["applicant"] == "参公单位"
    later = CollectingDispatcher()
    await answer(later, tracker_for("那待遇申领呢", "ask_place", aspect="place",
                                    service="item:institution_retirement_approval",
                                    applicant="参公单位"))
    reply = texts(later)
    assert "46、47号窗口" in reply and "48、49号" not in reply and "51-52号" not in reply


async def test_a_place_for_the_applicant_keeps_the_package_s_address(dispatcher, tracker_for):
    # 社保卡管理大厅 has no address of its own: the package's is given with the narrowed place
    await answer(dispatcher, tracker_for("我是城镇居民 社保卡去哪办", "ask_place"))
    reply = texts(dispatcher)
    assert "城镇居民：" in reply and "新华大街22号" in reply and "在校学生" not in reply


async def test_an_unsure_capabilities_intent_within_a_conversation_is_a_follow_up(
        dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("卡里有银行功能的", "ask_capabilities", confidence=0.56,
                                         service="item:card_replacement", aspect="place"))
    reply = texts(dispatcher)
    assert "【社会保障卡补领、换领、换发】" in reply and "抚顺银行任意网点" in reply
    fresh = CollectingDispatcher()
    await answer(fresh, tracker_for("你能干啥", "ask_capabilities", confidence=0.56))
    assert "十个服务包" in texts(fresh)


async def test_an_online_intent_on_a_route_already_taken_gets_the_card(dispatcher, tracker_for):
    await answer(dispatcher, tracker_for("卡前几天以为丢了打电话给冻上了 现在又找着了 咋弄回能用",
                                         "ask_online"))
    reply = texts(dispatcher)
    assert "【社会保障卡解挂】" in reply and "有效身份证件" in reply
