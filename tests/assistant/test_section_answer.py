"""A question about one part of a document is answered from that part: found by its number in the headings."""

from __future__ import annotations

from assistant.answer.overview_words import SectionReference, section_reference
from assistant.answer.section_answer import key_sentences, section_answer, section_sentences
from kb.guides import DocumentGuide
from kb.sentences import SentenceIndex
from kb.types import Chunk, Sentence

LONG = "zodat de zin lang genoeg is om iets te zeggen over het onderwerp"


def _sentences(labels: list[tuple[str, str]]) -> list[Sentence]:
    return [Sentence("doc", f"c{i}", i, i * 100, i * 100 + 90, text, "body", label, None, True, label)
            for i, (label, text) in enumerate(labels)]


NESTED = _sentences([
    ("1. Inleiding", f"De inleiding vertelt waarom {LONG}."),
    ("4. Patronen", f"Dit hoofdstuk beschrijft patronen {LONG}."),
    ("4. Patronen > 4.1 Politiek", f"Opgaven zijn altijd politiek {LONG}."),
    ("4. Patronen > 4.2 Regeerakkoord", f"Het regeerakkoord gaat soms voor {LONG}."),
    ("4. Patronen > 4.2 Regeerakkoord > Synchroniseren", f"Partijen synchroniseren hun agenda {LONG}."),
    ("4. Patronen > 4.3 Eigenaarschap", f"Eigenaarschap wordt gedeeld {LONG}."),
    ("5. Conclusie", f"De conclusie is normalisering {LONG}."),
])
FLAT = _sentences([
    ("Opzet", f"De gids heeft zes hoofdstukken {LONG}."),
    ("Opgaven", f"Een opgave is maatschappelijk {LONG}."),
    ("Opgavegericht leren", f"In dit hoofdstuk gaat het over leren {LONG}."),
    ("Het hapert", f"Het leren hapert in veel gemeenten {LONG}."),
    ("Bijlage 3", f"De leeropdrachten staan hier {LONG}."),
])
GUIDE_NESTED = DocumentGuide("doc", "Rapport", chapters=("1. Inleiding", "4. Patronen", "5. Conclusie"))
GUIDE_FLAT = DocumentGuide("doc", "Gids", chapters=("Opgaven (hoofdstuk 2)", "Opgavegericht leren (hoofdstuk 6)"))


def _texts(span: list[Sentence]) -> list[str]:
    return [s.text.split(" ", 3)[1] for s in span]


def test_a_numbered_paragraph_is_the_run_of_sentences_under_its_heading() -> None:
    heading, span = section_sentences(NESTED, GUIDE_NESTED, SectionReference("paragraaf", "4.2", "paragraaf 4.2"))
    assert heading == "4.2 Regeerakkoord"
    assert [s.index for s in span] == [3, 4]


def test_a_chapter_holds_its_paragraphs() -> None:
    heading, span = section_sentences(NESTED, GUIDE_NESTED, SectionReference("hoofdstuk", "4", "hoofdstuk 4"))
    assert heading == "4. Patronen"
    assert [s.index for s in span] == [1, 2, 3, 4, 5]


def test_a_chapter_of_flat_headings_runs_to_the_back_matter() -> None:
    heading, span = section_sentences(FLAT, GUIDE_FLAT, SectionReference("hoofdstuk", "6", "hoofdstuk 6"))
    assert heading == "Opgavegericht leren"  # the guide's "(hoofdstuk 6)" names it; the heading is without
    assert [s.index for s in span] == [2, 3]


def test_a_part_the_document_does_not_have_gives_nothing() -> None:
    assert section_sentences(NESTED, GUIDE_NESTED, SectionReference("hoofdstuk", "9", "hoofdstuk 9")) == ("", [])
    assert section_sentences(NESTED, GUIDE_NESTED, SectionReference("paragraaf", "4.7", "paragraaf 4.7")) == ("", [])


def test_the_last_chapter_is_the_guides_last() -> None:
    heading, span = section_sentences(NESTED, GUIDE_NESTED, section_reference("Wat staat er in het laatste hoofdstuk?"))
    assert heading == "5. Conclusie" and [s.index for s in span] == [6]


def test_without_vectors_the_first_sentences_that_stand_alone_are_key() -> None:
    index = SentenceIndex.build([])
    span = [*NESTED[1:4]]
    leaning = Sentence("doc", "c9", 9, 900, 990, f"Dit komt door de politiek {LONG}.", "body", "4. Patronen", None)
    assert key_sentences([leaning, *span], index, 2) == span[:2]


def test_the_section_answer_names_the_part_by_its_heading_and_cites_each_sentence() -> None:
    chunks = {s.chunk_id: Chunk("doc", "Rapport", s.text, tuple(s.label.split(" > ")), s.start, s.end, s.index)
              for s in NESTED}
    index = SentenceIndex.build([])
    index.by_doc["doc"] = tuple(NESTED)
    composed = section_answer(SectionReference("paragraaf", "4.2", "paragraaf 4.2"), GUIDE_NESTED, index,
                              chunks.get, "nl", "het rapport")
    assert composed is not None
    assert composed.text.splitlines()[0] == ("Paragraaf 4.2 van het rapport heet ‘4.2 Regeerakkoord’. "
                                             "De kern, in de woorden van het document:")
    assert [c.quote for c in composed.citations] == [NESTED[3].text, NESTED[4].text]


def test_no_answer_for_a_missing_part_and_no_part_without_a_reference() -> None:
    index = SentenceIndex.build([])
    index.by_doc["doc"] = tuple(NESTED)
    ref = section_reference("Waar gaat hoofdstuk 9 over?")
    assert ref == SectionReference("hoofdstuk", "9", "hoofdstuk 9")
    assert section_answer(ref, GUIDE_NESTED, index, lambda _: None, "nl", "het rapport") is None
    assert section_reference("Wat zegt het rapport?") is None
