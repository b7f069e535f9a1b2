"""Reading a Word (.docx) file: its one job is the text of the document, laid out as Markdown.

Paragraphs and tables in document order; heading, title and bullet styles
become ``#`` headings and ``-`` items.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ingest.decoding import drop_replacement
from ingest.messages import MSG_DOCX_BOMB, MSG_DOCX_CORRUPT, human_size
from opgavewijzer.errors import DocumentError

_HEADING_STYLE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.IGNORECASE)


def is_docx(data: bytes) -> bool:
    """Whether a ZIP archive is a Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def load_docx(path: Path, max_unpacked_bytes: int) -> tuple[str, tuple[str, ...]]:
    """Paragraphs and tables in document order; heading styles become '#' headings.

    A file whose parts unpack beyond ``max_unpacked_bytes`` is refused before it is opened.
    """
    import docx  # local import: python-docx is slow to import and only needed here
    from docx.table import Table

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > max_unpacked_bytes:
            raise DocumentError(path, MSG_DOCX_BOMB.format(size=human_size(unpacked)))
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
    except DocumentError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, AttributeError) as exc:
        raise DocumentError(path, MSG_DOCX_CORRUPT) from exc
    except Exception as exc:  # lxml raises its own syntax errors for broken XML parts
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise DocumentError(path, MSG_DOCX_CORRUPT) from exc
        raise
    return drop_replacement("\n".join(lines).rstrip())
