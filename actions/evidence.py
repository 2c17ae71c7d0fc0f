"""Evidence first: for a detail question (要原件吗, 照片几张, 谁能办, 会上门核查吗, 多少钱, 16号能办不),
the sentences of guide.yml that hold the asked detail, quoted, to lead the answer; or, when the
item's text does not hold it, a sentence saying the guide does not say it, with the hotline.
Never another field in its place (an amount is not answered with the 办理时限).
"""
from __future__ import annotations

import functools
import re
from typing import List, Optional, Sequence, Tuple

from actions import knowledge
from actions.reading import Reading
from guide_kb import hours as hours_of
from guide_kb.model import Item, Package
from guide_kb.render import hotline_hint, place_lines

MAX_QUOTED = 2
_SENTENCE_END = re.compile(r"(?<=[。；;])")
_COUNT = re.compile(r"[一二两三四五六七八九十\d]+\s*[张份寸个次]")
_PERIOD = re.compile(r"[一二两三四五六七八九十\d]+\s*(个月|年|个工作日|天)")
_AMOUNT = re.compile(r"\d+(\.\d+)?\s*(元|%|％)")
_SUM = re.compile(r"\d+(\.\d+)?\s*元")
# how often: the guide says 按月 / 每月 where people ask 每个月
_MONTHLY = re.compile(r"每个?月|按月|月月")
_MONTHLY_WORDS = ("按月", "每月")
_PAYMENT_WORDS = ("拨付",)  # 市财政局复核后拨付资金


@functools.lru_cache(maxsize=None)  # per item, built once
def sentences(item: Item) -> Tuple[str, ...]:
    """Every statement the guide makes about the item, one sentence each, in the guide's words:
    its texts (Item.texts), the places as the answer shows them, its hours and 服务对象."""
    guide = knowledge.guide()
    texts = item.texts()
    found: List[str] = [f"服务对象：{guide.package_of(item).audience}"]
    found += texts["materials"]
    found += [part for line in texts["steps"] for part in _SENTENCE_END.split(line)]
    found += place_lines(guide, item)
    found += texts["routes"]
    if item.hours:
        found.append(f"办理时间：{item.hours.text}")
    if item.duration:
        found.append(f"办理时限：{item.duration}")
    for note in (item.no_materials_note, item.note):
        if note:
            found.append(note)
    return tuple(dict.fromkeys(s.strip() for s in found if s.strip()))


def package_lead(reading: Reading, package: Package) -> List[str]:
    """For a whole package: an amount asked that none of its items gives is declined."""
    if "amount" in reading.details and not amounts_in(package):
        return [f"指南没有写明{package.source}中任何一项的金额或标准。{hotline_hint(knowledge.guide())}"]
    return []


