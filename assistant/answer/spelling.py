"""Typo repair against the corpus vocabulary: "batenmanagment" is searched as "batenmanagement".

A misspelt key word matches nothing lexically and weakens the dense match
too, so typo questions were refused or answered from the wrong passage. A
long question word that no passage contains is replaced by a corpus word one
typing error away (a letter missing, added, changed or two swapped) that
starts with the same letter. That is deliberately narrow: on the dev set a
looser match turned correct words the corpus happens not to use into other
words ("geschreven" into "beschreven"). English questions are left alone.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from kb.lexical import fold

MIN_LENGTH = 7  # short words are too often legitimately unknown (names, abbreviations, inflections)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def one_edit(a: str, b: str) -> bool:
    """True if ``b`` is ``a`` with one letter missing, added, changed, or two neighbours swapped."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(long_) - len(short) != 1:
        return False
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


class Speller:
    """Corrects question words against the words of the passages."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(fold(w) for w in _WORD.findall(text))
        self._known = frozenset(counts)
        # Candidates are the words that occur more than once: a one-off is as likely a typo itself.
        self._by_initial: dict[str, list[str]] = {}
        for word, n in counts.items():
            if n > 1 and len(word) >= MIN_LENGTH - 1:
                self._by_initial.setdefault(word[0], []).append(word)

    def correct_word(self, word: str) -> str | None:
        """The corpus word ``word`` was probably meant to be, or None if it is known or nothing is close."""
        folded = fold(word)
        if len(folded) < MIN_LENGTH or folded in self._known:
            return None
        close = [w for w in self._by_initial.get(folded[0], ()) if abs(len(w) - len(folded)) <= 1 and one_edit(folded, w)]
        return close[0] if len(close) == 1 else None  # two equally close words: no way to tell which was meant

    def correct(self, question: str) -> str:
        """The question with every unknown word that has a close corpus word replaced by it."""

        def repair(m: re.Match[str]) -> str:
            fixed = self.correct_word(m.group(0))
            return fixed if fixed is not None else m.group(0)

        return _WORD.sub(repair, question)
