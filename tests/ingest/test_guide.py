"""The guide stage: a source guide per document, made at ingest from its own text and stored with the build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.guide_features import BIO, METHOD
from ingest.pipeline import run_ingest
from kb.guides import guides_from_extras
from kb.knowledge_base import KnowledgeBase

WITH_SUMMARY = """# Evaluatie van de wijkaanpak in Rivierstad

## Samenvatting

De wijkaanpak heeft de samenwerking tussen gemeente en corporaties zichtbaar versterkt.
Bewoners voelen zich vaker gehoord dan aan het begin van de aanpak in 2021.
De gemeente stuurt nog te weinig op de maatschappelijke effecten van de aanpak.
Wij bevelen aan om per wijk drie effectindicatoren vast te leggen en daarover jaarlijks te rapporteren.

## 1. Aanleiding

Rivierstad koos in 2021 voor een wijkaanpak in drie oude wijken aan de rivier.
De aanpak moest de leefbaarheid verbeteren en de schuldenproblematiek terugdringen.
Voor dit onderzoek zijn twintig betrokkenen geïnterviewd en is een vragenlijst uitgezet onder bewoners.

## 2. Bevindingen

Corporaties en gemeente delen sinds 2022 één wijkteam per wijk.
Het wijkteam werkt vanuit een gezamenlijk wijkplan met eigen budget.
De raad ontvangt wel voortgangsrapportages, maar geen informatie over effecten.

## Over de auteur

Karin de Vries is sinds 2015 werkzaam bij de rekenkamer als senior onderzoeker en studeerde bestuurskunde.
"""

WITHOUT_SUMMARY = """# Lessen uit de energiecoöperaties van Heidekamp

## Begin

Energiecoöperaties in Heidekamp zijn ontstaan uit kleine groepen bewoners met zonnepanelen op schooldaken.
De gemeente zag de coöperaties eerst als subsidieaanvrager en pas later als partner in de warmtetransitie.

## Samenwerking

Bewoners en ambtenaren maakten samen een warmteplan voor elke buurt van Heidekamp.
Zonder vaste contactpersoon bij de gemeente liepen de coöperaties telkens opnieuw vast.
Elke coöperatie kreeg daarom een eigen accountmanager voor de warmtetransitie.

## Geld

De coöperaties financieren hun projecten met ledenkapitaal en een lening van het energiefonds.
Het energiefonds van Heidekamp leent alleen aan coöperaties met minstens vijftig leden.

## Toekomst

