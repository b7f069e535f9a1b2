"""BM25 over Dutch text: Snowball stemming, Dutch stop words, folded diacritics."""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from functools import lru_cache
from typing import Sequence

import numpy as np

_WORD_RE = re.compile(r"\w+", re.UNICODE)

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
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class DutchAnalyzer:
    """Turns text into BM25 terms: fold, split, drop stop words, stem."""

    def __init__(self, stemmer: str = "dutch_porter") -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer(stemmer)
        self._stop = dutch_stopwords()

    def words(self, text: str) -> list[str]:
        """Folded words of two or more characters that are not stop words."""
        return [w for w in _WORD_RE.findall(fold(text)) if len(w) > 1 and w not in self._stop]

    def stem(self, word: str) -> str:
        """The stem of one folded word."""
        return self._stemmer.stemWord(word)

    def terms(self, text: str) -> list[str]:
        """Stemmed terms, in order."""
        return self._stemmer.stemWords(self.words(text))


class LexicalIndex:
    """A BM25 index over a fixed list of passages (rebuilt in memory on load; it is small)."""

    def __init__(self, texts: Sequence[str], analyzer: DutchAnalyzer) -> None:
        import bm25s

        # bm25s logs every index build at DEBUG through its own handler; keep the CLI quiet.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self._analyzer = analyzer
        self._size = len(texts)
        corpus_terms = [analyzer.terms(t) or ["\x00empty"] for t in texts]
        self.vocabulary = frozenset(t for terms in corpus_terms for t in terms)
        # Surface words by length, for correcting typos in questions ("opgaveregiseur").
        self._words_by_len: dict[int, list[str]] = {}
        for word in sorted({w for t in texts for w in analyzer.words(t)}):
            self._words_by_len.setdefault(len(word), []).append(word)
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if texts:
            self._bm25.index(corpus_terms, show_progress=False)

    def correct(self, word: str) -> str | None:
        """The corpus word closest to an unknown ``word`` (one or two edits), or None.

        Only words of six letters or more are corrected: short words have too
        many close neighbours for a guess to be safe.
        """
        if len(word) < 6:
            return None
        pool = [w for n in range(len(word) - 2, len(word) + 3) for w in self._words_by_len.get(n, ())]
        found = difflib.get_close_matches(word, pool, n=1, cutoff=0.86)
        return found[0] if found else None

    def query_terms(self, query: str) -> list[str]:
        """Stemmed query terms that occur in the corpus, with typos corrected where possible."""
        terms = []
        for word in self._analyzer.words(query):
            term = self._analyzer.stem(word)
            if term not in self.vocabulary and (fixed := self.correct(word)):
                term = self._analyzer.stem(fixed)
            if term in self.vocabulary:
                terms.append(term)
        return terms

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
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
