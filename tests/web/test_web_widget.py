"""The citizen widget in headless Chromium, against the demo page (/) of the web app.

The bot is the real one (Rasa and the action server on loopback, or WEB_TEST_BOT_URL; see
conftest.py); where a test needs the bot to go away and come back, or a fixed choice of
services, tests/web/stub_bot.py replays the bot's replies. Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import pytest

from tests.web.conftest import free_port
from tests.web.stub_bot import StubBot

pytestmark = pytest.mark.browser

QUESTION = "社保卡丢了怎么办"
FOLLOW_UP = "要带什么材料"
XSS = "<img src=x onerror=alert(1)>"
# The bot's replies, as it gives them, for the tests that replay them
CARD = {"text": "【社会保障卡挂失】\n办理地点：\n社保卡管理大厅\n来源：《抚顺市人社服务快办行动打包办服务指南"
                "（试行）》第十包「社保卡服务包」"}
CHOICE = {"text": "您的问题可能涉及以下几项业务，请问您指的是哪一项？\n"
                  "失业保险金申领（第六包「就业服务包」）\n失业保险失业金申领（第七包「失业保险服务包」）",
          "buttons": [{"title": "失业保险金申领",
                       "payload": '/ask_steps{"service_id": "item:unemployment_benefit_claim"}'},
                      {"title": "失业保险失业金申领",
                       "payload": '/ask_steps{"service_id": "item:insurance_benefit_claim"}'}]}
CHOSEN = {"text": "【失业保险金申领】\n办理流程：\n1. 申请人提出申请"}


def _open_widget(page, url: str) -> None:
    page.goto(url + "/")
    page.get_by_role("button", name="在线咨询：抚顺人社快办助手").click()
    page.locator("#fsrs-chat-input").wait_for(state="visible")


def _ask(page, text: str) -> None:
    count = page.locator(".fsrs-msg-bot:not(.fsrs-greeting)").count()
    box = page.locator("#fsrs-chat-input")
    box.fill(text)
    box.press("Enter")
    page.locator(".fsrs-msg-bot:not(.fsrs-greeting)").nth(count).wait_for()
    page.locator(".fsrs-typing").wait_for(state="hidden")


def _reopen(page) -> None:
    """After a reload: the panel stays open within the tab's session; open it if not."""
    page.locator(".fsrs-chat:not([hidden])").wait_for(state="attached")  # stylesheet loaded
    launcher = page.locator(".fsrs-launcher")
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()


def _bot_texts(page):
    return page.locator(".fsrs-msg-bot:not(.fsrs-greeting) .fsrs-bubble").all_text_contents()


def test_widget_answers_a_question_and_a_follow_up(context_factory, site, bot_url, screenshots):
    context = context_factory(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    _open_widget(page, site.url)
    assert page.locator(".fsrs-panel").get_attribute("role") == "dialog"
    log = page.locator(".fsrs-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"

    # the typing indicator shows while the bot thinks (recorded, however fast the bot is)
    page.evaluate("""() => {
        const typing = document.querySelector('.fsrs-typing');
        window.__typingSeen = false;
        new MutationObserver(() => { if (!typing.hidden) window.__typingSeen = true; })
            .observe(typing, {attributes: true});
    }""")
    box = page.locator("#fsrs-chat-input")
    box.fill(QUESTION)
    box.press("Enter")
    page.locator(".fsrs-msg-bot:not(.fsrs-greeting)").first.wait_for()
    assert page.evaluate("() => window.__typingSeen")
    page.locator(".fsrs-typing").wait_for(state="hidden")
    assert "挂失" in _bot_texts(page)[-1]
    assert page.locator(".fsrs-msg-user .fsrs-bubble").last.text_content() == QUESTION

    _ask(page, FOLLOW_UP)
    answer = _bot_texts(page)[-1]
    assert "有效身份证件" in answer  # the materials of 社会保障卡挂失: the bot kept the context
    # the answer as blocks: the service as a heading, the asked materials first (short: the
    # lead), the other sections under headings
    bubble = page.locator(".fsrs-msg-bot .fsrs-bubble").last
    assert bubble.get_by_role("heading", level=3).text_content() == "社会保障卡挂失"
    assert bubble.locator(".fsrs-answer-body > *").first.text_content().startswith("所需材料：")
    assert "办理地点" in bubble.get_by_role("heading", level=4).all_text_contents()
    assert bubble.evaluate("e => e.getBoundingClientRect().height") > 60
    page.screenshot(path=str(screenshots / "widget-desktop.png"))

    # no request leaves the site: only the page's origin and the bot
    assert requests and all(u.startswith((site.url, bot_url)) for u in requests), requests


def test_reload_continues_the_conversation(context_factory, site):
    page = context_factory().new_page()
    _open_widget(page, site.url)
    _ask(page, QUESTION)
    sender = page.evaluate("() => Object.keys(localStorage).filter(k => k.endsWith(':sender'))"
                           ".map(k => localStorage.getItem(k))[0]")
    before = page.locator(".fsrs-log .fsrs-bubble").all_text_contents()

    page.reload()
    _reopen(page)
    assert page.locator(".fsrs-log .fsrs-bubble").all_text_contents() == before
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.endsWith(':sender'))"
                         ".map(k => localStorage.getItem(k))[0]") == sender
    _ask(page, FOLLOW_UP)  # the bot still knows what we talked about
    assert "有效身份证件" in _bot_texts(page)[-1]


