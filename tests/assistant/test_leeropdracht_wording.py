"""The draft's own words: source slips marked "[sic]" inside quotes, misspelt role names put right in headings,
and the kinds of sentence that never support a leeropdracht."""

from __future__ import annotations

import pytest

from assistant.leeropdracht.fit import unfit
from assistant.leeropdracht.wording import Spelling, canonical, misspelt_variants, quoted, unquoted, without_sic

SOURCES = ["De sturingsprofessionals werken met de sturingsprofessionals van andere gemeenten; sturingsprofessionals "
           "leren samen.", "Richting en ruimte geven aan de sturingsproffesionals met veiligheid.",
           "De wethouder heef een belangrijke rol. De wethouder heeft gewicht en heeft een netwerk; hij heeft tijd.",
           "Opdrachtnemerschap en opgavegericht werken; professionaliseert en professionaliseren."]


def test_a_slip_of_the_sources_is_marked_sic_and_a_rare_real_word_is_not() -> None:
    spelling = Spelling(SOURCES)
    assert spelling.correct("sturingsproffesionals") == "sturingsprofessionals"
    assert spelling.correct("heef") == "heeft"
    assert spelling.correct("professionaliseert") is None  # another form of a word the sources use
    assert spelling.correct("vergroening") is None and spelling.correct("drive") is None
    assert quoted("geven aan de sturingsproffesionals met", spelling) == "“geven aan de sturingsproffesionals [sic] met”"
    assert without_sic(spelling.mark("De wethouder heef een rol.")) == "De wethouder heef een rol."


def test_headings_use_the_profiles_name_where_the_guide_misspells_it() -> None:
    variants = ("ambachtelijk opdrachtgever", "directielid")
    assert misspelt_variants("ambtelijk opdrachtgever", variants) == ["ambachtelijk opdrachtgever"]
    assert canonical("Bijlage 3 > Leeropdracht ambachtelijk opdrachtgever", "ambtelijk opdrachtgever", variants) == \
        "Bijlage 3 > Leeropdracht ambtelijk opdrachtgever"
    # Another name of the role is no misspelling.
    assert misspelt_variants("bestuurlijk opdrachtgever", ("wethouder",)) == []
    assert misspelt_variants("beleidsadviseur", ("beleidsambtenaar", "beleidsmedewerker")) == []


def test_what_stands_outside_quotation_marks_is_the_drafts_own() -> None:
    assert " ".join(unquoted("Als houvast: “De bron zegt dit.” [2] En 'procesregiseur' is gelezen.").split()) == \
        "Als houvast: [2] En is gelezen."


@pytest.mark.parametrize(("text", "section", "situation", "reason"), [
    ("In deze inspiratiegids bedoelen we hiermee een projectmanager of programmamanager.", "", "", "definition"),
    ("In de volgende pagina’s werken we deze uit.", "", "", "about the document"),
    ("Wissel van werkwijze als de opgave tussentijds verandert.", "Inhoudsopgave", "", "no chapter"),
    ("Feitelijk heeft de ambtelijk opdrachtgever hier de rol van opgavemanager.", "", "", "another case"),
    ("Bij kleine gemeenten is het logisch om de MT-leden de rol te geven.", "", "", "another case"),
    ("Bij kleine gemeenten is het logisch om de MT-leden de rol te geven.", "", "Ik werk bij een kleine gemeente.", None),
    ("Met andere woorden, als je gekozen hebt voor een aanpak, wissel dan.", "", "", "not whole on its own"),
    ("De bestuurlijk opdrachtgever heeft echter het laatste woord.", "", "", "not whole on its own"),
    ("Een opgavemanager heeft in essentie drie rollen te vervullen.", "", "", "not whole on its own"),
    ("Daar werken de Belastingdienst, het CJIB, UWV en Divosa samen.", "", "", "a list of names"),
    ("De sturing vindt plaats aan de hand van de zogenaamde sturingsdriehoek.", "", "", "definition"),
    ("Om inzicht te krijgen is er teruggekeken in de provinciale besluitvorming en archieven.", "", "", "about the document"),
    ("We hebben in de gesprekken veel voorbeelden gehoord en soms ook direct gezien.", "", "", "about the document"),
    ("Daaraan wordt toegevoegd dat de uitvoering gebaat is bij een goed samenspel.", "", "", "not whole on its own"),
    ("Opgavehouders herkennen dergelijke voorbeelden uit hun eigen praktijk.", "", "", "not whole on its own"),
    ("Het doel van deze methoden is de leefwereld van de klant naar binnen te halen.", "", "", "not whole on its own"),
    ("In de geraadpleegde stukken zijn er geen definities terug te vinden.", "", "", "about the document"),
    ("Wissel van werkwijze als de opgave tussentijds verandert.", "Werkwijze kiezen", "", None),
    ("Opgavehouders kunnen de anderen niet dwingen om eigenaarschap te ontwikkelen.", "4.3", "", None),
])
def test_sentences_that_never_support_are_recognised(text: str, section: str, situation: str, reason: str | None) -> None:
    assert unfit(text, section, situation) == reason


def test_a_sentence_about_a_ministry_fits_only_someone_at_one() -> None:
    text = "De buitenwereld wil vooral weten wat de politieke positie van het ministerie is."
    assert unfit(text, "", "Ik ben beleidsmedewerker bij een gemeente.") == "another case"
    assert unfit(text, "", "Ik werk bij het ministerie van Justitie en Veiligheid.") is None


def test_a_sentence_about_another_role_of_the_guide_does_not_support_this_one() -> None:
    from assistant.leeropdracht.fit import Fit

    fit = Fit("Ik begeleid een verkenning.", own=("sturingsprofessional", "procesregisseur"),
              others=("opgavemanager", "lijnmanager"))
    assert fit.unfit("Het is meestal ook de taak van de opgavemanager om het besluit te begeleiden.", "") == "another role"
    assert fit.unfit("De opgavemanager stuurt de procesregisseur aan.", "") is None
    assert fit.unfit("Wissel van werkwijze als de opgave tussentijds verandert.", "") is None


def test_a_sentence_about_a_province_fits_only_someone_at_one() -> None:
    text = "Met een integrale aanpak werkt de provincie aan een gezonde leefomgeving."
    assert unfit(text, "", "Ik ben beleidsmedewerker bij een gemeente.") == "another case"
    assert unfit(text, "", "Ik ben controller bij een provincie.") is None
