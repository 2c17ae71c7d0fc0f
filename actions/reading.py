"""One pass over a message, no decisions: what the guide's vocabulary can see in it.

The words that name a service (without a part the user rules out: 不是工亡那个), the situations
the user tells about (退休后过世, 没开金融功能), the kind of detail asked (要原件吗, 几张, 谁能办,
多少钱), a day of the month they name (16号), and their county.
"""
from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import FrozenSet, List, Optional, Tuple

from actions import counties, knowledge
from guide_kb import hours
from guide_kb.normalize import normalize, vocabulary

# 不是X(那个)…: the part after 不是 up to a pause, 是, 那个 or the end names what is ruled out;
# 是不是 is a question, not a correction
_CORRECTION = re.compile(r"(?<!是)不是([^，,。；;！!？?\s是]{1,12}?)(?:那个|那项|那种|的)?(?=[\s，,。；;！!？?]|是|$)")
# 审批都批下来了 / 失业金申请完了 / 医药费都报了: a step already done is not what is asked; the words
# before the marker (up to a pause) name it. 办好了吗 asks whether it is done, 申请完多久能拿到 asks about
# what follows it: no step taken.
_DONE = re.compile(r"([^，,。；;！!？?\s]{1,20}?)(?:都|已经|早就|早|已)?((?:办|批|审|申请|交|报|认定|鉴定|弄)"
                   r"(?:完|下来)|领完|办好|挂失|登记|(?:都|已经|早就|已)(?:报|办|交|领))了(?![吗么没不])")
# 刚办完退休审批, 办过就业创业证: the step named after its verb; 就业创业证我有, 我有就业创业证了:
# a paper they hold is not one they ask to get. Only a service's own name counts as the object
# here (办完手续 names none).
_DONE_BEFORE = re.compile(r"(?:办完|办好|办过|批完|批下来|审完|申请完|申请过|领过|交过)了?"
                          r"([^，,。；;！!？?\s]{2,12})")
_HELD = re.compile(r"([^，,。；;！!？?\s]{2,10}?)(?:我|俺)?(?:已经|早就|都)?有了?(?=$|[\s，,。]|了)"
                   r"|(?:我|俺)(?:手里|已经|早就)?有([^，,。；;！!？?\s]{2,10}?)了")
# 申请完了 多少天能做好: how long after the step taken is asked, so that step is the subject
_WAIT_ASKED = re.compile(r"多久|几天|多长时间|多少天|多少个工作日")
# 让找活的人都知道, 让招人的单位能看着我: the people the message is meant to reach
_AUDIENCE = re.compile(r"(让|叫|好让)[^，,。？?！!\s]{0,8}?的?(?P<whom>人|单位|企业|老板|公司|厂子?)(们)?(都|也)?(能)?"
                       r"(看|知道|找|瞅|联系|瞧)")
_SPEAKER_FOR = {"人": "employer", **dict.fromkeys(("单位", "企业", "老板", "公司", "厂", "厂子"),
                                                "job_seeker")}
# 以后找工作创业都用得上: what the thing asked for will serve later, not a second thing asked
_PURPOSE = re.compile(r"(以后|将来|往后)[^，,。？?！!\s]{0,12}?(都|也)?(用得上|用得着|能用上|能用到|要用到?)")
_NEGATED = re.compile(r"(没|未|不是|还没|没有)$")
_SAID_WRONG = re.compile(r"(说错了|搞错了|弄错了|打错了|不对不对|(?<![都也还总])不对)[，,。！!\s]*")
_RETURN = re.compile(r"(再问回|再说回|回到|说回|问回|还是说)(刚才|之前|前面|上一个|头一个)?(那个|那项|的)?"
                     r"|刚才[^，,。？?！!\s]{0,6}(那个|那项)")  # 刚才政审那个: what was asked before
_YES_NO_END = re.compile(r"(吗|(?<![什怎那这多])么|嘛|不|没|不了|没有)[?？!！。.\s]*$")
# 能去申请不, 我自己能办吗: whether the asker may use the service, answered by its 服务对象
_ELIGIBLE = re.compile(r"(能|可以)(去|来|不能)?[^，,。？?]{0,10}?(申请|办|领|报|享受|做)"
                       r"[^，,。？?]{0,8}(吗|不|么|没)[?？]?\s*$")
