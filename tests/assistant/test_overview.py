"""Overview questions: recognised by their cues, answered from the source guide of the document they name."""

from __future__ import annotations

import pytest

from assistant.answer.overview import CUES, overview_cue, overview_request
from assistant.answer.plan import analyse
from kb.guides import DocumentGuide

GUIDES = {
    "rapport": DocumentGuide("rapport", "De opgave aan tafel", short_title="NSOB, De opgave aan tafel",
                             names={"nl": "het NSOB-rapport", "en": "the NSOB report"}, kind="rapport"),
    "memo": DocumentGuide("memo", "Werken vanuit de opgave bij de Omgevingsdienst Holtmeer", kind="notitie"),
}


@pytest.mark.parametrize("question, cue", [
    ("Waar gaat het NSOB-rapport over?", "about"),
    ("What is the NSOB report about?", "about"),
    ("Vat het NSOB-rapport samen.", "summarise"),
    ("Summarise the NSOB report", "summarise"),
    ("Wat zegt het NSOB-rapport in het kort?", "summarise"),
    ("Wat is de kern van het NSOB-rapport?", "core"),
    ("Wat zijn de belangrijkste conclusies van het NSOB-rapport?", "main_points"),
    ("What are the key points of the NSOB report?", "main_points"),
    ("Wat moet ik weten van het NSOB-rapport?", "must_know"),
    ("Wie heeft het NSOB-rapport geschreven?", ""),
    ("Wat is een opgave?", ""),
])
def test_each_cue_has_a_name_and_matches_its_form(question: str, cue: str) -> None:
    assert overview_cue(question) == cue
    assert set(CUES) == {"about", "summarise", "core", "main_points", "must_know"}


def _plan(question: str, doc_ids: tuple[str, ...] = ()):
    return analyse(question, doc_ids, question)


def test_a_question_about_the_named_document_as_a_whole_is_an_overview_request() -> None:
    request = overview_request(_plan("Waar gaat het NSOB-rapport over?", ("rapport",)), GUIDES)
    assert request is not None and request.doc_id == "rapport" and request.cue == "about"


def test_a_question_about_a_topic_in_the_document_is_not() -> None:
    plan = _plan("Wat zijn de belangrijkste punten over de sturingsdriehoek in het NSOB-rapport?", ("rapport",))
    assert overview_request(plan, GUIDES) is None


def test_a_document_is_found_by_a_word_only_its_title_holds_when_no_name_routes_the_question() -> None:
    request = overview_request(_plan("What is the Holtmeer memo about?"), GUIDES)
    assert request is not None and request.doc_id == "memo"


def test_a_question_about_the_sources_lists_every_document() -> None:
    for question in ("Welke documenten heb je?", "Waar gaan de bronnen over?", "What documents do you have?"):
        request = overview_request(_plan(question), GUIDES)
        assert request is not None and request.all_documents, question
    assert overview_request(_plan("Wat zeggen de bronnen over de sturingsdriehoek?"), GUIDES) is None


def test_without_guides_nothing_is_an_overview_request() -> None:
    assert overview_request(_plan("Waar gaat het NSOB-rapport over?", ("rapport",)), {}) is None


@pytest.fixture(scope="module")
def assistant(corpus_kb):  # noqa: ANN001, ANN201
    from assistant.answer.engine import Assistant

    return Assistant(corpus_kb.settings, corpus_kb)


def test_the_engine_answers_an_overview_question_from_the_guide(assistant) -> None:  # noqa: ANN001
    answer = assistant.answer("Waar gaat het NSOB-rapport over?")
    assert answer.kind == "overview" and not answer.refused and not answer.partial
    assert answer.text.startswith("Het NSOB-rapport") and 3 <= len(answer.citations) <= 6
    assert {c.doc_id for c in answer.citations} == {"nsob_rapport"}
    for c in answer.citations:  # each point quoted word for word where its citation says
        assert " ".join(c.passage[c.quote_start:c.quote_end].split()) == c.quote and f"“{c.quote}” [{c.n}]" in answer.text
    assert len(answer.text.split()) <= 200
    assert len({c.section.split(" > ")[0] for c in answer.citations}) >= 3
    assert [h.chunk_id for h in answer.hits] == list(dict.fromkeys(c.chunk_id for c in answer.citations))


def test_the_engine_lists_every_document_for_a_question_about_the_sources(assistant, corpus_kb) -> None:  # noqa: ANN001
    answer = assistant.answer("What documents do you have?")
    assert answer.kind == "overview" and answer.lang == "en"
    assert all((r.short_title or r.title) in answer.text for r in corpus_kb.info.documents.values())


def test_a_topic_question_naming_a_document_is_answered_the_usual_way(assistant) -> None:  # noqa: ANN001
    answer = assistant.answer("Wat zijn de belangrijkste punten over de sturingsdriehoek volgens de VPNG-inspiratiegids?")
    assert answer.kind != "overview"
