"""The ingest run: load → clean → chunk → embed → write a new build → switch.

Additive: the paths given are added next to what is indexed, or update the
document they held before; a document leaves the index only with
``rebuild`` (the build then holds just the given paths) or through
:func:`remove_documents`. Incremental: a document whose bytes (SHA-256) are
unchanged keeps its chunks and embeddings, so only new or changed documents
are embedded. Atomic: the new build becomes active only when complete (see
``ingest.builds``). Forgiving: a file that cannot be read, is too large or
copies another document is reported by name and the others are still
ingested; an earlier version of it in the index is kept rather than lost.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ingest.builds import write_build
from ingest.chunking import ChunkedDocument, chunk_document
from ingest.cleaning import clean_and_repair, repair_note
from ingest.document_edits import apply_edit, load_edits
from ingest.guide import guides_stale, with_guides
from ingest.fingerprints import content_hash, fingerprint
from ingest.inputs import InputDocument, collect_inputs, nfc
from ingest.loaders import check_file, load_document
from ingest.lock import ingest_lock
from ingest.metadata import complete, derive
from ingest.roles import extract_roles
from ingest.sentences import with_sentences
from kb.embeddings import Embedder, create_embedder
from kb.store import ChromaStore, DocumentRecord, IndexInfo
from opgavewijzer.errors import DocumentError, EmbeddingMismatchError
from opgavewijzer.settings import Settings

log = logging.getLogger(__name__)

# The lock and the fingerprints live in their own modules; they stay importable from here.
__all__ = [
    "IngestReport", "MSG_DUPLICATE", "MSG_DUPLICATE_TEXT", "MSG_NO_TEXT", "MSG_UNEXPECTED", "content_hash",
    "fingerprint", "ingest_lock", "max_bytes", "pipeline_signature", "process_document", "run_ingest",
]

# Bump when cleaning or chunking changes its output: every document is then re-processed.
# v14: every build carries a source guide per document (ingest/guide.py).
PIPELINE_VERSION = 14

# Files from this size on are announced with their size and timed per stage, so
# that a maintainer sees what a long run is doing before the embedding starts.
LARGE_FILE_BYTES = 1024 * 1024

MSG_NO_TEXT = "het bestand bevat geen tekst om te doorzoeken"
MSG_DUPLICATE = "zelfde inhoud als {other} (in de index als '{doc_id}'); dit bestand is overgeslagen"
MSG_DUPLICATE_TEXT = "zelfde tekst als {other} (in de index als '{doc_id}'); dit bestand is overgeslagen"
MSG_UNEXPECTED = "onverwachte fout bij het verwerken ({error})"

Progress = Callable[[int, int], None]
Notify = Callable[[str], None]
Extractor = Callable[[ChunkedDocument], dict]


@dataclass
class IngestReport:
    """What an ingest run did; the command line prints it, the UI shows it.

    ``unchanged`` are the documents of this run that were already indexed as
    they are; ``untouched`` those in the index that this run did not concern.
    """

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_previous: list[str] = field(default_factory=list)
    failed: list[DocumentError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    collection: str | None = None
    guides_renewed: bool = False  # only the source guides were made anew (another guide version)

    @property
    def changed(self) -> bool:
        """True if a new build was written."""
        return bool(self.added or self.updated or self.removed or self.guides_renewed)

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


def max_bytes(settings: Settings) -> int:
    """The size limit of one file, in bytes."""
    return int(settings.ingest.max_mb * 1024 * 1024)


def process_document(
    doc: InputDocument, settings: Settings, notify: Notify | None = None, notes: list[str] | None = None
) -> ChunkedDocument:
    """Load, clean and chunk one document (raises :class:`DocumentError`, also for unexpected failures).

    ``notify`` hears about the stages of a large file; ``notes`` receives what
    was done to read the file (another encoding, repaired characters).
    """
    try:
        return _process(doc, settings, notify, notes)
    except DocumentError:
        raise
    except Exception as exc:  # a bug or a library failing on a hostile file must not stop the batch
        log.exception("%s: processing failed", doc.path)
        raise DocumentError(doc.path, MSG_UNEXPECTED.format(error=f"{type(exc).__name__}: {exc}")) from exc


def _process(doc: InputDocument, settings: Settings, notify: Notify | None, notes: list[str] | None) -> ChunkedDocument:
    size = check_file(doc.path, max_bytes(settings))
    large = notify is not None and size >= LARGE_FILE_BYTES
    if large:
        notify(f"{doc.path.name} ({size / 1024 / 1024:.1f} MB) lezen, opschonen en in passages delen…")
    started = time.perf_counter()
    raw = load_document(doc.path, max_bytes(settings))
    blocks, repairs = clean_and_repair(raw)
    cleaned = time.perf_counter()
    # What sources.json and the maintainer leave open is read from the document (never its file name).
    source = complete(doc.source, derive(raw, blocks), doc.path)
    chunked = chunk_document(
        blocks,
        source,
        target_words=settings.chunking.target_words,
        max_words=settings.chunking.max_words,
        min_words=settings.chunking.min_words,
        overlap_sentences=settings.chunking.overlap_sentences,
    )
    if large:
        notify(f"{doc.path.name}: {len(chunked.chunks)} passages (lezen en opschonen {cleaned - started:.1f} s, "
               f"delen {time.perf_counter() - cleaned:.1f} s)")
    if not chunked.chunks:
        raise DocumentError(doc.path, MSG_NO_TEXT)
    if any("\ufffd" in c.text for c in chunked.chunks):  # the loaders never let one through; a last guard
        raise DocumentError(doc.path, "de tekst bevat vervangingstekens (\ufffd)")
    if notes is not None:
        notes.extend(f"{doc.path.name}: {note}" for note in (*raw.notes, repair_note(repairs)) if note)
    return with_sentences(chunked)


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
    notify: Notify | None = None,
) -> IngestReport:
    """Add or update the given documents (default: corpus and uploads) next to what is indexed.

    With ``rebuild`` everything is read and embedded anew and the build holds
    only the given documents. ``progress`` hears the embedding, ``notify`` the
    stages of large files.
    """
    with ingest_lock(settings, store):
        store = store if store is not None else ChromaStore(settings)
        embedder = embedder if embedder is not None else create_embedder(settings)
        run = _Run(settings, store, store.active_info(), embedder, rebuild, notify)
        run.ingest(paths, extractors, progress, show_progress)
        return run.report


class _Run:
    """One ingest run: which documents change, and the build that records it."""

    def __init__(self, settings: Settings, store: ChromaStore, previous: IndexInfo | None, embedder: Embedder,
                 rebuild: bool, notify: Notify | None) -> None:
        if previous is not None and previous.embedding_model != embedder.name and not rebuild:
            raise EmbeddingMismatchError(
                f"the index was built with '{previous.embedding_model}', not with the configured "
                f"'{embedder.name}'; run 'opgavewijzer ingest --rebuild' to re-embed everything"
            )
        self.settings, self.store, self.previous, self.embedder = settings, store, previous, embedder
        self.rebuild, self.notify = rebuild, notify
        self.started = time.perf_counter()
        self.report = IngestReport()
        self.signature = pipeline_signature(settings)
        self.reuse_ok = previous is not None and not rebuild and previous.pipeline == self.signature
        # Vectors of an earlier version can stand in for a document that now fails, if the model is the same.
        self.can_keep = previous is not None and previous.embedding_model == embedder.name
        keep_all = previous is not None and not rebuild
        self.records: dict[str, DocumentRecord] = dict(previous.documents) if keep_all else {}
        self.extras: dict = dict(previous.extras) if keep_all else {}
        self.fresh: list[ChunkedDocument] = []
        # Content and cleaned-text hashes of what is (or will be) indexed: copies are recognised.
        self.by_content = {r.content_sha256: r for r in self.records.values() if r.content_sha256}
        self.by_text = {r.text_sha256: r for r in self.records.values() if r.text_sha256}
        self.edits = load_edits(settings)  # the maintainer's metadata edits win over sources.json

    def ingest(self, paths: Sequence[Path], extractors: Sequence[Extractor], progress: Progress | None,
               show_progress: bool) -> None:
        """Process the documents of ``paths`` and write a build if anything changed."""
        report, previous = self.report, self.previous
        inputs, report.failed = collect_inputs(paths, self.settings)
        for doc in inputs:
            self._one(doc, extractors)
        seen = {d.source.doc_id for d in inputs}
        if previous is not None:
            report.untouched = sorted(set(self.records) - seen) if not self.rebuild else []
            report.removed = sorted(set(previous.documents) - set(self.records))
        # Guides of another version are made anew from the stored passages and vectors: nothing is embedded.
        report.guides_renewed = previous is not None and bool(self.records) and not report.changed and guides_stale(previous)
        if not self.records or (previous is not None and not report.changed):
            # Nothing usable, or nothing new: never replace an index with an empty or equal one.
            if previous is not None and not report.changed:
                report.collection = previous.collection
                report.chunks = sum(r.chunks for r in previous.documents.values())
                self.store.collect_garbage()  # a build killed earlier may have left a partial collection
            report.seconds = time.perf_counter() - self.started
            return
        if not self.reuse_ok and report.untouched:
            report.notes.append(f"{len(report.untouched)} document(en) buiten deze run houden hun passages van een "
                                "eerdere verwerking; 'opgavewijzer ingest --rebuild' verwerkt alles opnieuw")
        info, report.embedded = write_build(
            self.store, previous, self.records, [c for d in self.fresh for c in d.chunks],
            embedder=self.embedder, embedding_model=self.embedder.name, pipeline=self.signature,
            extras=self.extras, batch_size=self.settings.embedding.batch_size,
            progress=progress, show_progress=show_progress, describe=with_guides,
        )
        report.collection, report.chunks = info.collection, sum(r.chunks for r in info.documents.values())
        report.seconds = time.perf_counter() - self.started

    def _one(self, doc: InputDocument, extractors: Sequence[Extractor]) -> None:
        """Add, update or keep one document; a failure is reported and its last good version kept."""
        doc_id, report = doc.source.doc_id, self.report
        doc = InputDocument(doc.path, apply_edit(doc.source, self.edits.get(doc_id)))
        old = self.previous.documents.get(doc_id) if self.previous is not None else None
        try:
            check_file(doc.path, max_bytes(self.settings))  # before any byte is read
            content = content_hash(doc.path)
            digest = fingerprint(doc, content)
            if self.reuse_ok and old is not None and old.sha256 == digest:
                report.unchanged.append(doc_id)
                return
            self._refuse_copy(doc, self.by_content.get(content), MSG_DUPLICATE)
            chunked = process_document(doc, self.settings, self.notify, report.notes)
            text = hashlib.sha256(chunked.text.encode("utf-8")).hexdigest()
            self._refuse_copy(doc, self.by_text.get(text), MSG_DUPLICATE_TEXT)
            found = _extract(doc, chunked, extractors)
        except DocumentError as err:
            report.failed.append(err)
            if old is not None and self.can_keep:
                # Lose nothing: the last good version stays searchable.
                report.kept_previous.append(doc_id)
                self.records[doc_id] = old
                if doc_id in self.previous.extras:
                    self.extras[doc_id] = self.previous.extras[doc_id]
            return
        (report.updated if old is not None else report.added).append(doc_id)
        self.fresh.append(chunked)
        source = chunked.source  # with the metadata read from the document
        record = DocumentRecord(
            doc_id=doc_id, file=nfc(doc.path.name), title=source.title, sha256=digest, chunks=len(chunked.chunks),
            words=len(chunked.text.split()), aliases=list(source.aliases), content_sha256=content, text_sha256=text,
            names=dict(source.names), short_title=source.short_title, publisher=source.publisher, date=source.date,
            kind=source.kind, topics=list(source.topics),
        )
        self.records[doc_id] = self.by_content[content] = self.by_text[text] = record
        self.extras.pop(doc_id, None)
        if found:
            self.extras[doc_id] = found

    def _refuse_copy(self, doc: InputDocument, other: DocumentRecord | None, message: str) -> None:
        if other is not None and other.doc_id != doc.source.doc_id:
            raise DocumentError(doc.path, message.format(other=other.file, doc_id=other.doc_id))


def _extract(doc: InputDocument, chunked: ChunkedDocument, extractors: Sequence[Extractor]) -> dict:
    """What the extractors find in one document; one that fails on it fails that document only."""
    found: dict = {}
    for extract in extractors:
        try:
            found.update(extract(chunked) or {})
        except Exception as exc:  # a hostile document must not stop the batch
            log.exception("%s: %s failed", doc.path, getattr(extract, "__name__", extract))
            raise DocumentError(doc.path, MSG_UNEXPECTED.format(error=f"{type(exc).__name__}: {exc}")) from exc
    return found
