"""The ingest run: load → clean → chunk → embed → write a new build → switch.

Incremental: a document whose bytes (SHA-256) are unchanged keeps its chunks
and embeddings from the previous build, so only new or changed documents are
embedded. Atomic: the new build becomes active only when complete (see
``kb.store``). Forgiving: a document that cannot be read is reported by name
and the others are still ingested; if an earlier version of it is in the
index, that version is kept rather than lost.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from ingest.chunking import ChunkedDocument, chunk_document
from ingest.cleaning import clean_document
from ingest.inputs import InputDocument, collect_inputs
from ingest.loaders import load_document
from ingest.roles import extract_roles
from kb.embeddings import Embedder, create_embedder
from kb.retriever import passage_text
from kb.store import ChromaStore, DocumentRecord, IndexInfo
from kb.types import Chunk
from opgavewijzer.errors import DocumentError, EmbeddingMismatchError
from opgavewijzer.settings import Settings

log = logging.getLogger(__name__)

# Bump when cleaning or chunking changes its output: every document is then re-processed.
PIPELINE_VERSION = 1

Progress = Callable[[int, int], None]
Extractor = Callable[[ChunkedDocument], dict]


@dataclass
class IngestReport:
    """What an ingest run did; the command line prints it, the UI shows it."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_previous: list[str] = field(default_factory=list)
    failed: list[DocumentError] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    collection: str | None = None

    @property
    def changed(self) -> bool:
        """True if a new build was written."""
        return bool(self.added or self.updated or self.removed)

    @property
    def ok(self) -> bool:
        """True if every document was ingested."""
        return not self.failed


def pipeline_signature(settings: Settings) -> str:
    """Version and parameters that determine the chunks of a document."""
    return (
        f"v{PIPELINE_VERSION}/t{settings.chunking.target_words}/max{settings.chunking.max_words}"
        f"/min{settings.chunking.min_words}/o{settings.chunking.overlap_sentences}"
    )


def process_document(doc: InputDocument, settings: Settings) -> ChunkedDocument:
    """Load, clean and chunk one document (raises :class:`DocumentError`)."""
    raw = load_document(doc.path)
    blocks = clean_document(raw)
    chunked = chunk_document(
        blocks,
        doc.source,
        target_words=settings.chunking.target_words,
        max_words=settings.chunking.max_words,
        min_words=settings.chunking.min_words,
        overlap_sentences=settings.chunking.overlap_sentences,
    )
    if not chunked.chunks:
        raise DocumentError(doc.path, "het bestand bevat geen tekst om te doorzoeken")
    return chunked


