"""Meaning: the e5 cosine between a question and each candidate sentence.

Sentence vectors are made at ingest and stored with the build, so every
candidate gets a meaning score at the cost of one dot product. A build made
before sentence vectors existed has none; its sentences are embedded when
first needed and kept in a bounded cache shared by all sessions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from kb.embeddings import Embedder
from kb.sentences import SentenceIndex
from kb.types import Sentence

CACHE_SIZE = 5000  # sentences embedded on the fly for a build without stored vectors (about 2 MB)


class Meaning:
    """Cosines of a question against sentences; one per build, shared by sessions."""

    def __init__(self, embedder: Embedder | None, sentences: SentenceIndex) -> None:
        self.embedder = embedder
        self.sentences = sentences
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def cosines(self, question: str, sentences: Sequence[Sentence]) -> tuple[list[float], list[float]]:
        """The e5 cosine of ``question`` with each sentence, and with each sentence read in its window.

        The window is the sentence with the one before and after it in its document (the mean of their
        vectors): a short sentence often means what it means only there. Without stored vectors the
        window is the sentence alone. All zeros when there is no embedder.
        """
        if self.embedder is None or not sentences:
            return [0.0] * len(sentences), [0.0] * len(sentences)
        q = np.asarray(self.embedder.embed_queries([question])[0])
        vectors = [self.sentences.vector(s) for s in sentences]
        missing = [s.text for s, v in zip(sentences, vectors) if v is None]
        if missing:
            cached = self._embedded(missing)
            vectors = [v if v is not None else cached.get(s.text) for s, v in zip(sentences, vectors)]
        # A vector evicted by a concurrent session between the two steps counts as no evidence.
        own = [float(np.asarray(v) @ q) if v is not None else 0.0 for v in vectors]
        return own, [self._window(s, v, q, c) for s, v, c in zip(sentences, vectors, own)]

    def _window(self, sentence: Sentence, vector: np.ndarray | None, q: np.ndarray, own: float) -> float:
        """Cosine of the question with the mean vector of the sentence and its stored neighbours."""
        if vector is None:
            return own
        parts = [vector] + [v for step in (-1, 1) if (n := self.sentences.neighbour(sentence, step)) is not None
                            and (v := self.sentences.vector(n)) is not None]
        mean = np.sum(parts, axis=0)
        return float(mean @ q / (np.linalg.norm(mean) or 1.0))

    def _embedded(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Vectors of ``texts`` from the cache, embedding those it lacks."""
        with self._lock:
            fresh = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if fresh:
            made = np.asarray(self.embedder.embed_passages(fresh))  # type: ignore[union-attr]
            with self._lock:
                for text, vector in zip(fresh, made):
                    self._cache[text] = vector
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        with self._lock:
            return {t: self._cache[t] for t in texts if t in self._cache}
