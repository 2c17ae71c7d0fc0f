"""Read knowledge/guide.yml, validate it, and build the typed `Guide`.

Validation happens on every load, so a typo in guide.yml stops the bot at start-up with a message
naming the entry and the field, instead of reaching a citizen as half an answer.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import os
from pathlib import Path
from typing import Any, Iterable, List, Optional

import jsonschema
import yaml

from guide_kb import wordings
from guide_kb.errors import GuideFileError, GuideSchemaError
from guide_kb.model import (
    Document,
    Guide,
    Hours,
    Item,
    Material,
    NotCovered,
    Package,
    Place,
    Route,
    Step,
)
from guide_kb.normalize import vocabulary
from guide_kb.schema import GUIDE_SCHEMA

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "knowledge" / "guide.yml"


def guide_path() -> Path:
    """guide.yml of the repo, or the file named by GUIDE_PATH (used by tests)."""
    return Path(os.environ.get("GUIDE_PATH", DEFAULT_PATH))


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float, wordings_path: str, wordings_mtime: float) -> Guide:
    guide = parse_guide(_read_yaml(Path(path)))
    return with_wordings(guide, wordings.read(Path(wordings_path)))


def load_guide(path: Optional[Path] = None) -> Guide:
    """The validated guide with the staff's wordings (guide_kb/wordings.py) among its items'
    aliases; cached until either file changes."""
    path = Path(path) if path else guide_path()
    try:
        mtime = path.stat().st_mtime
    except OSError as error:
        raise GuideFileError(f"{path}: cannot read the knowledge base ({error.strerror})") from None
    extra = wordings.wordings_path()
    return _load_cached(str(path), mtime, str(extra), wordings.mtime(extra))


def with_wordings(guide: Guide, confirmed: List[wordings.Wording]) -> Guide:
    """The guide whose items also have the staff's confirmed wordings as aliases."""
    if not confirmed:
        return guide
    wordings.check(confirmed, (item.id for item in guide.items))
    extra = wordings.by_item(confirmed)
    packages = tuple(dataclasses.replace(package, items=tuple(
        dataclasses.replace(item, aliases=wordings.merged(item.aliases, extra.get(item.id, ())))
        for item in package.items)) for package in guide.packages)
    return Guide(document=guide.document, packages=packages, not_covered=guide.not_covered)


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise GuideFileError(f"{path}: not valid YAML: {error}") from None


