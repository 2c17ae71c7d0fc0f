"""The staff pages' HTML, rendered on the server; every text is escaped, every form carries the
CSRF token, and the only script is /static/staff.js (charts and the publishing progress)."""
from __future__ import annotations

import json
from html import escape
from typing import Any, Dict, Iterable, List, Mapping, Optional
from urllib.parse import quote

from guide_kb.model import Guide
from web.staff.dashboard import COUNTS, LABELS
from web.staff.inbox import KINDS
from web.staff.turns import CHANNELS

NAV = (("/staff/inbox", "收件箱"), ("/staff/dashboard", "仪表盘"), ("/staff/gaps", "指南缺口"),
       ("/staff/publish", "发布"), ("/staff/audit", "操作记录"))


_CURRENT = ' aria-current="page"'


def _e(text: Any) -> str:
    return escape("" if text is None else str(text), quote=True)


def _csrf(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{_e(token)}">'


def page(title: str, body: str, user: Optional[Mapping[str, Any]] = None, csrf: str = "",
         current: str = "") -> str:
    nav = ""
    if user:
        links = "".join(f'<a href="{href}"{_CURRENT if href == current else ""}>'
                        f"{_e(label)}</a>" for href, label in NAV)
        nav = (f'<nav class="staff-nav" aria-label="工作台">{links}'
               f'<span class="who">{_e(user["name"])}（{_e(user["role"])}）</span>'
               f'<form method="post" action="/staff/logout">{_csrf(csrf)}'
               f'<button type="submit">退出登录</button></form></nav>')
    return f"""<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} · 抚顺人社快办助手 工作台</title>
<link rel="stylesheet" href="/static/staff.css"></head>
<body><header class="staff-header"><p class="brand">抚顺人社快办助手 · 工作台</p>{nav}</header>
<main id="main"><h1>{_e(title)}</h1>{body}</main>
<script src="/static/vendor/echarts/echarts.min.js"></script>
<script src="/static/staff.js"></script></body></html>"""


def login(csrf: str, error: str = "", next_path: str = "") -> str:
    message = f'<p class="error" role="alert">{_e(error)}</p>' if error else ""
    action = "/staff/login" + (f"?next={quote(next_path)}" if next_path else "")
    return page("登录", f"""{message}
<form method="post" action="{_e(action)}" class="login">{_csrf(csrf)}
<label>用户名 <input name="username" autocomplete="username" required maxlength="64"></label>
<label>密码 <input name="password" type="password" autocomplete="current-password" required
 maxlength="256"></label>
<button type="submit">登录</button></form>""")


def _item_options(guide: Guide) -> str:
    groups = []
    for package in guide.packages:
        options = "".join(f'<option value="{_e(i.id)}">{_e(i.name)}</option>'
                          for i in package.items)
        groups.append(f'<optgroup label="{_e(package.ordinal)} {_e(package.name)}">'
                      f"{options}</optgroup>")
    return '<option value="">（选择服务）</option>' + "".join(groups)


def _context(lines: Iterable[Mapping[str, Any]]) -> str:
    return "".join(f'<li class="{_e(line["who"])}{" this" if line["this"] else ""}">'
                   f'<span class="who">{"用户" if line["who"] == "user" else "助手"}：</span>'
                   f'{_e(line["text"])}</li>' for line in lines)


def inbox(entries: List[Dict[str, Any]], guide: Guide, user: Mapping[str, Any], csrf: str,
          show: str, message: str = "", error: str = "") -> str:
    editor = user["role"] == "editor"
    options = _item_options(guide) if editor else ""
    parts = []
    if error:
        parts.append(f'<p class="error" role="alert">{_e(error)}</p>')
    if message:
        parts.append(f'<p class="done" role="status">{_e(message)}</p>')
    filters = "".join(f'<a href="/staff/inbox?show={key}"'
                      f'{_CURRENT if key == show else ""}>{label}</a>'
                      for key, label in (("open", "待处理"), ("resolved", "已处理"),
                                         ("all", "全部")))
    parts.append(f'<p class="filters">{filters}　共 {len(entries)} 条</p>')
    for entry in entries:
        reason = (f'<p class="reason">👎 原因：{_e(entry["reason"])}'
                  f'{"（" + _e(entry["note"]) + "）" if entry.get("note") else ""}</p>'
                  if entry.get("reason") else "")
        done = entry["resolution"]
        if done:
            what = KINDS[done["kind"]] + (f"：{_e(done['wording'])} → {_e(_name(guide, done['item_id']))}"
                                          if done["kind"] == "means" else "")
            action = (f'<p class="resolved">已处理：{what}（{_e(done["resolved_by"])}，'
                      f'{_e(done["resolved_at"])}）</p>')
        elif editor:
            action = f"""<form method="post" action="/staff/inbox/resolve" class="resolve">
{_csrf(csrf)}<input type="hidden" name="entry" value="{_e(entry["key"])}">
<label>说法 <input name="wording" value="{_e(entry["question"][:30])}" maxlength="30"></label>
<label>是指 <select name="item_id">{options}</select></label>
<button type="submit" name="kind" value="means">是指这项服务</button>
<button type="submit" name="kind" value="right">回答正确</button>
<button type="submit" name="kind" value="gap">指南没有答案</button></form>"""
        else:
            action = '<p class="resolved">待处理（只有编辑可以处理）</p>'
        channel = CHANNELS.get(entry["channel"] or "", "—")
        parts.append(f"""<article class="entry" data-entry="{_e(entry["key"])}">
<h2 class="question">{_e(entry["question"])}</h2>
<p class="meta">{_e(entry["why_text"])} · {_e(channel)} · {_e(entry["when"] or "")}
{" · 置信度 " + _e(entry["confidence"]) if entry["confidence"] is not None else ""}</p>
{reason}<ol class="context" aria-label="对话上下文">{_context(entry["context"])}</ol>
{action}</article>""")
    if not entries:
        parts.append("<p>没有条目。</p>")
    return page("收件箱", "".join(parts), user, csrf, "/staff/inbox")


def _name(guide: Guide, item_id: Optional[str]) -> str:
    return guide.item(item_id).name if item_id and guide.has_item(item_id) else str(item_id)


def dashboard(data: Mapping[str, Any], overdue: List[Mapping[str, Any]],
              user: Mapping[str, Any], csrf: str, days: int, review_days: int) -> str:
    period = data["period"]
    head = "".join(f"<th scope=\"col\">{_e(LABELS[n])}</th>" for n in COUNTS)
    totals = "".join(f'<td data-total="{n}">{data["totals"][n]}</td>' for n in COUNTS)
    rows = "".join(f'<tr><th scope="row">{_e(r["period"])}</th><td>{_e(r["channel_name"])}</td>'
                   + "".join(f'<td data-count="{n}">{r[n]}</td>' for n in COUNTS) + "</tr>"
                   for r in data["rows"])
    services = "".join(f"<li>{_e(s['name'])}：{s['count']}</li>" for s in data["top_services"])
    refused = "".join(f"<li>{_e(r['question'])}：{r['count']}</li>" for r in data["top_refused"])
    reasons = "".join(f"<li>{_e(k)}：{v}</li>" for k, v in data["reasons"].items())
    stale = "".join(f"<li>{_e(o['name'])}（{_e(o['ordinal'])}）：上次审核 {_e(o['reviewed_on'])}</li>"
                    for o in overdue)
    choose = "".join(f'<option value="{p}"{" selected" if p == period else ""}>'
                     f'{"按日" if p == "day" else "按周"}</option>' for p in ("day", "week"))
    unit = "按日" if period == "day" else "按周"
    body = f"""<form method="get" action="/staff/dashboard" class="filters">
<label>周期 <select name="period">{choose}</select></label>
<label>最近天数 <input name="days" type="number" min="1" max="366" value="{days}"></label>
<button type="submit">查看</button>
<a href="/staff/dashboard.csv?period={period}&amp;days={days}">导出 CSV</a></form>
<h2>合计（最近 {days} 天）</h2>
<table class="totals"><tr>{head}</tr><tr>{totals}</tr></table>
<div class="charts">
<div id="chart-periods" class="chart" role="img" aria-label="{unit}提问与结果"></div>
<div id="chart-hours" class="chart" role="img" aria-label="各小时提问数"></div></div>
<h2>{unit}、按渠道</h2>
<table class="rows"><tr><th scope="col">{'日期' if period == 'day' else '周（周一）'}</th>
<th scope="col">渠道</th>{head}</tr>{rows}</table>
<div class="lists"><section><h2>最常问的服务</h2><ol>{services or "<li>无</li>"}</ol></section>
<section><h2>最常被拒答的说法</h2><ol>{refused or "<li>无</li>"}</ol></section>
<section><h2>👎 原因</h2><ul>{reasons or "<li>无</li>"}</ul></section>
<section><h2>超过 {review_days} 天未审核的指南条目</h2><ul class="overdue">{stale or "<li>无</li>"}</ul></section></div>
<script type="application/json" id="figures">{_json(data)}</script>"""
    return page("仪表盘", body, user, csrf, "/staff/dashboard")


def _json(data: Any) -> str:
    # inside <script>: no "</" can close it early
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def gaps(rows: List[Mapping[str, Any]], user: Mapping[str, Any], csrf: str) -> str:
    items = "".join(f"<tr><td>{_e(r['question'])}</td><td>{_e(r['resolved_by'])}</td>"
                    f"<td>{_e(r['resolved_at'])}</td></tr>" for r in rows)
    body = ("<p>编辑判定“指南没有答案”的问题，供修订指南时参考。</p>"
            '<table><tr><th scope="col">问题</th><th scope="col">判定人</th>'
            f'<th scope="col">时间</th></tr>{items}</table>')
    return page("指南缺口", body, user, csrf, "/staff/gaps")


def audit(rows: List[Mapping[str, Any]], user: Mapping[str, Any], csrf: str) -> str:
    items = "".join(f"<tr><td>{_e(r['at'])}</td><td>{_e(r['user_name'])}</td>"
                    f"<td>{_e(r['action'])}</td><td>{_e(r['target'])}</td>"
                    f"<td>{_e(r['detail'])}</td></tr>" for r in rows)
    body = ('<table><tr><th scope="col">时间</th><th scope="col">人员</th><th scope="col">操作</th>'
            f'<th scope="col">对象</th><th scope="col">内容</th></tr>{items}</table>')
    return page("操作记录", body, user, csrf, "/staff/audit")


def publish(state: Mapping[str, Any], user: Mapping[str, Any], csrf: str) -> str:
    editor = user["role"] == "editor"
    start = (f'<form method="post" action="/staff/publish">{_csrf(csrf)}'
             '<button type="submit" name="step" value="start">重新训练并评估</button></form>'
             if editor else "<p>只有编辑可以发布。</p>")
    confirm = (f'<form method="post" action="/staff/publish" class="confirm" hidden>{_csrf(csrf)}'
               '<p class="warning">新模型的评估得分低于线上模型。仍要发布吗？</p>'
               '<button type="submit" name="step" value="confirm">仍然发布</button>'
               '<button type="submit" name="step" value="discard">放弃</button></form>'
               if editor else "")
    body = f"""<p>按收件箱中确认的说法重新训练模型，在评估集上打分，再替换正在运行的模型（对话不中断）。
得分低于线上模型时需要确认。</p>{start}
<section class="publish" aria-live="polite"><h2>进度</h2>
<p id="publish-state">{_e(state.get("message") or "")}</p>
<ol id="publish-log">{"".join(f"<li>{_e(line)}</li>" for line in state.get("log") or [])}</ol>
</section>{confirm}
<script type="application/json" id="publish-initial">{_json(state)}</script>"""
    return page("发布", body, user, csrf, "/staff/publish")
