"""The draft's own words kept clean: the role's canonical name, quotation marks round what is verbatim, "[sic]".

A leeropdracht mixes two kinds of text. What the sources say is quoted word
for word, inside quotation marks, even where a source misspells a word; a
reader would otherwise think the draft made the error, so a misspelt word in
a quote is followed by "[sic]". Everything outside quotation marks is the
draft's own and must be correct: headings, source lines and connecting text
name a role by the name of its profile (the name the guide uses most), never
by a misspelt variant of it that one heading happens to print.

A word of a source is *misspelt* (:class:`Spelling`) when it is no common
Dutch word, the sources themselves use it rarely, and a word the sources use
often is one or two slips away ("sturingsproffesionals" beside
"sturingsprofessionals"), or common Dutch is one edit away ("heef" → "heeft").
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from typing import Iterable, Sequence

from opgavewijzer.text import everyday_compound, word_frequency

SIC = " [sic]"
NO_SITUATION = "Geen situatie opgegeven; de opdracht is algemeen gehouden."
OPEN, CLOSE = "“", "”"
# A name variant this close to the profile's name (difflib ratio) is a misspelling of it, not another name:
# "ambachtelijk opdrachtgever" beside "ambtelijk opdrachtgever" (0.92); "wethouder" beside "bestuurlijk
# opdrachtgever" (0.3) and "beleidsambtenaar" beside "beleidsadviseur" (0.65) are names of their own.
MISSPELT_VARIANT = 0.8
# A misspelling is rare in its own sources; the right form is used at least this many times.
RARE, WELL_USED = 2, 3
# One or two slips in a long word (the ratio the question typo repair uses too, kb.typos.TYPO_CUTOFF).
SLIP_RATIO = 0.86
MIN_LENGTH = 4
LONG = 8  # a word this long with one or two slips still has one clear right form
# wordfreq Zipf: at or above 1 (about once per 100 million words) a word is one Dutch or English knows.
KNOWN_ZIPF = 1.0
COMMON_ZIPF = 3.5  # a word Dutch uses this often is a word, whatever the sources do with it
MUCH_MORE_COMMON = 3.0  # Zipf points a word with one more letter must be ahead to be the intended word
COMPOUND_PART = 4  # each part of a compound has at least this many letters
_LETTERS_NL = "abcdefghijklmnopqrstuvwxyzéëïöü"
_WORD = re.compile(r"(?<![\w-])[a-zà-ÿ][a-zà-ÿ]+(?![\w-])")
_ANY_WORD = re.compile(r"[^\W\d_]+")
# Text between quotation marks, also the single marks the user's own words are put in.
QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|'[^'\n]*'|\"[^\"\n]*\"")


class Spelling:
    """The words of the sources with how often they are used, to tell a source's slip from a rare word."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter(w.lower() for t in texts for w in _ANY_WORD.findall(t))
        by_length: dict[int, list[str]] = {}
        for word, n in self.counts.items():
            if n >= WELL_USED and len(word) >= MIN_LENGTH:
                by_length.setdefault(len(word), []).append(word)
        self._by_length = by_length
        self._seen: dict[str, str | None] = {}  # words judged already: a draft repeats its words

    def correct(self, word: str) -> str | None:
        """The right form of ``word`` if it is a slip of the sources, else None."""
        w = word.lower()
        if w not in self._seen:
            self._seen[w] = self._judge(w)
        return self._seen[w]

    def _judge(self, w: str) -> str | None:
        if len(w) < MIN_LENGTH or self.counts[w] > RARE:
            return None
        dutch, english = word_frequency(w)
        if dutch >= COMMON_ZIPF or everyday_compound(w) or self._compound(w):
            return None
        if english >= KNOWN_ZIPF:
            return None  # an English word in a Dutch text ("drive", "deals") is no slip
        if dutch < KNOWN_ZIPF and len(w) >= LONG:
            # A long word Dutch does not know, one or two slips from a word the sources use often.
            near = [c for n in (len(w) - 1, len(w), len(w) + 1) for c in self._by_length.get(n, ())
                    if c[0] == w[0] and not _inflected(w, c)]
            best = max(near, key=lambda c: SequenceMatcher(None, w, c).ratio(), default=None)
            if best is not None and SequenceMatcher(None, w, best).ratio() >= SLIP_RATIO:
                return best
        # A letter left out of a common word ("heef"): the full word is far more common, and the sources use it.
        for i in range(len(w) + 1):
            for c in _LETTERS_NL:
                full = w[:i] + c + w[i:]
                if self.counts[full] >= WELL_USED and word_frequency(full)[0] >= dutch + MUCH_MORE_COMMON:
                    return full
        return None

    def _compound(self, word: str) -> bool:
        """True if ``word`` is two words of the sources (or of Dutch) joined: a rare compound, not a slip."""
        def known(part: str) -> bool:
            return self.counts[part] > 0 or word_frequency(part)[0] >= KNOWN_ZIPF
        return any(known(word[:i]) and (known(word[i:]) or (word[i - 1] == "s" and known(word[:i - 1])))
                   and known(word[i:]) for i in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1))

    def misspelt(self, text: str) -> list[str]:
        """The words of ``text`` that are slips of the sources, in order."""
        return [m.group() for m in _WORD.finditer(text) if self.correct(m.group())]

    def mark(self, text: str) -> str:
        """``text`` with "[sic]" after every misspelt word."""
        return _WORD.sub(lambda m: m.group() + SIC if self.correct(m.group()) else m.group(), text)


def _inflected(word: str, other: str) -> bool:
    """True if the two words differ only in their ending ("afgestemd", "afgestemde", "professionaliseert"): forms of one word."""
    same = 0
    for a, b in zip(word, other):
        if a != b:
            break
        same += 1
    return same >= min(len(word), len(other)) - 3


def misspelt_variants(name: str, variants: Sequence[str]) -> list[str]:
    """The variants of a role's name that are misspellings of it (see :data:`MISSPELT_VARIANT`)."""
    low = name.lower()
    return [v for v in variants if v.lower() != low and SequenceMatcher(None, v.lower(), low).ratio() >= MISSPELT_VARIANT]


def canonical(label: str, name: str, variants: Sequence[str]) -> str:
    """``label`` with every misspelt variant of the role's name replaced by the name itself."""
    for variant in misspelt_variants(name, variants):
        label = re.sub(rf"\b{re.escape(variant)}\b", name, label, flags=re.IGNORECASE)
    return label


def quoted(text: str, spelling: Spelling | None = None) -> str:
    """Verbatim text in quotation marks, its misspelt words marked "[sic]"."""
    body = spelling.mark(text) if spelling is not None else text
    return f"{OPEN}{body}{CLOSE}"


def unquoted(text: str) -> str:
    """The text with everything between quotation marks left out: what the draft says in its own words."""
    return QUOTED.sub(" ", text)


def without_sic(text: str) -> str:
    """The text as the source has it: the "[sic]" marks taken out."""
    return text.replace(SIC, "")
