"""Documents added by maintainers: check, store, ingest, and make searchable.

An upload is checked before anything is kept: the file type, the size limit
(``upload_max_mb``), a name that does not clash with the fixed sources, and
a full parse through the ingest pipeline's own loaders, cleaning and
chunking, so that an unreadable file is reported with the reason and never
reaches the index. A good file is stored in ``settings.uploads_dir`` (which
every ingest includes), ingested incrementally (only the new document is
embedded), and the shared knowledge base is reloaded. Uploads run one at a
time; searches in other sessions go on meanwhile on the previous build.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ingest.inputs import InputDocument, title_for_file
from ingest.loaders import MSG_UNSUPPORTED, SUPPORTED_SUFFIXES
from ingest.pipeline import IngestReport, process_document, run_ingest
from kb.knowledge_base import KnowledgeBase
from kb.sources import doc_id_for_file, load_sources
from kb.types import SourceInfo
from opgavewijzer.errors import DocumentError, IngestBusyError
from opgavewijzer.settings import Settings

# Exact reasons; the chat shows them and the tests check them.
MSG_TOO_LARGE = "het bestand is {size:.1f} MB; de grens is {limit} MB"
MSG_RESERVED = "de naam '{doc_id}' hoort bij een vaste bron; geef het bestand een andere naam"
MSG_NOT_INGESTED = "het bestand kon niet in de index worden opgenomen: {reason}"
MSG_BUSY = ("er worden al documenten ingelezen in deze index (op {host}, sinds {since}); "
            "probeer het opnieuw als dat klaar is")

Progress = Callable[[str], None]
STAGING = ".staging"


@dataclass(frozen=True)
class UploadResult:
    """What an accepted upload became."""

    doc_id: str
    title: str
    file: Path
    chunks: int
    replaced: bool
    report: IngestReport


# A stored name keeps what the maintainer typed (spaces, diacritics, case), so that the
# title shown is that name; only what could leave the folder or hide the file goes.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
MAX_NAME_BYTES = 200  # file systems allow 255 bytes per name; room for the ".<name>.vorige" backup


def safe_filename(name: str) -> str:
    """The uploaded name as the uploads folder keeps it: its last part, NFC, no separators or control characters."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/")).rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip()
    dot = base.rfind(".")
    stem, suffix = (base[:dot], base[dot:]) if 0 <= dot < len(base) - 1 else (base, "")
    stem = stem.lstrip(". ").rstrip() or "document"  # a leading dot would hide the file from every ingest
    while len(f"{stem}{suffix}".encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem.rstrip()}{suffix}"


def check_upload(settings: Settings, name: str, path: Path) -> tuple[InputDocument, int]:
    """Check one uploaded file; returns it staged under its final name, and its passage count.

    Raises :class:`DocumentError` naming the file and the reason.
    """
    filename = safe_filename(name)
    suffix = Path(filename).suffix
    if suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(filename, MSG_UNSUPPORTED.format(suffix=suffix or "(geen)"))
    size = path.stat().st_size
    if size > settings.ui.upload_max_mb * 1024 * 1024:
        raise DocumentError(filename, MSG_TOO_LARGE.format(size=size / 1024 / 1024, limit=settings.ui.upload_max_mb))
    doc_id = doc_id_for_file(Path(filename))
    if settings.sources_file.exists() and doc_id in load_sources(settings.sources_file):
        raise DocumentError(filename, MSG_RESERVED.format(doc_id=doc_id))
    # The loaders choose by suffix, and the chat's temporary file may have another: stage under the real name.
    staging = settings.uploads_dir / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    staged = staging / filename
    shutil.copyfile(path, staged)
    title = title_for_file(Path(filename))
    doc = InputDocument(staged, SourceInfo(doc_id=doc_id, file=filename, title=title, short_title=title))
    try:
        chunked = process_document(doc, settings)
    except DocumentError as err:
        staged.unlink(missing_ok=True)
        raise DocumentError(filename, err.reason) from err
    return doc, len(chunked.chunks)


def progress_text(done: int, total: int) -> str:
    """One line of progress while the new passages are embedded."""
    return f"Passages embedden: {done} van {total}"


class Uploads:
    """Adds maintainers' documents to a live knowledge base, one upload at a time."""

    def __init__(self, settings: Settings, kb: KnowledgeBase) -> None:
        self.settings = settings
        self.kb = kb
        self._lock = threading.Lock()

    def add(self, name: str, path: Path, progress: Progress | None = None) -> UploadResult:
        """Check, store and ingest one file; raises :class:`DocumentError` if it is refused."""
        say = progress or (lambda _text: None)
        with self._lock:
            say("Bestand controleren…")
            staged, chunks = check_upload(self.settings, name, path)
            target = self.settings.uploads_dir / staged.path.name
            backup = target.with_name(f".{target.name}.vorige") if target.exists() else None
            if backup is not None:
                os.replace(target, backup)
            os.replace(staged.path, target)
            say(f"Inlezen: {chunks} passages")
            try:
                try:
                    report = run_ingest(
                        self.settings,
                        embedder=self.kb.embedder,
                        store=self.kb.store,
                        progress=lambda done, total: say(progress_text(done, total)),
                    )
                except IngestBusyError as busy:  # the command line or another server is ingesting
                    raise DocumentError(target.name, MSG_BUSY.format(host=busy.host, since=busy.since)) from busy
                failed = next((e for e in report.failed if e.path.name == target.name), None)
                if failed is not None:
                    raise DocumentError(target.name, MSG_NOT_INGESTED.format(reason=failed.reason))
            except BaseException:
                # Leave the uploads folder as it was, so the next ingest does not trip over this file.
                target.unlink(missing_ok=True)
                if backup is not None:
                    os.replace(backup, target)
                raise
            if backup is not None:
                backup.unlink(missing_ok=True)
            say("Index herladen…")
            self.kb.refresh()
        return UploadResult(
            doc_id=staged.source.doc_id,
            title=staged.source.title,
            file=target,
            chunks=chunks,
            replaced=backup is not None,
            report=report,
        )


def result_markdown(result: UploadResult) -> str:
    """The chat's confirmation of an accepted upload."""
    verb = "vervangen" if result.replaced else "toegevoegd"
    others = len(result.report.unchanged) + len(result.report.untouched)
    passages = "1 passage" if result.chunks == 1 else f"{result.chunks} passages"
    unchanged = "1 ander document bleef" if others == 1 else f"{others} andere documenten bleven"
    return (
        f"**{result.file.name}** is {verb} als document `{result.doc_id}` "
        f"({passages}). Het is vanaf nu doorzoekbaar; {unchanged} ongewijzigd."
    )
