"""Question vectors computed once per question, shared by retrieval and sentence ranking.

The knowledge base embeds the question to search; the sentence ranker needs
the same vector to score sentences. Embedding is the slowest step of an
extractive answer, so the assistant puts this small cache between the
knowledge base and its embedder.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from kb.embeddings import Embedder

CACHE_SIZE = 512


class QueryCache:
    """An :class:`Embedder` that remembers the vectors of recent questions (passages pass through)."""

    def __init__(self, inner: Embedder, size: int = CACHE_SIZE) -> None:
        self.inner = inner
        self._size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The wrapped model's name: the cache does not change what is embedded."""
        return self.inner.name

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Passages are not cached here (see :class:`assistant.answer.selection.SentenceSelector`)."""
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Question vectors, from the cache where possible."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = np.asarray(self.inner.embed_queries(missing))
            with self._lock:
                for text, vector in zip(missing, fresh):
                    self._vectors[text] = vector
                    self._vectors.move_to_end(text)
                while len(self._vectors) > self._size:
                    self._vectors.popitem(last=False)
        with self._lock:
            found = [self._vectors.get(t) for t in texts]
        # A vector evicted by a concurrent session in between is simply computed again.
        gaps = [t for t, v in zip(texts, found) if v is None]
        if gaps:
            extra = dict(zip(gaps, np.asarray(self.inner.embed_queries(gaps))))
            found = [v if v is not None else extra[t] for t, v in zip(texts, found)]
        return np.vstack(found) if found else np.zeros((0, 384), dtype=np.float32)
