"""Answers built only from the guide's own words.

One function per aspect of a sub-service. Each answer is a guide_kb.answer.Answer: its text is
plain (no markdown: WeChat and SMS show it as it is), its structure is the same lines as headed
blocks; every fact in it comes from a field of guide.yml.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from guide_kb import hours as hours_of
from guide_kb.answer import Answer, Block
from guide_kb.model import Guide, Item, Material, Package, Place
from guide_kb.normalize import vocabulary


def hotline_hint(guide: Guide) -> str:
    """The line that sends a question the guide leaves open to the hotline."""
    return f"如需进一步确认，请拨打{guide.document.hotline_text}。"


def source_line(guide: Guide, package: Package) -> str:
    return f"来源：《{guide.document.title}》{package.source}（{guide.document.edition}）"


def document_source_line(guide: Guide) -> str:
    """The source of an answer that no one package gives (a building, the 网上经办大厅)."""
    return f"来源：《{guide.document.title}》（{guide.document.edition}）"


def title(item: Item) -> str:
    return f"【{item.name}】"


def _numbered(lines: List[str]) -> List[str]:
    return Block("", tuple(lines), numbered=True).body()


def _place_line(place: Place) -> str:
    text = place.text
    if place.name not in text:  # item places give only the windows: name the building too
        text = f"{place.name}{place.floor or ''}{text}"
    if place.address and place.address not in text:
        text = f"{text}（{place.address}）"
    return f"{place.applies_to}：{text}" if place.applies_to else text


@dataclass(frozen=True)
class Who:
    """What the user said about themselves: a county with its own route (新宾), the kind of
    applicant a place is for (参公单位, 在校学生), the situations they told (退伍, 外地户口)."""
    county: Optional[str] = None
    applicant: Optional[str] = None
    situations: FrozenSet[str] = frozenset()


def applicant_in(item: Item, text: str) -> Optional[str]:
    """The `for` of one of the item's places that the user named: contained whole in the text
    (the longest, so 非全额事业单位 is not taken for 全额事业单位), else the one sharing the longest
    stretch of 3+ characters with it, when only one does (非全额的呢, 我是在校学生)."""
    kinds = {p.applies_to for p in item.places if p.applies_to}
    named = applicant_named(text, kinds)
    if named:
        return named
    whole = [k for k in kinds if k in text]
    if whole:
        return max(whole, key=len)
    shared = {k: _longest_common(text, k) for k in kinds}
    longest = max(shared.values(), default=0)
    best = [k for k, length in shared.items() if length == longest]
    return best[0] if longest >= 3 and len(best) == 1 else None


def applicant_named(text: str, kinds: Optional[Iterable[str]] = None) -> Optional[str]:
    """The kind of applicant a word people use names (全额拨款 → 全额事业单位; the longest word
    decides, so 非全额拨款 is not 全额), among `kinds` when given."""
    named = [kind for word, kind in sorted(vocabulary()["applicant_words"].items(),
                                           key=lambda pair: -len(pair[0]))
             if word in text and (kinds is None or kind in kinds)]
    return named[0] if named else None


def _longest_common(a: str, b: str) -> int:
    for length in range(min(len(a), len(b)), 0, -1):
        if any(a[i:i + length] in b for i in range(len(a) - length + 1)):
            return length
    return 0


def place_lines(guide: Guide, item: Item, who: Optional[Who] = None) -> List[str]:
    """Where to go: only the places for the applicant or county the user named, if any."""
    who = who or Who()
    county = who.county
    county_places = [p for p in item.places if p.counties]
    if who.applicant:
        shown = [p for p in item.places if p.applies_to == who.applicant]
        lines = [_place_line(p) for p in shown]
    elif county and any(county in p.counties for p in county_places):
        route = next(p for p in county_places if county in p.counties)
        return [f"{county}县：{route.text}"]
    else:
        shown = item.places
        lines = [_place_line(p) for p in item.places if not p.counties]
        lines += [_place_line(p) for p in county_places]
    # 社保卡管理大厅 and the like have no address in the item's own steps: give the package's
    if item.own_places and not any(p.windows or p.address for p in shown):
        lines += [f"（{guide.package_of(item).name}办理地点：{_place_line(p)}）"
                  for p in guide.package_of(item).places if p.address]
    return lines


def materials_block(guide: Guide, item: Item, left_out: Sequence[Material] = ()) -> Block:
    if item.no_materials:
        return Block("所需材料", ("不需要申请材料。" + (item.no_materials_note or ""),))
    if not item.materials:
        return Block("所需材料", ("指南未列出该事项的所需材料。" + hotline_hint(guide),))
    return Block("所需材料", tuple(m.label() for m in item.materials if m not in left_out),
                 numbered=True)


def _materials_blocks(guide: Guide, item: Item, who: Who) -> List[Block]:
    """The list, narrowed to the situation told, and whose papers it left out."""
    left_out = _left_out(item, who)
    note = [Block("说明", (item.note,), inline=True)] if item.note else []
    if not left_out:
        return [materials_block(guide, item)] + note
    whose = "；".join(dict.fromkeys(_CONDITION_VERB.sub("", m.condition) if m.condition
                                    else m.name for m in left_out))
    return [materials_block(guide, item, left_out),
            Block("", (f"以上按您说的情况列出。其他情况另需的材料未列出（{whose}）。",))] + note


def _left_out(item: Item, who: Who) -> List[Material]:
    """我是退伍回来的: the papers of situations other than the one told, when one is told that
    a paper of the item is for; every applicant's papers and the told situation's stay."""
    if not any(m.situation in who.situations for m in item.materials if m.situation):
        return []
    return [m for m in item.materials if m.situation and m.situation not in who.situations]


_CONDITION_VERB = re.compile(r"(需提供|应提供|需要|的)$")  # 复员退伍军人需提供 → 复员退伍军人


def materials_lines(guide: Guide, item: Item) -> List[str]:
    return materials_block(guide, item).body()


def steps_block(item: Item) -> Block:
    lines = [s.line() for s in item.steps]
    if item.see_also:
        lines.append(item.see_also)
    return Block("办理流程", tuple(lines), numbered=len(lines) > 1)


def hours_block(guide: Guide, item: Item, day: datetime.date) -> Block:
    if item.hours:
        return Block("办理时间", (item.hours.text, hours_of.describe(item.hours, day)), inline=True)
    return Block("办理时间", ("指南未规定该事项的具体办理日期。" + hotline_hint(guide),),
                 inline=True)


def hours_lines(guide: Guide, item: Item, day: datetime.date) -> List[str]:
    if item.hours:
        return hours_block(guide, item, day).text_lines()
    return hours_block(guide, item, day).body()


def routes_blocks(item: Item) -> List[Block]:
    routes = (("网上办理", item.online), ("电话办理", item.phone))
    return [Block(heading, (route.text,), inline=True) for heading, route in routes if route]


def routes_lines(item: Item) -> List[str]:
    return [line for block in routes_blocks(item) for line in block.text_lines()]


# The parts an answer about one item is made of. Each gives its blocks, or [] when the guide has
# nothing for that item; MISSING says so when that part is exactly what was asked.
Section = Callable[[Guide, Item, datetime.date, Who], List[Block]]

SECTIONS: Dict[str, Section] = {
    "place": lambda g, i, day, who: [Block("办理地点", tuple(place_lines(g, i, who)))],
    "hours": lambda g, i, day, who: [hours_block(g, i, day)] if i.hours else [],
    "materials": lambda g, i, day, who: _materials_blocks(g, i, who),
    "steps": lambda g, i, day, who: [steps_block(i)],
    "routes": lambda g, i, day, who: routes_blocks(i),
    "duration": lambda g, i, day, who: [Block("办理时限", (i.duration,), inline=True)]
    if i.duration else [],
    "audience": lambda g, i, day, who: [Block("服务对象", (g.package_of(i).audience,),
                                              inline=True)],
}
MISSING = {
    "hours": lambda g: Block("办理时间", ("指南未规定该事项的具体办理日期。" + hotline_hint(g),),
                             inline=True),
    "duration": lambda g: Block("办理时限", ("指南未写明。" + hotline_hint(g),), inline=True),
    "routes": lambda g: Block("", ("指南未提供该事项的网上或电话办理方式，请到现场办理。"
                                   + hotline_hint(g),)),
}
SECTION_ORDER = tuple(SECTIONS)


def item_card(guide: Guide, item: Item, sections: Sequence[str], day: datetime.date,
              who: Optional[Who] = None, lead: Sequence[str] = ()) -> Answer:
    """The title, the lines answering the asked detail (`lead`), the asked sections in order
    (the first one is what was asked), the source."""
    blocks: List[Block] = []
    sections = list(dict.fromkeys(sections))
    if "steps" in sections and "routes" in sections[1:] and _routes_in_steps(item):
        sections.remove("routes")  # the steps already say it (线上办理：…拨打12333进行挂失)
    for position, name in enumerate(sections):
        part = SECTIONS[name](guide, item, day, who or Who())
        if not part and position == 0 and name in MISSING:
            part = [MISSING[name](guide)]
        blocks += part
    return _answer(guide, item.name, lead, blocks, source_line(guide, guide.package_of(item)))


def item_answer(guide: Guide, item: Item, sections: Sequence[str], day: datetime.date,
                who: Optional[Who] = None, lead: Sequence[str] = ()) -> str:
    return item_card(guide, item, sections, day, who, lead).text()


def _answer(guide: Guide, title_text: str, lead: Sequence[str], blocks: Sequence[Block],
            source: str, bracketed: bool = True) -> Answer:
    return Answer(title_text, tuple(lead), tuple(blocks), source, guide.document.hotline,
                  bracketed)


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


def package_card(guide: Guide, package: Package, day: datetime.date) -> Answer:
    """What a package covers, where it is handled, and its sub-services."""
    blocks = [Block("说明", (package.description,), inline=True),
              Block("服务对象", (package.audience,), inline=True),
              Block("办理地点", ("；".join(_place_line(p) for p in package.places),), inline=True)]
    if package.hours:
        blocks.append(package_hours_block(guide, package, day))
    blocks.append(Block("包括以下事项", tuple(i.name for i in package.items), numbered=True))
    return _answer(guide, package.source, (), blocks, source_line(guide, package),
                   bracketed=False)


def package_answer(guide: Guide, package: Package, day: datetime.date) -> str:
    return package_card(guide, package, day).text()


def places_card(guide: Guide, places: Sequence[Tuple[Package, Place]],
                day: Optional[datetime.date] = None) -> Answer:
    """A building the guide names, as each package gives it (they may differ: the guide puts the
    就业和人才服务中心 at two addresses; both are shown, each with its package). With `day`, when
    it is open is asked: the guide gives hours per package (59号窗口 每月1-15号), never for a
    building, and says so for the packages without any."""
    blocks = []
    for package, place in places:
        blocks.append(Block(f"{place.name}（{package.source}）", (_place_line(place),), inline=True))
        if day:
            blocks.append(package_hours_block(guide, package, day))
    if len({_place_line(p) for _, p in places}) > 1:
        blocks.append(Block("", ("指南在不同服务包中给出的地址不同，请按所办业务前往；"
                                 + hotline_hint(guide),)))
    return _answer(guide, "", (), blocks, document_source_line(guide))


def package_hours_block(guide: Guide, package: Package, day: datetime.date) -> Block:
    """The package's 办理时间 and whether today is in it; or that the guide gives none."""
    if package.hours:
        return Block("办理时间", (package.hours.text, hours_of.describe(package.hours, day)),
                     inline=True)
    return Block("办理时间", ("指南未写明。" + hotline_hint(guide),), inline=True)


