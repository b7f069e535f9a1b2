"""Reading hostile files: encodings, wrong extensions, odd file kinds and the size limit.

Every file is generated here. A text in another encoding is decoded exactly
or refused with the reason; nothing that reaches the index holds U+FFFD.
"""

from __future__ import annotations

import base64
import os
import re
import zipfile
from pathlib import Path

import docx
import pytest

from ingest import loaders
from ingest.loaders import (
    LONG_RUN,
    MSG_BAD_BOM,
    MSG_BINARY,
    MSG_EMPTY,
    MSG_NOT_REGULAR,
    MSG_NOT_UTF8,
    MSG_NO_WORDS,
    MSG_OTHER_FORMAT,
    MSG_TOO_LARGE,
    check_file,
    human_size,
    load_document,
)
from opgavewijzer.errors import DocumentError
from tests.pdfs import write_report_pdf

TEXT = "Ideeën over coördinatie in België – ‘samen’ en “apart”, € 5 per café.\nTweede regel met ë en ï.\n"


def reason(path: Path, **kwargs: object) -> str:
    with pytest.raises(DocumentError) as info:
        load_document(path, **kwargs)
    assert info.value.path == path
    return info.value.reason


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("bom", "codec", "note"), [
    (b"\xff\xfe", "utf-16-le", "gelezen als UTF-16 (met BOM)"),
    (b"\xfe\xff", "utf-16-be", "gelezen als UTF-16 (met BOM)"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "gelezen als UTF-32 (met BOM)"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "gelezen als UTF-32 (met BOM)"),
])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path: Path, bom: bytes, codec: str, note: str) -> None:
    raw = load_document(write(tmp_path, "notitie.txt", bom + TEXT.replace("\n", "\r\n").encode(codec)))
    assert raw.text == TEXT and raw.format == "txt" and raw.notes == (note,)


def test_utf8_with_a_bom_needs_no_note(tmp_path: Path) -> None:
    raw = load_document(write(tmp_path, "notitie.md", TEXT.encode("utf-8-sig")))
    assert raw.text == TEXT and raw.notes == () and raw.format == "md"


def test_utf16_without_a_bom_is_recognised_by_its_zero_bytes(tmp_path: Path) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        raw = load_document(write(tmp_path, f"{codec}.txt", TEXT.encode(codec)))
        assert raw.text == TEXT and raw.notes == ("gelezen als UTF-16 (zonder BOM)",)


def test_a_byte_order_mark_before_broken_text_is_refused(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "kapot.txt", b"\xff\xfe" + "Goed".encode("utf-16-le") + b"\x00\xd8")) == (
        MSG_BAD_BOM.format(encoding="UTF-16"))


def test_windows_1252_is_decoded_and_noted(tmp_path: Path) -> None:
    raw = load_document(write(tmp_path, "oud.txt", TEXT.encode("cp1252")))
    assert raw.text == TEXT and raw.notes == ("gelezen als Windows-1252 (geen UTF-8)",)
    latin1 = load_document(write(tmp_path, "latin1.txt", "Café en coördinatie".encode("latin-1")))
    assert latin1.text == "Café en coördinatie"


@pytest.mark.parametrize("codec", ["mac_roman", "cp850"])
def test_another_code_page_is_refused_not_misread(tmp_path: Path, codec: str) -> None:
    # In 1252 these show symbols inside words ("co‰rdinatie"); better refused than indexed as mojibake.
    data = "Ideeën over coördinatie en efficiënte samenwerking in België.".encode(codec)
    assert reason(write(tmp_path, f"{codec}.txt", data)) == MSG_NOT_UTF8


def test_bytes_that_1252_leaves_undefined_are_refused(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "raar.txt", b"Tekst met \x81 en \x8d erin.")) == MSG_NOT_UTF8


