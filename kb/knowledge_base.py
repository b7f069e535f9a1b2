"""The knowledge base as the rest of the project sees it: open, search, refresh, watch."""

from __future__ import annotations

import copy
import logging
import threading
from typing import Callable, NamedTuple, Sequence

from kb.embeddings import Embedder, create_embedder
from kb.lexical import DutchAnalyzer, LexicalIndex
from kb.query import QueryPlan, QueryPlanner
from kb.retriever import HybridRetriever, Mode, RetrievalParams, passage_text
from kb.sentence_ranking import SentenceRanking
from kb.sentences import SentenceIndex
from kb.store import ChromaStore, IndexInfo
from kb.types import Chunk, Hit
from kb.watcher import IndexWatcher
from opgavewijzer.errors import EmbeddingMismatchError, IndexMissingError
from opgavewijzer.settings import Settings

log = logging.getLogger(__name__)


def retrieval_params(settings: Settings) -> RetrievalParams:
    """Retrieval parameters taken from the settings."""
    return RetrievalParams(
        candidates=settings.retrieval.candidates,
        rrf_k=settings.retrieval.rrf_k,
        bm25_weight=settings.retrieval.bm25_weight,
        dense_weight=settings.retrieval.dense_weight,
        sentence_weight=settings.retrieval.sentence_weight if settings.retrieval.sentence_ranking else 0.0,
        dedup_threshold=settings.retrieval.dedup_threshold,
    )


class _Loaded(NamedTuple):
    """One loaded build: everything a search reads, made once per build and swapped in whole."""

    info: IndexInfo
    chunks: list[Chunk]
    retriever: HybridRetriever
    sentences: SentenceIndex
    planner: QueryPlanner  # the documents' names, compiled for routing


class KnowledgeBase:
    """A loaded index: its chunks in memory for BM25, its passage vectors in Chroma, its sentence vectors in memory.

    Safe to share between chat sessions: searches only read, and a reload
    after a new build swaps the whole state in one assignment. Until then,
    searches go on from the build loaded before.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None, store: ChromaStore | None = None) -> None:
        self.settings = settings
        self.embedder = embedder if embedder is not None else create_embedder(settings)
        self.store = store if store is not None else ChromaStore(settings)
        self._analyzer = DutchAnalyzer(settings.retrieval.stemmer)
        self._lock = threading.Lock()
        self._state: _Loaded | None = None
        self._preparers: list[Callable[[KnowledgeBase], object]] = []
        self._watcher: IndexWatcher | None = None
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
        if self._state is not None and self._state.info.collection == info.collection:
            return False
        with self._lock:  # one load at a time; searches meanwhile use the build loaded before
            if self._state is not None and self._state.info.collection == info.collection:
                return False
            chunks, _ = self.store.load(info.collection)
            lexical = LexicalIndex([passage_text(c) for c in chunks], self._analyzer)

            def dense(vector, n, doc_ids, _name=info.collection):  # noqa: ANN001, ANN202
                return self.store.query(_name, vector, n, doc_ids)

            # Loaded once per build (about 0.3 s, 3.6 MB for the shipped corpus) and shared:
            # the sentence ranking searches with them, the answer engine quotes from them.
            sentences = SentenceIndex.load(self.store, info.collection, chunks)
            ranking = SentenceRanking.build(sentences, chunks)
            retriever = HybridRetriever(chunks, lexical, dense, retrieval_params(self.settings), ranking)
            state = _Loaded(info, chunks, retriever, sentences, QueryPlanner(info.documents))
            if self._state is not None:
                self._prepare(state)
            self._state = state
            return True

    def add_preparer(self, prepare: Callable[["KnowledgeBase"], object]) -> None:
        """Have ``prepare(kb)`` run on every new build before it is swapped in.

        ``kb`` then shows the new build (``info``, ``chunks``, ``search``) while
        everyone else still sees the old one, so what a caller derives from a build
        (the answer engine's term weights, say) is ready when the build goes live.
        """
        self._preparers.append(prepare)

    def _prepare(self, state: _Loaded) -> None:
        staged = copy.copy(self)
        staged._state = state
        for prepare in self._preparers:
            try:
                prepare(staged)
            except Exception:  # the caller can still derive it on first use; the build itself is fine
                log.exception("preparing build %s failed", state.info.collection)

    def watch(self, interval_s: float | None = None) -> IndexWatcher:
        """Poll the active-build pointer in the background and load a new build when one appears.

        Also holds a lease on the loaded build in the store, so that an ingest on
        any machine leaves it alone while this process uses it. Idempotent.
        """
        with self._lock:
            if self._watcher is None:
                interval = self.settings.store.poll_s if interval_s is None else interval_s
                self._watcher = IndexWatcher(self.refresh, lambda: self.info.collection, self.store, interval).start()
            return self._watcher

    def close(self) -> None:
        """Stop watching (and release the lease); searching still works."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop()

    @property
    def info(self) -> IndexInfo:
        """Description of the loaded build (documents, model, time)."""
        assert self._state is not None
        return self._state.info

    @property
    def chunks(self) -> list[Chunk]:
        """All chunks of the loaded build, in document order."""
        assert self._state is not None
        return self._state.chunks

    @property
    def sentences(self) -> SentenceIndex:
        """The sentences of the loaded build with their stored vectors (see :mod:`kb.sentences`)."""
        assert self._state is not None
        return self._state.sentences

    def chunk(self, chunk_id: str) -> Chunk | None:
        """Look up one chunk by id (constant time)."""
        assert self._state is not None
        return self._state.retriever.chunk(chunk_id)

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
        retriever = self._state.retriever
        k = top_k or self.settings.retrieval.top_k
        plans = [self.plan(q) for q in queries]
        if doc_ids:
            # An explicit scope wins over the documents the question names, but the mention
            # ("volgens de NSOB") is still taken out of the matched text: it only says where to look.
            plans = [QueryPlan(p.text, tuple(doc_ids)) for p in plans]
        texts = [p.text for p in plans]
        vectors = self.embedder.embed_queries(texts) if mode != "bm25" and texts else [None] * len(texts)
        return [retriever.search(p.text, v, k, p.doc_ids or None, mode) for p, v in zip(plans, vectors)]

    def correct(self, text: str) -> str:
        """A question with its misspelt words repaired against the words of the loaded build."""
        assert self._state is not None
        return self._state.retriever.correct(text)

    def plan(self, query: str) -> QueryPlan:
        """How a question will be searched: the text matched and the documents searched."""
        if not self.settings.retrieval.source_detection:
            return QueryPlan(query)
        state = self._state
        assert state is not None
        retriever = state.retriever

        def best_fit(text: str) -> str | None:
            """The document whose passage matches ``text`` best by words alone (cheap: no embedding)."""
            hits = retriever.search(text, None, 1, None, "bm25")
            return hits[0].doc_id if hits else None

        return state.planner.plan(query, best_fit)
