"""Command line for people without the web page.

    python -m guide_kb search 失业金      ranked sub-services with scores
    python -m guide_kb show card_loss_report    a plain-text card
    python -m guide_kb list                 the ten packages and their sub-services
    python -m guide_kb rasa-data [--check]  regenerate (or check) the jieba dictionary and lookups
"""
from __future__ import annotations

import argparse
import sys

from guide_kb import hours, render
from guide_kb.errors import GuideError
from guide_kb.loader import load_guide
from guide_kb.rasa_data import stale_files, write_generated
from guide_kb.search import GuideSearch


def _search(guide, args) -> int:
    hits = GuideSearch(guide).search(" ".join(args.query), limit=args.limit)
    if not hits:
        print(f"没有找到相关业务。请换个说法，或拨打{guide.document.hotline}咨询。")
        return 1
    for hit in hits:
        print(f"{hit.score:7.2f}  {hit.item.id:36s} {hit.package.ordinal} {hit.item.name}")
    return 0


def _show(guide, args) -> int:
    if guide.has_item(args.id):
        print(render.card_answer(guide, guide.item(args.id), hours.today()))
    elif guide.has_package(args.id):
        print(render.package_answer(guide, guide.package(args.id), hours.today()))
    else:
        print(f"unknown id: {args.id} (python -m guide_kb list shows the ids)", file=sys.stderr)
        return 2
    return 0


def _list(guide, args) -> int:
    for package in guide.packages:
        print(f"{package.ordinal} {package.id}  {package.name}")
        for item in package.items:
            print(f"    {item.id:36s} {item.name}")
    return 0


def _rasa_data(guide, args) -> int:
    if args.check:
        stale = stale_files(guide)
        if stale:
            print("stale, run `python -m guide_kb rasa-data`: " + ", ".join(map(str, stale)),
                  file=sys.stderr)
            return 1
        return 0
    written = write_generated(guide)
    print("updated: " + ", ".join(map(str, written)) if written else "up to date")
    return 0


COMMANDS = {"search": _search, "show": _show, "list": _list, "rasa-data": _rasa_data}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guide_kb", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    search = sub.add_parser("search", help="ranked sub-services for a question")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=int, default=5)
    sub.add_parser("show", help="a plain-text card").add_argument("id")
    sub.add_parser("list", help="packages and sub-services")
    sub.add_parser("rasa-data", help="write the jieba dictionary and NLU lookup tables"
                   ).add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](load_guide(), args)
    except GuideError as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
