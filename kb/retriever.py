"""Hybrid retrieval: BM25, dense and sentence rankings fused with reciprocal rank fusion.

Either of BM25 and the passage vectors alone misses questions the other finds
(measured on the dev set: see ``eval/``), so both run and their ranks are
fused; a third ranking scores a passage by its best sentence
(:mod:`kb.sentence_ranking`), so that one sentence answering a reworded
question is not diluted by the rest of its passage. Fusion by rank rather than
by score avoids calibrating incomparable score scales.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Literal, Sequence

import numpy as np

from kb.lexical import LexicalIndex
from kb.sentence_ranking import SentenceRanking
from kb.types import Chunk, Hit

Mode = Literal["hybrid", "bm25", "dense", "sentences"]
# The rankings that need a query vector.
_VECTOR_MODES = ("hybrid", "dense", "sentences")
DenseSearch = Callable[[np.ndarray, int, Sequence[str] | None], list[tuple[str, float]]]

_SHINGLE_RE = re.compile(r"\w+")


def passage_text(chunk: Chunk) -> str:
    """The text that is embedded and indexed for a chunk: a short header, then the passage.

    The header (document title and section path) lets a passage match questions
    that name the document or the chapter without repeating it in every sentence.
    """
    header = chunk.title if not chunk.section else f"{chunk.title} — {chunk.section}"
    return f"{header}\n{chunk.text}"


def in_front(front: Sequence[Hit], hits: Sequence[Hit], length: int) -> list[Hit]:
    """``front`` followed by the hits not already in it, cut to ``length`` and ranked anew.

    Ranks follow the new order, so that [n] numbering and the search step agree.
    """
    present = {h.chunk_id for h in front}
    merged = [*front, *(h for h in hits if h.chunk_id not in present)][:length]
    return [replace(h, rank=i + 1) for i, h in enumerate(merged)]


def shingles(text: str, size: int = 5) -> frozenset[tuple[str, ...]]:
    """Word n-grams of a text, for near-duplicate detection."""
    words = _SHINGLE_RE.findall(text.lower())
    if len(words) < size:
        return frozenset([tuple(words)])
    # zip over shifted views builds the same n-grams as slicing at every position, in C.
    return frozenset(zip(*(words[i:] for i in range(size))))


def jaccard(a: frozenset, b: frozenset) -> float:
    """Jaccard overlap of two sets (0 when both are empty)."""
    if not a and not b:
        return 0.0
    # The union's size from the intersection's: the same count without building a second set.
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def reciprocal_rank_fusion(
    rankings: dict[str, list[str]], weights: dict[str, float], k: int
) -> list[tuple[str, float]]:
    """Fuse ranked id lists: ``score(id) = sum_r w_r / (k + rank_r(id))``, ranks from 1."""
    fused: dict[str, float] = {}
    for name, ids in rankings.items():
        w = weights.get(name, 1.0)
        for rank, cid in enumerate(ids, start=1):
            fused[cid] = fused.get(cid, 0.0) + w / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class RetrievalParams:
    """Tunable parameters of one search."""

    candidates: int = 40
    # With three rankings a passage that one of them puts first should count: k = 10 beat
    # k = 60 on every metric of dev, holdout and both training sets (5 to 12 measure alike).
    rrf_k: int = 10
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    sentence_weight: float = 1.0  # 0: hybrid search leaves the sentence ranking out
    dedup_threshold: float = 0.8


class HybridRetriever:
    """Searches a fixed set of chunks with BM25, dense similarity, sentence similarity, or all fused."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        lexical: LexicalIndex,
        dense: DenseSearch,
        params: RetrievalParams,
        sentences: SentenceRanking | None = None,
    ) -> None:
        """``sentences`` ranks ``chunks`` (same order) by their sentences; ``None`` for a build without sentence vectors."""
        self._chunks = list(chunks)
        # A chunk id is a hash of the whole passage, computed on every access: once per build here,
        # instead of for each of the hundred-odd candidates of every search.
        self._ids = [c.chunk_id for c in self._chunks]
        self._pos = {cid: i for i, cid in enumerate(self._ids)}
        self._by_doc: dict[str, list[int]] = {}
        for i, c in enumerate(self._chunks):
            self._by_doc.setdefault(c.doc_id, []).append(i)
        self._lexical = lexical
        self._dense = dense
        self._sentences = sentences
        self.params = params

    def correct(self, text: str) -> str:
        """``text`` with typos repaired against this build's vocabulary (see :meth:`LexicalIndex.correct_text`)."""
        return self._lexical.correct_text(text)

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The chunk with this id, found in constant time."""
        pos = self._pos.get(chunk_id)
        return None if pos is None else self._chunks[pos]

    def _allowed(self, doc_ids: Sequence[str]) -> np.ndarray:
        """Boolean mask of the chunks of ``doc_ids``, set from each document's positions
        rather than by comparing every chunk's document id."""
        mask = np.zeros(len(self._chunks), dtype=bool)
        for doc_id in doc_ids:
            mask[self._by_doc.get(doc_id, [])] = True
        return mask

    def _codes_first(
        self, query: str, fused: list[tuple[str, float]], allowed: np.ndarray | None
    ) -> list[tuple[str, float]]:
        """The passages that hold the question's codes ("AB123") first, most codes first.

        A code names one place exactly; the dense ranking sees "AB123" and "AB124"
        as the same text, so fusion alone could rank another page's code above it.
        """
        held = {i: n for i, n in self._lexical.code_hits(query).items() if allowed is None or allowed[i]}
        if not held:
            return fused
        score = dict(fused)
        order = {cid: r for r, (cid, _) in enumerate(fused)}
        front = sorted(held, key=lambda i: (-held[i], order.get(self._ids[i], len(order)), i))
        ids = [self._ids[i] for i in front]
        present = set(ids)
        return [(cid, score.get(cid, 0.0)) for cid in ids] + [(c, s) for c, s in fused if c not in present]

    def _rankings(
        self, query: str, query_vector: np.ndarray | None, doc_ids: Sequence[str] | None,
        allowed: np.ndarray | None, mode: Mode,
    ) -> tuple[dict[str, list[str]], dict[str, float], dict[str, float]]:
        """The ranked chunk ids of every ranking ``mode`` uses, with the BM25 scores and dense similarities."""
        p = self.params
        rankings: dict[str, list[str]] = {}
        lexical_scores: dict[str, float] = {}
        similarity: dict[str, float] = {}
        if mode in ("hybrid", "bm25"):
            found = self._lexical.search(query, p.candidates, allowed)
            rankings["bm25"] = [self._ids[i] for i, _ in found]
            lexical_scores = {self._ids[i]: s for i, s in found}
        if mode in ("hybrid", "dense"):
            found_dense = [(cid, s) for cid, s in self._dense(query_vector, p.candidates, doc_ids) if cid in self._pos]
            rankings["dense"] = [cid for cid, _ in found_dense]
            similarity = dict(found_dense)
        if self._sentences is not None and (mode == "sentences" or (mode == "hybrid" and p.sentence_weight > 0)):
            found_sentences = self._sentences.search(query_vector, p.candidates, allowed)
            rankings["sentences"] = [self._ids[i] for i, _ in found_sentences]
        return rankings, lexical_scores, similarity

    def search(
        self,
        query: str,
        query_vector: np.ndarray | None,
        top_k: int,
        doc_ids: Sequence[str] | None = None,
        mode: Mode = "hybrid",
    ) -> list[Hit]:
        """Rank chunks for one question; ``query_vector`` is needed unless ``mode='bm25'``."""
        p = self.params
        allowed = self._allowed(doc_ids) if doc_ids else None
        if mode in _VECTOR_MODES and query_vector is None:
            raise ValueError(f"{mode} retrieval needs a query vector")
        rankings, lexical_scores, similarity = self._rankings(query, query_vector, doc_ids, allowed, mode)
        weights = {"bm25": p.bm25_weight, "dense": p.dense_weight, "sentences": p.sentence_weight}
        # Weights only balance rankings against each other; one ranking alone keeps its own
        # order (a weight of 0 would otherwise tie every passage).
        fused = reciprocal_rank_fusion(rankings, weights if mode == "hybrid" else {}, p.rrf_k)
        if mode in ("hybrid", "bm25"):
            fused = self._codes_first(query, fused, allowed)
        hits: list[Hit] = []
        kept: list[frozenset] = []
        for cid, score in fused:
            chunk = self._chunks[self._pos[cid]]
            # Computed per query, not cached: a cache grows to every passage ever
            # returned (about 30 KB each), and the few hits of a query take well under 1 ms.
            sh = shingles(chunk.text)
            # Near-duplicates (a passage repeated in a document, or in two
            # documents) waste a slot that a different passage could use.
            if any(jaccard(sh, other) >= p.dedup_threshold for other in kept):
                continue
            kept.append(sh)
            hits.append(
                Hit(
                    rank=len(hits) + 1,
                    doc_id=chunk.doc_id,
                    title=chunk.title,
                    section=chunk.section,
                    page=chunk.page,
                    chunk_id=cid,
                    score=round(score, 6),
                    text=chunk.text,
                    start=chunk.start,
                    end=chunk.end,
                    ordinal=chunk.ordinal,
                    similarity=round(similarity.get(cid, 0.0), 6),
                    lexical=round(lexical_scores.get(cid, 0.0), 6),
                    sources={name: ids.index(cid) + 1 for name, ids in rankings.items() if cid in ids},
                    places=chunk.places,
                )
            )
            if len(hits) >= top_k:
                break
        return hits
