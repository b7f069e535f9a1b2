"""Cleaning: the inline repairs, the structure found in the real corpus, and no lost text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.cleaning import Block, clean_document, clean_inline
from ingest.repairs import NOTE_REACH, footnote_lines, footnote_marks
from ingest.loaders import RawDocument, RawPage, load_document
from kb.sources import load_sources
from opgavewijzer.settings import PROJECT_ROOT
from tests.pdfs import HEADER, TITLE_1, TITLE_2, TITLE_21, write_report_pdf

CORPUS = PROJECT_ROOT / "corpus"
SOURCES = load_sources(CORPUS / "sources.json")


@lru_cache(maxsize=None)
def corpus_blocks(doc_id: str) -> tuple[RawDocument, tuple[Block, ...]]:
    raw = load_document(CORPUS / SOURCES[doc_id].file)
    return raw, tuple(clean_document(raw))


def headings(doc_id: str) -> list[str]:
    return [b.text for b in corpus_blocks(doc_id)[1] if b.kind == "heading"]


def block_with(doc_id: str, needle: str) -> Block:
    found = [b for b in corpus_blocks(doc_id)[1] if needle in b.text]
    assert len(found) == 1, f"{needle!r} in {len(found)} blocks"
    return found[0]


# --- word survival --------------------------------------------------------------

_LINK = re.compile(r"://|^<?www\.|^file:|^[a-z]:\\|^/(?:users|home|volumes)/")
_WORD = re.compile(r"[^\W_]+")
_TRAILING_DIGITS = re.compile(r"(?<=[^\W\d_])\d+$")


def _words(text: str, *, raw: bool) -> Counter[str]:
    """Comparable words: lower case, no punctuation, links skipped, footnote digits and page numbers ignored.

    On the raw side a word broken by a hyphen at a line end counts as the joined
    word; on the cleaned side a hyphenated compound also counts as joined, so
    that "Noord-\\nHolland" → "Noord-Holland" and "professiona-\\nlisering" →
    "professionalisering" both match.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    if raw:
        text = re.sub(r"<[^<>]*>", " ", text)  # HTML tags and <autolinks>
        text = re.sub(r"(\w)-[ \t]*\n\s*(?!(?:en|of|tot)\b)(\w)", r"\1\2", text)
    words: Counter[str] = Counter()
    for token in text.split():
        if _LINK.search(token):
            continue
        for word in _WORD.findall(token):
            if not word.isalpha():
                word = _TRAILING_DIGITS.sub("", word)  # "opgaven12" → "opgaven"
                if word.isdigit() and len(word) <= 3:  # page numbers, footnote numbers
                    continue
            words[word] += 1
        if not raw and "-" in token:
            parts = ["".join(_WORD.findall(p)) for p in token.split("-")]
            words.update(a + b for a, b in zip(parts, parts[1:]) if a and b)
    return words


def word_survival(raw_text: str, cleaned_text: str) -> float:
    """Share of the raw words (as a multiset) that occur in the cleaned text."""
    raw, cleaned = _words(raw_text, raw=True), _words(cleaned_text, raw=False)
    total = sum(raw.values())
    return sum(min(n, cleaned[w]) for w, n in raw.items()) / total if total else 1.0


def chunks_text(doc_id: str) -> str:
    chunked = chunk_document(corpus_blocks(doc_id)[1], SOURCES[doc_id])
    return "\n".join(chunk.text for chunk in chunked.chunks)


@pytest.mark.parametrize("doc_id", sorted(SOURCES))
def test_no_text_is_lost_from_corpus_documents(doc_id: str) -> None:
    raw = corpus_blocks(doc_id)[0]
    assert word_survival(raw.text, chunks_text(doc_id)) >= 0.99


def test_survival_measure_notices_a_dropped_paragraph() -> None:
    raw = corpus_blocks("bouwstenen_essay")[0]
    cleaned = chunks_text("bouwstenen_essay")
    assert word_survival(raw.text, cleaned) >= 0.99
    # Dropping a single paragraph (about 90 of 3200 words) must fail the 99% bar.
    paragraph = block_with("bouwstenen_essay", "Als overheid voeg je weinig meerwaarde toe").text
    assert paragraph in cleaned
    assert word_survival(raw.text, cleaned.replace(paragraph, "")) < 0.99
    assert word_survival("een twee drie vier\n\nvijf zes zeven acht", "een twee drie vier") == 0.5


