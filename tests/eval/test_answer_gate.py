"""The CI gate for answers: the default assistant's answers on the dev set may not get worse than the stored baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.types import Answer, Citation
from eval.quotes import SourceTexts
from eval.answer_eval import AnswerOutcome, AnswerReport
from eval.answer_gate import (
    ANSWER_TOLERANCE,
    GATED_ANSWER_METRICS,
    answer_baseline_from,
    answer_config,
    answer_gate_message,
    compare_answers,
    load_answer_baseline,
    save_answer_baseline,
)
from eval.datasets import DEV_SET, EvalQuestion, Evidence, load_questions
from eval.gate import Baseline, load_baseline, save_baseline
from opgavewijzer.errors import ConfigError

ANSWER = Answer("?", "Een antwoord [1].", (Citation(1, "d", "T", "S", None, "d:1", "Een zin.", "Een zin."),), "extractive", False)
REFUSED = Answer("?", "Geen antwoord.", (), "extractive", True)


def outcome(qid: str, found: int = 1, evidence: int = 1, refused: bool = False, furniture: int = 0) -> AnswerOutcome:
    """An answerable question with ``found`` of ``evidence`` strings in its answer (none when refused)."""
    question = EvalQuestion(qid, "?", "fact", "nl", True, tuple(Evidence("d", f"e{i}") for i in range(evidence)))
    return AnswerOutcome(question, REFUSED if refused else ANSWER, 0.1, 1, 1, 1.0,
                         found=tuple(i < found and not refused for i in range(evidence)), refused=refused,
                         furniture=furniture, quotes=1)


def unanswerable(qid: str, handled: bool) -> AnswerOutcome:
    question = EvalQuestion(qid, "?", "unanswerable", "nl", False, (), missing="x")
    return AnswerOutcome(question, REFUSED if handled else ANSWER, 0.1, 0, 0, None, handled=handled, refused=handled)


def report(*outcomes: AnswerOutcome) -> AnswerReport:
    return AnswerReport("dev.jsonl", "extractive", list(outcomes))


BASE = answer_baseline_from(report(*(outcome(f"q{i}") for i in range(60)), unanswerable("u1", True),
                                   unanswerable("u2", True)), {"top_k": 5})


def test_the_baseline_holds_per_question_counts_and_the_pooled_metrics() -> None:
    assert set(BASE.metrics) == set(GATED_ANSWER_METRICS)
    assert BASE.metrics["evidence_recall"] == 1.0 and BASE.metrics["refusal_accuracy"] == 1.0
    assert BASE.metrics["two_docs_cited"] is None  # no two-document question
    assert BASE.questions["q0"] == {"answers": 1, "with_furniture": 0, "quotes": 1, "off_boundary": 0, "quoting": 0,
                                    "verbatim": 0, "supported": 1,
                                    "cited": 1, "answerable": 1, "found": 1, "evidence": 1, "refused": 0,
                                    "gapped": 0, "all_found": 1, "some_found": 1}
    assert BASE.questions["u1"]["handled"] == 1 and "found" not in BASE.questions["u1"]


def test_one_worse_question_in_sixty_is_within_the_tolerance() -> None:
    current = report(outcome("q0", found=0), *(outcome(f"q{i}") for i in range(1, 60)), unanswerable("u1", True),
                     unanswerable("u2", True))
    assert compare_answers(BASE, current) == []  # evidence recall 59/60: -0.017


def test_a_single_question_cannot_fail_the_gate_however_small_the_set() -> None:
    """One borderline answer may differ between two builds of the same code; two questions' worth is a regression."""
    one = report(*(outcome(f"q{i}") for i in range(60)), unanswerable("u1", False), unanswerable("u2", True))
    assert compare_answers(BASE, one) == []  # refusal accuracy 1/2: -0.5, but only u1 got worse
    two = report(*(outcome(f"q{i}") for i in range(60)), unanswerable("u1", False), unanswerable("u2", False))
    assert [r.metric for r in compare_answers(BASE, two)] == ["refusal_accuracy"]


