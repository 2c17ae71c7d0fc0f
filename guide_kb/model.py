"""Typed, read-only view of knowledge/guide.yml.

The dataclasses mirror knowledge/SCHEMA.md one to one; the loader builds them after validation,
so code that holds a `Guide` can trust every field it reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple


@dataclass(frozen=True)
class Hours:
    text: str
    days_of_month: Tuple[int, int]


@dataclass(frozen=True)
class Place:
    name: str
    text: str
    address: Optional[str] = None
    floor: Optional[str] = None
    windows: Tuple[int, ...] = ()
    applies_to: Optional[str] = None  # the guide's `for`: which applicants this place serves
    counties: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Material:
    name: str
    form: Optional[str] = None
    condition: Optional[str] = None
    obtain: Optional[str] = None
    note: Optional[str] = None
    situation: Optional[str] = None  # the situation of vocabulary.yml its condition describes

    def label(self) -> str:
        """One checklist line, in the guide's words."""
        text = self.name
        if self.form and not self.name.endswith(self.form):
            text += self.form  # the guide writes them together: 身份证复印件
        if self.obtain:
            text += f"（{self.obtain}）"
        if self.condition:
            text = f"{self.condition}：{text}"
        if self.note:
            text += f"（{self.note}）"
        return text


@dataclass(frozen=True)
class Step:
    text: str
    label: Optional[str] = None

    def line(self) -> str:
        return f"{self.label}：{self.text}" if self.label else self.text


@dataclass(frozen=True)
class Route:
    text: str
    target: str  # url of the online hall or the phone number


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    package_id: str
    aliases: Tuple[str, ...]
    materials: Tuple[Material, ...]
    steps: Tuple[Step, ...]
    places: Tuple[Place, ...]
    hours: Optional[Hours]
    duration: Optional[str]
    online: Optional[Route]
    phone: Optional[Route]
    no_materials: bool = False
    no_materials_note: Optional[str] = None
    see_also: Optional[str] = None
    issues: Tuple[str, ...] = ()  # papers it makes that the guide does not replace (退休证)
    note: Optional[str] = None  # the heading's note, verbatim: 一次性工亡补助金（含生活困难，…）
    own_places: bool = False  # True when the guide names places for this item itself
    # (situation, item id the guide sends it to or None): who this item does not serve
    excludes: Tuple[Tuple[str, Optional[str]], ...] = ()
    requires: Tuple[str, ...] = ()  # situations that must hold: whom alone it serves
    serves: Tuple[str, ...] = ()    # situations this item is the guide's answer for
    reviewed_on: Optional[str] = None  # ISO date the bureau last checked it; None: never since

    def texts(self) -> Dict[str, Tuple[str, ...]]:
        """Everything the guide says about the item, by part, in its own words: the one
        description that the search, the aspects and the evidence sentences read."""
        return {
            "names": (self.name, *self.aliases),
            "materials": tuple(m.label() for m in self.materials),
            "papers": tuple(m.name for m in self.materials),  # the materials' own names
            "applicants": tuple(p.applies_to for p in self.places if p.applies_to),
            "place": tuple(p.text + (p.applies_to or "") for p in self.places),
            "steps": tuple(s.line() for s in self.steps) + tuple(
                t for t in (self.see_also,) if t),
            "routes": tuple(r.text for r in (self.online, self.phone) if r),
            "notes": tuple(t for t in (self.duration, self.no_materials_note, self.note) if t),
        }


@dataclass(frozen=True)
class Package:
    id: str
    number: int
    ordinal: str
    name: str
    description: str
    audience: str
    aliases: Tuple[str, ...]
    places: Tuple[Place, ...]
    hours: Optional[Hours]
    steps: Tuple[Step, ...]
    items: Tuple[Item, ...]
    excludes: Tuple[Tuple[str, Optional[str]], ...] = ()
    serves: Tuple[str, ...] = ()  # situations this package is the guide's answer for

    @property
    def source(self) -> str:
        """How every answer names where it comes from."""
        return f"{self.ordinal}「{self.name}」"


@dataclass(frozen=True)
class Document:
    title: str
    number: str
    date: str
    issuer: str
    hotline: str
    online_hall: str
    version: Optional[str] = None         # 试行
    effective_date: Optional[str] = None  # ISO date it is in force from

    @property
    def edition(self) -> str:
        """How an answer's source line names the document's version: 抚人社办发〔2020〕33号，
        试行，2020-12-07起施行."""
        parts = [self.number, self.version,
                 f"{self.effective_date}起施行" if self.effective_date else None]
        return "，".join(p for p in parts if p)

    @property
    def hotline_text(self) -> str:
        """How every reply gives the hotline, in the guide's words (拨打人力资源和社会保障服务热线12333)."""
        return f"人力资源和社会保障服务热线{self.hotline}"


@dataclass(frozen=True)
class NotCovered:
    """A service next to the guide's that the guide does not cover (创业担保贷款)."""
    term: str
    example: str
    # an act the guide does not describe for any service (延长, 补交): out of scope even beside
    # a service's name; otherwise a service's name written out overrules the entry
    beside_services: bool = False


@dataclass
class Guide:
    document: Document
    packages: Tuple[Package, ...]
    not_covered: Tuple[NotCovered, ...] = ()
    _items: Dict[str, Item] = field(default_factory=dict, repr=False)
    _packages: Dict[str, Package] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._packages = {p.id: p for p in self.packages}
        self._items = {i.id: i for p in self.packages for i in p.items}

    @property
    def items(self) -> List[Item]:
        return list(self._items.values())

    def item(self, item_id: str) -> Item:
        return self._items[item_id]

    def package(self, package_id: str) -> Package:
        return self._packages[package_id]

    def package_of(self, item: Item) -> Package:
        return self._packages[item.package_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items

    def has_package(self, package_id: str) -> bool:
        return package_id in self._packages
