"""BM25 over Dutch text: Snowball stemming, Dutch stop words, folded diacritics."""

from __future__ import annotations

import difflib
import logging
import os
import re
import unicodedata
from functools import lru_cache
from typing import Sequence

import numpy as np

from opgavewijzer.text import common_dutch, common_respelling, everyday_compound

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# A token as typed: word characters, hyphen-joined ("COVID-19", "A-12"). Only one that holds a
# digit is kept whole as well; a hyphenated word ("Noord-Holland") is searched by its parts as before.
_TOKEN_RE = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")
# Similarity (difflib ratio) a corpus word needs to replace an unknown question word of
# six letters or more: one or two slips ('opgaveregiseur' → 'opgaveregisseur') pass.
TYPO_CUTOFF = 0.86

# bm25s ships a Dutch list; these are added because they carry no topic in
# questions ("wat zegt het rapport over ...") and would otherwise match everywhere.
_EXTRA_STOPWORDS = {
    "wat", "wie", "welke", "welk", "hoe", "waarom", "wanneer", "waar", "zegt", "zeggen", "staat",
    "volgens", "gaat", "over", "eigenlijk", "precies", "graag", "kun", "kunt", "je", "jij", "jullie",
    "what", "how", "why", "which", "who", "does", "do", "the", "is", "are", "of", "and", "in", "to",
    "a", "an", "about", "say", "says", "tell", "me",
}


