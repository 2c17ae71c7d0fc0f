"""Plain-text answers built only from the guide's own words.

One function per aspect of a sub-service. Every text is plain (no markdown: WeChat and SMS show it
as it is), and every fact in it comes from a field of guide.yml.
"""
from __future__ import annotations

import datetime
from typing import List, Optional

from guide_kb import hours as hours_of
from guide_kb.model import Guide, Item, Package, Place

HOTLINE_HINT = "如需进一步确认，请拨打人力资源和社会保障服务热线12333。"


def source_line(guide: Guide, package: Package) -> str:
    return f"来源：《{guide.document.title}》{package.source}"


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


def place_lines(guide: Guide, item: Item, county: Optional[str] = None) -> List[str]:
    """Where to go; a county's own route first when the user named that county."""
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


def materials_answer(guide: Guide, item: Item) -> str:
    return _join([title(item) + "所需材料：", *materials_lines(item)], guide, item)


def place_answer(guide: Guide, item: Item, day: datetime.date,
                 county: Optional[str] = None) -> str:
    lines = [title(item) + "办理地点：", *place_lines(guide, item, county)]
    if item.hours:
        lines += hours_lines(item, day)
    # the steps often say more precisely where (which window for which unit, which office)
    lines += ["办理流程：", *steps_lines(item)]
    return _join(lines, guide, item)


def hours_answer(guide: Guide, item: Item, day: datetime.date) -> str:
    lines = [title(item), *hours_lines(item, day), "办理地点：" + "；".join(place_lines(guide, item))]
    return _join(lines, guide, item)


def steps_answer(guide: Guide, item: Item) -> str:
    return _join([title(item) + "办理流程：", *steps_lines(item), *routes_lines(item)],
                 guide, item)


def duration_answer(guide: Guide, item: Item) -> str:
    if item.duration:
        lines = [f"{title(item)}办理时限：{item.duration}"]
    else:
        lines = [f"{title(item)}指南未写明办理时限。" + HOTLINE_HINT]
    return _join(lines, guide, item)


def online_answer(guide: Guide, item: Item) -> str:
    routes = routes_lines(item)
    if routes:
        lines = [title(item), *routes]
    else:
        lines = [f"{title(item)}指南未提供网上或电话办理方式，请到现场办理：",
                 *place_lines(guide, item)]
    return _join(lines, guide, item)


def audience_answer(guide: Guide, item: Item) -> str:
    package = guide.package_of(item)
    return _join([f"{title(item)}服务对象：{package.audience}"], guide, item)


def card_answer(guide: Guide, item: Item, day: datetime.date,
                county: Optional[str] = None) -> str:
    """怎么办: where, what to bring, the steps and any online route, in one card."""
    lines = [title(item), "办理地点：", *place_lines(guide, item, county)]
    if item.hours:
        lines += hours_lines(item, day)
    lines += ["所需材料：", *materials_lines(item), "办理流程：", *steps_lines(item)]
    lines += routes_lines(item)
    if item.duration:
        lines.append(f"办理时限：{item.duration}")
    return _join(lines, guide, item)


def package_answer(guide: Guide, package: Package, day: datetime.date) -> str:
    """What a package covers, where it is handled, and its sub-services."""
    lines = [f"{package.ordinal}「{package.name}」", f"说明：{package.description}",
             f"服务对象：{package.audience}", "办理地点：" + "；".join(
                 _place_line(p) for p in package.places)]
    if package.hours:
        lines += [f"办理时间：{package.hours.text}", hours_of.describe(package.hours, day)]
    lines += ["包括以下事项：", *_numbered([i.name for i in package.items])]
    lines.append(source_line(guide, package))
    return "\n".join(lines)


def _join(lines: List[str], guide: Guide, item: Item) -> str:
    return "\n".join(lines + [source_line(guide, guide.package_of(item))])


def package_durations_answer(guide: Guide, package: Package) -> str:
    lines = [f"{package.ordinal}「{package.name}」各项业务的办理时限："]
    lines += [f"{i.name}：{i.duration or '指南未写明'}" for i in package.items]
    lines.append(source_line(guide, package))
    return "\n".join(lines)
