"""Buildings of the guide named in a message (抚顺社保大厦): a place the user asks about."""
from __future__ import annotations

import functools
from typing import List, Tuple

from actions import knowledge
from guide_kb.model import Place
from guide_kb.normalize import vocabulary

MIN_NAME_CHARS = 4  # shorter place names are words of everyday text


def places_named(text: str) -> List[Tuple[str, Place]]:
    """(package id, place) for every package place whose name the text contains."""
    return [(package.id, place) for package in knowledge.guide().packages
            for place in package.places
            if any(name in text for name in _names_of(place.name))]


@functools.lru_cache(maxsize=None)  # per building: read on every message
def _names_of(name: str) -> Tuple[str, ...]:
    """The place's name, and the name without the city, as people there say it (社保大厦)."""
    names = [name] + [name[len(city):] for city in vocabulary()["city"] if name.startswith(city)]
    return tuple(n for n in names if len(n) >= MIN_NAME_CHARS)
