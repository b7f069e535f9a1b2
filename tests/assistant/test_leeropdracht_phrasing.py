"""The situation read into parts, and template sentences that fit whatever the learner wrote.

Thirty-odd phrasings (short, long, a full sentence, a bare noun phrase, "die"/"dat" clauses, English) go
through the situation reader and every template of the exercise and the reflection, for one person and for
a team. No text may double a word, leave a slot raw, or put a fragment where a noun phrase belongs.
"""

from __future__ import annotations

import pytest

from assistant.leeropdracht import compose
from assistant.leeropdracht.partners import kind_of
from assistant.leeropdracht.phrasing import finite_verb, is_noun_phrase, template_problems
from assistant.leeropdracht.situation import read_situation
from assistant.types import CitedText

PHRASINGS = (
    "de energietransitie in de wijk",
    "energietransitie",
    "Ik ben net begonnen als projectleider van de pilot deelmobiliteit.",
    "Ik ben opgavehouder bij het ministerie van Justitie en Veiligheid en trek de anti-ondermijningsaanpak.",
    "Een projectleider die de opgave trekt.",
    "Projectleider voor de opgave die ik trek.",
    "Ik trek de aanpak nog niet goed, want de werkvloer haakt af.",
    "Er is een kloof tussen werkvloer en topmanagement.",
    "Ik moet leren wisselen tussen werkwijzen.",
    "Ik doe de rol erbij naast mijn werk als afdelingshoofd.",
    "Ik merk dat de aanpak nog niet werkt.",
    "Ik ben bang dat mijn lijnwerk alle aandacht opslokt.",
    "Partners haken af.",
    "Ik ben programmamanager sociaal domein (armoede en schulden) en heb een mooi netwerk, maar partners haken af.",
    "Ik werk aan de opgave klimaatadaptatie die de gemeente met het waterschap oppakt.",
    "De opgave dat iedereen mee kan doen.",
    "Wij zijn een team van vakspecialisten en werken mee aan de opgave vergroening van de binnenstad.",
    "In de aanpak nog niet veel bereikt.",
    "Ik ben projectleider van de herinrichting van ons stationsgebied en merk dat ik vooral op planning stuur.",
    "Als opgavemanager Klimaat moet ik met drie afdelingshoofden onderhandelen over capaciteit.",
    "Bewoners willen andere oplossingen dan wij technisch verantwoord vinden.",
    "Ik ben communicatieadviseur en ondersteun de opgave aardgasvrije wijken.",
    "De opgave trekt.",
    "wonen met zorg",
    "een verkenning naar wonen met zorg waar nog geen opdracht voor is",
    "Ik begin volgende maand als ambtelijk opdrachtgever van de opgave energietransitie.",
    "Provinciale Staten willen snel meetbare resultaten zien, terwijl de transitie lang duurt.",
    "I am a project leader for the energy transition in our district, but the partners keep dropping out.",
    "I just started as an HR adviser and want to help staff who are assigned to missions.",
    "As a policy officer at a ministry I struggle to switch between ways of working.",
    "Het programma dat we samen met de regio trekken loopt vast.",
    "Ik zit in de lijn en de opgave vraagt steeds meer van mijn mensen.",
    "Mijn team wordt steeds vaker gevraagd voor opgaven en ik moet tegelijk mijn productieafspraken halen.",
    "",
)
ROLES = ("projectleider", "opgavehouder", "communicatieadviseur", "wethouder", "teamleider")


@pytest.mark.parametrize("text", PHRASINGS)
@pytest.mark.parametrize("group", (False, True))
def test_every_template_fits_every_phrasing(text: str, group: bool) -> None:
    situation = read_situation(text, {"projectleider", "opgavehouder", "opgavemanager"})
    assert situation.opgave == "" or is_noun_phrase(situation.opgave), situation.opgave
    assert is_noun_phrase(situation.where(group)), situation.where(group)
    voice = compose.Voice(group)
    for role in ROLES:
        kind = kind_of(role)
        practice = compose.Cited("Wissel van werkwijze als de opgave tussentijds verandert.", 2, "de gids")
        texts = [
            compose.exercise(kind, situation, voice, practice, 1, 1, ()).text,
            compose.exercise(kind, situation, voice, None, None, None, ("lijnmanager", "ambtelijk opdrachtgever")).text,
            compose.reflection(kind, role, situation, voice, practice, 1).text,
            compose.reflection(kind, role, situation, voice, None, None).text,
            *compose.own_questions(role, situation, voice),
        ]
        for t in texts:
            assert template_problems(t) == [], (text, t)


