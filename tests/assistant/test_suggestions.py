"""A guide's suggested questions are kept only when the engine answers them from that document alone."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.answer.suggestions import MAX_QUESTIONS, answered_from, check_questions
from kb.guides import guides_from_extras


def _answer(*docs: str, refused: bool = False, partial: bool = False) -> SimpleNamespace:
    return SimpleNamespace(refused=refused, partial=partial, citations=[SimpleNamespace(doc_id=d) for d in docs])


def test_an_answer_counts_only_when_it_cites_the_document_alone_without_a_gap() -> None:
    assert answered_from(_answer("a", "a"), "a")
    assert not answered_from(_answer("a", "b"), "a")
    assert not answered_from(_answer(), "a")
    assert not answered_from(_answer("a", refused=True), "a")
    assert not answered_from(_answer("a", partial=True), "a")


def test_the_check_keeps_the_passing_questions_in_order_and_at_most_six() -> None:
    answers = {f"q{i}": _answer("a" if i % 2 == 0 else "b") for i in range(20)}
    checked = check_questions(lambda q: answers[q], {"a": tuple(answers)})
    assert checked == {"a": [f"q{i}" for i in range(0, 2 * MAX_QUESTIONS, 2)]}


def test_the_shipped_guides_offer_three_to_six_questions_the_engine_answers_from_them(corpus_kb) -> None:
    from assistant.answer.engine import Assistant

    assistant = Assistant(corpus_kb.settings, corpus_kb)
    guides = guides_from_extras(corpus_kb.info.extras)
    checked = check_questions(lambda q: assistant.answer(q, mode="extractive"), {d: g.questions for d, g in guides.items()})
    for doc_id, questions in checked.items():
        assert 3 <= len(questions) <= MAX_QUESTIONS, doc_id
        assert all(answered_from(assistant.answer(q), doc_id) for q in questions[:2]), doc_id
