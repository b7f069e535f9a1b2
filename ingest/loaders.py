"""Reading one input file into raw text, page by page.

The loaders do no cleaning beyond what only they can know: PDF page numbers,
paragraph gaps and heading sizes from the PDF layout, and Word heading styles.
Both of the latter are written as Markdown (blank lines, ``#`` headings) so
that :mod:`ingest.cleaning` treats every format the same way. Anything that
cannot be read raises :class:`DocumentError` with a Dutch reason a maintainer
can act on.
"""

from __future__ import annotations

import io
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
MSG_NOT_REGULAR = "dit is geen gewoon bestand (maar een pipe, apparaat of socket)"
MSG_UNREADABLE = "het bestand kan niet worden gelezen ({reason})"
MSG_TOO_LARGE = "het bestand is {size}; de grens is {limit} (instelling OPGAVEWIJZER_INGEST__MAX_MB)"
MSG_EMPTY = "het bestand is leeg"
MSG_PDF_CORRUPT = "de PDF is beschadigd en kan niet worden gelezen"
MSG_PDF_ENCRYPTED = "de PDF is versleuteld; lever een onbeveiligde versie aan"
MSG_PDF_NO_TEXT = "de PDF bevat geen leesbare tekst (alleen afbeeldingen?); lever een doorzoekbare PDF aan"
MSG_BINARY = "dit is geen tekstbestand (binaire inhoud)"
MSG_OTHER_FORMAT = "dit is geen tekstbestand maar {kind}; dat formaat wordt niet ondersteund"
MSG_BAD_BOM = "het bestand begint met een {encoding}-BOM maar is geen geldige {encoding}-tekst"
MSG_NOT_UTF8 = "de tekstcodering is niet te herkennen (geen UTF-8, UTF-16 of Windows-1252); sla het bestand op als UTF-8"
MSG_REPLACEMENT = (
    "de tekst bevat {count} vervangingsteken(s) (\ufffd), het eerste op regel {line}: het bestand is eerder "
    "verkeerd omgezet; sla het origineel opnieuw op als UTF-8"
)
MSG_DOCX_CORRUPT = "het Word-bestand is beschadigd en kan niet worden gelezen"
MSG_DOCX_BOMB = "het Word-bestand pakt uit tot {size}; dat is te groot om te lezen"
MSG_NO_WORDS = "de tekst bestaat grotendeels uit reeksen tekens zonder spaties (gecodeerde data?), niet uit woorden"

Format = Literal["pdf", "txt", "md", "docx"]

# Signatures of formats that can arrive under a text suffix. A PDF or Word file
# with the wrong extension is read for what it is; the others are named.
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OTHER_MAGIC = (
    (b"\x89PNG", "een PNG-afbeelding"), (b"\xff\xd8\xff", "een JPEG-afbeelding"), (b"GIF8", "een GIF-afbeelding"),
    (b"\xd0\xcf\x11\xe0", "een oud Office-bestand (.doc/.xls/.ppt)"), (b"{\\rtf", "een RTF-bestand"),
    (b"\x1f\x8b", "een gzip-archief"), (_ZIP_MAGIC, "een ZIP-archief"),
)
# Byte order marks, longest first (the UTF-32 LE mark starts like the UTF-16 LE one).
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"), (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"), (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
# A Word file is a ZIP archive; its parts may unpack to at most this much (a "zip bomb" would exhaust memory).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
# Runs of this many characters without a space are data (base64, minified code), not words;
# a text that is more than half such runs is refused.
LONG_RUN = 200
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_RUN},}}")  # tried once per run of non-spaces, not at every character
# Control characters other than tab, line feed, form feed and carriage return:
# more than this share of the first 4 KiB means binary content, not text.
BINARY_CONTROL_SHARE = 0.1
# UTF-16 without a BOM shows as a NUL in (nearly) every other byte of Latin text;
# this share of NULs at the odd (LE) or even (BE) positions, and almost none at the others, identifies it.
UTF16_NUL_SHARE = 0.6
# Text read as Windows-1252 whose non-ASCII characters are this often implausible
# (a symbol glued between letters, as Mac Roman or DOS code pages look in 1252) is refused.
IMPLAUSIBLE_SHARE = 0.2
# UTF-8 text that was read as Windows-1252 and saved as UTF-8 again ("CoÃ¶rdinatie"):
# a lead byte Â-ô followed by continuation bytes, each shown as its 1252 character.
_CONT = "\u0080-\u00bf\u0081\u008d\u008f\u0090\u009d\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d" \
    "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_MOJIBAKE = re.compile(f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}")

