"""Evidence-to-passage matching, on toy strings and on the real cleaned and chunked corpus."""

from __future__ import annotations

import pytest

from eval.datasets import DEV_SET, HOLDOUT_SET, load_questions
from eval.matching import EvidenceMatcher, normalise
from ingest.inputs import collect_inputs
from ingest.pipeline import process_document
from opgavewijzer.settings import Settings


def test_normalise_undoes_what_the_cleaner_changes() -> None:
    assert normalise("de professiona- lisering van opgaven") == "de professionalisering van opgaven"
    assert normalise("de professionalisering van opgaven") == "de professionalisering van opgaven"
    assert normalise("water-schappen") == normalise("water- schappen") == "waterschappen"
    assert normalise("**De opgave** aan _tafel_") == "de opgave aan tafel"
    assert normalise("Zie [de gids](https://example.org/gids.pdf) voor meer.") == "zie de gids voor meer"
    assert normalise("enabling leiderschap26 om") == "enabling leiderschap om"
    assert normalise("dat werkt.12 Daarna") == "dat werkt daarna"
    assert normalise("Geïnterviewde   medewerkers\n\n zeggen") == "geinterviewde medewerkers zeggen"


def test_whole_evidence_matches_on_word_boundaries_only() -> None:
    m = EvidenceMatcher()
    chunk = "De sturingsprofessional maakt de verbinding tussen bestuur en organisatie."
    assert m.contains(chunk, "sturings- professional maakt de verbinding")
    assert not m.contains(chunk, "professional maakt de verbinding")  # not a whole word of the chunk
    assert m.covered(chunk, "tussen bestuur en organisatie") == frozenset(range(4))


EVIDENCE = "een twee drie vier vijf zes zeven acht negen tien"


def test_evidence_over_a_chunk_boundary_counts_where_most_of_it_lies() -> None:
    m = EvidenceMatcher()
    first, second = "aap noot een twee drie vier vijf zes zeven", "acht negen tien mies"
    assert m.share_in([first], EVIDENCE) == 0.7
    assert m.contains(first, EVIDENCE)  # 70% >= 60%
    assert not m.contains(second, EVIDENCE)  # 30%, and a run of only 3 words
    assert m.found_in([second, first], EVIDENCE)


def test_evidence_split_in_half_is_found_only_when_both_halves_are_retrieved() -> None:
    m = EvidenceMatcher()
    first, second = "aap een twee drie vier vijf", "zes zeven acht negen tien noot"
    assert not m.contains(first, EVIDENCE) and not m.contains(second, EVIDENCE)
    assert not m.found_in([first], EVIDENCE)
    assert m.found_in([first, second], EVIDENCE)


def test_short_common_runs_do_not_add_up_to_a_match() -> None:
    m = EvidenceMatcher()
    # Every evidence word occurs, but never four in a row.
    scattered = "een twee drie x vier vijf zes x zeven acht negen x tien"
    assert m.share_in([scattered], EVIDENCE) == 0.0
    assert not m.contains(scattered, EVIDENCE)


def test_matcher_rejects_an_impossible_share() -> None:
    with pytest.raises(ValueError, match="share must be in"):
        EvidenceMatcher(share=0)


@pytest.fixture(scope="module")
def cleaned_chunks() -> dict[str, list[str]]:
    """The real corpus through the real loader, cleaner and chunker (no embedding needed)."""
    settings = Settings(_env_file=None)
    inputs, errors = collect_inputs([], settings)
    assert not errors
    return {d.source.doc_id: [c.text for c in process_document(d, settings).chunks] for d in inputs}


@pytest.mark.parametrize("dataset", [DEV_SET, HOLDOUT_SET], ids=lambda p: p.name)
def test_every_gold_evidence_is_found_in_the_cleaned_chunks(dataset, cleaned_chunks: dict[str, list[str]]) -> None:
    """Gold evidence is copied from the raw documents; matching must survive cleaning and chunking."""
    m = EvidenceMatcher()
    missing = [
        f"{q.id}: {e.text[:80]}"
        for q in load_questions(dataset)
        for e in q.evidence
        if not m.found_in(cleaned_chunks[e.doc_id], e.text)
    ]
    assert missing == []


def test_raw_evidence_differs_from_the_cleaned_text_yet_matches(cleaned_chunks: dict[str, list[str]]) -> None:
    """Guard against a vacuous test above: some gold evidence is not a plain substring of any cleaned chunk."""
    m = EvidenceMatcher()
    needs_normalising = [
        e.text
        for q in load_questions(DEV_SET)
        for e in q.evidence
        if not any(" ".join(e.text.split()) in " ".join(c.split()) for c in cleaned_chunks[e.doc_id])
    ]
    assert len(needs_normalising) >= 5
    by_text = {e.text: e.doc_id for q in load_questions(DEV_SET) for e in q.evidence}
    assert all(m.found_in(cleaned_chunks[by_text[t]], t) for t in needs_normalising)
