"""Answer metrics on hand-made answers, and the answer evaluation against the real assistant."""

from __future__ import annotations

import pytest

from dataclasses import dataclass

from assistant.types import Answer, Citation
from eval.quotes import SourceTexts
from eval.answer_eval import AnswerReport, Ratio, run_answer_eval, score_answer, values
from eval.answer_metrics import cited_sentences, citation_support, evidence_coverage, supports
from eval.answer_report import answer_blocks, answer_data, group_table, overview_table
from eval.datasets import DEV_SET, EvalQuestion, Evidence, load_questions
from eval.matching import EvidenceMatcher
from eval.report import Table, text_table, to_markdown
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
    # A quoted sentence: the closing quotation mark after its full stop is part of it, with the marker.
    assert [(s.text, s.cites) for s in cited_sentences("- “Investeer in de opgave.” [5]\n- “Leer door te doen.” [6]")] == [
        ("“Investeer in de opgave.”", (5,)), ("“Leer door te doen.”", (6,))]


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


def question(qid: str, answerable: bool, kind: str = "fact", lang: str = "nl", docs: tuple[str, ...] = ("vpng_gids",)) -> EvalQuestion:
    """A question whose gold evidence is one sentence of PASSAGE_1 per document in ``docs``."""
    evidence = tuple(Evidence(d, "bewaakt de kaders van de opgave") for d in docs) if answerable else ()
    return EvalQuestion(qid, "?", kind, lang, answerable, evidence)


@dataclass(frozen=True)
class GapAnswer(Answer):
    """An answer with the gap fields the engine is gaining (``partial``, ``missing``)."""

    partial: bool = False
    missing: tuple[str, ...] = ()


REFUSED = Answer("?", "De bronnen zeggen hier niets over.", (), "extractive", True)
PARTIAL = GapAnswer("?", "De bronnen noemen geen bedrag. Wel: het budget wordt verdeeld [1].",
                    (cite(1, PASSAGE_2, "motie_bijlage"),), "extractive", False, partial=True, missing=("het bedrag",))


def toy_report() -> AnswerReport:
    """Six scored answers covering each metric once."""
    matcher, analyzer = EvidenceMatcher(), DutchAnalyzer()
    scored = [
        (question("a1", True), ANSWER, 0.100),  # evidence in the text, both documents cited
        (question("a2", True), REFUSED, 0.200),  # a false refusal
        (question("a3", True, "comparison", "en", ("vpng_gids", "nsob_rapport")), ANSWER, 0.300),  # cites one of two docs
        (question("u1", False, "unanswerable"), REFUSED, 0.400),  # right
        (question("u2", False, "unanswerable"), ANSWER, 0.500),  # should have refused
        (question("u3", False, "unanswerable", "en"), PARTIAL, 0.600),  # right: names what is missing
    ]
    return AnswerReport("toy.jsonl", "extractive", [score_answer(q, a, t, matcher, analyzer) for q, a, t in scored])


def test_report_summary_counts_every_metric() -> None:
    report = toy_report()
    summary = report.summary()
    assert summary["evidence_recall"] == Ratio(3, 4)  # a1 one string, a3 two (one per document), a2 refused
    assert summary["all_evidence"] == Ratio(2, 3) and summary["answered_with_evidence"] == Ratio(2, 3)
    assert summary["refusal_accuracy"] == Ratio(2, 3)  # u1 refused, u3 partial with what is missing
    assert summary["false_refusals"] == Ratio(1, 3)
    assert summary["two_docs_cited"] == Ratio(0, 1)  # a3 cites vpng_gids and motie_bijlage, not nsob_rapport
    assert summary["furniture_answers"] == Ratio(0, 6)
    # Two quotes in each ANSWER, one in PARTIAL; cite() drops the full stop of PASSAGE_1's first sentence,
    # so that quote ends before the sentence does.
    assert summary["off_boundary_quotes"] == Ratio(3, 7)
    assert summary["verbatim_quotes"] == Ratio(7, 7)
    assert summary["citation_precision"] == Ratio(10, 16)  # three ANSWERs with 3 of 5 each, PARTIAL 1 of 1
    assert summary["evidence_coverage"] == pytest.approx((1 + 0 + 1) / 3)  # a3: both strings in the cited passage
    assert summary["median_words"] == 53.0  # three ANSWERs of 53 words, PARTIAL of 11; refusals left out
    assert summary["latency_p50_ms"] == pytest.approx(300) and summary["latency_p95_ms"] == pytest.approx(600)
    assert values(summary)["refusal_accuracy"] == pytest.approx(2 / 3)


