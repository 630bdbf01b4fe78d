"""Similar work across teams: for each use case, the cases of other teams that built the same capability,
share patterns or are described in the same words, each with its reason.

Words are compared as the site's search compares them: lower case, stemmed in the playbook's language (the
Snowball stemmers the search box runs in the browser), diacritics dropped, and ranked by BM25 with the title
weighted above the description. One inverted index serves every case, with capped postings, so the work per
case stays about the same however large the register grows.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import snowballstemmer

from playbook.data.model.usecase import PublishedUseCase

SHOWN = 5
"""Similar cases a page links at most."""
MAX_POSTINGS = 32
"""Cases kept per word, pattern or capability in the index: the rest add work without changing the top few
(32 instead of 64 took a third off the time of the similar-work section at 10,000 use cases)."""
QUERY_TERMS = 10
"""A case's rarest words that look for others: the rarest say most about what it does."""
DESCRIPTION_WORDS = 80
"""Words of the description compared: its opening says what the case does."""
COMMON_SHARE = 0.25
"""A word or pattern in at least this share of the cases tells them apart too little to count."""
MIN_WORDS = 2
"""Words two cases must share before their words count as a reason."""
MIN_SHARE = 0.3
"""And the words they share must weigh at least this share of what the case's own words weigh in it."""
TITLE_BOOST, DESCRIPTION_BOOST = 8.0, 2.0
"""As the search weighs a title against a summary."""
K1, B = 1.2, 0.7
"""BM25's constants, as the search's engine sets them."""
CAPABILITY_SCORE = 100.0
"""A capability built by both outweighs any likeness of words or patterns."""
STEMMERS = {"da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish", "fr": "french",
            "it": "italian", "nl": "dutch", "no": "norwegian", "pt": "portuguese", "sv": "swedish"}
"""The languages the search box has a stemmer for, by code."""

_WORD = re.compile(r"[^\W\d_]{3,}")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def fold(text: str) -> str:
    """Lower case without diacritics, as the search folds words."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def stemmer(language: str) -> Callable[[str], str]:
    """The Snowball stemmer of ``language`` (memoised per word), or no stemming for a language without one."""
    name = STEMMERS.get(language)
    if name is None:
        return fold
    stem = snowballstemmer.stemmer(name).stemWord
    return cache(lambda word: fold(stem(word.lower())))


def words_of(text: str, limit: int | None = None) -> list[str]:
    """The words of a text (of three letters or more), Markdown link targets left out."""
    found = _WORD.findall(_LINK.sub(lambda m: m.group(1), text))
    return found[:limit] if limit else found


@dataclass(frozen=True)
class Match:
    """Another team's case like this one, and why."""

    case: PublishedUseCase
    capabilities: list[str] = field(default_factory=list)
    """Capabilities both built."""
    patterns: list[str] = field(default_factory=list)
    """Patterns both build on (those most cases share left out)."""
    words: list[str] = field(default_factory=list)
    """Words of this case's title and description found in the other's, as written here."""