# The byte each Windows-1252 character stands for; the five bytes 1252 leaves
# undefined are shown by most tools as the C1 control of the same number.
_BYTE_OF_1252 = {bytes([b]).decode("cp1252", errors="ignore") or chr(b): b for b in range(0x80, 0x100)}

log = logging.getLogger(__name__)


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


def human_size(size: int) -> str:
    """A file size as a maintainer reads it: '20 MB', '20.5 MB', '4.1 KB'."""
    mb = size / 1024 / 1024
    return f"{round(mb, 1):g} MB" if mb >= 1 else f"{round(size / 1024, 1):g} KB"


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
        return RawDocument(path, "pdf", _load_pdf(path, data))
    if suffix == ".docx":
        text, notes = _load_docx(path)
        fmt: Format = "docx"
    elif data.startswith(_PDF_MAGIC):
        return RawDocument(path, "pdf", _load_pdf(path, data), (f"gelezen als PDF (de extensie is {path.suffix})",))
    elif data.startswith(_ZIP_MAGIC) and _is_docx(data):
        text, notes = _load_docx(path)
        fmt, notes = "docx", (f"gelezen als Word-bestand (de extensie is {path.suffix})", *notes)
    else:
        text, notes = _decode_text(path, data)
        fmt = "md" if suffix == ".md" else "txt"
    if not text.strip():
        raise DocumentError(path, MSG_EMPTY)
    return RawDocument(path, fmt, (RawPage(None, text),), notes)


# --- plain text -------------------------------------------------------------


