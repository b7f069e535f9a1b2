"""The words of overview requests: the asking part of a question, section references, the document words."""

from __future__ import annotations

import pytest

from assistant.answer.overview_words import ALL_DOCUMENTS, WHICH_DOCUMENTS, asking_part, names_section


@pytest.mark.parametrize("question, asking", [
    ("Waar gaat het rapport over?", "Waar gaat het rapport over?"),
    # Context before the question sets the scene; its words are no topic.
    ("Onze afdeling gaat volgend jaar met tafels werken. Wat zijn de hoofdlijnen van het rapport?",
     "Wat zijn de hoofdlijnen van het rapport?"),
    ("Ik heb weinig tijd: wat moet ik weten uit de gids?", "wat moet ik weten uit de gids?"),
    ("Een collega stuurde me het essay. Is het goed? Geef de kern van het stuk.", "Is het goed? Geef de kern van het stuk."),
    ("Our director asked me about it. Could you summarise the report", "Could you summarise the report"),
    # No sentence asks: the whole text is the question.
    ("De gids van de vereniging. Het belangrijkste graag.", "De gids van de vereniging. Het belangrijkste graag."),
])
def test_the_asking_part_leaves_out_context_sentences(question: str, asking: str) -> None:
    assert asking_part(question) == asking


@pytest.mark.parametrize("question, section", [
    ("Waar gaat hoofdstuk 6 van de gids over?", True),
    ("Vat paragraaf 4.2 samen", True),
    ("Wat is de kern van de derde bouwsteen?", True),
    ("Summarise chapter IV of the report", True),
    ("What is the last section about?", True),
    ("Waar gaat de gids over?", False),
    ("Wat zegt het rapport over zes rollen?", False),
])
def test_a_section_reference_is_one_part_of_a_document(question: str, section: bool) -> None:
    assert names_section(question) is section


@pytest.mark.parametrize("question, which, every", [
    ("Op welke documenten zijn jouw antwoorden gebaseerd?", True, False),
    ("Which publications is this assistant based on?", True, False),
    ("geef een overzichtje van alle docs die je hebt", False, True),
    ("Wat is de kern van elk ervan?", False, True),
    ("Wat zegt het rapport over documenten?", False, False),
])
def test_questions_about_the_collection_in_other_words(question: str, which: bool, every: bool) -> None:
    assert bool(WHICH_DOCUMENTS.search(question)) is which
    assert bool(ALL_DOCUMENTS.search(question)) is every
