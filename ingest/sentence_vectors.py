"""Sentence vectors at ingest: every sentence of a build gets its e5 passage vector, stored with the build.

The answer stages score candidate sentences by meaning (cosine between the
question and the sentence). Embedding a sentence at question time would cost
tens of milliseconds each, so ingest embeds every sentence once, with the same
model and ``passage:`` side as the passages, into the build's companion
collection (see ``kb.store``). A sentence's text is exactly what
:class:`kb.sentences.SentenceIndex` shows for it, so the vector belongs to the
quoted text. Vectors of documents that did not change are copied from the
previous build; only new or changed documents are embedded.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np

from kb.embeddings import Embedder
from kb.sentences import SentenceIndex
from kb.store import ChromaStore, SentenceKey
from kb.types import Chunk

Tick = Callable[[int], None]


def sentence_texts(chunks: Sequence[Chunk]) -> dict[SentenceKey, str]:
    """Every sentence of ``chunks`` (in document order) by its key, with the text the index shows for it."""
    index = SentenceIndex.build(chunks)
    return {(s.doc_id, s.start, s.end): s.text for sentences in index.by_doc.values() for s in sentences}


def write_sentence_vectors(
    store: ChromaStore,
    collection: str,
    needed: Mapping[SentenceKey, str],
    have: Mapping[SentenceKey, np.ndarray],
    embedder: Embedder | None,
    batch_size: int,
    tick: Tick | None = None,
) -> tuple[int, int]:
    """Store a vector for each sentence of ``needed``: copied from ``have`` or embedded now.

    Without an embedder (a removal), sentences that have no vector yet stay
    without one. Returns ``(stored, embedded)``.
    """
    kept = [k for k in needed if k in have]
    if kept:
        store.add_sentence_vectors(collection, kept, np.stack([have[k] for k in kept]))
    missing = [k for k in needed if k not in have] if embedder is not None else []
    # A sentence a document repeats (a recurring line) is embedded once.
    keys_of: dict[str, list[SentenceKey]] = {}
    for key in missing:
        keys_of.setdefault(needed[key], []).append(key)
    unique = list(keys_of)
    for i in range(0, len(unique), batch_size):
        batch = unique[i : i + batch_size]
        vectors = np.asarray(embedder.embed_passages(batch), dtype=np.float32)  # type: ignore[union-attr]
        pairs = [(key, vector) for text, vector in zip(batch, vectors) for key in keys_of[text]]
        store.add_sentence_vectors(collection, [k for k, _ in pairs], np.stack([v for _, v in pairs]))
        if tick is not None:
            tick(len(batch))
    return len(kept) + len(missing), len(unique)


def unique_missing(needed: Mapping[SentenceKey, str], have: Mapping[SentenceKey, np.ndarray]) -> int:
    """How many sentence texts :func:`write_sentence_vectors` will embed (for progress)."""
    return len({text for key, text in needed.items() if key not in have})
