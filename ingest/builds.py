"""Writing one index build: reused passages copied, new ones embedded, counts checked, then switched.

Every sentence's vector is written with the build too (see ``ingest.sentence_vectors``), and, when a
``describe`` stage is given, what it derives from the build's sentences and their vectors (the source guides of
``ingest.guide``) goes into the build's extras.

A build is written into a fresh collection and becomes active only when it
is complete and its passage count is exactly what the documents' records say
(see ``kb.store``). So the status, the run summary and the store always
agree, and a build that fails, or is killed, leaves the previous one in use.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ingest.sentence_vectors import sentence_texts, unique_missing, write_sentence_vectors
from kb.embeddings import Embedder
from kb.retriever import passage_text
from kb.sentences import SentenceIndex
from kb.store import SENTENCES, ChromaStore, DocumentRecord, IndexInfo, SentenceKey
from kb.types import Chunk
from opgavewijzer.errors import KnowledgeBaseError

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
# A stage run on the complete build before it is activated: (sentences with vectors, records, extras) -> extras.
Describe = Callable[[SentenceIndex, Mapping[str, DocumentRecord], Mapping[str, Any]], dict]


def write_build(
    store: ChromaStore,
    previous: IndexInfo | None,
    records: Mapping[str, DocumentRecord],
    fresh: Sequence[Chunk],
    *,
    embedder: Embedder | None,
    embedding_model: str,
    pipeline: str,
    extras: dict,
    batch_size: int,
    progress: Progress | None = None,
    show_progress: bool = False,
    describe: Describe | None = None,
) -> tuple[IndexInfo, int]:
    """Write a build of ``records``: new chunks ``fresh`` embedded, the others copied from ``previous``.

    Returns the activated :class:`IndexInfo` and the number of passages embedded.
    ``progress`` hears the passages embedded; the command line's bar counts the sentences too.
    """
    fresh_docs = {c.doc_id for c in fresh}
    reused = [doc_id for doc_id in records if doc_id not in fresh_docs]
    collection = store.new_build()
    try:
        records = dict(records)
        ids: set[str] = set()
        old_chunks: list[Chunk] = []
        if reused:
            if previous is None:
                raise KnowledgeBaseError(f"no previous build to copy {', '.join(reused)} from")
            old_chunks, old_vectors = store.load(previous.collection, reused, with_embeddings=True)
            _check_unique(old_chunks, ids)
            # A passage carries its document's current title (a maintainer may have renamed it).
            old_chunks = [c if c.title == records[c.doc_id].title else replace(c, title=records[c.doc_id].title)
                          for c in old_chunks]
            # An index written before ids were unique may hold fewer passages than its records say
            # (repeated passages were dropped): the record is set to what is really there.
            for doc_id in reused:
                there = sum(1 for c in old_chunks if c.doc_id == doc_id)
                if there != records[doc_id].chunks:
                    log.warning("%s: %d passages in the store, %d in its record", doc_id, there, records[doc_id].chunks)
                    records[doc_id] = replace(records[doc_id], chunks=there)
            store.add(collection, old_chunks, old_vectors)
        _check_unique(fresh, ids)
        if fresh and embedder is None:
            raise KnowledgeBaseError("new passages but no embedding model")
        have = store.load_sentence_vectors(previous.collection, reused) if reused and previous is not None else {}
        sentences = _embed_into(store, collection, embedder, old_chunks, fresh, have, batch_size,
                                progress, show_progress)
        expected = sum(r.chunks for r in records.values())
        stored = store.count(collection)
        if stored != expected:
            raise KnowledgeBaseError(f"the new build holds {stored} passages, the documents {expected}; it was not activated")
        if store.count(collection + SENTENCES) != sentences:
            raise KnowledgeBaseError(f"the new build holds {store.count(collection + SENTENCES)} sentence vectors, "
                                     f"not {sentences}; it was not activated")
        if describe is not None:
            index = SentenceIndex.build([*old_chunks, *fresh], store.load_sentence_vectors(collection))
            extras = describe(index, records, extras)
        info = IndexInfo(
            collection=collection,
            embedding_model=embedding_model,
            pipeline=pipeline,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            documents=records,
            extras=extras,
        )
        store.activate(info)
    except BaseException:
        # Also on Ctrl-C: the previous build stays active; drop the partial one.
        try:
            store.collect_garbage()
        except Exception:  # the store may be the thing that failed
            log.warning("could not remove the partial build %s", collection)
        raise
    return info, len(fresh)


def _check_unique(chunks: Sequence[Chunk], seen: set[str]) -> None:
    """Refuse a build in which two passages would share an id (Chroma would refuse or drop one)."""
    for chunk in chunks:
        if chunk.chunk_id in seen:
            raise KnowledgeBaseError(f"two passages with the id {chunk.chunk_id} (document {chunk.doc_id})")
        seen.add(chunk.chunk_id)


class _Bar:
    """Progress over everything a build embeds: a callback for the UI and a bar for the command line."""

    def __init__(self, passages: int, total: int, progress: Progress | None, show: bool) -> None:
        self.of_passages, self.passages, self.progress = passages, 0, progress
        self.bar = None
        if show and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="Embedden", unit="tekst")

    def tick(self, n: int) -> None:
        """``n`` more passages were embedded (the callback hears passages only, as the UI words it)."""
        self.advance(n)
        self.passages += n
        if self.progress is not None:
            self.progress(self.passages, self.of_passages)

    def advance(self, n: int) -> None:
        """``n`` more texts were embedded."""
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        """End the bar."""
        if self.bar is not None:
            self.bar.close()


def _embed_into(
    store: ChromaStore,
    collection: str,
    embedder: Embedder | None,
    old_chunks: Sequence[Chunk],
    fresh: Sequence[Chunk],
    have: Mapping[SentenceKey, np.ndarray],
    batch_size: int,
    progress: Progress | None,
    show_progress: bool,
) -> int:
    """Embed the fresh chunks in batches, then the sentences that have no vector in ``have``.

    Each batch is written as soon as it is ready. Returns how many sentence
    vectors the build holds.
    """
    needed = sentence_texts(list(old_chunks) + list(fresh))
    bar = _Bar(len(fresh), len(fresh) + (unique_missing(needed, have) if embedder is not None else 0), progress,
               show_progress)
    try:
        for i in range(0, len(fresh), batch_size):
            batch = fresh[i : i + batch_size]
            vectors = embedder.embed_passages([passage_text(c) for c in batch])  # type: ignore[union-attr]
            store.add(collection, batch, np.asarray(vectors))
            bar.tick(len(batch))
        stored, _ = write_sentence_vectors(store, collection, needed, have, embedder, batch_size, bar.advance)
    finally:
        bar.close()
    return stored
