"""Loading evaluation sets: typed records, and errors that name the file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.datasets import DEV_SET, LEEROPDRACHT_SET, Evidence, load_leeropdracht_cases, load_questions
from opgavewijzer.errors import ConfigError

GOOD = {
    "id": "t-1", "question": "Wat is een opgave?", "kind": "definition", "lang": "nl", "answerable": True,
    "evidence": [{"doc_id": "a", "text": "Een opgave is"}, {"doc_id": "b", "text": "iets"}, {"doc_id": "a", "text": "meer"}],
    "reference_answer": "Iets.",
}
CASE = {
    "id": "lo-1", "role": "wethouder", "role_canonical": "Bestuurlijk opdrachtgever", "situation": "Help.",
    "in_gids": True, "expected_strength": "gewicht", "expected_pitfall": "korte termijn",
    "required_source": "vpng_gids", "min_questions": 3, "max_questions": 6,
}


def write(path: Path, *records: object) -> Path:
    """A JSON Lines file with one line per record (strings are written as they are)."""
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_questions_load_into_typed_records(tmp_path: Path) -> None:
    unanswerable = {**GOOD, "id": "t-2", "kind": "unanswerable", "answerable": False, "evidence": [],
                    "missing": "het budget", "topic_evidence": [{"doc_id": "a", "text": "geld"}]}
    questions = load_questions(write(tmp_path / "q.jsonl", GOOD, "", unanswerable))
    assert [q.id for q in questions] == ["t-1", "t-2"]
    assert questions[0].doc_ids == ("a", "b")
    assert questions[0].evidence[1].text == "iets"
    assert (questions[0].missing, questions[0].topic_evidence) == ("", ())
    assert questions[1].answerable is False and questions[1].evidence == ()
    assert questions[1].missing == "het budget" and questions[1].topic_evidence == (Evidence("a", "geld"),)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "q.jsonl, regel 2: geen geldige JSON (Expecting property name enclosed in double quotes)"),
        ({k: v for k, v in GOOD.items() if k != "question"}, "q.jsonl, regel 2: veld 'question' ontbreekt"),
        ({**GOOD, "answerable": "ja"}, "q.jsonl, regel 2: veld 'answerable' moet bool zijn, niet str"),
        ({**GOOD, "kind": "quiz"}, "q.jsonl, regel 2: onbekende kind 'quiz' (toegestaan: comparison, definition, english, fact, "
                                   "how, list, multi_doc, role, typo, unanswerable, vague, why)"),
        ({**GOOD, "topic_evidence": [{"text": "x"}]},
         "q.jsonl, regel 2: topic_evidence[0] moet een object met 'doc_id' en 'text' (tekst) zijn"),
        ({**GOOD, "evidence": [{"doc_id": "a"}]}, "q.jsonl, regel 2: evidence[0] moet een object met 'doc_id' en 'text' (tekst) zijn"),
        ({**GOOD, "evidence": []}, "q.jsonl, regel 2: een beantwoordbare vraag heeft minstens één evidence nodig"),
        (GOOD, "q.jsonl, regel 2: id 't-1' komt twee keer voor"),
    ],
)
def test_a_bad_question_line_is_named(tmp_path: Path, line: object, message: str) -> None:
    path = write(tmp_path / "q.jsonl", GOOD, line)
    with pytest.raises(ConfigError) as err:
        load_questions(path)
    assert str(err.value) == message


def test_missing_and_empty_datasets_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="dataset niet gevonden"):
        load_questions(tmp_path / "nope.jsonl")
    with pytest.raises(ConfigError, match="dataset is leeg"):
        load_questions(write(tmp_path / "empty.jsonl", ""))


def test_leeropdracht_cases_load_and_check_the_range(tmp_path: Path) -> None:
    cases = load_leeropdracht_cases(write(tmp_path / "lo.jsonl", CASE))
    assert cases[0].role_canonical == "Bestuurlijk opdrachtgever" and (cases[0].min_questions, cases[0].max_questions) == (3, 6)
    with pytest.raises(ConfigError) as err:
        load_leeropdracht_cases(write(tmp_path / "lo.jsonl", {**CASE, "min_questions": 7}))
    assert str(err.value) == "lo.jsonl, regel 1: min_questions (7) en max_questions (6) vormen geen geldig bereik"
    with pytest.raises(ConfigError) as err:
        load_leeropdracht_cases(write(tmp_path / "lo.jsonl", {**CASE, "max_questions": True}))
    assert str(err.value) == "lo.jsonl, regel 1: veld 'max_questions' moet int zijn, niet bool"


def test_the_shipped_sets_load() -> None:
    questions = load_questions(DEV_SET)
    assert len(questions) >= 60
    assert any(not q.answerable for q in questions)
    assert all(q.evidence for q in questions if q.answerable)
    assert load_leeropdracht_cases(LEEROPDRACHT_SET)
