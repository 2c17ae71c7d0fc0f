"""In scope or not: decided here only, from the guide's evidence.

A question is out of scope when the guide has no service it fits: nothing found, a service next to
the guide's that it does not cover (guide.yml `not_covered`) named without any of the guide's own
service names, a situation that no candidate serves (服务对象), or words the guide never uses with
only weak evidence for a service. The NLU's out_of_scope intent is a cue, never a verdict: a
covered service named in everyday words is answered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

from actions import knowledge
from actions.resolution import DISTINCT_OWNERS, Resolution
from guide_kb.model import Item, NotCovered
from guide_kb.normalize import normalize, vocabulary

FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}
# Without its own name or the context, a match must explain this share of the user's words
# when some of them are words the guide never uses.
WEAK_COVERAGE = 0.5

# The outcomes of a turn, recorded in the `outcome` slot for the operators' report.
ANSWERED = "answered"
ASKED = "asked"                # a question back: which service, or which of several
NOT_COVERED = "not_covered"    # a nearby service the guide does not cover
UNFIT = "unfit"                # the guide's service for it does not serve the user's situation
OUT_OF_SCOPE = "out_of_scope"  # nothing in the guide fits


@dataclass(frozen=True)
class Verdict:
    outcome: str
    reason: str = ""

    @property
    def answered(self) -> bool:
        return self.outcome == ANSWERED


def decide(intent: Optional[str], text: str, resolution: Resolution,
           chosen: bool = False, situations: Iterable[str] = (), done: str = "",
           not_covered: Optional[Sequence[NotCovered]] = None) -> Verdict:
    """`chosen`: the service came from a button, so nothing is guessed; `situations`: what the
    user tells about themselves; `done`: the words of steps already taken (工伤认定下来了), whose
    terms are not asked; `not_covered`: the guide's list unless given (tests)."""
    if chosen:
        return Verdict(ANSWERED)
    uncovered = [] if _served(situations) else [
        term for term in not_covered_in(text, not_covered, resolution)
        if not all(part in done for part in term.split("+"))]  # 工伤认定下来了: a step behind them
    if uncovered:  # unless the user's situation is one the guide serves (企业退休人员过世)
        return Verdict(NOT_COVERED, uncovered[0])
    if resolution.unfit and not resolution.found:
        return Verdict(UNFIT, resolution.unfit)
    if resolution.choices:  # several services fit: a question back, with them as buttons
        return Verdict(ASKED)
    if not resolution.found:
        unsure = intent in FALLBACK_INTENTS or bool(resolution.unknown_words)
        return Verdict(OUT_OF_SCOPE) if unsure else Verdict(ASKED)
    strong = (resolution.named or resolution.from_context or resolution.coverage >= WEAK_COVERAGE
              or _serves_told(resolution, situations))
    if resolution.unknown_words and not strong:
        return Verdict(OUT_OF_SCOPE, "、".join(resolution.unknown_words[:3]))
    return Verdict(ANSWERED)


def not_covered_in(text: str, entries: Optional[Sequence[NotCovered]] = None,
                   resolution: Optional[Resolution] = None) -> List[str]:
    """Services next to the guide's that it does not cover (工伤认定, 公积金), named in the text.
    `A+B`: both anywhere (企业职工+退休). Never when the text also names one of the guide's own
    services, outside the term itself: a name written out (3+ characters), or two words that
    only few services' names have, of the service found (人才市场 + 登记 beside 毕业证)."""
    text = normalize(text)
    search = knowledge.search()
    named = [e for e in (knowledge.guide().not_covered if entries is None else entries)
             if all(part in text for part in e.term.split("+"))]
    if not named:
        return []
    names = search.item_names_in(text)
    own_words = _distinct_own_words(search, text, resolution)
    found = []
    for entry in named:
        parts = entry.term.split("+")
        # 就业创业证 written beside 毕业证: the guide's service is asked; but 办退休 beside 企业职工
        # is the term's own word (退休), and overrules nothing
        written, own = ([w for w in words if not any(w in part or part in w for part in parts)]
                        for words in (names, own_words))
        # a paper of the guide's (毕业证) said to be brought (除了身份证毕业证还带啥) is a material
        # of the service found: its package's name or one distinct word of its own is enough
        enough = 1 if all(_brought(text, part) and search.is_paper(part) for part in parts) else 2
        overruled = (any(len(name) >= 3 for name in written) or len(own) >= enough
                     or _a_paper_of_the_service_in_context(text, parts, resolution))
        if entry.beside_services or not overruled:
            found.append(entry.term)
    return found


def _a_paper_of_the_service_in_context(text: str, parts: Sequence[str],
                                       resolution: Optional[Resolution]) -> bool:
    """毕业证要原件还是复印的, after 就业创业证申领: a paper that the service in context asks for,
    asked about as a paper (brought, or in which form), is that service's."""
    if resolution is None or not resolution.from_context:
        return False
    papers = [paper for item in resolution.items for paper in item.texts()["papers"]]
    return all((_brought(text, part) or re.search(re.escape(part) + _AS_A_PAPER, text))
               and any(part in paper for paper in papers) for part in parts)


_AS_A_PAPER = r"[^，,。？?！!\s]{0,4}(原件|复印|几份|几张|要不要|带不带)"


def _brought(text: str, paper: str) -> bool:
    """The paper is the object of bringing (带上毕业证, 除了身份证毕业证), not of a service (补办)."""
    return re.search(_BRINGING + r"[^，,。？?！!\s]{0,8}" + re.escape(paper), text) is not None


_BRINGING = "(带|拿|除了|准备|交)"


def _distinct_own_words(search, text: str, resolution: Optional[Resolution]) -> List[str]:
    """The words of the question that are whole names of the service found (找活; not 接收, a
    part of 档案接收和转递, nor 人员 or 申请, which many services' names have), and the name of its
    package, or of the package found, if written (人才市场)."""
    if resolution is None or not (resolution.items or resolution.package):
        return []
    words, found_package = [], resolution.package and resolution.package.id
    if resolution.items:
        item = resolution.items[0]
        whole = {normalize(n) for n in (item.name, *item.aliases)}
        words = [w for w in search.own_words(text, item)
                 if w in whole and search.owners_of(w) <= DISTINCT_OWNERS]
        found_package = item.package_id
    package = search.named_package(text, over_items=True)
    return words + ([package.name] if package is not None and package.id == found_package
                    else [])


def _serves_told(resolution: Resolution, situations: Iterable[str]) -> bool:
    """The service found is the guide's answer for a situation the user tells (没活干了 → 第六包):
    their story is the evidence, whatever other words it has."""
    guide = knowledge.guide()
    told = set(situations)
    return any(told & set(entry.serves) or (isinstance(entry, Item) and told & set(
        guide.package_of(entry).serves)) for entry in resolution.entries)


def _served(situations: Iterable[str]) -> bool:
    """A life event told in full (退休后过世: a composed situation of vocabulary.yml) that a
    package serves: 企业职工退休 is not covered, 企业退休人员过世 is (第九包: 企业、个人)."""
    table = vocabulary()["situations"]
    told = {s for s in situations if table.get(s, {}).get("all")}
    return any(told & set(p.serves) for p in knowledge.guide().packages)
