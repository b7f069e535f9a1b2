"""Role profiles parsed from the real VPNG gids, their typed records, and forgiving role matching.

Real components throughout: the gids from the corpus, loaded, cleaned and
chunked by the ingest pipeline (no embedding is needed for this stage).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.answer.plan import analyse
from assistant.answer.role_facts import role_facts
from assistant.leeropdracht.roles import RoleBook, load_profiles
from ingest.chunking import ChunkedDocument
from ingest.inputs import InputDocument
from ingest.pipeline import process_document
from ingest.roles import extract_roles
from kb.roles import ROLES_KEY, ROLES_VERSION, RoleProfile, profiles_from_extras
from kb.sources import load_sources
from opgavewijzer.errors import AssistantError
from opgavewijzer.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"
SEVEN = ["bestuurlijk opdrachtgever", "ambtelijk opdrachtgever", "sturingsprofessional", "lijnmanager",
         "beleidsadviseur", "vakinhoudelijk medewerker", "planning en control-medewerker"]


@pytest.fixture(scope="module")
def gids() -> ChunkedDocument:
    source = load_sources(CORPUS / "sources.json")["vpng_gids"]
    return process_document(InputDocument(CORPUS / source.file, source), Settings(_env_file=None))


@pytest.fixture(scope="module")
def profiles(gids: ChunkedDocument) -> tuple[RoleProfile, ...]:
    return profiles_from_extras({"vpng_gids": extract_roles(gids)})


@pytest.fixture(scope="module")
def by_name(profiles: tuple[RoleProfile, ...]) -> dict[str, RoleProfile]:
    return {p.name: p for p in profiles}


@pytest.fixture(scope="module")
def book(gids: ChunkedDocument) -> RoleBook:
    return RoleBook(load_profiles({"vpng_gids": extract_roles(gids)}, gids.chunks))


def test_the_seven_sleutelfiguren_of_bijlage_3_come_first(profiles: tuple[RoleProfile, ...]) -> None:
    assert [p.name for p in profiles if p.has_leeropdracht] == SEVEN
    assert [p.name for p in profiles][:7] == SEVEN


def test_names_follow_the_documents_own_usage_and_keep_its_variants(by_name: dict[str, RoleProfile]) -> None:
    # The heading says "ambachtelijk" (a typo in the gids); the text says "ambtelijk" everywhere else.
    assert "ambachtelijk opdrachtgever" in by_name["ambtelijk opdrachtgever"].aliases
    assert {"beleidsambtenaar", "beleidsmedewerker"} <= set(by_name["beleidsadviseur"].aliases)
    assert {"projectmanager", "programmamanager", "procesregisseur"} <= set(by_name["sturingsprofessional"].aliases)
    assert "wethouder" in by_name["bestuurlijk opdrachtgever"].aliases
    # "vakinhoudeli jk" in the "pot met goud" sentence is extraction damage, not a second name.
    assert by_name["vakinhoudelijk medewerker"].aliases == ()


@pytest.mark.parametrize(
    ("name", "strength_end", "pitfall_start", "pitfall_end", "questions", "motto"),
    [
        ("bestuurlijk opdrachtgever", "is een belangrijk instrument op opgaven verder te brengen.", "De valkuil van zijn rol is:",
         "korte termijn belangen voorop te stellen.", 4, "Uitnodigend samenwerken, loslaten in vertrouwen en voorzien in incentives"),
        ("ambtelijk opdrachtgever", "onder het werk van de sturingsprofessional als hij werkt aan een opgave.",
         "Het lijnwerk vraagt helaas", "of erger: geef maar aan als je mij nodig hebt.", 3, "Richting en ruimte geven aan de sturingsproffesionals"),
        ("sturingsprofessional", "mensen mee te nemen en te binden in zijn aanpak.", "Ieder van deze drie sturingsprofessionals",
         "de procesregisseur vindt dat hij het goed doet als alles lekker stroomt.", 3, "Verantwoording nemen, resultaten boeken"),
        ("lijnmanager", "zonder de dilemma’s die daarbij ontstaan te negeren.", "Helaas komen veel lijnmanagers",
         "Deze dynamiek maakt dat opgavegericht werken erg veel energie kost.", 2, "Richting en ruimte geven aan de medewerker"),
        ("beleidsadviseur", "om te voorkomen dat doodlopende paden ingeslagen worden.", "Zijn handicap is",
         "altijd een deel ziet van het (specifieke) vraagstuk.", 2, "Brede beleidskennis inbrengen in netwerk"),
        ("vakinhoudelijk medewerker", "legt een stevige basis onderweg naar realistische oplossingen.", "Hij beschikt niet zelden over vak-trots.",
         "die binnen zijn vak van grote waarde worden geacht.", 1, "Kennis inzetten voor een passende oplossing"),
        ("planning en control-medewerker", "de drive om overzicht en transparantie na te streven.", "Het is een reflex",
         "Kortom: aan het systeem.", 2, "Jongleren tussen planning en control en het realiseren van de opgave"),
    ],
)
def test_whole_paragraphs_per_role(by_name: dict[str, RoleProfile], name: str, strength_end: str, pitfall_start: str,
                                   pitfall_end: str, questions: int, motto: str) -> None:
    p = by_name[name]
    strength = " ".join(p.strength.text.split())
    assert strength.startswith("De pot met goud van de ") and strength.endswith(strength_end)
    pitfall = " ".join(p.pitfall.text.split())
    assert pitfall.startswith(pitfall_start) and pitfall.endswith(pitfall_end)
    assert len(p.questions) == questions
    assert all(q.text.startswith("Hoe ") and q.text[-1] in "?." for q in p.questions)
    assert p.motto is not None and p.motto.text.startswith(motto)


def test_the_rest_of_a_section_is_kept_whole_and_never_the_pitfall(by_name: dict[str, RoleProfile]) -> None:
    ambtelijk = [" ".join(t.text.split()) for t in by_name["ambtelijk opdrachtgever"].context]
    assert ambtelijk == ["Ambtelijk opdrachtgever is een rol die verschillend is gepositioneerd binnen gemeenten. Vaak zijn het "
                         "echter directieleden of lijnmanagers die deze rol erbij doen. Op zich is dat niet erg zolang de petten "
                         "goed gescheiden blijven, rolzuiverheid is immers essentieel."]
    control = [" ".join(t.text.split()) for t in by_name["planning en control-medewerker"].context]
    # The heading glued to "op de opgave." and the paragraph the extraction cut off mid-sentence are left out.
    assert control[0].startswith("De planning en control-medewerker opereert binnen de kaders")
    assert control[1] == ("Opgavesturing vraagt van planning en control medewerkers meer creativiteit binnen de mogelijkheden "
                          "van hun systemen, regels en de procedures.")


def test_every_piece_points_at_its_exact_place(gids: ChunkedDocument, profiles: tuple[RoleProfile, ...]) -> None:
    chunks = {c.chunk_id: c for c in gids.chunks}
    for p in profiles:
        for item in p.texts():
            assert chunks[item.chunk_id].text[item.start:item.end] == item.text
        if p.has_leeropdracht:
            labels = {(t.part, t.section) for t in (p.strength, p.pitfall, *p.questions, p.motto)}
            assert len(labels) == 1 and labels.pop()[0] == "Bijlage 3"
            assert p.strength.section.startswith("Leeropdracht ")
    assert {p.strength.section for p in profiles if p.name in ("ambtelijk opdrachtgever", "planning en control-medewerker")} == {
        "Leeropdracht ambachtelijk opdrachtgever", "Leeropdracht planning en control-medewerker"}


def test_the_main_text_describes_roles_and_roles_the_appendix_folds_together(by_name: dict[str, RoleProfile]) -> None:
    assert by_name["ambtelijk opdrachtgever"].members == ("opgavemanager",)
    assert by_name["sturingsprofessional"].members == ("projectmanager", "programmamanager", "procesregisseur")
    assert by_name["opgavemanager"].part_of == "ambtelijk opdrachtgever"
    assert by_name["procesregisseur"].description[0].text == (
        "Regisseert eenmalige bestuursprocessen in het kader van de uitwerking van een uit te werken idee of initiatief.")
    assert by_name["opgavemanager"].description[0].text.startswith("De opgavemanager is diegene die het verder brengen")
    gebied, volk = by_name["gebiedsmanager"], by_name["volksvertegenwoordiger"]
    assert not gebied.has_leeropdracht and gebied.part_of == ""
    assert gebied.description[0].text.startswith("Een gebiedsmanager is degene die in die permanente functie het netwerk onderhoudt")
    assert volk.description[0].text.startswith("Kaderstellende rol:") and "Controlerende rol:" in volk.description[0].text
    # Descriptions stand outside the role appendix: in the main text ("") or in another appendix, which they name.
    bestuurlijk = by_name["bestuurlijk opdrachtgever"].description
    assert {t.part for p in by_name.values() for t in p.description} == {"", "Bijlage 1", "Bijlage 2"}
    assert any(t.section == "College van B en W" and t.part == "Bijlage 1" for t in bestuurlijk)
    # Headings that are about a role are not taken for roles themselves.
    assert "waarom een opgavemanager" not in by_name and "opgavemanager als regisseur" not in by_name


def test_only_a_document_that_sources_json_marks_is_read(tmp_path: Path, gids: ChunkedDocument) -> None:
    unmarked = dataclasses.replace(gids, source=dataclasses.replace(gids.source, role_appendix=""))
    assert extract_roles(unmarked) == {}
    path = tmp_path / "notitie.md"
    path.write_text("# Notitie\n\nDe opgave staat centraal. Hoe doen we dat? Samen.\n", encoding="utf-8")
    source = dataclasses.replace(load_sources(CORPUS / "sources.json")["nsob_rapport"], role_appendix="Bijlage 3")
    assert extract_roles(process_document(InputDocument(path, source), Settings(_env_file=None))) == {}


def test_records_round_trip_and_other_versions_are_not_read(gids: ChunkedDocument) -> None:
    raw = extract_roles(gids)[ROLES_KEY]
    assert all(r["version"] == ROLES_VERSION for r in raw)
    assert [RoleProfile.from_json(r).to_json() for r in raw] == raw
    old = [dict(r, version=ROLES_VERSION - 1) for r in raw]
    assert profiles_from_extras({"vpng_gids": {ROLES_KEY: old}}) == ()


def test_stale_pieces_are_dropped_and_a_role_without_its_strength_too(gids: ChunkedDocument) -> None:
    raw = extract_roles(gids)[ROLES_KEY]
    broken = [dict(raw[0], strength=dict(raw[0]["strength"], chunk_id="vpng_gids:000000000000")),
              dict(raw[1], pitfall=dict(raw[1]["pitfall"], start=raw[1]["pitfall"]["start"] + 1))] + raw[2:]
    loaded = {p.name: p for p in load_profiles({"vpng_gids": {ROLES_KEY: broken}}, gids.chunks)}
    assert "bestuurlijk opdrachtgever" not in loaded
    assert loaded["ambtelijk opdrachtgever"].pitfall is None and loaded["ambtelijk opdrachtgever"].strength is not None


@pytest.mark.parametrize(
    ("typed", "how", "profile", "described"),
    [
        ("ambtelijk opdrachtgever", "name", "ambtelijk opdrachtgever", None),
        ("Ambtelijk Opdrachtgever", "name", "ambtelijk opdrachtgever", None),
        ("bestuurlijk opdrachtgevr", "title", "bestuurlijk opdrachtgever", None),
        ("wethouder", "alias", "bestuurlijk opdrachtgever", None),
        ("gedeputeerde", "title", "bestuurlijk opdrachtgever", None),
        ("projectleider", "title", "sturingsprofessional", None),
        ("procesregiseur", "member", "sturingsprofessional", "procesregisseur"),
        ("programmamanager sociaal domein", "member", "sturingsprofessional", "programmamanager"),
        ("opgavemanager", "member", "ambtelijk opdrachtgever", "opgavemanager"),
        ("teamleider", "title", "lijnmanager", None), ("teamleidr", "title", "lijnmanager", None),
        ("beleidsmedewerker", "alias", "beleidsadviseur", None), ("beleidsadviseurs", "name", "beleidsadviseur", None),
        ("vakspecialist (verkeerskundige)", "title", "vakinhoudelijk medewerker", None),
        ("verkeerskundige", "title", "vakinhoudelijk medewerker", None),
        ("p&c adviseur", "title", "planning en control-medewerker", None),
        ("controller", "title", "planning en control-medewerker", None),
        ("gebiedsmanager", "main_text", None, "gebiedsmanager"),
        ("raadslid", "main_text", None, "volksvertegenwoordiger"), ("raadsleden", "main_text", None, "volksvertegenwoordiger"),
        ("beleidsadviseeur", "title", "beleidsadviseur", None),
        ("communicatieadviseur", "outside", None, None), ("HR-adviseur", "outside", None, None),
        ("adviseur", "outside", None, None), ("opgavehouder", "outside", None, None),
    ],
)
def test_role_matching_is_forgiving_but_not_loose(book: RoleBook, typed: str, how: str, profile: str | None,
                                                   described: str | None) -> None:
    found = book.match(typed)
    assert (found.how, found.profile.name if found.profile else None, found.described.name if found.described else None) == (
        how, profile, described)


def test_ambiguous_role_is_settled_by_the_situation_or_asked_back(book: RoleBook) -> None:
    assert book.match("opdrachtgever", "Ik ben wethouder in een kleine gemeente").profile.name == "bestuurlijk opdrachtgever"
    assert book.match("opdrachtgever", "Ik ben afdelingshoofd en directielid").profile.name == "ambtelijk opdrachtgever"
    with pytest.raises(AssistantError, match="de rol 'opdrachtgever' is niet eenduidig: bedoelt u 'bestuurlijk opdrachtgever' "
                                             "of 'ambtelijk opdrachtgever'"):
        book.match("opdrachtgever")
    assert book.names() == [n[:1].upper() + n[1:] for n in SEVEN]


# --- role questions in the chat: which profile pieces a question asks for --------------------------------

def _facts(question: str, profiles: tuple[RoleProfile, ...]):  # noqa: ANN202
    return role_facts(analyse(question, (), question), profiles)


def test_a_question_naming_a_role_by_job_title_gets_the_asked_part_of_its_profile(by_name: dict[str, RoleProfile],
                                                                                    profiles: tuple[RoleProfile, ...]) -> None:
    facts = _facts("Ik ben wethouder van een grote opgave. Waar moet ik voor oppassen?", profiles)
    assert facts is not None and facts.asked and not facts.questions
    assert facts.roles == ("bestuurlijk opdrachtgever",)
    assert facts.texts == (by_name["bestuurlijk opdrachtgever"].pitfall,)


def test_learning_questions_are_asked_for_by_the_roles_distinctive_words(by_name: dict[str, RoleProfile],
                                                                         profiles: tuple[RoleProfile, ...]) -> None:
    facts = _facts("Welke leervragen geeft de gids mee aan iemand van planning & control?", profiles)
    assert facts is not None and facts.questions
    assert facts.texts == by_name["planning en control-medewerker"].questions


def test_the_strength_of_a_role_named_in_english(by_name: dict[str, RoleProfile], profiles: tuple[RoleProfile, ...]) -> None:
    facts = _facts("What is the strength of the line manager?", profiles)
    assert facts is not None and facts.texts == (by_name["lijnmanager"].strength,)


@pytest.mark.parametrize("question", ["Wat is een opgave?", "Wat zegt de NSOB over financiële systemen?",
                                      "Vergelijk de gids en het rapport: wat is de kracht van de lijnmanager?"])
def test_no_role_named_no_profile(question: str, profiles: tuple[RoleProfile, ...]) -> None:
    assert _facts(question, profiles) is None
