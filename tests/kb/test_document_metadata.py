"""Every document gets its metadata at ingest: from the document itself, overridden by sources.json and by the maintainer.

Real files of each format, a real ingest into a local Chroma folder with the real e5 model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.document_edits import EDITS_FILE, load_edits, set_document
from ingest.pipeline import run_ingest
from kb.knowledge_base import KnowledgeBase
from kb.store import ChromaStore
from kb.types import DocumentRecord

RAPPORT = """# Evaluatie van de wijkaanpak in de gemeente Holtenbroek

Rekenkamercommissie Holtenbroek, eindrapport, 3 februari 2025

## Samenvatting

Dit rapport beschrijft hoe de gemeente Holtenbroek sinds 2021 met wijkteams werkt. Holtenbroek koos
voor vier wijken. De wijkteams werken samen met de woningcorporatie Holtenhuis.

## Aanbevelingen

Wij bevelen aan om per wijk een vaste regisseur aan te stellen die het overleg met bewoners leidt.
"""

NOTITIE_TXT = """Samenwerking met de Veiligheidsregio IJsselland

Deze notitie vat de afspraken samen over de oefeningen van 2024. De veiligheidsregio plant twee oefeningen
per jaar en de gemeenten leveren elk een coördinator.
"""

PLAIN_TXT = """Werken in netwerken

