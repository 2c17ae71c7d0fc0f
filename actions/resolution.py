"""Which sub-service a message is about, from its entities, the search and the context.

The result is one item, several equally likely items (the bot then answers each, labelled, or
asks), a whole package, nothing named (the bot asks), or words the guide does not know (out of
scope). It never silently picks one of several equally good candidates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Sequence, Set, Tuple, Union

from actions import audience, knowledge
from actions.places import places_named
from actions.reading import sections_asked
from guide_kb.model import Item, Package, Place
from guide_kb.normalize import normalize, vocabulary
from guide_kb.search import GuideSearch, Hit, top_items

# Candidates within this share of the best score fit the question equally well.
TIE_RATIO = 0.92
# More candidates than this across packages: ask rather than answer each.
MAX_ANSWERED = 3
SEARCH_DEPTH = 10
# the situation of a paper lost or worn out (vocabulary.yml): the guide replaces the 社保卡 only
LOST_PAPER = "lost_paper"
# how many characters may stand between the paper and the word saying it is lost (退休证整丢了)
LOST_CUE_REACH = 4
# A shared word (失业金) brings in its other services unless other words clearly point to one.
SHARED_NAME_RATIO = 0.75
# When the best match does not serve the person, what is left answers only if its own name
# scores at least this share of the excluded one's.
UNFIT_LEFTOVER_RATIO = 0.5
# Candidates scoring alike but explaining this share fewer of the user's words are dropped.
COVERAGE_MARGIN = 0.1
# Within one package, a candidate whose own name scores this many times the next one's is the one.
DOMINANT_RATIO = 1.5
# A follow-up in words several packages share asks for the item of the package in context when
# it scores at least this share of the best
SIBLING_NEAR_RATIO = 0.8
# A word of a service's own names that at most this many services have is distinctive of them.
DISTINCT_OWNERS = 3
# Beside a service named outright, another stays only when its own name scores this share.
SIBLING_OWN_RATIO = 0.6
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
    named: bool = False    # the best match's own name or its package's is in the question
    unfit: Optional[str] = None  # the situation no candidate serves (退休后过世 for 第八包 alone)
    unfit_packages: List[Package] = field(default_factory=list)  # whose audience did not fit
    unfit_items: List[Item] = field(default_factory=list)  # named outright, and not serving it

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


def resolve(text: str, entity_values: Sequence[str], context: Context,
            situations: Sequence[str] = (), ruled_out: str = "",
            earlier: Context = (), done: str = "", described: Sequence[str] = ()) -> Resolution:
    """`situations` the user tells about; `ruled_out` the words of a correction (不是工亡那个);
    `earlier` services of the conversation before the one in context (再说回那个补贴); `done`
    the words of a step already taken (退休审批都批下来了); `described` the guide's words for things
    the user described (考上公安了 → 政审)."""
    unknown = knowledge.search().unknown_words(text)
    resolution = _resolve(text, entity_values, context, has_unknown_words=bool(unknown),
                          situations=frozenset(situations), ruled_out=ruled_out,
                          earlier=earlier, done=done, described=tuple(described))
    resolution.unknown_words = unknown
    if len(resolution.items) > 1:
        resolution.items = _without_papers_of_another(text, resolution.items)
    return resolution


def _without_papers_of_another(text: str, items: List[Item]) -> List[Item]:
    """把失业登记上 那个就业创业证还在 带啥: a service named in the question that is a paper another
    candidate asks for (《就业创业证》 for 失业登记) is that paper, not a second question; unless it
    is joined to the other (就业创业证和失业登记都咋办) or is what they ask to get (去办就业创业证)."""
    text = normalize(text)
    papers = {item.id: {_PAPER_WORDS.sub("", m.name) for m in item.materials} for item in items}

    def a_paper(item: Item) -> bool:  # a whole paper of the other's list, not a part of one
        return any(other is not item and name in papers[other.id] and _mentioned_alone(text, name)
                   and not _obtaining(text, name)
                   for other in items for name in (item.name, *item.aliases))
    return [item for item in items if not a_paper(item)] or items


def _mentioned_alone(text: str, name: str) -> bool:
    """The name is in the text and no conjunction joins it to something else asked."""
    start = text.find(name)
    if start < 0:
        return False
    around = text[max(0, start - 2):start] + text[start + len(name):start + len(name) + 2]
    return not any(word in around for word in _CONJUNCTIONS)


def _joined_to(text: str, hit: Hit, own_terms: Set[str], named: Hit) -> bool:
    """A sibling of the service named outright, joined to it by a conjunction (退休审批和待遇申领
    一块办, 审批跟待遇): both are asked."""
    return hit.package == named.package and any(
        re.search(f"({'|'.join(_CONJUNCTIONS)}){re.escape(term)}", text) for term in own_terms)


def _terms_joined(text: str, ours: Set[str], theirs: Set[str]) -> bool:
    """A term of each side stands either side of a conjunction (审批跟待遇, 待遇和审批)."""
    conjunctions = "|".join(_CONJUNCTIONS)
    return any(re.search(f"{re.escape(a)}({conjunctions}){re.escape(b)}", text)
               for x, y in ((ours, theirs), (theirs, ours)) for a in x for b in y)


def _obtaining(text: str, name: str) -> bool:
    """去办就业创业证: the paper is what they ask to get, so its service is asked."""
    return re.search(_OBTAIN + re.escape(name), text) is not None


_CONJUNCTIONS = ("和", "跟", "与", "及", "、", "还有", "或")
_OBTAIN = "(办|申请|申领|领|弄|整)(个|张|一个|一张)?"
_PAPER_WORDS = re.compile(r"[《》]|原件|复印件")


def _found(hit: Hit, **fields) -> Resolution:
    return Resolution(coverage=hit.coverage, named=hit.own_score > 0, **fields)


def _resolve(text: str, entity_values: Sequence[str], context: Context,
             has_unknown_words: bool, situations: frozenset, ruled_out: str,
             earlier: Context, done: str, described: Tuple[str, ...]) -> Resolution:
    search = knowledge.search()
    situations = situations | _established_by(context, situations)
    places = [PlaceMention(knowledge.guide().package(package_id), place)
              for package_id, place in places_named(text)]
    at_place = [c for c in context if isinstance(c, Item)
                and any(m.place in c.places for m in places)]
    if at_place and _only_names_places(text, places):
        return _from_context(at_place)  # 那去社保分中心办呢: the route of the two in context there
    not_replaced = _lost_not_replaced(search, text, situations)
    if not_replaced:  # 就业创业证丢了: the guide tells how to get one, not how to replace it
        return Resolution(unfit=LOST_PAPER, unfit_items=not_replaced,
                          unfit_packages=list(dict.fromkeys(
                              knowledge.guide().package_of(i) for i in not_replaced)))
    # The whole text ranks best (a name inside it, 个人求职 in 个人求职登记, must not outweigh the
    # words around it); the lookup-table entities are the fallback when the text finds nothing.
    serving_items = _serving_items(text, situations, described)
    hits = search.search(text, limit=SEARCH_DEPTH, admit=serving_items)
    if not hits and entity_values:
        hits = search.search(" ".join(entity_values), limit=SEARCH_DEPTH)
    if ruled_out:  # a correction: what it rules out is neither a candidate nor the context
        excluded = _named_by(search, ruled_out)
        hits = [h for h in hits if h.item not in excluded]
        context = [c for c in context if c not in excluded]
    if done:  # a step already taken is not asked about; the next one is (its package stays)
        taken = _taken(search, done)  # not what the request describes after it (火化都办完了
        asked = [word for word in described if word not in done]  # 账户里的钱咋领)
        added = _terms_added(text, situations)
        hits = [h for h in hits
                if _still_asked(search, text, h.item, taken, done, added, asked)] or hits
    context_packages = {c.package_id if isinstance(c, Item) else c.id for c in context}
    fitting, unfit, unfit_packages = _fitting(search, text, hits, situations, context_packages)
    if unfit and fitting and hits[0].item not in [h.item for h in fitting] \
            and fitting[0].own_score < UNFIT_LEFTOVER_RATIO * hits[0].own_score:
        fitting = []  # the service they named does not serve them; what is left is barely named
    if not fitting and unfit and (unfit in situations or not context):
        # the package the guide has for that situation, if any; a situation the candidates
        # require and nobody told (工伤 for 住院) leaves a conversation where it was
        serving = _serving({unfit} & situations)
        return Resolution(package=serving, unfit=unfit, unfit_packages=unfit_packages,
                          named=serving is not None)
    context = [c for c in context if not isinstance(c, Item)
               or audience.conflict(c, situations, context_packages) is None]
    for serves in (lambda h: h.package.serves, lambda h: h.item.serves):
        served = [h for h in fitting if set(serves(h)) & situations]
        if served:  # 出事故没的 + 后事的钱 → 第八包; a new card for the benefit → 账户维护
            fitting = served
    told_of = [h for h in fitting if _named_in(h.item, described)]
    if told_of:  # 考上公安了 人家要来翻档案: the thing their story describes (政审) is what is asked
        for word in reversed(described):  # of several, the one told last (考上公务员了 … 档案得调过去)
            fitting = [h for h in told_of if _named_in(h.item, [word])]
            if fitting:
                break
    named_whole = search.named_whole(text)
    outright = [h for h in fitting if h.item in named_whole]
    if outright:  # 领失业金要交照片吗: 失业金 is named; 照片 is a detail, not another service
        # (a service whose own name says as much or more stays: 失业金 + 转出 is 失业金转出;
        # one named in part and scoring lower stays for its sibling: 挂失后怎么解挂)
        first = outright[0]
        first_terms = search.own_terms(text, first.item)
        story = _terms_added(text, situations, composed=True)
        hits = [h for h in fitting if h in outright or h.own_score >= first.own_score
                or (h.own_score >= SIBLING_OWN_RATIO * first.own_score
                    and h.score <= first.score
                    and search.own_terms(text, h.item) - first_terms)
                or (h.score > first.score and _named_in(h.item, story))]
        joined = [h for h in fitting if h is not first and _joined_to(
            text, h, search.own_terms(text, h.item) - first_terms, first)]
        if joined:
            return _found(first, items=[first.item] + [h.item for h in joined])
    else:
        hits = fitting
    if not hits:
        serving = _serving(situations)
        if serving and not context:  # 老爷子退休后走了 剩的钱咋领: what the guide has for them
            return Resolution(package=serving, named=True)
        answering = _answering(situations)
        if answering and not context:  # 饭店老板 缺服务员 帮着招: where the guide sends them
            return Resolution(items=answering[:MAX_ANSWERED], named=True)
        return Resolution() if has_unknown_words else _from_context(context)
    if context and not _named_in(hits[0].item, described) and not _names_a_service(
            search, _without_papers_of(search, audience.without_situation_cues(text), context),
            hits[0], context_packages):
        return _from_context(context)  # a follow-up that names no service (要交照片不, 我是失业的)
    if context_packages and not named_whole:
        # 那待遇申领呢 after 退休审批: words other packages share, near enough, ask for the sibling
        near = [h for h in hits if h.package.id in context_packages
                and h.score >= SIBLING_NEAR_RATIO * hits[0].score]
        hits = near + [h for h in hits if h not in near]
    alike = _explaining_most(top_items(hits, TIE_RATIO))
    candidates = _with_equally_named(search, text, hits, _discriminated(search, text, alike))
    kept = [h.item for h in candidates if h.item in context]
    if kept:  # the question still fits what we were talking about (我是新宾县的呢)
        return _found(candidates[0], items=kept, from_context=True)
    returned = [h for h in candidates if h.item in earlier]
    if returned and len(candidates) > 1:  # 再说回那个补贴: the one we talked about before
        candidates = returned
    if len(candidates) > 1 and context:
        candidates = _prefer_context(candidates, context[0])
    best = candidates[0]
    if places and _only_names_places(text, places):
        return _found(best, places=places)
    if len(candidates) == 1:
        return _found(best, items=[best.item] + _also_named(search, text, hits, best))
    packages = {h.package.id for h in candidates}
    if len(packages) == 1 and best.own_score >= DOMINANT_RATIO * candidates[1].own_score > 0:
        return _found(best, items=[best.item])  # its own name says far more than the others'
    if len(packages) == 1:
        if len(candidates) <= MAX_ANSWERED and _each_distinctly_named(search, text, candidates):
            return _found(best, items=[h.item for h in candidates])  # 一次性给的钱和丧事的补助
        if (len(candidates) > 2 or all(h.own_score == 0 for h in candidates)
                or (search.named_package(text) == best.package  # 工亡待遇: the whole package
                    and not _named_beyond_package(search, text, candidates))):
            applying = _applying_for(text, candidates)
            if applying:  # 社保卡怎么办理: the card itself is to be had
                return _found(applying, items=[applying.item])
            return _found(best, package=best.package)
        return _found(best, items=[h.item for h in candidates])
    if len(candidates) <= MAX_ANSWERED:
        return _found(best, items=[h.item for h in candidates])
    return _found(best, choices=[h.item for h in candidates[:6]])


def _applying_for(text: str, candidates: List[Hit]) -> Optional[Hit]:
    """办 said of the thing all the candidates are named by, and nothing else of theirs (社保卡
    怎么办理, 社保卡咋办一张): the one candidate that applies for it (社会保障卡申领)."""
    if not _TO_GET.search(text):
        return None
    applying = [h for h in candidates if h.item.name.endswith(("申领", "申请"))]
    return applying[0] if len(applying) == 1 else None


_TO_GET = re.compile(r"(?<!重新)((?<!能)办(理|一张|张|一个|个)?|(整|弄)(一张|张|一个|个))(?!啥|什么|哪)"
                     r"(?![^，,。？?！!\s]*(丢|坏|锁|忘|改|挂|补|换))")


def _named_beyond_package(search: GuideSearch, text: str, candidates: List[Hit]) -> bool:
    """Each candidate has a word of its own names in the text beside the package's names
    (失业保险能转走不: 转出 picks two items of the 失业保险 package, not all five)."""
    package = candidates[0].package
    names = [normalize(n) for n in (package.name, *package.aliases)]
    return all(any(not any(w in n for n in names) for w in search.own_words(text, h.item))
               for h in candidates)


def _each_distinctly_named(search: GuideSearch, text: str, candidates: List[Hit]) -> bool:
    """Each candidate is named by a word of its own that few items' names have, that its
    package's names lack and the other candidates' lack (丧葬 of 丧葬补助金申领 and 一次性 of
    一次性工亡补助金, beside 工亡, which names their whole package)."""
    package = candidates[0].package
    package_words = frozenset(search.tokenizer.words(" ".join((package.name, *package.aliases))))
    return all(any(search.owners_of(w) <= DISTINCT_OWNERS for w in words)
               for words in _words_of_their_own(search, text, candidates, package_words))


def _discriminated(search: GuideSearch, text: str, candidates: List[Hit]) -> List[Hit]:
    """Of candidates scoring alike, those named by a word of their own that the others' names
    lack, when some are: 失业保险关系 + 转回来 (转入) is 关系转入, not 关系转出."""
    if len(candidates) < 2:
        return candidates
    named = [h for h, words in zip(candidates, _words_of_their_own(search, text, candidates),
                                   strict=True) if words]
    return named or candidates


def _words_of_their_own(search: GuideSearch, text: str, candidates: List[Hit],
                        leaving: frozenset = frozenset()) -> List[set]:
    """For each candidate, the question's words of its own names that no other candidate's
    names have (and that are not in `leaving`)."""
    own = [set(search.own_words(text, h.item)) - leaving for h in candidates]
    return [words - set().union(*(o for other, o in enumerate(own) if other != index))
            for index, words in enumerate(own)]


def after_done(done: str, context: Context) -> Context:
    """这步办完了: done words that name no service say the one in context is done; the next of
    its package is what the conversation is about now."""
    if not done or _taken(knowledge.search(), done):
        return context
    return [_next_step(entry) if isinstance(entry, Item) else entry for entry in context]


def _next_step(item: Item) -> Item:
    """The sub-service after `item` in its package, as the guide lists them (审批, then 待遇申领);
    the last one is followed by none, and stays."""
    items = knowledge.guide().package_of(item).items
    index = items.index(item)
    return items[index + 1] if index + 1 < len(items) else item


def _serving_items(text: str, situations: frozenset, described: Tuple[str, ...]) -> List[Item]:
    """Items a story may be about, however few of its words they explain: the guide's answer
    for a situation told (a new card for the benefit → 账户维护) or where it sends that situation
    from another service (招服务员 → 用工登记), those of its package that a
    word of their own names few others have (出事走了 + 丧葬 → 第八包's 丧葬补助金), and those serving
    the person whose name holds the guide's word for the situation or for a thing described
    (自己开个店 → 创业, 考上公安了 → 政审)."""
    terms = _terms_added(text, situations) + list(described)
    guide, search = knowledge.guide(), knowledge.search()
    answering = _answering(situations)
    return [i for i in guide.items
            if i in answering
            or (set(guide.package_of(i).serves) & situations and any(
                search.owners_of(w) <= DISTINCT_OWNERS for w in search.own_words(text, i)))
            or (_named_in(i, terms) and audience.conflict(i, situations) is None)]


def _answering(situations: frozenset) -> List[Item]:
    """The items the guide itself names for a situation: those serving it, and those another
    service sends it to (an employer, from 求职登记, to 用工登记)."""
    guide = knowledge.guide()
    sent_to = {instead for entry in (*guide.items, *guide.packages)
               for situation, instead in entry.excludes if situation in situations and instead}
    return [i for i in guide.items if set(i.serves) & situations or i.id in sent_to]


def _terms_added(text: str, situations: frozenset, composed: bool = False) -> List[str]:
    """The guide's words the reading added for the situations told (创业, 退休); `composed`: only
    for the life events told in full (失业 + 在外地领 + 回抚顺 → 转入), not for one cue."""
    table = vocabulary()["situations"]
    return [table[s]["term"] for s in situations
            if table.get(s, {}).get("term") and table[s]["term"] in text
            and (table[s].get("all") or not composed)]


def _established_by(context: Context, told: frozenset) -> frozenset:
    """The life events the conversation has settled: those told in full (a composed situation:
    退休后过世) that the package in context is the guide's answer for (第九包), so 丧葬费有吗
    after it is not 第八包's; unless what is told now cancels them (工伤)."""
    table = vocabulary()["situations"]
    return frozenset(s for package in packages_of(context) for s in package.serves
                     if table.get(s, {}).get("all")
                     and not set(table[s].get("unless") or ()) & told)


def packages_of(context: Context) -> Set[Package]:
    """The packages the services or packages of a conversation belong to."""
    guide = knowledge.guide()
    return {guide.package_of(e) if isinstance(e, Item) else e for e in context}


def _explaining_most(candidates: List[Hit]) -> List[Hit]:
    """Of candidates scoring alike, those explaining (nearly) as many of the user's words as the
    best does: 社保卡 + 申领 + 大厅 is 社会保障卡申领, not any card service with a 大厅."""
    most = max(h.coverage for h in candidates)
    # (not over one whose own names say far more: 领钱那块 + 退休待遇 beside 参照公务员法管理)
    return [h for h in candidates if h.coverage >= most - COVERAGE_MARGIN
            or (h.own_score > 0 and all(h.own_score >= DOMINANT_RATIO * other.own_score
                                        for other in candidates if other is not h))]


def _serving(situations: frozenset) -> Optional[Package]:
    """The package the guide has for one of the situations (退休后过世 → 第九包)."""
    for package in knowledge.guide().packages:
        if set(package.serves) & set(situations):
            return package
    return None


def _named_in(item: Item, words: Iterable[str]) -> bool:
    """A name or alias of the item holds one of the guide's words read from the message (创业;
    解挂 for 卡翻出来了; 政审 for 考上公安了)."""
    return any(word in name for word in words for name in (item.name, *item.aliases))


def _names_a_service(search: GuideSearch, text: str, best: Hit, context_packages: set) -> bool:
    """Whether the question names a service by its own words or its package's (那转入呢,
    工亡待遇), rather than only a material, place or step word (照片, 几楼, 核查) or words that
    tell the person's situation (`text` is without them: 我是失业的 adds a condition).
    Outside the package in context one word of a name is not enough (她在外地上班 is no 想上班):
    the name is written out, or two of its words are there (工伤 住院 伙食)."""
    if search.named_package(text, over_items=True) is not None:
        return True
    hits = search.search(text, limit=SEARCH_DEPTH) if text.strip() else []
    if best.item not in [h.item for h in top_items(hits, TIE_RATIO) if h.own_score > 0]:
        return False
    return (best.package.id in context_packages or best.item in search.named_whole(text)
            or search.names_item(text, best.item) or len(search.own_words(text, best.item)) >= 2)


def _without_papers_of(search: GuideSearch, text: str, context: Context) -> str:
    """The words of a follow-up that are not words of the papers the service in context asks for,
    unless they name one of its package: 有在企业交过保险的 asks about 企业个人缴费记录单 of 退休审批,
    not 企业社保补贴."""
    items = [entry for entry in context if isinstance(entry, Item)]
    papers = [paper for item in items for paper in item.texts()["papers"]]
    steps = [step for item in items for step in item.texts()["steps"]]
    # a word naming a sibling (转入 beside 转出's 转入地…名称) still switches to it: 那转入呢; but
    # one word of its steps alone asks about them (网上都要录啥信息: 录入个人信息), unless more
    # of the sibling's own words are there (领钱那块 → 待遇申领, in 退休审批's steps)
    own = [search.own_words(text, sibling) for item in items
           for sibling in knowledge.guide().package_of(item).items]
    naming = {w for words in own for w in words
              if len(words) > 1 or not any(w in step for step in steps)}
    return " ".join(w for w in search.tokenizer.words(text)
                    if w in naming or not any(w in line for line in papers + steps))


def _named_by(search: GuideSearch, words: str) -> List[Item]:
    """The sub-services a few words name by their own names (工亡那个, 找工作那个), or all of a
    package they name."""
    package = search.named_package(words, over_items=True)
    return _named_items(search, words) + (list(package.items) if package else [])


def _lost_not_replaced(search: GuideSearch, text: str, situations: frozenset) -> List[Item]:
    """The items making a paper the question names (退休证, 就业创业证) that the guide does not
    replace, when it is lost (丢了) and nothing else is named outright (失业登记, 社保卡丢了: that
    answers)."""
    if LOST_PAPER not in situations:
        return []
    query = normalize(text)
    papers = [i for i in knowledge.guide().items
              if any(_lost(query, normalize(paper)) for paper in i.issues)]
    whole = search.named_whole(text)
    named = [i for i in knowledge.guide().items if search.names_item(text, i) or i in whole]
    if not papers or not set(named) <= set(papers):
        return []
    rest = query
    for paper in sorted({normalize(p) for i in papers for p in i.issues}, key=len, reverse=True):
        rest = rest.replace(paper, " ")
    package = search.named_package(rest, over_items=True)  # 社保卡也丢了: the card's package
    if package is None or package in {knowledge.guide().package_of(i) for i in papers}:
        return papers
    return []


def _lost(query: str, paper: str) -> bool:
    """The paper itself is what is lost or to be made again (退休证整丢了, 补个退休证), not
    something else told beside it (工作丢了 … 那个本)."""
    cues = vocabulary()["situations"][LOST_PAPER]["cues"]
    start = query.find(paper)
    if start < 0:
        return False
    end = start + len(paper)
    reach = [(query[end:end + LOST_CUE_REACH + len(cue)],
              query[max(0, start - LOST_CUE_REACH - len(cue)):start], cue) for cue in cues]
    return any(cue in after or cue in before for after, before, cue in reach)


def _still_asked(search: GuideSearch, text: str, item: Item, taken: List[Item], done: str,
                 added: List[str], asked: List[str]) -> bool:
    """Whether the request still asks for the item beside the steps already taken: a word only
    its own names have, told after them (考试体检考察公示都弄完了 … 去办备案), or a thing described
    after them."""
    after = _after_done(text, done)
    if any(w not in done and w not in added and search.owners_of(w) == 1
           for w in search.own_words(after, item)) or _named_in(item, asked):
        return True
    return item not in taken


def _after_done(text: str, done: str) -> str:
    """The text after the last step already taken: where the request is (人事 before 刚办完退休审批
    tells who speaks; 去办备案 after 公示都弄完了 asks)."""
    end = 0
    for clause in done.split():
        start = text.find(clause[:2], end)
        finish = text.find(clause[-2:], max(start, 0))
        if start >= 0 and finish >= 0:
            end = finish + 2
    return text[end:]


def _taken(search: GuideSearch, done: str) -> List[Item]:
    """The sub-services the steps already taken name, each clause on its own (工伤认定下来 医药费都报),
    and each named outright in one (工亡补助金和丧葬费都领完了)."""
    return [item for clause in done.split()
            for item in _named_items(search, clause) + search.named_whole(clause)]


def _named_items(search: GuideSearch, words: str) -> List[Item]:
    hits = search.search(words, limit=SEARCH_DEPTH)
    return [h.item for h in top_items(hits, TIE_RATIO) if h.own_score > 0]


def _fitting(search: GuideSearch, text: str, hits: List[Hit], situations: frozenset,
             context_packages: set) -> "tuple[List[Hit], Optional[str], List[Package]]":
    """The hits serving the user's situation, an excluded one replaced by the item the guide
    sends that situation to; the situation that excluded some, if any did, and their packages."""
    kept: List[Hit] = []
    unfit = None
    unfit_packages: List[Package] = []
    for hit in hits:
        found = audience.conflict(hit.item, situations, context_packages,
                                  written_out=search.names_item(text, hit.item))
        if found is None:
            replacement = hit
        else:
            unfit = found[0]
            if hit.package not in unfit_packages:
                unfit_packages.append(hit.package)
            instead = found[1]
            if instead is None:
                continue
            # the guide itself sends this situation there: as good as naming it
            replacement = Hit(instead, knowledge.guide().package_of(instead), hit.score,
                              max(hit.own_score, hit.score), max(hit.coverage, 1.0))
        if all(k.item != replacement.item for k in kept):
            kept.append(replacement)
    return kept, unfit, unfit_packages


def _only_names_places(text: str, places: Sequence[PlaceMention]) -> bool:
    """The question names a building and nothing else (就业和人才服务中心在哪); or asks when it is
    open (社保大厦几点上班), in words that are no service's own (上班, 开门)."""
    search = knowledge.search()
    when = "hours" in sections_asked(text)
    return all(any(w in m.place.name for m in places) or (when and not search.owners_of(w))
               for w in search.tokenizer.words(text))


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
    sibling in the same package scoring close, explaining as much and named by a word of its own
    (社保卡挂失后怎么解挂).
    Answered as well rather than dropped for the one whose name is longer."""
    others = [h for h in hits[1:MAX_ANSWERED + 1] if h is not best]
    named = [h.item for h in others if search.names_item(text, h.item)]
    if named and search.names_item(text, best.item):
        return named[:MAX_ANSWERED - 1]
    best_terms = search.own_terms(text, best.item)
    joined = [h.item for h in others if h.package == best.package and _terms_joined(
        text, best_terms - search.own_terms(text, h.item),
        search.own_terms(text, h.item) - best_terms)]
    if joined:  # 审批跟待遇一块办: a word of each, joined by a conjunction
        return joined[:MAX_ANSWERED - 1]
    runner_up = others[0] if others else None
    if (runner_up and runner_up.package == best.package and runner_up.own_score > 0
            and runner_up.score >= best.score * SIBLING_RATIO
            and runner_up.coverage >= best.coverage
            and _words_of_their_own(search, text, [best, runner_up])[1]):
        return [runner_up.item]  # (named by a word of its own: 解挂 beside 挂失; not 转入 in
    return []                    # 转出's papers, beside 失业保险关系, which both are named by)


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
