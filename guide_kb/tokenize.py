"""Chinese tokenisation with the knowledge base's own vocabulary.

The user dictionary is generated from guide.yml, so 失业保险金, 社会保障卡 and 就业创业证 stay whole
both here and in Rasa's JiebaTokenizer (which reads the file that `write_userdict` writes).
"""
from __future__ import annotations

import functools
import logging
import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Set, Tuple

import jieba

from guide_kb.model import Guide
from guide_kb.normalize import vocabulary

USERDICT_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "jieba"
USERDICT_FILE = USERDICT_DIR / "userdict.txt"
_BRACKETS = re.compile(r"[《》“”\"]")
_SPLIT = re.compile(r"[（）()、，。；：:,;/\s]+")
# High enough that jieba keeps the guide's terms whole against its general dictionary.
_TERM_FREQUENCY = 50000
SUBWORD_WEIGHT = 0.3

jieba.setLogLevel(logging.WARNING)


def guide_terms(guide: Guide) -> List[str]:
    """Service names, aliases, materials and places: the words the guide's users search with."""
    terms: Set[str] = set()

    def add(text: str) -> None:
        for part in _SPLIT.split(_BRACKETS.sub("", text or "")):
            if 2 <= len(part) <= 16 and not part.isdigit():
                terms.add(part)

    for package in guide.packages:
        add(package.name)
        for alias in package.aliases:
            add(alias)
        for place in package.places:
            add(place.name)
            add(place.applies_to or "")
        for item in package.items:
            texts = item.texts()
            for text in texts["names"] + texts["papers"] + texts["applicants"]:
                add(text)
    for names in vocabulary()["counties"].values():
        for name in names:
            add(name)
    return sorted(terms)


def userdict_text(guide: Guide) -> str:
    return "".join(f"{term} {_TERM_FREQUENCY} n\n" for term in guide_terms(guide))


# jieba's part-of-speech tags of words that name nothing: pronoun, time, adverb (and adverbial
# adjective), number and measure, direction, conjunction, preposition, particle, interjection,
# onomatopoeia, place and place name
_NAMING_NOTHING_TAGS = frozenset({"r", "t", "d", "ad", "m", "mq", "q", "f", "c", "p", "u", "y",
                                  "e", "o", "s", "ns"})


@functools.lru_cache(maxsize=1)  # one read of jieba's dictionary however often the guide reloads
def _general_words_naming_nothing() -> frozenset:
    with jieba.get_dict_file() as dictionary:
        entries = (line.decode("utf-8").split() for line in dictionary)
        return frozenset(e[0] for e in entries if len(e) >= 3 and e[2] in _NAMING_NOTHING_TAGS)


class GuideTokenizer:
    """A private jieba tokenizer (Rasa's global one is left alone) knowing the guide's terms."""

    def __init__(self, guide: Guide) -> None:
        self._jieba = jieba.Tokenizer()
        self._synonyms = vocabulary()["query_synonyms"]
        for term in guide_terms(guide) + sorted(set(self._synonyms.values())):
            self._jieba.add_word(term, _TERM_FREQUENCY)
        # one message's text is split many times over (search, scope, audience): once is enough
        self._words_of = functools.lru_cache(maxsize=4096)(self._split_words)
        self._naming_nothing = _general_words_naming_nothing()  # read once, at start-up
        self._ignored = frozenset(vocabulary()["question_words"])
        self._ignored_characters = frozenset(w for w in self._ignored if len(w) == 1)
        # phrases jieba may split (转到外地) are replaced in the text, longest first
        self._phrases = sorted((p for p in self._synonyms if len(p) > 1), key=len, reverse=True)
        # a name of the guide split by 的 (失业的登记, 社保卡的挂失) is read as the name
        split_names = {f"{name[:i]}的{name[i:]}": name
                       for item in guide.items for name in (item.name, *item.aliases)
                       for i in range(2, len(name) - 1) if "的" not in name}
        self._split_names = split_names
        self._split_name = re.compile("|".join(map(re.escape, sorted(split_names, key=len,
                                                                      reverse=True))))
        # terms that may sit inside a longer name (账户维护 in 遗属待遇发放账户维护申请)
        # indexed by first character, so finding them inside a word looks at few candidates
        self._inner_terms: Dict[str, List[str]] = defaultdict(list)
        for term in set(guide_terms(guide)) | set(self._synonyms.values()):
            self._inner_terms[term[0]].append(term)

    def words(self, text: str) -> List[str]:
        """Whole words in the guide's vocabulary, without question words: what the user names,
        in the guide's own terms (丢了 → 挂失)."""
        return list(self._words_of(text))

    def _split_words(self, text: str) -> Tuple[str, ...]:
        if "的" in text:  # one pass of one pattern: words() runs many times per message
            text = self._split_name.sub(lambda m: self._split_names[m.group(0)], text)
        for phrase in self._phrases:
            if phrase in text:
                text = text.replace(phrase, f" {self._synonyms[phrase]} ")
        return tuple(self._content_words(self._synonyms.get(w, w) for w in self._jieba.lcut(text)))

    def _content_words(self, words: Iterable[str]) -> List[str]:
        return [w for w in words if w.strip() and not self._is_question_word(w)]

    def _is_question_word(self, word: str) -> bool:
        """怎么 and also jieba's glued pieces of question words (哪领, 咋去)."""
        return word in self._ignored or all(c in self._ignored_characters for c in word)

    def names_nothing(self, word: str) -> bool:
        """Whether jieba's general dictionary tags the word as one that names no thing a service
        could be about: a pronoun, time, adverb, number, place name (他, 去年, 一直, 几个, 沈阳)."""
        return word in self._naming_nothing

    def search_terms(self, text: str) -> List[str]:
        """Words plus their sub-words (失业保险金 → 失业, 保险, 保险金, …), for partial matches."""
        terms: List[str] = []
        for word in self.words(text):
            terms.append(word)
            terms.extend(self._parts(word))
        return terms

    def _parts(self, word: str) -> Set[str]:
        """Shorter words inside a word: jieba's, and the guide's own terms (就业创业证 inside
        办就业创业证, 账户维护 inside 遗属待遇发放账户维护申请)."""
        parts = {s for s in self._jieba.lcut_for_search(word)
                 if s != word and s.strip() and s not in self._ignored}
        parts.update(term for start, char in enumerate(word)
                     for term in self._inner_terms.get(char, ())
                     if len(term) < len(word) and word.startswith(term, start))
        return parts

    def weighted_terms(self, texts: Iterable[str]) -> Dict[str, float]:
        """Term weights of a document: whole words count each time, a word seen only inside longer
        ones counts SUBWORD_WEIGHT once, so 失业金 ranks the item called 失业金 above 失业金转出."""
        whole: Dict[str, float] = defaultdict(float)
        inside: Set[str] = set()
        for text in texts:  # the guide's own words: no everyday synonyms on this side
            for word in self._content_words(self._jieba.lcut(text)):
                whole[word] += 1.0
                inside.update(self._parts(word))
        for sub in inside - set(whole):
            whole[sub] = SUBWORD_WEIGHT
        return whole