De coöperaties willen in 2030 de helft van alle huizen in Heidekamp van duurzame warmte voorzien.
Daarvoor is een warmtenet nodig dat de gemeente niet alleen kan aanleggen.
"""


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory, e5):
    """Two small documents ingested into a fresh index; their guides as the build stores them."""
    from opgavewijzer.settings import Settings

    folder = tmp_path_factory.mktemp("guide-docs")
    (folder / "evaluatie-wijkaanpak.md").write_text(WITH_SUMMARY, encoding="utf-8")
    (folder / "lessen-energiecooperaties.md").write_text(WITHOUT_SUMMARY, encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=folder / "data", corpus_dir=folder)
    report = run_ingest(settings, [folder / "evaluatie-wijkaanpak.md", folder / "lessen-energiecooperaties.md"], embedder=e5)
    assert report.ok, report.failed
    kb = KnowledgeBase(settings, embedder=e5)
    return kb, guides_from_extras(kb.info.extras)


def test_a_document_with_its_own_summary_is_summed_up_from_it_and_never_by_its_author_bio(guides) -> None:
    _, found = guides
    guide = found["evaluatie_wijkaanpak"]
    assert guide.summary_heading == "Samenvatting"  # read below the title heading that heads every section
    assert len(guide.points) >= 3 and {p.source for p in guide.points} == {"summary"}
    assert all(p.section.endswith(" > Samenvatting") for p in guide.points)
    assert not any("Karin de Vries" in p.text or "geïnterviewd" in p.text for p in guide.points)
    assert [c for c in guide.chapters if not c.startswith("Samenvatting")] == ["1. Aanleiding", "2. Bevindingen"]


def test_a_document_without_a_summary_gets_one_point_from_each_of_its_main_chapters(guides) -> None:
    kb, found = guides
    guide = found["lessen_energiecooperaties"]
    assert guide.summary_heading == "" and len(guide.points) == 4
    assert [p.section.split(" > ")[-1] for p in guide.points] == ["Begin", "Samenwerking", "Geld", "Toekomst"]
    # "Daarvoor is een warmtenet nodig …" leans on the sentence before it: never a key point.
    assert not any(p.text.startswith("Daarvoor") for p in guide.points)
    for point in guide.points:  # each point is the document's own sentence, exactly where the guide says
        chunk = kb.chunk(point.chunk_id)
        assert chunk is not None and " ".join(chunk.text[point.start - chunk.start:point.end - chunk.start].split()) == point.text


def test_key_terms_set_a_document_apart_from_the_others(guides) -> None:
    _, found = guides
    terms = {doc: {t.lower() for t in g.terms} for doc, g in found.items()}
    assert "coöperaties" in terms["lessen_energiecooperaties"] and "heidekamp" in terms["lessen_energiecooperaties"]
    assert not terms["lessen_energiecooperaties"] & terms["evaluatie_wijkaanpak"]


def test_candidate_questions_name_the_document_and_ask_what_it_is_about(guides) -> None:
    _, found = guides
    questions = found["lessen_energiecooperaties"].questions
    assert questions[0].startswith("Waar gaat ") and questions[0].endswith(" over?")
    assert 3 <= len(questions) <= 10 and len(set(questions)) == len(questions)


def test_every_shipped_document_has_a_guide_of_three_to_six_points_from_three_chapters_or_its_summary(corpus_kb) -> None:
    found = guides_from_extras(corpus_kb.info.extras)
    assert set(found) == set(corpus_kb.info.documents)
    for doc_id, guide in found.items():
        assert 3 <= len(guide.points) <= 6, doc_id
        chapters = {p.section.split(" > ")[0] for p in guide.points}
        assert len(chapters) >= 3 or any(p.source == "summary" for p in guide.points), doc_id
        assert not any(BIO.search(p.text) or METHOD.search(p.text) for p in guide.points), doc_id
        assert guide.chapters and guide.terms and guide.title == corpus_kb.info.documents[doc_id].title
        assert not any(re.search(r"https?://|@\w", p.text) for p in guide.points), doc_id


def test_the_guides_are_rewritten_with_every_build(tmp_path: Path, e5) -> None:
    """A corrected title reaches the guide; a removed document takes its guide along."""
    from ingest.document_edits import set_document
    from ingest.removal import remove_documents
    from opgavewijzer.settings import Settings

    (tmp_path / "a.md").write_text(WITH_SUMMARY, encoding="utf-8")
    (tmp_path / "b.md").write_text(WITHOUT_SUMMARY, encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=tmp_path)
    run_ingest(settings, [tmp_path / "a.md", tmp_path / "b.md"], embedder=e5)
    set_document(settings, "doc_b", {"title": "Coöperaties in Heidekamp"})
    remove_documents(settings, ["doc_a"])
    kb = KnowledgeBase(settings, embedder=e5)
    guides = guides_from_extras(kb.info.extras)
    assert set(guides) == {"doc_b"} and guides["doc_b"].title == "Coöperaties in Heidekamp"


def test_a_build_without_guides_gets_them_without_embedding_anything(tmp_path: Path, e5) -> None:
    """An index built before guides existed (or with guides of another version) is given them by the next ingest."""
    from dataclasses import replace

    from kb.store import ChromaStore
    from opgavewijzer.settings import Settings

    (tmp_path / "b.md").write_text(WITHOUT_SUMMARY, encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=tmp_path)
    run_ingest(settings, [tmp_path / "b.md"], embedder=e5)
    store = ChromaStore(settings)
    store.activate(replace(store.active_info(), extras={}))  # as an older version left it
    report = run_ingest(settings, [tmp_path / "b.md"], embedder=e5)
    assert report.guides_renewed and report.changed and report.embedded == 0
    assert set(guides_from_extras(store.active_info().extras)) == {"doc_b"}
    assert not run_ingest(settings, [tmp_path / "b.md"], embedder=e5).changed  # and then it is up to date


@pytest.mark.parametrize("heading, furniture", [
    ("Colofon en over de auteurs", True),
    ("7. Aanbevelingen > Colofon", True),
    ("Dankwoord en verantwoording", True),
    ("Wie zijn de auteurs? > Over de auteurs", True),
    ("7. Aanbevelingen aan de DG-leiding", False),
    ("Over de grenzen van de organisatie heen werken", False),
])
def test_a_colophon_or_bio_section_is_furniture_wherever_it_hangs_in_the_headings(heading: str, furniture: bool) -> None:
    # A colophon an ingest hangs under the last numbered chapter must not give that chapter's conclusions.
    from ingest.guide_features import in_furniture
    from kb.types import Sentence

    sentence = Sentence("doc", "c", 0, 0, 10, "Marloes Verhagen is sinds 2022 programmadirecteur.", "body", heading, None,
                        True, heading)
    assert in_furniture(sentence) is furniture
