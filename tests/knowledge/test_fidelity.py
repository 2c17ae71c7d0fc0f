"""Fidelity of knowledge/guide.yml to the source guide text.

Reads knowledge/guide.yml and the guide text directly (PyYAML only, no project imports) and
checks that every fact string is copied from the guide (whitespace ignored), and that every form
name, window number, address and time limit of the guide made it into the knowledge base.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from guide_kb.loader import load_guide

REPO = Path(__file__).resolve().parents[2]
GUIDE_YML = REPO / "knowledge" / "guide.yml"


# The guide's own text (抚人社办发〔2020〕33号, 2020-12-07), kept with the knowledge it is the
# source of: every fact of guide.yml must be found in it. A missing file fails, never skips.
GUIDE_PATH = REPO / "knowledge" / "source" / "guide.txt"


def test_the_source_text_is_in_the_repo():
    assert GUIDE_PATH.is_file(), f"{GUIDE_PATH} is missing: the facts cannot be checked"


def strip_ws(text: str) -> str:
    return re.sub(r"\s+", "", text)


GUIDE = strip_ws(GUIDE_PATH.read_text(encoding="utf-8"))
KB = yaml.safe_load(GUIDE_YML.read_text(encoding="utf-8"))

EXPECTED_PACKAGE_IDS = [
    "public_institution",
    "institution_recruitment",
    "entrepreneurship",
    "graduate",
    "hr_market",
    "unemployment",
    "unemployment_insurance",
    "work_injury_death",
    "retiree_death",
    "social_security_card",
]

# Item names the guide never spells out in one piece; each maps to the pieces that are verbatim.
NON_VERBATIM_ITEM_NAMES = {
    # guide: 社会保障卡挂失与解挂 ... 解挂：
    "社会保障卡解挂": ["社会保障卡挂失与解挂", "解挂："],
}

# Aliases deliberately shared by two items because the word really names both.
SHARED_ALIASES = {"失业金", "抚恤金", "遗属待遇"}
FORBIDDEN_ALIASES = ("医保", "公积金")


# ───────────────────────────── collecting fact strings ─────────────────────────────

def _place_facts(where: str, place: dict):
    for field in ("text", "name", "address", "floor", "for"):
        value = place.get(field)
        if value is not None:
            yield f"{where}.{field}", value
    for i, county in enumerate(place.get("counties") or []):
        yield f"{where}.counties[{i}]", county


def _step_facts(where: str, step):
    if isinstance(step, str):
        yield where, step
    else:
        yield f"{where}.label", step["label"]
        yield f"{where}.text", step["text"]


def iter_fact_strings():
    """Yield (where, value) for every fact string in guide.yml, except item names."""
    doc = KB["document"]
    for field in ("title", "number", "issuer"):
        yield f"document.{field}", doc[field]
    for pkg in KB["packages"]:
        p = f"package {pkg['number']} ({pkg['id']})"
        for field in ("name", "description", "audience"):
            yield f"{p}.{field}", pkg[field]
        for i, place in enumerate(pkg.get("places") or []):
            yield from _place_facts(f"{p}.places[{i}]", place)
        if pkg.get("hours"):
            yield f"{p}.hours.text", pkg["hours"]["text"]
        for i, step in enumerate(pkg.get("steps") or []):
            yield from _step_facts(f"{p}.steps[{i}]", step)
        for item in pkg["items"]:
            it = f"{p} item {item['id']}"
            for i, mat in enumerate(item.get("materials") or []):
                for field in ("name", "form", "condition", "obtain", "note"):
                    value = mat.get(field)
                    if value is not None:
                        yield f"{it}.materials[{i}].{field}", value
            for i, step in enumerate(item.get("steps") or []):
                yield from _step_facts(f"{it}.steps[{i}]", step)
            for i, place in enumerate(item.get("places") or []):
                yield from _place_facts(f"{it}.places[{i}]", place)
            if item.get("hours"):
                yield f"{it}.hours.text", item["hours"]["text"]
            for field in ("duration", "no_materials_note", "see_also", "note"):
                if item.get(field) is not None:
                    yield f"{it}.{field}", item[field]
            if item.get("online"):
                yield f"{it}.online.text", item["online"]["text"]
                yield f"{it}.online.url", item["online"]["url"]
            if item.get("phone"):
                yield f"{it}.phone.text", item["phone"]["text"]
                yield f"{it}.phone.number", item["phone"]["number"]


def all_items():
    for pkg in KB["packages"]:
        for item in pkg["items"]:
            yield pkg, item


def all_places():
    for pkg in KB["packages"]:
        for place in pkg.get("places") or []:
            yield f"package {pkg['number']}", place
        for item in pkg["items"]:
            for place in item.get("places") or []:
                yield f"item {item['id']}", place


FACTS = list(iter_fact_strings())
FACT_TEXT = "\n".join(strip_ws(value) for _, value in FACTS)


# ───────────────────────────── (a) fact strings ─────────────────────────────

def test_fact_strings_are_verbatim():
    missing = [
        f"{where}: {value!r}"
        for where, value in FACTS
        if not isinstance(value, str) or strip_ws(value) not in GUIDE
    ]
    assert not missing, "fact strings not found verbatim in the guide:\n" + "\n".join(missing)


def test_item_names_are_verbatim():
    problems = []
    for pkg, item in all_items():
        where = f"package {pkg['number']} item {item['id']}.name"
        name = strip_ws(item["name"])
        if name in GUIDE:
            assert item["name"] not in NON_VERBATIM_ITEM_NAMES, (
                f"{where}: {item['name']!r} is verbatim now; drop it from NON_VERBATIM_ITEM_NAMES")
            continue
        pieces = NON_VERBATIM_ITEM_NAMES.get(item["name"])
        if pieces is None:
            problems.append(f"{where}: {item['name']!r} not in guide and not an allowed exception")
        else:
            problems += [f"{where}: piece {piece!r} not in guide" for piece in pieces
                         if strip_ws(piece) not in GUIDE]
    assert not problems, "\n".join(problems)


def test_document_block():
    doc = KB["document"]
    assert doc["number"] == "抚人社办发〔2020〕33号", "document.number"
    assert doc["date"] == "2020-12-07", "document.date must be the ISO string 2020-12-07"
    assert "2020年12月7日" in GUIDE, "document.date: the guide's date 2020年12月7日 not found"
    assert doc["hotline"] == "12333" and "12333" in GUIDE, "document.hotline"
    # how every reply gives the hotline (Document.hotline_text): the guide's own words
    assert load_guide().document.hotline_text in GUIDE, "Document.hotline_text"
    assert doc["online_hall"] == "http://fsrs.fushun.gov.cn/", "document.online_hall"
    assert doc["online_hall"] in GUIDE, "document.online_hall not in the guide"


# ───────────────────────────── (b) forms ─────────────────────────────

def test_every_form_name_is_in_the_knowledge_base():
    forms = sorted(set(re.findall(r"《[^》]+》", GUIDE)))
    assert forms, "no 《…》 form names found in the guide text: wrong file?"
    title = strip_ws(KB["document"]["title"])
    missing = [f for f in forms if not (f in FACT_TEXT or f[1:-1] == title)]
    assert not missing, "forms of the guide missing from guide.yml fact strings: " + "、".join(missing)


# ───────────────────────────── (c) windows ─────────────────────────────

def guide_window_numbers() -> set[int]:
    numbers: set[int] = set()
    for group in re.findall(r"((?:\d+(?:-\d+)?、)*\d+(?:-\d+)?)号窗口", GUIDE):
        for part in group.split("、"):
            if "-" in part:
                lo, hi = (int(x) for x in part.split("-"))
                numbers.update(range(lo, hi + 1))
            else:
                numbers.add(int(part))
    return numbers


def test_every_window_number_is_in_some_place():
    guide_windows = guide_window_numbers()
    assert {1, 2, 33, 36, 43, 45, 52, 59} <= guide_windows, (
        f"window extraction from the guide looks wrong: {sorted(guide_windows)}")
    kb_windows = {w for _, place in all_places() for w in place.get("windows") or []}
    missing = sorted(guide_windows - kb_windows)
    assert not missing, f"window numbers of the guide in no place's windows: {missing}"


def test_place_windows_match_their_text():
    problems = []
    for where, place in all_places():
        for w in place.get("windows") or []:
            if not isinstance(w, int):
                problems.append(f"{where} place {place['text']!r}: window {w!r} is not an int")
            elif str(w) not in place["text"] and not any(
                    lo <= w <= hi for lo, hi in
                    ((int(a), int(b)) for a, b in re.findall(r"(\d+)-(\d+)", place["text"]))):
                problems.append(f"{where} place {place['text']!r}: window {w} not in its text")
    assert not problems, "\n".join(problems)


# ───────────────────────────── (d) addresses and time limits ─────────────────────────────

@pytest.mark.parametrize("address", ["裕城路39号", "东十路3号", "新华大街22号"])
def test_address_present(address):
    assert address in GUIDE, f"address {address} not in the guide text: wrong file?"
    found = [where for where, place in all_places() if address in (place.get("address") or "")]
    assert found, f"address {address} is in no place's address field of guide.yml"


def test_time_limits_present():
    hours = [h["text"] for h in
             [pkg.get("hours") for pkg in KB["packages"]] + [it.get("hours") for _, it in all_items()]
             if h]
    durations = [it.get("duration") or "" for _, it in all_items()]
    assert "每月1-15号" in GUIDE and any("每月1-15号" in h for h in hours), "hours 每月1-15号 missing"
    assert "30个工作日" in GUIDE and any("30个工作日" in d for d in durations), \
        "duration 30个工作日 missing"
    assert "即时办结" in GUIDE and any("即时办结" in d for d in durations), "duration 即时办结 missing"


def test_package_8_hours():
    pkg = KB["packages"][7]
    assert pkg["hours"] == {"text": "每月1-15号", "days_of_month": [1, 15]}, \
        f"package 8 ({pkg['id']}).hours"


# ───────────────────────────── (e) packages, (f) item ids ─────────────────────────────

def test_ten_packages_in_order():
    packages = KB["packages"]
    assert [p["number"] for p in packages] == list(range(1, 11)), "packages must be numbered 1..10 in order"
    assert [p["id"] for p in packages] == EXPECTED_PACKAGE_IDS, "package ids"
    ordinals = "一二三四五六七八九十"
    for pkg in packages:
        assert pkg["ordinal"] == f"第{ordinals[pkg['number'] - 1]}包", f"package {pkg['id']}.ordinal"
        assert f"打包事项{pkg['ordinal']}" in GUIDE, f"package {pkg['id']}: {pkg['ordinal']} not in guide"
        assert f"“{pkg['name']}”" in GUIDE, f"package {pkg['id']}.name is not a quoted package name"
        assert pkg["items"], f"package {pkg['id']} has no items"
        assert pkg["places"], f"package {pkg['id']} has no places"


def test_item_ids_unique():
    ids = [item["id"] for _, item in all_items()]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate item ids: {dupes}"
    bad = [i for i in ids if not re.fullmatch(r"[a-z][a-z0-9_]*", i)]
    assert not bad, f"item ids not ascii snake_case: {bad}"
    clash = set(ids) & set(EXPECTED_PACKAGE_IDS)
    assert not clash, f"item ids equal to package ids: {sorted(clash)}"


# ───────────────────────────── extra checks of the brief ─────────────────────────────

def test_aliases():
    problems = []
    owners = defaultdict(list)
    entries = [(f"package {p['id']}", p) for p in KB["packages"]] + \
              [(f"item {it['id']}", it) for _, it in all_items()]
    for where, entry in entries:
        aliases = entry.get("aliases") or []
        if not 4 <= len(aliases) <= 12:
            problems.append(f"{where}: {len(aliases)} aliases (want 4-12)")
        if len(set(aliases)) != len(aliases):
            problems.append(f"{where}: repeated alias")
        for alias in aliases:
            if any(word in alias for word in FORBIDDEN_ALIASES):
                problems.append(f"{where}: alias {alias!r} is out of scope ({'/'.join(FORBIDDEN_ALIASES)})")
            if where.startswith("item"):
                owners[alias].append(where)
    for alias, who in owners.items():
        if len(who) > 1 and alias not in SHARED_ALIASES:
            problems.append(f"alias {alias!r} given to several items: {who}")
    assert not problems, "\n".join(problems)


def test_variant_character_kept_and_commented():
    raw = GUIDE_YML.read_text(encoding="utf-8")
    assert "岀" in GUIDE, "guide text has no 岀: wrong file?"
    assert any("岀" in value for _, value in FACTS), "岀 (variant of 出) must be kept verbatim"
    assert re.search(r"#.*岀.*variant.*出", raw), "a YAML comment must say 岀 is a variant of 出"


def test_no_materials_flags():
    for pkg, item in all_items():
        where = f"package {pkg['number']} item {item['id']}"
        if item.get("no_materials"):
            assert item["materials"] == [], f"{where}: no_materials but materials listed"
            assert item.get("no_materials_note"), f"{where}: no_materials without no_materials_note"
