"""Markdown read as Markdown: lists, run-in labels, quotes, tables, footnotes and heading paths survive."""

from __future__ import annotations

from pathlib import Path

from ingest.chunking import chunk_document
from ingest.cleaning import Block, clean_document
from ingest.loaders import load_document
from ingest.markdown import markdown_paragraphs
from ingest.sentences import with_sentences
from kb.types import SourceInfo

SOURCE = SourceInfo(doc_id="evaluatie", file="evaluatie.md", title="Evaluatie")

FILLER = ("De gemeente werkte in deze periode samen met partners uit de wijk en de regio, en legde de "
          "resultaten vast in een jaarlijkse rapportage voor de raad. ")

DOCUMENT = f"""# Evaluatie wijkaanpak

## Aanbevelingen

{FILLER * 5}

Wij doen de volgende aanbevelingen:

- Maak één opdrachtgever verantwoordelijk.
- Beleg het budget bij de opgave.
- Geef het team mandaat.
- Betrek inwoners vanaf het begin.
- Meet wat de wijk merkt.
- Houd de raad op de hoogte.
- Leer van elke ronde.

## Rollen

**Ambtelijk opdrachtgever.** De ambtelijk opdrachtgever bewaakt de kaders van de opgave.

> Een wethouder zei: de wijk verandert
> niet vanuit het stadhuis.

1. Eerst de wijk.
2. Dan het stadhuis.

### Cijfers

| Jaar | Bewoners bereikt |
|------|------------------|
| 2023 | 120 |
| 2024 | 340 |

Het bereik verdrievoudigde[^1] in een jaar.

[^1]: Bron: wijkmonitor 2024.
"""


def blocks_of(tmp_path: Path, text: str = DOCUMENT) -> list[Block]:
    path = tmp_path / "evaluatie.md"
    path.write_text(text, encoding="utf-8")
    return clean_document(load_document(path))


def test_each_construct_is_read_as_markdown(tmp_path: Path) -> None:
    texts = [(b.kind, b.level, b.text) for b in blocks_of(tmp_path)]
    assert texts[:3] == [("heading", 1, "Evaluatie wijkaanpak"), ("heading", 2, "Aanbevelingen"),
                         ("text", 2, FILLER.strip() + (" " + FILLER.strip()) * 4)]
    assert texts[3:] == [
        ("text", 2, "Wij doen de volgende aanbevelingen:"),
        ("text", 2, "- Maak één opdrachtgever verantwoordelijk."),
        ("text", 2, "- Beleg het budget bij de opgave."),
        ("text", 2, "- Geef het team mandaat."),
        ("text", 2, "- Betrek inwoners vanaf het begin."),
        ("text", 2, "- Meet wat de wijk merkt."),
        ("text", 2, "- Houd de raad op de hoogte."),
        ("text", 2, "- Leer van elke ronde."),
        ("heading", 2, "Rollen"),
        ("text", 2, "Ambtelijk opdrachtgever: De ambtelijk opdrachtgever bewaakt de kaders van de opgave."),
        ("text", 2, "Een wethouder zei: de wijk verandert niet vanuit het stadhuis."),
        ("text", 2, "1. Eerst de wijk."),
        ("text", 2, "2. Dan het stadhuis."),
        ("heading", 3, "Cijfers"),
        ("text", 3, "Jaar: 2023; Bewoners bereikt: 120."),
        ("text", 3, "Jaar: 2024; Bewoners bereikt: 340."),
        ("text", 3, "Het bereik verdrievoudigde in een jaar."),
        ("text", 3, "Noot 1: Bron: wijkmonitor 2024."),
    ]


def test_a_list_stays_in_one_passage_with_its_announcement(tmp_path: Path) -> None:
    doc = chunk_document(blocks_of(tmp_path), SOURCE, target_words=60, max_words=90, min_words=30)
    holding = [c for c in doc.chunks if "Maak één opdrachtgever" in c.text or "Leer van elke ronde" in c.text]
    assert len(holding) == 1
    assert "Wij doen de volgende aanbevelingen:\n\n- Maak één opdrachtgever verantwoordelijk." in holding[0].text
    assert holding[0].text.endswith("- Leer van elke ronde.")
    # Counter-example: plain paragraphs are still cut where the words say.
    assert sum("partners uit de wijk" in c.text for c in doc.chunks) >= 2


