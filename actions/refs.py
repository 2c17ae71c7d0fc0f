"""Slot values and button payloads name an item or a whole package: "item:card_loss_report",
"package:graduate"; several are joined with commas."""
from __future__ import annotations

from typing import List, Optional, Sequence, Union

from actions import knowledge
from guide_kb.model import Item, Package


def item_ref(item: Item) -> str:
    return f"item:{item.id}"


def package_ref(package: Package) -> str:
    return f"package:{package.id}"


def refs(entries: Sequence[Union[Item, Package]]) -> str:
    return ",".join(item_ref(e) if isinstance(e, Item) else package_ref(e) for e in entries)


def parse_refs(value: Optional[str]) -> List[Union[Item, Package]]:
    """The items or package a slot value or button payload names; unknown ids are dropped."""
    guide = knowledge.guide()
    found: List[Union[Item, Package]] = []
    for ref in (value or "").split(","):
        kind, _, key = ref.strip().partition(":")
        if kind == "item" and guide.has_item(key):
            found.append(guide.item(key))
        elif kind == "package" and guide.has_package(key):
            found.append(guide.package(key))
    return found
