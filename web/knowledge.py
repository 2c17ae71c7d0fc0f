"""JSON views of the guide for the API and the agent console.

Every string comes from guide.yml through guide_kb (model fields, guide_kb.render, guide_kb.hours);
nothing here words a fact itself.
"""
from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional

from guide_kb import hours as hours_of
from guide_kb import render
from guide_kb.model import Guide, Item, Package, Place
from guide_kb.search import GuideSearch, Hit


def package_ref(package: Package) -> Dict[str, Any]:
    return {"id": package.id, "number": package.number, "ordinal": package.ordinal,
            "name": package.name, "source": package.source}


def place_json(place: Place) -> Dict[str, Any]:
    return {"name": place.name, "text": place.text, "address": place.address,
            "floor": place.floor, "windows": list(place.windows),
            "applies_to": place.applies_to, "counties": list(place.counties)}


def hours_json(item: Item, day: datetime.date) -> Optional[Dict[str, Any]]:
    if not item.hours:
        return None
    state = hours_of.status(item.hours, day)
    return {"text": item.hours.text, "days_of_month": list(item.hours.days_of_month),
            "open_today": state.open_today, "next_open": state.next_open.isoformat(),
            "last_day": state.last_day.isoformat(),
            "today": hours_of.describe(item.hours, day)}


def item_json(guide: Guide, item: Item, day: datetime.date) -> Dict[str, Any]:
    package = guide.package_of(item)
    return {
        "id": item.id,
        "name": item.name,
        "package": package_ref(package),
        "audience": package.audience,
        "places": [place_json(p) for p in item.places],
        "place_lines": render.place_lines(guide, item),
        "windows": sorted({w for p in item.places for w in p.windows}),
        "hours": hours_json(item, day),
        "hours_lines": render.hours_lines(guide, item, day),
        "materials": [{"label": m.label(), "name": m.name, "form": m.form,
                       "condition": m.condition, "obtain": m.obtain, "note": m.note}
                      for m in item.materials],
        "no_materials": item.no_materials,
        # what to show when there is no checklist (不需要申请材料 / 指南未列出)
        "materials_note": None if item.materials else render.materials_lines(guide, item)[0],
        "steps": [s.line() for s in item.steps],
        "see_also": item.see_also,
        "note": item.note,
        "online": {"text": item.online.text, "url": item.online.target} if item.online else None,
        "phone": {"text": item.phone.text, "number": item.phone.target} if item.phone else None,
        "duration": item.duration,
        "source": render.source_line(guide, package),
        "answer": render.card_answer(guide, item, day),
        "day": day.isoformat(),
    }


def package_json(guide: Guide, package: Package, day: datetime.date) -> Dict[str, Any]:
    return {**package_ref(package),
            "description": package.description,
            "audience": package.audience,
            "places": [place_json(p) for p in package.places],
            "hours": ({"text": package.hours.text,
                       "open_today": hours_of.status(package.hours, day).open_today,
                       "today": hours_of.describe(package.hours, day)}
                      if package.hours else None),
            "items": [{"id": i.id, "name": i.name} for i in package.items]}


def search_json(guide: Guide, search: GuideSearch, query: str, day: datetime.date,
                limit: int) -> List[Dict[str, Any]]:
    hits: List[Hit] = search.search(query, limit)
    return [{**item_json(guide, hit.item, day), "score": hit.score} for hit in hits]