Netwerken zijn belangrijk voor ambtenaren. Zij leren van elkaar en delen kennis over wijken en opgaven.
"""


def ingest(make_settings, e5, files: dict[str, str], tmp_path: Path, sources: list | None = None):  # noqa: ANN001, ANN201
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    if sources is not None:
        (folder / "sources.json").write_text(json.dumps({"documents": sources}), encoding="utf-8")
        paths = [folder]
    else:
        paths = [folder / name for name in files]
    settings = make_settings(corpus_dir=folder)
    report = run_ingest(settings, paths, embedder=e5)
    assert report.ok, report.failed
    return settings, ChromaStore(settings).active_info().documents


def test_a_markdown_report_is_named_by_its_h1_kind_publisher_and_date(make_settings, e5, tmp_path: Path) -> None:
    settings, docs = ingest(make_settings, e5, {"evaluatie-wijkaanpak-holtenbroek.md": RAPPORT}, tmp_path)
    record = docs["evaluatie_wijkaanpak_holtenbroek"]
    assert record.title == "Evaluatie van de wijkaanpak in de gemeente Holtenbroek"
    assert record.short_title == "Evaluatie van de wijkaanpak in de gemeente Holtenbroek"
    assert record.kind == "rapport"  # "Dit rapport …", although the title starts with "Evaluatie"
    assert record.names == {"nl": "het rapport ‘Evaluatie van de wijkaanpak in de gemeente Holtenbroek’",
                            "en": "the report ‘Evaluatie van de wijkaanpak in de gemeente Holtenbroek’"}
    assert record.publisher == "Rekenkamercommissie Holtenbroek"
    assert record.date == "3 februari 2025"
    assert record.aliases == ["Holtenbroek"]
    assert record.topics == ["wijkaanpak"]
    kb = KnowledgeBase(settings, embedder=e5)
    # Passages, and so every citation, carry the title: never the file name.
    assert {c.title for c in kb.chunks} == {record.title}
    assert kb.search("vaste regisseur per wijk", top_k=1)[0].title == record.title


def test_a_text_file_is_titled_by_its_first_line_and_names_its_kind_or_document(make_settings, e5, tmp_path: Path) -> None:
    _, docs = ingest(make_settings, e5, {"afspraken_2024.txt": NOTITIE_TXT, "netwerken.txt": PLAIN_TXT}, tmp_path)
    notitie = docs["afspraken_2024"]
    assert notitie.title == "Samenwerking met de Veiligheidsregio IJsselland"
    assert notitie.kind == "notitie"
    assert notitie.names["nl"] == "de notitie ‘Samenwerking met de Veiligheidsregio IJsselland’"
    # A proper name the text writes capitalised; not "veiligheidsregio", an everyday word there.
    assert notitie.aliases == ["IJsselland"]
    plain = docs["netwerken"]
    assert plain.title == "Werken in netwerken" and plain.kind == ""
    assert plain.names == {"nl": "het document ‘Werken in netwerken’", "en": "the document ‘Werken in netwerken’"}


def test_word_core_properties_and_pdf_document_info_give_the_title(make_settings, e5, tmp_path: Path) -> None:
    import docx
    import fpdf

    folder = tmp_path / "docs"
    folder.mkdir()
    word = docx.Document()
    word.core_properties.title = "Handreiking voor opgaveteams"
    word.add_paragraph("Een opgaveteam kiest samen met de opdrachtgever een heldere ambitie voor de komende jaren.")
    word.save(str(folder / "bestand1.docx"))
    pdf = fpdf.FPDF()
    pdf.set_title("Jaarverslag Opgavegericht Werken 2024")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "In 2024 werkten vier opgaveteams samen met partners uit de regio aan woningbouw en energie.")
    pdf.output(str(folder / "scan_0001.pdf"))
    settings = make_settings()
    run_ingest(settings, [folder / "bestand1.docx", folder / "scan_0001.pdf"], embedder=e5)
    docs = ChromaStore(settings).active_info().documents
    assert docs["bestand1"].title == "Handreiking voor opgaveteams"
    assert docs["scan_0001"].title == "Jaarverslag Opgavegericht Werken 2024"
    assert docs["scan_0001"].names["nl"] == "het verslag ‘Jaarverslag Opgavegericht Werken 2024’"


def test_sources_json_overrides_field_by_field(make_settings, e5, tmp_path: Path) -> None:
    sources = [{"id": "holtenbroek", "file": "rapport.md", "title": "Wijkaanpak Holtenbroek (evaluatie)",
                "aliases": ["wijkaanpak-rapport"], "topics": ["wijkteams"]}]
    _, docs = ingest(make_settings, e5, {"rapport.md": RAPPORT}, tmp_path, sources)
    record = docs["holtenbroek"]
    assert record.title == "Wijkaanpak Holtenbroek (evaluatie)"  # from sources.json
    assert record.aliases == ["wijkaanpak-rapport"] and record.topics == ["wijkteams"]
    assert record.publisher == "Rekenkamercommissie Holtenbroek" and record.date == "3 februari 2025"  # from the text
    assert record.names["nl"] == "het rapport ‘Wijkaanpak Holtenbroek (evaluatie)’"


def test_a_maintainers_edit_shows_at_once_and_survives_a_reingest(make_settings, e5, tmp_path: Path) -> None:
    settings, _ = ingest(make_settings, e5, {"rapport.md": RAPPORT}, tmp_path)
    kb = KnowledgeBase(settings, embedder=e5)
    record = set_document(settings, "rapport", {"title": "Wijkaanpak Holtenbroek", "aliases": ["wijkrapport"]})
    assert isinstance(record, DocumentRecord)
    assert record.short_title == "Wijkaanpak Holtenbroek"
    assert record.names["nl"] == "het rapport ‘Wijkaanpak Holtenbroek’"
    assert load_edits(settings) == {"rapport": {"title": "Wijkaanpak Holtenbroek", "aliases": ["wijkrapport"]}}
    assert (settings.data_dir / EDITS_FILE).is_file()
    assert kb.refresh() is True and {c.title for c in kb.chunks} == {"Wijkaanpak Holtenbroek"}
    assert kb.info.documents["rapport"].aliases == ["wijkrapport"]
    # The document changes and is read again: the edit still wins, the rest is read anew.
    (tmp_path / "docs" / "rapport.md").write_text(RAPPORT.replace("3 februari 2025", "4 maart 2025"), encoding="utf-8")
    report = run_ingest(settings, [tmp_path / "docs" / "rapport.md"], embedder=e5)
    assert report.updated == ["rapport"]
    again = ChromaStore(settings).active_info().documents["rapport"]
    assert (again.title, again.aliases, again.date) == ("Wijkaanpak Holtenbroek", ["wijkrapport"], "4 maart 2025")


def test_an_edit_of_a_document_not_in_the_index_is_refused(make_settings, e5, tmp_path: Path) -> None:
    from opgavewijzer.errors import ConfigError

    settings, _ = ingest(make_settings, e5, {"rapport.md": RAPPORT}, tmp_path)
    with pytest.raises(ConfigError, match="'onbekend' is not in the index"):
        set_document(settings, "onbekend", {"title": "X"})
    assert load_edits(settings) == {}
