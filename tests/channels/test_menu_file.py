"""channels/wechat/menu.yml: the shipped file, what each of its keys gets, and malformed files."""
import copy

import pytest
import yaml
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from channels.wechat.errors import ConfigurationError, MenuFileError
from channels.wechat.menu_file import DEFAULT_PATH, load_menu, service_payload
from channels.wechat.replies import utf8_len
from guide_kb.loader import load_guide
from tests.actions.conftest import make_tracker
from tests.channels.conftest import domain

MENU = load_menu()
RAW = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
GUIDE = load_guide()


def click_keys(buttons):
    for button in buttons:
        yield from click_keys(button.get("sub_button", []))
        if button.get("type") == "click":
            yield button["key"]


SHIPPED_KEYS = list(click_keys(MENU.wechat_menu()["button"]))


# ---- the shipped file ---------------------------------------------------------------------------

def test_shipped_menu_fits_wechat():
    buttons = MENU.wechat_menu()["button"]
    assert [b["name"] for b in buttons] == ["办事指南", "常办事项", "人工咨询"]
    assert all(1 <= len(b["sub_button"]) <= 5 for b in buttons)
    assert len(SHIPPED_KEYS) == len(set(SHIPPED_KEYS)) == 12
    views = [s for b in buttons for s in b["sub_button"] if s["type"] == "view"]
    assert views == [{"name": "网上经办大厅", "type": "view", "url": GUIDE.document.online_hall}]


def test_payload_keys_are_what_the_chats_buttons_send():
    assert MENU.answer("item:card_loss_report").payload == \
        '/ask_steps{"service_id": "item:card_loss_report"}'
    assert MENU.answer("package:graduate").payload == \
        '/ask_overview{"service_id": "package:graduate"}'
    # also a package or item the menu does not show: an old menu still live is answered
    assert MENU.answer("item:archive_lookup").intent == "ask_steps"
    assert MENU.answer("package:entrepreneurship").intent == "ask_overview"
    assert MENU.answer("item:nothing") is None and MENU.answer("MENU_1") is None


def rasa_parse(payload):
    """What Rasa's RegexMessageHandler makes of a payload, with the bot's domain."""
    message = YAMLStoryReader.unpack_regex_message(Message(data={"text": payload}), domain())
    entities = message.get("entities") or []
    return message.get("intent")["name"], entities


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("BOT_TODAY", "2026-11-27")


@pytest.mark.parametrize("key", SHIPPED_KEYS + [r["reply"] for r in RAW["keywords"]]
                         + [RAW["subscribe"]])
async def test_every_key_of_the_file_gets_an_answer_of_the_guide(key):
    answer = MENU.answer(key)
    assert answer is not None
    if answer.text is not None:  # a fixed text: the guide's facts, under 2000 bytes
        assert answer.intent in domain().intents and "{" not in answer.text
        assert GUIDE.document.hotline in answer.text and utf8_len(answer.text) <= 2000
        return
    intent, entities = rasa_parse(answer.payload)
    assert intent == answer.intent and intent in domain().intents
    tracker = make_tracker(answer.payload, intent, 1.0, entities)
    dispatcher = CollectingDispatcher()
    events = await ActionAnswer().run(dispatcher, tracker, domain={})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["outcome"] == "answered" and dispatcher.messages[0]["text"]
    if ":" in key:  # the service the click named is the one answered and counted
        assert slots["service"] == key


def test_fixed_texts_name_the_guides_facts():
    welcome = MENU.welcome
    assert welcome.intent == "greet" and welcome.payload is None
    for package in GUIDE.packages:
        assert f"{package.ordinal} {package.name}" in welcome.text
    assert GUIDE.document.title in welcome.text
    assert GUIDE.document.online_hall in welcome.text
    assert "{" not in MENU.answer("address").text


def test_service_payload():
    assert service_payload("ask_steps", "item:x") == '/ask_steps{"service_id": "item:x"}'


# ---- malformed files ----------------------------------------------------------------------------

def refused(tmp_path, change):
    raw = copy.deepcopy(RAW)
    change(raw)
    path = tmp_path / "menu.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MenuFileError) as error:
        load_menu(path)
    return error.value


def sub(raw, button, index):
    return raw["button"][button]["sub_button"][index]


