"""The knowledge base as the rest of the project sees it: open, search, refresh."""

from __future__ import annotations

import threading
from typing import Sequence

from kb.embeddings import Embedder, create_embedder
from kb.lexical import DutchAnalyzer, LexicalIndex
from kb.query import QueryPlan, plan_query
from kb.retriever import HybridRetriever, Mode, RetrievalParams, passage_text
from kb.store import ChromaStore, IndexInfo
from kb.types import Chunk, Hit
from opgavewijzer.errors import EmbeddingMismatchError, IndexMissingError
from opgavewijzer.settings import Settings


def retrieval_params(settings: Settings) -> RetrievalParams:
    """Retrieval parameters taken from the settings."""
    return RetrievalParams(
        candidates=settings.retrieval.candidates,
        rrf_k=settings.retrieval.rrf_k,
        bm25_weight=settings.retrieval.bm25_weight,
        dense_weight=settings.retrieval.dense_weight,
        dedup_threshold=settings.retrieval.dedup_threshold,
    )


class KnowledgeBase:
    """A loaded index: its chunks in memory for BM25, its vectors in Chroma.

    Safe to share between chat sessions: searches only read, and a reload
    after a new build swaps the whole state in one assignment.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: ChromaStore | None = None) -> None:
        self.settings = settings
        self.embedder = embedder if embedder is not None else create_embedder(settings)
        self.store = store if store is not None else ChromaStore(settings)
        self._analyzer = DutchAnalyzer(settings.retrieval.stemmer)
        self._lock = threading.Lock()
        self._state: tuple[IndexInfo, list[Chunk], HybridRetriever] | None = None
        self.refresh()

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> "KnowledgeBase":
        """Open the active index; raises :class:`IndexMissingError` if none was built."""
        return cls(settings, embedder)

    def refresh(self) -> bool:
        """Reload if another build became active since the last load; returns True if it did."""
        info = self.store.active_info()
        if info is None:
            raise IndexMissingError("no index has been built yet: run 'opgavewijzer ingest' first")
        if info.embedding_model != self.embedder.name:
            raise EmbeddingMismatchError(
                f"the index was built with '{info.embedding_model}' but '{self.embedder.name}' is configured; "
                "rebuild with 'opgavewijzer ingest --rebuild' or configure the same model"
            )
        with self._lock:
            if self._state is not None and self._state[0].collection == info.collection:
                return False
            chunks, _ = self.store.load(info.collection)
            lexical = LexicalIndex([passage_text(c) for c in chunks], self._analyzer)

            def dense(vector, n, doc_ids, _name=info.collection):  # noqa: ANN001, ANN202
                return self.store.query(_name, vector, n, doc_ids)

            retriever = HybridRetriever(chunks, lexical, dense, retrieval_params(self.settings))
            self._state = (info, chunks, retriever)
            return True

    @property
    def info(self) -> IndexInfo:
        """Description of the loaded build (documents, model, time)."""
        assert self._state is not None
        return self._state[0]

    @property
    def chunks(self) -> list[Chunk]:
        """All chunks of the loaded build, in document order."""
        assert self._state is not None
        return self._state[1]

    def chunk(self, chunk_id: str) -> Chunk | None:
        """Look up one chunk by id."""
        return next((c for c in self.chunks if c.chunk_id == chunk_id), None)

    def search(
        self, query: str, top_k: int | None = None, doc_ids: Sequence[str] | None = None, mode: Mode = "hybrid"
    ) -> list[Hit]:
        """Rank passages for one question."""
        return self.search_many([query], top_k, doc_ids, mode)[0]

    def search_many(
        self, queries: Sequence[str], top_k: int | None = None, doc_ids: Sequence[str] | None = None, mode: Mode = "hybrid"
    ) -> list[list[Hit]]:
        """Rank passages for several questions, embedding them in one batch."""
        assert self._state is not None
        retriever = self._state[2]
        k = top_k or self.settings.retrieval.top_k
        plans = [self.plan(q) if not doc_ids else QueryPlan(q, tuple(doc_ids)) for q in queries]
        texts = [p.text for p in plans]
        vectors = self.embedder.embed_queries(texts) if mode != "bm25" and texts else [None] * len(texts)
        return [retriever.search(p.text, v, k, p.doc_ids or None, mode) for p, v in zip(plans, vectors)]

    def plan(self, query: str) -> QueryPlan:
        """How a question will be searched: the text matched and the documents searched."""
        if not self.settings.retrieval.source_detection:
            return QueryPlan(query)
        aliases = {d.doc_id: d.aliases for d in self.info.documents.values() if d.aliases}
        return plan_query(query, aliases)
