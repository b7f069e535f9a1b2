"""Maintainer uploads: checks with exact reasons, storage, incremental ingest, live reload.

A one-document corpus in ``tmp_path`` keeps the index small; the model, the
loaders, Chroma and the knowledge base are the real ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ui.uploads import MSG_RESERVED, MSG_TOO_LARGE, Uploads, check_upload, result_markdown, safe_filename
from ingest.loaders import MSG_EMPTY, MSG_PDF_CORRUPT, MSG_UNSUPPORTED
from ingest.pipeline import run_ingest
from kb.knowledge_base import KnowledgeBase
from opgavewijzer.errors import DocumentError
from tests.pdfs import write_report_pdf

BASE_DOC = """# Werken aan opgaven

Een gemeente die opgavegericht werkt, zet de maatschappelijke opgave centraal in plaats van de eigen
afdeling. Medewerkers uit verschillende teams werken samen aan een gedeeld doel en betrekken
partners uit de regio. Het bestuur geeft een heldere opdracht en ruimte om te experimenteren.
"""
FACT_DOC = """# De Zilverreiger-afspraak

De Zilverreiger-afspraak is een werkwijze die de gemeente Kwakzandstad in 2031 invoerde voor al haar
maatschappelijke opgaven. Volgens de Zilverreiger-afspraak neemt elk opgaveteam drie stille weken in
acht voordat het bestuur een besluit neemt, zodat bewoners eerst hun eigen oplossing kunnen inbrengen.
"""


@pytest.fixture
def live(tmp_path: Path, make_settings, e5):  # noqa: ANN001, ANN201
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "basis.md").write_text(BASE_DOC, encoding="utf-8")
    (corpus / "sources.json").write_text(json.dumps({"documents": [
        {"id": "basis", "file": "basis.md", "title": "Werken aan opgaven"}]}), encoding="utf-8")
    settings = make_settings(corpus_dir=corpus, ui__upload_max_mb=1)
    assert run_ingest(settings, embedder=e5).ok
    kb = KnowledgeBase(settings, embedder=e5)
    return settings, kb, Uploads(settings, kb)


def refusal(settings, name: str, path: Path) -> str:  # noqa: ANN001
    with pytest.raises(DocumentError) as info:
        check_upload(settings, name, path)
    return str(info.value)


def test_checks_name_the_file_and_the_exact_reason(live, tmp_path: Path) -> None:  # noqa: ANN001
    settings, _, _ = live
    exe = tmp_path / "tmp123"
    exe.write_bytes(b"MZ\x90\x00")
    assert refusal(settings, "setup.exe", exe) == "setup.exe: " + MSG_UNSUPPORTED.format(suffix=".exe")
    big = tmp_path / "groot"
    big.write_bytes(b"a " * (600 * 1024))  # 1.2 MB of text, limit 1 MB
    assert refusal(settings, "groot.txt", big) == "groot.txt: " + MSG_TOO_LARGE.format(size=1.2, limit=1)
    empty = tmp_path / "leeg"
    empty.write_bytes(b"")
    assert refusal(settings, "leeg.md", empty) == f"leeg.md: {MSG_EMPTY}"
    broken = tmp_path / "kapot"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00 niet echt een pdf " * 50)
    assert refusal(settings, "kapot.pdf", broken) == f"kapot.pdf: {MSG_PDF_CORRUPT}"
    clash = tmp_path / "clash"
    clash.write_text(FACT_DOC, encoding="utf-8")
    assert refusal(settings, "Basis.md", clash) == "Basis.md: " + MSG_RESERVED.format(doc_id="basis")
    # Nothing refused is left behind.
    assert [p for p in settings.uploads_dir.rglob("*") if p.is_file()] == []


def test_file_names_are_made_safe_but_kept_as_written() -> None:
    assert safe_filename("../../etc/Passwd Notitie.PDF") == "Passwd Notitie.PDF"
    assert safe_filename("C:\\Users\\jan\\Plan van aanpak (v2).docx") == "Plan van aanpak (v2).docx"
    assert safe_filename("Notitie café – ‘Noord-Holland’.md") == "Notitie café – ‘Noord-Holland’.md"
    assert safe_filename("Notitie cafe\u0301.md") == "Notitie café.md"  # decomposed (a Mac) becomes NFC
    assert safe_filename("....md") == "document.md"
    assert safe_filename(".verborgen.txt") == "verborgen.txt"  # a leading dot would hide it from ingest
    assert safe_filename("regel\neen\x00twee.md") == "regel_een_twee.md"
    long = safe_filename("é" * 300 + ".md")
    assert long == "é" * 98 + ".md" and len(long.encode("utf-8")) <= 200


def test_an_upload_keeps_its_file_name_and_is_titled_by_its_own_heading(live, tmp_path: Path) -> None:  # noqa: ANN001
    settings, kb, uploads = live
    source = tmp_path / "browser-tmp-name"
    source.write_text(FACT_DOC, encoding="utf-8")
    result = uploads.add("Afspraak café – Zilverreiger.md", source)
    assert result.file.name == "Afspraak café – Zilverreiger.md"
    assert (settings.uploads_dir / "Afspraak café – Zilverreiger.md").is_file()
    # The document names itself in its H1; the file name is only the fallback for a document without a title.
    top = kb.search("Zilverreiger-afspraak stille weken", top_k=1)[0]
    assert top.doc_id == result.doc_id and top.title == "De Zilverreiger-afspraak"


def test_an_upload_that_copies_an_indexed_document_is_refused_naming_it(live, tmp_path: Path) -> None:  # noqa: ANN001
    settings, kb, uploads = live
    before = kb.info.collection
    copy = tmp_path / "browser-tmp-name"
    copy.write_text(BASE_DOC, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        uploads.add("kopie van basis.md", copy)
    assert str(info.value) == ("kopie van basis.md: het bestand kon niet in de index worden opgenomen: zelfde inhoud "
                               "als basis.md (in de index als 'basis'); dit bestand is overgeslagen")
    assert kb.info.collection == before
    assert [p for p in settings.uploads_dir.rglob("*") if p.is_file()] == []


def test_accepted_upload_is_stored_ingested_incrementally_and_searchable_at_once(live, tmp_path: Path) -> None:  # noqa: ANN001
    settings, kb, uploads = live
    before = kb.info.collection
    assert kb.search("Zilverreiger-afspraak stille weken", top_k=1)[0].doc_id == "basis"
    source = tmp_path / "browser-tmp-name"
    source.write_text(FACT_DOC, encoding="utf-8")
    seen: list[str] = []
    result = uploads.add("Zilverreiger afspraak.md", source, seen.append)
    assert result.doc_id == "zilverreiger_afspraak" and not result.replaced
    assert (settings.uploads_dir / "Zilverreiger afspraak.md").read_text(encoding="utf-8") == FACT_DOC
    assert result.report.added == ["zilverreiger_afspraak"] and result.report.unchanged == ["basis"]
    assert result.report.embedded == result.chunks  # only the new document was embedded
    assert seen[0] == "Bestand controleren…" and seen[-1] == "Index herladen…"
    assert f"Passages embedden: {result.chunks} van {result.chunks}" in seen
    # The shared knowledge base switched to the new build: the fact is found now.
    assert kb.info.collection != before
    top = kb.search("Zilverreiger-afspraak stille weken", top_k=1)[0]
    assert top.doc_id == "zilverreiger_afspraak" and "drie stille weken" in top.text
    assert result.chunks == 1
    assert result_markdown(result) == (
        "**Zilverreiger afspraak.md** is toegevoegd als document `zilverreiger_afspraak` (1 passage). "
        "Het is vanaf nu doorzoekbaar; 1 ander document bleef ongewijzigd.")


def test_uploading_the_same_name_again_replaces_the_document(live, tmp_path: Path) -> None:  # noqa: ANN001
    settings, kb, uploads = live
    first = tmp_path / "a"
    first.write_text(FACT_DOC, encoding="utf-8")
    uploads.add("notitie.md", first)
    second = tmp_path / "b"
    second.write_text(FACT_DOC.replace("drie stille weken", "vijf stille weken"), encoding="utf-8")
    result = uploads.add("notitie.md", second)
    assert result.replaced and result.report.updated == ["notitie"]
    assert "vijf stille weken" in kb.search("stille weken Zilverreiger", top_k=1)[0].text
    assert sorted(p.name for p in settings.uploads_dir.iterdir() if p.is_file()) == ["notitie.md"]


def test_an_uploaded_pdf_keeps_its_page_numbers(live, tmp_path: Path) -> None:  # noqa: ANN001
    _, kb, uploads = live
    pdf = write_report_pdf(tmp_path / "upload-tmp")
    result = uploads.add("testrapport.pdf", pdf)
    hits = kb.search("samenwerking in de regio", top_k=3, doc_ids=[result.doc_id])
    assert hits and all(h.page is not None for h in hits)
