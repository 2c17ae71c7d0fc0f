"""Server-rendered HTML: the demo site page (/) and the printable materials checklist.

All guide text is escaped with html.escape; the pages load only same-origin CSS and JS.
"""
from __future__ import annotations

import datetime
from html import escape
from typing import Iterable

from guide_kb import render
from guide_kb.model import Guide, Item

WIDGET_TITLE = "抚顺人社快办助手"
WIDGET_COLOR = "#c00000"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _lines(items: Iterable[str], tag: str = "li") -> str:
    return "".join(f"<{tag}>{_e(text)}</{tag}>" for text in items)


def demo_page(guide: Guide, bot_url: str) -> str:
    doc = guide.document
    packages = "".join(
        f'<li class="pkg"><h3><span class="ordinal">{_e(p.ordinal)}</span> {_e(p.name)}</h3>'
        f"<p>{_e(p.description)}</p>"
        f'<p class="audience">服务对象：{_e(p.audience)}</p>'
        f'<p class="items">{_e("、".join(i.name for i in p.items))}</p></li>'
        for p in guide.packages)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>抚顺人社 · 打包办服务指南（演示页面）</title>
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="site-header">
  <div class="wrap">
    <p class="site-name">抚顺人社</p>
    <p class="site-note">演示页面：嵌入“{_e(WIDGET_TITLE)}”在线咨询组件</p>
  </div>
</header>
<main id="main" class="wrap">
  <h1>{_e(doc.title)}</h1>
  <p class="doc-meta">{_e(doc.issuer)} · {_e(doc.number)} · {_e(doc.date)}</p>
  <p class="lead">人力资源和社会保障服务热线：<strong>{_e(doc.hotline)}</strong>。
  点击右下角“在线咨询”，可询问下列服务包的办理材料、地点、时间和流程。</p>
  <h2>十个服务包</h2>
  <ol class="packages">{packages}</ol>
</main>
<footer class="site-footer"><div class="wrap">
  <p>内容来源：《{_e(doc.title)}》（{_e(doc.number)}）</p>
  <p>12333 坐席请使用 <a href="/agent">坐席知识库</a>。</p>
</div></footer>
<script src="/static/widget.js" data-bot-url="{_e(bot_url)}" data-title="{_e(WIDGET_TITLE)}"
  data-color="{_e(WIDGET_COLOR)}"></script>
</body>
</html>
"""


def print_page(guide: Guide, item: Item, day: datetime.date) -> str:
    package = guide.package_of(item)
    if item.materials:
        materials = "".join(
            f'<li><span class="box" aria-hidden="true"></span>{_e(m.label())}</li>'
            for m in item.materials)
        materials = f'<ul class="checklist">{materials}</ul>'
    else:
        materials = f"<p>{_e(render.materials_lines(guide, item)[0])}</p>"
    if item.note:
        materials += f"<p>说明：{_e(item.note)}</p>"
    steps = [s.line() for s in item.steps] + ([item.see_also] if item.see_also else [])
    extra = render.routes_lines(item)
    if item.duration:
        extra.append(f"办理时限：{item.duration}")
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>材料清单 · {_e(item.name)}</title>
<link rel="stylesheet" href="/static/print.css">
</head>
<body>
<main class="sheet">
  <p class="toolbar no-print"><button type="button" id="print">打印</button>
  <a href="/agent">返回坐席知识库</a></p>
  <p class="kicker">{_e(package.source)}</p>
  <h1>{_e(render.title(item))}办事材料清单</h1>
  <h2>所需材料</h2>
  {materials}
  <h2>办理地点</h2>
  <ul class="plain">{_lines(render.place_lines(guide, item))}</ul>
  {f'<h2>办理时间</h2><ul class="plain">{_lines(render.hours_lines(guide, item, day))}</ul>'
   if item.hours else ''}
  <h2>办理流程</h2>
  <ol class="steps">{_lines(steps)}</ol>
  {f'<ul class="plain">{_lines(extra)}</ul>' if extra else ''}
  <p class="source">{_e(render.source_line(guide, package))}</p>
  <p class="source">打印日期：{day.year}年{day.month}月{day.day}日 ·
  {_e(render.hotline_hint(guide))}</p>
</main>
<script src="/static/print.js"></script>
</body>
</html>
"""


def not_found_page(message: str) -> str:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>未找到</title><link rel="stylesheet" href="/static/print.css"></head>
<body><main class="sheet"><h1>未找到</h1><p>{_e(message)}</p>
<p><a href="/agent">返回坐席知识库</a></p></main></body></html>
"""
