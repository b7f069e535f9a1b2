"""The overview eval: its question file and the checks on one answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.types import Answer, Citation
from eval.overview_eval import score_overview
from eval.overview_set import OVERVIEW_SET, OverviewQuestion, load_overview
from eval.quotes import SourceTexts
from kb.sentences import SentenceIndex
from kb.types import DocumentRecord
from opgavewijzer.errors import ConfigError

DOCS = {"a": DocumentRecord("a", "a.md", "Het eerste rapport", "x", 3, short_title="Rapport A", names={"nl": "rapport A"}),
        "b": DocumentRecord("b", "b.md", "De tweede gids", "y", 3, short_title="Gids B")}


def _citation(n: int, doc: str, section: str, quote: str = "Opgaven vragen om samenwerking.") -> Citation:
    return Citation(n=n, doc_id=doc, title="t", section=section, page=None, chunk_id=f"{doc}:{n}", quote=quote,
                    passage=quote, quote_start=0, quote_end=len(quote), spans=((0, len(quote)),))


def _score(question: OverviewQuestion, doc: str, citations: tuple[Citation, ...], text: str = "Rapport A: punten.",
           **flags: bool):
    answer = Answer(question=question.question, text=text, citations=citations, mode="extractive",
                    refused=flags.get("refused", False), partial=flags.get("partial", False))
    return score_overview(question, doc, answer, DOCS, SourceTexts([]), SentenceIndex.build([]))


Q = OverviewQuestion("q1", "dev", "Waar gaat rapport A over?", "a", "nl")


def test_an_answer_from_three_chapters_of_the_asked_document_passes() -> None:
    cites = tuple(_citation(i, "a", f"{i}. Hoofdstuk > {i}.1 Deel") for i in (1, 2, 3))
    outcome = _score(Q, "a", cites)
    assert outcome.passed and outcome.sections == 3


def test_two_chapters_fail_the_spread_unless_one_is_the_documents_own_summary() -> None:
    assert _score(Q, "a", (_citation(1, "a", "1. Inleiding"), _citation(2, "a", "2. Aanpak"))).problems() == ["spread"]
    assert _score(Q, "a", (_citation(1, "a", "Samenvatting"), _citation(2, "a", "2. Aanpak"))).passed


def test_a_citation_of_another_document_a_refusal_a_gap_and_a_long_answer_each_fail() -> None:
    three = tuple(_citation(i, "a", f"{i}. H") for i in (1, 2, 3))
    assert _score(Q, "a", (*three, _citation(4, "b", "1. H"))).problems() == ["only_doc"]
    assert _score(Q, "a", three, refused=True).problems() == ["answered"]
    assert _score(Q, "a", three, partial=True).problems() == ["no_gap"]
    assert _score(Q, "a", three, text="woord " * 201).problems() == ["short"]


def test_a_quoted_author_bio_fails() -> None:
    bio = "Jan Jansen is sinds 2010 werkzaam bij het instituut."
    cites = (*(_citation(i, "a", f"{i}. H") for i in (1, 2)), _citation(3, "a", "3. H", bio))
    assert _score(Q, "a", cites).problems() == ["no_furniture"]


def test_a_question_about_all_documents_must_name_each_of_them() -> None:
    q = OverviewQuestion("q2", "dev", "Welke documenten zijn er?", "*", "nl")
    assert _score(q, "*", (), text="- Rapport A\n- De tweede gids").passed
    assert _score(q, "*", (), text="- Rapport A").problems() == ["only_doc"]


def test_the_shipped_set_loads_and_covers_every_shipped_document() -> None:
    questions = load_overview(OVERVIEW_SET)
    docs = {q.doc for q in questions if q.split == "dev"}
    assert {"motie_bijlage", "nsob_rapport", "pzh_verslag", "vpng_gids", "bouwstenen_essay", "*"} <= docs
    assert sum(q.split == "dev" for q in questions) >= 20 and any(q.added_file for q in questions)


@pytest.mark.parametrize("line, message", [
    ({"id": "x", "split": "test", "question": "q?", "doc": "a", "lang": "nl"}, "split"),
    ({"id": "x", "split": "dev", "question": "q?", "doc": "a", "lang": "de"}, "lang"),
    ({"id": "x", "split": "dev", "question": "q?", "doc": "file:", "lang": "nl"}, "doc"),
    ({"id": "x", "split": "dev", "question": "q?", "doc": "file:missing.md", "lang": "nl"}, "missing.md"),
    ({"id": "x", "split": "dev", "doc": "a", "lang": "nl"}, "question"),
])
def test_a_malformed_line_is_refused_naming_the_field(tmp_path: Path, line: dict, message: str) -> None:
    path = tmp_path / "overview.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_overview(path)


def test_a_point_that_leans_on_the_sentence_before_or_an_item_without_its_list_fails_standalone() -> None:
    three = [_citation(i, "a", f"{i}. H") for i in (1, 2, 3)]
    leaning = _citation(4, "a", "4. H", "Tegelijk is de sturing op de opgaven diffuus.")
    assert _score(Q, "a", (*three, leaning)).problems() == ["standalone"]
    orphan = _citation(4, "a", "4. H", "4. Ontwikkel en investeer in de kwaliteiten.")
    assert _score(Q, "a", (*three, orphan)).problems() == ["standalone"]


def test_a_question_about_recommendations_must_cite_the_documents_own() -> None:
    q = OverviewQuestion("q3", "dev", "Welke aanbevelingen doet rapport A?", "a", "nl")
    three = tuple(_citation(i, "a", f"{i}. H") for i in (1, 2, 3))
    assert _score(q, "a", three).problems() == ["intent"]
    assert _score(q, "a", (*three, _citation(4, "a", "7. Aanbevelingen"))).passed
    assert _score(q, "a", three, text="Rapport A heeft geen eigen hoofdstuk met conclusies of aanbevelingen.").passed
