"""Bot messages: an answer with its structure (Rasa's `custom` payload beside the plain text),
asking back, out of scope, capabilities, and the buttons and 猜你想问 offered under an answer."""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Sequence

from actions.aspects import BY_NAME, CARD, FOLLOW_UPS, Aspect
from actions.refs import item_ref, package_ref
from guide_kb import render
from guide_kb.answer import Answer
from guide_kb.model import Guide, Item, Package

Message = Dict[str, object]
MAX_RELATED = 3  # 猜你想问


def payload(intent: str, ref: str) -> str:
    return f'/{intent}{{"service_id": "{ref}"}}'


def text(body: str, buttons: Iterable[Dict[str, str]] = ()) -> Message:
    message: Message = {"text": body}
    buttons = list(buttons)
    if buttons:
        message["buttons"] = buttons
    return message


def answer(card: Answer, buttons: Iterable[Dict[str, str]] = (),
           related: Iterable[Dict[str, str]] = ()) -> Message:
    """The plain text (and buttons) for every client; the same answer as headed blocks, with
    猜你想问, in `custom` for the clients that lay it out (the widget, WeChat)."""
    message = text(card.text(), buttons)
    message["custom"] = {"answer": card.structure(), "related": list(related)}
    return message


def _not_shown(shown: Sequence[str], answered: Optional[Aspect] = None) -> List[Aspect]:
    """The follow-up aspects, other than the one answered, whose section the answer does not
    show already."""
    return [BY_NAME[name] for name in FOLLOW_UPS  # each is named as the section it asks for
            if BY_NAME[name] != answered and name not in shown]


def follow_up_buttons(item: Item, answered: Aspect,
                      shown: Sequence[str] = ()) -> List[Dict[str, str]]:
    return [{"title": aspect.button_title, "payload": payload(aspect.intent, item_ref(item))}
            for aspect in _not_shown(shown, answered)]


def related(guide: Guide, item: Item, shown: Sequence[str]) -> List[Dict[str, str]]:
    """猜你想问: up to three questions the guide answers, about the same sub-service (the parts
    this answer did not show) and the sub-services after it in its package (else the next
    package's first)."""
    same = [{"title": f"{item.name}的{aspect.button_title}",
             "payload": payload(aspect.intent, item_ref(item))}
            for aspect in _not_shown(shown)]
    package = guide.package_of(item)
    at = package.items.index(item)
    following = list(package.items[at + 1:]) + list(package.items[:at])
    if not following:
        packages = list(guide.packages)
        following = [packages[(packages.index(package) + 1) % len(packages)].items[0]]
    following_questions = [{"title": f"{i.name}怎么办", "payload": payload(CARD.intent, item_ref(i))}
                           for i in following]
    # at least one question about the next sub-service
    return (same[:MAX_RELATED - 1] + following_questions)[:MAX_RELATED]


def package_buttons(guide: Guide, intent: str) -> List[Dict[str, str]]:
    return [{"title": p.name, "payload": payload(intent, package_ref(p))} for p in guide.packages]


def item_buttons(items: Iterable[Item], intent: str) -> List[Dict[str, str]]:
    return [{"title": i.name, "payload": payload(intent, item_ref(i))} for i in items]


def ask_for_service(guide: Guide, aspect: Aspect) -> Message:
    return text("请问您要办理哪项业务？可以直接输入业务名称（例如：失业登记、社保卡挂失），"
                "或点选下面的服务包：", package_buttons(guide, aspect.intent))


def ask_for_item(package: Package, items: Iterable[Item], aspect: Aspect) -> Message:
    """Which sub-service; with the package's place, which every one of them shares."""
    return text(f"{package.source}包括多项业务，请问您要办理哪一项？\n"
                f"（{render.package_place_line(package)}）",
                item_buttons(items, aspect.intent))


def ask_to_choose(items: List[Item], aspect: Aspect, guide: Guide) -> Message:
    lines = [f"{i.name}（{guide.package_of(i).source}）"
             for i in items]
    return text("您的问题可能涉及以下几项业务，请问您指的是哪一项？\n" + "\n".join(lines),
                item_buttons(items, aspect.intent))


def out_of_scope(guide: Guide, note: Optional[str] = None) -> Message:
    """指南未涉及 + 12333; `note` says whom the guide's nearest service is for, when the user's
    situation is what rules it out."""
    hotline = guide.document.hotline_text
    body = (f"抱歉，这个问题不在《{guide.document.title}》的范围内，我无法回答，"
            f"以免给您错误的信息。请拨打{hotline}咨询。")
    if note:
        body = (f"抱歉，《{guide.document.title}》没有涉及您这种情况：{note}。"
                f"请拨打{hotline}咨询。")
    return text(body, [{"title": "我能问什么", "payload": "/ask_capabilities"}])


def capabilities(guide: Guide) -> Message:
    return text(f"我可以解答《{guide.document.title}》中十个服务包的办理材料、地点、时间和流程。"
                "请直接提问（例如：失业金怎么领？社保卡丢了怎么办？），或点选服务包：",
                package_buttons(guide, "ask_overview"))


def handoff(guide: Guide) -> Message:
    return text(f"如需人工服务，请拨打{guide.document.hotline_text}。")


def several_items_intro(count: int) -> Message:
    return text(f"您的问题涉及以下{count}项业务，分别说明如下：")
