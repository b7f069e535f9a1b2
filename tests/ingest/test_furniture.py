"""Cleaning removes only what it can prove is furniture: one test per rule, each with a counter-example.

The documents are built in code as the loaders would return them (a PDF as
numbered pages, a text file as one page), so that each rule is seen alone.
"""

from __future__ import annotations

from pathlib import Path

from ingest.cleaning import clean_document, clean_inline
from ingest.loaders import RawDocument, RawPage
from ingest.repairs import footnote_marks, strip_footnote_marks

BODY = [
    "De provincie werkt samen met gemeenten en waterschappen aan de opgave van de regio.",
    "Bewoners praten mee over de plannen en de wethouder legt verantwoording af aan de raad.",
    "Het programma loopt tot het einde van het jaar en wordt daarna geëvalueerd door de staten.",
    "De uitvoering vraagt om een heldere opdracht en om ruimte voor professionals in de teams.",
]


def text_of(raw: RawDocument) -> str:
    """All cleaned text of a document, blocks joined by newlines."""
    return "\n".join(b.text for b in clean_document(raw))


def txt(text: str) -> RawDocument:
    return RawDocument(Path("notitie.txt"), "txt", (RawPage(None, text),))


def pdf(pages: list[str]) -> RawDocument:
    return RawDocument(Path("rapport.pdf"), "pdf", tuple(RawPage(i + 1, p) for i, p in enumerate(pages)))


# --- footnote marks -----------------------------------------------------------------


def test_numbers_glued_to_words_are_footnotes_only_when_they_count_on() -> None:
    raw = txt(
        "Een gemeente die zich ontwikkelt noemen wij een adaptieve gemeente1 naar het model van de raad.\n\n"
        "De opgave vraagt samenwerking in een netwerk2. Partners werken met elkaar afgestemde teams3 en 4 samen.\n\n"
        "Wat mag de organisatie verwachten5? Dat staat in de bijlage.\n"
    )
    cleaned = text_of(raw)
    assert "een adaptieve gemeente naar het model" in cleaned
    assert "in een netwerk. Partners" in cleaned and "afgestemde teams samen" in cleaned
    assert "organisatie verwachten? Dat" in cleaned
    assert not any(ch.isdigit() for ch in cleaned)


def test_a_lone_number_glued_to_a_word_belongs_to_it() -> None:
    # Counter-example: nothing counts on around "covid19" or "gemeente1", so neither is proven a footnote.
    cleaned = text_of(txt("Tijdens covid19 werkte de gemeente1 met thuiswerkers. Python3 draaide op de server.\n"))
    assert cleaned == "Tijdens covid19 werkte de gemeente1 met thuiswerkers. Python3 draaide op de server."


def test_a_series_on_one_word_or_a_repeated_code_is_not_a_footnote_series() -> None:
    # Counter-examples next to a real series: versions of one product, and a code used twice.
    raw = txt(
        "De overheid stapt over van Windows10 naar Windows11 op alle werkplekken van de organisatie.\n\n"
        "Het project draait op Python3 en de beheerders kennen Python3 goed.\n\n"
        "Zie de toelichting bij het programma1 en het plan2 en de aanpak3 van de regio.\n"
    )
    cleaned = text_of(raw)
    assert "Windows10 naar Windows11" in cleaned and "op Python3 en de beheerders kennen Python3 goed" in cleaned
    assert "bij het programma en het plan en de aanpak van de regio" in cleaned
    assert footnote_marks(["Windows10 en Windows11", "Python3 en Python3 en code4"]) == frozenset()


def test_codes_with_capitals_or_few_letters_are_never_candidates() -> None:
    text = "In 2018 werd hoofdstuk 2.1 over de 21e eeuw, CO2, km2, G40 en de A12 herzien; ook nota1 en nota2."
    assert footnote_marks([text]) == frozenset()  # "nota1", "nota2": one word, so no series either
    # Even marks given for every number leave the codes alone: they never match as candidates.
    every = frozenset((w, n) for w in ("co", "km", "g", "a", "nota", "eeuw", "hoofdstuk") for n in range(100))
    assert strip_footnote_marks(text, every) == (
        "In 2018 werd hoofdstuk 2.1 over de 21e eeuw, CO2, km2, G40 en de A12 herzien; ook nota en nota.")


