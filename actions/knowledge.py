"""Data access for the actions: the guide and its search, loaded again only when guide.yml or
the staff's confirmed wordings (knowledge/staff_wordings.yml) change."""
from __future__ import annotations

import functools
from typing import List, Optional, Sequence, Tuple, Union

from guide_kb.current import CurrentGuide
from guide_kb.model import Guide, Item, Package, Place
from guide_kb.normalize import vocabulary
from guide_kb.search import GuideSearch

_current = CurrentGuide(recheck_seconds=1.0)  # read many times per turn


def guide() -> Guide:
    return _current.guide


def search() -> GuideSearch:
    return _current.search


def county_in(text: str) -> Optional[str]:
    """新宾 or 清原 when the text names one of the counties that have routes of their own."""
    for county, names in vocabulary()["counties"].items():
        if any(name in text for name in names):
            return county
    return None


@functools.lru_cache(maxsize=1)
def _named_places() -> Tuple[Tuple[str, Place], ...]:
    return tuple((p.id, place) for p in guide().packages for place in p.places
                 if len(place.name) >= 4)


def places_named(text: str) -> List[Tuple[str, Place]]:
    """(package id, place) for every package place whose name the text contains."""
    return [(package_id, place) for package_id, place in _named_places() if place.name in text]


def without_counties(text: str) -> str:
    """The text without county names: a county says where the user lives, not which service."""
    names = sorted((n for names in vocabulary()["counties"].values() for n in names),
                   key=len, reverse=True)
    for name in names:
        text = text.replace(name, " ")
    return text


# Slot values name an item or a whole package: "item:card_loss_report", "package:graduate".
def item_ref(item: Item) -> str:
    return f"item:{item.id}"


def package_ref(package: Package) -> str:
    return f"package:{package.id}"


def refs(entries: Sequence[Union[Item, Package]]) -> str:
    return ",".join(item_ref(e) if isinstance(e, Item) else package_ref(e) for e in entries)


def parse_refs(value: Optional[str]) -> List[Union[Item, Package]]:
    """The items or package a slot value or button payload names; unknown ids are dropped."""
    found: List[Union[Item, Package]] = []
    for ref in (value or "").split(","):
        kind, _, key = ref.strip().partition(":")
        if kind == "item" and guide().has_item(key):
            found.append(guide().item(key))
        elif kind == "package" and guide().has_package(key):
            found.append(guide().package(key))
    return found


@functools.lru_cache(maxsize=1)
def _situation_cues() -> frozenset:
    return frozenset(cue for rule in vocabulary()["situations"].values()
                     for cue in rule.get("cues") or ())


def without_situation_cues(text: str) -> str:
    """The text's words without those that only tell the person's situation (失业, 退休 as words
    of their own; 失业金 stays): what is left names the service, if anything does."""
    return " ".join(w for w in search().tokenizer.words(text) if w not in _situation_cues())
