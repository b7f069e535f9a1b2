"""Paraphrased Dutch questions on the real corpus: the right document ranks first, the right section in the top three.

With the sentence ranking, a passage of a neighbouring section that holds the
answering sentence may come first ("De grenzen van de matrixorganisatie" for
"Matrixorganisatie"); the answer quotes sentences, so the section must be near
the top, not necessarily first.

The questions avoid the wording of the passages they target, so matching words
alone is not enough. The full dev set is measured by ``opgavewijzer eval``; this
is the small, sharp check that runs with every ``make test``.
"""

from __future__ import annotations

import pytest

CASES = [
    ("Waarom is een matrixorganisatie niet genoeg voor complexe maatschappelijke vraagstukken?", "vpng_gids", "Matrixorganisatie"),
    ("Wat is de valkuil van een bestuurlijk opdrachtgever?", "vpng_gids", "De bestuurlijk opdrachtgever in de driehoek"),
    ("Waarom is het lastig om aan Provinciale Staten te laten zien wat een concernbrede opgave oplevert?", "motie_bijlage", "Interviews"),
    ("Wat moet een lijnmanager leren om professionals in netwerken tot hun recht te laten komen?", "vpng_gids", "Leeropdracht lijnmanager"),
    ("Waarom hoort een wendbare organisatie bij opgavegericht werken?", "bouwstenen_essay", "3. Zorgen voor een wendbare organisatie"),
    pytest.param("Wat leerden de deelnemers over de kloof tussen directie en medewerkers?", "pzh_verslag",
                 "Kloof tussen topmanagement en werkvloer",
                 marks=pytest.mark.xfail(strict=True, reason="known regression of the sentence ranking: the report's "
                                         "introduction ranks first, the section is not in the top three")),
    # A typo and a named source: the typo is corrected, the source becomes a filter.
    ("wat is de pot met goud van de opgaveregiseur volgens de vpng", "vpng_gids", "Leeropdracht"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("question", "doc_id", "section"), CASES, ids=[(c.values if hasattr(c, "values") else c)[1] + ":" + (c.values if hasattr(c, "values") else c)[2][:20] for c in CASES])
def test_paraphrase_ranks_the_right_passage_first(corpus_kb, question: str, doc_id: str, section: str) -> None:
    hits = corpus_kb.search(question, top_k=5)
    assert hits[0].doc_id == doc_id, (hits[0].doc_id, hits[0].section)
    assert any(h.doc_id == doc_id and section in h.section for h in hits[:3]), [(h.doc_id, h.section) for h in hits[:3]]


@pytest.mark.slow
def test_naming_a_source_searches_only_that_source(corpus_kb) -> None:
    hits = corpus_kb.search("Wat zegt de NSOB over de rol van leidinggevenden?", top_k=5)
    assert {h.doc_id for h in hits} == {"nsob_rapport"}
