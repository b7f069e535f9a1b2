"""Reading leeropdracht requests and situations, choosing reflection partners, and the exports (no index needed).

These are the pure parts of the leeropdracht writer: the one request parser
the command line and the chat share, the reading of a situation, the kinds of
role, the sections both exports and the chat are made from, and the check
that an LLM's quotes stand in the sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.leeropdracht.export import leeropdracht_sections, leeropdracht_to_docx, leeropdracht_to_markdown
from assistant.leeropdracht.partners import kind_of, partner_for
from assistant.leeropdracht.request import find_role, is_no_situation, parse_request
from assistant.leeropdracht.role_field import RoleAsk, field_of, read_role_field
from assistant.leeropdracht.rewrite import quotes_verbatim
from assistant.leeropdracht.situation import read_situation, theme_words
from assistant.types import Citation, CitedText, Leeropdracht, RolePart
from kb.types import Hit
from opgavewijzer.errors import AssistantError

ROLES = ["Bestuurlijk opdrachtgever", "Ambtelijk opdrachtgever", "Sturingsprofessional", "Lijnmanager", "Beleidsadviseur",
         "Vakinhoudelijk medewerker", "Planning en control-medewerker"]


@pytest.mark.parametrize(
    ("request_text", "role", "situation"),
    [
        ("Maak een leeropdracht voor een communicatieadviseur die de opgave aardgasvrije wijken ondersteunt.",
         "communicatieadviseur", "Een communicatieadviseur die de opgave aardgasvrije wijken ondersteunt."),
        ("welke leeropdracht past bij een procesregiseur die een verkenning met woningcorporaties begeleidt?",
         "procesregiseur", "Een procesregiseur die een verkenning met woningcorporaties begeleidt."),
        ("Kun je een leeropdracht opstellen voor mij? Ik begin volgende maand als ambtelijk opdrachtgever van de opgave "
         "energietransitie.", "ambtelijk opdrachtgever",
         "Ik begin volgende maand als ambtelijk opdrachtgever van de opgave energietransitie."),
        ("maak een leeropdracht voor een p&c adviseur die de programmabegroting verantwoordt", "p&c adviseur",
         "Een p&c adviseur die de programmabegroting verantwoordt."),
        ("Maak een leeropdracht voor iemand die afdelingshoofd Ruimte is en tegelijk ambtelijk opdrachtgever van de opgave "
         "binnenstad.", "afdelingshoofd en ambtelijk opdrachtgever",
         "Iemand die afdelingshoofd Ruimte is en tegelijk ambtelijk opdrachtgever van de opgave binnenstad."),
        ("Maak een leeropdracht voor ons team van vijf beleidsadviseurs dat de opgave eenzaamheid oppakt.",
         "team van beleidsadviseur", "Ons team van vijf beleidsadviseurs dat de opgave eenzaamheid oppakt."),
        ("Leeropdracht voor beleidsadviseur en projectleider graag, ik werk aan de pilot deelmobiliteit",
         "beleidsadviseur en projectleider", "Beleidsadviseur en projectleider graag, ik werk aan de pilot deelmobiliteit."),
        ("Ik ben teamleider VTH. Maak een leeropdracht voor mij.", "teamleider", "Ik ben teamleider VTH."),
        ("Maak een leeropdracht voor een lijnmanager.", "lijnmanager", None),
        ("Maak een leeropdracht voor raadsleden", "team van raadsleden", None),
        ("Maak een leeropdracht voor een beleidsadviseeur die net begint", "beleidsadviseeur", "Een beleidsadviseeur die net begint."),
        ("leeropdracht programmaleider energie, conflict met de wethouder over tempo", "programmaleider",
         "Programmaleider energie, conflict met de wethouder over tempo."),
        ("Leeropdracht voor een gemeentesecretaris die de organisatie opgavegericht wil maken", "gemeentesecretaris",
         "Een gemeentesecretaris die de organisatie opgavegericht wil maken."),
        ("Ik wil een leeropdracht over samenwerken met het waterschap bij droogte", None,
         "Ik wil een leeropdracht over samenwerken met het waterschap bij droogte"),
        ("Maak een leeropdracht", None, None),
        # The role may open the request, follow "ik werk als", or be a word for a scientist ("-loog").
        ("Procesregisseur, net begonnen, moet van een verkenning naar een project. Leeropdracht?", "procesregisseur",
         "Procesregisseur, net begonnen, moet van een verkenning naar een project."),
        ("Ik werk als ecoloog bij een waterschap en zit in het gebiedsteam.", "ecoloog",
         "Ik werk als ecoloog bij een waterschap en zit in het gebiedsteam."),
        ("I'm the 'opgavehouder' for a mission at a ministry. Can you write a learning assignment?", "opgavehouder",
         "I'm the 'opgavehouder' for a mission at a ministry."),
        ("Wethouder Jansen vraagt een leeropdracht voor de teamleider Wonen.", "teamleider", None),
    ],
)
def test_free_requests_give_role_field_and_situation(request_text: str, role: str | None, situation: str | None) -> None:
    parsed = parse_request(request_text, ROLES)
    assert (parsed.role, parsed.situation) == (role, situation)


@pytest.mark.parametrize(
    ("field", "situation", "names", "group"),
    [
        ("lijnmanager en ambtelijk opdrachtgever", "", ("lijnmanager", "ambtelijk opdrachtgever"), False),
        ("beleidsadviseur/projectleider", "", ("beleidsadviseur", "projectleider"), False),
        ("planning en control-medewerker", "", ("planning en control-medewerker",), False),
        ("team van beleidsadviseurs", "", ("beleidsadviseurs",), True),
        ("vakspecialisten", "", ("vakspecialisten",), True),
        ("beleidsadviseur", "Wij zijn een team van vijf beleidsadviseurs.", ("beleidsadviseur",), True),
        ("wethouder", "Ik ben wethouder Wonen.", ("wethouder",), False),
    ],
)
def test_role_fields_name_one_role_two_roles_or_a_team(field: str, situation: str, names: tuple[str, ...], group: bool) -> None:
    ask = read_role_field(field, situation)
    assert (ask.names, ask.group) == (names, group)


def test_known_roles_are_found_in_any_inflection_longest_first() -> None:
    assert find_role("voor de ambtelijk opdrachtgevers", ["opdrachtgever", "ambtelijk opdrachtgever"])[0] == "ambtelijk opdrachtgever"
    assert find_role("een bestuurlijke opdrachtgever", ROLES) == ("bestuurlijk opdrachtgever", 4, 30)
    assert find_role("een archivaris", ROLES) is None
    assert is_no_situation("Zonder situatie.") and not is_no_situation("geen idee wat ik moet doen")
    assert (field_of("communicatieadviseur"), field_of("HR-adviseur"), field_of("inkoper")) == ("communicatie", "hr", "")


def test_a_situation_gives_its_opgave_its_people_and_its_sore_point() -> None:
    s = read_situation("Ik ben programmamanager sociaal domein (armoede en schulden) en heb een mooi netwerk, maar partners "
                       "haken af.", {"programmamanager"})
    assert (s.opgave, s.actors, s.point, s.point_is_clause) == ("de opgave armoede en schulden", ("partners",), "partners haken af", False)
    s = read_situation("Ik ben projectleider van de herinrichting van ons stationsgebied en merk dat ik vooral op planning stuur.")
    assert (s.opgave, s.point, s.point_is_clause) == ("de herinrichting van ons stationsgebied", "ik vooral op planning stuur", True)
    s = read_situation("Een communicatieadviseur die de opgave aardgasvrije wijken ondersteunt.")
    assert (s.opgave, s.where(), s.people()) == ("de opgave aardgasvrije wijken", "de opgave aardgasvrije wijken", "")
    s = read_situation("Ik moet met drie afdelingshoofden en de programmamanagers onderhandelen over capaciteit.")
    assert s.actors == ("de drie afdelingshoofden", "de programmamanagers")
    assert s.people() == "de drie afdelingshoofden en de programmamanagers"
    empty = read_situation("")
    assert (empty.opgave, empty.where(group=True), empty.point) == ("", "de opgave waaraan wij werken", "")


def test_everyday_words_reach_the_documents_own_words() -> None:
    assert "eigenaarschap" in theme_words("partners haken af")
    assert "lijn" in theme_words("mijn lijnwerk slokt alle aandacht op")
    assert theme_words("de bomen in het park") == ""


@pytest.mark.parametrize(
    ("names", "kind", "partner_has", "partner_not"),
    [
        (("bestuurlijk opdrachtgever", "wethouder"), "bestuurder", "een collega-wethouder in het college", "leidinggevende"),
        (("bestuurlijk opdrachtgever", "gedeputeerde"), "bestuurder", "collega-gedeputeerde", "leidinggevende"),
        (("ambtelijk opdrachtgever", "opgavemanager"), "opdrachtgever", "de bestuurlijk opdrachtgever", "leidinggevende"),
        (("lijnmanager", "teamleider"), "manager", "een collega-manager", "leidinggevende"),
        (("sturingsprofessional", "projectleider"), "sturing", "mijn ambtelijk opdrachtgever", "leidinggevende"),
        (("vakinhoudelijk medewerker", "verkeerskundige"), "specialist", "een vakcollega", "leidinggevende"),
        (("planning en control-medewerker", "p&c adviseur"), "control", "die mijn rapportages gebruikt", "leidinggevende"),
        (("volksvertegenwoordiger", "raadslid"), "volksvertegenwoordiger", "collega-raadsleden", "leidinggevende"),
        (("communicatieadviseur", "communicatieadviseur"), "adviseur", "de sturingsprofessional", "collega-wethouder"),
    ],
)
def test_reflection_partners_fit_the_kind_of_role(names: tuple[str, str], kind: str, partner_has: str, partner_not: str) -> None:
    found = kind_of(*names)
    partner = partner_for(found, names[1], group=False)
    assert found.name == kind and partner_has in partner and partner_not not in partner
    assert "mijn" not in partner_for(found, names[1], group=True)  # a team reflects together, not with "my" colleague


def _citation(n: int, passage: str, quote: str, section: str) -> Citation:
    start = passage.index(quote)
    return Citation(n, "vpng_gids", "Inspiratiegids", section, None, f"vpng_gids:{n:012d}", quote, passage, start, start + len(quote))


STRENGTH = "De pot met goud van de lijnmanager is zijn unieke positie."
DRAFT = Leeropdracht(
    title="Leeropdracht lijnmanager", role="Lijnmanager", role_in_gids=True, context="Ik ben teamleider VTH.",
    strength=CitedText(STRENGTH, (1,)), pitfall=CitedText("Helaas komen veel lijnmanagers in een strijd.", (1,)),
    questions=(CitedText("Hoe bouw ik aan een cultuur?", (1,)), CitedText("Hoe betrek ik de partners bij wat ik doe?")),
    exercise=CitedText("In mijn opgave kies ik één teamoverleg. Als houvast: “Vier kleine successen.” [2]", (2,)),
    reflection=CitedText("Na vier weken kijk ik terug met een collega-manager.", ()),
    citations=(_citation(1, f"Leeropdracht lijnmanager {STRENGTH}", STRENGTH, "Bijlage 3 > Leeropdracht lijnmanager"),
               _citation(2, "Vier kleine successen.", "Vier kleine successen.", "Inzichten")),
    notes=("Kracht, valkuil en vragen voor de lijnmanager komen uit de gids, Bijlage 3.",),
    parts=(RolePart("lijnmanager", "teamleider", True, "de gids, Bijlage 3, Leeropdracht lijnmanager",
                    strength=CitedText(STRENGTH, (1,)), pitfall=CitedText("Helaas komen veel lijnmanagers in een strijd.", (1,)),
                    motto=CitedText("Richting en ruimte geven", (1,))),),
)


def test_markdown_keeps_every_citation_and_names_appendix_and_section() -> None:
    md = leeropdracht_to_markdown(DRAFT)
    assert md.startswith("# Leeropdracht lijnmanager\n\n## Rol en situatie\n\nRol: Lijnmanager\n\n"
                         "Bron van de rolteksten: de gids, Bijlage 3, Leeropdracht lijnmanager\n")
    assert f"## Mijn kracht (pot met goud)\n\n{STRENGTH} [1]\n" in md
    assert "## Wat de gids verder over de rol zegt\n\nIn één zin: Richting en ruimte geven [1]\n" in md
    assert "1. Hoe bouw ik aan een cultuur? [1]\n2. Hoe betrek ik de partners bij wat ik doe?\n" in md
    # One line per source: the quoted words stand in the text already and are not repeated.
    assert "- [1] Inspiratiegids — Bijlage 3, Leeropdracht lijnmanager\n- [2] Inspiratiegids — Inzichten\n" in md
    assert md.count(STRENGTH) == 1
    assert "Als houvast: “Vier kleine successen.” [2]" in md


def test_word_export_has_the_same_sections_and_markers(tmp_path: Path) -> None:
    from docx import Document

    path = leeropdracht_to_docx(DRAFT, tmp_path / "uit" / "leeropdracht.docx")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    headings = [h for h, _ in leeropdracht_sections(DRAFT)]
    assert paragraphs[0] == "Leeropdracht lijnmanager" and all(h in paragraphs for h in headings)
    assert f"{STRENGTH} [1]" in paragraphs and any(p.startswith("[2] Inspiratiegids — Inzichten") for p in paragraphs)
    with pytest.raises(AssistantError, match="leeropdracht.pdf: een Word-bestand moet op .docx eindigen"):
        leeropdracht_to_docx(DRAFT, tmp_path / "leeropdracht.pdf")


def test_two_roles_get_a_heading_each() -> None:
    second = RolePart("ambtelijk opdrachtgever", "ambtelijk opdrachtgever", True, strength=CitedText("Tweede kracht.", (1,)))
    headings = [h for h, _ in leeropdracht_sections(Leeropdracht(**{**DRAFT.__dict__, "parts": (DRAFT.parts[0], second)}))]
    assert "Mijn kracht (pot met goud) als lijnmanager" in headings
    assert "Mijn kracht (pot met goud) als ambtelijk opdrachtgever" in headings


def test_an_llm_quote_must_stand_in_a_passage() -> None:
    hit = Hit(1, "nsob_rapport", "T", "S", None, "nsob_rapport:1", 0.0, "Opgaven zijn altijd politiek en wees daar ook eerlijk over.")
    assert quotes_verbatim("Zoals de bron zegt: “opgaven zijn altijd politiek” [1].", [hit])
    assert not quotes_verbatim("Zoals de bron zegt: “opgaven zijn nooit politiek” [1].", [hit])
    assert quotes_verbatim("Geen citaat hier [1].", [hit])


def test_sources_no_text_cites_any_more_are_left_out_and_the_rest_renumbered() -> None:
    from assistant.leeropdracht.sources import without_unused

    assert without_unused(DRAFT) == DRAFT  # every source is used: nothing changes
    third = _citation(3, "Derde passage met een zin.", "Derde passage met een zin.", "S")
    rewritten = Leeropdracht(**{**DRAFT.__dict__, "citations": (*DRAFT.citations, third),
                                "exercise": CitedText("Ik doe iets anders [3].", (3,)), "reflection": CitedText("Terugkijken.")})
    pruned = without_unused(rewritten)
    assert [c.n for c in pruned.citations] == [1, 2] and pruned.citations[1].quote == "Derde passage met een zin."
    assert (pruned.exercise.text, pruned.exercise.cites) == ("Ik doe iets anders [2].", (2,))
    assert pruned.strength == DRAFT.strength and pruned.parts[0].motto == DRAFT.parts[0].motto


def test_a_request_for_each_of_us_names_every_role_as_a_team() -> None:
    text = ("Onze sturingsdriehoek loopt vast: de wethouder wil snel resultaat, de ambtelijk opdrachtgever is nauwelijks "
            "beschikbaar en ik als programmamanager sta er alleen voor. Kun je voor ieder van ons drieën een leeropdracht maken?")
    parsed = parse_request(text, ROLES)
    assert parsed.role == "team van wethouder en ambtelijk opdrachtgever en programmamanager"
    assert read_role_field(parsed.role, parsed.situation or "") == RoleAsk(
        ("wethouder", "ambtelijk opdrachtgever", "programmamanager"), True)
    # Without "voor ieder van ons" the request is for the one who asks.
    assert parse_request(text.replace("voor ieder van ons drieën ", ""), ROLES).role != parsed.role
