"""Routing by names that are names: every document's metadata, not a list in code, decides where a question is searched."""

from __future__ import annotations

from kb.query import QueryPlan, QueryPlanner, plan_query
from kb.types import DocumentRecord


def record(doc_id: str, title: str, aliases: list[str], *, kind: str = "", publisher: str = "",
           topics: list[str] | None = None, short_title: str = "") -> DocumentRecord:
    return DocumentRecord(doc_id, f"{doc_id}.md", title, "x", 1, aliases=aliases, kind=kind, publisher=publisher,
                          topics=topics or [], short_title=short_title)


DOCS = {
    "motie": record("motie", "Bijlage bij de beantwoording van Motie 50", ["Motie 50", "Statenbrief", "motie",
                    "concernbrede opgaven"], kind="bijlage", publisher="Provincie Utrecht",
                    topics=["motie", "concernbrede opgaven"]),
    "essay": record("essay", "Succesvol opgavegericht werken. Vijf bouwstenen", ["bouwstenen", "bouwstenen-essay"],
                    kind="essay", publisher="Ministerie van Justitie en Veiligheid (JenV)", topics=["bouwstenen"]),
    "wendelsloot": record("wendelsloot", "Evaluatie opgavegericht werken in de gemeente Wendelsloot", ["Wendelsloot"],
                          kind="rapport", publisher="Rekenkamercommissie Wendelsloot", topics=["opgavegericht"]),
    "nsob": record("nsob", "De opgave aan tafel", ["NSOB"], kind="rapport", publisher="NSOB"),
}


def test_a_derived_name_of_an_added_document_routes_and_leaves_the_search_text() -> None:
    plan = plan_query("Hoeveel gesprekken voerde de rekenkamer voor het onderzoek in Wendelsloot?", DOCS)
    assert plan == QueryPlan("Hoeveel gesprekken voerde de rekenkamer voor het onderzoek?", ("wendelsloot",))


def test_an_everyday_alias_routes_only_when_used_as_a_name() -> None:
    assert plan_query("Wat is een motie in de gemeenteraad?", DOCS) == QueryPlan("Wat is een motie in de gemeenteraad?")
    assert plan_query("Welke bouwstenen heeft een goed team nodig?", DOCS).doc_ids == ()
    assert plan_query("Welke fractie diende motie 50 in?", DOCS) == QueryPlan("Welke fractie diende in?", ("motie",))
    assert plan_query("Wat zegt het bouwstenen-essay over sturing en leiderschap?", DOCS) == QueryPlan(
        "Wat zegt over sturing en leiderschap?", ("essay",))
    assert plan_query("Wat zegt het essay over bouwstenen voor sturing en leiderschap?", DOCS).doc_ids == ("essay",)


def test_an_everyday_alias_routes_when_no_other_document_fits_better() -> None:
    question = "Wat waren de aanbevelingen uit de interviews over concernbrede opgaven?"
    # Found by a topic word, the document is a place to look, not one the question names.
    assert plan_query(question, DOCS, best_fit=lambda text: "motie") == QueryPlan(
        "wat waren de aanbevelingen uit de interviews over?".capitalize(), ("motie",), by_topic=("motie",))
    named = "Wat zeggen het NSOB-rapport en de motie 50 bijlage over concernbrede opgaven?"
    assert plan_query(named, DOCS, best_fit=lambda text: "motie").by_topic == ()
    assert plan_query(question, DOCS, best_fit=lambda text: "nsob") == QueryPlan(question)
    assert plan_query(question, DOCS).doc_ids == ()  # no judge of fit: only a name routes


def test_vague_references_resolve_against_publisher_kind_and_aliases() -> None:
    assert plan_query("Wat zegt dat stuk van de provincie over capaciteit en middelen?", DOCS) == QueryPlan(
        "Wat zegt over capaciteit en middelen?", ("motie",))
    assert plan_query("Hoe kijkt dat JenV-stuk aan tegen sturing van opgaven?", DOCS).doc_ids == ("essay",)
    assert plan_query("Welke bedrijven noemt het essay als voorbeeld van agile werken?", DOCS) == QueryPlan(
        "Welke bedrijven noemt als voorbeeld van agile werken?", ("essay",))
    assert plan_query("Wat concludeert het rapport van de rekenkamercommissie over de raad?", DOCS) == QueryPlan(
        "Wat concludeert over de raad?", ("wendelsloot",))
    # Two reports and no word that tells them apart: no guess.
    two = plan_query("Wat staat er in het rapport over leiderschap en sturing?", DOCS)
    assert two.doc_ids == ("wendelsloot", "nsob")
    assert two.by_topic == ("wendelsloot", "nsob")  # one mention, two places to look: no comparison of the two
    assert plan_query("Wat staat er in het document over leiderschap?", DOCS).doc_ids == ()
    assert plan_query("Wat zegt de gids over leiderschap van teams?", DOCS).doc_ids == ()  # no document is a gids


