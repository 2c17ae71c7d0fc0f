"""Which sub-service a message is about, from its entities, the search and the context.

The result is one item, several equally likely items (the bot then answers each, labelled, or
asks), a whole package, nothing named (the bot asks), or words the guide does not know (out of
scope). It never silently picks one of several equally good candidates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Union

from guide_kb.model import Item, Package, Place
from guide_kb.search import GuideSearch, Hit, top_items
from actions import knowledge

# Candidates within this share of the best score fit the question equally well.
TIE_RATIO = 0.92
# More candidates than this across packages: ask rather than answer each.
MAX_ANSWERED = 3
SEARCH_DEPTH = 10
# A shared word (失业金) brings in its other services unless other words clearly point to one.
SHARED_NAME_RATIO = 0.75
# A sibling in the same package this close, explaining the question as fully, is answered too.
SIBLING_RATIO = 0.8


@dataclass
class PlaceMention:
    """A place the guide names, found in the question, with the package it belongs to."""
    package: Package
    place: Place


@dataclass
class Resolution:
    items: List[Item] = field(default_factory=list)
    package: Optional[Package] = None
    choices: List[Item] = field(default_factory=list)  # ask the user to pick one of these
    places: List[PlaceMention] = field(default_factory=list)  # 就业和人才服务中心在哪
    unknown_words: List[str] = field(default_factory=list)
    from_context: bool = False
    coverage: float = 0.0  # share of the user's words the best match explains

    @classmethod
    def of(cls, entries: Sequence[Union[Item, Package]], from_context: bool = False
           ) -> "Resolution":
        """Items (or else the first package) named outright: by a button or by the context."""
        items = [e for e in entries if isinstance(e, Item)]
        packages = [e for e in entries if isinstance(e, Package)]
        return cls(items=items, package=None if items or not packages else packages[0],
                   from_context=from_context)

    @property
    def found(self) -> bool:
        return bool(self.items or self.package or self.places)

    @property
    def entries(self) -> List[Union[Item, Package]]:
        """What the conversation is about after this answer: the context of a follow-up."""
        if self.items:
            return list(self.items)
        if self.package:
            return [self.package]
        return list(dict.fromkeys(m.package for m in self.places))


Context = Sequence[Union[Item, Package]]


def resolve(text: str, entity_values: Sequence[str], context: Context) -> Resolution:
    unknown = knowledge.search().unknown_words(text)
    resolution = _resolve(text, entity_values, context, has_unknown_words=bool(unknown))
    resolution.unknown_words = unknown
    return resolution


def _found(hit: Hit, **fields) -> Resolution:
    return Resolution(coverage=hit.coverage, **fields)


def _resolve(text: str, entity_values: Sequence[str], context: Context,
             has_unknown_words: bool) -> Resolution:
    search = knowledge.search()
    places = [PlaceMention(knowledge.guide().package(package_id), place)
              for package_id, place in knowledge.places_named(text)]
    # The whole text ranks best (a name inside it, 个人求职 in 个人求职登记, must not outweigh the
    # words around it); the lookup-table entities are the fallback when the text finds nothing.
    hits = search.search(text, limit=SEARCH_DEPTH)
    if not hits and entity_values:
        hits = search.search(" ".join(entity_values), limit=SEARCH_DEPTH)
    if not hits:
        return Resolution() if has_unknown_words else _from_context(context)
    if context and hits[0].own_score == 0 and hits[0].coverage < 1:
        return _from_context(context)  # a follow-up that names no service (每个月啥时候能办)
    candidates = _with_equally_named(search, text, hits, top_items(hits, TIE_RATIO))
    kept = [h.item for h in candidates if h.item in context]
    if kept:  # the question still fits what we were talking about (我是新宾县的呢)
        return _found(candidates[0], items=kept, from_context=True)
    if len(candidates) > 1 and context:
        candidates = _prefer_context(candidates, context[0])
    best = candidates[0]
    if places and _only_names_places(search.tokenizer.words(text), places):
        return _found(best, places=places)
    if len(candidates) == 1:
        return _found(best, items=[best.item] + _also_named(search, text, hits, best))
    packages = {h.package.id for h in candidates}
    if len(packages) == 1:
        if (len(candidates) > 2 or all(h.own_score == 0 for h in candidates)
                or search.named_package(text) == best.package):  # 工亡待遇: the whole package
            return _found(best, package=best.package)
        return _found(best, items=[h.item for h in candidates])
    if len(candidates) <= MAX_ANSWERED:
        return _found(best, items=[h.item for h in candidates])
    return _found(best, choices=[h.item for h in candidates[:6]])


def _only_names_places(words: Sequence[str], places: Sequence[PlaceMention]) -> bool:
    """The question names a building and nothing else (就业和人才服务中心在哪)."""
    return all(any(w in m.place.name for m in places) for w in words)


def _with_equally_named(search: GuideSearch, text: str, hits: List[Hit],
                        candidates: List[Hit]) -> List[Hit]:
    """失业金 names package 6's and package 7's claim alike: never keep one and drop the other."""
    if len(candidates) != 1:
        return candidates
    best = candidates[0]
    names = search.equally_named(text, best.item)
    return candidates + [h for h in hits if h.item in names and h is not best
                         and h.score >= best.score * SHARED_NAME_RATIO]


def _also_named(search: GuideSearch, text: str, hits: List[Hit], best: Hit) -> List[Item]:
    """Other sub-services the question names too: written out (一次性工亡补助金和丧葬补助金), or a
    sibling in the same package scoring close and explaining as much (社保卡挂失后怎么解挂).
    Answered as well rather than dropped for the one whose name is longer."""
    others = [h for h in hits[1:MAX_ANSWERED + 1] if h is not best]
    named = [h.item for h in others if search.names_item(text, h.item)]
    if named and search.names_item(text, best.item):
        return named[:MAX_ANSWERED - 1]
    runner_up = others[0] if others else None
    if (runner_up and runner_up.package == best.package and runner_up.own_score > 0
            and runner_up.score >= best.score * SIBLING_RATIO
            and runner_up.coverage >= best.coverage):
        return [runner_up.item]
    return []


def _from_context(context: Context) -> Resolution:
    return Resolution.of(context, from_context=True)


def _prefer_context(candidates: List[Hit], context: Union[Item, Package]) -> List[Hit]:
    """A follow-up (那转入呢) means the item of the same package most like the one in context."""
    package_id = context.package_id if isinstance(context, Item) else context.id
    same_package = [h for h in candidates if h.package.id == package_id]
    if not same_package:
        return candidates
    if isinstance(context, Package) or len(same_package) == 1:
        return same_package
    return [max(same_package, key=lambda h: _shared_characters(h.item.name, context.name))]


def _shared_characters(a: str, b: str) -> int:
    return len(set(a) & set(b))
