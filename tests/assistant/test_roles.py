"""Role profiles parsed from the real VPNG gids, and forgiving role matching.

Real components throughout: the gids from the corpus, loaded, cleaned and
chunked by the ingest pipeline (no embedding is needed for this stage).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.leeropdracht.roles import RoleProfile, load_profiles, match_role
from ingest.chunking import ChunkedDocument
from ingest.inputs import InputDocument
from ingest.pipeline import process_document
from ingest.roles import extract_roles
from kb.sources import load_sources
from opgavewijzer.errors import AssistantError
from opgavewijzer.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="module")
def gids() -> ChunkedDocument:
    source = load_sources(CORPUS / "sources.json")["vpng_gids"]
    return process_document(InputDocument(CORPUS / source.file, source), Settings(_env_file=None))


@pytest.fixture(scope="module")
def roles(gids: ChunkedDocument) -> list[dict]:
    return extract_roles(gids)["roles"]


@pytest.fixture(scope="module")
def profiles(gids: ChunkedDocument, roles: list[dict]) -> tuple[RoleProfile, ...]:
    return load_profiles({"vpng_gids": {"roles": roles}}, gids.chunks)


def test_the_seven_sleutelfiguren_of_bijlage_3(roles: list[dict]) -> None:
    assert [r["name"] for r in roles] == [
        "bestuurlijk opdrachtgever", "ambtelijk opdrachtgever", "sturingsprofessional", "lijnmanager",
        "beleidsadviseur", "vakinhoudelijk medewerker", "planning en control-medewerker",
    ]


def test_names_follow_the_documents_own_usage_and_keep_its_variants(roles: list[dict]) -> None:
    by_name = {r["name"]: r for r in roles}
    # The heading says "ambachtelijk" (a typo in the gids); the text says "ambtelijk" everywhere else.
    assert "ambachtelijk opdrachtgever" in by_name["ambtelijk opdrachtgever"]["aliases"]
    assert {"beleidsambtenaar", "beleidsmedewerker"} <= set(by_name["beleidsadviseur"]["aliases"])
    assert {"projectmanager", "programmamanager", "procesregisseur"} <= set(by_name["sturingsprofessional"]["aliases"])
    assert "wethouder" in by_name["bestuurlijk opdrachtgever"]["aliases"]


@pytest.mark.parametrize(
    ("name", "strength", "pitfall", "questions"),
    [
        ("bestuurlijk opdrachtgever", "De pot met goud van de bestuurlijk opdrachtgever is dat hij zijn gewicht kan inzetten",
         "De valkuil van zijn rol is: als hij te veel in de stand terechtkomt van het ‘politiek overleven’", 4),
        ("ambtelijk opdrachtgever", "De pot met goud van de ambtelijk opdrachtgever is dat hij de vertaalslag kan maken",
         "Het lijnwerk vraagt helaas meestal de meeste aandacht", 3),
        ("sturingsprofessional", "De pot met goud van de sturingsprofessional is dat hij heeft geleerd",
         "Ieder van deze drie sturingsprofessionals hebben als valkuil ook last van een bepaalde vak-trots", 3),
        ("lijnmanager", "De pot met goud van de lijnmanager is zijn unieke positie.",
         "Helaas komen veel lijnmanagers soms in een positie terecht", 2),
        ("beleidsadviseur", "De pot met goud van de beleidsambtenaar is zijn kennis en brede kijk",
         "Zijn handicap is dat hij vooral aan een beleidsterrein verbonden is", 2),
        ("vakinhoudelijk medewerker", "is zijn kennis van zaken.",
         "Hij beschikt niet zelden over vak-trots. Door deze basishouding komt een vakinhoudelijk medewerker", 1),
        ("planning en control-medewerker", "De pot met goud van de planning en control-medewerker is natuurlijk de kennis",
         "Het is een reflex van veel gemeenten en provincies: in tijden van crisis wordt control machtiger.", 2),
    ],
)
def test_strength_pitfall_and_questions_per_role(roles: list[dict], name: str, strength: str, pitfall: str, questions: int) -> None:
    role = next(r for r in roles if r["name"] == name)
    assert strength in role["strength"]["text"]
    assert role["pitfall"]["text"].startswith(pitfall)
    assert len(role["questions"]) == questions
    assert all(q["text"].startswith("Hoe ") and q["text"][-1] in "?." for q in role["questions"])


def test_every_item_points_at_its_exact_place(gids: ChunkedDocument, roles: list[dict]) -> None:
    chunks = {c.chunk_id: c for c in gids.chunks}
    for role in roles:
        for item in [role["strength"], role["pitfall"], *role["questions"]]:
            assert gids.text[item["start"]:item["end"]] == item["text"]
            chunk = chunks[item["chunk_id"]]
            assert chunk.text[item["passage_start"]:item["passage_end"]] == item["text"]
            assert item["chunk_id"] in role["chunk_ids"]


def test_lijnmanager_question_with_a_question_mark_inside_stays_whole(roles: list[dict]) -> None:
    lijn = next(r for r in roles if r["name"] == "lijnmanager")
    assert "(wat heb ik waarom, met welk resultaat gedaan?) aflegt?" in lijn["questions"][1]["text"]


def test_documents_without_leeropdrachten_yield_nothing(tmp_path: Path) -> None:
    path = tmp_path / "notitie.md"
    path.write_text("# Notitie\n\nDe opgave staat centraal. Hoe doen we dat? Samen.\n", encoding="utf-8")
    source = load_sources(CORPUS / "sources.json")["nsob_rapport"]
    doc = process_document(InputDocument(path, source), Settings(_env_file=None))
    assert extract_roles(doc) == {}


def test_stale_profiles_that_no_longer_match_their_chunk_are_dropped(gids: ChunkedDocument, roles: list[dict]) -> None:
    broken = [dict(roles[0], strength=dict(roles[0]["strength"], chunk_id="vpng_gids:000000000000"))] + roles[1:]
    profiles = load_profiles({"vpng_gids": {"roles": broken}}, gids.chunks)
    assert [p.name for p in profiles] == [r["name"] for r in roles[1:]]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ambtelijk opdrachtgever", "ambtelijk opdrachtgever"), ("Ambtelijk Opdrachtgever", "ambtelijk opdrachtgever"),
        ("bestuurlijk opdrachtgevr", "bestuurlijk opdrachtgever"), ("wethouder", "bestuurlijk opdrachtgever"),
        ("projectleider", "sturingsprofessional"), ("procesregiseur", "sturingsprofessional"),
        ("programmamanager sociaal domein", "sturingsprofessional"), ("teamleider", "lijnmanager"),
        ("teamleidr", "lijnmanager"), ("beleidsmedewerker", "beleidsadviseur"),
        ("vakspecialist (verkeerskundige)", "vakinhoudelijk medewerker"), ("p&c adviseur", "planning en control-medewerker"),
        ("controller", "planning en control-medewerker"), ("opgavemanager", "ambtelijk opdrachtgever"),
        ("communicatieadviseur", None), ("HR-adviseur", None), ("gebiedsmanager", None), ("adviseur", None),
    ],
)
def test_role_matching_is_forgiving_but_not_loose(profiles: tuple[RoleProfile, ...], typed: str, expected: str | None) -> None:
    found = match_role(typed, profiles)
    assert (found.name if found else None) == expected


def test_ambiguous_role_is_settled_by_the_situation_or_asked_back(profiles: tuple[RoleProfile, ...]) -> None:
    assert match_role("opdrachtgever", profiles, "Ik ben wethouder in een kleine gemeente").name == "bestuurlijk opdrachtgever"
    assert match_role("opdrachtgever", profiles, "Ik ben afdelingshoofd en directielid").name == "ambtelijk opdrachtgever"
    with pytest.raises(AssistantError, match="de rol 'opdrachtgever' is niet eenduidig: bedoelt u 'bestuurlijk opdrachtgever' of 'ambtelijk opdrachtgever'"):
        match_role("opdrachtgever", profiles)


def test_pitfall_keeps_the_sentences_that_work_it_out(roles: list[dict]) -> None:
    control = next(r for r in roles if r["name"] == "planning en control-medewerker")
    assert control["pitfall"]["text"] == (
        "Het is een reflex van veel gemeenten en provincies: in tijden van crisis wordt control machtiger. "
        "De intentie hierachter is begrijpelijk. De consequentie is, dat er juist niet meer grip ontstaat op de "
        "processen die gaande zijn."
    )
    beleid = next(r for r in roles if r["name"] == "beleidsadviseur")
    # The last sentence of its paragraph: nothing after it to add.
    assert beleid["pitfall"]["text"].endswith("altijd een deel ziet van het (specifieke) vraagstuk.")
