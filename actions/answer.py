"""action_answer: every question about the guide is answered here, from guide.yml only."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Union

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from guide_kb import hours, render
from guide_kb.model import Item, Package
from guide_kb.normalize import normalize
from actions import knowledge, replies
from actions.aspects import ASPECTS, CARD, Aspect, aspect_for, sections_for, sections_holding
from actions.resolution import MAX_ANSWERED, Resolution, resolve

FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        guide = knowledge.guide()
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {}).get("name")
        if intent == "ask_capabilities":
            dispatcher.utter_message(**replies.capabilities(guide))
            return []
        text = normalize(latest.get("text") or "")
        context = knowledge.parse_refs(tracker.get_slot("service"))
        county = knowledge.county_in(text) or tracker.get_slot("county")
        unsure = intent in FALLBACK_INTENTS
        aspect = _likeliest_aspect(latest) if unsure else aspect_for(
            intent, tracker.get_slot("aspect"))
        resolution = _resolution(intent, text, latest.get("entities") or [], context)

        if _out_of_scope(intent, resolution) or _names_an_uncovered_service(text, latest):
            dispatcher.utter_message(**replies.out_of_scope(guide))
            return []
        events = [SlotSet("aspect", aspect.name)]
        if county:
            events.append(SlotSet("county", county))
        if resolution.choices:
            dispatcher.utter_message(**replies.ask_to_choose(resolution.choices, aspect, guide))
            return events
        if not resolution.found:
            message = replies.out_of_scope(guide) if unsure else replies.ask_for_service(
                guide, aspect)
            dispatcher.utter_message(**message)
            return events
        for message in _answers(resolution, aspect, county, text):
            dispatcher.utter_message(**message)
        return events + [SlotSet("service", knowledge.refs(resolution.entries))]


def _resolution(intent: Optional[str], text: str, entities: List[Dict[str, Any]],
                context: List[Union[Item, Package]]) -> Resolution:
    chosen = knowledge.parse_refs(_entity(entities, "service_id"))
    if chosen:  # a button: no guessing needed
        return Resolution.of(chosen)
    if intent == "inform_county" and context:  # 我是新宾县的呢: same service, that county
        return Resolution.of(context, from_context=True)
    named = [e["value"] for e in entities
             if e.get("entity") == "service" and isinstance(e.get("value"), str)]
    resolution = resolve(knowledge.without_counties(text), named, context)
    if not resolution.found and context and knowledge.county_in(text):
        return Resolution.of(context, from_context=True)  # 清原县的能在县里办吗
    return resolution


def _entity(entities: List[Dict[str, Any]], name: str) -> Optional[str]:
    for entity in entities:
        if entity.get("entity") == name and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


def _out_of_scope(intent: Optional[str], resolution: Resolution) -> bool:
    """Say so rather than guess. NLU says out of scope: answer only what a service's own words
    explain fully. NLU unsure: answer only without words the guide does not know. Otherwise:
    out of scope when nothing fits and the user named things the guide does not know."""
    if intent == "out_of_scope":
        return (bool(resolution.unknown_words) or resolution.from_context
                or resolution.coverage < 1.0 or not resolution.found)
    if intent == "nlu_fallback":
        if not resolution.found:
            return True
        unclear = resolution.from_context or resolution.coverage < 0.5
        return bool(resolution.unknown_words) and unclear
    return bool(resolution.unknown_words) and not resolution.found


def _names_an_uncovered_service(text: str, latest: Dict[str, Any]) -> bool:
    """工伤认定 or 医保 named: the guide does not cover it, even though 工伤 or 就医 are its words.
    A button never counts."""
    if _entity(latest.get("entities") or [], "service_id"):
        return False
    return bool(knowledge.not_covered_in(text))


def _likeliest_aspect(latest: Dict[str, Any]) -> Aspect:
    """For an unsure or out-of-scope parse: the best-ranked aspect, else the full card."""
    for ranked in (latest.get("intent_ranking") or [])[:3]:
        if ranked.get("name") in ASPECTS:
            return ASPECTS[ranked["name"]]
    return CARD


def _answers(resolution: Resolution, aspect: Aspect, county: Optional[str],
             text: str) -> List[replies.Message]:
    guide = knowledge.guide()
    day = hours.today()
    if resolution.places:
        return [replies.text(render.places_answer(guide, [(m.package, m.place)
                                                          for m in resolution.places]))]
    search = knowledge.search()
    words = search.tokenizer.words(text)
    if resolution.package:
        package = resolution.package
        details = [w for w in words if not any(w in n for n in (package.name, *package.aliases))]
        holding = [i for i in package.items if sections_holding(details, i)]
        if len(package.items) == 1:
            resolution = Resolution(items=list(package.items))
        elif 0 < len(holding) <= MAX_ANSWERED:  # 社保卡能不能代办: the items that say 代办
            resolution = Resolution(items=holding)
        elif aspect.package_level:
            return [replies.text(render.package_answer(guide, package, day),
                                 replies.item_buttons(package.items, CARD.intent))]
        elif aspect.name == "duration":
            return [replies.text(render.package_durations_answer(guide, package))]
        else:
            return [replies.ask_for_item(package, package.items, aspect)]
    items = resolution.items
    if aspect.name == "overview" and not (len(items) == 1 and search.item_names_in(text)):
        # 包括哪些: the package, when one is named or all items share it; an item named outright
        # (创业政策咨询能提供啥服务) is answered itself
        package = search.named_package(text, over_items=True)
        if package is None and len(items) > 1 and len({i.package_id for i in items}) == 1:
            package = guide.package_of(items[0])
        if package is not None:
            return [replies.text(render.package_answer(guide, package, day),
                                 replies.item_buttons(package.items, CARD.intent))]
    answers = []
    for item in items:
        who = render.Who(county=county, applicant=render.applicant_in(item, text))
        sections = sections_for(aspect, text, words, item, narrowed=bool(who.applicant),
                                county_named=knowledge.county_in(text) is not None)
        answers.append(render.item_answer(guide, item, sections, day, who))
    if len(items) == 1:
        return [replies.text(answers[0], replies.follow_up_buttons(items[0], aspect))]
    return [replies.several_items_intro(len(items))] + [replies.text(a) for a in answers]
