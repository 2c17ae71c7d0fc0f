"""Plain-text answers built only from the guide's own words.

One function per aspect of a sub-service. Every text is plain (no markdown: WeChat and SMS show it
as it is), and every fact in it comes from a field of guide.yml.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from guide_kb import hours as hours_of
from guide_kb.model import Guide, Item, Package, Place
from guide_kb.normalize import vocabulary

HOTLINE_HINT = "如需进一步确认，请拨打人力资源和社会保障服务热线12333。"


def source_line(guide: Guide, package: Package) -> str:
    return f"来源：《{guide.document.title}》{package.source}（{guide.document.edition}）"


def title(item: Item) -> str:
    return f"【{item.name}】"


def _numbered(lines: List[str]) -> List[str]:
    return [f"{n}. {line}" for n, line in enumerate(lines, 1)]


def _place_line(place: Place) -> str:
    text = place.text
    if place.name not in text:  # item places give only the windows: name the building too
        text = f"{place.name}{place.floor or ''}{text}"
    if place.address and place.address not in text:
        text = f"{text}（{place.address}）"
    return f"{place.applies_to}：{text}" if place.applies_to else text


@dataclass(frozen=True)
class Who:
    """What the user said about themselves: a county with its own route (新宾), or the kind of
    applicant a place is for (参公单位, 在校学生)."""
    county: Optional[str] = None
    applicant: Optional[str] = None


def applicant_in(item: Item, text: str) -> Optional[str]:
    """The `for` of one of the item's places that the user named: contained whole in the text
    (the longest, so 非全额事业单位 is not taken for 全额事业单位), else the one sharing the longest
    stretch of 3+ characters with it, when only one does (非全额的呢, 我是在校学生)."""
    kinds = {p.applies_to for p in item.places if p.applies_to}
    named = [kind for word, kind in sorted(vocabulary()["applicant_words"].items(),
                                           key=lambda pair: -len(pair[0]))
             if word in text and kind in kinds]
    if named:  # 全额拨款 → 全额事业单位: the longest word people use decides
        return named[0]
    whole = [k for k in kinds if k in text]
    if whole:
        return max(whole, key=len)
    shared = {k: _longest_common(text, k) for k in kinds}
    longest = max(shared.values(), default=0)
    best = [k for k, length in shared.items() if length == longest]
    return best[0] if longest >= 3 and len(best) == 1 else None


def _longest_common(a: str, b: str) -> int:
    for length in range(min(len(a), len(b)), 0, -1):
        if any(a[i:i + length] in b for i in range(len(a) - length + 1)):
            return length
    return 0


def place_lines(guide: Guide, item: Item, who: Optional[Who] = None) -> List[str]:
    """Where to go: only the places for the applicant or county the user named, if any."""
    who = who or Who()
    if who.applicant:
        return [_place_line(p) for p in item.places if p.applies_to == who.applicant]
    county = who.county
    county_places = [p for p in item.places if p.counties]
    if county and any(county in p.counties for p in county_places):
        route = next(p for p in county_places if county in p.counties)
        return [f"{county}县：{route.text}"]
    lines = [_place_line(p) for p in item.places if not p.counties]
    lines += [_place_line(p) for p in county_places]
    # 社保卡管理大厅 and the like have no address in the item's own steps: give the package's
    if item.own_places and not any(p.windows or p.address for p in item.places):
        lines += [f"（{guide.package_of(item).name}办理地点：{_place_line(p)}）"
                  for p in guide.package_of(item).places if p.address]
    return lines


def materials_lines(item: Item) -> List[str]:
    if item.no_materials:
        return ["不需要申请材料。" + (item.no_materials_note or "")]
    if not item.materials:
        return ["指南未列出该事项的所需材料。" + HOTLINE_HINT]
    return _numbered([m.label() for m in item.materials])


def steps_lines(item: Item) -> List[str]:
    lines = [s.line() for s in item.steps]
    if item.see_also:
        lines.append(item.see_also)
    return _numbered(lines) if len(lines) > 1 else lines


def hours_lines(item: Item, day: datetime.date) -> List[str]:
    if item.hours:
        return [f"办理时间：{item.hours.text}", hours_of.describe(item.hours, day)]
    return ["指南未规定该事项的具体办理日期。" + HOTLINE_HINT]


def routes_lines(item: Item) -> List[str]:
    lines = []
    if item.online:
        lines.append(f"网上办理：{item.online.text}")
    if item.phone:
        lines.append(f"电话办理：{item.phone.text}")
    return lines


# The parts an answer about one item is made of. Each gives its lines, or [] when the guide has
# nothing for that item; MISSING says so when that part is exactly what was asked.
Section = Callable[[Guide, Item, datetime.date, Who], List[str]]

SECTIONS: Dict[str, Section] = {
    "place": lambda g, i, day, who: ["办理地点：", *place_lines(g, i, who)],
    "hours": lambda g, i, day, who: hours_lines(i, day) if i.hours else [],
    "materials": lambda g, i, day, who: ["所需材料：", *materials_lines(i)],
    "steps": lambda g, i, day, who: ["办理流程：", *steps_lines(i)],
    "routes": lambda g, i, day, who: routes_lines(i),
    "duration": lambda g, i, day, who: [f"办理时限：{i.duration}"] if i.duration else [],
    "audience": lambda g, i, day, who: [f"服务对象：{g.package_of(i).audience}"],
}
MISSING = {
    "hours": "办理时间：指南未规定该事项的具体办理日期。" + HOTLINE_HINT,
    "duration": "办理时限：指南未写明。" + HOTLINE_HINT,
    "routes": "指南未提供该事项的网上或电话办理方式，请到现场办理。",
}
SECTION_ORDER = tuple(SECTIONS)


def item_answer(guide: Guide, item: Item, sections: Sequence[str], day: datetime.date,
                who: Optional[Who] = None, lead: Sequence[str] = ()) -> str:
    """The title, the lines answering the asked detail (`lead`), the asked sections in order
    (the first one is what was asked), the source."""
    lines = [title(item), *lead]
    sections = list(dict.fromkeys(sections))
    if "steps" in sections and "routes" in sections[1:] and _routes_in_steps(item):
        sections.remove("routes")  # the steps already say it (线上办理：…拨打12333进行挂失)
    for position, name in enumerate(sections):
        part = SECTIONS[name](guide, item, day, who or Who())
        if not part and position == 0 and name in MISSING:
            part = [MISSING[name]]
        lines += part
    return _join(lines, guide, item)


def _routes_in_steps(item: Item) -> bool:
    steps = "".join(s.text for s in item.steps)
    return all(r.text in steps for r in (item.online, item.phone) if r)


CARD_SECTIONS = ("place", "hours", "materials", "steps", "routes", "duration")


def card_answer(guide: Guide, item: Item, day: datetime.date,
                who: Optional[Who] = None) -> str:
    """怎么办: where, when, what to bring, the steps and any online route, in one card."""
    return item_answer(guide, item, CARD_SECTIONS, day, who)


def package_place_line(package: Package) -> str:
    return "办理地点：" + "；".join(_place_line(p) for p in package.places)


def package_answer(guide: Guide, package: Package, day: datetime.date) -> str:
    """What a package covers, where it is handled, and its sub-services."""
    lines = [package.source, f"说明：{package.description}",
             f"服务对象：{package.audience}", package_place_line(package)]
    if package.hours:
        lines += [f"办理时间：{package.hours.text}", hours_of.describe(package.hours, day)]
    lines += ["包括以下事项：", *_numbered([i.name for i in package.items])]
    lines.append(source_line(guide, package))
    return "\n".join(lines)


def _join(lines: List[str], guide: Guide, item: Item) -> str:
    return "\n".join(lines + [source_line(guide, guide.package_of(item))])


def places_answer(guide: Guide, places: Sequence[Tuple[Package, Place]]) -> str:
    """A building the guide names, as each package gives it (they may differ: the guide puts the
    就业和人才服务中心 at two addresses; both are shown, each with its package)."""
    lines = []
    for package, place in places:
        lines += [f"{place.name}（{package.source}）：{_place_line(place)}"]
    if len({_place_line(p) for _, p in places}) > 1:
        lines.append("指南在不同服务包中给出的地址不同，请按所办业务前往；" + HOTLINE_HINT)
    lines.append(f"来源：《{guide.document.title}》（{guide.document.edition}）")
    return "\n".join(lines)


def package_durations_answer(guide: Guide, package: Package) -> str:
    lines = [f"{package.source}各项业务的办理时限："]
    lines.append(package_place_line(package))
    lines += [f"{i.name}：{i.duration or '指南未写明'}" for i in package.items]
    lines.append(source_line(guide, package))
    return "\n".join(lines)


def online_hall_answer(guide: Guide) -> str:
    """The guide's 网上经办大厅 and the sub-services it names as done there."""
    hall = guide.document.online_hall
    items = [i for i in guide.items if i.online and i.online.target == hall]
    lines = [f"网上经办大厅：{hall}", "指南中可在网上经办大厅办理的业务："]
    lines += [f"{i.name}（{guide.package_of(i).source}）" for i in items]
    lines.append(f"来源：《{guide.document.title}》（{guide.document.edition}）")
    return "\n".join(lines)
