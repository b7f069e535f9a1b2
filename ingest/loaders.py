"""Reading one input file into raw text, page by page.

The loaders do no cleaning beyond what only they can know: PDF page numbers,
paragraph gaps and heading sizes from the PDF layout, and Word heading styles.
Both of the latter are written as Markdown (blank lines, ``#`` headings) so
that :mod:`ingest.cleaning` treats every format the same way. Anything that
cannot be read raises :class:`DocumentError` with a Dutch reason a maintainer
can act on.
"""

from __future__ import annotations

import logging
import re
import statistics
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from opgavewijzer.errors import DocumentError

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", ".txt", ".md", ".docx"})

# Exact reasons; tests and the upload UI rely on these strings.
MSG_UNSUPPORTED = "bestandstype '{suffix}' wordt niet ondersteund (wel: .docx, .md, .pdf, .txt)"
MSG_MISSING = "bestand niet gevonden"
MSG_EMPTY = "het bestand is leeg"
MSG_PDF_CORRUPT = "de PDF is beschadigd en kan niet worden gelezen"
MSG_PDF_ENCRYPTED = "de PDF is versleuteld; lever een onbeveiligde versie aan"
MSG_PDF_NO_TEXT = "de PDF bevat geen leesbare tekst (alleen afbeeldingen?); lever een doorzoekbare PDF aan"
MSG_BINARY = "dit is geen tekstbestand (binaire inhoud)"
MSG_NOT_UTF8 = "de tekst is niet in UTF-8 gecodeerd; sla het bestand op als UTF-8"
MSG_DOCX_CORRUPT = "het Word-bestand is beschadigd en kan niet worden gelezen"

Format = Literal["pdf", "txt", "md", "docx"]

# Signatures of common binary formats, so a renamed PDF or image is reported as
# binary rather than as "not UTF-8".
_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RawPage:
    """The text of one page (PDF) or of the whole file (other formats)."""

    number: int | None
    text: str


@dataclass(frozen=True)
class RawDocument:
    """One file as read from disk, before any cleaning."""

    path: Path
    format: Format
    pages: tuple[RawPage, ...]

    @property
    def text(self) -> str:
        """All pages joined with a blank line."""
        return "\n\n".join(page.text for page in self.pages)


def load_document(path: Path) -> RawDocument:
    """Read a .pdf, .txt, .md or .docx file; raise :class:`DocumentError` when that is impossible."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(path, MSG_UNSUPPORTED.format(suffix=path.suffix))
    if not path.is_file():
        raise DocumentError(path, MSG_MISSING)
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError(path, MSG_EMPTY)
    if suffix == ".pdf":
        return RawDocument(path, "pdf", _load_pdf(path))
    if suffix == ".docx":
        text = _load_docx(path)
        fmt: Format = "docx"
    else:
        text = _decode_text(path, data)
        fmt = "md" if suffix == ".md" else "txt"
    if not text.strip():
        raise DocumentError(path, MSG_EMPTY)
    return RawDocument(path, fmt, (RawPage(None, text),))


# --- plain text -------------------------------------------------------------


def _decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), telling binary files and other encodings apart."""
    if data.startswith(_UTF16_32_BOMS) and not data.startswith(b"\xef\xbb\xbf"):
        raise DocumentError(path, MSG_NOT_UTF8)  # UTF-16/32 text is text, only the wrong encoding
    head = data[:4096]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in data or head.startswith(_MAGIC) or controls > 0.1 * len(head):
        raise DocumentError(path, MSG_BINARY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(path, MSG_NOT_UTF8) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- Word -------------------------------------------------------------------

_HEADING_STYLE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.IGNORECASE)


def _load_docx(path: Path) -> str:
    """Paragraphs and tables in document order; heading styles become '#' headings."""
    import docx  # local import: python-docx is slow to import and only needed here
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                # Tables as Markdown rows so that no cell text is lost.
                for row in item.rows:
                    cells = [" ".join(c.text.split()) for c in row.cells]
                    lines += ["| " + " | ".join(cells) + " |", ""]
                continue
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            match = _HEADING_STYLE.match(style.strip())
            if match:
                text = "#" * min(6, max(1, int(match.group(1)))) + " " + " ".join(text.split())
            elif style.strip().lower() in ("title", "titel"):
                text = "# " + " ".join(text.split())
            elif style.lower().startswith(("list bullet", "lijstopsommingsteken")):
                text = "- " + text
            lines += [text, ""]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, AttributeError) as exc:
        raise DocumentError(path, MSG_DOCX_CORRUPT) from exc
    except Exception as exc:  # lxml raises its own syntax errors for broken XML parts
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise DocumentError(path, MSG_DOCX_CORRUPT) from exc
        raise
    return "\n".join(lines).rstrip()


