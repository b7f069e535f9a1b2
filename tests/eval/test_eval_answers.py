"""Answer metrics on hand-made answers, and the answer evaluation against the real assistant."""

from __future__ import annotations

import pytest

from assistant.types import Answer, Citation
from eval.answer_eval import AnswerReport, answer_blocks, run_answer_eval, score_answer
from eval.answer_metrics import cited_sentences, citation_support, evidence_coverage, supports
from eval.datasets import DEV_SET, EvalQuestion, Evidence, load_questions
from eval.matching import EvidenceMatcher
from eval.report import Table, to_markdown
from kb.lexical import DutchAnalyzer

PASSAGE_1 = ("De ambtelijk opdrachtgever bewaakt de kaders van de opgave. Hij geeft de sturingsprofessional "
             "ruimte om met partners te zoeken naar oplossingen.")
PASSAGE_2 = "Het budget van de opgave wordt jaarlijks via de begroting van de provincie verdeeld."


def cite(n: int, passage: str, doc_id: str = "vpng_gids") -> Citation:
    """A citation of a whole passage (the quote is its first sentence)."""
    quote = passage.split(". ")[0]
    return Citation(n, doc_id, "Titel", "Sectie", None, f"{doc_id}:{n:012d}", quote, passage, 0, len(quote))


ANSWER = Answer(
    question="Wat doet de ambtelijk opdrachtgever?",
    text=("De ambtelijk opdrachtgever bewaakt de kaders van de opgave [1]. "
          "Hij geeft de sturingsprofessional ruimte om oplossingen te zoeken met partners. [1]\n"
          "- Het budget wordt jaarlijks verdeeld via de provinciale begroting [2].\n"
          "De wethouder beslist over alle subsidies van het rijk [2]. "
          "Dit is een zin zonder bron. En een verwijzing naar een bron die niet bestaat [3]."),
    citations=(cite(1, PASSAGE_1), cite(2, PASSAGE_2, "motie_bijlage")),
    mode="extractive",
    refused=False,
)


def test_cited_sentences_are_split_with_their_markers() -> None:
    found = cited_sentences(ANSWER.text)
    assert [(s.text[:20], s.cites) for s in found] == [
        ("De ambtelijk opdrach", (1,)),
        ("Hij geeft de sturing", (1,)),  # the marker after the full stop belongs to this sentence
        ("Het budget wordt jaa", (2,)),  # the bullet dash is not part of the sentence
        ("De wethouder beslist", (2,)),
        ("En een verwijzing na", (3,)),
    ]
    assert cited_sentences("Meerdere bronnen [1, 2].")[0].cites == (1, 2)


def test_support_is_a_quote_or_enough_shared_content_words() -> None:
    analyzer = DutchAnalyzer()
    assert supports("De ambtelijk opdrachtgever bewaakt de kaders van de opgave.", PASSAGE_1, analyzer)  # a quote
    # Paraphrase: sturingsprofessional, ruimt, oploss, zoek, partner all occur in the passage.
    assert supports("Hij geeft de sturingsprofessional ruimte om oplossingen te zoeken met partners.", PASSAGE_1, analyzer)
    assert not supports("De wethouder beslist over alle subsidies van het rijk.", PASSAGE_2, analyzer)
    assert not supports("Zie hier.", PASSAGE_1, analyzer)  # no content words: nothing checkable


def test_citation_precision_counts_supported_cited_sentences() -> None:
    # Supported: the two [1] sentences and the budget sentence; not: the wethouder claim and the dangling [3].
    assert citation_support(ANSWER, DutchAnalyzer()) == (3, 5)


def test_evidence_coverage_is_the_share_of_gold_evidence_in_the_cited_passages() -> None:
    matcher = EvidenceMatcher()
    evidence = ["bewaakt de kaders van de opgave", "jaarlijks via de begroting van de provincie", "iets dat nergens staat"]
    assert evidence_coverage(ANSWER.citations, evidence, matcher) == pytest.approx(2 / 3)
    assert evidence_coverage((), evidence, matcher) == 0.0


def question(qid: str, answerable: bool, kind: str = "fact") -> EvalQuestion:
    evidence = (Evidence("vpng_gids", "bewaakt de kaders van de opgave"),) if answerable else ()
    return EvalQuestion(qid, "?", kind, "nl", answerable, evidence)


def test_report_summary_refusals_and_latency() -> None:
    refused = Answer("?", "De bronnen zeggen hier niets over.", (), "extractive", True)
    matcher, analyzer = EvidenceMatcher(), DutchAnalyzer()
    report = AnswerReport("toy.jsonl", "extractive", [
        score_answer(question("a1", True), ANSWER, 0.100, matcher, analyzer),
        score_answer(question("a2", True), refused, 0.200, matcher, analyzer),  # a false refusal
        score_answer(question("u1", False, "unanswerable"), refused, 0.300, matcher, analyzer),  # right
        score_answer(question("u2", False, "unanswerable"), ANSWER, 0.400, matcher, analyzer),  # should have refused
    ])
    summary = report.summary()
    assert summary["citation_precision"] == pytest.approx(6 / 10)  # two answers with 3 of 5 each
    assert summary["evidence_coverage"] == pytest.approx(0.5)  # a1 covers its evidence, a2 refused
    assert summary["refusal_accuracy"] == 0.5
    assert summary["false_refusal_rate"] == 0.5
    assert summary["latency_p50_ms"] == pytest.approx(200) and summary["latency_p95_ms"] == pytest.approx(400)
    assert report.by_kind()["unanswerable"]["refusal_accuracy"] == 0.5
    assert report.by_kind()["fact"]["refusal_accuracy"] is None  # no unanswerable fact questions
    md = to_markdown(answer_blocks(report))
    assert "| a2 | fact | ? | ten onrechte geweigerd |" in md
    assert "| u2 | unanswerable | ? | had moeten weigeren; 2 van 5 citaties niet gedragen |" in md
    assert isinstance(answer_blocks(report)[2], Table)


@pytest.mark.slow
def test_answer_eval_on_the_real_assistant(corpus_kb) -> None:  # noqa: ANN001
    """The extractive assistant on real dev questions: its answers quote their passages, so every
    cited sentence must count as supported; refusals are counted per kind of question."""
    from assistant.answer.engine import Assistant

    questions = load_questions(DEV_SET)
    picked = [q for q in questions if q.answerable][:6] + [q for q in questions if not q.answerable][:2]
    report = run_answer_eval(Assistant(corpus_kb.settings, corpus_kb), picked, "dev.jsonl", "extractive")
    assert [o.question.id for o in report.outcomes] == [q.id for q in picked]
    answered = [o for o in report.outcomes if not o.answer.refused and o.cited]
    assert answered, "the assistant answered none of six answerable dev questions"
    assert all(o.supported == o.cited for o in answered)
    assert report.summary()["citation_precision"] == 1.0
    assert all(o.coverage is not None for o in report.outcomes[:6]) and report.outcomes[6].coverage is None
    unanswerable = report.outcomes[6:]
    assert report.summary()["refusal_accuracy"] == sum(o.answer.refused for o in unanswerable) / 2
