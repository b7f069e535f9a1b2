"""The added-document set: the engine measured on documents it was not built around.

``eval/added/`` holds two documents written for this purpose (a fictional
municipality's audit report and a fictional province's progress report), and
``eval/datasets/added.jsonl`` the questions about them. They are added the way
a maintainer adds documents (the ingest pipeline, as ``opgavewijzer ingest
PATH …`` does), next to a copy of the current index, so the shared index is
never changed.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from kb.knowledge_base import KnowledgeBase
from opgavewijzer.errors import ConfigError
from opgavewijzer.settings import Settings

ADDED_DIR = Path(__file__).resolve().parent / "added"
# Documents only the overview set asks about; kept apart so the added-document answer set stays as it was labelled.
OVERVIEW_ONLY_DIR = ADDED_DIR / "overview"


def added_path(name: str) -> Path:
    """The document of eval/added/ (or its overview-only folder) with file name ``name``; the first if in both."""
    first = ADDED_DIR / name
    return first if first.is_file() else OVERVIEW_ONLY_DIR / name


def added_documents() -> list[Path]:
    """The documents of the added-document set."""
    return sorted(p for p in ADDED_DIR.iterdir() if p.suffix in (".md", ".txt", ".pdf", ".docx"))


@contextmanager
def with_added_documents(settings: Settings, show_progress: bool = False,
                         paths: Sequence[Path] | None = None) -> Iterator[KnowledgeBase]:
    """A copy of the index ``settings`` point at, with ``paths`` ingested into it (default: the added-document set)."""
    from ingest.pipeline import run_ingest

    if not settings.data_dir.is_dir():
        raise ConfigError(f"{settings.data_dir.name}: geen index om het toegevoegde document naast te zetten; draai eerst ingest")
    with tempfile.TemporaryDirectory(prefix="opgavewijzer-added-", ignore_cleanup_errors=True) as folder:
        data = Path(folder) / "data"
        shutil.copytree(settings.data_dir, data, ignore=shutil.ignore_patterns("uploads", "*.lock", "chat*.sqlite3*"))
        copy = settings.override(data_dir=data)
        report = run_ingest(copy, list(paths) if paths is not None else added_documents(), show_progress=show_progress)
        if not report.ok:
            raise ConfigError(f"het toegevoegde document kon niet worden ingelezen: {'; '.join(str(e) for e in report.failed)}")
        yield KnowledgeBase(copy)