def test_survival_measure_accepts_the_intended_repairs() -> None:
    raw = "De professiona-\nlisering in Noord-\nHolland, zie https://x.nl/a opgaven12.\n\n17\n"
    assert word_survival(raw, "De professionalisering in Noord-Holland, zie opgaven.") == 1.0


# --- inline repairs -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("de professiona-\nlisering van", "de professionalisering van"),
        ("provincies en water-\nschappen", "provincies en waterschappen"),
        ("in Noord-\nHolland", "in Noord-Holland"),
        ("de mis- \ncommunicatie", "de miscommunicatie"),
        ("tussen de leef- \nen systeemwereld", "tussen de leef- en systeemwereld"),
        ("8.200 gemeentelijke project-, programma- en procesmanagers",
         "8.200 gemeentelijke project-, programma- en procesmanagers"),
        ("zogeheten ‘prestatie-\noranje’-organisaties", "zogeheten ‘prestatie-oranje’-organisaties"),
        # Glued footnote numbers are proven per document (tests/ingest/test_furniture.py); alone, they stay.
        ("een adaptieve gemeente1 noemen", "een adaptieve gemeente1 noemen"),
        ("met elkaar afgestemde teams11 en 12  integraal", "met elkaar afgestemde teams11 en 12 integraal"),
        ("In 2018 werd hoofdstuk 2.1 over de 21e eeuw, CO2 en de G40 herzien.",
         "In 2018 werd hoofdstuk 2.1 over de 21e eeuw, CO2 en de G40 herzien."),
        ("Mail naar grenzeloossamenwerken@rijksoverheid.nl of kijk op https://www.nsob.nl/x.",
         "Mail naar grenzeloossamenwerken@rijksoverheid.nl of kijk op."),
        ("Zie www.morgens.nl/klantreizen voor meer.", "Zie voor meer."),
        ("notities in /home/jan/notities en/of elders", "notities in en/of elders"),
        ("bron file:///C:/Users/Evelien%20Boeije/AppData/x.pdf en C:\\Temp\\a.docx en /Users/jan/notes.txt",
         "bron en en"),
        ("**toekomstbestendige leefomgeving** en *altijd politiek is*", "toekomstbestendige leefomgeving en altijd politiek is"),
        ("# ***De opgave* aan tafel**", "# De opgave aan tafel"),
        ("[Klik hier.](#) voor een [filmpje](https://youtu.be/x)", "Klik hier. voor een filmpje"),
        ("overheidsorganisaties doen<sup>3</sup>. Rechtmatigheid", "overheidsorganisaties doen. Rechtmatigheid"),
        ("Verkregen via <https://www.nctv.nl/organisatie>", "Verkregen via"),
        ("1. **Inleiding** → 5", "1. Inleiding"),
        ("a <b>vet</b>&amp;<i>schuin</i>", "a vet & schuin"),
        ("\ufb01nanciën\u00ad  en\u00a0de\tco\u00f6rdinatie", "financiën en de coördinatie"),
    ],
)
def test_clean_inline_repairs(raw: str, clean: str) -> None:
    assert clean_inline(raw) == clean


# --- structure of the real corpus -----------------------------------------------


def test_bouwstenen_essay_sections() -> None:
    assert headings("bouwstenen_essay") == [
        "Succesvol opgavegericht werken bij de overheid",
        "Vijf bouwstenen om niet langer te stoeien",
        "Inleiding",
        "Waarom opgavegericht werken?",
        "De bouwstenen voor succesvol opgavegericht werken",
        "1. Duidelijkheid over het waarom van de opgave",
        "1. Betrek alle betrokken organisaties of groeperingen bij een opgave",
        "2. Benoem samen de kernwaarden bij deze opgave",
        "3. Vertaal de gezamenlijke kernwaarden in een visie op de aanpak van de opgave",
        "4. Creëer een feedbackloop",
        "2. Bewustzijn wie de klant is van de opgave",
        "3. Zorgen voor een wendbare organisatie",
        "4. Leiderschap",
        "5. Goed gebruik van talenten",
        "Tot slot – de transitie naar een opgavegerichte organisatie",
    ]
    levels = {b.text[:14]: b.level for b in corpus_blocks("bouwstenen_essay")[1] if b.kind == "heading"}
    # The sub-steps restart at 1 inside bouwsteen 1, so they nest one level deeper.
    assert (levels["1. Duidelijkhe"], levels["1. Betrek alle"], levels["2. Bewustzijn "]) == (2, 3, 2)


