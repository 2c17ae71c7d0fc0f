"""action_answer: every question about the guide is answered here, from guide.yml only."""
from __future__ import annotations

import re
from typing import Any, Dict, FrozenSet, List, Optional, Text, Union

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import evidence, knowledge, refs, replies, scope
from actions.aspects import ASPECTS, CARD, Aspect, aspect_for, sections_for, sections_holding
from actions.reading import Reading, read, sections_asked, situations_in
from actions.resolution import MAX_ANSWERED, Resolution, after_done, packages_of, resolve
from guide_kb import hours, render
from guide_kb.model import Item, Package
from guide_kb.normalize import normalize, vocabulary

# Aspects a question asks for only with their own words (section_cues in vocabulary.yml).
WORD_ONLY_ASPECTS = ("online", "duration", "hours", "overview")
# intents answered with one reply of their own, whatever the message says
FIXED_REPLIES = {"ask_capabilities": replies.capabilities, "human_handoff": replies.handoff}
# below this, with a service in context, such an intent is read as a follow-up instead
FIXED_REPLY_CONFIDENCE = 0.7
# the most services of a package whose papers one answer lists, rather than asking which one
PACKAGE_PAPERS_AT_ONCE = 4


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        guide = knowledge.guide()
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {}).get("name")
        context = refs.parse_refs(tracker.get_slot("service"))
        confidence = (latest.get("intent") or {}).get("confidence") or 0.0
        if intent in FIXED_REPLIES and (not context or confidence >= FIXED_REPLY_CONFIDENCE):
            # what the bot can do, 转人工: the guide's hotline; unsure within a conversation, it
            # is more likely a follow-up (卡里有银行功能的, 能给提供啥)
            dispatcher.utter_message(**FIXED_REPLIES[intent](guide))
            return [SlotSet("outcome", scope.ANSWERED)]
        if intent in FIXED_REPLIES:
            intent = "nlu_fallback"
        reading = read(latest.get("text") or "")
        earlier = refs.parse_refs(tracker.get_slot("earlier"))
        if earlier and (reading.returns or _recalls(reading, earlier, context)):
            # 再问回刚才那个, 那个工亡的钱: the one before is the context again
            context, earlier = earlier, context
            intent = intent if intent != "inform_county" else None
        county = reading.county or tracker.get_slot("county")
        unsure = intent in scope.FALLBACK_INTENTS
        aspect = _confirmed(_likeliest_aspect(latest) if unsure else aspect_for(
            intent, tracker.get_slot("aspect")), reading.text)
        chosen = refs.parse_refs(_entity(latest.get("entities") or [], "service_id"))
        resolution = Resolution.of(chosen) if chosen else _resolution(
            intent, reading, latest.get("entities") or [], context, earlier)
        if _asks_for_the_online_hall(reading, resolution):
            dispatcher.utter_message(**replies.answer(render.online_hall_card(guide)))
            return [SlotSet("outcome", scope.ANSWERED)]
        verdict = scope.decide(intent, reading.text, resolution, chosen=bool(chosen),
                               situations=reading.situations, done=reading.done)
        events = [SlotSet("outcome", verdict.outcome)]
        if verdict.outcome in (scope.NOT_COVERED, scope.OUT_OF_SCOPE, scope.UNFIT):
            note = _unfit_note(resolution) if verdict.outcome == scope.UNFIT else None
            dispatcher.utter_message(**replies.out_of_scope(guide, note))
            return events
        events.append(SlotSet("aspect", aspect.name))
        if county:
            events.append(SlotSet("county", county))
        if resolution.choices:
            dispatcher.utter_message(**replies.ask_to_choose(resolution.choices, aspect, guide))
            return _changed(tracker, events)
        if not resolution.found:
            dispatcher.utter_message(**replies.ask_for_service(guide, aspect))
            return _changed(tracker, events)
        if resolution.package:  # 丧葬费能给多少钱: an amount none of its items gives
            for line in evidence.package_lead(reading, resolution.package):
                dispatcher.utter_message(**replies.text(line))
        if resolution.unfit:  # 丧葬费 of a retiree: not 第八包's; the guide's package for it
            dispatcher.utter_message(**replies.text(
                f"{_unfit_note(resolution)}。您说的情况，指南中对应的是{resolution.package.source}："))
        # who applies (参公单位, 城镇居民) holds for the rest of the conversation until changed
        told = next((a for a in (render.applicant_in(i, reading.query) for i in resolution.items)
                     if a), None) or render.applicant_named(reading.query)
        if told:
            events.append(SlotSet("applicant", told))
        for message in _answers(resolution, aspect, county, reading,
                                told or tracker.get_slot("applicant")):
            dispatcher.utter_message(**message)
        entries = resolution.entries
        if context and context != entries:
            events.append(SlotSet("earlier", refs.refs(context)))
        return _changed(tracker, events + [SlotSet("service", refs.refs(entries))])