@pytest.mark.parametrize("change,path,rule", [
    (lambda r: r["button"].append({"name": "第四个", "type": "click", "key": "handoff"}),
     "button", "1 to 3 top-level buttons, found 4"),
    (lambda r: r["button"][1]["sub_button"].append(
        {"name": "社保卡解挂", "type": "click", "key": "item:card_unfreeze"}),
     "button[1].sub_button", "1 to 5 sub-buttons, found 6"),
    (lambda r: r["button"][0].update(name="人社办事指南"),
     "button[0].name", "18 bytes in UTF-8; WeChat allows at most 16 for a top-level button"),
    (lambda r: sub(r, 1, 2).update(name="社会保障卡申领" * 3),
     "button[1].sub_button[2].name", "63 bytes in UTF-8; WeChat allows at most 60"),
    (lambda r: sub(r, 2, 2).update(url="ftp://fsrs.fushun.gov.cn/"),
     "button[2].sub_button[2].url", "http:// or https://"),
    (lambda r: sub(r, 2, 2).update(url="fsrs.fushun.gov.cn"),
     "button[2].sub_button[2].url", "http:// or https://"),
    (lambda r: sub(r, 1, 3).update(key="item:card_lost"),
     "button[1].sub_button[3].key", "no item with id 'card_lost' in knowledge/guide.yml"),
    (lambda r: sub(r, 0, 1).update(key="package:unemployed"),
     "button[0].sub_button[1].key", "no package with id 'unemployed'"),
    (lambda r: sub(r, 1, 4).update(key="item:card_loss_report"),
     "button[1].sub_button[4].key", "duplicate of button[1].sub_button[3].key"),
    (lambda r: sub(r, 2, 1).update(key="adress"),
     "button[2].sub_button[1].key", "'adress' is not a key of replies"),
    (lambda r: sub(r, 2, 0).update(key="faq:handoff"),
     "button[2].sub_button[0].key", "is not package:<id>, item:<id> or a key of replies"),
    (lambda r: sub(r, 2, 0).update(key="k" * 129),
     "button[2].sub_button[0].key", "is 129 bytes; WeChat allows at most 128"),
    (lambda r: sub(r, 2, 0).update(type="miniprogram"),
     "button[2].sub_button[0].type", "'miniprogram' is not supported here: use click or view"),
    (lambda r: sub(r, 2, 0).pop("key"),
     "button[2].sub_button[0].key", "is missing"),
    (lambda r: sub(r, 2, 2).update(key="handoff"),
     "button[2].sub_button[2].key", "a view button opens its url and has no key"),
    (lambda r: r["button"][0].update(type="click"),
     "button[0].type", "a button with sub_button opens them"),
    (lambda r: sub(r, 0, 0).update(ur1="x"), "button[0].sub_button[0].ur1", "unknown field"),
    (lambda r: r["replies"]["handoff"].update(payload="/human_handof"),
     "replies.handoff.payload", "intent 'human_handof' is not in domain.yml"),
    (lambda r: r["replies"]["handoff"].update(payload="human_handoff"),
     "replies.handoff.payload", "must be an intent payload"),
    (lambda r: r["replies"]["handoff"].update(payload='/ask_steps{"service_id": }'),
     "replies.handoff.payload", "must be a JSON object"),
    (lambda r: r["replies"]["address"].pop("intent"),
     "replies.address.intent", "is missing"),
    (lambda r: r["replies"]["address"].update(text="请拨打{hot_line}"),
     "replies.address.text", "unknown placeholder {hot_line}"),
    (lambda r: r["replies"]["address"].update(payload="/ask_place"),
     "replies.address", "either a payload"),
    (lambda r: r["keywords"][0]["words"].append("更多"),
     "keywords[0].words[5]", "the rest of an answer (更多)"),
    (lambda r: r["keywords"][0]["words"].append(1),
     "keywords[0].words[5]", "to pick a listed choice"),
    (lambda r: r["keywords"][2]["words"].append("人工"),
     "keywords[2].words[2]", "'人工' is already in keywords[0].words[0]"),
    (lambda r: r["keywords"][1].update(match="regex"),
     "keywords[1].match", "'regex' is not exact or contains"),
    (lambda r: r["keywords"][1].update(reply="operator"),
     "keywords[1].reply", "'operator' is not a key of replies"),
    (lambda r: r.update(subscribe="hello"), "subscribe", "'hello' is not a key of replies"),
    (lambda r: r.pop("subscribe"), "subscribe", "is missing"),
    (lambda r: r.update(buttons=[]), "buttons", "unknown field"),
])
def test_malformed_file_is_refused_naming_entry_and_rule(tmp_path, change, path, rule):
    error = refused(tmp_path, change)
    assert (error.path, rule in error.rule) == (path, True), error.problems
    assert f"menu.yml: {path}: " in str(error)
    assert isinstance(error, ConfigurationError)  # the channel disables itself with it


def test_every_problem_is_listed(tmp_path):
    def two_problems(raw):
        raw["button"][0]["name"] = "人社办事指南"
        sub(raw, 2, 2)["url"] = "ftp://x"
    error = refused(tmp_path, two_problems)
    assert [path for path, _ in error.problems] == ["button[0].name",
                                                     "button[2].sub_button[2].url"]
    assert str(error).count("menu.yml: ") == 2


def test_duplicate_yaml_keys_are_refused(tmp_path):
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    path = tmp_path / "menu.yml"
    path.write_text(text.replace("  welcome:\n", "  handoff:\n    payload: /greet\n  welcome:\n"),
                    encoding="utf-8")
    with pytest.raises(MenuFileError) as error:
        load_menu(path)
    assert error.value.path.startswith("line ") and "duplicate key 'handoff'" in error.value.rule


@pytest.mark.parametrize("text,rule", [("button: [a\n", "not valid YAML"),
                                       ("- a list\n", "must be a mapping")])
def test_not_a_menu_file(tmp_path, text, rule):
    path = tmp_path / "menu.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MenuFileError) as error:
        load_menu(path)
    assert rule in error.value.rule


def test_missing_file(tmp_path):
    with pytest.raises(MenuFileError) as error:
        load_menu(tmp_path / "none.yml")
    assert "cannot be read" in error.value.rule