def test_paragraph_cut_by_text_box_and_links_is_rejoined() -> None:
    # Page break with a text box and two footnote URLs between the halves of a sentence.
    block = block_with("bouwstenen_essay", "moet je dus heel goed nadenken")
    assert "moet je dus heel goed nadenken welk doel je wilt bereiken." in block.text
    box = block_with("bouwstenen_essay", "De opgave is de gewenste situatie")
    assert "waaraan je een bijdrage wilt of moet leveren om deze te realiseren" in box.text


def test_an_aside_in_brackets_cut_by_a_blank_line_is_one_paragraph() -> None:
    text = ("Doelen\nMet de term opgave zet je jezelf in de stand om dit te realiseren. (bron:\n\nPröpper en Litjens)\n\n"
            "De term opgave is net wat anders dan een doel.\n\n(Zie ook het vorige hoofdstuk)\n\n"
            "Een lijst (met haakjes:\n\n1) Eerste punt\n")
    blocks = clean_document(RawDocument(Path("essay.txt"), "txt", (RawPage(None, text),)))
    texts = [b.text for b in blocks if b.kind == "text"]
    assert "Met de term opgave zet je jezelf in de stand om dit te realiseren. (bron: Pröpper en Litjens)" in texts
    # A closed aside stays a paragraph of its own; a list item is never pulled into the paragraph before it.
    assert "(Zie ook het vorige hoofdstuk)" in texts and "De term opgave is net wat anders dan een doel." in texts
    assert not any("Eerste punt" in t and "Een lijst" in t for t in texts)
    # The same on the corpus: the essay's source note reads whole.
    assert "(bron: Pröpper en Litjens)" in block_with("bouwstenen_essay", "Met de term opgave zet je jezelf").text


def test_a_sentence_cut_by_a_blank_line_after_an_article_or_half_a_coordination_is_one_paragraph() -> None:
    text = ("Rollen\nBij kleine gemeenten is het logisch om de DT- of\n\nMT-leden de rol van opdrachtgever te geven.\n\n"
            "Vooruitblik\nDe beweging gaat verder 2025 in\n\nBedankt aan de collega's voor de ontvangst.\n")
    blocks = clean_document(RawDocument(Path("gids.txt"), "txt", (RawPage(None, text),)))
    texts = [b.text for b in blocks if b.kind == "text"]
    assert "Bij kleine gemeenten is het logisch om de DT- of MT-leden de rol van opdrachtgever te geven." in texts
    # A particle may end a title ("… 2025 in"): what follows stays a paragraph of its own.
    assert "Bedankt aan de collega's voor de ontvangst." in texts
    # The same on the corpus: the guide's sentence on small municipalities reads whole.
    assert "om de DT- of MT-leden de rol van ambtelijk opdrachtgever" in block_with("vpng_gids", "Bij kleine gemeenten").text


def test_a_title_line_right_above_its_paragraph_is_a_heading_even_with_a_semicolon_or_a_code() -> None:
    text = ("Werkwijzen\n\nDe matrix; scheiding lijn- en\nprojectsturing\nDe matrixorganisatie is nuttig om het\n"
            "integraal werken te faciliteren. Zij kent ook grenzen.\n\nDe 3P’s\nDe drie P’s: Projectmanagement en\n"
            "Procesregie zijn de belangrijkste werkwijzen.\n\nEerst de lijn; dan het project; dan de\nDe opgave blijft.\n")
    blocks = clean_document(RawDocument(Path("gids.txt"), "txt", (RawPage(None, text),)))
    heads = [b.text for b in blocks if b.kind == "heading"]
    assert heads == ["Werkwijzen", "De matrix; scheiding lijn- en projectsturing", "De 3P’s"]
    texts = [b.text for b in blocks if b.kind == "text"]
    assert texts[0].startswith("De matrixorganisatie is nuttig") and texts[1].startswith("De drie P’s:")
    # Clauses between two semicolons are no title, nor is a line that ends on a function word.
    assert "Eerst de lijn; dan het project; dan de De opgave blijft." in texts


