"""Ranked search over the guide's sub-services (BM25 over weighted fields).

A question goes in, (package, item) candidates with scores come out. Every item is one document
whose fields weigh by how strongly they name the service: its own name and aliases most, its
package's name and aliases less, its materials and places least (so 调档函 still finds 档案转递).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Set, Tuple

from guide_kb.model import Guide, Item, Package
from guide_kb.normalize import normalize
from guide_kb.tokenize import GuideTokenizer

OWN_NAME_WEIGHT = 3.0
PACKAGE_WEIGHT = 1.0
DETAIL_WEIGHT = 0.4
STEPS_WEIGHT = 0.15
K1 = 1.2
B = 0.5
# A hit must explain at least this share of the words the user named, or it is no answer;
# in a long message (a story around the question), this many of its words are enough.
MIN_COVERAGE = 0.3
MIN_EXPLAINED = 3.0


@dataclass(frozen=True)
class Hit:
    item: Item
    package: Package
    score: float
    own_score: float  # the part earned by the item's own name and aliases
    coverage: float   # share of the user's words this item's document contains


class GuideSearch:
    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.tokenizer = GuideTokenizer(guide)
        self._items: List[Item] = guide.items
        self._own: List[Dict[str, float]] = []
        self._index_of = {item.id: index for index, item in enumerate(self._items)}
        self._weighted: List[Dict[str, float]] = []
        self._vocab_of: List[frozenset] = []
        self._named_of: List[frozenset] = []  # the item's vocabulary without its steps
        # Words that name services, materials or places; steps' words rank but do not count here,
        # so 认定 (in a step of 创业) does not make 工伤认定 look like a question the guide answers.
        self._known: set = set()
        for item in self._items:
            package = guide.package_of(item)
            texts = item.texts()
            own = self.tokenizer.weighted_terms(texts["names"])
            shared = self.tokenizer.weighted_terms((package.name,) + package.aliases)
            detail = self.tokenizer.weighted_terms(texts["papers"] + texts["place"])
            steps = self.tokenizer.weighted_terms(texts["steps"] + texts["routes"])
            weights: Dict[str, float] = defaultdict(float)
            for counter, weight in ((own, OWN_NAME_WEIGHT), (shared, PACKAGE_WEIGHT),
                                    (detail, DETAIL_WEIGHT), (steps, STEPS_WEIGHT)):
                for term, count in counter.items():
                    weights[term] += weight * count
            self._known.update(own, shared, detail)
            self._named_of.append(frozenset(own) | frozenset(shared) | frozenset(detail))
            self._own.append(own)
            self._weighted.append(dict(weights))
            self._vocab_of.append(frozenset(weights))
        lengths = [sum(w.values()) for w in self._weighted]
        self._length = lengths
        self._average_length = sum(lengths) / len(lengths)
        document_frequency = Counter(t for vocab in self._vocab_of for t in vocab)
        n = len(self._items)
        self._idf = {t: math.log(1 + (n - df + 0.5) / (df + 0.5))
                     for t, df in document_frequency.items()}
        owners: Dict[str, List[Item]] = defaultdict(list)
        for item in self._items:
            for alias in item.aliases:
                owners[normalize(alias)].append(item)
        # Words the guide's users use for several services at once (失业金: packages 6 and 7).
        self._shared_names = {alias: tuple(items) for alias, items in owners.items()
                              if len({i.package_id for i in items}) > 1}
        self._guide_text = "\n".join(normalize(t) for t in _all_text(guide))
        self._papers_text = "\n".join(normalize(t) for item in self._items
                                      for t in item.texts()["papers"])
        # names and aliases (3+ characters) that only one item has: written out, they name it
        written = Counter(normalize(n) for item in self._items for n in {item.name, *item.aliases})
        self._written_names = {item.id: tuple(normalize(n) for n in (item.name,) + item.aliases
                                              if len(n) >= 3 and written[normalize(n)] == 1)
                               for item in self._items}
        self._item_names = frozenset(normalize(n) for item in self._items
                                     for n in (item.name,) + item.aliases if len(n) >= 2)
        self._package_names = tuple((normalize(n), package) for package in guide.packages
                                    for n in (package.name,) + package.aliases if len(n) >= 2)
        # each item's names and aliases of 3+ characters, as whole words of a query
        self._own_names = [frozenset(normalize(n) for n in (item.name,) + item.aliases
                                     if len(n) >= 3) for item in self._items]
        self._postings: Dict[str, List[int]] = defaultdict(list)
        for index, vocab in enumerate(self._vocab_of):
            for term in vocab:
                self._postings[term].append(index)

    def knows(self, word: str) -> bool:
        return word in self._known

    def search(self, query: str, limit: int = 5, package_id: Optional[str] = None,
               admit: Iterable[Item] = ()) -> List[Hit]:
        """`admit`: items that rank whatever share of the words they explain (the one the
        guide has for the person's situation, inside a long story)."""
        text = normalize(query)
        terms = self.tokenizer.search_terms(text)
        words = self.tokenizer.words(text)
        if not terms:
            return []
        # the parts of each word, once per query rather than once per candidate
        parts_of = {w: [p for p in self.tokenizer.search_terms(w) if p != w] for w in words}
        scores: Dict[int, float] = defaultdict(float)
        own_scores: Dict[int, float] = defaultdict(float)
        for term, repeats in Counter(terms).items():
            idf = self._idf.get(term)
            if idf is None:
                continue
            for index in self._postings[term]:
                tf = self._weighted[index][term]
                norm = K1 * (1 - B + B * self._length[index] / self._average_length)
                gain = repeats * idf * tf * (K1 + 1) / (tf + norm)
                scores[index] += gain
                if term in self._own[index]:
                    own_scores[index] += gain
        hits = []
        admitted = set(admit)
        for index, score in scores.items():
            item = self._items[index]
            if package_id and item.package_id != package_id:
                continue
            coverage, explained = self._coverage(words, parts_of, index)
            if (coverage < MIN_COVERAGE and explained < MIN_EXPLAINED
                    and not self._own_names[index].intersection(words)
                    and item not in admitted):
                continue  # (a name of the item written whole, 丧葬费, is enough in any story)
            hits.append(Hit(item, self.guide.package_of(item), round(score, 4),
                            round(own_scores[index], 4), coverage))
        hits.sort(key=lambda h: (-h.score, h.package.number))
        return hits[:limit]

    def _coverage(self, words: List[str], parts_of: Dict[str, List[str]], index: int
                  ) -> Tuple[float, float]:
        """Share of the user's words that this item explains: fully by its names, materials and
        places; half by its steps alone (so 公积金咋提取 is not explained by 提取 in a step); by
        parts of a word, three quarters when all parts are the item's (医疗保险), a quarter when
        only some are (个人所得税 shares only 个人). Single characters (人, 干, 点) count only
        when they are the item's own. Also how many words that makes."""
        named, everything = self._named_of[index], self._vocab_of[index]
        explained, counted = 0.0, 0
        for word in words:
            if len(word) == 1 and word not in named:
                continue
            counted += 1
            if word in named:
                explained += 1
            elif word in everything:
                explained += 0.5
            else:
                parts = parts_of[word]
                known = [sub for sub in parts if sub in named]
                if known:  # 医疗保险: every part is the item's; 个人所得税: only 个人
                    explained += 0.75 if len(known) == len(parts) else 0.25
        return (explained / counted if counted else 0.0), explained

    def equally_named(self, query: str, item: Item) -> Tuple[Item, ...]:
        """Items that a shared word in the query names as much as `item` (itself included)."""
        text = normalize(query)
        for alias, items in self._shared_names.items():
            if item in items and alias in text:
                return items
        return (item,)

    def names_item(self, query: str, item: Item) -> bool:
        """Whether the question writes out a name or alias (3+ characters) that is this item's
        alone; shared ones (失业金, 遗属待遇) are left to `equally_named`."""
        text = normalize(query)
        return any(name in text for name in self._written_names[item.id])

    def named_whole(self, query: str) -> List[Item]:
        """The items one of whose names or aliases (3+ characters, shared or not: 失业金,
        退休金, 丧葬费) is a word of the question: the services named outright."""
        words = set(self.tokenizer.words(normalize(query)))
        return [item for item, names in zip(self._items, self._own_names, strict=False) if names & words]

    def own_words(self, query: str, item: Item) -> List[str]:
        """The question's words that are terms of the item's own name or aliases (转入, 挂失)."""
        own = self._own[self._index_of[item.id]]
        return [w for w in dict.fromkeys(self.tokenizer.words(normalize(query))) if w in own]

    def own_terms(self, query: str, item: Item) -> Set[str]:
        """The question's words and their parts that are terms of the item's own name or aliases
        (医疗 and 保险 of 医疗保险 for 代缴基本医疗保险费)."""
        own = self._own[self._index_of[item.id]]
        return {t for t in self.tokenizer.search_terms(normalize(query)) if t in own}

    def owners_of(self, word: str) -> int:
        """How many items have the word among the terms of their own names and aliases."""
        return sum(word in own for own in self._own)

    def item_names_in(self, query: str) -> List[str]:
        """The sub-service names and aliases the question contains as written."""
        text = normalize(query)
        return [name for name in self._item_names if name in text]

    def named_package(self, query: str, over_items: bool = False) -> Optional[Package]:
        """The package a question names as a whole (工亡待遇, 失业保险待遇服务包): its longest name
        or alias in the text; unless the text also names one of the sub-services by their own
        words, except when `over_items` (包括哪些: the package is what is asked about)."""
        text = normalize(query)
        if not over_items and any(name in text for name in self._item_names):
            return None
        named = [(len(name), package) for name, package in self._package_names if name in text]
        return max(named, key=lambda pair: pair[0])[1] if named else None

    def unknown_words(self, query: str) -> List[str]:
        """Words the user named that the guide never uses anywhere (公积金, 医保, 房产证): a sign
        the question is out of scope. A word inside the guide's text is known (非全额, 上传, 市属),
        and so is a compound all of whose parts are; a word naming nothing (他, 去年) is no sign."""
        words = self.tokenizer.words(normalize(query))
        return [w for w in words if not self._known_word(w) and not self.tokenizer.names_nothing(w)]

    def is_paper(self, word: str) -> bool:
        """Whether a paper the guide asks for is called this (毕业证 in 《毕业证》, 最高学历毕业证)."""
        return normalize(word) in self._papers_text

    def in_guide(self, word: str) -> bool:
        """Whether the guide's text or its users' words for it contain the word."""
        return self.knows(word) or word in self._guide_text

    def _known_word(self, word: str) -> bool:
        if self.in_guide(word):
            return True
        if word.endswith(_PAPER_ENDINGS):  # 学生证, 房产证: a paper the guide never names
            return False
        parts = [p for p in self.tokenizer.search_terms(word) if p != word]
        return bool(parts) and all(self.knows(p) for p in parts)


# how the names of papers end: a paper is known by its whole name, not by its parts (学生 + 证)
_PAPER_ENDINGS = ("证", "证明")


def _all_text(guide: Guide) -> Iterable[str]:
    """Every string of the guide and every word its users use for it."""
    for package in guide.packages:
        yield from (package.name, package.description, package.audience, *package.aliases)
        yield from (p.text for p in package.places)
        for item in package.items:
            for texts in item.texts().values():
                yield from texts


def top_items(hits: List[Hit], ratio: float) -> List[Hit]:
    """Hits scoring within `ratio` of the best: the candidates a question fits equally well."""
    if not hits:
        return []
    best = hits[0].score
    return [h for h in hits if h.score >= best * ratio]
