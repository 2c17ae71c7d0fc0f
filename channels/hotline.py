"""The channels' own replies (busy, too fast, no answer) give the guide's hotline, read from
knowledge/guide.yml (document.hotline) like every answer of the bot."""
from __future__ import annotations

from guide_kb.loader import load_guide


def with_hotline(template: str) -> str:
    """`template` with {hotline} as the guide words it (人力资源和社会保障服务热线12333)."""
    return template.format(hotline=load_guide().document.hotline_text)
