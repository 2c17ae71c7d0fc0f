"""Wordings the bureau's staff confirmed for a sub-service (knowledge/staff_wordings.yml).

When a citizen's question was missed and an editor resolves it in the staff inbox as "this wording
means sub-service X", the wording is kept here, never in guide.yml (the guide's own text stays
the guide's). `load_guide` adds each wording to its item's `aliases`, so the search (and the agent
console) finds it at once and `python -m guide_kb rasa-data` puts it into the NLU lookup tables
of the next training. Like aliases, wordings are search vocabulary, never shown as facts.

A missing file means no wordings. WORDINGS_PATH names another file (tests, deployments).
"""
from __future__ import annotations

import datetime
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, List, Optional, Tuple

import yaml

from guide_kb.errors import GuideFileError, GuideSchemaError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "knowledge" / "staff_wordings.yml"
MIN_CHARS, MAX_CHARS = 2, 30
HEADER = ("# Wordings the bureau's staff confirmed in the staff inbox (/staff): each means the\n"
          "# sub-service `item` of guide.yml. Written by the web app; format: knowledge/SCHEMA.md.\n")


@dataclass(frozen=True)
class Wording:
    wording: str
    item: str
    added_by: str
    added_on: str  # ISO date


def wordings_path() -> Path:
    return Path(os.environ.get("WORDINGS_PATH") or DEFAULT_PATH)


def mtime(path: Optional[Path] = None) -> float:
    """The file's modification time; 0 when there is none (part of the guide's cache key)."""
    try:
        return (path or wordings_path()).stat().st_mtime
    except OSError:
        return 0.0


def read(path: Optional[Path] = None) -> List[Wording]:
    path = path or wordings_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    except (OSError, yaml.YAMLError) as error:
        raise GuideFileError(f"{path}: cannot read the staff wordings ({error})") from None
    entries = (raw or {}).get("wordings") if isinstance(raw, dict) or raw is None else None
    if entries is None and raw is not None:
        raise GuideSchemaError(f"{path.name}: top level must be a mapping with `wordings`")
    found = []
    for index, entry in enumerate(entries or ()):
        if not isinstance(entry, dict) or set(entry) != {"wording", "item", "added_by",
                                                         "added_on"}:
            raise GuideSchemaError(f"{path.name}: wordings[{index}] must have exactly wording, "
                                   "item, added_by, added_on")
        added_on = entry["added_on"]
        if isinstance(added_on, datetime.date):
            added_on = added_on.isoformat()
        found.append(Wording(str(entry["wording"]), str(entry["item"]), str(entry["added_by"]),
                             str(added_on)))
    return found


def problem(wording: str, item_id: str, item_ids: Iterable[str],
            existing: Iterable[Wording] = ()) -> Optional[str]:
    """Why a wording cannot be kept (in Chinese, for the editor), or None."""
    text = " ".join(wording.split())
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return f"说法须为 {MIN_CHARS}–{MAX_CHARS} 个字"
    if "已隐藏" in text or sum(ch.isdigit() for ch in text) > 3:
        return "说法中不能含有个人号码"
    if item_id not in set(item_ids):
        return f"指南中没有事项 {item_id[:60]}"
    if any(w.wording == text for w in existing):
        return "这个说法已经记录过"
    return None


def check(wordings: Iterable[Wording], item_ids: Iterable[str]) -> None:
    """Every wording valid and naming one of the guide's items; raises GuideSchemaError."""
    ids = set(item_ids)
    seen: List[Wording] = []
    for entry in wordings:
        reason = problem(entry.wording, entry.item, ids, seen)
        if reason:
            raise GuideSchemaError(f"staff_wordings.yml: {entry.wording!r} → {entry.item}: "
                                   f"{reason}")
        seen.append(entry)


_writing = threading.Lock()


def append(entry: Wording, path: Optional[Path] = None) -> None:
    """Add one wording, writing the file anew in one replace (readers never see half a file);
    one writer at a time, so two editors' wordings are both kept."""
    path = path or wordings_path()
    with _writing:
        entries = read(path) + [entry]
        body = yaml.safe_dump({"wordings": [e.__dict__ for e in entries]},
                              allow_unicode=True, sort_keys=False)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(HEADER + body, encoding="utf-8")
        os.replace(temporary, path)


def by_item(wordings: Iterable[Wording]) -> dict:
    table: dict = {}
    for entry in wordings:
        table.setdefault(entry.item, []).append(entry.wording)
    return {item: tuple(words) for item, words in table.items()}


def merged(aliases: Tuple[str, ...], extra: Iterable[str]) -> Tuple[str, ...]:
    return aliases + tuple(w for w in extra if w not in aliases)
