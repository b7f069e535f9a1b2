"""Question analysis: kind, expected answer type, focus, documents, language, count."""

from __future__ import annotations

import pytest

from assistant.answer.glossary import dutch_terms, is_cognate
from assistant.answer.plan import analyse


@pytest.mark.parametrize(("question", "kind", "expects"), [
    ("Wat is een opgave?", "definition", "definition"),
    ("Wat zijn de valkuilen van een lijnmanager?", "list", "list"),
    ("Welke vijf bouwstenen zijn er?", "list", "list"),
    ("Hoe heet de nieuwe monitor van de provincie?", "fact", "name"),
    ("What response rate did the staff survey get?", "amount", "percentage"),
    ("Which budget has the municipality earmarked for 2026?", "amount", "amount"),
    ("Wat heeft het handboek uiteindelijk opgeleverd?", "fact", "outcome"),
    ("Wat kwam er uit de bijeenkomst in Zwolle?", "fact", "outcome"),
    ("Bij welk onderzoeksbureau liet de commissie het veldwerk doen?", "fact", "organisation"),
    ("Wat is de functie van Jos van der Ploeg?", "fact", "title"),
    ("What is Maaike Heijnen's job title?", "fact", "title"),
    ("Wat is de functie van de opgavemanager?", "definition", "definition"),  # a role, not a person
    ("Hoe heet de wethouder van de opgave?", "who", "person"),
    ("Hoeveel opgaven heeft de provincie?", "amount", "number"),
    ("Hoeveel geld trekt de provincie uit voor de energietransitie?", "amount", "amount"),
    ("Wat is het jaarbudget van de Opgavebeweging?", "amount", "amount"),
    ("wat had vitaal buitengebied voor budget in 2023?", "amount", "amount"),
    # What something cost is an amount; how many people it took is still a count.
    ("Hoeveel heeft het opstellen van de gids gekost?", "amount", "amount"),
    ("Hoeveel bedraagt het budget van de opgave?", "amount", "amount"),
    ("Hoeveel medewerkers kostte de reorganisatie?", "amount", "number"),
    ("Hoe heet de gedeputeerde die over de opgaven gaat?", "who", "person"),  # a name, not a way of working
    ("Wat is een budgethouder?", "definition", "definition"),
    ("Welk percentage van het werk valt onder lean-sturing?", "amount", "percentage"),
    ("In welk jaar verscheen het rapport?", "when", "date"),
    ("Wanneer is de bijeenkomst?", "when", "date"),
    ("Wat moet ik doen wanneer de lijn niet meewerkt?", "how", "steps"),
    ("Hoe laat begint de bijeenkomst?", "when", "time"),
    ("Hoe vaak per jaar moet je de opdracht bijstellen?", "amount", "frequency"),
    ("Hoe verloopt de aanvraag en welke termijnen gelden er?", "amount", "duration"),
    ("Wie schreef het rapport?", "who", "person"),
    ("Met welke partners werkt de provincie samen?", "fact", "organisation"),
    ("Waar lopen organisaties tegenaan als ze opgavegericht gaan werken?", "other", "text"),
    ("Waarom is vertrouwen belangrijk?", "why", "reason"),
    ("Hoe regel je gedeeld eigenaarschap?", "how", "steps"),
    ("Hoe omschrijven de bronnen wat een maatschappelijke opgave precies is?", "definition", "definition"),
    ("Hoe definieert de VPNG een opgave?", "definition", "definition"),
    ("How does the guide define a mission?", "definition", "definition"),
    ("Hoe beschrijft het rapport de samenwerking met partners?", "how", "steps"),
    ("Why is trust important?", "why", "reason"),
    ("What does the report mean when it says the work must be normalised?", "definition", "definition"),
    # A lead-in before a colon is not the question; a yes/no question after a cued one does not replace it.
    ("Even checken: hoe definieert die gids nou een opgave?", "definition", "definition"),
    ("Quick one on the audit report: what was the budget for the missions in 2025?", "amount", "amount"),
    ("Hoeveel gemeenten werken met een opgavemanager? Heeft de gids daar cijfers over?", "amount", "number"),
    ("Wat betekent dit: 'opgave'?", "definition", "definition"),
    # "How much of the work …?" asks a share of it, as "hoeveel van het werk" does; "how much" alone an amount.
    ("How much of the business operations work is linked to missions?", "amount", "number"),
    ("How much did the programme cost?", "amount", "amount"),
    # How a figure was measured is a method, not steps; how a choice was made is told as steps.
    ("Die 18 procent duurzame energie, hoe is dat eigenlijk berekend?", "how", "method"),
    ("Hoe meet de provincie de groepsprestatie?", "how", "method"),
    ("Hoe werd bepaald wie er aan tafel mocht aanschuiven?", "how", "steps"),
    ("Welk artikel van de Omgevingswet verplicht gemeenten tot participatie?", "fact", "article"),
    ("Op grond van welke criteria zijn de tafels gekozen?", "fact", "criteria"),
    ("Wat valt er onder de kaders en criteria van een opdracht?", "other", "text"),  # what they cover, not which
    # A tail asking for the names of the things just asked for does not make a list question a name question.
    ("Welke drie opgaven heeft de provincie aangewezen, hoe heten die?", "list", "list"),
    ("Hoe heten die opgaven?", "fact", "name"),
])
def test_kind_and_expected_answer(question: str, kind: str, expects: str) -> None:
    plan = analyse(question, (), question)
    assert (plan.kind, plan.expects) == (kind, expects)