# 谁来审, 谁给拨钱: who does a step of the service (its 办理流程 says), not who may apply
_WHO_ACTS = re.compile(r"谁(来|去|给|负责|在)?(审|批|核|查|拨|发|管|受理|办理|盖章)")
# 多少 followed by a unit of time or of things counts those, not money
_COUNTED = re.compile(r"多少个?(天|日|工作日|月|年|小时|钟头|张|份|次|回|趟)")
# 打电话给冻上了: a route already taken in the story, not one asked about
_ROUTE_TAKEN = re.compile(r"(打电话|打了电话|网上|手机上)(给|把)[^，,。？?！!\s]{0,8}了")
# 十几个, 好几年, 几十块, 前几天: a number or a time told in the story, not one asked
_TOLD_NUMBER = re.compile(r"[十百千万好]几|几[十百千万]|(前|这|那|过|头)几天")
_RELATIVE_DAYS = {"大后天": 3, "后天": 2, "明天": 1, "今天": 0}
_NEXT_WEEKDAY = re.compile(r"下(?:周|星期|礼拜)([一二三四五六日天])")
_DAY = re.compile(r"(?<![\d路街])([12]?\d|3[01])\s*[号日](?!窗口|楼)")


@dataclass(frozen=True)
class Reading:
    text: str                       # the normalised message
    query: str                      # what may name the service: no ruled-out part, no county
    ruled_out: str                  # 工亡那个 in 不是工亡那个
    done: str                       # 退休审批 in 退休审批都批下来了: a step already taken
    corrects: bool                  # 说错了 / 不对: what was understood before is not it
    returns: bool                   # 再问回刚才那个: back to the service before the current one
    situations: FrozenSet[str]
    described: Tuple[str, ...]      # the guide's words for things described (那袋材料 → 档案),
                                    # in the order they are told: the last is told last
    details: FrozenSet[str]         # yes_no, amount, who, count
    sections: FrozenSet[str]        # the parts of an answer its words ask for (材料, 在哪)
    day_of_month: Optional[int]     # 16号
    county: Optional[str]

    @property
    def is_correction(self) -> bool:
        return bool(self.ruled_out) or self.corrects


def read(message: str) -> Reading:
    return _read(message, hours.today())


@functools.lru_cache(maxsize=2048)  # per message and day: 明天 is another date tomorrow
def _read(message: str, today: datetime.date) -> Reading:
    text = normalize(message)
    ruled_out, query = _ruled_out(text)
    # 退休审批批下来了: its words stay (they tell the situation); only its service is excluded
    done = "" if _WAIT_ASKED.search(query) else " ".join(
        [m.group(1) + m.group(2)  # 33 34号窗口: one clause, not two
         for m in _DONE.finditer(re.sub(r"(?<=\d)\s+(?=\d)", "、", query))]
        + _named_services_taken(query))
    query = _PURPOSE.sub(" ", _SAID_WRONG.sub(" ", _RETURN.sub(" ", query)))
    situations = situations_in(query)
    query, described = _in_guide_words(query, situations)
    return Reading(text=text, query=counties.without_counties(query),
                   ruled_out=ruled_out, done=done, corrects=bool(_SAID_WRONG.search(text)),
                   returns=bool(_RETURN.search(text)), situations=situations, described=described,
                   details=_details(text),
                   sections=sections_asked(query),
                   day_of_month=_day(text, today), county=counties.county_in(text))


def _named_services_taken(query: str) -> List[str]:
    """The services written out after a step's verb (刚办完退休审批) or as a paper held
    (就业创业证我有): the words of steps behind the person."""
    search = knowledge.search()
    objects = [m.group(1) for m in _DONE_BEFORE.finditer(query)] + [
        m.group(1) or m.group(2) for m in _HELD.finditer(query)]
    named = ([n for n in search.item_names_in(words) if len(n) >= 3] for words in objects)
    return [max(names, key=len) for names in named if names]


def _ruled_out(text: str) -> Tuple[str, str]:
    found = [m.group(1) for m in _CORRECTION.finditer(text)]
    if not found:
        return "", text
    query = _CORRECTION.sub(" ", text)
    query = _SAID_WRONG.sub(" ", query)
    query = re.sub(r"(^|\s)(而是|是|我说的是|要的是)", " ", query)
    return " ".join(found), " ".join(query.split())


def situations_in(text: str) -> FrozenSet[str]:
    """The situations of vocabulary.yml that the text tells about (还没退休 does not); those of
    whom the person wants to reach are not theirs (让找活的人知道: an employer speaks)."""
    # whom they want to be seen by tells who they are: 让缺人的单位看见我 (a job seeker),
    # 让找活的人知道 (an employer)
    reached = {_SPEAKER_FOR.get(m.group("whom")) for m in _AUDIENCE.finditer(text)}
    text = _AUDIENCE.sub(" ", text)
    table = vocabulary()["situations"]
    held = (reached - {None}) | {
        name for name, rule in table.items()
        if any(_told(text, cue) for cue in rule.get("cues") or ())
        or any(re.search(pattern, text) for pattern in rule.get("patterns") or ())}
    for name, rule in table.items():  # composed ones: all parts hold, none of the cancelling
        if rule.get("all") and all(p in held for p in rule["all"]) and not any(
                u in held for u in rule.get("unless") or ()):
            held.add(name)
    return frozenset(held)


