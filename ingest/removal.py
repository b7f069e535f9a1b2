"""Taking documents out of the index: ``opgavewijzer remove``.

Ingest only adds and updates; a document leaves the index here (or with
``ingest --rebuild``). Removal writes a new build from the passages and
vectors of the others, so nothing is embedded, and it switches atomically like
every build.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Sequence

from ingest.builds import write_build
from ingest.guide import with_guides
from ingest.inputs import nfc
from ingest.pipeline import IngestReport, ingest_lock
from kb.store import ChromaStore
from opgavewijzer.errors import DocumentError, IndexMissingError, KnowledgeBaseError
from opgavewijzer.settings import Settings

MSG_NOT_INDEXED = "staat niet in de index (geef een doc-id of bestandsnaam uit 'opgavewijzer status')"

def remove_documents(settings: Settings, names: Sequence[str], *, store: ChromaStore | None = None) -> IngestReport:
    """Take documents (by doc id or file name) out of the index; nothing is embedded.

    An uploaded copy is deleted too, or the next ingest would add it again.
    """
    started = time.perf_counter()
    store = store if store is not None else ChromaStore(settings)
    with ingest_lock(settings, store):  # a removal is a build: no ingest may write at the same time
        previous = store.active_info()
        if previous is None:
            raise IndexMissingError("no index has been built yet: there is nothing to remove")
        report = IngestReport()
        by_file = {nfc(r.file): doc_id for doc_id, r in previous.documents.items()}
        for name in names:
            doc_id = name if name in previous.documents else by_file.get(nfc(Path(name).name))
            if doc_id is None:
                report.failed.append(DocumentError(name, MSG_NOT_INDEXED))
            elif doc_id not in report.removed:
                report.removed.append(doc_id)
        if not report.removed:
            return report
        records = {k: v for k, v in previous.documents.items() if k not in report.removed}
        if not records:
            raise KnowledgeBaseError("removing every document would leave an empty index; "
                                     "use 'opgavewijzer ingest --rebuild PATH' to start over")
        extras = {k: v for k, v in previous.extras.items() if k not in report.removed}
        info, _ = write_build(store, previous, records, [], embedder=None, embedding_model=previous.embedding_model,
                              pipeline=previous.pipeline, extras=extras, batch_size=settings.embedding.batch_size,
                              describe=with_guides)  # key terms are measured against the documents that stay
        for doc_id in report.removed:
            file = previous.documents[doc_id].file
            if (settings.uploads_dir / file).is_file():
                (settings.uploads_dir / file).unlink()
                report.notes.append(f"{file}: ook uit de uploads verwijderd")
            elif (settings.corpus_dir / file).is_file():
                report.notes.append(f"{file} staat nog in {settings.corpus_dir.name}/; "
                                    "'opgavewijzer ingest' zonder paden neemt het weer op")
        report.untouched = sorted(records)
        report.collection, report.chunks = info.collection, sum(r.chunks for r in info.documents.values())
        report.seconds = time.perf_counter() - started
        return report