def test_html_in_a_message_is_shown_as_text(context_factory, site):
    page = context_factory().new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open_widget(page, site.url)
    _ask(page, XSS)
    assert page.locator(".fsrs-msg-user .fsrs-bubble").last.text_content() == XSS
    assert page.locator(".fsrs-log img").count() == 0
    assert page.locator("img").count() == 0
    page.reload()  # restored from localStorage: still text
    _reopen(page)
    assert page.locator(".fsrs-msg-user .fsrs-bubble").last.text_content() == XSS
    assert page.locator(".fsrs-log img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []


def test_phone_viewport_and_care_mode(context_factory, site, screenshots):
    context = context_factory(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(site.url + "/")
    page.screenshot(path=str(screenshots / "phone-page.png"))
    page.locator(".fsrs-launcher").tap()
    page.locator("#fsrs-chat-input").wait_for(state="visible")
    box = page.locator(".fsrs-panel").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    size = lambda selector: page.locator(selector).last.evaluate(  # noqa: E731
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size("#fsrs-chat-input") >= 16  # no zoom-jump on focus
    _ask(page, QUESTION)
    page.screenshot(path=str(screenshots / "phone-chat.png"))

    care = page.get_by_role("button", name="关怀模式")
    care.tap()
    assert care.get_attribute("aria-pressed") == "true"
    assert size(".fsrs-msg-bot .fsrs-bubble") >= 20
    assert size(".fsrs-msg-user .fsrs-bubble") >= 20
    assert size("#fsrs-chat-input") >= 20
    assert size(".fsrs-send") >= 20
    send_colors = page.locator(".fsrs-send").evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert send_colors == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]  # high contrast
    assert page.locator(".fsrs-panel").bounding_box()["width"] == 390
    page.screenshot(path=str(screenshots / "phone-care.png"))

    page.reload()  # remembered
    assert page.locator(".fsrs-chat").evaluate("e => e.classList.contains('fsrs-care')")


def test_keyboard_only(context_factory, site):
    page = context_factory().new_page()
    page.goto(site.url + "/")
    page.locator(".fsrs-launcher").wait_for()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('fsrs-launcher')"):
            break
    else:
        pytest.fail("Tab never reached the launcher")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "fsrs-chat-input"
    assert page.locator(".fsrs-launcher").get_attribute("aria-expanded") == "true"
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    page.locator(".fsrs-msg-bot:not(.fsrs-greeting)").first.wait_for()
    assert page.locator(".fsrs-msg-user .fsrs-bubble").last.text_content() == QUESTION
    assert page.evaluate("() => document.activeElement.id") == "fsrs-chat-input"
    page.keyboard.press("Escape")
    assert page.locator(".fsrs-panel").is_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('fsrs-launcher')")
    assert page.locator(".fsrs-launcher").get_attribute("aria-expanded") == "false"


def test_error_state_when_the_bot_is_down_and_retry(context_factory, serve, screenshots):
    port = free_port()  # nothing listens here yet
    down = serve(bot_url=f"http://127.0.0.1:{port}")
    page = context_factory(viewport={"width": 1280, "height": 860}).new_page()
    _open_widget(page, down.url)
    page.locator("#fsrs-chat-input").fill(QUESTION)
    page.locator("#fsrs-chat-input").press("Enter")
    error = page.get_by_role("alert")
    error.wait_for()
    assert "12333" in error.text_content()
    assert page.locator(".fsrs-hotline").get_attribute("href") == "tel:12333"
    assert page.locator(".fsrs-msg-user .fsrs-bubble").last.text_content() == QUESTION
    assert page.locator(".fsrs-msg-failed").count() == 1
    page.screenshot(path=str(screenshots / "widget-bot-down.png"))

    with StubBot({QUESTION: [CARD]}, port=port) as bot:  # back: retry resends the message
        page.get_by_role("button", name="重试发送").click()
        page.locator(".fsrs-msg-bot:not(.fsrs-greeting)").first.wait_for()
        assert bot.received and bot.received[-1][1] == QUESTION
    assert "挂失" in _bot_texts(page)[-1]
    assert page.locator(".fsrs-error").is_hidden()
    assert page.locator(".fsrs-msg-failed").count() == 0


def test_quick_replies_and_feedback(context_factory, serve):
    with StubBot({"失业金怎么领": [CHOICE],
                  CHOICE["buttons"][0]["payload"]: [CHOSEN]}) as bot:
        server = serve(bot_url=bot.url)
        page = context_factory().new_page()
        _open_widget(page, server.url)
        _ask(page, "失业金怎么领")  # two services fit equally: the bot offers buttons
        choices = page.locator(".fsrs-quick-button")
        assert choices.count() >= 2
        title = choices.first.text_content()
        choices.first.click()
        page.locator(".fsrs-msg-bot:not(.fsrs-greeting)").nth(1).wait_for()
        assert page.locator(".fsrs-msg-user .fsrs-bubble").last.text_content() == title
        assert bot.received[-1][1].startswith("/ask_")  # the payload was sent, not the title
        assert title in _bot_texts(page)[-1]
        assert page.locator(".fsrs-quick-button").count() == 0  # used up

        page.locator(".fsrs-msg-bot").last.get_by_role("button", name="有帮助").click()
        page.locator(".fsrs-msg-bot").last.get_by_text("感谢您的反馈").wait_for()
        rows = server.app.ctx.feedback.all()
        assert len(rows) == 1 and rows[0]["rating"] == "up"
        assert rows[0]["question"] == title and title in rows[0]["answer"]
        assert rows[0]["sender"] == bot.received[-1][0]


def test_after_a_thumbs_down_the_widget_asks_why(context_factory, serve):
    with StubBot({QUESTION: [CARD]}) as bot:
        server = serve(bot_url=bot.url)
        page = context_factory().new_page()
        _open_widget(page, server.url)
        _ask(page, QUESTION)
        answer = page.locator(".fsrs-msg-bot").last
        answer.get_by_role("button", name="没帮助").click()
        prompt = answer.get_by_role("group", name="哪里不好？（可不填）")
        prompt.wait_for()
        assert prompt.get_by_role("button").all_text_contents() == [
            "与问题无关", "答案不完整", "答案有错误", "其他"]
        prompt.get_by_label("其他原因（可不填）").fill("电话13912345678打不通")
        prompt.get_by_role("button", name="其他").click()
        answer.get_by_text("已记录原因，感谢您的反馈").wait_for()
        assert prompt.count() == 0
        rows = server.app.ctx.feedback.all()
        assert [(r["rating"], r["reason"], r["note"]) for r in rows] == [
            ("down", "其他", "电话[手机号已隐藏 尾号5678]打不通")]
        assert rows[0]["sender"] == bot.received[-1][0]
