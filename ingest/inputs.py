"""Which files make up a build, and under which doc id and title."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ingest.loaders import SUPPORTED_SUFFIXES
from kb.sources import doc_id_for_file, load_sources
from kb.types import SourceInfo
from opgavewijzer.errors import DocumentError
from opgavewijzer.settings import Settings

SOURCES_FILE = "sources.json"


@dataclass(frozen=True)
class InputDocument:
    """A file to ingest together with its source description."""

    path: Path
    source: SourceInfo


def _from_folder(folder: Path) -> tuple[list[InputDocument], list[DocumentError]]:
    """A folder with ``sources.json`` yields the files it lists; otherwise every file in it."""
    sources_file = folder / SOURCES_FILE
    if sources_file.exists():
        docs, errors = [], []
        for source in load_sources(sources_file).values():
            path = folder / source.file
            if path.is_file():
                docs.append(InputDocument(path, source))
            else:
                errors.append(DocumentError(path, "bestand niet gevonden (genoemd in sources.json)"))
        return docs, errors
    docs, errors = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        found, errs = _from_file(path)
        docs += found
        errors += errs
    return docs, errors


def _from_file(path: Path) -> tuple[list[InputDocument], list[DocumentError]]:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return [], [DocumentError(path, f"bestandstype '{path.suffix}' wordt niet ondersteund (wel: .docx, .md, .pdf, .txt)")]
    listed = path.parent / SOURCES_FILE
    if listed.exists():
        for source in load_sources(listed).values():
            if nfc(source.file) == nfc(path.name):
                return [InputDocument(path, source)], []
    title, name = title_for_file(path), nfc(path.name)
    return [InputDocument(path, SourceInfo(doc_id=doc_id_for_file(Path(name)), file=name, title=title, short_title=title))], []


def nfc(name: str) -> str:
    """A file name in NFC: how it is shown and compared (a Mac or a ZIP may store it decomposed)."""
    return unicodedata.normalize("NFC", name)


def title_for_file(path: Path) -> str:
    """The title of a document that ``sources.json`` does not describe: its file name as written, in NFC."""
    return nfc(path.stem).strip() or nfc(path.name)


def collect_inputs(paths: Sequence[Path], settings: Settings) -> tuple[list[InputDocument], list[DocumentError]]:
    """Resolve the paths of an ingest run into documents; problems are returned, not raised.

    Without paths, the build holds the corpus folder and the maintainers' uploads.
    """
    if not paths:
        paths = [settings.corpus_dir] + ([settings.uploads_dir] if settings.uploads_dir.is_dir() else [])
    docs: list[InputDocument] = []
    errors: list[DocumentError] = []
    for path in paths:
        if path.is_dir():
            found, errs = _from_folder(path)
        elif path.exists():
            found, errs = _from_file(path)
        else:
            found, errs = [], [DocumentError(path, "bestand niet gevonden")]
        docs += found
        errors += errs
    unique: dict[str, InputDocument] = {}
    for doc in docs:
        if doc.source.doc_id in unique and unique[doc.source.doc_id].path.resolve() != doc.path.resolve():
            errors.append(DocumentError(doc.path, f"doc-id '{doc.source.doc_id}' is al in gebruik door {unique[doc.source.doc_id].path.name}"))
            continue
        unique[doc.source.doc_id] = doc
    return list(unique.values()), errors