def parse_guide(raw: Any) -> Guide:
    """Validate raw YAML data and build the Guide; raises GuideSchemaError."""
    if isinstance(raw, dict) and isinstance(raw.get("document"), dict):
        for key in ("date", "effective_date"):
            date = raw["document"].get(key)
            if isinstance(date, datetime.date):  # YAML reads 2020-12-07 as a date
                raw["document"][key] = date.isoformat()
    for package in raw.get("packages") or () if isinstance(raw, dict) else ():
        for item in (package.get("items") or ()) if isinstance(package, dict) else ():
            if isinstance(item, dict) and isinstance(item.get("reviewed_on"), datetime.date):
                item["reviewed_on"] = item["reviewed_on"].isoformat()
    errors = sorted(jsonschema.Draft7Validator(GUIDE_SCHEMA).iter_errors(raw),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:  # all of them: a renamed field is both "missing" and "unknown"
        raise GuideSchemaError("\n".join(_describe(raw, e) for e in errors[:5]))
    _check_consistency(raw)
    return Guide(document=Document(**raw["document"]),
                 packages=tuple(_package(p) for p in raw["packages"]),
                 not_covered=tuple(NotCovered(**n) for n in raw.get("not_covered") or ()))


def _describe(raw: Any, error: jsonschema.ValidationError) -> str:
    """'guide.yml: packages[7] work_injury_death > items[2] funeral_grant > name: ...'"""
    parts: List[str] = []
    node = raw
    for key in error.absolute_path:
        node = node[key]
        if isinstance(key, int) and parts:
            entry_id = node.get("id") if isinstance(node, dict) else None
            parts[-1] += f"[{key}]" + (f" {entry_id}" if isinstance(entry_id, str) else "")
        else:
            parts.append(str(key))
    if error.validator == "required":
        parts.append(error.message.split("'")[1])
        message = "is missing"
    elif error.validator == "additionalProperties":
        message = f"unknown field ({error.message})"
    else:
        message = error.message
    return f"guide.yml: {' > '.join(parts) or 'top level'}: {message}"


def _check_consistency(raw: dict) -> None:
    seen_ids = {}
    for index, package in enumerate(raw["packages"]):
        where = f"packages[{index}] {package['id']}"
        if package["number"] != index + 1:
            raise GuideSchemaError(f"guide.yml: {where} > number: is {package['number']}, "
                                   f"expected {index + 1} (packages keep the guide's order)")
        for entry_id, entry_where in [(package["id"], where)] + [
                (item["id"], f"{where} > items {item['id']}") for item in package["items"]]:
            if entry_id in seen_ids:
                raise GuideSchemaError(f"guide.yml: {entry_where} > id: duplicate of "
                                       f"{seen_ids[entry_id]}")
            seen_ids[entry_id] = entry_where
        for item in package["items"]:
            item_where = f"{where} > items {item['id']}"
            if item.get("no_materials") and item["materials"]:
                raise GuideSchemaError(f"guide.yml: {item_where} > no_materials: true but "
                                       f"materials are listed")
            _check_excludes(item_where, item.get("excludes"), seen_ids)
            _check_excludes(item_where, dict.fromkeys(item.get("requires") or ()), seen_ids)
            _check_excludes(item_where, dict.fromkeys(item.get("serves") or ()), seen_ids)
            _check_excludes(f"{item_where} > materials", dict.fromkeys(
                m["situation"] for m in item["materials"] if m.get("situation")), seen_ids)
            for hours_where, hours in ((where, package.get("hours")),
                                       (item_where, item.get("hours"))):
                if hours and hours["days_of_month"][0] > hours["days_of_month"][1]:
                    raise GuideSchemaError(f"guide.yml: {hours_where} > hours: days_of_month "
                                           f"must run from the earlier day to the later")


    for index, package in enumerate(raw["packages"]):
        where = f"packages[{index}] {package['id']}"
        _check_excludes(where, package.get("excludes"), seen_ids)
        _check_excludes(where, dict.fromkeys(package.get("serves") or ()), seen_ids)


def _check_excludes(where: str, excludes: Optional[dict], ids: dict) -> None:
    known = vocabulary()["situations"]
    for situation, instead in (excludes or {}).items():
        if situation not in known:
            raise GuideSchemaError(f"guide.yml: {where} > excludes: unknown situation "
                                   f"{situation!r} (known: {', '.join(sorted(known))})")
        if instead is not None and instead not in ids:
            raise GuideSchemaError(f"guide.yml: {where} > excludes > {situation}: no entry "
                                   f"with id {instead!r}")


def _hours(raw: Optional[dict]) -> Optional[Hours]:
    return Hours(raw["text"], tuple(raw["days_of_month"])) if raw else None


def _places(raw: Iterable[dict]) -> tuple:
    return tuple(Place(name=p["name"], text=p["text"], address=p.get("address"),
                       floor=p.get("floor"), windows=tuple(p.get("windows") or ()),
                       applies_to=p.get("for"), counties=tuple(p.get("counties") or ()))
                 for p in raw)


def _steps(raw: Iterable[Any]) -> tuple:
    return tuple(Step(s) if isinstance(s, str) else Step(s["text"], s["label"]) for s in raw)


def _route(raw: Optional[dict], target_key: str) -> Optional[Route]:
    return Route(raw["text"], raw.get(target_key, "")) if raw else None


def _package(raw: dict) -> Package:
    places = _places(raw["places"])
    hours = _hours(raw.get("hours"))
    items = tuple(
        Item(id=i["id"], name=i["name"], package_id=raw["id"], aliases=tuple(i["aliases"]),
             materials=tuple(Material(**m) for m in i["materials"]),
             steps=_steps(i["steps"]),
             places=_places(i["places"]) if i.get("places") else places,
             own_places=bool(i.get("places")),
             hours=_hours(i["hours"]) if i.get("hours") else hours,
             duration=i.get("duration"), online=_route(i.get("online"), "url"),
             phone=_route(i.get("phone"), "number"), no_materials=bool(i.get("no_materials")),
             no_materials_note=i.get("no_materials_note"), see_also=i.get("see_also"),
             note=i.get("note"), issues=tuple(i.get("issues") or ()),
             excludes=tuple((i.get("excludes") or {}).items()),
             requires=tuple(i.get("requires") or ()), serves=tuple(i.get("serves") or ()),
             reviewed_on=i.get("reviewed_on"))
        for i in raw["items"])
    return Package(id=raw["id"], number=raw["number"], ordinal=raw["ordinal"], name=raw["name"],
                   description=raw["description"], audience=raw["audience"],
                   aliases=tuple(raw["aliases"]), places=places, hours=hours,
                   steps=_steps(raw.get("steps") or ()), items=items,
                   excludes=tuple((raw.get("excludes") or {}).items()),
                   serves=tuple(raw.get("serves") or ()))