@lru_cache(maxsize=1)
def dutch_stopwords() -> frozenset[str]:
    """Dutch stop words (bm25s list plus question words), diacritics folded."""
    from bm25s.stopwords import STOPWORDS_DUTCH

    return frozenset(fold(w) for w in (*STOPWORDS_DUTCH, *_EXTRA_STOPWORDS))


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so 'geïnterviewd' matches 'geinterviewd'."""
    lower = text.lower()
    if lower.isascii():
        return lower
    decomposed = unicodedata.normalize("NFKD", lower)
    # Removing each distinct combining mark with str.replace runs in C; a loop over
    # every character made loading a 20,000-passage index take 15 s instead of 3.
    for ch in set(decomposed):
        if ch > "\x7f" and unicodedata.combining(ch):
            decomposed = decomposed.replace(ch, "")
    return decomposed


class DutchAnalyzer:
    """Turns text into BM25 terms: fold, split, drop stop words, stem."""

    def __init__(self, stemmer: str = "dutch_porter") -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer(stemmer)
        self._stop = dutch_stopwords()

    @property
    def stopwords(self) -> frozenset[str]:
        """The folded stop words this analyzer leaves out."""
        return self._stop

    def words(self, text: str) -> list[str]:
        """Folded words of two or more characters that are not stop words.

        A hyphenated token that holds a digit ("covid-19") comes whole, then by
        its parts: the whole form is rare, so an exact match outranks passages
        that only share a part.
        """
        folded = fold(text)
        if "-" not in folded or not _DIGIT.search(folded):  # the common case, at C speed
            return [w for w in _WORD_RE.findall(folded) if len(w) > 1 and w not in self._stop]
        out: list[str] = []
        for token in _TOKEN_RE.findall(folded):
            if "-" in token and _DIGIT.search(token):
                out.append(token)
            out.extend(w for w in token.split("-") if len(w) > 1 and w not in self._stop)
        return out

    def stem(self, word: str) -> str:
        """The stem of one folded word; a word with a digit is its own stem (a code is searched as typed)."""
        return word if _DIGIT.search(word) else self._stemmer.stemWord(word)

    def terms(self, text: str) -> list[str]:
        """Stemmed terms, in order."""
        return self.stems(self.words(text))

    def stems(self, words: Sequence[str]) -> list[str]:
        """The stems of folded words (what :meth:`terms` does after :meth:`words`)."""
        stems = self._stemmer.stemWords(words)
        return [w if _DIGIT.search(w) else s for w, s in zip(words, stems)]


def is_code(word: str) -> bool:
    """Whether a token mixes letters and digits ("AB123", "Wmo2015", "G40", "COVID-19"): searched exactly."""
    return bool(_DIGIT.search(word)) and bool(_LETTER.search(word))


class TypoIndex:
    """Finds the corpus word closest to a misspelled one without comparing it to every word.

    ``difflib`` compares one pair in microseconds, but a collection of hundreds
    of documents has 100,000 words, and a scan per unknown question word took
    up to 50 ms. A word whose similarity ratio reaches the cutoff must share
    many character bigrams with the misspelling (see :meth:`_min_shared`), so
    only the words that do are compared: the same answer as the full scan.
    """

    def __init__(self, words: Sequence[str], cutoff: float = TYPO_CUTOFF) -> None:
        self._words = sorted(set(words))
        self.known = frozenset(self._words)  # the corpus's own spellings
        self._cutoff = cutoff
        self._lengths = np.fromiter((len(w) for w in self._words), dtype=np.int32, count=len(self._words))
        grams: dict[str, int] = {}
        pairs: list[tuple[int, int]] = []
        for i, word in enumerate(self._words):
            pairs.extend((grams.setdefault(g, len(grams)), i) for g in _bigrams(word, distinct=True))
        self._gram_ids = grams
        table = np.array(pairs, dtype=np.int32).reshape(-1, 2)
        table = table[np.argsort(table[:, 0], kind="stable")]
        self._postings = table[:, 1]
        self._starts = np.searchsorted(table[:, 0], np.arange(len(grams) + 1))

    def _min_shared(self, word: str) -> np.ndarray:
        """Fewest distinct bigrams each corpus word must share with ``word`` to reach the cutoff.

        A ratio ``2M/(a+b) >= c`` needs ``M >= c(a+b)/2`` matching characters in
        ``B`` blocks; blocks are separated by unmatched characters, so
        ``B - 1 <= (a - M) + (b - M)`` and the blocks hold ``M - B >= (3c/2 - 1)(a+b) - 1``
        shared bigrams. Repeated bigrams of ``word`` count once in the index, hence ``- repeats``.
        """
        grams = _bigrams(word, distinct=False)
        repeats = len(grams) - len(set(grams))
        return (1.5 * self._cutoff - 1) * (len(word) + self._lengths) - 1 - repeats - 1e-9

    def closest(self, word: str) -> str | None:
        """The closest corpus word within two letters of length, or None below the cutoff."""
        ids = [self._gram_ids[g] for g in _bigrams(word, distinct=True) if g in self._gram_ids]
        if not ids:
            return None
        found = np.concatenate([self._postings[self._starts[g] : self._starts[g + 1]] for g in ids])
        shared = np.bincount(found, minlength=len(self._words))
        keep = (np.abs(self._lengths - len(word)) <= 2) & (shared >= self._min_shared(word))
        pool = [self._words[i] for i in np.flatnonzero(keep)]
        best = difflib.get_close_matches(word, pool, n=1, cutoff=self._cutoff)
        return best[0] if best else None


def _respelt(word: str, fixed: str, analyzer: DutchAnalyzer) -> bool:
    """True if ``fixed`` is ``word`` spelt as the corpus spells it, not another form of it.

    Same stem, one letter apart at most, and a vowel written once or twice, or a difference before the
    ending: "afdeeling" → "afdeling", "wendelslot" → "wendelsloot", but not "maximale" → "maximaal" or
    "wilden" → "wilde", which inflect the same word.
    """
    if analyzer.stem(fixed) != analyzer.stem(word) or abs(len(fixed) - len(word)) > 1:
        return False
    if _one_vowel_doubled(word, fixed) or _one_vowel_doubled(fixed, word):
        return True  # "wendelslot" / "Wendelsloot", "afdeeling" / "afdeling"
    return len(os.path.commonprefix([word, fixed])) < min(len(word), len(fixed)) - 2


def _one_vowel_doubled(short: str, long: str) -> bool:
    """True if ``long`` is ``short`` with one of its vowels written twice."""
    return len(long) == len(short) + 1 and any(
        long[i] in "aeiou" and long[i] == long[i + 1] and long[:i] + long[i + 1:] == short for i in range(len(long) - 1))


def _bigrams(word: str, distinct: bool) -> list[str]:
    grams = [word[i : i + 2] for i in range(len(word) - 1)]
    return list(dict.fromkeys(grams)) if distinct else grams


class LexicalIndex:
    """A BM25 index over a fixed list of passages (rebuilt in memory on load; it is small)."""

    def __init__(self, texts: Sequence[str], analyzer: DutchAnalyzer) -> None:
        import bm25s

        # bm25s logs every index build at DEBUG through its own handler; keep the CLI quiet.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self._analyzer = analyzer
        self._size = len(texts)
        words = [analyzer.words(t) for t in texts]  # once per text: folding is the costly part of a load
        corpus_terms = [analyzer.stems(w) or ["\x00empty"] for w in words]
        self.vocabulary = frozenset(t for terms in corpus_terms for t in terms)
        # Surface words, for correcting typos in questions ("opgaveregiseur"); a code is never a target.
        self._typos = TypoIndex([w for ws in words for w in ws if not _DIGIT.search(w)])
        # Where each code stands, so that a question naming one finds exactly those passages.
        self._codes: dict[str, list[int]] = {}
        for i, ws in enumerate(words):
            for w in dict.fromkeys(w for w in ws if is_code(w)):
                self._codes.setdefault(w, []).append(i)
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if texts:
            self._bm25.index(corpus_terms, show_progress=False)

    def correct(self, word: str) -> str | None:
        """The corpus word closest to an unknown ``word`` (one or two edits), or None.

        Only words of six letters or more are corrected: short words have too many close neighbours for a
        guess to be safe. A token with a digit is a code or a number, never corrected ("AB123" ≠ "AB124").
        """
        if len(word) < 6 or _DIGIT.search(word):
            return None
        fixed = self._typos.closest(word)
        # A common Dutch word is only inflected ("kwesties" → "kwestie") or its final d/t put right ("betekend"),
        # never made into another word ("hoofdstad" → "hofstad", "compleet" → "complexe"); a typo of one becomes it.
        w, stem = word.lower(), self._analyzer.stem(fold(word))
        dt = fixed is not None and w[:-1] == fixed[:-1] and {w[-1:], fixed[-1:]} == {"d", "t"}
        other = fixed is not None and not (fixed.startswith(w) or w.startswith(fixed) or dt) and (
            stem != self._analyzer.stem(fixed))
        everyday = common_respelling(word) if fixed is not None and not common_dutch(fixed) else None
        if everyday or everyday_compound(w):  # "ingedient" is "ingediend"; "stroomnet" no typo of "stroomt"
            return everyday
        return None if other and common_dutch(w) else fixed

    def correct_text(self, text: str) -> str:
        """``text`` with each unknown word replaced by the corpus word it most likely misspells.

        The one typo repair of the project: BM25 uses it per term, and the answer stages use it on the whole
        question, so that the dense search and the sentence scoring see "opgaveregisseur" where the user typed
        "opgaveregiseur". A repair must keep the first letter: on the dev set a looser one turned words the
        corpus happens not to use into other words ("geschreven" into "beschreven").
        """
        def repair(m: re.Match[str]) -> str:
            word = m.group(0)
            folded = fold(word)
            if folded in self._analyzer.stopwords or folded in self._typos.known:
                return word
            fixed = self.correct(word)
            if self._analyzer.stem(folded) in self.vocabulary:
                # The stem is known, so BM25 already matches; the dense search still needs the corpus's
                # spelling ("afdeeling" → "afdeling": rank 29 → 1 for its passage). A repair to another
                # stem would change the word, not its spelling: that word stays.
                return fixed if fixed is not None and _respelt(folded, fixed, self._analyzer) else word
            return fixed if fixed is not None and fixed[:1] == folded[:1] else word

        def token(m: re.Match[str]) -> str:
            # A token with a digit stays as typed, letters and all ("Wmo2015", "woord12").
            return m.group(0) if _DIGIT.search(m.group(0)) else _LETTERS.sub(repair, m.group(0))

        return _TOKEN_RE.sub(token, text)

    def query_terms(self, query: str) -> list[str]:
        """Stemmed query terms that occur in the corpus, with typos corrected where possible."""
        terms = []
        for word in self._analyzer.words(query):
            term = self._analyzer.stem(word)  # a code is its own term, never corrected (see correct)
            if term not in self.vocabulary and (fixed := self.correct(word)):
                term = self._analyzer.stem(fixed)
            if term in self.vocabulary:
                terms.append(term)
        return terms

    def code_hits(self, query: str) -> dict[int, int]:
        """Passages holding the codes of ``query`` ("AB123"): position → how many of them it holds."""
        held: dict[int, int] = {}
        for code in dict.fromkeys(w for w in self._analyzer.words(query) if is_code(w)):
            for i in self._codes.get(code, ()):
                held[i] = held.get(i, 0) + 1
        return held

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros where no term matches)."""
        terms = self.query_terms(query)
        if not terms or self._size == 0:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top ``k`` passages as ``(position, score)``; ``allowed`` is a boolean mask filter."""
        scores = self.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        return [(int(i), float(scores[i])) for i in top_positions(scores, k) if scores[i] > 0]


def top_positions(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores, highest first, ties in position order: the order of a stable sort
    of all scores, with only the scores at or above the k-th highest sorted."""
    if k <= 0 or len(scores) == 0:
        return np.zeros(0, dtype=np.int64)
    if k < len(scores):
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero(scores >= kth)
    else:
        candidates = np.arange(len(scores))
    return candidates[np.argsort(-scores[candidates], kind="stable")][:k]
