"""The sentence ranking finds a passage by its best sentence where the passage vector misses it.

Real ingest, real Chroma (a local folder) and the real e5 model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from ingest.pipeline import run_ingest
from kb.embeddings import E5Embedder
from kb.knowledge_base import KnowledgeBase
from kb.sentence_ranking import SentenceRanking
from kb.sentences import SentenceIndex

# One sentence answers the question; the rest of the passage is about bicycles.
FIETS = """Fietsparkeren bij stations

De regio bouwt tot 2030 twaalfduizend extra fietsplekken bij de drukste stations. De stallingen krijgen \
toezicht en verlichting, zodat reizigers hun fiets met een gerust hart achterlaten. Bij drie stations komen \
ook plekken voor bakfietsen en deelfietsen. Gemeenten kiezen samen met ProRail waar de nieuwe rekken komen. \
Een stalling die vol raakt, krijgt een digitaal bord met de vrije plekken in de buurt. Een derde van de \
investering komt van de provincie. Fietsers kunnen de eerste dag gratis parkeren. Weesfietsen worden na vier \
weken verwijderd, zodat de rekken vrij blijven voor wie ze echt gebruikt.
"""

# About money throughout, so its passage vector is the closer one; it never says who pays what share.
GELD = """Financiering van regionale projecten

Regionale projecten worden betaald uit verschillende potten. Een deel van het geld komt uit een fonds, de \
rest uit de eigen begroting. De kosten worden vooraf geraamd en per jaar verantwoord. Als een project duurder \
uitvalt, beslist het bestuur wie het tekort dekt. Subsidies worden alleen toegekend als de aanvraag op tijd \
binnen is. De accountant controleert of het geld goed is besteed. Over de verdeling van de kosten maken \
partijen afspraken in een convenant.
"""

QUESTION = "Welk aandeel van de investering komt van de provincie?"


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder(threads=2)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, e5: E5Embedder):  # noqa: ANN201
    """Settings of a two-document build (one passage each), ingested once."""
    from opgavewijzer.settings import Settings

    root = tmp_path_factory.mktemp("sentence-ranking")
    folder = root / "docs"
    folder.mkdir()
    (folder / "fiets.txt").write_text(FIETS, encoding="utf-8")
    (folder / "geld.txt").write_text(GELD, encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=root / "data", corpus_dir=folder)
    report = run_ingest(settings, [folder], embedder=e5)
    assert report.ok
    return settings


def doc_order(kb: KnowledgeBase, mode: str) -> list[str]:  # noqa: D103
    return [h.doc_id for h in kb.search(QUESTION, top_k=5, mode=mode)]  # type: ignore[arg-type]


def test_the_answering_sentence_ranks_its_passage_first_where_the_passage_vector_does_not(built, e5) -> None:  # noqa: ANN001
    kb = KnowledgeBase(built, embedder=e5)
    assert [c.doc_id for c in kb.chunks] == ["fiets", "geld"]  # one passage per document
    assert doc_order(kb, "dense") == ["geld", "fiets"]
    assert doc_order(kb, "sentences") == ["fiets", "geld"]
    hybrid = kb.search(QUESTION, top_k=5)
    assert hybrid[0].doc_id == "fiets"
    assert hybrid[0].sources == {"bm25": 1, "dense": 2, "sentences": 1}
    assert hybrid[1].sources == {"bm25": 2, "dense": 1, "sentences": 2}


def test_a_passage_scores_as_its_best_sentence_window(built, e5) -> None:  # noqa: ANN001
    kb = KnowledgeBase(built, embedder=e5)
    ranking = SentenceRanking.build(kb.sentences, kb.chunks, neighbour_weight=0.0)
    assert ranking is not None
    query = e5.embed_queries([QUESTION])[0]
    fiets = kb.sentences.by_doc["fiets"]
    body = [s for s in fiets if s.role == "body"]
    expected = float(np.nanmax(kb.sentences.similarities(query, body)))
    assert ranking.scores(query)[0] == pytest.approx(expected, abs=1e-5)
    best = max(body, key=lambda s: float(kb.sentences.vector(s) @ query))
    assert best.text == "Een derde van de investering komt van de provincie."


def test_headings_do_not_rank_a_passage(built, e5) -> None:  # noqa: ANN001
    kb = KnowledgeBase(built, embedder=e5)
    heading = next(s for s in kb.sentences.by_doc["geld"] if s.role == "heading")
    assert heading.text == "Financiering van regionale projecten"
    ranking = SentenceRanking.build(kb.sentences, kb.chunks, neighbour_weight=0.0)
    assert ranking is not None
    # Asked with the heading's own words, the passage scores by its best body sentence, not the heading.
    query = e5.embed_queries([heading.text])[0]
    body = [s for s in kb.sentences.by_doc["geld"] if s.role == "body"]
    assert ranking.scores(query)[1] == pytest.approx(float(np.nanmax(kb.sentences.similarities(query, body))), abs=1e-5)
    assert ranking.scores(query)[1] < float(kb.sentences.vector(heading) @ query)


def test_a_document_scope_limits_the_sentence_ranking(built, e5) -> None:  # noqa: ANN001
    kb = KnowledgeBase(built, embedder=e5)
    hits = kb.search(QUESTION, top_k=5, doc_ids=["geld"], mode="sentences")
    assert [h.doc_id for h in hits] == ["geld"]


def test_the_setting_switches_the_sentence_ranking_off(built, e5) -> None:  # noqa: ANN001
    kb = KnowledgeBase(built.override(retrieval__sentence_ranking=False), embedder=e5)
    hits = kb.search(QUESTION, top_k=5)
    assert all("sentences" not in h.sources for h in hits)
    assert {h.doc_id for h in hits} == {"fiets", "geld"}


def test_a_build_without_sentence_vectors_has_no_sentence_ranking(built, e5) -> None:  # noqa: ANN001
    kb = KnowledgeBase(built, embedder=e5)
    assert SentenceRanking.build(SentenceIndex.build(kb.chunks), kb.chunks) is None


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


def test_the_one_thread_product_scores_bit_for_bit_as_the_default_one_and_leaves_blas_as_it_was() -> None:
    rng = np.random.default_rng(22)
    # As large as the shipped corpus's matrix, so that OpenBLAS would use its threads for it.
    matrix = rng.standard_normal((2400, 384)).astype(np.float32)
    members = rng.permutation(2400).reshape(300, 8)
    ranking = SentenceRanking(matrix, members)
    before = _blas_threads()
    for _ in range(5):
        query = rng.standard_normal(384).astype(np.float32)
        assert np.array_equal(ranking.scores(query), (matrix @ query)[members].max(axis=1))
    assert _blas_threads() == before