def test_a_challenge_in_english_is_never_pasted_into_dutch_sentences() -> None:
    s = read_situation("I am a project leader in our district, but the partners keep dropping out.")
    assert (s.opgave, s.actors, s.point_is_quote) == ("", (), True)
    text = compose.exercise(kind_of("projectleider"), s, compose.Voice(False), None, None, None, ()).text
    assert "dropping" not in text and "voor ogen" not in text
    questions = compose.own_questions("projectleider", s, compose.Voice(False))
    assert not any("dropping" in q for q in questions)
    assert questions[0] == "Hoe breng ik mijn rol als projectleider zo in dat de opgave waaraan ik werk verder komt?"


def test_a_verb_or_an_adverb_is_never_part_of_the_subject() -> None:
    assert read_situation("Een projectleider die de opgave trekt.").opgave == ""
    assert read_situation("In de aanpak nog niet veel bereikt.").opgave == ""
    assert read_situation("Ik begeleid een verkenning met woningcorporaties.").opgave == "de verkenning"
    assert read_situation("Ik werk aan de opgave klimaatadaptatie die de gemeente oppakt.").opgave == "de opgave klimaatadaptatie"
    assert read_situation("Ik moet leren wisselen tussen werkwijzen.").point == "ik moet leren wisselen tussen werkwijzen"
    assert finite_verb("trekt") and finite_verb("ondersteunt") and not finite_verb("stationsgebied")
    assert not finite_verb("energietransitie") and not finite_verb("project")


def test_circumstances_are_said_back_in_the_drafts_own_words() -> None:
    s = read_situation("Ik ben net aangesteld bij een ministerie en doe de rol erbij.")
    assert s.circumstances == ("new", "on_the_side", "ministry")
    text = compose.exercise(kind_of("opgavehouder"), s, compose.Voice(False), None, None, None, ()).text
    assert "Omdat ik net in deze rol begin" in text and "Omdat ik bij een ministerie werk" in text
    # At a ministry one looks back with the director, not with a municipality's ambtelijk opdrachtgever.
    back = compose.reflection(kind_of("opgavehouder"), "opgavehouder", s, compose.Voice(False), None, None).text
    assert "mijn directeur (of de DG die de opgave draagt)" in back and "ambtelijk opdrachtgever" not in back
    elsewhere = read_situation("Ik ben projectleider bij de gemeente.")
    assert "ambtelijk opdrachtgever" in compose.reflection(kind_of("projectleider"), "projectleider", elsewhere,
                                                           compose.Voice(False), None, None).text


def test_a_fear_stays_a_fear_and_someone_new_is_not_asked_what_changed() -> None:
    s = read_situation("Ik begin volgende maand als opdrachtgever en ben bang dat mijn lijnwerk alle aandacht opslokt.")
    assert (s.point, s.point_is_clause) == ("mijn lijnwerk alle aandacht opslokt", "fear")
    voice = compose.Voice(False)
    text = compose.exercise(kind_of("directeur"), s, voice, None, None, None, ()).text
    assert "voor ogen waar ik bang voor ben: dat mijn lijnwerk alle aandacht opslokt." in text
    # The fear names the line: the step makes its cost visible; someone new is not asked what they do differently.
    assert ("Concreet maak ik vooraf zichtbaar wat de opgave van de lijn vraagt (mensen, uren, geld) en bespreek ik in dat "
            "overleg welke keuze daarbij hoort. Achteraf ga ik na of dat is gelukt.") in text
    assert "gewend" not in text
    asked = CitedText("“Hoe zet ik mijn netwerk in?”", (4,))
    with_question = compose.exercise(kind_of("directeur"), s, voice, None, None, None, (), asked)
    assert "In dat overleg werk ik aan de eerste reflectievraag hierboven, uit de gids [4]." in with_question.text
    assert "Hoe zet ik mijn netwerk in" not in with_question.text  # the question is not quoted twice
    assert with_question.cites == (4,)
    assert compose.own_questions("ambtelijk opdrachtgever", s, voice)[0] == "Hoe voorkom ik dat mijn lijnwerk alle aandacht opslokt?"
    back = compose.reflection(kind_of("directeur"), "directeur", s, voice, None, None).text
    assert "Wat deed ik en wat merkte ik" in back and "anders dan voorheen" not in back


