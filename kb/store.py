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
from typing import Any, Sequence
from urllib.parse import urlparse

import numpy as np

from kb.types import Chunk, DocumentRecord, IndexInfo  # the records live in kb.types; importable from here
from opgavewijzer.errors import ConfigError, KnowledgeBaseError, StoreUnavailableError
from opgavewijzer.settings import Settings

log = logging.getLogger(__name__)

_BATCH = 256  # Chroma accepts larger batches, but smaller ones keep memory flat.
HNSW_SEARCH_EF = 200  # Chroma's default (10) is approximate: answers could differ between runs; 200 was exact in tests
LEASE_S = 120.0  # a server renews its build lease every poll (≤ LEASE_S/3); a dead server's lapses after LEASE_S
_LOAD_PAGE = 1000  # records per read when a build is loaded (see ChromaStore.load)
SENTENCES = "-sentences"  # suffix of a build's companion collection of sentence vectors
SentenceKey = tuple[str, int, int]  # doc id, start and end offset of a sentence in the cleaned document


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
        self._grace_s = settings.store.build_grace_s
        # A build is never changed once active, so its handle and size are fetched once
        # (against a Chroma server each is a round trip, on every search otherwise).
        self._handles: dict[str, Any] = {}
        self._counts: dict[str, int] = {}

    @property
    def client(self) -> Any:
        """The Chroma client (local or server), for other records kept in the same store."""
        return self._client

    @property
    def prefix(self) -> str:
        """The name prefix of every collection of this index."""
        return self._prefix

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
        """Make ``info.collection`` the active build, then drop the builds nobody needs any more."""
        pointer = self._pointer()
        meta = pointer.metadata or {}
        now = time.time()
        # When each earlier build was replaced: servers that have not polled yet still read it.
        retired = {k: t for k, t in json.loads(meta.get("retired") or "{}").items() if now - t < self._grace_s}
        if meta.get("info"):
            previous = IndexInfo.from_json(meta["info"]).collection
            if previous != info.collection:
                retired[previous] = now
        # One metadata update is one transaction: readers see the old or the new build.
        pointer.modify(metadata={"role": "pointer", "info": info.to_json(), "retired": json.dumps(retired)})
        self.collect_garbage(keep=info.collection)

    def collect_garbage(self, keep: str | None = None) -> list[str]:
        """Remove builds that are not active, not in use and older than the grace period.

        Old and half-written builds are both removed this way. A build stays while
        a server holds a lease on it, and for ``build_grace_s`` seconds after it was
        made (an ingest elsewhere may still be writing it) and after it was replaced
        (a server may not have noticed yet).
        """
        meta = self._pointer().metadata or {}
        if keep is None and meta.get("info"):
            keep = IndexInfo.from_json(meta["info"]).collection
        retired = json.loads(meta.get("retired") or "{}")
        in_use = self.builds_in_use()
        now = time.time()
        removed = []
        for col in self._client.list_collections():
            name = col if isinstance(col, str) else col.name
            build = name.removesuffix(SENTENCES)  # a build's sentence vectors go with it
            if not name.startswith(f"{self._prefix}-b") or build == keep or build in in_use:
                continue
            made = _created(col if not isinstance(col, str) else self._client.get_collection(name))
            if now - max(made, retired.get(build, 0.0)) < self._grace_s:
                continue
            self._client.delete_collection(name)
            self._handles.pop(name, None)
            removed.append(name)
        return removed

    # --- leases: which builds running servers use ----------------------------
    def _leases(self) -> Any:
        return self._client.get_or_create_collection(
            f"{self._prefix}-leases", metadata={"role": "leases"}, embedding_function=None
        )

    def hold(self, holder: str, collection: str, seconds: float = LEASE_S) -> None:
        """Record that ``holder`` (one server) reads ``collection``, for the next ``seconds``."""
        # Chroma keeps records, not bare metadata: a one-number vector stands in for an embedding.
        self._leases().upsert(
            ids=[holder], embeddings=[[0.0]], metadatas=[{"collection": collection, "expires": time.time() + seconds}]
        )

    def release(self, holder: str) -> None:
        """Drop ``holder``'s lease (the server stops)."""
        self._leases().delete(ids=[holder])

    def builds_in_use(self) -> set[str]:
        """Builds that some server holds an unexpired lease on."""
        now = time.time()
        got = self._leases().get(include=["metadatas"])
        return {str(m["collection"]) for m in got["metadatas"] if m and float(m.get("expires", 0)) > now}

    # --- builds -----------------------------------------------------------
    def new_build(self) -> str:
        """Create an empty collection for a new build (and one for its sentence vectors); return its name."""
        name = f"{self._prefix}-b{time.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(3)}"
        for part in (name, name + SENTENCES):
            self._client.create_collection(
                part, metadata={"hnsw:space": "cosine", "hnsw:search_ef": HNSW_SEARCH_EF,
                                "hnsw:construction_ef": HNSW_SEARCH_EF, "created": time.time()}, embedding_function=None
            )
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

    def add_sentence_vectors(self, collection: str, keys: Sequence[SentenceKey], vectors: np.ndarray) -> None:
        """Write the vectors of sentences (by doc id and offsets) into a build's companion collection."""
        col = self._get(collection + SENTENCES)
        for i in range(0, len(keys), _BATCH):
            part = keys[i : i + _BATCH]
            col.add(ids=[f"{d}:{a}:{b}" for d, a, b in part],
                    metadatas=[{"doc_id": d, "start": a, "end": b} for d, a, b in part],
                    embeddings=np.asarray(vectors[i : i + _BATCH], dtype=np.float32).tolist())

    def load_sentence_vectors(self, collection: str, doc_ids: Sequence[str] | None = None) -> dict[SentenceKey, np.ndarray]:
        """The sentence vectors of a build by sentence; empty for a build made before they were stored."""
        try:
            col = self._get(collection + SENTENCES)
        except KnowledgeBaseError:
            return {}
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        found: dict[SentenceKey, np.ndarray] = {}
        offset = 0
        while True:  # in pages, as in load()
            got = col.get(where=where, include=["metadatas", "embeddings"], limit=_LOAD_PAGE, offset=offset)
            for meta, vector in zip(got["metadatas"], got["embeddings"]):
                found[(str(meta["doc_id"]), int(meta["start"]), int(meta["end"]))] = np.asarray(vector, np.float32)
            offset += len(got["ids"])
            if len(got["ids"]) < _LOAD_PAGE:
                return found

    def count(self, collection: str) -> int:
        """Number of passages in a build."""
        return int(self._get(collection).count())

    def load(
        self, collection: str, doc_ids: Sequence[str] | None = None, with_embeddings: bool = False
    ) -> tuple[list[Chunk], np.ndarray | None]:
        """Read chunks (and optionally their embeddings) back, in document order."""
        col = self._get(collection)
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        chunks: list[Chunk] = []
        raw: list[Any] = []
        # In pages: Chroma keeps memory in proportion to the largest reply; one reply of
        # 21,200 passages left a server 400 MB larger, pages of 1,000 about 100 MB.
        while True:
            got = col.get(where=where, include=include, limit=_LOAD_PAGE, offset=len(chunks))
            chunks += [Chunk.from_metadata(t, m) for t, m in zip(got["documents"], got["metadatas"])]
            if with_embeddings:
                raw += list(got["embeddings"])
            if len(got["ids"]) < _LOAD_PAGE:
                break
        if doc_ids is None:
            self._counts[collection] = len(chunks)  # so that searching never asks Chroma to count
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].doc_id, chunks[i].ordinal))
        chunks = [chunks[i] for i in order]
        vectors = None
        if with_embeddings:
            vectors = np.asarray(raw, dtype=np.float32)[order] if len(raw) else np.zeros((0, 0), np.float32)
        return chunks, vectors

    def query(
        self, collection: str, embedding: np.ndarray, n: int, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks to one query embedding: ``(chunk_id, cosine similarity)``."""
        col = self._get(collection)
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        count = self._counts.get(collection)
        if count is None:
            count = self._counts[collection] = col.count()
        if count == 0:
            return []
        try:
            got = col.query(
                query_embeddings=[np.asarray(embedding, dtype=np.float32).tolist()],
                n_results=min(n, count),
                where=where,
                include=["distances"],
            )
        except Exception as exc:  # the build was removed since its handle was fetched
            self._handles.pop(collection, None)
            raise KnowledgeBaseError(f"collection '{collection}' is missing from the store: {exc}") from exc
        return [(cid, 1.0 - float(d)) for cid, d in zip(got["ids"][0], got["distances"][0])]

    def _get(self, collection: str) -> Any:
        handle = self._handles.get(collection)
        if handle is not None:
            return handle
        try:
            handle = self._client.get_collection(collection, embedding_function=None)
        except Exception as exc:  # chromadb raises NotFoundError or ValueError by version
            raise KnowledgeBaseError(f"collection '{collection}' is missing from the store: {exc}") from exc
        self._handles[collection] = handle
        return handle


def _created(col: Any) -> float:
    """When a build was made: its metadata, or the time in its name for builds made before that."""
    made = (col.metadata or {}).get("created")
    if made is not None:
        return float(made)
    try:
        return time.mktime(time.strptime(col.name.rsplit("-b", 1)[-1][:14], "%Y%m%d%H%M%S"))
    except ValueError:
        return 0.0