@pytest.mark.parametrize(("question", "asks_name"), [
    ("Welke gedeputeerde was bestuurlijk opdrachtgever?", True),
    ("Wie was minister van Justitie en Veiligheid toen?", True),
    ("Wie is nu de algemeen directeur van de provincie?", True),
    ("Hoe heet de gedeputeerde die over de opgaven gaat?", True),
    ("Wie is de ambtelijk opdrachtgever van een opgave?", False),  # a role, not a person's name
    ("Wie heeft de motie over de opgaven ingediend?", True),  # who did a deed
    ("Wie heeft die tussenevaluatie van opgavegericht werken bij de provincie uitgevoerd en wanneer kwam die uit?", True),
    ("Wie hebben het rapport geschreven?", False),  # its makers: asked of the document, not as a fact
    ("Wie heeft dan het laatste woord?", False),
])
def test_a_who_question_knows_whether_it_asks_for_a_name(question: str, asks_name: bool) -> None:
    assert analyse(question, (), question).asks_name is asks_name


def test_two_named_documents_make_a_comparison_and_the_focus_leaves_out_names_and_frame_words() -> None:
    plan = analyse("Wat zeggen het NSOB-rapport en het essay over leiderschap?", ("nsob", "essay"), "Wat zeggen over leiderschap?")
    assert plan.compare and plan.kind == "comparison" and plan.doc_ids == ("nsob", "essay")
    assert plan.focus == ("leiderschap",)
    assert not analyse("Wat zegt het essay over leiderschap?", ("essay",), "Wat zegt over leiderschap?").compare
    # A document found by a topic word is searched, not compared with the one the question names.
    question = "Hoeveel concernbrede opgaven wil de provincie aanwijzen?"
    assert analyse(question, ("pzh", "motie"), question).compare
    assert not analyse(question, ("pzh", "motie"), question, by_topic=("motie",)).compare


def test_what_a_question_calls_a_named_document_and_its_chatty_words_are_no_focus() -> None:
    question = ("Zowel die provinciale bijlage bij motie 50 als het verslag over Zuid-Holland zeggen iets over "
                "monitoring. Wat komt daar samen uit?")
    plan = analyse(question, ("motie", "pzh"), "Zowel die provinciale bijlage als het verslag zeggen iets over "
                                                 "monitoring. Wat komt daar samen uit?")
    assert plan.focus == ("provinciale", "monitoring", "samen")
    # Without a named document, "verslag" may be what is asked about ("hoe doe je verslag?").
    assert "verslag" in analyse("Hoe doet een opgaveteam verslag?", (), "Hoe doet een opgaveteam verslag?").focus


def test_a_count_is_read_with_what_it_counts() -> None:
    plan = analyse("Wat zijn de zeven hefbomen voor de lerende organisatie?", (), "Wat zijn de zeven hefbomen?")
    assert (plan.count, plan.count_words, plan.counted) == (7, "zeven", "hefbomen")
    assert analyse("Wat is een opgave?", (), "Wat is een opgave?").count == 0
    # A range counts by its first number; a quoted or inflected word before the noun is not what is counted.
    question = "Welke drie à vier 'echte' concernbrede opgaven heeft de provincie aangewezen?"
    assert (analyse(question, (), question).count, analyse(question, (), question).counted) == (3, "opgaven")
    assert analyse("Welke 3-4 opgaven?", (), "Welke 3-4 opgaven?").counted == "opgaven"
    # The count may follow the asked noun: "welke opgaven … als die drie 'echte' opgaven".
    question = "Welke opgaven zijn aangewezen als die drie à vier 'echte' concernbrede opgaven?"
    assert (analyse(question, (), question).count, analyse(question, (), question).counted) == (3, "opgaven")
    two = analyse("In welke twee opgaven is gedeeld eigenaarschap ontstaan?", (), "In welke twee opgaven?")
    assert (two.kind, two.count, two.counted) == ("list", 2, "opgaven")
    # One of them, or something else about them, is asked: no count of things to name.
    for question in ("Welke van de vijf werkwijzen heeft een vaste lijnorganisatie?",
                     "Wat zijn de kenmerken van de vijf werkwijzen?"):
        assert analyse(question, (), question).count == 0