def test_the_template_check_finds_doubled_words_raw_slots_and_lower_case_sentences() -> None:
    assert template_problems("In de de opgave kies ik. Dat is {where}. en dan None.") == [
        "dubbel woord: 'de de'", "open plek: '{where}'", "open plek: 'None'", "zin zonder hoofdletter: 'en dan None.'"]
    assert template_problems("Ik citeer: “de de bron” [1]. Klaar.") == []
    # A fragment where a noun phrase belongs (what the templates once produced).
    assert template_problems("In de aanpak nog niet kies ik één overleg. Ik noteer hoe werkvloer reageerden.") == [
        "geen zinsdeel: 'de aanpak nog niet'", "geen zinsdeel: 'werkvloer'"]
    assert template_problems("In de opgave Klimaat kies ik één overleg. Ik noteer welke reacties ik kreeg van drie "
                             "afdelingshoofden en wat het opleverde voor de opgave Klimaat.") == []


def test_someone_in_two_roles_looks_back_as_the_senior_one() -> None:
    assert kind_of("lijnmanager", "ambtelijk opdrachtgever").name == "opdrachtgever"
    assert kind_of("lijnmanager").name == "manager" and kind_of("HR-adviseur").name == "adviseur"


def test_a_situation_about_the_participant_is_read_in_their_own_voice() -> None:
    from assistant.leeropdracht.person import first_person_verb, in_first_person

    text = ("Een afdelingshoofd Mobiliteit. Twee van zijn verkeerskundigen werken voor de opgave Fietsstad, en hij "
            "merkt dat hij steeds tussen de lijn en de opgave heen en weer schiet. Sinds de zomer houdt hij zich vooral "
            "met de planning bezig.")
    assert in_first_person(text) == (
        "Een afdelingshoofd Mobiliteit. Twee van mijn verkeerskundigen werken voor de opgave Fietsstad, en ik "
        "merk dat ik steeds tussen de lijn en de opgave heen en weer schiet. Sinds de zomer houd ik mij vooral "
        "met de planning bezig.")
    s = read_situation(in_first_person(text))
    assert s.point == "ik steeds tussen de lijn en de opgave heen en weer schiet" and s.point_is_clause is True
    # Other people ("ze moeten") stay; a text with an "ik" of its own is left as it is.
    assert in_first_person("De teams klagen dat ze alles dubbel moeten invoeren.") == \
        "De teams klagen dat ze alles dubbel moeten invoeren."
    assert in_first_person("Ik merk dat ze afhaken.") == "Ik merk dat ze afhaken."
    # A team: "ze" with a plural verb is the team itself.
    assert in_first_person("Ze plannen elk hun eigen deel en stemmen te laat af.", group=True) == \
        "Wij plannen elk onze eigen deel en stemmen te laat af."
    assert [first_person_verb(v) for v in ("schiet", "vindt", "zoekt", "moet", "weet", "geeft", "heeft")] == \
        ["schiet", "vind", "zoek", "moet", "weet", "geef", "heb"]


def test_a_place_the_draft_does_not_show_is_not_referred_to() -> None:
    s = read_situation("Aan de regiotafel zit ik namens de provincie. Ik merk dat ik daar vooral de eigen begroting bewaak.")
    assert s.point == "ik vooral de eigen begroting bewaak"
    s = read_situation("Ik merk dat het bestuur hier weinig aandacht voor heeft.")
    assert s.point == "het bestuur er weinig aandacht voor heeft"


def test_no_question_about_partners_the_situation_does_not_name() -> None:
    s = read_situation("Ik ben controller en moet leren loslaten.")
    questions = compose.own_questions("controller", s, compose.Voice(False))
    assert not any("partners" in q for q in questions)
    assert questions[1] == "Hoe ontdek ik wat de opgave waaraan ik werk van mij vraagt dat ik nu nog niet doe?"


