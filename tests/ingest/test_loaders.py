"""Loading files: every supported format, and a clear Dutch reason for every bad one."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from ingest.loaders import SUPPORTED_SUFFIXES, RawDocument, RawPage, load_document
from opgavewijzer.errors import DocumentError, OpgavewijzerError
from opgavewijzer.settings import PROJECT_ROOT
from tests.pdfs import (
    TITLE_1,
    TITLE_21,
    write_empty_file,
    write_encrypted_pdf,
    write_image_only_pdf,
    write_permissions_only_pdf,
    write_report_pdf,
    write_truncated_pdf,
)

CORPUS = PROJECT_ROOT / "corpus"


def reason(path: Path) -> str:
    """The reason of the DocumentError that loading ``path`` raises."""
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert info.value.path == path
    assert str(info.value) == f"{path.name}: {info.value.reason}"
    assert isinstance(info.value, OpgavewijzerError)
    return info.value.reason


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == frozenset({".pdf", ".txt", ".md", ".docx"})


@pytest.mark.parametrize("name", ["tabel.xlsx", "oud.DOC", "scan.png"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("inhoud", encoding="utf-8")
    suffix = path.suffix
    assert reason(path) == f"bestandstype '{suffix}' wordt niet ondersteund (wel: .docx, .md, .pdf, .txt)"


def test_upper_case_suffix_is_supported(tmp_path: Path) -> None:
    path = tmp_path / "NOTITIE.TXT"
    path.write_text("Een korte notitie.", encoding="utf-8")
    assert load_document(path).format == "txt"


def test_missing_file(tmp_path: Path) -> None:
    assert reason(tmp_path / "bestaat-niet.pdf") == "bestand niet gevonden"
    folder = tmp_path / "map.pdf"
    folder.mkdir()
    assert reason(folder) == "bestand niet gevonden"


@pytest.mark.parametrize("name", ["leeg.pdf", "leeg.txt", "leeg.md", "leeg.docx"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    assert reason(write_empty_file(tmp_path / name)) == "het bestand is leeg"


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "spaties.md"
    path.write_text("  \n\n\t \n", encoding="utf-8")
    assert reason(path) == "het bestand is leeg"


def test_truncated_pdf(tmp_path: Path) -> None:
    assert reason(write_truncated_pdf(tmp_path / "afgebroken.pdf")) == "de PDF is beschadigd en kan niet worden gelezen"


def test_garbage_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "nep.pdf"
    path.write_bytes(b"Dit is helemaal geen PDF, maar platte tekst.\n%%EOF\n")
    assert reason(path) == "de PDF is beschadigd en kan niet worden gelezen"


def test_encrypted_pdf(tmp_path: Path) -> None:
    assert reason(write_encrypted_pdf(tmp_path / "geheim.pdf")) == "de PDF is versleuteld; lever een onbeveiligde versie aan"


def test_pdf_with_only_an_owner_password_is_readable(tmp_path: Path) -> None:
    # Encryption that only restricts printing or editing needs no password to read.
    raw = load_document(write_permissions_only_pdf(tmp_path / "beperkt.pdf"))
    assert "professiona-" in raw.text


def test_image_only_pdf(tmp_path: Path) -> None:
    assert reason(write_image_only_pdf(tmp_path / "scan.pdf")) == (
        "de PDF bevat geen leesbare tekst (alleen afbeeldingen?); lever een doorzoekbare PDF aan")


def test_pdf_pages_keep_their_numbers_and_headings(tmp_path: Path) -> None:
    raw = load_document(write_report_pdf(tmp_path / "rapport.pdf"))
    assert raw.format == "pdf" and raw.path == tmp_path / "rapport.pdf"
    assert [page.number for page in raw.pages] == [1, 2, 3]
    assert f"# {TITLE_1}" in raw.pages[0].text.split("\n")  # larger font → heading, level by size
    assert f"## {TITLE_21}" in raw.pages[2].text.split("\n")
    assert "professiona-\nlisering" in raw.pages[0].text and "ideeën" in raw.pages[0].text
    assert "\n\n" in raw.pages[0].text  # paragraph gaps survive as blank lines
    assert raw.text == "\n\n".join(page.text for page in raw.pages)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_binary_content(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"data{suffix}"
    path.write_bytes(b"tekst\x00\x01\x02 met nullen")
    assert reason(path) == "dit is geen tekstbestand (binaire inhoud)"
    renamed = tmp_path / f"rapport{suffix}"  # a PDF under a text extension is read as the PDF it is
    renamed.write_bytes(write_report_pdf(tmp_path / "echt.pdf").read_bytes())
    assert load_document(renamed).format == "pdf"


@pytest.mark.parametrize(("encoding", "note"), [
    ("latin-1", "gelezen als Windows-1252 (geen UTF-8)"), ("utf-16", "gelezen als UTF-16 (met BOM)")])
def test_text_not_in_utf8(tmp_path: Path, encoding: str, note: str) -> None:
    path = tmp_path / "notitie.txt"
    path.write_bytes("Ideeën over coördinatie in België.".encode(encoding))
    raw = load_document(path)
    assert raw.text == "Ideeën over coördinatie in België." and raw.notes == (note,)


def test_utf8_with_bom_and_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "notitie.md"
    path.write_bytes("\ufeff# Titel\r\nIdeeën.\r\n".encode("utf-8"))
    assert load_document(path) == RawDocument(path, "md", (RawPage(None, "# Titel\nIdeeën.\n"),))


def test_corpus_text_files() -> None:
    raw = load_document(CORPUS / "vijf-bouwstenen-opgavegericht-werken.txt")
    assert raw.format == "txt" and len(raw.pages) == 1 and raw.pages[0].number is None
    assert raw.text == (CORPUS / "vijf-bouwstenen-opgavegericht-werken.txt").read_text(encoding="utf-8")
    assert load_document(CORPUS / "nsob-de-opgave-aan-tafel.md").format == "md"


def test_docx_headings_lists_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Opgavegericht werken", level=1)
    document.add_paragraph("De inleiding over coördinatie.")
    document.add_heading("Rollen", level=2)
    document.add_paragraph("De ambtelijk opdrachtgever.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Opgavemanager", "Sturen op samenhang"
    path = tmp_path / "notitie.docx"
    document.save(str(path))
    raw = load_document(path)
    assert raw.format == "docx" and raw.pages[0].number is None
    assert raw.text.split("\n\n")[:5] == [
        "# Opgavegericht werken", "De inleiding over coördinatie.", "## Rollen",
        "- De ambtelijk opdrachtgever.", "| Opgavemanager | Sturen op samenhang |",
    ]


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "leeg.docx"
    docx.Document().save(str(path))
    assert reason(path) == "het bestand is leeg"


def test_corrupt_docx(tmp_path: Path) -> None:
    message = "het Word-bestand is beschadigd en kan niet worden gelezen"
    garbage = tmp_path / "kapot.docx"
    garbage.write_bytes(b"PK\x03\x04 dit is geen zip")
    assert reason(garbage) == message
    no_word = tmp_path / "zip.docx"
    with zipfile.ZipFile(no_word, "w") as archive:
        archive.writestr("hallo.txt", "hoi")
    assert reason(no_word) == message
    good = tmp_path / "goed.docx"
    docx.Document().save(str(good))
    truncated = tmp_path / "half.docx"
    truncated.write_bytes(good.read_bytes()[:3000])
    assert reason(truncated) == message
