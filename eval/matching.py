"""Deciding whether a retrieved passage contains a piece of gold evidence.

Gold evidence is written against the *raw* documents, while passages come out
of ingest cleaning: hyphenated line breaks joined ("professiona- lisering" →
"professionalisering"), whitespace collapsed, Markdown markup, links and
footnote numbers removed. Comparing the two strings directly would therefore
miss most matches. Both sides go through the same normalisation instead:

1. :func:`ingest.cleaning.clean_inline`, the cleaner's own inline repairs;
2. Unicode compatibility folding (ligatures, non-breaking spaces), case folding
   and removal of diacritics;
3. links removed; a hyphen between two letters dropped together with any
   whitespace after it, so that "water- schappen", "water-schappen" and
   "waterschappen" all become "waterschappen";
4. digits glued to the end of a word or to closing punctuation (footnote
   markers: "opgave3", "werken.12") removed;
5. everything except letters and digits dropped, leaving a sequence of words.

Because both sides are treated alike, over-normalising costs nothing but a
negligible chance of a false match.

A text *contains* an evidence string when the normalised evidence occurs in it
as a whole-word substring, or, for evidence that straddles a chunk boundary or
a removed page header, when at least :data:`PARTIAL_SHARE` (60%) of the
evidence's words are *covered*: they belong to some run of :data:`MIN_RUN` (4)
consecutive evidence words that also occurs in the text. The run length keeps
common short phrases ("de opgave van") from counting by accident; looking up
word 4-grams in a set keeps matching fast enough to judge every passage of
the index for every question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from ingest.cleaning import clean_inline

PARTIAL_SHARE = 0.6
MIN_RUN = 4

_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011]\s*(?=[^\W\d_])")
_FOOTNOTE_AFTER_WORD_RE = re.compile(r"(?<=[^\W\d_])\d+")
_FOOTNOTE_AFTER_PUNCT_RE = re.compile(r"(?<=[.,;:!?)\]’”\"'*])\d{1,3}(?=\s|$)")
_WORD_RE = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """The comparison form of a text: lower-case words separated by single spaces (see the module doc)."""
    text = clean_inline(text)
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u00ad", "")
    text = _URL_RE.sub(" ", text)
    text = _HYPHEN_RE.sub("", text)
    text = _FOOTNOTE_AFTER_WORD_RE.sub("", text)
    text = _FOOTNOTE_AFTER_PUNCT_RE.sub("", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_WORD_RE.findall(text))


@dataclass(frozen=True)
class _Normalised:
    words: tuple[str, ...]
    padded: str  # " w1 w2 … " so that substring tests respect word boundaries
    runs: frozenset[tuple[str, ...]]  # every MIN_RUN-word sequence


class EvidenceMatcher:
    """Matches evidence strings against passage texts; caches normalised forms per instance.

    One matcher serves one evaluation run; it holds no state beyond the cache.
    """

    def __init__(self, share: float = PARTIAL_SHARE, min_run: int = MIN_RUN) -> None:
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], not {share}")
        self.share = share
        self.min_run = min_run
        self._cache: dict[str, _Normalised] = {}

    def _norm(self, text: str) -> _Normalised:
        found = self._cache.get(text)
        if found is None:
            words = tuple(normalise(text).split())
            runs = frozenset(words[i : i + self.min_run] for i in range(len(words) - self.min_run + 1))
            found = _Normalised(words, f" {' '.join(words)} ", runs)
            self._cache[text] = found
        return found

    def covered(self, text: str, evidence: str) -> frozenset[int]:
        """Positions of the evidence's words that lie in a run of ``min_run`` evidence words found in ``text``.

        All positions when the whole evidence occurs in ``text``.
        """
        ev, tx = self._norm(evidence), self._norm(text)
        n = len(ev.words)
        if n == 0:
            return frozenset()
        if ev.padded in tx.padded:
            return frozenset(range(n))
        covered: set[int] = set()
        for i in range(n - self.min_run + 1):
            if ev.words[i : i + self.min_run] in tx.runs:
                covered.update(range(i, i + self.min_run))
        return frozenset(covered)

    def share_in(self, texts: Sequence[str], evidence: str) -> float:
        """Share (0–1) of the evidence's words that the texts together contain (see :meth:`covered`)."""
        n = len(self._norm(evidence).words)
        if n == 0:
            return 0.0
        positions: set[int] = set()
        for text in texts:
            positions |= self.covered(text, evidence)
            if len(positions) == n:
                break
        return len(positions) / n

    def contains(self, text: str, evidence: str) -> bool:
        """True if one text contains the evidence (whole, or at least ``share`` of its words)."""
        return self.share_in([text], evidence) >= self.share

    def found_in(self, texts: Sequence[str], evidence: str) -> bool:
        """True if the texts together contain the evidence.

        Evidence split over two retrieved passages (a chunk boundary) counts
        as found when both parts were retrieved.
        """
        return self.share_in(texts, evidence) >= self.share

    def any_evidence(self, text: str, evidence: Sequence[str]) -> bool:
        """True if the text contains at least one of the evidence strings: the passage is relevant."""
        return any(self.contains(text, e) for e in evidence)