def test_a_quote_its_next_sentence_turns_against_is_not_support() -> None:
    from assistant.leeropdracht.fit import turned_by_next

    assert turned_by_next(" Meestal loopt het echter anders: de lijn wint.")
    assert turned_by_next("\nMaar in de praktijk blijft het bij woorden.")
    assert not turned_by_next(" Dat vraagt om een andere houding van de ambtenaar.")
    assert not turned_by_next(" Het is een lange weg. Die is echter de moeite waard.")  # the turn is a sentence later


def test_a_sentence_about_staff_does_not_support_an_elected_official() -> None:
    from assistant.leeropdracht.fit import Fit

    staff = "Een opgave vraagt veel van de medewerkers: zij moeten buiten hun eigen afdeling samenwerken."
    assert Fit("wethouder", ("bestuurlijk opdrachtgever",), (), elected=True).unfit(staff, "") == "another audience"
    assert Fit("teamleider", ("lijnmanager",), (), elected=False).unfit(staff, "") is None
    leader = "Een bestuurder die de opgave draagt, moet ook de lange termijn bewaken."
    assert Fit("wethouder", ("bestuurlijk opdrachtgever",), (), elected=True).unfit(leader, "") is None


def test_the_exercise_takes_a_step_on_the_challenge_it_states() -> None:
    s = read_situation("Ik ben teamleider en de opgave Armoede vraagt steeds meer capaciteit van mijn afdeling.")
    text = compose.exercise(kind_of("teamleider"), s, compose.Voice(False), None, None, None, ()).text
    assert ("Concreet maak ik vooraf zichtbaar wat de opgave van de lijn vraagt (mensen, uren, geld) en bespreek ik in "
            "dat teamoverleg welke keuze daarbij hoort.") in text
    s = read_situation("Wij zijn ontwerpers en merken dat we vasthouden aan de technische kwaliteit van elk detail.")
    text = compose.exercise(kind_of("vakspecialist"), s, compose.Voice(True), None, None, None, ()).text
    assert "Concreet schrijven wij vooraf op welke van onze vakprincipes voor ons vaststaan" in text
    # No tension named: no step.
    s = read_situation("Ik ben beleidsadviseur in de opgave Water.")
    assert "Concreet" not in compose.exercise(kind_of("beleidsadviseur"), s, compose.Voice(False), None, None, None, ()).text


def test_an_english_challenge_still_gets_its_step_in_dutch() -> None:
    s = read_situation("I lead a team at a province, and I keep fighting other managers over capacity for my staff.")
    text = compose.exercise(kind_of("teamleider"), s, compose.Voice(False), None, None, None, ()).text
    assert "Concreet maak ik vooraf zichtbaar wat de opgave van de lijn vraagt" in text
    assert "capacity" not in text


def test_a_challenge_without_a_named_tension_gets_the_step_of_the_roles_own_tension() -> None:
    s = read_situation("Ik ben afdelingshoofd bij een gemeente met veel inwoners. Ik merk dat mijn achterstanden groeien.")
    assert s.point == "mijn achterstanden groeien"
    text = compose.exercise(kind_of("afdelingshoofd"), s, compose.Voice(False), None, None, None, ()).text
    assert "Concreet maak ik vooraf zichtbaar wat de opgave van de lijn vraagt" in text
    assert "wat de mensen om wie het gaat zelf zeggen" not in text  # "inwoners" elsewhere in the situation


def test_the_requesters_own_words_do_not_keep_the_participant_in_the_third_person() -> None:
    from assistant.leeropdracht.person import in_first_person

    text = ("Voor onze leergang zoek ik een leeropdracht voor een deelnemer: een gedeputeerde die net is begonnen. "
            "Zij merkt dat de Staten vooral bij haar aankloppen.")
    assert in_first_person(text).endswith("Ik merk dat de Staten vooral bij mij aankloppen.")
    # "haar" before a noun is "mijn", before the verb that ends the clause "mij".
    assert in_first_person("Een teamleider. Zij ziet dat haar collega's het werk bij haar neerleggen, en dat haar "
                           "jeugdartsen klagen.") == ("Een teamleider. Ik zie dat mijn collega's het werk bij mij "
                                                      "neerleggen, en dat mijn jeugdartsen klagen.")