@pytest.mark.parametrize(("question", "measured"), [
    ("Hoeveel opgaven stonden er op de lijst?", "opgaven"),
    ("Met hoeveel mensen is er gesproken?", "mensen"),
    ("Hoeveel van de bouwstenen heb je nodig?", "bouwstenen"),
    ("Hoeveel minder huishoudens hebben schulden?", "huishoudens"),
    ("How many civil servants work on it?", "ambtenaren medewerkers"),
    ("How many times has the book been downloaded?", "keer maal"),
    ("How many of the building blocks do you need?", "bouwstenen"),  # the glossary knows the two words together
    ("Hoeveel project-, programma- en procesmanagers zijn er aangesloten?", "procesmanagers"),
    ("Hoeveel concernbrede opgaven wil de provincie aanwijzen?", "opgaven"),  # the first word describes them
    ("Hoeveel grote gemeenten doen mee?", "gemeenten"),
    ("Hoeveel fte werken er aan de opgave?", "fte"),
    ("Hoeveel is er gereserveerd?", ""),
    ("Hoeveel geld is er gereserveerd?", ""),  # an amount, not a count
])
def test_a_number_question_knows_what_it_counts(question: str, measured: str) -> None:
    assert analyse(question, (), question).measured == measured


@pytest.mark.parametrize(("question", "instances"), [
    ("Welke KPI's gebruikt de provincie?", "KPI's"),
    ("Met welke partners werkt de provincie samen?", "partners"),
    # English: the noun in the sources' Dutch, or none when neither the glossary nor a look-alike gives it.
    ("Which ministries already work this way?", ""),
    ("Welke rol speelt lean?", ""),  # one thing, not a series
    ("Welke functie heeft de directeur?", ""),
    ("Welke vijf bouwstenen zijn er?", ""),  # a counted list is checked on its count
])
def test_a_which_question_knows_which_things_it_asks_to_be_named(question: str, instances: str) -> None:
    assert analyse(question, (), question).instances == instances


def test_an_english_which_question_asks_for_the_dutch_things_of_the_sources() -> None:
    question = "Which metaphors does the guide use?"
    plan = analyse(question, (), question, cognates=lambda w: ["metaforen"] if w == "metaphors" else [])
    assert plan.instances == "metaforen"


def test_questions_about_authors_or_contact_may_quote_bios_and_colophons() -> None:
    assert analyse("Wie hebben het rapport geschreven?", (), "").about_authors
    assert analyse("Naar welk mailadres stuur ik een aanmelding?", (), "").about_authors
    assert not analyse("Wat is een opgave?", (), "").about_authors


def test_an_english_question_is_searched_and_scored_on_its_dutch_domain_terms() -> None:
    question = "What is the pitfall of the line manager in mission-oriented working?"
    plan = analyse(question, (), question)
    assert plan.lang == "en"
    assert plan.focus == ("valkuil", "lijnmanager", "opgavegericht", "werken")
    assert plan.search_text == f"{question} valkuil lijnmanager opgavegericht werken"
    # The longest phrase wins: "line manager" is not also "manager".
    assert dutch_terms("the line manager") == ["lijnmanager"]
    # The words of any evaluation report: a survey's response rate is its "respons".
    assert dutch_terms("What response rate did the staff survey get?") == ["respons", "vragenlijst", "medewerkers"]


def test_an_english_question_keeps_the_dutch_terms_it_quotes_from_the_sources() -> None:
    question = "What kind of work falls under 'lean-sturing' in the hybrid model?"
    plan = analyse(question, (), question, known=lambda word: word.lower() in {"lean-sturing", "model"})
    assert "lean-sturing" in plan.focus and plan.quoted == ("lean-sturing",)
    # "model" is known to the sources but common English: it comes from the glossary, not as a quoted Dutch term.
    assert plan.focus.count("model") == 1
    without = analyse(question, (), question)
    assert "lean-sturing" not in without.focus


