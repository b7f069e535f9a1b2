"""Reading a PDF: its one job is the text of every page, laid out as Markdown.

Paragraph gaps become blank lines and lines in a clearly larger (or bold body)
font become ``#`` headings, judged from the layout pypdf reports.
"""

from __future__ import annotations

import io
import logging
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.decoding import drop_replacement
from ingest.messages import MSG_PDF_CORRUPT, MSG_PDF_ENCRYPTED, MSG_PDF_NO_TEXT
from opgavewijzer.errors import DocumentError

log = logging.getLogger(__name__)


@dataclass
class _Line:
    text: str = ""
    y: float | None = None
    size: float = 0.0
    bold: bool = True  # becomes False as soon as one non-bold fragment is seen
    parts: list[str] = field(default_factory=list)


def load_pdf(path: Path, data: bytes) -> tuple[str, ...]:
    """Text per page, with blank lines at paragraph gaps and '#' before larger-font headings."""
    import pypdf

    # A file without the trailing %%EOF marker is truncated; pypdf would silently
    # recover part of it, and silently losing pages is worse than refusing.
    if not data.lstrip().startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise DocumentError(path, MSG_PDF_CORRUPT)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
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
    return tuple(drop_replacement(_render_page(lines, body, heading_levels))[0] for lines in pages)


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
