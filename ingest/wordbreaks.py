"""Words broken by extraction, joined again where the joined form proves itself.

A PDF text layer sometimes puts a space inside a word ("vakinhoudeli jk") or
keeps a line-break hyphen in the middle of a line ("toege- voegd"). Both are
repaired only when the evidence says so:

- a space: the joined form is a known word and neither part is one;
- a hyphen before a space: the joined form is known, the left part is no word
  of its own, and what follows is no conjunction ("Noord- en Zuid-Holland"
  elides a compound and stays).

A word is *known* when the document itself uses it (outside the break being
judged) or when it is common in Dutch (``wordfreq``). Short words need to be
very common: "jk" is frequent as an abbreviation, but is no Dutch word.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ingest.repairs import CONJUNCTIONS

_LETTERS = r"[^\W\d_]"
# Two letter runs with one space between; the second in lower case (a new word after a name is no break).
# The second run is looked ahead at, not taken, so that every pair of neighbours is judged.
_SPACED = re.compile(rf"(?<![\w-])({_LETTERS}{{2,}}) (?=([a-zß-ÿ]{_LETTERS}*)(?![\w-]))")
_HYPHENED = re.compile(rf"(?<![\w-])({_LETTERS}{{2,}})- ([a-zß-ÿ]{_LETTERS}+)(?![\w-])")
_WORD = re.compile(rf"{_LETTERS}+")
# wordfreq's Zipf scale: 3 is about once per million words, 4 once per 100,000.
_COMMON = 3.0
_COMMON_SHORT = 4.0
_JOINED = 2.0


@dataclass(frozen=True)
class Repair:
    """One kind of break repaired in a document, and how often."""

    before: str
    after: str
    count: int


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl")


class _Vocabulary:
    """The words of one document, with what Dutch at large knows."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.counts = Counter(w.lower() for t in texts for w in _WORD.findall(t))

    def known(self, word: str, inside: int = 0) -> bool:
        """Whether ``word`` is a word: the document uses it more than ``inside`` times, or Dutch often does."""
        w = word.lower()
        if self.counts[w] > inside:
            return True
        return _zipf(w) >= (_COMMON_SHORT if len(w) <= 2 else _COMMON)

    def known_joined(self, word: str) -> bool:
        """Whether a joined form is a word: the document writes it whole, or Dutch knows it."""
        w = word.lower()
        return self.counts[w] > 0 or _zipf(w) >= _JOINED


def repair_word_breaks(texts: Sequence[str]) -> tuple[list[str], list[Repair]]:
    """The texts with proven word breaks joined, and the repairs made (most frequent first)."""
    vocab = _Vocabulary(texts)
    spaced = Counter((m.group(1).lower(), m.group(2).lower()) for t in texts for m in _SPACED.finditer(t))
    hyphened = Counter(m.group(1).lower() for t in texts if "- " in t for m in _HYPHENED.finditer(t))
    done: Counter[tuple[str, str]] = Counter()

    def join_spaces(text: str) -> str:
        pieces: list[str] = []
        at = 0
        for m in _SPACED.finditer(text):
            left, right = m.group(1), m.group(2)
            if m.start() < at:
                continue  # the left word was joined to the word before it already
            inside = spaced[(left.lower(), right.lower())]  # the break itself does not make its parts words
            if (vocab.known_joined(left + right) and not vocab.known(left, inside)
                    and not vocab.known(right, inside)):
                done[(f"{left} {right}", left + right)] += 1
                pieces.append(text[at:m.start()] + left + right)
                at = m.end() + len(right)
        return "".join(pieces) + text[at:]

    def join_hyphen(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if right.lower() in CONJUNCTIONS or vocab.counts[f"{left}-{right}".lower()]:
            return m.group(0)
        if vocab.known_joined(left + right) and not vocab.known(left, hyphened[left.lower()]):
            done[(m.group(0), left + right)] += 1
            return left + right
        return m.group(0)

    out = []
    for text in texts:
        if " " in text:
            text = join_spaces(text)
            if "- " in text:
                text = _HYPHENED.sub(join_hyphen, text)
        out.append(text)
    return out, [Repair(b, a, n) for (b, a), n in done.most_common()]
