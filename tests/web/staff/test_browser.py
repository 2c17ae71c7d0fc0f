"""The bureau's side in headless Chromium, against the real bot (Rasa with its HTTP API on, the
action server, the web app): a citizen's question the bot refuses appears in the inbox, an
editor resolves it as "means 社会保障卡挂失", publishes (retrain, score, swap), and the same
wording is then answered. Also login and logout.

The publishing set here is the first cases of tests/eval/dev.yml (PUBLISH_CASES), for speed; the
product's default is the whole of dev.yml.
"""
from __future__ import annotations

import json
import urllib.request

import pytest
import yaml

from ops.local_stack import BotStack
from ops.settings import ROOT
from tests.model import require_model
from tests.web.conftest import ServerThread
from tests.web.staff.conftest import PASSWORD, staff_config
from web.app import create_app
from web.staff import accounts
from web.staff.store import StaffStore

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

TOKEN = "browser-test-token"
WORDING = "卡片飞了咋整"
ITEM = "card_loss_report"
PUBLISH_CASES = 6
PUBLISH_TIMEOUT_MS = 900_000


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """(web app, Rasa port, tmp dir): the real bot, the app's staff data and wordings in tmp."""
    model = require_model()
    tmp = tmp_path_factory.mktemp("staff-browser")
    wordings = tmp / "staff_wordings.yml"
    monkey = pytest.MonkeyPatch()
    monkey.setenv("WORDINGS_PATH", str(wordings))  # the web app and the training read it
    cases = yaml.safe_load((ROOT / "tests" / "eval" / "dev.yml").read_text(encoding="utf-8"))
    eval_set = tmp / "publish_set.yml"
    eval_set.write_text(yaml.safe_dump({"cases": cases["cases"][:PUBLISH_CASES]},
                                       allow_unicode=True), encoding="utf-8")
    stack = BotStack(tmp, extra_env={"WORDINGS_PATH": str(wordings)})
    server = None
    try:
        stack.start_actions()
        port = stack.start_rasa(model, cors=["*"], token=TOKEN)
        config = staff_config(
            tmp, f"sqlite:///{stack.settings.sqlite_path}", bot_url=f"http://127.0.0.1:{port}",
            rasa_token=TOKEN, action_url=f"http://127.0.0.1:{stack.settings.actions_port}/webhook",
            models_dir=tmp / "models", publish_dir=tmp / "publish", eval_set=eval_set)
        store = StaffStore(config.staff_db_url)
        accounts.save(store, "ed", "editor", PASSWORD)
        store.engine.dispose()
        server = ServerThread(create_app(config)).start()
        yield server, port, tmp
    finally:
        if server:
            server.stop()
        stack.stop()
        monkey.undo()


def _ask(page, text: str) -> str:
    count = page.locator(".fsrs-msg-bot:not(.fsrs-greeting)").count()
    box = page.locator("#fsrs-chat-input")
    box.fill(text)
    box.press("Enter")
    page.locator(".fsrs-msg-bot:not(.fsrs-greeting)").nth(count).wait_for()
    page.locator(".fsrs-typing").wait_for(state="hidden")
    return "\n".join(page.locator(".fsrs-msg-bot:not(.fsrs-greeting) .fsrs-bubble")
                     .all_text_contents()[count:])


def _citizen_asks(context_factory, url: str, text: str) -> str:
    page = context_factory().new_page()
    page.goto(url + "/")
    page.get_by_role("button", name="在线咨询：抚顺人社快办助手").click()
    page.locator("#fsrs-chat-input").wait_for(state="visible")
    return _ask(page, text)


def _login(page, url: str) -> None:
    page.goto(url + "/staff/inbox")
    assert page.url.startswith(url + "/staff/login")
    page.get_by_label("用户名").fill("ed")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(url + "/staff/inbox")


def _live_model(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/status?token={TOKEN}") as answer:
        return json.loads(answer.read())["model_file"]


def test_login_and_logout(world, context_factory, screenshots):
    server, _, _ = world
    page = context_factory().new_page()
    page.goto(server.url + "/staff/login")
    page.get_by_label("用户名").fill("ed")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码不正确" in page.locator("[role=alert]").text_content()
    _login(page, server.url)
    assert page.locator(".staff-nav .who").text_content() == "ed（editor）"
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(server.url + "/staff/login")
    page.goto(server.url + "/staff/dashboard")
    assert page.url.startswith(server.url + "/staff/login?next=/staff/dashboard")


def test_a_refused_question_is_resolved_published_and_then_answered(world, context_factory,
                                                                    screenshots):
    server, port, tmp = world
    before = _citizen_asks(context_factory, server.url, WORDING)
    assert "12333" in before and "社会保障卡挂失" not in before  # refused today

    page = context_factory().new_page()
    _login(page, server.url)
    entry = page.locator("article.entry", has_text=WORDING)
    assert entry.locator(".meta").text_content().startswith(("超出指南范围", "未能理解"))
    assert "网页组件" in entry.locator(".meta").text_content()
    page.screenshot(path=str(screenshots / "staff-inbox.png"), full_page=True)
    entry.get_by_label("是指").select_option(ITEM)
    assert entry.get_by_label("说法").input_value() == WORDING
    entry.get_by_role("button", name="是指这项服务").click()
    assert "已处理" in page.locator("[role=status]").text_content()
    assert (tmp / "staff_wordings.yml").read_text(encoding="utf-8").count(WORDING) == 1

    page.get_by_role("link", name="发布").click()
    page.get_by_role("button", name="重新训练并评估").click()
    page.wait_for_function(
        "() => /已发布|失败|低于/.test(document.getElementById('publish-state').textContent)",
        timeout=PUBLISH_TIMEOUT_MS)
    log = page.locator("#publish-log").text_content()
    assert "已发布" in page.locator("#publish-state").text_content(), log
    assert "新模型得分" in log and "线上模型" in log
    page.screenshot(path=str(screenshots / "staff-publish.png"), full_page=True)
    live = _live_model(port)
    assert live.startswith("bot-") and (tmp / "models" / live).is_file()

    after = _citizen_asks(context_factory, server.url, WORDING)
    assert "社会保障卡挂失" in after and "来源" in after

    page.get_by_role("link", name="仪表盘").click()
    assert page.locator('td[data-total="refused"]').text_content() == "1"
    page.locator("#chart-periods canvas").wait_for()
    page.screenshot(path=str(screenshots / "staff-dashboard.png"), full_page=True)
    page.get_by_role("link", name="操作记录").click()
    assert "resolve means" in page.content() and "publish start" in page.content()