class SimilarWork:
    """The index of a whole register; :meth:`of` gives one case's similar cases. Built once per site.

    It keeps, per case, only the few words it asks with (its rarest), and per word only the first
    :data:`MAX_POSTINGS` cases: what a lookup reads, so memory and time per case stay flat.
    """

    def __init__(self, cases: Iterable[PublishedUseCase], language: str = "en") -> None:
        self.cases = list(cases)
        self.place = {case.id: n for n, case in enumerate(self.cases)}
        stem = stemmer(language)
        count = len(self.cases)
        weighted: list[dict[str, float]] = []
        written: list[dict[str, str]] = []
        for case in self.cases:
            seen: dict[str, str] = {}
            weights: dict[str, float] = {}
            for boost, text, limit in ((TITLE_BOOST, case.title, None),
                                       (DESCRIPTION_BOOST, case.description, DESCRIPTION_WORDS)):
                for word in words_of(text, limit):
                    key = stem(word)
                    seen.setdefault(key, word.lower())
                    weights[key] = weights.get(key, 0.0) + boost
            written.append(seen)
            weighted.append(weights)
        frequency = Counter(key for weights in weighted for key in weights)
        common = max(2.0, COMMON_SHARE * count)
        idf = {key: math.log(1 + (count - n + 0.5) / (n + 0.5)) for key, n in frequency.items() if n < common}
        average = sum(sum(w.values()) for w in weighted) / count if count else 1.0
        self.words: dict[str, list[tuple[int, float]]] = {}
        """Each word's cases, with the word's BM25 weight in each."""
        self.asking: list[list[tuple[str, str, float]]] = []
        """Each case's rarest words (stem, as written, weight in the case itself): what it looks for others with."""
        for n, weights in enumerate(weighted):
            norm = K1 * (1 - B + B * sum(weights.values()) / (average or 1.0))
            own: dict[str, float] = {}
            for key, tf in weights.items():
                rarity = idf.get(key)
                if rarity is None:
                    continue
                own[key] = weight = rarity * tf * (K1 + 1) / (tf + norm)
                postings = self.words.setdefault(key, [])
                if len(postings) < MAX_POSTINGS:
                    postings.append((n, weight))
            rarest = heapq.nlargest(QUERY_TERMS, own, key=lambda k: (idf[k], k))
            self.asking.append([(key, written[n][key], own[key]) for key in rarest])
        self.capabilities = self._postings(case.capabilities for case in self.cases)
        patterns = self._postings(case.patterns for case in self.cases)
        pattern_use = Counter(p for case in self.cases for p in set(case.patterns))
        self.pattern_idf = {p: math.log(1 + count / n) for p, n in pattern_use.items() if n < common}
        self.patterns = {p: postings for p, postings in patterns.items() if p in self.pattern_idf}

    @staticmethod
    def _postings(keys_per_case: Iterable[Iterable[str]]) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = {}
        for n, keys in enumerate(keys_per_case):
            for key in dict.fromkeys(keys):
                found = postings.setdefault(key, [])
                if len(found) < MAX_POSTINGS:
                    found.append(n)
        return postings

    def of(self, case_id: str) -> list[Match]:
        """Up to :data:`SHOWN` cases of other teams most like ``case_id``, most alike first."""
        n = self.place.get(case_id)
        if n is None:
            return []
        case, cases = self.cases[n], self.cases
        score: dict[int, float] = {}
        for capability in case.capabilities:
            for other in self.capabilities.get(capability, ()):
                score[other] = score.get(other, 0.0) + CAPABILITY_SCORE
        for pattern in case.patterns:
            weight = self.pattern_idf.get(pattern)
            if weight is not None:
                for other in self.patterns[pattern]:
                    score[other] = score.get(other, 0.0) + weight
        asking = self.asking[n]
        text: dict[int, float] = {}
        shared: dict[int, int] = {}
        """Which of the asking words each other case holds, one bit per word."""
        for bit, (key, _word, _own) in enumerate(asking):
            flag = 1 << bit
            for other, weight in self.words.get(key, ()):
                text[other] = text.get(other, 0.0) + weight
                shared[other] = shared.get(other, 0) | flag
        enough = MIN_SHARE * sum(own for _key, _word, own in asking)
        alike = {other for other, weight in text.items() if weight >= enough and shared[other].bit_count() >= MIN_WORDS}
        for other in alike:
            score[other] = score.get(other, 0.0) + text[other]
        team = case.team
        best = heapq.nlargest(SHOWN, ((s, -o) for o, s in score.items() if cases[o].team != team))
        return [self._match(case, cases[-negative],
                            [word for bit, (_key, word, _own) in enumerate(asking) if shared[-negative] >> bit & 1]
                            if -negative in alike else [])
                for _s, negative in best]

    def _match(self, case: PublishedUseCase, found: PublishedUseCase, words: list[str]) -> Match:
        theirs_capabilities, theirs_patterns = set(found.capabilities), set(found.patterns)
        return Match(
            case=found,
            capabilities=[c for c in case.capabilities if c in theirs_capabilities],
            patterns=[p for p in case.patterns if p in self.pattern_idf and p in theirs_patterns],
            words=words,
        )


def similar_work(cases: Mapping[str, PublishedUseCase], language: str = "en") -> SimilarWork:
    """The similar-work index of a register, by id."""
    return SimilarWork(cases.values(), language)
