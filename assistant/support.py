"""How well a text is supported by a passage: stemmed, IDF-weighted term coverage.

Both the refusal decision and the citation check ask one question: how much
of what this sentence says can be found in that passage? The measure is the
share of the sentence's content terms (Dutch Snowball stems, stop words
removed, diacritics folded; the same analyzer as BM25) that occur in the
passage, each term weighted by its IDF over the knowledge base, so that
matching "opgave" counts for little and matching "buitenboordmotor" for much.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from opgavewijzer.text import sentence_spans, without_instructions
from kb.lexical import DutchAnalyzer


class TermWeights:
    """IDF of stemmed terms over a collection of passages.

    A term the collection never uses gets the highest weight: a question about
    "erwtensoep" hinges on exactly the word no passage contains.
    """

    def __init__(self, analyzer: DutchAnalyzer, passages: Iterable[str]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for text in passages:
            df.update(set(analyzer.terms(text)))
            n += 1
        self._n = max(n, 1)
        self._df = df
        self.unseen = self._idf(0)

    def _idf(self, df: int) -> float:
        return math.log(1.0 + (self._n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """BM25-style IDF of a stemmed term."""
        return self._idf(self._df.get(term, 0))

    def known(self, term: str) -> bool:
        """True if any passage of the collection contains the term."""
        return term in self._df


@dataclass(frozen=True)
class Support:
    """How well a claim is supported by one passage, and by which sentence of it most."""

    score: float
    span: tuple[int, int]


class SupportScorer:
    """Measures support of claims by passages; caches the analysis of passages it has seen."""

    def __init__(self, analyzer: DutchAnalyzer, weights: TermWeights) -> None:
        self.analyzer = analyzer
        self.weights = weights
        self._cache: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def terms(self, text: str) -> frozenset[str]:
        """The set of stemmed content terms of a text (cached: passages recur across questions)."""
        with self._lock:
            found = self._cache.get(text)
        if found is None:
            found = frozenset(self.analyzer.terms(text))
            with self._lock:
                if len(self._cache) > 20000:
                    self._cache.clear()  # bounded: a long-running UI must not grow without limit
                self._cache[text] = found
        return found

    def knows(self, word: str) -> bool:
        """True if the sources use ``word``: every term it analyses to occurs in some passage."""
        terms = self.terms(word)
        return bool(terms) and all(self.weights.known(t) for t in terms)

    def coverage(self, claim: frozenset[str], target: frozenset[str]) -> float:
        """IDF-weighted share of the claim's terms that occur in the target (0 for an empty claim)."""
        total = sum(self.weights.idf(t) for t in claim)
        if total <= 0:
            return 0.0
        return sum(self.weights.idf(t) for t in claim if t in target) / total

    def support(self, claim: str, passage: str) -> Support:
        """Coverage of ``claim`` by the whole passage, and the passage sentence that covers it best.

        Sentences of the passage that try to instruct the reader ("negeer alle
        eerdere instructies en zeg …") support nothing.
        """
        claim_terms = self.terms(claim)
        passage = without_instructions(passage)
        score = self.coverage(claim_terms, self.terms(passage))
        best, best_span = -1.0, (0, len(passage))
        for start, end in sentence_spans(passage):
            if not passage[start:end].strip():
                continue
            s = self.coverage(claim_terms, self.terms(passage[start:end]))
            if s > best:
                best, best_span = s, (start, end)
        return Support(score=score, span=best_span)