def _in_guide_words(query: str, situations: FrozenSet[str]) -> Tuple[str, Tuple[str, ...]]:
    """What the user told in their own words, added in the guide's: the situation (自己开个店 →
    创业), its money (没活干了 那份钱咋领 → 失业金) and things described (看病刷的卡 → 社保卡, whose
    guide's words come back too)."""
    table = vocabulary()["situations"]
    asks_money = any(word in query for word in vocabulary()["money_words"])
    # a situation inside a composed one told (退休 in 退休后过世) is read as that one
    told = [s for s in sorted(situations) if not any(
        s in table[c].get("all", ()) for c in situations)]
    named = [word for s in told for word in (
        table[s].get("term") if _told_in_other_words(query, table[s]) and not (
            asks_money and table[s].get("money_replaces_term")) else None,
        table[s].get("money") if asks_money else None) if word]
    described, words = _described(query)
    return " ".join([described] + [w for w in dict.fromkeys(named) if w not in query]), words


def _described(query: str) -> Tuple[str, Tuple[str, ...]]:
    """看病能刷的那张卡 → 社保卡: a thing described by its use, read as the guide's word for it (the
    description's own words, 看病, would otherwise name other services); and the words read, in
    the order the message tells them."""
    told_at = {}  # where each is told: a replacement keeps what stands around it in order
    for word, patterns in vocabulary()["descriptions"].items():
        for pattern in patterns:
            # the word itself written out (就业创业证 fits 就业…创业…证) is named, not described
            ends = [m.end() for m in re.finditer(pattern, query) if m.group(0) != word]
            if ends:
                told_at[word] = max(told_at.get(word, 0), *ends)
                query = re.sub(pattern, word, query)
    return query, tuple(sorted(told_at, key=told_at.get))


def _told_in_other_words(text: str, rule: dict) -> bool:
    """The situation is told by a cue the guide never uses (厂子黄了, 自己开个店), or a part of a
    composed one is (失业金 + 搬去儿子那); one told in the guide's words (养老金) needs nothing
    added."""
    table = vocabulary()["situations"]
    return (any(_told(text, cue) and not knowledge.search().in_guide(cue)
                for cue in rule.get("cues") or ())
            or any(re.search(pattern, text) for pattern in rule.get("patterns") or ())
            or any(_told_in_other_words(text, table[part]) for part in rule.get("all") or ()))


def _told(text: str, cue: str) -> bool:
    """The cue is in the text and not negated right before it (没退休, 不是工伤, 未加载金融)."""
    start = text.find(cue)
    while start != -1:
        if not _NEGATED.search(text[max(0, start - 3):start]):
            return True
        start = text.find(cue, start + 1)
    return False


def _details(text: str) -> FrozenSet[str]:
    cues = vocabulary()["detail_cues"]
    text = _TOLD_NUMBER.sub(" ", text)
    counted = _COUNTED.sub(" ", text)  # 多少天, 多少张: a wait or a number of papers, not money
    acting = _WHO_ACTS.sub(" ", text)  # 谁来审: who does a step, not who may apply
    kinds = {kind for kind, words in cues.items() if kind != "yes_no"
             and any(w in (counted if kind == "amount" else acting if kind == "who" else text)
                     for w in words)}
    # 能去做求职登记吗 asks whether they may; 网上能办吗 / 在哪能办 ask how or where instead
    how_or_where = bool(sections_asked(text) & {"routes", "place", "hours"})
    if _ELIGIBLE.search(text) and not how_or_where:
        kinds.add("who")
    if _YES_NO_END.search(text) or any(w in text for w in cues["yes_no"] if len(w) > 1):
        kinds.add("yes_no")
    return frozenset(kinds)


def sections_asked(text: str) -> FrozenSet[str]:
    """The parts of an answer the text asks for by their words (section_cues: 带啥 在哪开)."""
    text = _TOLD_NUMBER.sub(" ", _ROUTE_TAKEN.sub(" ", text))
    asked = {part for part, cues in vocabulary()["section_cues"].items()
             if any(cue in text for cue in cues)}
    return frozenset(asked | ({"steps"} if _WHO_ACTS.search(text) else set()))


def _day(text: str, today: datetime.date) -> Optional[int]:
    """The day of the month the user names: 16号, or 明天 / 后天 / 下周一 from today."""
    match = _DAY.search(text)
    if match and 1 <= int(match.group(1)) <= 31:
        return int(match.group(1))
    for word, offset in _RELATIVE_DAYS.items():
        if word in text:
            return (today + datetime.timedelta(days=offset)).day
    match = _NEXT_WEEKDAY.search(text)
    if match:
        weekday = "一二三四五六日天".index(match.group(1)) % 7 if match.group(1) != "天" else 6
        monday_next = today + datetime.timedelta(days=7 - today.weekday())
        return (monday_next + datetime.timedelta(days=weekday)).day
    return None
