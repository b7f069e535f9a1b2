"""Sentences made once at ingest: whole spans on the document, and a content role for each.

Each role rule is tested with a sentence it must catch and a look-alike it must leave as body text.
"""

from __future__ import annotations

import pytest

from ingest.chunking import ChunkedDocument
from ingest.sentences import classify, with_sentences
from kb.sentences import SentenceIndex
from kb.types import Chunk, SourceInfo

HEADINGS = frozenset({"rolleninhetsturingsmodel"})


@pytest.mark.parametrize(("sentence", "whole_line", "role"), [
    ("Rollen in het sturingsmodel", True, "heading"),
    ("Samenwerken met de wethouder", True, "heading"),
    ("Samenwerken met de wethouder is lastig.", True, "body"),
    ("Doen wat nodig is .........", True, "toc"),
    ("Inhoudsopgave", True, "toc"),
    ("Klik hier voor een filmpje over de provincie.", True, "navigation"),
    ("Zie https://www.example.nl/opgaven voor de cijfers.", False, "navigation"),
    ("Hier klikt het tussen lijn en opgave.", False, "body"),
    ("Stuur een mail naar info@example.nl voor een gesprek.", False, "colophon"),
    ("ISBN 978-90-1234-567-8", True, "colophon"),
    ("De Nederlandse School voor Openbaar Bestuur (NSOB) is een onderzoeksinstituut in Den Haag.", False, "colophon"),
    ("Het is de plek in de organisatie waar veel professionals werken.", False, "body"),
    ("Figuur 2: Vier vormen van sturing.", True, "caption"),
    ("1. Heb aandacht voor het samenspel in de driehoek.", True, "list_item"),
    ("- Betrek de werkvloer.", True, "list_item"),
    ("Hoe regel je gedeeld eigenaarschap?", False, "question"),
    ("Prof. dr. Jan de Vries is sinds 2002 werkzaam bij de NSOB.", False, "author_bio"),
    ("Myrthe van Delden MSc is als onderzoeker verbonden aan de school.", False, "author_bio"),
    ("De projectleider is verbonden aan de opgave en rapporteert aan de directeur.", False, "body"),
    ("11 Kamerstukken II 2018/11, 31753, nr. 155", True, "table"),
    ("In 2021 werden drie opgaven gekozen.", False, "body"),
    ("Noot 47: Rotterdamse Standaard voor Programmasturing (RSPS)", True, "footnote"),
    ("Noot 2: De vragenlijst stond open tot 22 november.", True, "body"),
])
def test_roles(sentence: str, whole_line: bool, role: str) -> None:
    assert classify(sentence, whole_line, HEADINGS) == role


def test_sentences_are_split_on_the_whole_document_and_a_passage_edge_never_cuts_one() -> None:
    text = "Titel\nDe eerste zin staat hier. De tweede zin loopt over de grens van de passage heen. De derde zin."
    cut = text.index("grens")
    source = SourceInfo(doc_id="d", file="d.txt", title="Titel")
    chunks = (Chunk("d", "Titel", text[:cut], ("Titel",), 0, cut, 0),
              Chunk("d", "Titel", text[cut:], ("Titel",), cut, len(text), 1))
    doc = with_sentences(ChunkedDocument(source, text, chunks))
    spans = [[text[s.start:s.end] for s in c.sentences] for c in doc.chunks]
    crossing = "De tweede zin loopt over de grens van de passage heen."
    assert spans[0] == ["Titel", "De eerste zin staat hier.", crossing]
    assert spans[1] == [crossing, "De derde zin."]
    assert [s.role for s in doc.chunks[0].sentences] == ["heading", "body", "body"]
    # The index pieces the sentence together from both passages and quotes it whole.
    index = SentenceIndex.build(doc.chunks)
    whole = index.of_chunk("d", doc.chunks[1].chunk_id)[0]
    assert whole.text == crossing and whole.index == 2
    assert index.neighbour(whole, -1).text == "De eerste zin staat hier."
    assert index.neighbour(whole, 1).text == "De derde zin." and index.neighbour(whole, 2) is None
    assert [s.opens_paragraph for s in index.by_doc["d"]] == [True, True, False, False]


def test_sentence_spans_survive_the_store_metadata_round_trip() -> None:
    text = "Een zin. Nog een zin."
    source = SourceInfo(doc_id="d", file="d.txt", title="T")
    doc = with_sentences(ChunkedDocument(source, text, (Chunk("d", "T", text, (), 0, len(text), 0),)))
    chunk = doc.chunks[0]
    again = Chunk.from_metadata(chunk.text, chunk.metadata())
    assert again.sentences == chunk.sentences and len(again.sentences) == 2


def test_every_sentence_of_a_reference_line_is_a_footnote_and_a_year_in_prose_is_not() -> None:
    text = ("Titel\nDe tafels gingen over de asielketen (zie de brief uit 2019). Het COA werkt mee.\n"
            "10 NCTV (2019). Werken bij de NCTV. Verkregen via de site.\n"
            "Frissen, P.H.A. (2010). De staat van verschil.\n")
    source = SourceInfo(doc_id="d", file="d.txt", title="Titel")
    doc = with_sentences(ChunkedDocument(source, text, (Chunk("d", "Titel", text, ("Titel",), 0, len(text), 0),)))
    roles = {text[s.start:s.end]: s.role for s in doc.chunks[0].sentences}
    assert roles["De tafels gingen over de asielketen (zie de brief uit 2019)."] == "body"
    assert [roles[s] for s in ("10 NCTV (2019).", "Werken bij de NCTV.", "Verkregen via de site.",
                               "Frissen, P.H.A. (2010).", "De staat van verschil.")] == ["footnote"] * 5


def test_the_text_of_a_numbered_caption_is_part_of_the_caption() -> None:
    text = ("Titel\nTabel 1. Begroot budget per opgave, 2023 tot en met 2025 (bron: begrotingen).\n"
            "Het budget steeg van 1,2 miljoen euro in 2023 naar 1,6 miljoen euro in 2025. Tabel 1 geeft de bedragen.\n")
    source = SourceInfo(doc_id="d", file="d.txt", title="Titel")
    doc = with_sentences(ChunkedDocument(source, text, (Chunk("d", "Titel", text, ("Titel",), 0, len(text), 0),)))
    roles = {text[s.start:s.end]: s.role for s in doc.chunks[0].sentences}
    assert roles["Begroot budget per opgave, 2023 tot en met 2025 (bron: begrotingen)."] == "caption"
    # Prose that names the table, on a line of its own, is body text.
    assert roles["Het budget steeg van 1,2 miljoen euro in 2023 naar 1,6 miljoen euro in 2025."] == "body"
    assert roles["Tabel 1 geeft de bedragen."] == "body"