def test_motie_paragraph_continues_after_footnote_urls() -> None:
    block = block_with("motie_bijlage", "om complexe vraagstukken en thema’s")
    assert "complexe vraagstukken en thema’s op te pakken, te versnellen" in block.text
    assert headings("motie_bijlage")[1:] == ["Provinciale besluitvorming en archieven", "Literatuuronderzoek", "Interviews"]


def test_vpng_two_column_text_is_reflowed_into_paragraphs() -> None:
    block = block_with("vpng_gids", "Binnen onze vereniging delen we vaak ervaring")
    assert block.text.endswith("breedte opgavegericht te kunnen werken.")
    assert "8.200 gemeentelijke project-, programma- en procesmanagers (we noemen hen hier sturingsprofessionals)" in block.text
    first = corpus_blocks("vpng_gids")[1][0]
    assert "management van gemeenten, provincies en waterschappen." in first.text
    # A sentence interrupted by a column title continues after it.
    assert "die samen met jou (mee) werkt aan een oplossing (co-creëren)" in block_with("vpng_gids", "(mee) werkt").text


def test_vpng_role_headings_of_the_leeropdrachten_appendix() -> None:
    found = headings("vpng_gids")
    for role in ("bestuurlijk opdrachtgever", "ambachtelijk opdrachtgever", "sturingsprofessional", "lijnmanager",
                 "beleidsadviseur", "vakinhoudelijk medewerker"):
        assert f"Leeropdracht {role}" in found
    blocks = corpus_blocks("vpng_gids")[1]
    role = next(i for i, b in enumerate(blocks) if b.text == "Leeropdracht lijnmanager")
    sub = next(b for b in blocks[role + 1:] if b.kind == "heading")
    assert (blocks[role].level, sub.text, sub.level) == (1, "Leeropdracht", 2)  # nested, not a new section
    # Numbered instrument references look like headings but are not.
    assert not {"14. Portfolio", "6. De opgave aan tafel", "50. Voorscheider"} & set(found)


def test_markdown_documents() -> None:
    assert headings("nsob_rapport")[:5] == [
        "De opgave aan tafel", "Inhoudsopgave", "1. Inleiding", "2. Opgave gericht werken in perspectief",
        "Public Administration: de Rechtmatige Overheid (linksonder)",
    ]
    levels = {b.text: b.level for b in corpus_blocks("nsob_rapport")[1] if b.kind == "heading"}
    assert levels["3. Opgavegericht werken binnen Justitie en Veiligheid"] == 1  # "###" in the file, "3." wins
    assert levels["4.2 Opgavegericht werken is niet hetzelfde als het regeerakkoord uitvoeren"] == 2
    # Footnotes interrupt a sentence across a page; it is rejoined.
    assert "de basis voor alles wat overheidsorganisaties doen. Rechtmatigheid" in block_with(
        "nsob_rapport", "alles wat overheidsorganisaties doen").text
    assert "PZH ondersteunt duurzame landbouw, investeert in natuurbeheer en" in block_with(
        "pzh_verslag", "PZH ondersteunt").text
    assert "Dinsdag 3 juni 2025 – Gemeente Zwolle" in [b.text for b in corpus_blocks("pzh_verslag")[1]]
    assert headings("pzh_verslag")[:4] == [
        "Thema: wat als alles een opgave is?", "Check-in: jouw provincieschat",
        "Wat doet de Provincie Zuid-Holland?", "Opgavegericht organiseren",
    ]