def test_every_passage_carries_the_heading_path_it_sits_under(tmp_path: Path) -> None:
    doc = with_sentences(chunk_document(blocks_of(tmp_path), SOURCE, target_words=40, max_words=80, min_words=30))
    def path_of(text: str) -> tuple[str, ...]:
        return next(c.section_path for c in doc.chunks if text in c.text)

    assert path_of("- Leer van elke ronde.") == ("Evaluatie wijkaanpak", "Aanbevelingen")
    assert path_of("2. Dan het stadhuis.") == ("Evaluatie wijkaanpak", "Rollen")
    # The small 'Cijfers' section sits under 'Rollen' and may join it; never a section beside it.
    assert path_of("Noot 1: Bron: wijkmonitor 2024.")[:2] == ("Evaluatie wijkaanpak", "Rollen")
    assert all(c.section_path[:2] == ("Evaluatie wijkaanpak", "Rollen") for c in doc.chunks if "Jaar: 2023" in c.text)
    # The note follows the sentence that refers to it, in the same passage; the run-in label is no sentence.
    noted = next(c for c in doc.chunks if "Noot 1" in c.text)
    assert "Het bereik verdrievoudigde in een jaar.\n\nNoot 1: Bron: wijkmonitor 2024." in noted.text
    quoted = {doc.text[s.start:s.end] for c in doc.chunks for s in c.sentences}
    assert "Ambtelijk opdrachtgever: De ambtelijk opdrachtgever bewaakt de kaders van de opgave." in quoted
    assert "Ambtelijk opdrachtgever." not in quoted
    roles = {doc.text[s.start:s.end]: s.role for c in doc.chunks for s in c.sentences}
    assert roles["- Geef het team mandaat."] == "list_item"


def test_sibling_sections_are_not_merged_under_the_wrong_heading(tmp_path: Path) -> None:
    text = "# Rapport\n\n## Een\n\nKort stuk over wonen.\n\n## Twee\n\n" + FILLER * 3
    doc = chunk_document(blocks_of(tmp_path, text), SOURCE, target_words=60, max_words=90, min_words=30)
    assert [(c.section_path, c.text.split("\n")[-1][:20]) for c in doc.chunks] == [
        (("Rapport", "Een"), "Kort stuk over wonen"), (("Rapport", "Twee"), FILLER[:20])]


def test_markdown_markup_that_is_no_structure_is_left_to_the_cleaning(tmp_path: Path) -> None:
    text = ("Tekst met een [link](https://example.org) en *nadruk*.\n\n**Let op:** dit blijft.\n\n"
            "**Prof. dr. A. de Vries** is hoogleraar.\n\n[^x]: Een noot waar niemand naar verwijst.\n")
    assert [b.text for b in blocks_of(tmp_path, text)] == [
        "Tekst met een link en nadruk.", "Let op: dit blijft.", "Prof. dr. A. de Vries is hoogleraar.",
        "Noot: Een noot waar niemand naar verwijst."]


def test_numbering_decides_heading_levels_when_the_marks_contradict_it(tmp_path: Path) -> None:
    def paths(text: str) -> dict[str, tuple[str, ...]]:
        doc = chunk_document(blocks_of(tmp_path, text), SOURCE, target_words=20, max_words=40, min_words=10)
        return {c.section_path[-1]: c.section_path for c in doc.chunks}

    para = "Dit deel gaat over de aanpak van de opgave en de rol van de partners in de stad en de regio.\n\n"
    # Chapter 3 marked '###' and chapter 4 '#', the unnumbered sections of chapter 3 marked at random.
    damaged = (f"# Rapport\n\n# 1. Inleiding\n\n{para}### 3. Opgaven\n\n{para}## Wonen\n\n{para}## Asiel\n\n{para}"
               f"### Sancties\n\n{para}# 4. Patronen\n\n{para}## 4.1 Politiek\n\n{para}#### Expliciteren\n\n{para}"
               f"# Over de school\n\n{para}## Colofon\n\n{para}")
    found = paths(damaged)
    assert found["Sancties"] == ("3. Opgaven", "Sancties")  # beside "Asiel", not under it
    assert found["Wonen"] == ("3. Opgaven", "Wonen")
    assert found["Expliciteren"] == ("4. Patronen", "4.1 Politiek", "Expliciteren")
    assert found["Colofon"] == ("Over de school", "Colofon")
    # Marks that agree with the numbering are kept as marked.
    sound = f"# Rapport\n\n## 1. Inleiding\n\n{para}### 1.1 Aanleiding\n\n{para}## 2. Aanpak\n\n{para}### Colofon\n\n{para}"
    assert [(p.heading, p.lines[0]) for p in markdown_paragraphs(sound) if p.heading] == [
        (1, "Rapport"), (2, "1. Inleiding"), (3, "1.1 Aanleiding"), (2, "2. Aanpak"), (3, "Colofon")]
