"""Sanic app: demo page with the citizen widget, the 12333 agent console, and the JSON API.

create_app(config) builds it; `python -m web` runs it (see docs/web.md). The app reads the
knowledge base only: nothing here calls Rasa, so the console keeps working when the bot is down.
"""
from __future__ import annotations

import asyncio
import functools
import itertools
import json
import logging
import re
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Union
from urllib.parse import urlsplit

from httptools import parse_url
from httptools.parser.errors import HttpParserInvalidURLError
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.ratelimit import SlidingWindowLimiter
from guide_kb import hours as hours_of
from guide_kb.current import CurrentGuide
from web import knowledge, pages
from web.config import WebConfig
from web.feedback import FeedbackError, FeedbackStore, validate, validate_reason
from web.openapi import spec
from web.received import ReceivedMessages
from web.staff import routes as staff_routes

logger = logging.getLogger("web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_QUERY_CHARS = 200
DEFAULT_LIMIT = 5
MAX_LIMIT = 10
# 👍/👎 a person can give: a few per answer at most, per sender and per address
FEEDBACK_PER_SENDER = 20
FEEDBACK_PER_IP = 120
FEEDBACK_WINDOW_SECONDS = 60
_dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
_app_numbers = itertools.count(1)


def api_json(body: Any, status: int = 200, headers: Optional[Dict[str, str]] = None):
    return response.json(body, status=status, headers=headers, dumps=_dumps)


def api_error(message: str, status: int, headers: Optional[Dict[str, str]] = None):
    return api_json({"error": message}, status=status, headers=headers)


def _origin(url: str) -> Optional[str]:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def _csp(connect: str = "'self'") -> str:
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"font-src 'self'; connect-src {connect}; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'self'")


class SafeRequest(Request):
    """Sanic 21.12 drops the connection with a logged traceback when a client sends raw UTF-8 in the
    URL (curl "…?q=社保卡"): percent-encode such bytes first, as a browser would."""

    def __init__(self, url_bytes: bytes, *args, **kwargs):
        try:
            parse_url(url_bytes)
        except HttpParserInvalidURLError:
            url_bytes = re.sub(rb"[^\x21-\x7e]", lambda m: b"%%%02X" % m.group()[0], url_bytes)
            try:
                parse_url(url_bytes)
            except HttpParserInvalidURLError:
                url_bytes = b"/.invalid-url"
        super().__init__(url_bytes, *args, **kwargs)


