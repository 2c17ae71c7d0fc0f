"""Text normalisation applied before NLU and search.

Citizens type traditional characters, full-width digits and misspelled service names; the model and
the search index only ever see the normalised form.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Dict, Tuple

import yaml
from opencc import OpenCC

VOCABULARY_PATH = Path(__file__).resolve().parent.parent / "knowledge" / "vocabulary.yml"
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict:
    with VOCABULARY_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _split_verbs() -> "re.Pattern[str]":
    """登个记, 挂了失, 登上记: a separable verb of the guide with a measure word, 了 or 上 inside, joined
    back (登记, 挂失) so that it reads as the guide's term."""
    verbs = vocabulary()["separable_verbs"]
    alternatives = "|".join(f"({re.escape(v[0])})(?:{_INFIXES})({re.escape(v[1:])})" for v in verbs)
    return re.compile(alternatives)


_INFIXES = "了个|上个|个|了|上|一下"


def _joined(match: "re.Match[str]") -> str:
    return "".join(g for g in match.groups() if g)


@functools.lru_cache(maxsize=1)
def _misspellings() -> Tuple[Tuple[str, str], ...]:
    table: Dict[str, str] = vocabulary()["misspellings"]
    # longest first, so 社报卡 is fixed before any shorter key inside it
    return tuple(sorted(table.items(), key=lambda pair: -len(pair[0])))


def strip_control(text: str) -> str:
    """Without control and invisible formatting characters (kept: tab, newline)."""
    return _CONTROL.sub("", text)


@functools.lru_cache(maxsize=4096)  # one message is normalised by NLU, the action and the search
def normalize(text: str) -> str:
    """Simplified, half-width, single-spaced, misspellings fixed, control characters gone."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub("", text)
    text = _converter().convert(text)
    for wrong, right in _misspellings():
        text = text.replace(wrong, right)
    text = _split_verbs().sub(_joined, text)
    return _SPACES.sub(" ", text).strip()
