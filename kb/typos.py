"""Typo repair: the corpus word closest to a misspelt question word, and when to trust it.

A question word the corpus lacks may be a slip ("opgaveregiseur"), another spelling ("afdeeling"), an
everyday word the documents happen not to use ("hoofdstad", "overstap"), a compound of everyday words
("stroomnet") or a slip of one ("ingedient"). Only the first two become the corpus's word; an everyday word
stays, and a slip of one becomes that word.
"""

from __future__ import annotations

import difflib
import os
from typing import Callable, Sequence

import numpy as np

from opgavewijzer.text import common_dutch, common_respelling, everyday_compound

# Similarity (difflib ratio) a corpus word needs to replace an unknown question word of
# six letters or more: one or two slips ('opgaveregiseur' → 'opgaveregisseur') pass.
TYPO_CUTOFF = 0.86


def trusted_repair(word: str, fixed: str | None, stem: Callable[[str], str]) -> str | None:
    """What ``word`` should read as, given the corpus's closest word ``fixed``: that word, an everyday word,
    or None (the word stays as typed)."""
    # A common Dutch word is only inflected ("kwesties" → "kwestie") or its final d/t put right ("betekend"),
    # never made into another word ("hoofdstad" → "hofstad", "compleet" → "complexe"); a typo of one becomes it.
    w = word.lower()
    dt = fixed is not None and w[:-1] == fixed[:-1] and {w[-1:], fixed[-1:]} == {"d", "t"}
    other = fixed is not None and not (fixed.startswith(w) or w.startswith(fixed) or dt) and stem(w) != stem(fixed)
    typo = fixed is not None and not common_dutch(fixed) and not common_dutch(w)
    everyday = common_respelling(word) if typo else None
    if everyday or everyday_compound(w):  # "ingedient" is "ingediend"; "stroomnet" no typo of "stroomt"
        return everyday
    return None if other and common_dutch(w) else fixed


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


def respelt(word: str, fixed: str, stem: Callable[[str], str]) -> bool:
    """True if ``fixed`` is ``word`` spelt as the corpus spells it, not another form of it.

    Same stem, one letter apart at most, and a vowel written once or twice, or a difference before the
    ending: "afdeeling" → "afdeling", "wendelslot" → "wendelsloot", but not "maximale" → "maximaal" or
    "wilden" → "wilde", which inflect the same word.
    """
    if stem(fixed) != stem(word) or abs(len(fixed) - len(word)) > 1:
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
