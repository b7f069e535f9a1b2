"""The gap check: a fact, name or list counts only where it answers what was asked.

Small documents built here, split and classified exactly as ingest does; the
ranker is the shipped one (no embedder: the meaning features are 0), and where
a test is about the ranker's scores it sets them itself.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.answer_types import counts, has_type, names, without_given
from assistant.answer.gaps import CARRIER_SHARE, find_gaps
from assistant.answer.index_view import IndexView, _proper
from assistant.answer.meaning import Meaning
from assistant.answer.plan import analyse
from assistant.answer.ranker import RankerWeights, SentenceRanker
from assistant.answer.selection import Scored, SentenceSelector
from assistant.support import SupportScorer, TermWeights
from ingest.chunking import ChunkedDocument
from ingest.sentences import with_sentences
from kb.lexical import DutchAnalyzer
from kb.sentences import SentenceIndex
from kb.types import Chunk, Hit, SourceInfo


def ranked_for(question: str, text: str, section: str = "Verslag") -> tuple[list[Scored], SupportScorer, SentenceIndex]:
    """The ranked candidates of one one-passage document, under one section heading, for ``question``."""
    source = SourceInfo(doc_id="verslag", file="verslag.txt", title="Verslag")
    chunk = Chunk(doc_id="verslag", title="Verslag", text=text, section_path=(section,), start=0, end=len(text), ordinal=0)
    chunks = with_sentences(ChunkedDocument(source, text, (chunk,))).chunks
    analyzer = DutchAnalyzer("dutch_porter")
    scorer = SupportScorer(analyzer, TermWeights(analyzer, [text]))
    sentences = SentenceIndex.build(chunks)
    hits = [Hit(rank=1, doc_id="verslag", title="Verslag", section="Verslag", page=None, chunk_id=c.chunk_id, score=1.0,
                text=c.text, start=c.start, end=c.end) for c in chunks]
    selector = SentenceSelector(scorer, sentences, Meaning(None, sentences), SentenceRanker(RankerWeights.load()))
    return selector.candidates(analyse(question, (), question), hits), scorer, sentences


def gaps_for(question: str, text: str) -> tuple[str, ...]:
    """What the gap check says is missing for ``question`` in a document of ``text``."""
    ranked, scorer, sentences = ranked_for(question, text)
    return find_gaps(analyse(question, (), question), ranked, scorer, sentences).missing


def test_a_figure_in_a_sentence_the_ranker_rates_weakly_is_no_answer() -> None:
    question = "Op welke datum is de Statenbrief over de opgaven verstuurd?"
    # The dated sentence is not next to the best one: the line after a best candidate may carry the fact too.
    text = ("De Statenbrief over de opgaven beschrijft de nieuwe werkwijze van de provincie. "
            "Die werkwijze vraagt veel van de ambtelijke organisatie en van haar leiding. "
            "Later, in 2021, concludeert de organisatie dat er meer nodig is.")
    ranked, scorer, sentences = ranked_for(question, text)
    plan = analyse(question, (), question)
    dated = next(s for s in ranked if "2021" in s.sentence.text)
    others = [s for s in ranked if s is not dated and "Statenbrief" in s.sentence.text]
    weak = [replace(others[0], score=0.9), replace(dated, score=0.9 * CARRIER_SHARE - 0.01)]
    strong = [replace(others[0], score=0.9), replace(dated, score=0.9 * CARRIER_SHARE + 0.01)]
    assert find_gaps(plan, weak, scorer, sentences).missing == ("datum of jaartal",)
    assert not find_gaps(plan, strong, scorer, sentences)


def test_a_name_the_question_itself_gives_is_no_answer_to_who() -> None:
    question = "Wie is de opgavemanager van Samen Sterk in Sloterveen?"
    assert gaps_for(question, "Het team van Samen Sterk in Sloterveen telt vijf medewerkers.") == ("naam van een persoon",)
    assert not gaps_for(question, "De opgavemanager van Samen Sterk in Sloterveen is Marijke Hoefnagel.")


def test_a_count_that_names_none_of_the_things_counted_is_a_gap() -> None:
    question = "Wat zijn de zeven velden waartussen de procesregisseur schakelt?"
    bare = "De procesregisseur schaakt op en schakelt tussen zeven velden. Dat vraagt veel van hem."
    named = ("De procesregisseur schakelt tussen zeven velden: bestuur, politiek, ambtenarij, markt, burgers, "
             "media en wetenschap.")
    assert gaps_for(question, bare) == ("zeven velden",)
    assert not gaps_for(question, named)
    # A series in the next sentence names other things when this one does not announce it.
    series_after = ("De procesregisseur schakelt tussen zeven velden. Het wyberen staat centraal met het divergeren, "
                    "convergeren en consolideren.")
    assert gaps_for(question, series_after) == ("zeven velden",)
    announced = "De procesregisseur schakelt tussen de volgende zeven velden. Bestuur, politiek, ambtenarij, markt, " \
                "burgers, media en wetenschap."
    assert not gaps_for(question, announced)
    # "In welke twee opgaven …?" asks for them as "Welke twee opgaven …?" does.
    assert gaps_for("In welke twee opgaven is gedeeld eigenaarschap ontstaan?",
                    "In een tweetal opgaven is werkelijk gedeeld eigenaarschap ontstaan. Dat was bijzonder.") == (
        "twee opgaven",)


def test_names_and_numbers_of_the_question_are_masked_and_nothing_else() -> None:
    question = "Hoeveel van de 8.200 leden van de VPNG zijn procesregisseur?"
    assert without_given("De VPNG verbindt 8.200 managers, van wie 300 procesregisseurs.", question) == \
        "De x verbindt x managers, van wie 300 procesregisseurs."
    assert without_given("Er zijn 8.200 leden.", "Hoeveel leden zijn er?") == "Er zijn 8.200 leden."
    # A number word of the question is not masked: it may count something else in the answer.
    question = "In het essay over de vijf bouwstenen: hoeveel parafen noemt het?"
    assert without_given("Er zijn minstens vijf parafen nodig.", question) == "Er zijn minstens vijf parafen nodig."
    assert gaps_for(question, "Er zijn minstens vijf parafen nodig om iets op te pakken.") == ()


def test_a_person_is_a_short_first_name_and_a_surname_not_the_name_of_a_project() -> None:
    assert has_type("Daarover sprak Jos van der Ploeg met de collega's.", "person")
    assert has_type("De commissie staat onder voorzitterschap van Marijke Hoefnagel.", "person")
    assert not has_type("Het team Energieneutraal Wendelsloot telt zeven medewerkers.", "person")


def test_a_count_token_has_its_value() -> None:
    from assistant.answer.answer_types import count_value

    assert (count_value("zes"), count_value("Twaalf"), count_value("12"), count_value("veel")) == (6, 12, 12, 0)


def test_a_count_in_words_or_across_an_elided_coordination_counts_the_asked_noun() -> None:
    assert counts("In een tweetal opgaven is werkelijk gedeeld eigenaarschap ontstaan.", "opgaven")
    assert counts("We verbinden 8.200 gemeentelijke project-, programma- en procesmanagers.", "procesmanagers")
    assert not counts("Een opgavemanager heeft drie rollen te vervullen.", "opgaven")


def test_a_capital_at_the_start_of_a_question_sentence_is_no_unknown_name() -> None:
    text = "Halverwege kan het verstandig zijn om over te stappen op een andere werkwijze."
    assert not gaps_for("We merken halverwege dat onze aanpak niet past. Mogen we dan overstappen?", text)
    assert gaps_for("Hoe stappen ze in Eindhoven over op een andere werkwijze?", text) == ("Eindhoven",)


def test_two_items_of_one_list_among_the_best_sentences_name_the_things_asked_for() -> None:
    question = "Welke tips geeft de gids voor opgavegericht sturen?"
    text = ("Tot slot enkele lessen.\n"
            "1. Stel een beperkt aantal opgavemanagers aan.\n"
            "2. Geef opgavemanagers het mandaat om te sturen op samenhang.\n"
            "Dat vraagt tijd van iedereen.")
    plan = analyse(question, (), question)
    assert plan.instances == "tips"

    def missing(section: str, list_first: bool) -> tuple[str, ...]:
        ranked, scorer, sentences = ranked_for(question, text, section)
        items = [s for s in ranked if s.sentence.role == "list_item"]
        prose = [s for s in ranked if s.sentence.role != "list_item"]
        assert len(items) == 2
        order = [*items, *prose] if list_first else [items[0], *prose, items[1]]
        scored = [replace(s, score=0.9 - 0.05 * k) for k, s in enumerate(order)]
        return find_gaps(plan, scored, scorer, sentences).missing

    assert missing("Hoe te komen tot opgavegericht sturen?", list_first=True) == ()
    assert missing("Hoe te komen tot opgavegericht sturen?", list_first=False) == ("tips",)  # one item among the best
    assert missing("Rollen in de organisatie", list_first=True) == ("tips",)  # a list about something else


def test_a_figure_counts_only_in_a_passage_about_the_names_the_question_gives() -> None:
    question = "Hoeveel opgavemanagers heeft de gemeente Rotterdam in dienst?"
    general = "Grote gemeenten hebben vaak drie tot vijf opgavemanagers in dienst, naast de procesregisseurs."
    specific = "De gemeente Rotterdam heeft vijf opgavemanagers in dienst, naast de procesregisseurs."
    # The name may stand earlier in the passage: "Zij heeft …" after "De gemeente Rotterdam …".
    earlier = "De gemeente Rotterdam werkt al jaren opgavegericht. Zij heeft nu vijf opgavemanagers in dienst."
    # A sentence that leans on the one before may name it there; one that does not is about something else.
    leaning = "De gemeente Rotterdam werkt al jaren opgavegericht. Daarvoor heeft de gemeente vijf opgavemanagers in dienst."
    apart = ("De gemeente Rotterdam werkt sinds 2015 opgavegericht. "
             "Voor de andere gemeenten samen waren er vijf opgavemanagers in dienst.")
    # Without the name, the general figure is no count for Rotterdam (and the name itself is unknown here).
    for text, missing in ((general, ("Rotterdam", "aantal")), (specific, ()), (earlier, ()), (leaning, ()),
                          (apart, ("aantal",))):
        ranked, scorer, sentences = ranked_for(question, text)
        plan = analyse(question, (), question, proper=lambda w: w.lower() == "rotterdam")
        assert plan.subjects == ("Rotterdam",)
        assert find_gaps(plan, ranked, scorer, sentences).missing == missing
    # The place an adjective comes from names it: "het Rotterdamse boekje" is about Rotterdam.
    assert names("In Rotterdam verscheen het boekje in 2015.", "Rotterdamse")


def test_the_sources_name_what_they_write_with_a_capital_in_mid_sentence() -> None:
    text = ("Vitaal Buitengebied stopte in 2023. Het buitengebied van Rotterdam bleef. "
            "Opgaven in Rotterdam en in het Vitaal Buitengebied: daarover gaat het. Groei kwam er.")
    _, _, sentences = ranked_for("Wat gebeurde er?", text)
    # "Buitengebied" once in lowercase among three uses: a word, not a name (PROPER_SHARE 0.8); "Groei" and
    # "Opgaven" start a sentence, where a capital says nothing.
    assert _proper(sentences) == frozenset({"rotterdam", "vitaal"})


def test_an_acronym_or_code_the_sources_never_use_is_a_subject_they_lack() -> None:
    text = "De VPNG leidt procesregisseurs op. Het vak leer je in de praktijk en op trainingen."
    assert gaps_for("Welk IPMA-certificaat heeft een procesregisseur van de VPNG nodig?", text) == ("IPMA",)
    assert gaps_for("Is een PRINCE2- of ISO9001-training nodig voor een procesregisseur?", text) == ("PRINCE2", "ISO9001")
    assert gaps_for("Welke training geeft de VPNG aan procesregisseurs?", text) == ()
    assert gaps_for("Hoe combineer je OKR's met het werk van een procesregisseur?", text) == ("OKR's",)
    # A name made of known words is still a name the sources never use; the same compound in lowercase is a
    # paraphrase of what they say.
    assert gaps_for("Op welk artikel van de Praktijkwet steunt de VPNG voor procesregisseurs?", text) == (
        "Praktijkwet", "wetsartikel")
    assert gaps_for("Welke praktijkwet leer je als procesregisseur bij de VPNG?", text) == ()


def test_a_name_that_names_a_document_says_where_to_look_not_what_a_fact_is_about() -> None:
    view = IndexView(collection="c", scorer=None, sentences=None, selector=None, aliases={}, lists=(), names={},  # type: ignore[arg-type]
                     titles={}, proper=frozenset({"rotterdam", "opgavebeweging"}), naming=frozenset({"opgavebeweging"}))
    assert view.is_subject("Rotterdam") and not view.is_subject("Opgavebeweging") and not view.is_subject("opgave")


def test_when_something_happened_asks_a_date_and_when_to_act_asks_a_condition() -> None:
    text = "De raad wil opgavegericht werken. Een opgavemanager is nodig bij een grote opgave met veel partners."
    assert gaps_for("Wanneer heeft de raad de ambitie uitgesproken om opgavegericht te werken?", text) == \
        ("datum of jaartal",)
    assert gaps_for("In welke periode is de raad met opgaven gaan werken?", text) == ("datum of jaartal",)
    assert gaps_for("Wanneer heb je een opgavemanager nodig?", text) == ()
    assert gaps_for("Wanneer kies je voor een opgavemanager?", text) == ()
    # A start counted back from now says since when, not in which year something was done.
    since = "Sinds bijna twee jaar werkt de raad opgavegericht."
    assert gaps_for("Sinds wanneer werkt de raad opgavegericht?", since) == ()
    assert gaps_for("Hoe lang werkt de raad al opgavegericht?", since) == ()
    assert gaps_for("In welk jaar is de raad opgavegericht gaan werken?", since) == ("datum of jaartal",)
    assert gaps_for("In welk jaar is de raad opgavegericht gaan werken?", "In 2023 is de raad opgavegericht gaan werken.") == ()
    # A day of the month dates a day of some year; which year was asked.
    day = "Op dinsdag 4 maart is de raad opgavegericht gaan werken."
    assert gaps_for("In welk jaar is de raad opgavegericht gaan werken?", day) == ("datum of jaartal",)
    assert gaps_for("Op welke datum is de raad opgavegericht gaan werken?", day) == ()


def test_a_counted_noun_whose_next_sentences_each_name_one_names_the_things() -> None:
    question = "Welke metaforen gebruikt het model?"
    named = ("Het model vatten we samen in drie metaforen, die elk iets anders vragen.\nDe zwerm\n"
             "De bol opgavesturing past de metafoor van de zwerm.\nDe fabriek\n"
             "De bol lean-sturing past de metafoor van een fabriek.\n")
    bare = ("Het model vatten we samen in drie metaforen, die elk iets anders vragen.\n"
            "De bol opgavesturing vraagt veel van de organisatie. Ook de lijn moet meebewegen.\n")
    assert gaps_for(question, named) == ()
    assert gaps_for(question, bare) == ("metaforen",)


def test_no_gap_line_denies_the_list_the_answer_quotes() -> None:
    # The best sentence only counts the things; the next sentence of its paragraph announces them and the answer
    # quotes that list. "De bronnen noemen ze niet bij naam" above it would deny what follows.
    question = "Welke vraagstukken zijn aan de ronde tafels besproken?"
    text = ("Aan ronde tafels gingen we in gesprek over drie vraagstukken van de provincie. De deelnemers bespraken deze "
            "drie thema's:\n1. Kloof tussen top en werkvloer\n2. Gedrag van medewerkers\n3. Inrichting van de "
            "bedrijfsvoering\n")
    ranked, scorer, sentences = ranked_for(question, text)
    plan = analyse(question, (), question)
    assert plan.instances == "vraagstukken"
    counting = next(s for s in ranked if s.sentence.text.startswith("Aan ronde tafels"))
    announcing = next(s for s in ranked if s.sentence.text.startswith("De deelnemers"))
    quoted = [replace(counting, score=0.9), replace(announcing, score=0.2)]  # completes the best (≥ 0.1 of it)
    assert not find_gaps(plan, quoted, scorer, sentences)
    apart = [replace(counting, score=0.9), replace(announcing, score=0.05)]  # the answer leaves the list out
    assert find_gaps(plan, apart, scorer, sentences).missing == ("vraagstukken",)


def test_an_announced_list_is_of_the_noun_after_volgende_not_of_any_noun_its_sentence_uses() -> None:
    from assistant.answer.answer_types import lists

    recommendations = "Op basis van de interviews zijn de volgende vier aanbevelingen geformuleerd voor de concernbrede opgaven:"
    assert lists(recommendations, "aanbevelingen") and not lists(recommendations, "opgaven")
    assert lists("Er zijn zes tafels georganiseerd rond de volgende opgaven:", "opgaven")
    assert lists("Er zijn drie rollen:", "rollen")  # without "volgende", a use of the noun counts


def test_a_web_address_is_asked_and_a_mention_of_a_site_is_none() -> None:
    question = "Op welke url staat het uitgebreide keuzemodel?"
    assert gaps_for(question, "Op de site van de VPNG staat een uitgebreider keuzemodel.") == ("webadres",)
    assert gaps_for(question, "Het uitgebreide keuzemodel staat op www.vpng.nl/keuzemodel voor iedereen.") == ()


def test_what_a_thing_is_called_is_answered_by_a_name_a_quoted_term_or_a_naming_verb() -> None:
    question = "Hoe heet de nieuwe monitor van de provincie?"
    assert gaps_for(question, "Het college wacht eerst de ervaringen met de nieuwe monitor van de provincie af.") == ("naam",)
    assert gaps_for(question, "De nieuwe monitor van de provincie is de Opgavemonitor voor de regio.") == ()
    assert gaps_for(question, "De provincie werkt met een nieuwe monitor, de ‘opgavekompas’ voor de regio.") == ()
    assert gaps_for(question, "De nieuwe monitor van de provincie noemen we het dashboard.") == ()



def test_a_count_before_the_verb_made_of_the_asked_noun_counts_it() -> None:
    assert counts("Er is literatuuronderzoek gedaan en acht medewerkers zijn geïnterviewd.", "interviews")
    assert not counts("Er zijn acht medewerkers die direct aan een opgave werken.", "interviews")


def test_a_footnote_after_the_best_sentence_dates_nothing() -> None:
    question = "In welk jaar zijn de tafels bij JenV gehouden?"
    text = "Aan de tafels bij JenV werkten partners uit de asielketen samen.\n10 NCTV (2019). Werken bij de NCTV.\n"
    assert gaps_for(question, text) == ("datum of jaartal",)
    dated = "Aan de tafels bij JenV werkten partners samen.\nDie gesprekken zijn in het voorjaar van 2019 gehouden.\n"
    assert gaps_for(question, dated) == ()


def test_how_many_of_asks_a_share_that_a_percentage_gives() -> None:
    question = "Hoeveel van het bedrijfsvoeringswerk is echt opgave?"
    assert gaps_for(question, "Niet alles is een opgave: 80% van het werk in de bedrijfsvoering is regulier werk.") == ()
    # "de derde ronde" is no share, nor a count of the work.
    assert gaps_for(question, "De bedrijfsvoering bleek een opgave in de derde ronde van gesprekken.") == ("aantal",)


def test_a_number_counts_nothing_past_a_colon() -> None:
    assert not counts("Wij hebben vier bronnen gebruikt: gesprekken, documenten en een vragenlijst.", "gesprekken")
    assert counts("Tussen september en december voerden wij veertien gesprekken met betrokkenen.", "gesprekken")


def test_a_count_that_ends_a_series_of_other_things_names_none_of_them() -> None:
    question = "Welke drie à vier opgaven zijn aangewezen als de echte opgaven?"
    ending = ("Dit leidt tot maatregelen: de lijst met opgaven wordt opgeschoond, het mandaat wordt verhelderd, "
              "en er worden drie à vier echte opgaven aangewezen die onder de directeur komen.")
    naming = "Er worden drie echte opgaven aangewezen: wonen, energie en zorg."
    assert gaps_for(question, ending) == ("drie opgaven",)
    assert gaps_for(question, naming) == ()


def test_without_the_count_a_series_names_the_counted_things_only_right_after_their_noun() -> None:
    question = "Welke drie opgaven zijn aangewezen?"
    # A long sentence that uses the noun and has commas elsewhere names no opgaven.
    loose = ("Vaak wordt het begrip opgave gebruikt voor complexe opgaven of thema's die gaan over een nieuw "
             "onderwerp, vaak een transitie, die niet logisch en enkelvoudig te verbinden is aan taken.")
    assert gaps_for(question, loose) == ("drie opgaven",)
    assert gaps_for(question, "Aangewezen zijn opgaven zoals wonen, energie en zorg.") == ()


def test_a_count_of_another_thing_the_question_names_is_no_list_of_the_counted_things() -> None:
    question = "Welke drie indicatoren stelt de rekenkamer voor bij de opgave Wonen?"
    assert gaps_for(question, "De gemeente werkt met drie opgaven: Wonen, Energie en Zorg.") == ("drie indicatoren",)
    # The source's own word for the counted things is not a noun the question uses: it names them.
    question = "Met welke drie sporen pakt het kabinet schulden aan?"
    assert gaps_for(question, "De aanpak bestaat uit drie actielijnen: vroegsignalering, hulp en incasso.") == ()


def test_the_items_of_a_list_of_other_things_name_none_of_the_counted_things() -> None:
    question = "Welke drie opgaven zijn aangewezen?"
    advice = ("Op basis van de interviews zijn de volgende vier aanbevelingen geformuleerd:\n"
              "1. Geef elke opgave ruimte, tijd en aandacht;\n2. Beleg de opgave bij de directeur;\n"
              "3. Maak de opgave meetbaar;\n4. Investeer in de kwaliteiten die een opgave vraagt.")
    assert gaps_for(question, advice) == ("drie opgaven",)
    assert gaps_for(question, advice.replace("vier aanbevelingen", "drie opgaven")) == ()


def test_the_one_and_the_other_name_two_things() -> None:
    question = "Welke twee routes kiezen organisaties om wendbaarder te worden?"
    pair = ("De ene organisatie versterkt haar dienstencentrum, terwijl de andere organisatie overstapt op "
            "zelfsturende teams om wendbaarder te worden.")
    assert gaps_for(question, pair) == ()
    assert gaps_for(question, "Organisaties willen wendbaarder worden en zoeken daarvoor routes.") == ("twee routes",)


def test_a_duration_or_frequency_in_any_number_word_is_one() -> None:
    assert has_type("Het duurde gemiddeld zeven maanden voordat een team bemand was.", "duration")
    assert has_type("De opdracht loopt anderhalf jaar.", "duration")
    assert has_type("De raad bespreekt het elf keer per jaar.", "frequency")
    assert not has_type("Op een dag begon het.", "duration")
    assert not has_type("Eens per zes weken komt het overleg samen.", "duration")  # how often, not how long


def test_a_first_name_is_a_word_the_sources_write_as_a_name() -> None:
    question = "Wie is de wethouder die opdrachtgever is van de opgave wonen?"
    text = ("De wethouders zijn betrokken bij de opgave wonen. Het team van Samen Sterk werkt daar samen met "
            "de opbouwwerkers, en samen zijn zij met veertien.")
    ranked, scorer, sentences = ranked_for(question, text)
    plan = analyse(question, (), question)
    assert find_gaps(plan, ranked, scorer, sentences).missing == ()  # without the sources' names: "Samen Sterk"
    assert find_gaps(plan, ranked, scorer, sentences, proper=_proper(sentences)).missing == ("naam van een persoon",)
    named = text.replace("Samen Sterk", "Marijke Hoefnagel")
    ranked, scorer, sentences = ranked_for(question, named)
    assert find_gaps(plan, ranked, scorer, sentences, proper=_proper(sentences)).missing == ()


def test_a_job_title_stands_beside_the_persons_name_or_opens_their_bio() -> None:
    question = "Welke functie heeft Bob Houtkamp?"
    assert gaps_for(question, "Bob Houtkamp legde uit hoe je met partners een droom bereikt.") == ("functie",)
    assert gaps_for(question, "Bob Houtkamp (ambtelijk opdrachtgever) legde uit hoe je een droom bereikt.") == ()
    assert gaps_for(question, "Projectleider Bob Houtkamp legde uit hoe je een droom bereikt.") == ()
    # A bio under the person's name as a heading opens with the title, a line too short to be a candidate.
    plan = analyse(question, (), question)
    for section, missing in (("Bob Houtkamp", ()), ("Over het boek", ("functie",))):
        bio = f"{section}\nDirecteur Groen.\nBob Houtkamp schreef in 2005 een boek over samenwerken met partners."
        ranked, scorer, sentences = ranked_for(question, bio, section)
        assert find_gaps(plan, ranked, scorer, sentences).missing == missing


def test_a_clause_after_a_colon_names_no_things() -> None:
    question = "Welke indicatoren gebruikt de provincie voor de prestaties van de bedrijfsvoering?"
    clause = ("De prestaties van de bedrijfsvoering tellen mee: 80% van het werk in de bedrijfsvoering is regulier "
              "werk, en 20% kan worden gekoppeld aan opgaven.")
    assert gaps_for(question, clause) == ("indicatoren",)
    named = "De prestaties van de bedrijfsvoering meet de provincie met twee indicatoren: doorlooptijd en tevredenheid."
    assert gaps_for(question, named) == ()


def test_what_came_of_something_is_a_result_reported_not_a_plan() -> None:
    question = "Wat heeft het handboek voor talent uiteindelijk opgeleverd?"
    plan = "De directie stuurde het handboek voor talent rond. Na de zomer gaan we met het handboek aan de slag."
    assert gaps_for(question, plan) == ("resultaat",)
    result = "De directie stuurde het handboek voor talent rond. Het handboek leidde tot veertig nieuwe teams."
    assert gaps_for(question, result) == ()


def test_a_share_by_which_something_grew_is_no_share_of_the_whole() -> None:
    grew = "In totaal groeide het budget voor de opgaven in drie jaar met ruim een derde, tot 3,7 miljoen euro."
    assert gaps_for("Welk percentage van het budget voor de opgaven is echt uitgegeven?", grew) == ("percentage of aandeel",)
    # Asked for the change, it is the answer.
    assert gaps_for("Met welk percentage groeide het budget voor de opgaven?", grew) == ()


def test_how_a_figure_was_measured_needs_a_method() -> None:
    question = "Die 18 procent duurzame energie in de gemeente, hoe is dat berekend?"
    figure = "Eind 2024 werd volgens de rapportage 18 procent van de energie in de gemeente duurzaam opgewekt."
    assert gaps_for(question, figure) == ("meet- of rekenwijze",)
    measured = figure + " Dat aandeel is berekend op basis van de meterstanden van de netbeheerder."
    assert gaps_for(question, measured) == ()


def test_an_article_of_law_and_criteria_are_asked_in_so_many_words() -> None:
    question = "Welk artikel van de Omgevingswet verplicht gemeenten tot burgerparticipatie?"
    law = "Ook de wetgever eist dat gemeenten de burger beter betrekken, denk aan de Omgevingswet en burgerparticipatie."
    assert gaps_for(question, law) == ("wetsartikel",)
    assert gaps_for(question, law + " Artikel 16.55 van de Omgevingswet verplicht gemeenten tot burgerparticipatie.") == ()
    question = "Op grond van welke criteria zijn de opgaven voor de gesprekstafels gekozen?"
    tables = "Er zijn zes gesprekstafels georganiseerd rond de gekozen opgaven van het ministerie."
    assert gaps_for(question, tables) == ("criteria",)
    chosen = tables + " De opgaven voor de gesprekstafels moesten voldoen aan twee criteria: urgentie en samenwerking."
    assert gaps_for(question, chosen) == ()


def test_a_figure_asked_for_two_years_is_carried_first_by_the_sentence_that_names_both() -> None:
    question = "Wat was het budget voor de opgaven in 2025, vergeleken met 2023?"
    text = ("Het budget voor de opgave Wonen was in 2023 een miljoen euro, 200.000 euro meer dan in 2022. "
            "Samen kregen de opgaven 3,7 miljoen euro in 2025, tegen 2,75 miljoen euro in 2023.")
    ranked, scorer, sentences = ranked_for(question, text)
    # Whichever order the ranker gives them, the figure for both years carries the answer.
    for order in (ranked, ranked[::-1]):
        gaps = find_gaps(analyse(question, (), question), order, scorer, sentences)
        assert gaps.missing == () and gaps.carrier.startswith("Samen kregen de opgaven 3,7 miljoen euro in 2025")


def test_a_cause_in_so_many_words_is_a_reason() -> None:
    assert has_type("Die daling hangt samen met het aflopen van een provinciale subsidie.", "reason")
    assert has_type("De vertraging kwam vooral door bezwaarprocedures.", "reason")
    assert has_type("De onderbesteding is te wijten aan een uitgesteld project.", "reason")
    assert not has_type("Het budget was in 2025 lager dan in 2024.", "reason")


def test_the_second_fact_of_a_two_part_question_is_checked_too() -> None:
    question = "Wie heeft de tussenevaluatie van de provincie uitgevoerd, en wanneer was dat?"
    text = "Uit de tussenevaluatie van de provincie bleek een kloof tussen de top en de werkvloer."
    assert gaps_for(question, text) == ("naam van een persoon", "datum of jaartal")
    dated = "Uit de tussenevaluatie van de provincie uit 2023 bleek een kloof tussen de top en de werkvloer."
    assert gaps_for(question, dated) == ("naam van een persoon",)
