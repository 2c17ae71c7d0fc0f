"""Rasa training data generated from guide.yml: lookup tables and synonyms of service names, and
the jieba user dictionary that Rasa's JiebaTokenizer reads.

Kept generated (never edited by hand), so the NLU knows every service the guide has and no other;
`python -m guide_kb rasa-data` writes it, and a test fails when it is stale.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Set

from guide_kb.model import Guide
from guide_kb.normalize import vocabulary
from guide_kb.tokenize import USERDICT_FILE, userdict_text

LOOKUP_PATH = Path(__file__).resolve().parent.parent / "data" / "lookup_tables.yml"
HEADER = "# Generated from knowledge/guide.yml by `python -m guide_kb rasa-data`; do not edit.\n"


def _examples(values: List[str]) -> str:
    return "".join(f"      - {v}\n" for v in values)


def _longest_first(names: Set[str]) -> List[str]:
    """Rasa joins a lookup table into one regex alternation, which takes the first alternative
    that matches: longest first makes 失业登记 win over 失业."""
    return sorted(names, key=lambda n: (-len(n), n))


def lookup_yaml(guide: Guide) -> str:
    names: Set[str] = set()
    owners: Dict[str, Set[str]] = defaultdict(set)
    for package in guide.packages:
        names.add(package.name)
        names.update(package.aliases)
        for item in package.items:
            names.add(item.name)
            for alias in item.aliases:
                names.add(alias)
                owners[alias].add(item.name)
    # an alias that names exactly one item maps to that item's name; shared ones stay as typed
    synonyms: Dict[str, List[str]] = defaultdict(list)
    for alias, items in owners.items():
        if len(items) == 1:
            (name,) = items
            if alias != name:
                synonyms[name].append(alias)
    counties = vocabulary()["counties"]
    # RegexEntityExtractor only learns patterns for entities that annotated examples use
    service_examples = [f"[{i.name}](service)" for i in guide.items]
    county_examples = [f"我是[{county}](county)的" for county in sorted(counties)]
    out = [HEADER, 'version: "3.1"\n', "nlu:\n",
           "  - intent: inform_service\n", "    examples: |\n", _examples(service_examples),
           "  - intent: inform_county\n", "    examples: |\n", _examples(county_examples),
           "  - lookup: service\n", "    examples: |\n", _examples(_longest_first(names)),
           "  - lookup: county\n", "    examples: |\n",
           _examples(sorted({n for names in counties.values() for n in names}))]
    for name in sorted(synonyms):
        out += [f"  - synonym: {name}\n", "    examples: |\n", _examples(sorted(synonyms[name]))]
    for county, county_names in sorted(counties.items()):
        others = sorted(n for n in county_names if n != county)
        out += [f"  - synonym: {county}\n", "    examples: |\n", _examples(others)]
    return "".join(out)


def _generated(guide: Guide) -> Dict[Path, str]:
    """Every file generated from guide.yml, with the text it must hold."""
    return {USERDICT_FILE: userdict_text(guide), LOOKUP_PATH: lookup_yaml(guide)}


def stale_files(guide: Guide) -> List[Path]:
    return [path for path, text in _generated(guide).items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def write_generated(guide: Guide) -> List[Path]:
    """Write the files that are out of date; the paths written."""
    stale = stale_files(guide)
    texts = _generated(guide)
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(texts[path], encoding="utf-8")
    return stale
