"""The staff pages in headless Chromium: no axe-core violations on the login, inbox, dashboard,
gaps, audit and publish pages, the charts drawn from the vendored ECharts under the strict CSP,
and every text escaped."""
from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.web.staff.conftest import PASSWORD, seed, sqlite_store

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded_site(tmp_path, staff_server):
    seed(sqlite_store(tmp_path / "tracker.db"), datetime.datetime.now(datetime.timezone.utc))
    return staff_server(f"sqlite:///{tmp_path / 'tracker.db'}")


def _violations(page):
    results = Axe().run(page)
    return {v["id"]: results.generate_report(v["id"]) for v in results.response["violations"]}


def test_axe_finds_nothing_on_the_staff_pages(seeded_site, context_factory, screenshots):
    page = context_factory().new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(seeded_site.url + "/staff/login")
    assert _violations(page) == {}
    page.get_by_label("用户名").fill("ed")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(seeded_site.url + "/staff/inbox")
    assert page.locator("article.entry").count() > 0
    for path in ("/staff/inbox", "/staff/dashboard?period=week&days=30", "/staff/gaps",
                 "/staff/audit", "/staff/publish"):
        page.goto(seeded_site.url + path)
        if "dashboard" in path:
            page.locator("#chart-periods canvas").wait_for()
            page.locator("#chart-hours canvas").wait_for()
        violations = _violations(page)
        assert violations == {}, path + "\n" + "\n".join(violations.values())
    page.goto(seeded_site.url + "/staff/dashboard")
    page.locator("#chart-periods canvas").wait_for()
    page.screenshot(path=str(screenshots / "staff-dashboard-seeded.png"), full_page=True)
    assert errors == []  # no CSP refusal, no script error


def test_a_question_with_markup_is_shown_as_text(tmp_path, staff_server, context_factory):
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from tests.web.staff.conftest import save_trackers
    markup = "<img src=x onerror=alert(1)>公积金"
    save_trackers(sqlite_store(tmp_path / "tracker.db"), [DialogueStateTracker.from_events(
        "x", [UserUttered(markup, intent={"name": "out_of_scope", "confidence": 0.9}),
              SlotSet("outcome", "out_of_scope")])])
    server = staff_server(f"sqlite:///{tmp_path / 'tracker.db'}")
    page = context_factory().new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server.url + "/staff/login")
    page.get_by_label("用户名").fill("vi")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(server.url + "/staff/inbox")
    assert page.locator("h2.question").text_content() == markup
    page.goto(server.url + "/staff/dashboard")
    assert markup in page.locator(".lists").text_content()
    assert dialogs == [] and page.locator("img[src=x]").count() == 0
