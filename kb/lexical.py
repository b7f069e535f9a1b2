"""BM25 over Dutch text: Snowball stemming, Dutch stop words, folded diacritics."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Sequence

import numpy as np

from kb.typos import TypoIndex, respelt, trusted_repair

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# A token as typed: word characters, hyphen-joined ("COVID-19", "A-12"). Only one that holds a
# digit is kept whole as well; a hyphenated word ("Noord-Holland") is searched by its parts as before.
_TOKEN_RE = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")

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
        return trusted_repair(word, self._typos.closest(word), lambda w: self._analyzer.stem(fold(w)))

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
                return fixed if fixed is not None and respelt(folded, fixed, self._analyzer.stem) else word
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