@pytest.mark.parametrize("doc_id", sorted(SOURCES))
def test_no_markup_links_or_page_numbers_remain(doc_id: str) -> None:
    for block in corpus_blocks(doc_id)[1]:
        assert not re.search(r"https?:|www\.|file:|\*\*|<sup>|</?\w+>|→|\]\(", block.text), block.text
        assert not block.text.startswith(("#", "• ")), block.text
        # A Markdown list item keeps its "- " marker (see ingest/markdown.py); text files lose their bullets.
        assert not block.text.startswith("- ") or SOURCES[doc_id].file.endswith(".md") and block.group, block.text
        assert not re.fullmatch(r"\d{1,3}", block.text)
        assert block.text == block.text.strip() and "  " not in block.text and "\n" not in block.text
        assert block.page is None and 0 <= block.level <= 6


# --- generated PDF --------------------------------------------------------------


def test_pdf_page_furniture_headings_and_pages(tmp_path: Path) -> None:
    raw = load_document(write_report_pdf(tmp_path / "rapport.pdf"))
    blocks = clean_document(raw)
    assert [(b.text, b.level, b.page) for b in blocks if b.kind == "heading"] == [
        (TITLE_1, 1, 1), (TITLE_2, 1, 2), (TITLE_21, 2, 3)]
    text = "\n".join(b.text for b in blocks)
    assert HEADER not in text and "Pagina" not in text
    assert "professionalisering" in text and "Noord-Holland" in text and "waterschappen" in text
    # The paragraph that runs from page 2 onto page 3 is one block, on the page where it starts.
    spanning = next(b for b in blocks if "woningcorporaties en de gemeenten samen" in b.text)
    assert spanning.page == 2
    furniture = {HEADER} | {f"Pagina {n} van 3" for n in (1, 2, 3)}
    body = "\n".join(ln for ln in raw.text.split("\n") if ln.strip() not in furniture)
    assert word_survival(body, text) >= 0.99


def test_clean_document_on_a_tiny_text() -> None:
    raw = RawDocument(Path("x.txt"), "txt", (RawPage(None, "Inleiding\nDit is de eerste zin. Dit is de\ntweede.\n\n12\n\n13\n"),))
    assert clean_document(raw) == [
        Block("heading", "Inleiding", 1, None),
        Block("text", "Dit is de eerste zin. Dit is de tweede.", 1, None),
    ]


# --- page footnotes -------------------------------------------------------------


def test_a_page_footnote_after_its_mark_is_written_as_a_note_and_a_numbered_list_is_not() -> None:
    texts = ["Programmasturing47 kent fases, zoals bij projectmatig werken46 en in het bestuursproces48.",
             "46. Rotterdamse Standaard voor Projectmatig Werken (RSPW)\n47. Rotterdamse Standaard voor Programmasturing (RSPS)",
             "47. Bouw aan een lerende organisatie.",  # a list item: a sentence, so no footnote
             "48. Procesregie als vak"]
    marks = footnote_marks(texts)
    assert {n for _, n in marks} == {46, 47, 48}
    assert footnote_lines(texts, marks) == [
        texts[0],
        "Noot 46: Rotterdamse Standaard voor Projectmatig Werken (RSPW)\nNoot 47: Rotterdamse Standaard voor Programmasturing (RSPS)",
        "47. Bouw aan een lerende organisatie.",
        "Noot 48: Procesregie als vak"]
    # A numbered line far from its mark, or with a number no mark has, stays as it is.
    far = [texts[0], *["Een alinea zonder noten."] * NOTE_REACH, "47. Rotterdamse Standaard", "12. Iets anders"]
    assert footnote_lines(far, marks)[-2:] == ["47. Rotterdamse Standaard", "12. Iets anders"]


def test_the_vpng_footnotes_are_notes_and_its_numbered_advice_stays_a_list() -> None:
    texts = [b.text for b in corpus_blocks("vpng_gids")[1]]
    assert any("Noot 47: Rotterdamse Standaard voor Programmasturing (RSPS)" in t for t in texts)
    assert not any(line.startswith("47. ") for t in texts for line in t.split("\n"))
    assert any(t.startswith("1. Nieuw: aandacht voor het leerproces") for t in texts)
