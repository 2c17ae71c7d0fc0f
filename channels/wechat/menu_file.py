"""channels/wechat/menu.yml: the 公众号's menu, its fixed replies, keyword rules and welcome.

The file is read and checked when the channel starts and before `make wechat-menu` pushes the
menu: against WeChat's limits (1-3 buttons, 1-5 sub-buttons each, names of at most 16/60 UTF-8
bytes, keys of at most 128, click and view only, http(s) links), against knowledge/guide.yml (the
package and item ids) and against domain.yml (the intents). Every problem is reported with the
entry (button[1].sub_button[2].key, counted from 0) and the rule it breaks: MenuFileError.

A click key, a keyword rule's `reply` and `subscribe` name what the user gets:
  package:<id>  the package's overview, as the chat answers /ask_overview{"service_id": ...}
  item:<id>     the item's full card, as the chat answers /ask_steps{"service_id": ...}
  <reply key>   an entry of `replies`: a `payload` the bot answers (/human_handoff), or a fixed
                `text` the channel answers itself and records as a turn with the entry's `intent`.
A fixed text names the guide's facts as {title}, {hotline}, {online_hall} and {packages} rather
than repeating them, so it cannot drift from the guide.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

import yaml

from channels.wechat.errors import MenuFileError
from channels.wechat.keywords import MATCH_KINDS, KeywordRule, find_reply, normalise
from channels.wechat.replies import MORE_COMMAND, utf8_len
from guide_kb.errors import GuideError
from guide_kb.loader import load_guide
from guide_kb.model import Guide

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = Path(__file__).resolve().with_name("menu.yml")
DOMAIN_PATH = ROOT / "domain.yml"

# WeChat's limits of menu/create
MAX_BUTTONS = 3
MAX_SUB_BUTTONS = 5
MAX_NAME_BYTES = 16
MAX_SUB_NAME_BYTES = 60
MAX_KEY_BYTES = 128
MAX_URL_BYTES = 1024
BUTTON_TYPES = ("click", "view")

# how a package or item key is asked: the intents the chat's own buttons use (actions/replies.py)
PACKAGE_INTENT = "ask_overview"
ITEM_INTENT = "ask_steps"  # the full card (actions.aspects.CARD)

_TOP_FIELDS = ("button", "replies", "keywords", "subscribe")
_BUTTON_FIELDS = ("name", "type", "key", "url", "sub_button")
_PAYLOAD = re.compile(r"/([A-Za-z_][A-Za-z0-9_]*)(\{.*\})?", re.S)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Answer:
    """What a click, a keyword or 关注 gets: a payload the bot answers, or a fixed text."""

    key: str
    intent: str  # the payload's intent, or the one a fixed text is recorded with
    payload: Optional[str] = None
    text: Optional[str] = None


def service_payload(intent: str, ref: str) -> str:
    """A button payload as the bot's own buttons send it: /ask_steps{"service_id": "item:x"}."""
    return f"/{intent}" + json.dumps({"service_id": ref}, ensure_ascii=False)


@dataclass(frozen=True)
class MenuFile:
    source: str
    buttons: Tuple[Mapping[str, Any], ...]  # as menu/create takes them
    replies: Mapping[str, Answer]
    keywords: Tuple[KeywordRule, ...]
    subscribe: str
    refs: FrozenSet[str]  # package:<id> and item:<id> of the guide

    def wechat_menu(self) -> Dict[str, Any]:
        """The body of menu/create."""
        return {"button": [dict(button) for button in self.buttons]}

    def answer(self, key: str) -> Optional[Answer]:
        if key in self.replies:
            return self.replies[key]
        if key in self.refs:
            intent = PACKAGE_INTENT if key.startswith("package:") else ITEM_INTENT
            return Answer(key, intent, payload=service_payload(intent, key))
        return None

    def keyword_answer(self, text: str) -> Optional[Answer]:
        key = find_reply(self.keywords, text)
        return self.answer(key) if key else None

    @property
    def welcome(self) -> Answer:
        answer = self.answer(self.subscribe)
        assert answer is not None, "checked when the file was read"
        return answer


# ---- reading ------------------------------------------------------------------------------------

