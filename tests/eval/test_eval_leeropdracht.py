"""The leeropdracht rubric on hand-made drafts, and the evaluation against the real assistant."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.types import Citation, CitedText, Leeropdracht
from eval.answer_metrics import check_leeropdracht, hoe_questions
from eval.datasets import LEEROPDRACHT_SET, LeeropdrachtCase, load_leeropdracht_cases
from eval.leeropdracht_eval import RecordingKnowledgeBase, leeropdracht_blocks, run_leeropdracht_eval
from eval.matching import EvidenceMatcher
from eval.report import to_markdown

STRENGTH = "De pot met goud van de bestuurlijk opdrachtgever is dat hij zijn gewicht kan inzetten om een opgave verder te brengen."
PITFALL = "De valkuil van zijn rol is dat hij vooral geneigd is korte termijn belangen voorop te stellen."
GIDS_PASSAGE = f"Bestuurlijk opdrachtgever. {STRENGTH} {PITFALL}"
NSOB_PASSAGE = "Opgaven zijn altijd politiek. Hoe houd ik ruimte voor de lange termijn?"
PASSAGES = {"vpng_gids:000000000001": GIDS_PASSAGE, "nsob_rapport:000000000002": NSOB_PASSAGE}

CASE = LeeropdrachtCase(
    id="lo-x", role="wethouder", role_canonical="Bestuurlijk opdrachtgever", situation="Nieuw als wethouder.",
    in_gids=True, expected_strength=STRENGTH, expected_pitfall=PITFALL, required_source="vpng_gids",
    min_questions=3, max_questions=5,
)
OUTSIDE = dataclasses.replace(CASE, id="lo-y", role="archivaris", in_gids=False, expected_strength="", expected_pitfall="")


def citation(n: int, chunk_id: str, quote: str) -> Citation:
    passage = PASSAGES[chunk_id]
    return Citation(n, chunk_id.split(":")[0], "T", "S", None, chunk_id, quote, passage, passage.find(quote), passage.find(quote) + len(quote))


GIDS_CITES = (citation(1, "vpng_gids:000000000001", STRENGTH), citation(2, "nsob_rapport:000000000002", "Opgaven zijn altijd politiek."))
DRAFT = Leeropdracht(
    title="Leeropdracht bestuurlijk opdrachtgever", role="Bestuurlijk opdrachtgever", role_in_gids=True,
    context="Nieuw als wethouder.",
    strength=CitedText(STRENGTH, (1,)), pitfall=CitedText(PITFALL, (1,)),
    questions=(CitedText("Hoe zet ik mijn gewicht in? [1]", (1,)), CitedText("Hoe houd ik de lange termijn in beeld?"),
               CitedText("Hoe betrek ik de raad?", (2,)), CitedText("Wat vind ik belangrijk?")),
    exercise=CitedText("Bespreek dit met je ambtelijk opdrachtgever.", (2,)), reflection=CitedText("Wat heb je geleerd?"),
    citations=GIDS_CITES,
)
ALL_RETRIEVED = set(PASSAGES)


def test_hoe_questions_are_counted_without_markers() -> None:
    assert hoe_questions(DRAFT) == 3  # "Wat vind ik belangrijk?" does not count


def test_a_good_draft_meets_every_applicable_item() -> None:
    checks = check_leeropdracht(CASE, DRAFT, ALL_RETRIEVED, PASSAGES, EvidenceMatcher())
    assert checks == {
        "questions_in_range": True, "required_source_cited": True, "citations_grounded": True,
        "citations_retrieved": True, "strength_present": True, "pitfall_present": True,
        "says_not_in_gids": None, "no_invented_strength": None,
    }


def test_each_rubric_item_can_fail() -> None:
    m = EvidenceMatcher()
    too_few = dataclasses.replace(DRAFT, questions=DRAFT.questions[:2])
    assert check_leeropdracht(CASE, too_few, ALL_RETRIEVED, PASSAGES, m)["questions_in_range"] is False
    wrong_strength = dataclasses.replace(DRAFT, strength=CitedText("Hij is een goede bestuurder.", (1,)), pitfall=None)
    checks = check_leeropdracht(CASE, wrong_strength, ALL_RETRIEVED, PASSAGES, m)
    assert (checks["strength_present"], checks["pitfall_present"]) == (False, False)
    only_nsob = dataclasses.replace(DRAFT, citations=GIDS_CITES[1:])
    assert check_leeropdracht(CASE, only_nsob, ALL_RETRIEVED, PASSAGES, m)["required_source_cited"] is False
    # The gids passage was never retrieved for this draft.
    assert check_leeropdracht(CASE, DRAFT, {"nsob_rapport:000000000002"}, PASSAGES, m)["citations_retrieved"] is False
    invented = dataclasses.replace(GIDS_CITES[1], quote="Een zin die nergens staat.")
    checks = check_leeropdracht(CASE, dataclasses.replace(DRAFT, citations=(GIDS_CITES[0], invented)), ALL_RETRIEVED, PASSAGES, m)
    assert checks["citations_grounded"] is False
    assert check_leeropdracht(CASE, DRAFT, ALL_RETRIEVED, {}, m)["citations_grounded"] is False  # not in the index


def test_a_role_outside_the_gids_must_say_so_and_borrow_no_strength() -> None:
    m = EvidenceMatcher()
    honest = dataclasses.replace(
        DRAFT, role="archivaris", role_in_gids=False, strength=None, pitfall=None,
        notes=("De VPNG-gids heeft geen leeropdracht voor de rol 'archivaris'.",),
    )
    checks = check_leeropdracht(OUTSIDE, honest, ALL_RETRIEVED, PASSAGES, m)
    assert (checks["says_not_in_gids"], checks["no_invented_strength"]) == (True, True)
    assert checks["strength_present"] is None
    silent = dataclasses.replace(honest, notes=())
    assert check_leeropdracht(OUTSIDE, silent, ALL_RETRIEVED, PASSAGES, m)["says_not_in_gids"] is False
    borrowed = dataclasses.replace(honest, strength=CitedText(STRENGTH, (1,)))
    assert check_leeropdracht(OUTSIDE, borrowed, ALL_RETRIEVED, PASSAGES, m)["no_invented_strength"] is False


@pytest.mark.slow
def test_recording_knowledge_base_remembers_search_results(corpus_kb) -> None:  # noqa: ANN001
    recorder = RecordingKnowledgeBase(corpus_kb)
    hits = recorder.search("Wat is de pot met goud van de bestuurlijk opdrachtgever?", top_k=3)
    assert recorder.retrieved == {h.chunk_id for h in hits} and len(hits) == 3
    batch = recorder.search_many(["budget concernbrede opgaven"], top_k=2)
    assert {h.chunk_id for h in batch[0]} <= recorder.retrieved
    assert recorder.chunks is corpus_kb.chunks  # everything else is the wrapped knowledge base's


@pytest.mark.slow
def test_leeropdracht_eval_on_the_real_assistant(corpus_kb) -> None:  # noqa: ANN001
    """The extractive assistant drafts two rubric cases: one role from the gids, one outside it."""
    from assistant.answer.engine import Assistant

    cases = load_leeropdracht_cases(LEEROPDRACHT_SET)
    picked = [next(c for c in cases if c.in_gids), next(c for c in cases if not c.in_gids)]
    recorder = RecordingKnowledgeBase(corpus_kb)
    report = run_leeropdracht_eval(Assistant(corpus_kb.settings, recorder), recorder, picked, "leeropdrachten.jsonl")
    inside, outside = report.outcomes
    assert inside.checks["required_source_cited"] is True and inside.checks["citations_grounded"] is True
    assert inside.checks["strength_present"] is True
    assert outside.checks["says_not_in_gids"] is True and outside.checks["no_invented_strength"] is True
    assert "| lo-" in to_markdown(leeropdracht_blocks(report))
