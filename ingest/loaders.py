"""Reading one input file into raw text, page by page.

The loaders do no cleaning beyond what only they can know: PDF page numbers,
paragraph gaps and heading sizes from the PDF layout, and Word heading styles.
Both of the latter are written as Markdown (blank lines, ``#`` headings) so
that :mod:`ingest.cleaning` treats every format the same way. Anything that
cannot be read raises :class:`DocumentError` with a Dutch reason a maintainer
can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ingest.decoding import LONG_RUN, PDF_MAGIC, ZIP_MAGIC, decode_text
from ingest.messages import (
    MSG_BAD_BOM,
    MSG_BINARY,
    MSG_DOCX_BOMB,
    MSG_DOCX_CORRUPT,
    MSG_EMPTY,
    MSG_MISSING,
    MSG_NO_WORDS,
    MSG_NOT_REGULAR,
    MSG_NOT_UTF8,
    MSG_OTHER_FORMAT,
    MSG_PDF_CORRUPT,
    MSG_PDF_ENCRYPTED,
    MSG_PDF_NO_TEXT,
    MSG_REPLACEMENT,
    MSG_TOO_LARGE,
    MSG_UNREADABLE,
    MSG_UNSUPPORTED,
    human_size,
)
from ingest.pdf import load_pdf
from ingest.word import is_docx, load_docx
from opgavewijzer.errors import DocumentError

# The messages, size formatting and the data-run length live with the readers that use them;
# they stay importable from here, the entry to reading a file.
__all__ = [
    "LONG_RUN", "MAX_UNPACKED_BYTES", "SUPPORTED_SUFFIXES", "Format", "RawDocument", "RawPage",
    "MSG_BAD_BOM", "MSG_BINARY", "MSG_DOCX_BOMB", "MSG_DOCX_CORRUPT", "MSG_EMPTY", "MSG_MISSING", "MSG_NO_WORDS",
    "MSG_NOT_REGULAR", "MSG_NOT_UTF8", "MSG_OTHER_FORMAT", "MSG_PDF_CORRUPT", "MSG_PDF_ENCRYPTED", "MSG_PDF_NO_TEXT",
    "MSG_REPLACEMENT", "MSG_TOO_LARGE", "MSG_UNREADABLE", "MSG_UNSUPPORTED",
    "check_file", "human_size", "load_document", "read_bytes", "unreadable",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", ".txt", ".md", ".docx"})

Format = Literal["pdf", "txt", "md", "docx"]

# A Word file is a ZIP archive; its parts may unpack to at most this much (a "zip bomb" would exhaust memory).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class RawPage:
    """The text of one page (PDF) or of the whole file (other formats)."""

    number: int | None
    text: str


@dataclass(frozen=True)
class RawDocument:
    """One file as read from disk, before any cleaning.

    ``notes`` says what was done to read it that a maintainer may want to know
    (another encoding than UTF-8, repaired characters, another format than its
    extension says).
    """

    path: Path
    format: Format
    pages: tuple[RawPage, ...]
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """All pages joined with a blank line."""
        return "\n\n".join(page.text for page in self.pages)


def check_file(path: Path, max_bytes: int | None = None) -> int:
    """Check, without reading it, that ``path`` is a regular file of a supported type within the limit.

    Returns its size in bytes; raises :class:`DocumentError` with the reason otherwise.
    """
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(path, MSG_UNSUPPORTED.format(suffix=path.suffix or "(geen)"))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DocumentError(path, MSG_MISSING) from None
    except OSError as exc:
        raise DocumentError(path, unreadable(exc)) from exc
    if path.is_dir():
        raise DocumentError(path, MSG_MISSING)
    if not path.is_file():
        raise DocumentError(path, MSG_NOT_REGULAR)  # reading a FIFO would block the whole run
    if info.st_size == 0:
        raise DocumentError(path, MSG_EMPTY)
    if max_bytes is not None and info.st_size > max_bytes:
        raise DocumentError(path, MSG_TOO_LARGE.format(size=human_size(info.st_size), limit=human_size(max_bytes)))
    return info.st_size



def unreadable(exc: OSError) -> str:
    """The reason a file could not be read, in the maintainer's words."""
    if isinstance(exc, PermissionError):
        return MSG_UNREADABLE.format(reason="geen leesrechten")
    return MSG_UNREADABLE.format(reason=exc.strerror or type(exc).__name__)


def read_bytes(path: Path) -> bytes:
    """The bytes of a checked file; an unreadable one (no permission, I/O error) is a :class:`DocumentError`."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, unreadable(exc)) from exc


def load_document(path: Path, max_bytes: int | None = None) -> RawDocument:
    """Read a .pdf, .txt, .md or .docx file; raise :class:`DocumentError` when that is impossible.

    ``max_bytes`` is checked before anything is read. A PDF or Word file saved
    under a text extension is read as what it is.
    """
    path = Path(path)
    check_file(path, max_bytes)
    suffix = path.suffix.lower()
    data = read_bytes(path)
    if not data.strip():
        raise DocumentError(path, MSG_EMPTY)
    if suffix == ".pdf":
        return RawDocument(path, "pdf", _pdf_pages(path, data))
    if suffix == ".docx":
        text, notes = load_docx(path, MAX_UNPACKED_BYTES)
        fmt: Format = "docx"
    elif data.startswith(PDF_MAGIC):
        return RawDocument(path, "pdf", _pdf_pages(path, data), (f"gelezen als PDF (de extensie is {path.suffix})",))
    elif data.startswith(ZIP_MAGIC) and is_docx(data):
        text, notes = load_docx(path, MAX_UNPACKED_BYTES)
        fmt, notes = "docx", (f"gelezen als Word-bestand (de extensie is {path.suffix})", *notes)
    else:
        text, notes = decode_text(path, data)
        fmt = "md" if suffix == ".md" else "txt"
    if not text.strip():
        raise DocumentError(path, MSG_EMPTY)
    return RawDocument(path, fmt, (RawPage(None, text),), notes)


def _pdf_pages(path: Path, data: bytes) -> tuple[RawPage, ...]:
    """The pages of a PDF, numbered from 1."""
    return tuple(RawPage(i + 1, text) for i, text in enumerate(load_pdf(path, data)))
