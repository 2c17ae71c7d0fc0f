from pathlib import Path

import pytest
import yaml

AGENT_QUERIES = Path(__file__).with_name("agent_queries.yml")
TOP1_TARGET = 0.95


def test_agent_queries_rank_the_right_item_first(search):
    queries = yaml.safe_load(AGENT_QUERIES.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 60
    misses = []
    for case in queries:
        hits = search.search(case["q"])
        if not hits or hits[0].item.id != case["top"]:
            misses.append((case["q"], case["top"], hits[0].item.id if hits else None))
    top1 = 1 - len(misses) / len(queries)
    assert top1 >= TOP1_TARGET, f"top-1 {top1:.1%}; misses: {misses}"


def test_hotline_keywords_find_their_service_first(search):
    assert search.search("挂失")[0].item.id == "card_loss_report"
    assert search.search("工亡")[0].package.id == "work_injury_death"
    assert search.search("档案")[0].package.id == "graduate"
    assert search.search("退休")[0].package.id in {"public_institution", "retiree_death"}


def test_guide_terms_stay_whole(search):
    words = search.tokenizer.words("失业保险金和社会保障卡还有就业创业证")
    assert {"失业保险金", "社会保障卡", "就业创业证"} <= set(words)


def test_words_are_split_once_and_handed_out_as_new_lists(search):
    first = search.tokenizer.words("社保卡丢了怎么办")
    first.append("changed by a caller")
    assert search.tokenizer.words("社保卡丢了怎么办") == ["社保卡", "挂失"]


def test_question_words_do_not_count(search):
    assert search.tokenizer.words("请问需要带什么材料") == []


def test_out_of_scope_words_are_unknown_and_find_nothing(search):
    for query in ("公积金", "北京今天限行吗", "房产证怎么办"):
        assert search.search(query) == [], query
        assert search.unknown_words(query), query


def test_words_naming_nothing_are_no_sign_of_another_topic(search):
    # a pronoun, a time, an adverb or a place name says nothing of what is asked
    assert search.unknown_words("他去年一直在沈阳 公积金咋取") == ["公积金"]
    assert search.unknown_words("他们今年已经搬到大连了") == []


def test_a_paper_is_known_by_its_whole_name_not_by_its_parts(search):
    # 学生 and 证 are each in the guide (高校毕业生, 身份证), 学生证 is not
    assert search.unknown_words("学生证丢了咋补") == ["学生证"]
    assert search.unknown_words("身份证和户口本要带吗") == []
    assert search.unknown_words("要带死亡证明吗") == []


def test_everyday_words_find_the_guide_s_terms(search):
    # 医保 is what people say for 基本医疗保险; whom that item serves is checked by the action
    assert search.search("失业了医保咋办")[0].item.id == "basic_medical_premium_payment"
    assert search.search("医保卡丢了")[0].package.id == "social_security_card"
    # 帮衬 is the guide's 扶持 (创业扶持, 扶持政策)
    assert search.search("想自己干点小买卖 国家有啥帮衬的")[0].item.id == "startup_policy_consultation"


def test_a_long_story_is_matched_on_the_words_it_explains(search):
    story = ("我在厂里干活让机器把手给绞了住了一个多月院出院以后单位让我自个儿去报工伤的医药费"
             "出院小结我就一份原件怕交上去就没了交复印件行不行")
    assert search.search(story)[0].item.id == "injury_medical_expense_claim"


def test_shared_word_names_both_unemployment_claims(search):
    best = search.search("失业金")[0].item
    named = {item.id for item in search.equally_named("失业金怎么领", best)}
    assert named == {"unemployment_benefit_claim", "insurance_benefit_claim"}


def test_traditional_characters_and_misspellings_find_the_same(search):
    plain = search.search("社保卡挂失")[0].item.id
    assert search.search("社保卡掛失")[0].item.id == plain
    assert search.search("社报卡挂失")[0].item.id == plain


def test_scores_are_ranked_and_limited(search):
    hits = search.search("社保卡", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_package_filter(search):
    hits = search.search("身份证", package_id="social_security_card")
    assert hits and all(h.package.id == "social_security_card" for h in hits)


def test_own_words_are_the_question_s_words_in_the_item_s_names(search):
    item = search.guide.item("job_seeker_registration")
    assert search.own_words("她在外地找工作回不来", item) == ["求职登记"]
    assert search.own_words("要带啥", item) == []


def test_a_name_split_by_de_is_read_as_the_name(search):
    assert "失业登记" in search.tokenizer.words("俺要办个失业的登记")
    assert search.search("失业的登记")[0].item.id == "unemployment_registration"


def test_a_verb_before_a_name_does_not_glue_to_part_of_it(search):
    # 办失业金 is 办 + 失业金, not a name of 失业登记 + 金
    assert "失业金" in search.tokenizer.words("我想去分中心当面办失业金")


@pytest.mark.parametrize("said,guide_word", [
    ("火化证", "火化收据"), ("退休工资", "养老金"), ("暂住证", "居住证"), ("离职证明", "解除劳动关系"),
    ("退伍证", "退役军人证"), ("户口簿", "户口本"),
])
def test_everyday_names_of_papers_are_the_guide_s(search, said, guide_word):
    assert guide_word in search.tokenizer.words(f"{said}要带吗")


def test_no_everyday_word_is_part_of_the_guide_word_it_stands_for():
    # 死亡证 → 死亡证明 would turn a written 死亡证明 into 死亡证明明
    from guide_kb.normalize import vocabulary
    # (one character, 领 → 申领, stands for a whole word only; a phrase is replaced inside the text)
    assert [said for said, word in vocabulary()["query_synonyms"].items()
            if len(said) > 1 and said in word] == []