def test_report_groups_by_kind_and_language() -> None:
    report = toy_report()
    assert list(report.by_kind()) == ["comparison", "fact", "unanswerable"]
    assert report.by_kind()["unanswerable"]["refusal_accuracy"] == Ratio(2, 3)
    assert report.by_kind()["fact"]["refusal_accuracy"].value is None  # no unanswerable fact questions
    assert report.by_lang()["en"]["refusal_accuracy"] == Ratio(1, 1)
    assert report.by_lang()["en"]["two_docs_cited"] == Ratio(0, 1)
    assert report.by_lang()["nl"]["false_refusals"] == Ratio(1, 2)
    rows = {r[0]: r for r in group_table(report, "lang", compact=True).rows}
    assert rows["en"][:6] == ("en", "2", "2/2", "1/1", "1/1", "1/1")


def test_report_names_what_went_wrong_per_answer() -> None:
    report = toy_report()
    md = to_markdown(answer_blocks(report))
    assert "| a2 | fact | nl | ? | ten onrechte geweigerd |" in md
    assert ("| a3 | comparison | en | ? | niet beide documenten geciteerd; 2 van 5 citaties niet gedragen; "
            "1 van 2 citaten niet op zinsgrenzen |") in md
    assert ("| u2 | unanswerable | nl | ? | had moeten weigeren of het ontbrekende noemen; 2 van 5 citaties niet "
            "gedragen; 1 van 2 citaten niet op zinsgrenzen |") in md
    assert "| u3 |" not in md and "| u1 |" not in md
    assert isinstance(answer_blocks(report)[2], Table)
    data = answer_data(report)
    assert data["summary"]["counts"]["refusal_accuracy"] == [2, 3]
    assert [a["id"] for a in data["answers"] if a["problems"]] == ["a1", "a2", "a3", "u2"]
    assert text_table(overview_table([report])).splitlines()[0].split() == ["metric", "toy.jsonl", "(6)"]


def test_answers_without_an_index_are_judged_in_their_passages() -> None:
    matcher, analyzer = EvidenceMatcher(), DutchAnalyzer()
    cut = Citation(1, "vpng_gids", "T", "S", None, "vpng_gids:x", "kaders van de opgave.", PASSAGE_1,
                   PASSAGE_1.index("kaders"), PASSAGE_1.index("kaders") + len("kaders van de opgave."))
    made = Answer("?", "De ambtelijk opdrachtgever bewaakt de kaders van de opgave [1].", (cut,), "extractive", False)
    assert score_answer(question("a", True), made, 0.1, matcher, analyzer).off_boundary == 1
    sources = SourceTexts([])  # an index that does not hold the passage: the passage is the context
    assert score_answer(question("a", True), made, 0.1, matcher, analyzer, sources).off_boundary == 1


@pytest.mark.slow
def test_answer_eval_on_the_real_assistant(corpus_kb) -> None:  # noqa: ANN001
    """The extractive assistant on real dev questions: its answers quote their passages, so every
    cited sentence must count as supported; refusals are counted per kind of question."""
    from assistant.answer.engine import Assistant

    questions = load_questions(DEV_SET)
    picked = [q for q in questions if q.answerable][:6] + [q for q in questions if not q.answerable][:2]
    sources = SourceTexts(corpus_kb.chunks)
    report = run_answer_eval(Assistant(corpus_kb.settings, corpus_kb), picked, "dev.jsonl", "extractive", sources=sources)
    assert [o.question.id for o in report.outcomes] == [q.id for q in picked]
    answered = [o for o in report.outcomes if not o.answer.refused and o.cited]
    assert answered, "the assistant answered none of six answerable dev questions"
    assert all(o.supported == o.cited for o in answered)
    assert report.summary()["citation_precision"].value == 1.0
    assert all(len(o.found) == len(o.question.evidence) for o in report.outcomes)
    assert all(o.coverage is not None for o in report.outcomes[:6]) and report.outcomes[6].coverage is None
    assert sum(o.quotes for o in answered) >= len(answered)  # every answer quotes at least one span
    unanswerable = report.outcomes[6:]
    assert report.summary()["refusal_accuracy"] == Ratio(sum(o.handled for o in unanswerable), 2)