def _changed(tracker: Tracker, events: List[EventType]) -> List[EventType]:
    """Only the slots whose value changes: each event is stored and read back on every turn.
    The outcome is recorded on every turn, as the report counts turns."""
    return [e for e in events if e["name"] == "outcome" or tracker.get_slot(e["name"]) != e["value"]]


def _resolution(intent: Optional[str], reading: Reading, entities: List[Dict[str, Any]],
                context: List[Union[Item, Package]],
                earlier: List[Union[Item, Package]]) -> Resolution:
    if context and not reading.is_correction and (
            intent == "inform_county" or reading.returns) and not _writes_a_name(reading):
        return Resolution.of(context, from_context=True)  # 我是新宾县的呢, 回到刚才那个
    named = [e["value"] for e in entities
             if e.get("entity") == "service" and isinstance(e.get("value"), str)]
    if reading.corrects and _corrects_the_applicant(reading, context):
        return Resolution.of(context, from_context=True)  # 说错了 俺们是参公单位: same service
    if context and "yes_no" in reading.details and _names_papers_only(reading):
        return Resolution.of(context, from_context=True)  # 要死亡证明吗: a paper for this one
    corrected = [e for e in context if isinstance(e, Item)] if reading.corrects else []
    if reading.corrects:  # 说错了: what was understood is not it; what they say now decides
        context = []
    context = after_done(reading.done, context)
    resolution = resolve(reading.query, named, context, situations=reading.situations,
                         ruled_out=reading.ruled_out, earlier=earlier, done=reading.done,
                         described=reading.described)
    if corrected and not resolution.items:
        # 说错了 他是工伤死的: the situation is corrected, not what was asked (遗属待遇): the
        # same thing asked again, for the situation now told
        asked = [_BRANCH.sub("", i.name) for i in corrected]  # 遗属待遇申领, not its (养老保险)
        asked_again = resolve(" ".join([reading.query] + asked), named, [],
                              situations=reading.situations, described=reading.described)
        if asked_again.items and not set(asked_again.items) & set(corrected):
            return asked_again
    if (not resolution.found and not resolution.unfit and context
            and (reading.county or reading.day_of_month or reading.details or reading.sections
                 or intent not in scope.FALLBACK_INTENTS)):
        # a follow-up in words the guide does not use (手机上能弄不, 你们在几楼, 清原县的呢,
        # 材料往哪交)
        return Resolution.of(context, from_context=True)
    return resolution


_BRANCH = re.compile(r"[（(][^）)]*[）)]")


def _recalls(reading: Reading, earlier: List[Union[Item, Package]],
             context: List[Union[Item, Package]]) -> bool:
    """A situation told that the package talked about before serves and the one in context does
    not (工亡 after 人才市场, 一次性工亡补助金 before it) brings the conversation back to it."""
    def served(entries: List[Union[Item, Package]]) -> set:
        return {s for package in packages_of(entries) for s in package.serves}
    told = set(reading.situations)
    return bool(told & served(earlier)) and not told & served(context)