def test_a_mention_stays_when_too_little_would_remain_and_alias_lists_still_work() -> None:
    assert plan_query("Wat is de NSOB?", DOCS) == QueryPlan("Wat is de NSOB?", ("nsob",))
    assert plan_query("Wat zegt de NSOB over tafels en gesprekken?", {"nsob": ["NSOB"]}) == QueryPlan(
        "Wat zegt over tafels en gesprekken?", ("nsob",))


def test_one_planner_per_build_plans_every_question_as_planning_afresh_does() -> None:
    planner = QueryPlanner(DOCS)  # the knowledge base keeps one per build
    questions = [
        "Hoeveel gesprekken voerde de rekenkamer voor het onderzoek in Wendelsloot?",
        "Welke fractie diende motie 50 in?",
        "Wat zegt het bouwstenen-essay over sturing en leiderschap?",
        "Wat zegt dat stuk van de provincie over capaciteit en middelen?",
        "Wat is de NSOB?",
        "Wat is een motie in de gemeenteraad?",
    ]
    for question in questions * 2:  # asked twice: nothing of one question stays behind for the next
        assert planner.plan(question) == plan_query(question, DOCS)
    question = "Wat waren de aanbevelingen uit de interviews over concernbrede opgaven?"
    assert planner.plan(question, lambda text: "motie") == plan_query(question, DOCS, lambda text: "motie")


PAIR = {**DOCS, "pzh": record("pzh", "De Opgavebeweging op bezoek bij Provincie Zuid-Holland", ["Zuid-Holland", "PZH"],
                              kind="verslag", publisher="Opgavebeweging")}


def test_a_vague_mention_beside_the_name_of_a_document_it_fits_is_part_of_that_reference() -> None:
    # "dat stuk van de provincie" fits two documents; beside "motie 50" it is how the question names that one.
    plan = plan_query("Dat stuk van de provincie over motie 50, hoeveel collega's zijn er geïnterviewd over de opgaven?",
                      PAIR)
    assert plan.doc_ids == ("motie",)
    assert "provincie" not in plan.text and "stuk" not in plan.text


def test_every_vague_mention_counts_so_two_vaguely_named_documents_are_compared() -> None:
    assert plan_query("Welke overeenkomsten zijn er tussen het essay en het verslag over leiderschap?", PAIR) == QueryPlan(
        "Welke overeenkomsten zijn er tussen en over leiderschap?", ("essay", "pzh"))
    assert plan_query("What do the essay and the annex say about experimenting?", PAIR).doc_ids == ("motie", "essay")
    # A describing word that names the maker narrows the kind; an everyday one says nothing about which.
    assert plan_query("Wat zeggen de NSOB en het Zuid-Hollandse verslag over tafels?", PAIR).doc_ids == ("nsob", "pzh")
    assert plan_query("Hoe beschrijft het hele essay de rol van de bestuurder?", PAIR).doc_ids == ("essay",)
    assert plan_query("Wat zegt het Utrechtse essay over sturing van opgaven?", PAIR).doc_ids == ()


def test_a_kind_word_that_belongs_to_a_name_or_fits_two_documents_adds_no_document_beside_a_name() -> None:
    assert plan_query("Wat zegt het rapport van de NSOB over tafels en gesprekken?", PAIR).doc_ids == ("nsob",)
    assert plan_query("Wat zegt het verslag over Zuid-Holland over de sturingsdriehoek?", PAIR).doc_ids == ("pzh",)
    # "het rapport" fits two reports: beside a named document it is no guess at a second one.
    assert plan_query("Wat zeggen het essay van JenV en het rapport over vertrouwen?", PAIR).doc_ids == ("essay",)


def test_a_maker_joined_to_the_kind_or_a_kind_word_of_the_title_names_the_document() -> None:
    assert plan_query("Sinds wanneer zijn ze in die gemeente uit het rekenkamerrapport met opgaven bezig?", DOCS) == \
        QueryPlan("Sinds wanneer zijn ze in die gemeente uit met opgaven bezig?", ("wendelsloot",))
    # "evaluatie" is no document kind here, but the title of one document starts with it.
    assert plan_query("Wat raadt die evaluatie van de rekenkamer aan over de raad?", DOCS) == \
        QueryPlan("Wat raadt aan over de raad?", ("wendelsloot",))
    assert plan_query("Wat staat er in het eindrapport over leiderschap en sturing?", DOCS).doc_ids == ()


def test_a_misspelt_name_or_kind_word_routes_as_the_word_would_and_a_real_word_stays() -> None:
    assert plan_query("wat verstaan ze in dat esay onder een parafencultuur?", DOCS) == QueryPlan(
        "wat verstaan ze in onder een parafencultuur?", ("essay",))
    assert plan_query("Wat concludeert het raport van de rekenkamercommissie?", DOCS).doc_ids == ("wendelsloot",)
    assert plan_query("Wat zegt Wendelslot over de raad?", DOCS).doc_ids == ("wendelsloot",)
    # "motief" is a word of its own, one letter from the alias "motie"; "essays" a plural.
    assert plan_query("Welk motief hadden de indieners?", DOCS) == QueryPlan("Welk motief hadden de indieners?")
    assert plan_query("Welke essays over sturing zijn er?", DOCS) == QueryPlan("Welke essays over sturing zijn er?")