def test_superscript_marks_go_but_units_stay() -> None:
    assert clean_inline("De opgaven¹ zijn groot, het gebied is 40 km² en 12 m² per woning.") == (
        "De opgaven zijn groot, het gebied is 40 km² en 12 m² per woning.")


# --- page numbers -------------------------------------------------------------------


def test_rising_bare_numbers_in_a_text_extraction_are_page_numbers() -> None:
    raw = txt(f"{BODY[0]}\n\n7\n\n{BODY[1]}\n\n8\n\n{BODY[2]}\n\n9\n\n{BODY[3]}\n")
    assert text_of(raw) == "\n".join(BODY)


def test_a_lone_or_out_of_order_number_in_a_text_is_content() -> None:
    # Counter-examples: one bare number proves nothing; "42" breaks the rising series 3, 4, 5.
    assert text_of(txt(f"{BODY[0]}\n\n42\n\n{BODY[1]}\n")) == f"{BODY[0]}\n42\n{BODY[1]}"
    raw = txt(f"{BODY[0]}\n\n3\n\n{BODY[1]}\n\n4\n\nHet antwoord op de vraag is:\n\n2\n\n{BODY[2]}\n\n5\n\n{BODY[3]}\n")
    assert text_of(raw) == f"{BODY[0]}\n{BODY[1]}\nHet antwoord op de vraag is:\n2\n{BODY[2]}\n{BODY[3]}"


def test_words_around_a_number_prove_it_a_page_number() -> None:
    raw = txt(f"{BODY[0]}\n\nPagina 1 van 2\n\n{BODY[1]}\n\nblz. 2\n")
    assert text_of(raw) == f"{BODY[0]}\n{BODY[1]}"


def test_pdf_page_numbers_run_with_the_pages() -> None:
    # Printed numbers are page + 2 (a cover and a blank page were not numbered).
    pages = [f"{BODY[i]}\n\n{i + 3}" for i in range(3)]
    assert text_of(pdf(pages)) == "\n".join(BODY[:3])


def test_a_pdf_number_that_does_not_run_with_the_pages_is_content() -> None:
    # Counter-example: page 2 ends in a table cell "17", not its page number 4.
    pages = [f"{BODY[0]}\n\n3", f"{BODY[1]}\n\nAantal gemeenten in de regio\n\n17", f"{BODY[2]}\n\n5", f"{BODY[3]}\n\n6"]
    cleaned = text_of(pdf(pages))
    assert "17" in cleaned.split("\n") and "3" not in cleaned and "5" not in cleaned.split("\n")


# --- running headers and footers ----------------------------------------------------


def test_a_line_on_every_page_edge_is_a_running_header() -> None:
    pages = [f"Jaarverslag Provincie 2024 | pagina {i + 1}\n{BODY[i]}\nVertrouwelijk" for i in range(4)]
    assert text_of(pdf(pages)) == "\n".join(BODY)


def test_edge_lines_that_differ_per_page_carry_content() -> None:
    # Counter-example: the same shape on every page, but other numbers: page-specific facts, not furniture.
    counts = [120, 95, 310, 48]
    pages = [f"Stand van zaken: {n} woningen gebouwd\n{BODY[i]}" for i, n in enumerate(counts)]
    cleaned = text_of(pdf(pages))
    for n in counts:
        assert f"Stand van zaken: {n} woningen gebouwd" in cleaned


def test_a_repeated_line_in_the_middle_of_a_page_is_content() -> None:
    # Counter-example: only page edges hold furniture.
    pages = [f"{BODY[i]}\n{BODY[(i + 1) % 4]}\nDe raad stemt in.\n{BODY[(i + 2) % 4]}\n{BODY[(i + 3) % 4]}" for i in range(3)]
    assert text_of(pdf(pages)).count("De raad stemt in.") == 3


# --- table of contents --------------------------------------------------------------


def test_a_page_reference_at_a_line_end_goes_but_an_arrow_in_a_sentence_keeps_its_number() -> None:
    assert clean_inline("1. **Inleiding** → 5") == "1. Inleiding"
    assert clean_inline("Inleiding ........ 12") == "Inleiding"
    assert clean_inline("De uitstoot daalt van 2020 → 2030 met de helft.") == "De uitstoot daalt van 2020 2030 met de helft."
