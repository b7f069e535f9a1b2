"""A request that names a person's function is never refused, and the function is read as the nearest guide role.

The job titles and their nearest guide roles are data (assistant/leeropdracht/functions.tsv); the near reading
compares the typed function with those titles by e5. Phrasings here are not those of the evaluation set.
"""

from __future__ import annotations

import pytest

from assistant.leeropdracht.functions import NAME_NEAREST_FLOOR, NEAR_ROLE_FLOOR, NearestRole, is_function, titles
from assistant.leeropdracht.request import parse_request
from assistant.leeropdracht.role_field import read_role_field

ROLES = ["Bestuurlijk opdrachtgever", "Ambtelijk opdrachtgever", "Sturingsprofessional", "Lijnmanager", "Beleidsadviseur",
         "Vakinhoudelijk medewerker", "Planning en control-medewerker"]
ALL_ROLES = [r.lower() for r in ROLES] + ["volksvertegenwoordiger", "gebiedsmanager"]


@pytest.mark.parametrize(("request_text", "role"), [
    # A function outside the guide after "ik ben": a draft from the closest material, never a refusal.
    ("Ik ben statengriffier bij een provincie en de Staten willen de opgaven beter volgen. Wat kan ik leren?",
     "statengriffier"),
    # A derived noun of a guide role: doing the role.
    ("Sinds maart vervul ik het ambtelijk opdrachtgeverschap voor de opgave Water. Graag een leeropdracht.",
     "ambtelijk opdrachtgever"),
    # A title opening the request gives way to the guide role the same sentence names.
    ("Directeur, neem het ambtelijk opdrachtgeverschap van de opgave Stikstof erbij. Leeropdracht?",
     "ambtelijk opdrachtgever"),
    # English, no lead word before the function.
    ("Our newest participant is a budget controller at a province that is moving to opgaven. Please help.",
     "budget controller"),
    # Someone else's role ("zijn beleidsmedewerkers") is not the participant's.
    ("Voor een cursist: een afdelingshoofd bij de provincie. Twee van zijn beleidsmedewerkers werken voor de opgave "
     "Stikstof, en hij weet niet hoe hij dat moet verdelen. Graag een leeropdracht.", "afdelingshoofd"),
    ("Voor een deelnemer: een gedeputeerde. De opgave raakt ook haar collega-gedeputeerde Natuur. Leeropdracht graag.",
     "gedeputeerde"),
    # A team named after the request for "het hele team".
    ("Kun je iets maken voor het hele team? Het gaat om acht beleidsmedewerkers en vakspecialisten bij de opgave Klimaat.",
     "team van beleidsmedewerkers en vakspecialisten"),
    # No function at all, or only someone the participant deals with: nothing to read.
    ("Ik wil een leeropdracht over samenwerken met de wethouder bij droogte", None),
    ("Maak een leeropdracht over hoe medewerkers samenwerken.", None),
])
def test_a_named_function_is_read_as_the_participants_role(request_text: str, role: str | None) -> None:
    assert parse_request(request_text, ROLES).role == role


def test_a_team_of_two_titles_is_a_group_of_both() -> None:
    ask = read_role_field("team van beleidsmedewerkers en vakspecialisten")
    assert ask == read_role_field("team van beleidsmedewerkers en vakspecialisten")
    assert ask.names == ("beleidsmedewerkers", "vakspecialisten") and ask.group


@pytest.mark.parametrize(("word", "expected"), [
    ("griffier", True), ("raadsgriffier", True), ("griffiers", True), ("MT-lid", True), ("hr-adviseur", True),
    ("plezier", False), ("manier", False), ("ontwerp", False),
])
def test_job_titles_of_the_list_are_functions(word: str, expected: bool) -> None:
    assert is_function(word) is expected


def test_every_title_names_a_known_role_or_none() -> None:
    assert set(titles().values()) <= set(ALL_ROLES) | {"-"}


@pytest.mark.parametrize(("function", "role"), [
    ("financiële adviseur", "planning en control-medewerker"),
    ("senior projectleider", "sturingsprofessional"),
    ("afdelingsmanager Wonen", "lijnmanager"),
    ("policy advisor", "beleidsadviseur"),
])
def test_a_near_variant_is_read_as_its_guide_role(e5, function: str, role: str) -> None:
    near = NearestRole(e5, ALL_ROLES).nearest(function)
    assert near is not None and near.is_role and near.role == role and near.closeness >= NEAR_ROLE_FLOOR


@pytest.mark.parametrize("function", ["raadsgriffier van de gemeente", "communicatiemedewerker", "juridisch medewerker",
                                      "HR business partner"])
def test_a_function_the_guide_does_not_describe_stays_outside(e5, function: str) -> None:
    near = NearestRole(e5, ALL_ROLES).nearest(function)
    assert near is not None and not near.is_role
    assert near.nearest_guide_role in ALL_ROLES and 0.0 < near.guide_closeness < 1.0


def test_the_hint_floor_is_below_the_reading_floor() -> None:
    assert NAME_NEAREST_FLOOR < NEAR_ROLE_FLOOR


def test_a_function_near_a_guide_role_gets_that_roles_leeropdracht_and_an_honest_note(e5) -> None:
    from assistant.leeropdracht.functions import read_outside
    from assistant.leeropdracht.notes import notes_for
    from assistant.leeropdracht.roles import RoleBook
    from kb.roles import RoleProfile, RoleText

    def profile(name: str) -> RoleProfile:
        return RoleProfile(name, "vpng_gids", strength=RoleText(f"De pot met goud van de {name}.", f"gids:{name}", 0, 10,
                                                                 "Bijlage 3", f"Leeropdracht {name}"))

    class Naming:
        def name(self, doc_id: str) -> str:
            return "de VPNG-inspiratiegids"

        def label(self, text: str) -> str:
            return text

    book = RoleBook([profile(r) for r in ALL_ROLES[:7]])
    near, outside = read_outside([book.match("financial advisor"), book.match("griffier")], book, e5)
    assert (near.how, near.profile.name) == ("near", "planning en control-medewerker")
    assert ("De VPNG-inspiratiegids noemt de functie 'financial advisor' niet. Die komt in de termen van de gids het dichtst "
            "bij de planning en control-medewerker; de leeropdracht van die rol is hier gebruikt. Controleer of die rol past."
            ) in notes_for(Naming(), [near], book, False)
    # The griffier stays outside the guide; no guide role is close enough to be named.
    assert (outside.how, outside.profile, outside.nearest.role) == ("outside", None, "-")
    notes = notes_for(Naming(), [outside], book, False)
    assert len(notes) == 1 and "geen leeropdracht voor de rol 'griffier'" in notes[0]


@pytest.mark.parametrize(("request_text", "role"), [
    # The participant's own people ("van mijn …") are not the participant.
    ("Ik ben sinds april unitmanager Jeugd. Twee van mijn jeugdconsulenten werken voor de opgave Kansrijk opgroeien. "
     "Leeropdracht graag.", "unitmanager"),
    # After "ik ben", "I work as": any agent noun is the function, also one no list names.
    ("Ik ben toezichthouder bij de omgevingsdienst van de provincie. Welke leeropdracht past bij mij?", "toezichthouder"),
    ("I work as a landscape architect for a water board. Could you write a learning assignment?", "landscape architect"),
    # …but a participant is no function, and a comparative is no agent noun.
    ("Ik ben deelnemer aan de leergang en ben zeker niet de enige. Leeropdracht?", None),
])
def test_the_participants_own_function_is_read_not_their_people(request_text: str, role: str | None) -> None:
    assert parse_request(request_text, ROLES).role == role
