"""The 12333 agent console (/agent) in headless Chromium. It reads the knowledge base through the
web app only; its app here points at a closed bot port, so these tests also show that the console
works while Rasa is down."""
from __future__ import annotations

import re

import pytest

from guide_kb import render
from guide_kb.hours import today
from guide_kb.loader import load_guide
from tests.web.conftest import free_port

pytestmark = pytest.mark.browser

GUIDE = load_guide()


@pytest.fixture(scope="module")
def console(serve):
    return serve(bot_url=f"http://127.0.0.1:{free_port()}")  # no bot: the console must not care


def test_console_finds_card_loss_and_copies_the_answer(context_factory, console, screenshots):
    context = context_factory(viewport={"width": 1366, "height": 900},
                              permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(console.url + "/agent")
    assert page.evaluate("() => document.activeElement.id") == "q"  # focused on load

    page.keyboard.type("社保卡挂失")  # results as you type, no Enter
    first = page.locator("#results .hit").first
    first.wait_for()
    assert first.locator(".hit-pkg").text_content() == "第十包 社保卡服务包"
    assert first.locator(".hit-name").text_content() == "社会保障卡挂失"

    item = GUIDE.item("card_loss_report")
    detail = page.locator("#detail")
    page.locator("#detail .detail-title", has_text=item.name).wait_for()
    assert detail.locator(".detail-pkg").text_content() == "第十包「社保卡服务包」"
    assert detail.locator(".checklist label").all_text_contents() == [
        m.label() for m in item.materials]
    assert detail.locator(".checklist input[type=checkbox]").count() == len(item.materials)
    assert detail.get_by_text(render.place_lines(GUIDE, item)[0]).count() >= 1
    for step in item.steps:
        assert detail.get_by_text(step.line(), exact=True).count() == 1
    assert detail.locator(".source").text_content() == render.source_line(
        GUIDE, GUIDE.package_of(item))
    page.screenshot(path=str(screenshots / "agent-search.png"), full_page=True)

    page.get_by_role("button", name="复制答复").click()
    page.locator("#copy-status", has_text="已复制").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == render.card_answer(GUIDE, item, today())
    assert all(u.startswith(console.url) for u in requests), requests


def test_copy_falls_back_to_a_textarea_without_the_clipboard_api(context_factory, console):
    page = context_factory().new_page()
    page.add_init_script("""
        Object.defineProperty(navigator, 'clipboard', {value: undefined});
        window.__copied = null;
        document.execCommand = function (command) {
            const area = document.querySelector('textarea.sr-only');
            window.__copied = command === 'copy' && area ? area.value : null;
            return window.__copied !== null;
        };
    """)
    page.goto(console.url + "/agent#funeral_grant")
    page.locator("#detail .detail-title", has_text="丧葬补助金申领").wait_for()
    page.get_by_role("button", name="复制答复").click()
    page.locator("#copy-status", has_text="已复制").wait_for()
    assert page.evaluate("() => window.__copied") == render.card_answer(
        GUIDE, GUIDE.item("funeral_grant"), today())
    assert page.locator("textarea.sr-only").count() == 0  # cleaned up


def test_browse_packages_without_typing_and_window_59_today(context_factory, console,
                                                             screenshots):
    page = context_factory(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(console.url + "/agent")
    summaries = page.locator("#packages summary")
    summaries.first.wait_for()
    assert summaries.count() == 10
    assert [s.strip() for s in summaries.all_text_contents()] == [
        f"{p.ordinal}{p.name}" for p in GUIDE.packages]
    page.locator("#packages summary", has_text="第八包").click()
    eighth = GUIDE.package("work_injury_death")
    buttons = page.locator("#packages details[open] .item-link")
    assert buttons.all_text_contents() == [i.name for i in eighth.items]
    page.get_by_role("button", name="丧葬补助金申领").click()
    detail = page.locator("#detail")
    detail.locator(".detail-title", has_text="丧葬补助金申领").wait_for()
    # BOT_TODAY is 2020-12-07 (conftest): the 59号窗口 takes it (每月1-15号)
    assert detail.locator(".badge").text_content() == "今天可办理（每月1-15号）"
    assert detail.get_by_text("窗口：59号").count() == 1
    assert detail.get_by_text(re.compile("^今天是12月7日，在办理时间内")).count() == 1
    assert page.evaluate("() => document.activeElement.id") == "detail"
    page.screenshot(path=str(screenshots / "agent-browse.png"), full_page=True)


def test_search_without_results_and_keyboard(context_factory, console):
    page = context_factory().new_page()
    page.goto(console.url + "/agent")
    page.keyboard.type("今天天气怎么样")
    page.locator("#status", has_text="没有找到").wait_for()
    page.keyboard.press("Escape")  # clears, back to browsing
    page.locator("#packages").wait_for(state="visible")
    page.keyboard.type("失业金")
    page.locator("#results .hit").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.className") == "hit"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    second = page.locator("#results .hit").nth(1)
    assert second.get_attribute("aria-current") == "true"


def test_print_view_fits_on_one_page(context_factory, console, screenshots):
    page = context_factory().new_page()
    longest = max(GUIDE.items, key=lambda i: len(i.materials) * 80
                  + sum(len(s.line()) for s in i.steps))
    for item_id in ["card_loss_report", longest.id]:
        page.goto(f"{console.url}/agent/print/{item_id}")
        labels = page.locator(".checklist li").all_text_contents()
        assert labels == [m.label() for m in GUIDE.item(item_id).materials]
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1, item_id
    page.emulate_media(media="print")
    page.screenshot(path=str(screenshots / "agent-print.png"), full_page=True)


def test_a_word_two_packages_share_lists_whom_each_serves(context_factory, console):
    # 失业金 is package 6's (社区站点 or online) and package 7's (社保分中心): the agent tells
    # the caller which is theirs from the 服务对象 lines, as the chat does
    page = context_factory(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(console.url + "/agent")
    page.keyboard.type("失业金")
    page.locator("#results .hit").first.wait_for()
    audiences = page.locator("#results .hit-audience").all_text_contents()
    expected = {f"服务对象：{GUIDE.package(p).audience}" for p in ("unemployment",
                                                                "unemployment_insurance")}
    assert expected <= set(audiences)


def test_results_of_one_package_carry_no_audience_line(context_factory, console):
    page = context_factory(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(console.url + "/agent")
    page.keyboard.type("社保卡挂失")
    page.locator("#results .hit").first.wait_for()
    assert set(page.locator("#results .hit-pkg").all_text_contents()) == {"第十包 社保卡服务包"}
    assert page.locator("#results .hit-audience").count() == 0