def lead(reading: Reading, item: Item, words: Sequence[str], follow_up: bool = False,
         applicant: Optional[str] = None) -> List[str]:
    """The lines that answer the asked detail first; [] when no detail is asked. `follow_up`:
    the message continues the service in context, so a condition it adds (我是外地户口的呢) is
    looked up in the item's sentences even without a question word. `applicant`: the branch the
    user named (非全额事业单位); sentences about the other branches are left out."""
    if "amount" in reading.details:
        quoted = [s for s in sentences(item) if _AMOUNT.search(s)][:MAX_QUOTED]
        if not quoted:
            return [f"指南没有写明「{item.name}」的具体金额或标准。{hotline_hint(knowledge.guide())}"]
        if any(_SUM.search(s) for s in quoted):
            return [_quote(s) for s in quoted]
        # 预计50%确认 is a share: the sum asked for is still not written
        return [_quote(s) for s in quoted] + [
            f"指南没有写明「{item.name}」的具体金额。{hotline_hint(knowledge.guide())}"]
    lines: List[str] = []
    if "payment" in reading.details:  # 多久到账: the sentence on paying it, if the guide has one
        paid = [_quote(s) for s in sentences(item) if any(w in s for w in _PAYMENT_WORDS)]
        lines += paid[:MAX_QUOTED] or [
            f"指南没有写明「{item.name}」的钱什么时候发放到账。{hotline_hint(knowledge.guide())}"]
    if reading.day_of_month and item.hours:
        lines.append(hours_of.describe_day(item.hours, reading.day_of_month))
    elif "who" in reading.details:
        lines.append(_quote(sentences(item)[0]))
    if reading.details & {"yes_no", "count", "period"} or (follow_up and not lines):
        asked = _detail_words(item, words)
        monthly = [s for s in sentences(item) if any(w in s for w in _MONTHLY_WORDS)
                   ] if _MONTHLY.search(reading.text) else []
        if monthly:  # 每个月都得报吗: 每个月 is the detail asked
            lines += [_quote(s) for s in monthly[:MAX_QUOTED]]
        else:
            lines += _holding(item, asked, applicant,
                              decline=bool(reading.details & {"yes_no", "count"}))
        if not asked and follow_up and "yes_no" in reading.details:
            lines += _never_mentioned(item, words)
    if "period" in reading.details and not any(_PERIOD.search(line) for line in lines):
        # 店得开多久才能申请: no word of the question is in the sentence, but its kind of number is
        lines += [_quote(s) for s in sentences(item) if _PERIOD.search(s)][:MAX_QUOTED]
    for kind, unit in (("count", _COUNT), ("period", _PERIOD)):
        if kind in reading.details and not any(unit.search(line) for line in lines):
            # 复印几份, 能领几个月: the guide gives no number for it; say so, invent none
            asked = "数量" if kind == "count" else "期限"
            lines.append(f"指南没有写明「{item.name}」的具体{asked}。{hotline_hint(knowledge.guide())}")
    return lines


def amounts_in(package: Package) -> List[str]:
    """The sentences of a package's items that state an amount of money or a share."""
    return [s for item in package.items for s in sentences(item) if _AMOUNT.search(s)]


def _detail_words(item: Item, words: Sequence[str]) -> List[str]:
    """The question's words that ask about a detail: not the item's name, unless a paper of its
    own or its heading's note holds it (营业执照, also a name of 第三包; 生活困难), known to the
    guide."""
    search = knowledge.search()
    package = knowledge.guide().package_of(item)
    names = (item.name, *item.aliases, package.name, *package.aliases)
    papers = item.texts()["papers"] + ((item.note,) if item.note else ())
    return [w for w in dict.fromkeys(words)
            if len(w) >= 2 and search.in_guide(w) and (
                not any(w in name for name in names) or any(w in paper for paper in papers))]


def _never_mentioned(item: Item, words: Sequence[str]) -> List[str]:
    """要预约吗, 能邮寄吗: a follow-up asking about something the guide never mentions is told so,
    with the hotline, rather than answered with a section that does not hold it."""
    search = knowledge.search()
    unknown = [w for w in dict.fromkeys(words) if len(w) >= 2 and not search.in_guide(w)]
    if not unknown:
        return []
    return [f"指南关于「{item.name}」没有提到{'、'.join(unknown[:2])}。{hotline_hint(knowledge.guide())}"]


def _holding(item: Item, detail_words: Sequence[str], applicant: Optional[str],
             decline: bool) -> List[str]:
    """The sentences holding most of the asked words; when none holds any and `decline`, a line
    saying the guide does not mention them."""
    if not detail_words:
        return []
    scored = [(sum(w in s for w in detail_words), s) for s in sentences(item)
              if _for_applicant(item, s, applicant)]
    if not scored:
        return []
    best = max(score for score, _ in scored)
    if best == 0:
        if not decline:
            return []
        asked = "、".join(detail_words[:2])
        return [f"指南关于「{item.name}」没有提到{asked}。{hotline_hint(knowledge.guide())}"]
    return [_quote(s) for score, s in scored if score == best][:MAX_QUOTED]


def _for_applicant(item: Item, sentence: str, applicant: Optional[str]) -> bool:
    """Whether a sentence is about no applicant branch other than the one named."""
    if not applicant:
        return True
    others = [p.applies_to for p in item.places if p.applies_to and p.applies_to != applicant]
    rest = sentence.replace(applicant, "")
    # 全额事业单位 is inside 非全额事业单位: that sentence is the other's
    return not any(other in rest or (applicant in other and other in sentence) for other in others)


def _quote(sentence: str) -> str:
    return f"指南原文：「{sentence}」"
