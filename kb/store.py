"""The Chroma store, with atomic switching between index builds.

Every build writes a fresh collection (``<prefix>-b<time>``). Only when it is
complete does a small pointer collection (``<prefix>-active``) switch to it, in
one metadata update. A build that fails or is killed halfway therefore leaves
the previous index untouched and in use; its half-written collection is
removed by the next build. The same scheme works for a local
``PersistentClient`` and for a Chroma server (``HttpClient``).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence
from urllib.parse import urlparse

import numpy as np

from kb.types import Chunk
from opgavewijzer.errors import ConfigError, KnowledgeBaseError, StoreUnavailableError
from opgavewijzer.settings import Settings

log = logging.getLogger(__name__)

_BATCH = 256  # Chroma accepts larger batches, but smaller ones keep memory flat.


@dataclass(frozen=True)
class DocumentRecord:
    """What the index knows about one ingested document."""

    doc_id: str
    file: str
    title: str
    sha256: str
    chunks: int
    words: int = 0
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IndexInfo:
    """Description of one complete build; stored with the active pointer."""

    collection: str
    embedding_model: str
    pipeline: str  # version and parameters of cleaning and chunking
    built_at: str
    documents: dict[str, DocumentRecord]
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise for the pointer's metadata."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> "IndexInfo":
        """Parse what :meth:`to_json` wrote."""
        data = json.loads(raw)
        docs = {k: DocumentRecord(**v) for k, v in data.pop("documents").items()}
        return cls(documents=docs, **data)


def connect(settings: Settings) -> Any:
    """Open a Chroma client: a server when ``chroma_url`` is set, else a local folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.store.chroma_url:
        url = urlparse(settings.store.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(f"chroma_url '{settings.store.chroma_url}' is not an http(s) URL")
        try:
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # connection errors come in several types
            raise StoreUnavailableError(f"Chroma server at {settings.store.chroma_url} is not reachable: {exc}") from exc
        return client
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class ChromaStore:
    """Versioned collections of chunks and their embeddings, behind one pointer."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self._prefix = settings.store.collection
        self._client = client if client is not None else connect(settings)
        self._pointer_name = f"{self._prefix}-active"

    # --- the pointer ------------------------------------------------------
    def _pointer(self) -> Any:
        return self._client.get_or_create_collection(
            self._pointer_name, metadata={"role": "pointer"}, embedding_function=None
        )

    def active_info(self) -> IndexInfo | None:
        """Describe the active build, or ``None`` when nothing was built yet."""
        meta = self._pointer().metadata or {}
        raw = meta.get("info")
        return IndexInfo.from_json(raw) if raw else None

    def activate(self, info: IndexInfo) -> None:
        """Make ``info.collection`` the active build, then drop every other build."""
        # One metadata update is one transaction: readers see the old or the new build.
        self._pointer().modify(metadata={"role": "pointer", "info": info.to_json()})
        self.collect_garbage(keep=info.collection)

    def collect_garbage(self, keep: str | None = None) -> list[str]:
        """Remove build collections that are not active (old or half-written ones)."""
        keep = keep or (info.collection if (info := self.active_info()) else None)
        removed = []
        for col in self._client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(f"{self._prefix}-b") and name != keep:
                self._client.delete_collection(name)
                removed.append(name)
        return removed

    # --- builds -----------------------------------------------------------
    def new_build(self) -> str:
        """Create an empty collection for a new build and return its name."""
        name = f"{self._prefix}-b{time.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(3)}"
        self._client.create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        return name

    def add(self, collection: str, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        """Write chunks with their embeddings (always our own: Chroma must never embed)."""
        if len(chunks) != len(embeddings):
            raise KnowledgeBaseError(f"{len(chunks)} chunks but {len(embeddings)} embeddings")
        col = self._client.get_collection(collection, embedding_function=None)
        for i in range(0, len(chunks), _BATCH):
            part = chunks[i : i + _BATCH]
            col.add(
                ids=[c.chunk_id for c in part],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
                embeddings=np.asarray(embeddings[i : i + _BATCH], dtype=np.float32).tolist(),
            )

    def load(
        self, collection: str, doc_ids: Sequence[str] | None = None, with_embeddings: bool = False
    ) -> tuple[list[Chunk], np.ndarray | None]:
        """Read chunks (and optionally their embeddings) back, in document order."""
        col = self._get(collection)
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        got = col.get(where=where, include=include)
        chunks = [Chunk.from_metadata(t, m) for t, m in zip(got["documents"], got["metadatas"])]
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].doc_id, chunks[i].ordinal))
        chunks = [chunks[i] for i in order]
        vectors = None
        if with_embeddings:
            raw = got["embeddings"]
            vectors = np.asarray(raw, dtype=np.float32)[order] if len(raw) else np.zeros((0, 0), np.float32)
        return chunks, vectors

    def query(
        self, collection: str, embedding: np.ndarray, n: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks to one query embedding: ``(chunk_id, cosine similarity)``."""
        col = self._get(collection)
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        count = col.count()
        if count == 0:
            return []
        got = col.query(
            query_embeddings=[np.asarray(embedding, dtype=np.float32).tolist()],
            n_results=min(n, count),
            where=where,
            include=["distances"],
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(got["ids"][0], got["distances"][0])]

    def _get(self, collection: str) -> Any:
        try:
            return self._client.get_collection(collection, embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError or ValueError by version
            raise KnowledgeBaseError(f"collection '{collection}' is missing from the store: {exc}") from exc