def _corrects_the_applicant(reading: Reading, context: List[Union[Item, Package]]) -> bool:
    """说错了 俺们是参公单位: a correction that names an applicant of the service in context and
    no service of its own corrects who applies, not what is asked."""
    named = {kind for word, kind in vocabulary()["applicant_words"].items()
             if word in reading.query}
    return not _writes_a_name(reading) and any(
        isinstance(entry, Item) and any(p.applies_to and (p.applies_to in named or p.applies_to
                                                          in reading.query) for p in entry.places)
        for entry in context)


def _names_papers_only(reading: Reading) -> bool:
    """Every word that is asked about is a paper of the guide's (死亡证明, 户口本): whichever
    service's list holds it, whether the service in context asks for it is the question."""
    search = knowledge.search()
    words = search.tokenizer.words(reading.query)
    return bool(words) and all(len(w) >= 2 and search.is_paper(w) for w in words)


def _asks_for_the_online_hall(reading: Reading, resolution: Resolution) -> bool:
    """网上经办大厅网址是啥: the hall itself, no sub-service named."""
    return "网上经办大厅" in reading.text and not (resolution.named and resolution.items)


def _writes_a_name(reading: Reading) -> bool:
    """A name of a service written out: 3+ characters, or 2 that only one service's names have
    (解挂; not 挂失, which 解挂's names have too)."""
    search = knowledge.search()
    return any(len(name) >= 3 or search.owners_of(name) == 1
               for name in search.item_names_in(reading.query))


def _told_beside(reading: Reading, item: Item) -> FrozenSet[str]:
    """The situations the message tells in words other than the item's names (失业证 names the
    item; it does not say the person lost a job)."""
    text = reading.text
    for name in sorted((item.name, *item.aliases), key=len, reverse=True):
        text = text.replace(normalize(name), " ")
    return situations_in(text)


def _entity(entities: List[Dict[str, Any]], name: str) -> Optional[str]:
    for entity in entities:
        if entity.get("entity") == name and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


def _unfit_note(resolution: Resolution) -> Optional[str]:
    """For a situation no candidate serves: whom the guide's nearest services are for; for a
    paper lost that the guide does not replace, the service that makes it."""
    if resolution.unfit_items:
        return "；".join(f"指南只写了「{i.name}」的办理，没有写{i.issues[0]}丢失后如何补办"
                        for i in resolution.unfit_items)
    return "；".join(f"{p.source}的服务对象是：{p.audience.rstrip('。')}"
                    for p in resolution.unfit_packages) or None


def _confirmed(aspect: Aspect, text: str) -> Aspect:
    """An aspect that only words can ask for (网上, 多久, 几号, 包括哪些) is kept when such a word
    is there; otherwise the intent guessed it from the rest of a message, and the card answers."""
    if aspect.name not in WORD_ONLY_ASPECTS:
        return aspect
    own = vocabulary()["aspect_cues"].get(aspect.name)
    # (the section's words as sections_asked reads them: 打电话给冻上了 asks no route)
    asked = any(c in text for c in own) if own else aspect.sections[0] in sections_asked(text)
    return aspect if asked else CARD


def _likeliest_aspect(latest: Dict[str, Any]) -> Aspect:
    """For an unsure or out-of-scope parse: the best-ranked aspect, else the full card."""
    for ranked in (latest.get("intent_ranking") or [])[:3]:
        if ranked.get("name") in ASPECTS:
            return ASPECTS[ranked["name"]]
    return CARD