class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys; a copied reply not renamed would vanish."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_menu(path: Optional[Path] = None) -> MenuFile:
    """The checked menu file; raises MenuFileError naming every problem."""
    path = Path(path) if path else DEFAULT_PATH
    source = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except OSError as error:
        raise MenuFileError(source, [("file", f"cannot be read ({error.strerror})")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        problem = getattr(error, "problem", None) or str(error)
        raise MenuFileError(source, [(where, f"not valid YAML: {problem}")]) from None
    try:
        guide = load_guide()
    except GuideError as error:  # the keys cannot be checked without it
        raise MenuFileError(source, [("knowledge/guide.yml", str(error))]) from None
    return parse_menu(raw, guide, domain_intents(), source)


def domain_intents() -> List[str]:
    intents = yaml.safe_load(DOMAIN_PATH.read_text(encoding="utf-8")).get("intents") or []
    return [next(iter(i)) if isinstance(i, dict) else str(i) for i in intents]


def guide_facts(guide: Guide) -> Dict[str, str]:
    """What a fixed text may name as {placeholder}."""
    document = guide.document
    return {"title": document.title, "hotline": document.hotline or "",
            "online_hall": document.online_hall or "",
            "packages": "\n".join(f"{p.ordinal} {p.name}" for p in guide.packages)}


def parse_menu(raw: Any, guide: Guide, intents: Sequence[str], source: str) -> MenuFile:
    checker = _Checker(guide, intents)
    menu = checker.menu(raw, source)
    if checker.problems:
        raise MenuFileError(source, checker.problems)
    assert menu is not None
    return menu


class _Checker:
    """Collects every problem of the file, so that one run lists all of them."""

    def __init__(self, guide: Guide, intents: Sequence[str]) -> None:
        self.intents = set(intents)
        self.facts = guide_facts(guide)
        self.refs = frozenset([f"package:{p.id}" for p in guide.packages]
                              + [f"item:{i.id}" for p in guide.packages for i in p.items])
        self.problems: List[Tuple[str, str]] = []
        self.reply_keys: FrozenSet[str] = frozenset()

    def problem(self, path: str, rule: str) -> None:
        self.problems.append((path, rule))

    def menu(self, raw: Any, source: str) -> Optional[MenuFile]:
        if not isinstance(raw, dict):
            self.problem("top level", "must be a mapping with button, replies, keywords and "
                                      "subscribe")
            return None
        self.fields(raw, "top level", _TOP_FIELDS)
        replies = self.replies(raw.get("replies"))
        buttons = self.buttons(raw.get("button"))
        keywords = self.keywords(raw.get("keywords"))
        subscribe = raw.get("subscribe")
        self.key("subscribe", subscribe)
        return MenuFile(source, tuple(buttons), replies, tuple(keywords), str(subscribe),
                        self.refs)

    # ---- generic ----------------------------------------------------------------------------

    def fields(self, raw: Mapping[str, Any], path: str, known: Sequence[str]) -> None:
        for name in raw:
            if name not in known:
                self.problem(f"{path}.{name}" if path != "top level" else str(name),
                             f"unknown field (known: {', '.join(known)})")

    def text(self, path: str, value: Any) -> Optional[str]:
        if not isinstance(value, str) or not value.strip():
            self.problem(path, "must be a non-empty text")
            return None
        return value.strip()

    def key(self, path: str, key: Any) -> None:
        """A click key, a keyword's reply or subscribe: something the file can answer."""
        if not isinstance(key, str) or not key:
            self.problem(path, "is missing: give package:<id>, item:<id> or a key of replies")
            return
        kind, colon, ident = key.partition(":")
        if not colon:
            if key not in self.reply_keys:
                self.problem(path, f"{key!r} is not a key of replies")
        elif kind not in ("package", "item"):
            self.problem(path, f"{key!r} is not package:<id>, item:<id> or a key of replies")
        elif key not in self.refs:
            self.problem(path, f"no {kind} with id {ident!r} in knowledge/guide.yml")

    def intent(self, path: str, intent: Any) -> None:
        if not isinstance(intent, str) or not intent:
            self.problem(path, "is missing: the domain.yml intent the turn is recorded with")
        elif intent not in self.intents:
            self.problem(path, f"intent {intent!r} is not in domain.yml "
                               f"(known: {', '.join(sorted(self.intents))})")

    # ---- replies ----------------------------------------------------------------------------

    def replies(self, raw: Any) -> Dict[str, Answer]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem("replies", "must be a mapping of reply keys to replies")
            return {}
        # a reply with a problem of its own is still a key: its users are not reported twice
        self.reply_keys = frozenset(key for key in raw if isinstance(key, str))
        answers = {}
        for key, reply in raw.items():
            path = f"replies.{key}"
            if not isinstance(key, str) or ":" in key or utf8_len(key) > MAX_KEY_BYTES:
                self.problem(path, f"a reply key is a text without ':' of at most "
                                   f"{MAX_KEY_BYTES} bytes")
                continue
            answer = self.reply(path, key, reply)
            if answer:
                answers[key] = answer
        return answers

    def reply(self, path: str, key: str, raw: Any) -> Optional[Answer]:
        if not isinstance(raw, dict) or ("payload" in raw) == ("text" in raw):
            self.problem(path, "must have either a payload (the bot answers) or a text and "
                               "an intent (the channel answers)")
            return None
        if "payload" in raw:
            self.fields(raw, path, ("payload",))
            return self.payload(f"{path}.payload", key, raw["payload"])
        self.fields(raw, path, ("text", "intent"))
        text = self.text(f"{path}.text", raw["text"])
        self.intent(f"{path}.intent", raw.get("intent"))
        if text is None:
            return None
        for name in _PLACEHOLDER.findall(text):
            if name not in self.facts:
                self.problem(f"{path}.text", f"unknown placeholder {{{name}}} (known: "
                                             f"{', '.join('{%s}' % f for f in self.facts)})")
        rendered = _PLACEHOLDER.sub(lambda m: self.facts.get(m.group(1), m.group(0)), text)
        return Answer(key, str(raw.get("intent")), text=rendered)

    def payload(self, path: str, key: str, payload: Any) -> Optional[Answer]:
        match = _PAYLOAD.fullmatch(payload.strip()) if isinstance(payload, str) else None
        if match is None:
            self.problem(path, 'must be an intent payload: /intent or /intent{"entity": "value"}')
            return None
        if match.group(2):
            try:
                entities = json.loads(match.group(2))
            except ValueError:
                entities = None
            if not isinstance(entities, dict):
                self.problem(path, "the entities after the intent must be a JSON object")
        self.intent(path, match.group(1))
        return Answer(key, match.group(1), payload=payload.strip())

    # ---- buttons ----------------------------------------------------------------------------

    def buttons(self, raw: Any) -> List[Dict[str, Any]]:
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_BUTTONS:
            self.problem("button", f"WeChat allows 1 to {MAX_BUTTONS} top-level buttons, "
                                   f"found {len(raw) if isinstance(raw, list) else 'none'}")
            return []
        seen_keys: Dict[str, str] = {}
        buttons = []
        for index, button in enumerate(raw):
            path = f"button[{index}]"
            if not isinstance(button, dict):
                self.problem(path, "must be a mapping with a name")
                continue
            self.fields(button, path, _BUTTON_FIELDS)
            name = self.name(path, button.get("name"), MAX_NAME_BYTES, "top-level button")
            if "sub_button" not in button:
                buttons.append({"name": name, **self.action(path, button, seen_keys)})
                continue
            for field in ("type", "key", "url"):
                if field in button:
                    self.problem(f"{path}.{field}", "a button with sub_button opens them and "
                                                    "has no type, key or url of its own")
            buttons.append({"name": name,
                            "sub_button": self.sub_buttons(path, button["sub_button"],
                                                           seen_keys)})
        return buttons

    def sub_buttons(self, path: str, raw: Any, seen_keys: Dict[str, str]) -> List[Dict[str, Any]]:
        path = f"{path}.sub_button"
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_SUB_BUTTONS:
            self.problem(path, f"WeChat allows 1 to {MAX_SUB_BUTTONS} sub-buttons, found "
                               f"{len(raw) if isinstance(raw, list) else 'none'}")
            return []
        subs = []
        for index, sub in enumerate(raw):
            sub_path = f"{path}[{index}]"
            if not isinstance(sub, dict):
                self.problem(sub_path, "must be a mapping with a name and a type")
                continue
            self.fields(sub, sub_path, ("name", "type", "key", "url"))
            name = self.name(sub_path, sub.get("name"), MAX_SUB_NAME_BYTES, "sub-button")
            subs.append({"name": name, **self.action(sub_path, sub, seen_keys)})
        return subs

    def name(self, path: str, name: Any, limit: int, what: str) -> str:
        text = self.text(f"{path}.name", name)
        if text is not None and utf8_len(text) > limit:
            self.problem(f"{path}.name", f"{text!r} is {utf8_len(text)} bytes in UTF-8; WeChat "
                                         f"allows at most {limit} for a {what}")
        return text or ""

    def action(self, path: str, button: Mapping[str, Any],
               seen_keys: Dict[str, str]) -> Dict[str, str]:
        kind = button.get("type")
        if kind not in BUTTON_TYPES:
            self.problem(f"{path}.type", f"{kind!r} is not supported here: use "
                                         f"{' or '.join(BUTTON_TYPES)}")
            return {}
        if kind == "view":
            if "key" in button:
                self.problem(f"{path}.key", "a view button opens its url and has no key")
            url = button.get("url")
            if not isinstance(url, str) or not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
                self.problem(f"{path}.url", "a view button needs a url starting with http:// "
                                            "or https://")
            elif utf8_len(url) > MAX_URL_BYTES:
                self.problem(f"{path}.url", f"is over {MAX_URL_BYTES} bytes")
            return {"type": "view", "url": str(url)}
        if "url" in button:
            self.problem(f"{path}.url", "a click button sends its key and has no url")
        key = button.get("key")
        if isinstance(key, str) and utf8_len(key) > MAX_KEY_BYTES:
            self.problem(f"{path}.key", f"is {utf8_len(key)} bytes; WeChat allows at most "
                                        f"{MAX_KEY_BYTES}")
        else:
            self.key(f"{path}.key", key)
        if isinstance(key, str) and key in seen_keys:
            self.problem(f"{path}.key", f"duplicate of {seen_keys[key]}.key: each click key is "
                                        "used once")
        elif isinstance(key, str):
            seen_keys[key] = path
        return {"type": "click", "key": str(key)}

    # ---- keywords ---------------------------------------------------------------------------

    def keywords(self, raw: Any) -> List[KeywordRule]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem("keywords", "must be a list of rules (match, words, reply)")
            return []
        rules = []
        seen: Dict[Tuple[str, str], str] = {}
        for index, rule in enumerate(raw):
            path = f"keywords[{index}]"
            if not isinstance(rule, dict):
                self.problem(path, "must be a mapping with match, words and reply")
                continue
            self.fields(rule, path, ("match", "words", "reply"))
            match = rule.get("match")
            if match not in MATCH_KINDS:
                self.problem(f"{path}.match", f"{match!r} is not {' or '.join(MATCH_KINDS)}")
            self.key(f"{path}.reply", rule.get("reply"))
            words = rule.get("words")
            if not isinstance(words, list) or not words:
                self.problem(f"{path}.words", "must be a non-empty list of words")
                continue
            kept = []
            for number, word in enumerate(words):
                word_path = f"{path}.words[{number}]"
                if isinstance(word, int) and not isinstance(word, bool):
                    word = str(word)  # YAML reads 12333 as a number
                word = normalise(word) if isinstance(word, str) else ""
                if not word:
                    self.problem(word_path, "must be a non-empty text")
                elif word == MORE_COMMAND or (word.isdigit() and len(word) <= 2):
                    self.problem(word_path, f"{word!r} is what users send for the rest of an "
                                            "answer (更多) or to pick a listed choice (1, 2 ...)")
                elif (match, word) in seen:
                    self.problem(word_path, f"{word!r} is already in {seen[(match, word)]}")
                else:
                    seen[(match, word)] = word_path
                    kept.append(word)
            rules.append(KeywordRule(str(match), tuple(kept), str(rule.get("reply"))))
        return rules
