"""Ranking the sentences of retrieved passages by how well they answer a question.

Two signals per sentence: lexical coverage of the question's terms (stemmed,
IDF-weighted; see :mod:`assistant.support`) and e5 similarity between the
question and the sentence. Embedding costs tens of milliseconds per sentence
on two cores, so only a shortlist chosen by the cheap lexical signal (and the
passage's rank) is embedded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from assistant.answer.definitions import DEFINITION_BONUS, definition_pattern
from assistant.support import SupportScorer
from opgavewijzer.text import Language, instruction_like, normalise_space, sentence_spans
from kb.embeddings import Embedder
from kb.types import Hit

MIN_WORDS = 5
MAX_WORDS = 90
# e5 cosines live in a narrow band; this maps the band onto [0, 1].
DENSE_FLOOR = 0.75
DENSE_SPAN = 0.17
# Sentence vectors kept between questions: passages recur, and embedding is the slow step.
CACHE_SIZE = 5000


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, scored against the question."""

    hit: int  # index into the hits
    start: int  # span in hit.text
    end: int
    text: str  # whitespace-normalised sentence
    lexical: float
    terms: frozenset[str] = frozenset()  # question terms the sentence contains
    dense: float = 0.0
    score: float = 0.0


def dense_scale(cosine: float) -> float:
    """An e5 cosine mapped to [0, 1] (0 at and below ``DENSE_FLOOR``)."""
    return float(min(1.0, max(0.0, (cosine - DENSE_FLOOR) / DENSE_SPAN)))


def _letters(text: str) -> str:
    """Only the letters and digits of a text, lowercased: quotes and dashes differ between copies of a title."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _heading_of(text: str, hit: Hit) -> bool:
    """True if a 'sentence' is the passage's document title or one of its section headings.

    A title can end in a closing quote and so pass for a sentence
    ("Bijlage bij Statenbrief ‘Beantwoording Motie 50 …’"); it names the
    subject but answers nothing.
    """
    letters = _letters(text)
    names = [hit.title, *hit.section.split(" > ")]
    return any(letters == _letters(name) for name in names if name)


def _usable(text: str) -> bool:
    if instruction_like(text):
        return False  # an attempt to steer the assistant is no answer to anyone's question
    n = len(text.split())
    if not MIN_WORDS <= n <= MAX_WORDS:
        return False
    # A run of ellipses is a table of contents or a chapter preview ("… wat is een opgave? …"), not prose.
    if text.count("...") + text.count("…") >= 2:
        return False
    # A line without final punctuation is a heading or a caption unless it is long.
    return text[-1] in ".!?:;)’”\"" or n >= 10


class SentenceRanker:
    """Scores candidate sentences for a question."""

    def __init__(self, scorer: SupportScorer, embedder: Embedder | None, shortlist: int = 6) -> None:
        self.scorer = scorer
        self.embedder = embedder
        self.shortlist = shortlist
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def candidates(self, question: str, hits: Sequence[Hit], max_hits: int = 5, lang: Language = "nl") -> list[Candidate]:
        """Every usable sentence of the first ``max_hits`` hits, scored; best first, duplicates removed.

        An English question shares no words with Dutch passages, so for it the
        (multilingual) dense signal carries the ranking and the shortlist is longer.
        """
        q_terms = self.scorer.terms(question)
        seen: set[str] = set()
        found: list[Candidate] = []
        for i, hit in enumerate(hits[:max_hits]):
            for start, end in sentence_spans(hit.text):
                text = normalise_space(hit.text[start:end])
                key = text.lower()
                # Chunks overlap by a sentence; the copy in the better-ranked passage wins.
                if key in seen or not _usable(text) or _heading_of(text, hit):
                    continue
                seen.add(key)
                s_terms = self.scorer.terms(text)
                lexical = self.scorer.coverage(q_terms, s_terms)
                found.append(Candidate(i, start, end, text, lexical, q_terms & s_terms))
        prior = [1.0 / (1 + 0.5 * c.hit) for c in found]
        english = lang == "en"
        ranked = sorted(range(len(found)), key=lambda k: -(found[k].lexical + 0.3 * prior[k]))
        dense = self._dense(question, [found[k] for k in ranked[: self.shortlist * (3 if english else 1)]])
        # Dense gets the larger share: stems collide ("vaak"/"vak", "slecht"/"slechts") and then
        # lexical coverage alone prefers a sentence that merely shares words with the question.
        w_lex, w_dense = (0.0, 0.85) if english else (0.4, 0.45)
        defines = definition_pattern(question)
        scored = []
        for pos, k in enumerate(ranked):
            c = found[k]
            d = dense[pos] if pos < len(dense) else 0.0
            # Sentences outside the shortlist get no dense evidence, which ranks them
            # below the shortlist, as intended: the lexical filter already judged them weaker.
            score = w_lex * c.lexical + w_dense * dense_scale(d) + 0.15 * prior[k]
            if defines is not None and defines.match(c.text):
                score += DEFINITION_BONUS
            scored.append(replace(c, dense=d, score=score))
        return sorted(scored, key=lambda c: -c.score)

    def _dense(self, question: str, shortlist: list[Candidate]) -> list[float]:
        if self.embedder is None or not shortlist:
            return []
        q = np.asarray(self.embedder.embed_queries([question])[0])
        with self._lock:
            missing = [c.text for c in shortlist if c.text not in self._vectors]
        if missing:
            fresh = np.asarray(self.embedder.embed_passages(missing))
            with self._lock:
                for text, vector in zip(missing, fresh):
                    self._vectors[text] = vector
                while len(self._vectors) > CACHE_SIZE:
                    self._vectors.popitem(last=False)
        with self._lock:
            vectors = [self._vectors.get(c.text) for c in shortlist]
        # A vector evicted by a concurrent session between the two steps counts as no evidence.
        return [float(v @ q) if v is not None else 0.0 for v in vectors]