def create_app(config: Union[WebConfig, Mapping, None] = None, name: Optional[str] = None) -> Sanic:
    config = WebConfig.coerce(config)
    app = Sanic(name or f"fushun_web_{next(_app_numbers)}", request_class=SafeRequest)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.ACCESS_LOG = config.access_log
    app.config.FALLBACK_ERROR_FORMAT = "text"

    current = CurrentGuide(config.guide_path)  # staff wordings are searched once confirmed
    current.both()  # fails at start-up on an invalid guide.yml
    app.ctx.config = config
    app.ctx.current = current
    app.ctx.feedback = FeedbackStore(config.feedback_db)
    app.ctx.received = ReceivedMessages(config.tracker_url) if config.tracker_url else None
    app.ctx.feedback_by_ip = SlidingWindowLimiter(FEEDBACK_PER_IP, FEEDBACK_WINDOW_SECONDS)
    app.ctx.feedback_by_sender = SlidingWindowLimiter(FEEDBACK_PER_SENDER,
                                                      FEEDBACK_WINDOW_SECONDS)
    allowed = set(config.allowed_origins)
    bot_origin = _origin(config.bot_url)
    demo_csp = _csp(" ".join(["'self'"] + ([bot_origin] if bot_origin else [])))
    page_csp = _csp()
    agent_html = (STATIC_DIR / "agent.html").read_text(encoding="utf-8")
    openapi = spec(MAX_QUERY_CHARS)

    def html(body: str, status: int = 200, csp: str = page_csp):
        return response.html(body, status=status, headers={"Content-Security-Policy": csp})

    # ───────────────────────────── pages ─────────────────────────────

    @app.get("/")
    async def demo(request: Request):
        return html(pages.demo_page(current.guide, config.bot_url), csp=demo_csp)

    @app.get("/agent")
    async def agent(request: Request):
        return html(agent_html)

    @app.get("/agent/print/<item_id>")
    async def agent_print(request: Request, item_id: str):
        guide = current.guide
        if not guide.has_item(item_id):
            return html(pages.not_found_page("知识库中没有这个事项。"), status=404)
        return html(pages.print_page(guide, guide.item(item_id), hours_of.today()))

    @app.get("/favicon.ico")
    async def favicon(request: Request):
        return response.empty(status=204, headers={"Cache-Control": "max-age=86400"})

    app.static("/static", str(STATIC_DIR), name="static")

    # ───────────────────────────── API ─────────────────────────────

    @app.route("/api/search", methods=["GET", "OPTIONS"])
    async def api_search(request: Request):
        args = request.get_args(keep_blank_values=True)
        if "q" not in args:
            return api_error("缺少查询参数 q，例如 /api/search?q=社保卡挂失", 400)
        query = args.get("q") or ""
        if not query.strip():
            return api_error("查询参数 q 不能为空", 400)
        if len(query) > MAX_QUERY_CHARS:
            return api_error(f"查询参数 q 过长（最多 {MAX_QUERY_CHARS} 个字符）", 400)
        limit = DEFAULT_LIMIT
        if "limit" in args:
            text = (args.get("limit") or "").strip()
            # isdecimal, not isdigit: int() refuses ² although it is a "digit"
            if not (text.isascii() and text.isdecimal()) or not 1 <= int(text) <= MAX_LIMIT:
                return api_error(f"参数 limit 必须是 1 到 {MAX_LIMIT} 之间的整数", 400)
            limit = int(text)
        day = hours_of.today()
        guide, search = current.both()
        results = knowledge.search_json(guide, search, query, day, limit)
        return api_json({"query": query, "day": day.isoformat(), "results": results})

    @app.route("/api/packages", methods=["GET", "OPTIONS"])
    async def api_packages(request: Request):
        day = hours_of.today()
        guide = current.guide
        doc = guide.document
        return api_json({
            "document": {"title": doc.title, "number": doc.number, "date": doc.date,
                         "issuer": doc.issuer, "hotline": doc.hotline,
                         "online_hall": doc.online_hall, "version": doc.version,
                         "effective_date": doc.effective_date},
            "day": day.isoformat(),
            "packages": [knowledge.package_json(guide, p, day) for p in guide.packages]})

    @app.route("/api/items/<item_id>", methods=["GET", "OPTIONS"])
    async def api_item(request: Request, item_id: str):
        guide = current.guide
        if not guide.has_item(item_id):
            return api_error(f"没有这个事项：{item_id[:100]}", 404)
        return api_json(knowledge.item_json(guide, guide.item(item_id), hours_of.today()))

    def _feedback_refused(request: Request) -> Optional[HTTPResponse]:
        """A rating or its reason from elsewhere than the widget's pages (browsers always send
        Origin with these POSTs), or too many from one address: the reply that refuses it."""
        origin = request.headers.get("origin")
        if not origin or (origin.rstrip("/") not in allowed
                          and not _same_origin(request, origin)):
            return api_error("不允许从该来源提交评价", 403)
        if not app.ctx.feedback_by_ip.allow(request.ip or ""):
            return _too_many_ratings()
        return None

    def _too_many_ratings() -> HTTPResponse:
        return api_error("评价提交过于频繁，请稍后再试", 429,
                         headers={"Retry-After": str(FEEDBACK_WINDOW_SECONDS)})

    @app.route("/api/feedback", methods=["POST", "OPTIONS"])
    async def api_feedback(request: Request):
        refused = _feedback_refused(request)
        if refused is not None:
            return refused
        try:
            data = json.loads(request.body or b"")
        except (ValueError, RecursionError):
            return api_error("请求体不是合法的 JSON", 400)
        try:
            feedback = validate(data)
        except FeedbackError as error:
            return api_error(str(error), 400)
        if not app.ctx.feedback_by_sender.allow(feedback.sender):
            return _too_many_ratings()
        if app.ctx.received is not None and not await asyncio.get_running_loop().run_in_executor(
                None, app.ctx.received.received, feedback.sender, feedback.raw_answer):
            return api_error("只能评价本对话中收到的回答", 422)
        row_id = await asyncio.get_running_loop().run_in_executor(None, app.ctx.feedback.add,
                                                                 feedback)
        return api_json({"ok": True, "id": row_id}, status=201)

    @app.route("/api/feedback/<row_id:int>/reason", methods=["POST", "OPTIONS"])
    async def api_feedback_reason(request: Request, row_id: int):
        refused = _feedback_refused(request)
        if refused is not None:
            return refused
        try:
            reason = validate_reason(json.loads(request.body or b""))
        except (ValueError, RecursionError) as error:
            message = str(error) if isinstance(error, FeedbackError) else "请求体不是合法的 JSON"
            return api_error(message, 400)
        saved = await asyncio.get_running_loop().run_in_executor(
            None, app.ctx.feedback.set_reason, row_id, reason)
        if not saved:
            return api_error("没有这条“没帮助”的评价", 404)
        return api_json({"ok": True})

    @app.route("/api/openapi.json", methods=["GET", "OPTIONS"])
    async def api_openapi(request: Request):
        return api_json(openapi)

    staff_routes.register(app, html, api_json, api_error)

    # ─────────────────────── CORS, headers, errors ───────────────────────

    def _same_origin(request: Request, origin: str) -> bool:
        return urlsplit(origin).netloc.lower() == (request.host or "").lower()

    @app.middleware("request")
    async def static_files_only(request: Request):
        """Only existing files under /static/: the folder itself or a NUL in the name made
        Sanic's static handler fail with a 500."""
        if request.path.startswith("/static/"):
            name = request.path[len("/static/"):]
            target = (STATIC_DIR / name).resolve() if name and "\x00" not in name else None
            if target is None or not target.is_file() or STATIC_DIR not in target.parents:
                return response.text(_MESSAGES[404], status=404)

    @app.middleware("request")
    async def preflight(request: Request):
        if request.method == "OPTIONS" and request.path.startswith("/api/"):
            headers = {"Allow": "GET, POST, OPTIONS"}
            if request.headers.get("origin", "").rstrip("/") in allowed:
                headers.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                "Access-Control-Allow-Headers": "Content-Type",
                                "Access-Control-Max-Age": "600"})
            return response.empty(status=204, headers=headers)

    @app.middleware("response")
    async def add_headers(request: Request, resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        path = request.path
        if path.startswith("/staff"):
            resp.headers["Cache-Control"] = "no-store"
            resp.headers.setdefault("Content-Security-Policy", page_csp)
        if path.startswith("/api/"):
            resp.headers["Cache-Control"] = "no-store"
            origin = request.headers.get("origin", "").rstrip("/")
            if origin and origin in allowed:
                resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Vary"] = "Origin"
        elif path.startswith("/static/"):
            kind = resp.headers.get("content-type", "")
            if kind.split(";")[0] in ("application/javascript", "text/javascript", "text/css",
                                      "text/html") and "charset" not in kind:
                resp.headers["content-type"] = kind + "; charset=utf-8"
            resp.headers["Cache-Control"] = "no-cache"

    @app.exception(Exception)
    async def on_error(request: Request, error: Exception):
        if isinstance(error, SanicException):
            status = getattr(error, "status_code", 500) or 500
            message = _MESSAGES.get(status, "请求无效")
        else:
            logger.exception("unhandled error on %s", request.path if request else "?")
            status, message = 500, "服务器内部错误"
        if request is not None and request.path.startswith(("/api/", "/staff/api/")):
            return api_error(message, status)
        return response.text(message, status=status)

    return app


_MESSAGES = {400: "请求无效", 404: "未找到", 405: "不支持该请求方法", 408: "请求超时",
             413: "请求体过大", 414: "网址过长", 500: "服务器内部错误", 503: "服务暂不可用"}