def test_a_regression_names_metric_direction_values_and_questions() -> None:
    current = report(outcome("q0", refused=True), outcome("q1", refused=True), outcome("q2", furniture=1),
                     outcome("q3", furniture=2), *(outcome(f"q{i}") for i in range(4, 60)),
                     unanswerable("u1", False), unanswerable("u2", False))
    regressions = {r.metric: r for r in compare_answers(BASE, current)}
    assert set(regressions) == {"evidence_recall", "all_evidence", "answered_with_evidence", "refusal_accuracy",
                                "false_refusals", "furniture_answers"}
    assert regressions["false_refusals"].questions == ("q0", "q1")
    assert regressions["refusal_accuracy"].describe() == "refusal_accuracy: 0.000 < baseline 1.000 (-1.000); slechter: u1, u2"
    assert regressions["furniture_answers"].describe() == (
        "furniture_answers: 0.032 > baseline 0.000 (+0.032); slechter: q2, q3")
    message = answer_gate_message(list(regressions.values()), BASE, ANSWER_TOLERANCE, {"top_k": 8})
    lines = message.splitlines()
    assert lines[0] == "antwoorden (extractive) op dev.jsonl zijn meer dan 0.02 slechter dan de baseline (op minstens 2 vragen):"
    assert lines[-2:] == ["Configuratie sinds de baseline veranderd: top_k: 5 -> 8",
                          "Bewust veranderd? Werk de baseline bij met 'opgavewijzer eval answers --update-baseline'."]


def test_questions_added_after_the_baseline_do_not_count() -> None:
    current = report(*(outcome(f"q{i}") for i in range(60)), unanswerable("u1", True), unanswerable("u2", True),
                     *(outcome(f"new{i}", found=0) for i in range(20)), unanswerable("new-u", False))
    assert compare_answers(BASE, current) == []
    with pytest.raises(ConfigError, match="deelt geen enkele vraag"):
        compare_answers(BASE, report(outcome("other")))


def test_answer_and_retrieval_baselines_share_one_file_without_overwriting_each_other(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    retrieval = Baseline("dev.jsonl", "hybrid", "2025-01-01", {"candidates": 40}, {"mrr@10": 0.5}, {"q": {"mrr@10": 0.5}})
    save_baseline(retrieval, path)
    save_answer_baseline(BASE, path)
    save_baseline(retrieval, path)  # a retrieval update keeps the answer part
    assert load_answer_baseline(path) == BASE
    assert load_baseline(path) == retrieval
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {"answers", *Baseline.__dataclass_fields__}


def test_a_missing_or_broken_answer_baseline_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.json: geen baseline; maak er een met 'opgavewijzer eval answers"):
        load_answer_baseline(tmp_path / "nope.json")
    (tmp_path / "old.json").write_text('{"dataset": "dev.jsonl"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="old.json: geen antwoord-baseline"):
        load_answer_baseline(tmp_path / "old.json")
    (tmp_path / "bad.json").write_text('{"answers": {"dataset": "dev.jsonl"}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json: geen geldige antwoord-baseline"):
        load_answer_baseline(tmp_path / "bad.json")


def test_the_stored_answer_baseline_is_for_the_dev_set() -> None:
    baseline = load_answer_baseline()
    assert (baseline.dataset, baseline.mode) == ("dev.jsonl", "extractive")
    dev = {q.id for q in load_questions(DEV_SET)}
    assert set(baseline.questions) <= dev and len(baseline.questions) >= 0.9 * len(dev)
    assert set(baseline.metrics) == set(GATED_ANSWER_METRICS)


@pytest.mark.slow
def test_default_answers_do_not_regress_on_the_dev_set(corpus_kb) -> None:  # noqa: ANN001
    """Answers the dev set with the default extractive assistant on the real corpus index and compares with the baseline."""
    from assistant.answer.engine import Assistant
    from eval.answer_eval import run_answer_eval

    baseline = load_answer_baseline()
    assistant = Assistant(corpus_kb.settings, corpus_kb)
    current = run_answer_eval(assistant, load_questions(DEV_SET), "dev.jsonl", corpus_kb.settings.answer.mode,
                              sources=SourceTexts(corpus_kb.chunks))
    regressions = compare_answers(baseline, current)
    assert not regressions, answer_gate_message(regressions, baseline, ANSWER_TOLERANCE, answer_config(corpus_kb))