def _as_mojibake(text: str) -> str:
    """UTF-8 bytes shown as Windows-1252 characters (undefined bytes as C1 controls), as a wrong import does."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


def test_double_encoded_text_is_repaired(tmp_path: Path) -> None:
    damaged = _as_mojibake(TEXT) + "Ýes, “echt”.\n"  # the last line is sound and must stay as it is
    assert "coÃ¶rdinatie" in damaged and "â€œapartâ€\x9d" in damaged
    raw = load_document(write(tmp_path, "mojibake.txt", damaged.encode("utf-8")))
    assert raw.text == TEXT + "Ýes, “echt”.\n"
    assert raw.notes == ("12 dubbel gecodeerde teken(s) hersteld (zoals 'Ã©' voor 'é')",)


def test_text_that_only_looks_like_mojibake_is_kept(tmp_path: Path) -> None:
    # Counter-example: "Ã" before a space and "Â" alone are letters, not broken sequences.
    text = "De letter Ã staat in São Paulo niet, Â ook niet.\n"
    assert load_document(write(tmp_path, "letters.txt", text.encode("utf-8"))).text == text


def test_replacement_characters_are_refused_with_the_line(tmp_path: Path) -> None:
    data = "Eerste regel.\nCaf\ufffd en co\ufffdrdinatie.\n".encode("utf-8")
    assert reason(write(tmp_path, "vervangen.txt", data)) == (
        "de tekst bevat 2 vervangingsteken(s) (\ufffd), het eerste op regel 2: het bestand is eerder verkeerd "
        "omgezet; sla het origineel opnieuw op als UTF-8")


@pytest.mark.parametrize(("data", "expected"), [
    (b"", MSG_EMPTY),
    (b" \n\t\n", MSG_EMPTY),
    (b"tekst\x00\x01\x02 met nullen", MSG_BINARY),
    (b"\x00\xff" * 100, MSG_BINARY),  # NULs in every other byte, but no readable UTF-16
    (b"\x89PNG\r\n\x1a\n" + bytes(40), MSG_OTHER_FORMAT.format(kind="een PNG-afbeelding")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), MSG_OTHER_FORMAT.format(kind="een oud Office-bestand (.doc/.xls/.ppt)")),
    (b"PK\x03\x04 geen Word", MSG_OTHER_FORMAT.format(kind="een ZIP-archief")),
])
def test_files_that_are_not_text(tmp_path: Path, data: bytes, expected: str) -> None:
    assert reason(write(tmp_path, "bestand.txt", data)) == expected


def test_a_pdf_or_word_file_with_a_text_extension_is_read_for_what_it_is(tmp_path: Path) -> None:
    pdf = write(tmp_path, "rapport.txt", write_report_pdf(tmp_path / "echt.pdf").read_bytes())
    raw = load_document(pdf)
    assert raw.format == "pdf" and len(raw.pages) == 3 and raw.notes == ("gelezen als PDF (de extensie is .txt)",)
    document = docx.Document()
    document.add_paragraph("De inleiding over coördinatie.")
    document.save(str(tmp_path / "echt.docx"))
    word = write(tmp_path, "notitie.md", (tmp_path / "echt.docx").read_bytes())
    raw = load_document(word)
    assert raw.format == "docx" and raw.text == "De inleiding over coördinatie."
    assert raw.notes == ("gelezen als Word-bestand (de extensie is .md)",)


def test_a_named_pipe_is_refused_without_reading_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pijp.txt"
    os.mkfifo(fifo)
    assert reason(fifo) == MSG_NOT_REGULAR  # reading it would block for ever


def test_the_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    # A sparse file of 3 GB: reading it would take seconds and gigabytes, checking its size takes neither.
    huge = tmp_path / "enorm.txt"
    with huge.open("wb") as handle:
        handle.truncate(3 * 1024**3)
    limit = 20 * 1024 * 1024
    assert reason(huge, max_bytes=limit) == MSG_TOO_LARGE.format(size="3072 MB", limit="20 MB")
    assert reason(huge, max_bytes=limit) == "het bestand is 3072 MB; de grens is 20 MB (instelling OPGAVEWIJZER_INGEST__MAX_MB)"
    small = write(tmp_path, "klein.txt", b"Precies op de grens.")
    assert check_file(small, max_bytes=small.stat().st_size) == small.stat().st_size  # at the limit is allowed
    assert reason(small, max_bytes=small.stat().st_size - 1) == MSG_TOO_LARGE.format(size="0 KB", limit="0 KB")
    assert MSG_TOO_LARGE.format(size=human_size(21_500_000), limit=human_size(20 * 1024 * 1024)).startswith(
        "het bestand is 20.5 MB; de grens is 20 MB")


def test_data_without_words_is_refused(tmp_path: Path) -> None:
    blob = base64.b64encode(bytes(range(256)) * 40).decode("ascii")  # one 13,000-character "word"
    assert reason(write(tmp_path, "export.txt", f"Bijlage:\n{blob}\n".encode())) == MSG_NO_WORDS
    # Counter-example: a long link or code in running text is part of it.
    prose = ("De gemeente publiceert de plannen en de raad besluit erover in de vergadering. " * 30
             + "x" * (LONG_RUN + 10))
    assert load_document(write(tmp_path, "notitie.txt", prose.encode())).text == prose


def test_a_word_file_that_unpacks_beyond_the_limit_is_refused(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    document = docx.Document()
    document.add_paragraph("Een gewone alinea.")
    path = tmp_path / "bom.docx"
    document.save(str(path))
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/opvulling.bin", bytes(3 * 1024 * 1024))  # 3 MB of zeros, a few KB packed
    monkeypatch.setattr(loaders, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)  # the real limit is 512 MB
    assert re.fullmatch(r"het Word-bestand pakt uit tot 3\.\d MB; dat is te groot om te lezen", reason(path))
    monkeypatch.setattr(loaders, "MAX_UNPACKED_BYTES", 8 * 1024 * 1024)
    assert load_document(path).text == "Een gewone alinea."