def _decode_text(path: Path, data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode text: by its BOM (UTF-8, UTF-16, UTF-32), else strict UTF-8, else Windows-1252 if plausible.

    Binary content is told apart from text in another encoding, text that was
    double-encoded is repaired, and text holding U+FFFD (characters lost in an
    earlier conversion) is refused: nothing unreadable reaches the index.
    """
    notes: list[str] = []
    bom = next(((mark, codec, name) for mark, codec, name in _BOMS if data.startswith(mark)), None)
    if bom is not None:
        try:
            text = data[len(bom[0]):].decode(bom[1])
        except UnicodeDecodeError:
            raise DocumentError(path, MSG_BAD_BOM.format(encoding=bom[2])) from None
        if bom[2] != "UTF-8":
            notes.append(f"gelezen als {bom[2]} (met BOM)")
        _refuse_binary(path, text)
    else:
        for magic, kind in _OTHER_MAGIC:
            if data.startswith(magic):
                raise DocumentError(path, MSG_OTHER_FORMAT.format(kind=kind))
        codec = _utf16_without_bom(data)
        if codec is not None:
            text = data.decode(codec)
            notes.append("gelezen als UTF-16 (zonder BOM)")
        elif b"\x00" in data:
            raise DocumentError(path, MSG_BINARY)
        else:
            text = _decode_8bit(path, data, notes)
        _refuse_binary(path, text)
    text, repaired = _repair_mojibake(text)
    if repaired:
        notes.append(f"{repaired} dubbel gecodeerde teken(s) hersteld (zoals 'Ã©' voor 'é')")
    if "\ufffd" in text:
        line = text.count("\n", 0, text.index("\ufffd")) + 1
        raise DocumentError(path, MSG_REPLACEMENT.format(count=text.count("\ufffd"), line=line))
    return text.replace("\r\n", "\n").replace("\r", "\n"), tuple(notes)


def _refuse_binary(path: Path, text: str) -> None:
    """Binary content (control characters) or data without words (base64, minified code) is no text to search."""
    head = text[:4096]
    controls = sum(1 for c in head if ord(c) < 32 and c not in "\t\n\x0c\r")
    if "\x00" in text or controls > BINARY_CONTROL_SHARE * len(head):
        raise DocumentError(path, MSG_BINARY)
    runs = sum(m.end() - m.start() for m in _LONG_RUN.finditer(text))
    if runs > 0.5 * (len(text) - text.count(" ") - text.count("\n")):
        raise DocumentError(path, MSG_NO_WORDS)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NULs fill every other byte and the whole decodes strictly."""
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    for codec, nuls, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls.count(0) >= UTF16_NUL_SHARE * len(nuls) and others.count(0) <= 0.05 * len(others):
            try:
                sample = head.decode(codec, errors="ignore")
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            # Text, not NUL-padded binary: mostly printable ASCII, with spaces between words.
            readable = sum(c.isascii() and (c.isprintable() or c in "\t\n\r") for c in sample)
            return codec if readable >= 0.7 * len(sample) and any(c.isspace() for c in sample) else None
    return None


def _decode_8bit(path: Path, data: bytes, notes: list[str]) -> str:
    """Strict UTF-8, else Windows-1252 when the result reads as Western text."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise DocumentError(path, MSG_NOT_UTF8) from None  # bytes that 1252 leaves undefined
    if _implausible_1252(text):
        raise DocumentError(path, MSG_NOT_UTF8)
    notes.append("gelezen als Windows-1252 (geen UTF-8)")
    return text


def _implausible_1252(text: str) -> bool:
    """Whether text read as Windows-1252 shows the marks of another code page.

    Dutch and other Western text in 1252 has accented letters and typographic
    punctuation; text in Mac Roman or a DOS code page shows symbols in the
    middle of words instead ("co‰rdinatie", "caf‚").
    """
    odd = [m for m in re.finditer(r"[^\x00-\x7f]", text)]
    if not odd:
        return False
    inside = sum(
        1 for m in odd
        if not m.group().isalpha() and 0 < m.start() < len(text) - 1
        and text[m.start() - 1].isalpha() and text[m.start() + 1].isalpha()
    )
    return inside > IMPLAUSIBLE_SHARE * len(odd)


def _repair_mojibake(text: str) -> tuple[str, int]:
    """Undo UTF-8 that was read as Windows-1252 ("CoÃ¶rdinatie" → "Coördinatie"), sequence by sequence."""
    if not _MOJIBAKE.search(text):
        return text, 0
    repaired = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal repaired
        try:
            good = bytes(_BYTE_OF_1252[c] for c in match.group()).decode("utf-8")
        except (KeyError, UnicodeError):
            return match.group()
        repaired += 1
        return good

    return _MOJIBAKE.sub(fix, text), repaired


# --- Word -------------------------------------------------------------------

_HEADING_STYLE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.IGNORECASE)


def _is_docx(data: bytes) -> bool:
    """Whether a ZIP archive is a Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _drop_replacement(text: str) -> tuple[str, tuple[str, ...]]:
    """PDF and Word text with U+FFFD (a glyph without a character): the sign goes, the rest stays."""
    count = text.count("\ufffd")
    if not count:
        return text, ()
    return text.replace("\ufffd", ""), (f"{count} onleesbare teken(s) (\ufffd) weggelaten",)


def _load_docx(path: Path) -> tuple[str, tuple[str, ...]]:
    """Paragraphs and tables in document order; heading styles become '#' headings."""
    import docx  # local import: python-docx is slow to import and only needed here
    from docx.table import Table

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
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
    return _drop_replacement("\n".join(lines).rstrip())


# --- PDF --------------------------------------------------------------------


@dataclass
class _Line:
    text: str = ""
    y: float | None = None
    size: float = 0.0
    bold: bool = True  # becomes False as soon as one non-bold fragment is seen
    parts: list[str] = field(default_factory=list)


def _load_pdf(path: Path, data: bytes) -> tuple[RawPage, ...]:
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
    return tuple(RawPage(i + 1, _drop_replacement(_render_page(lines, body, heading_levels))[0])
                 for i, lines in enumerate(pages))


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
