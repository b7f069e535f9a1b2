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

    def cosines(self, question: str, sentences: Sequence[Sentence]) -> list[float]:
        """The e5 cosine of ``question`` and each sentence (0 for all when there is no embedder)."""
        if self.embedder is None or not sentences:
            return [0.0] * len(sentences)
        q = np.asarray(self.embedder.embed_queries([question])[0])
        stored = getattr(self.sentences, "vector", lambda s: None)  # TEMP until stored vectors land
        vectors = [stored(s) for s in sentences]
        missing = [s.text for s, v in zip(sentences, vectors) if v is None]
        if missing:
            cached = self._embedded(missing)
            vectors = [v if v is not None else cached.get(s.text) for s, v in zip(sentences, vectors)]
        # A vector evicted by a concurrent session between the two steps counts as no evidence.
        return [float(np.asarray(v) @ q) if v is not None else 0.0 for v in vectors]

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
