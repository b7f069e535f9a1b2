"""Decoding the bytes of a text file: its one job is turning bytes into trustworthy text.

By BOM (UTF-8, UTF-16, UTF-32), UTF-16 without a BOM, strict UTF-8 or a
plausible Windows-1252; double-encoded characters are repaired, binary content
and other formats are refused, and text holding U+FFFD never gets through.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.messages import (
    MSG_BAD_BOM,
    MSG_BINARY,
    MSG_NO_WORDS,
    MSG_NOT_UTF8,
    MSG_OTHER_FORMAT,
    MSG_REPLACEMENT,
)
from opgavewijzer.errors import DocumentError

# Signatures of formats that can arrive under a text suffix. A PDF or Word file
# with the wrong extension is read for what it is; the others are named.
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
_OTHER_MAGIC = (
    (b"\x89PNG", "een PNG-afbeelding"), (b"\xff\xd8\xff", "een JPEG-afbeelding"), (b"GIF8", "een GIF-afbeelding"),
    (b"\xd0\xcf\x11\xe0", "een oud Office-bestand (.doc/.xls/.ppt)"), (b"{\\rtf", "een RTF-bestand"),
    (b"\x1f\x8b", "een gzip-archief"), (ZIP_MAGIC, "een ZIP-archief"),
)
# Byte order marks, longest first (the UTF-32 LE mark starts like the UTF-16 LE one).
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"), (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"), (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
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


def decode_text(path: Path, data: bytes) -> tuple[str, tuple[str, ...]]:
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


def drop_replacement(text: str) -> tuple[str, tuple[str, ...]]:
    """PDF and Word text with U+FFFD (a glyph without a character): the sign goes, the rest stays."""
    count = text.count("\ufffd")
    if not count:
        return text, ()
    return text.replace("\ufffd", ""), (f"{count} onleesbare teken(s) (\ufffd) weggelaten",)