def package_hours_card(guide: Guide, package: Package, day: datetime.date) -> Answer:
    """When a whole package is handled: its hours, or that the guide gives none; where."""
    return _answer(guide, package.source, (), [package_hours_block(guide, package, day),
                                               Block("", (package_place_line(package),))],
                   source_line(guide, package), bracketed=False)


def places_answer(guide: Guide, places: Sequence[Tuple[Package, Place]]) -> str:
    return places_card(guide, places).text()


def package_day_card(guide: Guide, package: Package, day_of_month: int) -> Answer:
    """工亡待遇那块 16号还能去办不: the day they name, reasoned against the package's rule."""
    return _answer(guide, "", (hours_of.describe_day(package.hours, day_of_month),),
                   [Block("", (package_place_line(package),))], source_line(guide, package))


def package_durations_card(guide: Guide, package: Package) -> Answer:
    """How long each of a package's items takes, as the guide says (or that it does not)."""
    blocks = [Block("", (package_place_line(package),)),
              Block("", tuple(f"{i.name}：{i.duration or '指南未写明'}" for i in package.items))]
    return _answer(guide, f"{package.source}各项业务的办理时限：", (), blocks,
                   source_line(guide, package), bracketed=False)


def package_durations_answer(guide: Guide, package: Package) -> str:
    return package_durations_card(guide, package).text()


def online_hall_card(guide: Guide) -> Answer:
    """The guide's 网上经办大厅 and the sub-services it names as done there."""
    hall = guide.document.online_hall
    items = [i for i in guide.items if i.online and i.online.target == hall]
    blocks = [Block("网上经办大厅", (hall,), inline=True),
              Block("指南中可在网上经办大厅办理的业务",
                    tuple(f"{i.name}（{guide.package_of(i).source}）" for i in items))]
    return _answer(guide, "", (), blocks, document_source_line(guide))


def online_hall_answer(guide: Guide) -> str:
    return online_hall_card(guide).text()
