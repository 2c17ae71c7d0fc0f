"""Buildings of the guide named in a message (抚顺社保大厦): a place the user asks about."""
from __future__ import annotations

from typing import List, Tuple

from actions import knowledge
from guide_kb.model import Place

MIN_NAME_CHARS = 4  # shorter place names are words of everyday text


def places_named(text: str) -> List[Tuple[str, Place]]:
    """(package id, place) for every package place whose name the text contains."""
    return [(package.id, place) for package in knowledge.guide().packages
            for place in package.places
            if len(place.name) >= MIN_NAME_CHARS and place.name in text]