# --- PDF --------------------------------------------------------------------


@dataclass
class _Line:
    text: str = ""
    y: float | None = None
    size: float = 0.0
    bold: bool = True  # becomes False as soon as one non-bold fragment is seen
    parts: list[str] = field(default_factory=list)


def _load_pdf(path: Path) -> tuple[RawPage, ...]:
    """Text per page, with blank lines at paragraph gaps and '#' before larger-font headings."""
    import pypdf

    data = path.read_bytes()
    # A file without the trailing %%EOF marker is truncated; pypdf would silently
    # recover part of it, and silently losing pages is worse than refusing.
    if not data.lstrip().startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise DocumentError(path, MSG_PDF_CORRUPT)
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # owner-password-only PDFs open without a password
            except Exception as exc:  # unsupported cipher: as unreadable as a password
                raise DocumentError(path, MSG_PDF_ENCRYPTED) from exc
            if not opened:
                raise DocumentError(path, MSG_PDF_ENCRYPTED)
        pages = [_page_lines(page) for page in reader.pages]
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds (PdfReadError, KeyError, zlib.error, …) on broken files
        log.info("%s: pypdf failed: %r", path.name, exc)
        raise DocumentError(path, MSG_PDF_CORRUPT) from exc
    if not any(line.text.strip() for lines in pages for line in lines):
        raise DocumentError(path, MSG_PDF_NO_TEXT)
    body, heading_levels = _font_profile(pages)
    return tuple(RawPage(i + 1, _render_page(lines, body, heading_levels)) for i, lines in enumerate(pages))


def _page_lines(page: Any) -> list[_Line]:
    """Lines of one page as pypdf breaks them, each with its baseline and font size."""
    lines: list[_Line] = [_Line()]

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        # Effective matrix = text matrix x current transformation matrix.
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = abs(font_size) * (c * c + d * d) ** 0.5
        bold = "bold" in str((font or {}).get("/BaseFont", "")).lower()
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append(_Line())
            line = lines[-1]
            line.parts.append(part)
            if part.strip():
                if line.y is None:
                    line.y = y
                line.size = max(line.size, size)
                line.bold = line.bold and bold

    plain = page.extract_text(visitor_text=visit) or ""
    for line in lines:
        line.text = "".join(line.parts).rstrip()
    visited = "\n".join(line.text for line in lines)
    if len(visited.split()) < 0.9 * len(plain.split()):
        # The visitor missed text (unusual fonts): fall back to plain lines without layout.
        return [_Line(text=t.rstrip()) for t in plain.split("\n")]
    return lines


def _font_profile(pages: list[list[_Line]]) -> tuple[float, dict[float, int]]:
    """Body font size (most characters) and a heading level for every clearly larger size."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if line.size:
                weights[round(line.size * 2) / 2] += len(line.text.strip())
    if not weights:
        return 0.0, {}
    body = weights.most_common(1)[0][0]
    larger = sorted({s for s in weights if s >= body * 1.15}, reverse=True)
    return body, {size: min(i + 1, 5) for i, size in enumerate(larger)}


def _render_page(lines: list[_Line], body: float, heading_levels: dict[float, int]) -> str:
    """Join lines into text: a blank line at each vertical gap or font change, '#' for headings."""
    gaps = [
        a.y - b.y
        for a, b in zip(lines, lines[1:])
        if a.y is not None and b.y is not None and abs(a.size - body) < 0.5 and abs(b.size - body) < 0.5
        and 0 < a.y - b.y < 3 * body
    ]
    leading = statistics.median(gaps) if gaps else body * 1.2
    out: list[str] = []
    prev: _Line | None = None
    prev_level = 0
    for line in lines:
        if not line.text.strip():
            continue
        level = heading_levels.get(round(line.size * 2) / 2, 0)
        if not level and line.bold and body and abs(line.size - body) < 0.5 and len(line.text.split()) <= 12 \
                and not line.text.rstrip().endswith((".", ",", ";")):
            level = len(set(heading_levels.values())) + 1  # bold body-size line: the lowest heading level
        if prev is not None and prev.y is not None and line.y is not None:
            gap = prev.y - line.y
            new_para = gap > 1.5 * leading or gap < -body or abs(prev.size - line.size) > 0.1 * max(body, 1)
            if level and prev_level == level and 0 < gap <= 1.6 * line.size:
                out[-1] += " " + line.text.strip()  # a heading wrapped over two lines
                prev = line
                continue
            if new_para or level or prev_level:
                out.append("")
        out.append(("#" * level + " " if level else "") + line.text.strip())
        prev, prev_level = line, level
    return "\n".join(out)