@pytest.mark.parametrize(("english", "dutch", "alike"), [
    ("metaphors", "metafoor", True), ("political", "politieke", True), ("conclude", "concludeert", True),
    ("hybrid", "hybride", True), ("practice", "praktijk", True),
    ("exploration", "exploitatie", False), ("concrete", "concurrent", False), ("theme", "thema", False),
])
def test_cognates_are_one_word_in_two_spellings(english: str, dutch: str, alike: bool) -> None:
    assert is_cognate(english, dutch) is alike


def test_an_english_word_the_glossary_lacks_is_scored_on_the_sources_look_alike() -> None:
    question = "Which metaphors does the guide use?"
    plan = analyse(question, (), question, cognates=lambda w: ["metafoor"] if w == "metaphors" else [])
    assert "metafoor" in plan.focus and "metafoor" in plan.search_text
    assert "metafoor" not in analyse(question, (), question).focus


def test_a_dutch_compound_is_also_about_its_known_last_part() -> None:
    question = "Wat zeggen de documenten over de sturingsdriehoek?"
    plan = analyse(question, (), question, known=lambda word: word in {"driehoek", "hoek"})
    assert plan.focus[-1] == "driehoek" and plan.search_text.endswith("driehoek")  # the longest known part
    assert "driehoek" not in analyse(question, (), question).focus


def test_why_is_x_important_is_about_x() -> None:
    # "belangrijk" frames the question; a sentence about "een belangrijk deel van de gesprekken" does not answer it.
    plan = analyse("Waarom is vertrouwen belangrijk volgens de NSOB?", (), "Waarom is vertrouwen belangrijk?")
    assert plan.focus == ("vertrouwen",) and plan.kind == "why"


def test_a_bare_name_after_a_preposition_of_place_is_the_setting_not_the_subject_of_a_figure() -> None:
    names = {"jenv", "utrecht", "rotterdam"}.__contains__
    subjects = lambda q: analyse(q, (), q, proper=lambda w: names(w.lower())).subjects  # noqa: E731
    assert subjects("Hoeveel tafels organiseerde de NSOB bij JenV?") == ()
    assert subjects("Hoeveel medewerkers zijn er in Utrecht geïnterviewd?") == ()
    assert subjects("Hoeveel opgavemanagers heeft de gemeente Rotterdam?") == ("Rotterdam",)
    assert subjects("Hoeveel opgavemanagers werken er bij de gemeente Rotterdam?") == ("Rotterdam",)
    # Within a name of several capitalised words the place is part of the name, and so of what is asked about.
    names = {"sloterveen", "samen", "sterk"}.__contains__
    assert subjects("Hoeveel fte zit er in het team van Samen Sterk in Sloterveen?") == ("Samen", "Sterk", "Sloterveen")
    assert subjects("In Sloterveen, hoeveel fte zit er in het team?") == ()


@pytest.mark.parametrize(("question", "expects"), [
    ("Wat was in 2022 het budget voor Wonen in de Kernen?", "amount"),
    ("What is the annual budget of the Brede Schuldenaanpak?", "amount"),
    ("Wat is het budget voor de opgave?", "amount"),
    ("Wat is het doel van de opgave?", "definition"),  # no amount: the asked noun is no sum of money
    ("Vanaf welke score kies je voor een programma?", "number"),
    ("Op welke url staat het keuzemodel?", "url"),
    ("Op welk webadres staat het keuzemodel?", "url"),
    ("Which website has the model?", "url"),
])
def test_the_asked_noun_says_what_type_of_fact_is_asked(question: str, expects: str) -> None:
    assert analyse(question, (), question).expects == expects


def test_what_with_a_plural_noun_asks_for_the_things_when_the_sources_have_a_word_for_them() -> None:
    question = "What recommendations came out of the interviews in the annex?"
    assert (analyse(question, (), question).kind, analyse(question, (), question).instances) == ("list", "aanbevelingen")
    # No Dutch word for "features", and "tends" is a verb: no list is asked for.
    for question in ("What features do the missions have in common?", "What tends to go wrong with planning?"):
        assert (analyse(question, (), question).kind, analyse(question, (), question).instances) == ("other", "")


def test_a_two_part_question_knows_the_second_fact_it_asks() -> None:
    from assistant.answer.plan import second_fact

    question = "Wie heeft de tussenevaluatie uitgevoerd, en wanneer was dat?"
    plan = analyse(question, (), question)
    assert (plan.expects, plan.also) == ("person", "date")
    assert second_fact(plan) is not None and second_fact(plan).expects == "date"
    # The same type twice, or a second part that asks no fact, adds nothing.
    for question in ("Hoeveel opgaven zijn er, en hoeveel teams?", "Wat is de kracht van een medewerker, en waar botst die op?"):
        assert analyse(question, (), question).also == "" and second_fact(analyse(question, (), question)) is None
