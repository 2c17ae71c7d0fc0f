"""/staff: the routes of the bureau's side, registered on the web app by `register`.

Every /staff route but the login form needs a session: /staff/api/* answer 401 without one,
pages redirect to /staff/login. Every POST carries the CSRF token (form field `csrf` or header
X-CSRF-Token); resolving and publishing need the editor role. Login attempts are limited per
address and per user name.
"""
from __future__ import annotations

import asyncio
import functools
import re
import time
from typing import Any, Callable, Dict
from urllib.parse import quote

from sanic import Sanic, response
from sanic.request import Request

from channels.ratelimit import SlidingWindowLimiter
from guide_kb import wordings
from ops.report import guide_names
from web.feedback import FeedbackStore
from web.staff import accounts, auth, dashboard, inbox, pages, review
from web.staff.publish import PublishConfig, Publisher
from web.staff.store import StaffStore
from web.staff.turns import engine, read_turns

LOGIN_PER_IP = 20
LOGIN_PER_NAME = 5
LOGIN_WINDOW_SECONDS = 300
INBOX_DAYS = 90
PUBLIC = ("/staff/login",)


def register(app: Sanic, html: Callable[..., Any], api_json: Callable[..., Any],
             api_error: Callable[..., Any]) -> None:
    config = app.ctx.config
    store = StaffStore(config.staff_db_url)
    signer = auth.Signer(auth.secret_key(config.staff_secret_key, config.secret_file))
    tracker = engine(config.tracker_url) if config.tracker_url else None
    feedback: FeedbackStore = app.ctx.feedback
    by_ip = SlidingWindowLimiter(LOGIN_PER_IP, LOGIN_WINDOW_SECONDS)
    by_name = SlidingWindowLimiter(LOGIN_PER_NAME, LOGIN_WINDOW_SECONDS)
    publisher = Publisher(PublishConfig(bot_url=config.bot_url, token=config.rasa_token,
                                        action_url=config.action_url,
                                        models_dir=config.models_dir,
                                        work_dir=config.publish_dir,
                                        eval_set=config.eval_set),
                          store.record_model, store.model_score)

    async def blocking(function, *args):
        return await asyncio.get_running_loop().run_in_executor(
            None, functools.partial(function, *args))

    def secure(request: Request) -> bool:
        return (request.headers.get("x-forwarded-proto") or request.scheme) == "https"

    def set_cookie(resp, request: Request, name: str, value: str, max_age: int) -> None:
        resp.cookies[name] = value
        cookie = resp.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/staff"
        cookie["max-age"] = max_age
        if secure(request):
            cookie["secure"] = True

    # ───────────────────── session and CSRF, for every /staff route ─────────────────────

    @app.middleware("request")
    async def staff_guard(request: Request):
        path = request.path
        if not (path == "/staff" or path.startswith("/staff/")):
            return None
        request.ctx.user, request.ctx.session = None, None
        if path not in PUBLIC:
            session_id = signer.unsign(request.cookies.get(auth.SESSION_COOKIE))
            user = session_id and await blocking(store.session_user, auth.id_hash(session_id),
                                                 time.time())
            if not user:
                if path.startswith("/staff/api/"):
                    return api_error("需要登录", 401)
                if request.method == "GET":
                    return response.redirect("/staff/login?next=" + quote(path), status=303)
                return message(request, "需要登录", "请先登录。", 401)
            request.ctx.user, request.ctx.session = user, session_id
        if request.method == "POST":
            session = request.ctx.session or signer.unsign(request.cookies.get(auth.LOGIN_COOKIE))
            token = request.headers.get("x-csrf-token") or (
                request.form.get("csrf") if request.form else None)
            if not signer.csrf_ok(session, token):
                if path.startswith("/staff/api/"):
                    return api_error("CSRF 校验失败，请刷新页面后重试", 403)
                return message(request, "表单已失效", "CSRF 校验失败：请返回、刷新页面后重试。", 403)
        return None

    def message(request: Request, title: str, text: str, status: int):
        user = request.ctx.user
        return html(pages.page(title, f"<p>{pages.escape(text)}</p>", user,
                               csrf_of(request) if user else ""), status=status)

    def editor_only(request: Request):
        if request.ctx.user["role"] != "editor":
            return message(request, "没有权限", "只有编辑可以进行此操作。", 403)
        return None

    def csrf_of(request: Request) -> str:
        return signer.csrf(request.ctx.session)

    # ─────────────────────────── login, logout ───────────────────────────

    def safe_next(request: Request) -> str:
        """Where to go after the login: a staff page of this site only."""
        target = request.args.get("next") or ""
        return target if re.fullmatch(r"/staff/[A-Za-z0-9_./?=&-]*", target) else ""

    @app.get("/staff/login")
    async def login_form(request: Request):
        login_id = signer.unsign(request.cookies.get(auth.LOGIN_COOKIE)) or auth.new_id()
        resp = html(pages.login(signer.csrf(login_id), next_path=safe_next(request)))
        set_cookie(resp, request, auth.LOGIN_COOKIE, signer.sign(login_id), 3600)
        return resp

    @app.post("/staff/login")
    async def login(request: Request):
        form = request.form or {}
        name = (form.get("username") or "").strip()[:64]
        password = (form.get("password") or "")[:256]
        login_id = signer.unsign(request.cookies.get(auth.LOGIN_COOKIE))
        if not by_ip.allow(request.ip or "") or not by_name.allow(name.lower()):
            resp = html(pages.login(signer.csrf(login_id), "登录尝试过于频繁，请 5 分钟后再试。"),
                        status=429)
            resp.headers["Retry-After"] = str(LOGIN_WINDOW_SECONDS)
            return resp
        user = await blocking(accounts.authenticate, store, name, password)
        if not user:
            await blocking(store.log, name or "(空)", "login failed", request.ip or "")
            return html(pages.login(signer.csrf(login_id), "用户名或密码不正确。"), status=401)
        session_id = auth.new_id()
        await blocking(store.add_session, auth.id_hash(session_id), user["name"],
                       time.time() + auth.SESSION_SECONDS)
        await blocking(store.log, user["name"], "login", request.ip or "")
        resp = response.redirect(safe_next(request) or "/staff/inbox", status=303)
        set_cookie(resp, request, auth.SESSION_COOKIE, signer.sign(session_id),
                   auth.SESSION_SECONDS)
        del resp.cookies[auth.LOGIN_COOKIE]
        return resp

    @app.post("/staff/logout")
    async def logout(request: Request):
        await blocking(store.end_session, auth.id_hash(request.ctx.session))
        await blocking(store.log, request.ctx.user["name"], "logout", "")
        resp = response.redirect("/staff/login", status=303)
        del resp.cookies[auth.SESSION_COOKIE]
        resp.cookies[auth.SESSION_COOKIE]["path"] = "/staff"
        return resp

    @app.get("/staff")
    async def staff_home(request: Request):
        return response.redirect("/staff/inbox", status=303)

    # ─────────────────────────── inbox ───────────────────────────

    def inbox_entries() -> list:
        turns = read_turns(tracker, since=time.time() - INBOX_DAYS * 86400) if tracker else []
        return inbox.entries(turns, feedback.all(), store.resolutions())

    def shown(entries: list, show: str) -> list:
        if show == "open":
            return [e for e in entries if not e["resolution"]]
        if show == "resolved":
            return [e for e in entries if e["resolution"]]
        return entries

    @app.get("/staff/inbox")
    async def inbox_page(request: Request, error: str = "", status: int = 200):
        show = request.args.get("show", "open")
        show = show if show in ("open", "resolved", "all") else "open"
        entries = shown(await blocking(inbox_entries), show)
        return html(pages.inbox(entries, app.ctx.current.guide, request.ctx.user,
                                csrf_of(request), show, request.args.get("done", ""), error),
                    status=status)

    @app.get("/staff/api/inbox")
    async def inbox_api(request: Request):
        show = request.args.get("show", "open")
        if show not in ("open", "resolved", "all"):
            return api_error("参数 show 必须是 open、resolved 或 all", 400)
        return api_json({"entries": shown(await blocking(inbox_entries), show)})

    @app.post("/staff/inbox/resolve")
    async def resolve(request: Request):
        refused = editor_only(request)
        if refused:
            return refused
        form = request.form or {}
        key, kind = form.get("entry") or "", form.get("kind") or ""
        entry = next((e for e in await blocking(inbox_entries) if e["key"] == key), None)
        problem = None
        if entry is None:
            problem = "没有这个条目"
        elif entry["resolution"]:
            problem = "这个条目已经处理过了"
        elif kind not in inbox.KINDS:
            problem = "请选择处理方式"
        if problem:
            return await inbox_page(request, problem, 400)
        user = request.ctx.user["name"]
        item_id = wording = None
        if kind == "means":
            guide = app.ctx.current.guide
            item_id = (form.get("item_id") or "").strip()
            wording = " ".join((form.get("wording") or "").split())
            problem = wordings.problem(wording, item_id, (i.id for i in guide.items),
                                       await blocking(wordings.read))
            if problem:
                return await inbox_page(request, problem, 400)
        if not await blocking(store.resolve, key, kind, entry["question"], user, item_id,
                              wording):
            return await inbox_page(request, "这个条目已经处理过了", 400)
        if kind == "means":
            await blocking(wordings.append, wordings.Wording(
                wording, item_id, user, time.strftime("%Y-%m-%d")))
        detail = f"{wording} → {item_id}" if kind == "means" else entry["question"]
        await blocking(store.log, user, f"resolve {kind}", key, detail)
        return response.redirect("/staff/inbox?done=" + quote("已处理：" + inbox.KINDS[kind]),
                                 status=303)

    # ─────────────────────────── dashboard ───────────────────────────

    def figures(period: str, days: int) -> Dict[str, Any]:
        since = time.time() - days * 86400
        turns = read_turns(tracker, since=since) if tracker else []
        return dashboard.figures(turns, feedback.all(), period, guide_names(), since)

    def dashboard_args(request: Request):
        period = request.args.get("period", "day")
        days_text = request.args.get("days", "30")
        if period not in dashboard.PERIODS:
            return None, None, "参数 period 必须是 day 或 week"
        if not (days_text.isascii() and days_text.isdecimal()) or not 1 <= int(days_text) <= 366:
            return None, None, "参数 days 必须是 1 到 366 之间的整数"
        return period, int(days_text), None

    @app.get("/staff/dashboard")
    async def dashboard_page(request: Request):
        period, days, problem = dashboard_args(request)
        if problem:
            return message(request, "参数有误", problem, 400)
        data = await blocking(figures, period, days)
        overdue = review.overdue(app.ctx.current.guide, config.review_interval_days)
        return html(pages.dashboard(data, overdue, request.ctx.user, csrf_of(request), days,
                                    config.review_interval_days))

    @app.get("/staff/api/dashboard")
    async def dashboard_api(request: Request):
        period, days, problem = dashboard_args(request)
        if problem:
            return api_error(problem, 400)
        data = await blocking(figures, period, days)
        data["overdue_reviews"] = review.overdue(app.ctx.current.guide,
                                                 config.review_interval_days)
        return api_json(data)

    @app.get("/staff/dashboard.csv")
    async def dashboard_csv(request: Request):
        period, days, problem = dashboard_args(request)
        if problem:
            return response.text(problem, status=400)
        data = await blocking(figures, period, days)
        return response.text(dashboard.to_csv(data), content_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition":
                                      f'attachment; filename="dashboard-{period}-{days}d.csv"'})

    # ─────────────────────────── gaps, audit ───────────────────────────

    @app.get("/staff/gaps")
    async def gaps_page(request: Request):
        return html(pages.gaps(await blocking(store.gaps), request.ctx.user, csrf_of(request)))

    @app.get("/staff/audit")
    async def audit_page(request: Request):
        return html(pages.audit(await blocking(store.audit_log), request.ctx.user,
                                csrf_of(request)))

    # ─────────────────────────── publish ───────────────────────────

    @app.get("/staff/publish")
    async def publish_page(request: Request):
        return html(pages.publish(publisher.state(), request.ctx.user, csrf_of(request)))

    @app.get("/staff/api/publish")
    async def publish_api(request: Request):
        return api_json(publisher.state())

    @app.post("/staff/publish")
    async def publish(request: Request):
        refused = editor_only(request)
        if refused:
            return refused
        step = (request.form or {}).get("step")
        user = request.ctx.user["name"]
        if step == "start":
            if not publisher.start(user):
                return message(request, "正在发布", "已有一次发布在进行中。", 409)
        elif step in ("confirm", "discard"):
            if not publisher.decide(step == "confirm"):
                return message(request, "无需确认", "当前没有等待确认的发布。", 409)
        else:
            return message(request, "参数有误", "未知的操作。", 400)
        await blocking(store.log, user, f"publish {step}", publisher.state().get("new_model")
                       or "")
        return response.redirect("/staff/publish", status=303)