def _answers(resolution: Resolution, aspect: Aspect, county: Optional[str],
             reading: Reading, applicant: Optional[str] = None) -> List[replies.Message]:
    guide = knowledge.guide()
    text = reading.query
    day = hours.today()
    if resolution.places:
        asked_when = "hours" in reading.sections or reading.day_of_month is not None
        return [replies.answer(render.places_card(guide, [(m.package, m.place)
                                                        for m in resolution.places],
                                                  day if asked_when else None))]
    search = knowledge.search()
    words = search.tokenizer.words(text)
    if resolution.package and reading.day_of_month and resolution.package.hours:
        package = resolution.package  # 工亡待遇那块 16号还能去办不: the package's own rule
        return [replies.answer(render.package_day_card(guide, package, reading.day_of_month))]
    if resolution.package:
        package = resolution.package
        details = [w for w in words if not any(w in n for n in (package.name, *package.aliases))]
        holding = [i for i in package.items if sections_holding(details, i)]
        if len(package.items) == 1:
            resolution = Resolution(items=list(package.items))
        elif 0 < len(holding) <= MAX_ANSWERED:  # 社保卡能不能代办: the items that say 代办
            resolution = Resolution(items=holding)
        elif "materials" in (aspect.name, *reading.sections) and (
                set(package.serves) & reading.situations) and len(
                package.items) <= PACKAGE_PAPERS_AT_ONCE:
            # 老爷子退休的 没了 都拿啥: the package is the guide's answer for what they told; the
            # papers of each of its services, rather than a question back
            resolution = Resolution(items=list(package.items))
        elif aspect.name == "hours" or "hours" in reading.sections:
            # 中午休息不: the package's hours, or that the guide gives none
            return [replies.answer(render.package_hours_card(guide, package, day))]
        elif aspect.package_level:
            return [replies.answer(render.package_card(guide, package, day),
                                   replies.item_buttons(package.items, CARD.intent))]
        elif aspect.name == "duration":
            return [replies.answer(render.package_durations_card(guide, package))]
        else:
            return [replies.ask_for_item(package, package.items, aspect)]
    items = resolution.items
    package_named = search.named_package(text, over_items=True)
    if aspect.name == "overview" and package_named and (
            "服务包" in text or package_named.name in text):  # 失业保险待遇服务包包括哪些
        return [replies.answer(render.package_card(guide, package_named, day),
                               replies.item_buttons(package_named.items, CARD.intent))]
    if aspect.name == "overview" and not (len(items) == 1 and (
            resolution.named or search.item_names_in(text))):
        # 包括哪些: the package, when one is named or all items share it; an item named outright
        # (创业政策咨询能提供啥服务) is answered itself
        package = search.named_package(text, over_items=True)
        if package is None and len(items) > 1 and len({i.package_id for i in items}) == 1:
            package = guide.package_of(items[0])
        if package is not None:
            return [replies.answer(render.package_card(guide, package, day),
                                   replies.item_buttons(package.items, CARD.intent))]
    answers = []  # (item, its answer, the sections it shows)
    several_packages = len({i.package_id for i in items}) > 1
    for item in items:
        kinds = {p.applies_to for p in item.places}
        who = render.Who(county=county, applicant=render.applicant_in(item, text) or (
            applicant if applicant in kinds else None), situations=_told_beside(reading, item))
        lead = evidence.lead(reading, item, words, follow_up=resolution.from_context,
                             applicant=who.applicant)
        if "amount" in reading.details:  # an amount is answered or declined, nothing in its place
            answers.append((item, render.item_card(guide, item, (), day, who, lead=lead), []))
            continue
        sections = sections_for(aspect, reading.sections, words, item,
                                narrowed=bool(who.applicant),
                                county_named=reading.county is not None, alone=len(items) == 1,
                                follow_up=resolution.from_context)
        if reading.day_of_month:  # the day they named is answered; not today's date as well
            sections = [s for s in sections if s != "hours"]
        if several_packages:  # 失业金 at the 社区 or at the 社保分中心: say whom each serves
            sections = ["audience"] + [s for s in sections if s != "audience"]
        answers.append((item, render.item_card(guide, item, sections, day, who, lead=lead),
                        sections))
    if len(items) == 1:
        item, card, shown = answers[0]
        return [replies.answer(card, replies.follow_up_buttons(item, aspect, shown),
                               replies.related(guide, item, shown))]
    return [replies.several_items_intro(len(items))] + [replies.answer(c) for _, c, _ in answers]