def fingerprint(doc: InputDocument) -> str:
    """SHA-256 of the file and its description: a new title or alias also rebuilds the document,
    because the title is part of every embedded passage."""
    digest = hashlib.sha256(doc.path.read_bytes())
    digest.update(json.dumps(asdict(doc.source), sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


@contextmanager
def ingest_lock(settings: Settings) -> Iterator[None]:
    """One ingest at a time per data folder (CLI and chat upload may race otherwise).

    The lock is also what makes it safe for a build to remove half-written
    collections: no other build can be in progress.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / ".ingest.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_ingest(
    settings: Settings,
    paths: Sequence[Path] = (),
    *,
    rebuild: bool = False,
    embedder: Embedder | None = None,
    store: ChromaStore | None = None,
    extractors: Sequence[Extractor] = (extract_roles,),
    progress: Progress | None = None,
    show_progress: bool = False,
) -> IngestReport:
    """Bring the index in line with the given documents (default: corpus and uploads).

    The documents given make up the whole index afterwards: documents of the
    previous build that are not among them are removed.
    """
    with ingest_lock(settings):
        return _run_ingest(settings, paths, rebuild, embedder, store, extractors, progress, show_progress)


def _run_ingest(
    settings: Settings,
    paths: Sequence[Path],
    rebuild: bool,
    embedder: Embedder | None,
    store: ChromaStore | None,
    extractors: Sequence[Extractor],
    progress: Progress | None,
    show_progress: bool,
) -> IngestReport:
    started = time.perf_counter()
    embedder = embedder if embedder is not None else create_embedder(settings)
    store = store if store is not None else ChromaStore(settings)
    report = IngestReport()
    inputs, report.failed = collect_inputs(paths, settings)

    previous = store.active_info()
    signature = pipeline_signature(settings)
    if previous is not None and previous.embedding_model != embedder.name and not rebuild:
        raise EmbeddingMismatchError(
            f"the index was built with '{previous.embedding_model}', not with the configured "
            f"'{embedder.name}'; run 'opgavewijzer ingest --rebuild' to re-embed everything"
        )
    reuse_ok = previous is not None and not rebuild and previous.pipeline == signature
    old_docs = previous.documents if previous else {}

    fresh: list[ChunkedDocument] = []
    records: dict[str, DocumentRecord] = {}
    reused: list[str] = []
    extras: dict = {}
    for doc in inputs:
        digest = fingerprint(doc)
        old = old_docs.get(doc.source.doc_id)
        if reuse_ok and old is not None and old.sha256 == digest:
            report.unchanged.append(doc.source.doc_id)
            reused.append(doc.source.doc_id)
            records[doc.source.doc_id] = old
            if doc.source.doc_id in previous.extras:
                extras[doc.source.doc_id] = previous.extras[doc.source.doc_id]
            continue
        try:
            chunked = process_document(doc, settings)
        except DocumentError as err:
            report.failed.append(err)
            if reuse_ok and old is not None:
                # Lose nothing: the last good version stays searchable.
                report.kept_previous.append(doc.source.doc_id)
                reused.append(doc.source.doc_id)
                records[doc.source.doc_id] = old
            continue
        (report.updated if old is not None else report.added).append(doc.source.doc_id)
        fresh.append(chunked)
        records[doc.source.doc_id] = DocumentRecord(
            doc_id=doc.source.doc_id,
            file=doc.path.name,
            title=doc.source.title,
            sha256=digest,
            chunks=len(chunked.chunks),
            words=len(chunked.text.split()),
            aliases=list(doc.source.aliases),
        )
        for extract in extractors:
            found = extract(chunked)
            if found:
                extras[doc.source.doc_id] = {**extras.get(doc.source.doc_id, {}), **found}
    report.removed = sorted(set(old_docs) - set(records)) if previous else []
    if not records:
        # Nothing usable: never replace an index with an empty one.
        report.seconds = time.perf_counter() - started
        return report

    if previous is not None and not rebuild and not report.added and not report.updated and not report.removed and reuse_ok:
        report.collection = previous.collection
        report.chunks = sum(r.chunks for r in records.values())
        report.seconds = time.perf_counter() - started
        store.collect_garbage()  # a build killed earlier may have left a partial collection
        return report  # up to date: nothing to write

    collection = store.new_build()
    try:
        if reused and previous is not None:
            old_chunks, old_vectors = store.load(previous.collection, reused, with_embeddings=True)
            store.add(collection, old_chunks, old_vectors)
            report.chunks += len(old_chunks)
        new_chunks: list[Chunk] = [c for d in fresh for c in d.chunks]
        _embed_into(store, collection, embedder, new_chunks, settings.embedding.batch_size, progress, show_progress)
        report.chunks += len(new_chunks)
        report.embedded = len(new_chunks)
        info = IndexInfo(
            collection=collection,
            embedding_model=embedder.name,
            pipeline=signature,
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
    report.collection = collection
    report.seconds = time.perf_counter() - started
    return report


def _embed_into(
    store: ChromaStore,
    collection: str,
    embedder: Embedder,
    chunks: Sequence[Chunk],
    batch_size: int,
    progress: Progress | None,
    show_progress: bool,
) -> None:
    """Embed chunks in batches and write each batch as soon as it is ready."""
    bar = None
    if show_progress and chunks:
        from tqdm import tqdm

        bar = tqdm(total=len(chunks), desc="Embedden", unit="passage")
    done = 0
    for i in range(0, len(chunks), batch_size):
        batch = chunks[i : i + batch_size]
        vectors = embedder.embed_passages([passage_text(c) for c in batch])
        store.add(collection, batch, np.asarray(vectors))
        done += len(batch)
        if bar is not None:
            bar.update(len(batch))
        if progress is not None:
            progress(done, len(chunks))
    if bar is not None:
        bar.close()
