"""Whether a supporting sentence is about the role or the situation's subject, by meaning (e5).

Shared words miss what a sentence is about: "De lijn blijft leidend bij
toewijzing van capaciteit" shares no word with "afdelingshoofd die mensen
uitleent aan opgaven", and a definition shares many with almost anything.
Every sentence of a build has its e5 vector (stored at ingest, see
:mod:`kb.sentences`); a draft embeds what it is *about* once, as queries:

* the role ("ambtelijk opdrachtgever", "HR-adviseur hr"),
* the situation's subject (its opgave, challenge and the documents' words
  for its tension).

A quoted span's meaning is the cosine of its sentences' mean vector with the
closest of those queries. A "houvast" or reflection quote must reach
:data:`assistant.leeropdracht.material.MEANING_FLOOR`; without sentence
vectors or an embedder (a fake knowledge base in a test) there is no
judgement by meaning and the word-based floor alone decides.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence

import numpy as np

from kb.types import Chunk, Hit


class _Chunks(Protocol):
    def chunk(self, chunk_id: str) -> Chunk | None:
        """The passage with this id."""
        ...


class QuoteMeaning:
    """Cosines of quoted spans with what the draft is about (the role, the subject); one per draft."""

    def __init__(self, kb: _Chunks, about: Sequence[str]) -> None:
        self._kb = kb
        self._sentences: Any = getattr(kb, "sentences", None)
        embedder: Any = getattr(kb, "embedder", None)
        texts = [t for t in (" ".join(a.split()) for a in about) if t]
        self._queries: np.ndarray | None = None
        if self._sentences is not None and embedder is not None and texts:
            self._queries = np.asarray(embedder.embed_queries(texts), dtype=np.float32)
        self._cache: dict[tuple[str, int, int], float | None] = {}

    @property
    def active(self) -> bool:
        """True when spans can be judged by meaning."""
        return self._queries is not None

    def of(self, hit: Hit, start: int, end: int) -> float | None:
        """The best cosine of the span ``hit.text[start:end]`` with a query; None when it has no vector."""
        if self._queries is None:
            return None
        key = (hit.chunk_id, start, end)
        if key not in self._cache:
            self._cache[key] = self._cosine(hit, start, end)
        return self._cache[key]

    def _cosine(self, hit: Hit, start: int, end: int) -> float | None:
        chunk = self._kb.chunk(hit.chunk_id)
        if chunk is None or self._queries is None:
            return None
        lo, hi = chunk.start + start, chunk.start + end
        vectors = [v for s in self._sentences.of_chunk(chunk.doc_id, chunk.chunk_id) if s.start < hi and lo < s.end
                   and (v := self._sentences.vector(s)) is not None]
        if not vectors:
            return None
        mean = np.sum(vectors, axis=0)
        mean = mean / max(float(np.linalg.norm(mean)), 1e-12)
        return float(np.max(self._queries @ mean))
