"""Which whole source sentences an extractive answer quotes, and how the answer reads.

Real components: the ingest sentence splitter and role classifier, the
project's Dutch analyzer and IDF weights, the sentence index and the selector
(without embeddings, so that the lexical and type signals decide and each
outcome is exact). Passages are written for the test so that each kind of
non-answer sits beside a real answer. The same pipeline on the real corpus is
tested in ``test_assistant.py``.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.compose import choose, compose
from assistant.answer.definitions import defined_subject, definition_pattern, with_definitions
from assistant.answer.gaps import find_gaps
from assistant.answer.plan import analyse
from assistant.answer.role_facts import RoleFacts
from assistant.answer.meaning import Meaning
from assistant.answer.ranker import RankerWeights, SentenceRanker
from assistant.answer.selection import SentenceSelector
from assistant.support import SupportScorer, TermWeights
from ingest.chunking import ChunkedDocument
from ingest.sentences import with_sentences
from kb.lexical import DutchAnalyzer
from kb.roles import RoleText
from kb.sentences import SentenceIndex
from kb.types import Chunk, Hit, Place, SourceInfo

DOCS = {
    "gids": (
        "Rollen in de opgave\n"
        "In dit hoofdstuk bespreken we de rollen in de opgave.\n"
        "De pot met goud van de lijnmanager is zijn unieke positie. "
        "Hij kan als geen ander de mensen van zijn eenheid coachen.\n"
        "Voor een opgave gelden drie afspraken over de verantwoordelijkheid:\n"
        "1. De opgavemanager stuurt op de voortgang.\n"
        "Dat gebeurt maandelijks in het opgaveoverleg.\n"
        "2. De directeur is eindverantwoordelijk.\n"
        "3. De wethouder bewaakt de politieke lijn.\n"
        "Prof. dr. Jan de Vries is hoogleraar bestuurskunde en werkzaam bij de universiteit.\n"
        "Klik hier voor meer informatie over de gids."
    ),
    "rapport": (
        "Vertrouwen\n"
        "Vertrouwen groeit langzaam in een opgave met veel partners. "
        "Het ministerie werkt in de opgave samen met gemeenten en maatschappelijke organisaties. "
        "Het resultaat van samenwerken is belangrijker dan de traditionele KPI's."
    ),
}
NAMES = {"gids": "de gids", "rapport": "het rapport"}


def index(docs: dict[str, str] = DOCS) -> tuple[SentenceIndex, SupportScorer, list[Hit]]:
    """Each document as one passage, split into sentences and classified exactly as ingest does."""
    chunks = []
    for ordinal, (doc_id, text) in enumerate(docs.items()):
        first_line = text.split("\n", 1)[0]
        chunk = Chunk(doc_id=doc_id, title=doc_id.title(), text=text, section_path=(first_line,), start=0,
                      end=len(text), ordinal=ordinal)
        source = SourceInfo(doc_id=doc_id, file=f"{doc_id}.txt", title=doc_id.title())
        chunks.extend(with_sentences(ChunkedDocument(source, text, (chunk,))).chunks)
    analyzer = DutchAnalyzer("dutch_porter")
    scorer = SupportScorer(analyzer, TermWeights(analyzer, list(docs.values())))
    hits = [Hit(rank=i + 1, doc_id=c.doc_id, title=c.title, section=c.section, page=None, chunk_id=c.chunk_id,
                score=1.0, text=c.text, start=c.start, end=c.end) for i, c in enumerate(chunks)]
    return SentenceIndex.build(chunks), scorer, hits


def selector(scorer: SupportScorer, sentences: SentenceIndex) -> SentenceSelector:
    """The selector with the shipped ranker weights and no embedder (meaning features are 0)."""
    return SentenceSelector(scorer, sentences, Meaning(None, sentences), SentenceRanker(RankerWeights.load()))


def answer(question: str, named: tuple[str, ...] = (), roles: RoleFacts | None = None):  # noqa: ANN201
    sentences, scorer, hits = index()
    plan = analyse(question, named, question)
    ranked = selector(scorer, sentences).candidates(plan, hits, max_hits=len(hits), roles=roles)
    gaps = find_gaps(plan, ranked, scorer, sentences)
    return plan, ranked, compose(plan, choose(plan, ranked, sentences), hits, NAMES, sentences), gaps


def test_headings_previews_bios_and_links_are_never_candidates() -> None:
    _, ranked, _, _ = answer("Welke rollen zijn er in de opgave en wie is hoogleraar?")
    texts = [s.sentence.text for s in ranked]
    assert "Rollen in de opgave" not in texts
    assert not any(t.startswith("In dit hoofdstuk") and "bespreken we" in t and ranked[0].sentence.text == t for t in texts)
    assert not any("hoogleraar" in t for t in texts) or ranked[0].sentence.role == "author_bio"
    assert not any("Klik hier" in t for t in texts)


def test_the_first_sentence_answers_and_brings_the_sentence_that_leans_on_it() -> None:
    _, ranked, composed, gaps = answer("Wat is de pot met goud van de lijnmanager?")
    assert not gaps
    assert ranked[0].sentence.text == "De pot met goud van de lijnmanager is zijn unieke positie."
    assert composed.text.startswith("De pot met goud van de lijnmanager is zijn unieke positie [1]. "
                                    "Hij kan als geen ander de mensen van zijn eenheid coachen [1].")
    # Every quote is a whole sentence of the source.
    assert all(DOCS[c.doc_id].count(c.quote) == 1 for c in composed.citations)


def test_a_sentence_that_announces_a_list_brings_its_items_and_not_the_prose_between() -> None:
    _, _, composed, _ = answer("Welke afspraken over de verantwoordelijkheid gelden voor een opgave?")
    first = composed.text.split("\n\n")[0]
    assert first == ("Voor een opgave gelden drie afspraken over de verantwoordelijkheid [1]:\n"
                     "1. De opgavemanager stuurt op de voortgang [1].\n"
                     "2. De directeur is eindverantwoordelijk [1].\n"
                     "3. De wethouder bewaakt de politieke lijn [1].")
    assert "maandelijks" not in first


def test_the_asked_for_part_of_a_named_roles_profile_leads_whatever_its_words() -> None:
    # The pitfall shares no word with "oppassen"; the profile says it is the lijnmanager's pitfall.
    _, _, hits = index()
    gids = next(h for h in hits if h.doc_id == "gids")
    pitfall = "Hij kan als geen ander de mensen van zijn eenheid coachen."
    start = gids.text.index(pitfall)
    piece = RoleText(pitfall, gids.chunk_id, start, start + len(pitfall))
    question = "Waar moet een lijnmanager voor oppassen in de opgave?"
    _, ranked, _, _ = answer(question)
    assert ranked[0].sentence.text != pitfall
    _, ranked, composed, _ = answer(question, roles=RoleFacts(("lijnmanager",), (piece,), asked=True, questions=False))
    assert ranked[0].sentence.text == pitfall
    assert composed.text.startswith("De pot met goud van de lijnmanager is zijn unieke positie [1]. " + pitfall[:-1] + " [1].")


def test_a_header_line_that_holds_the_asked_for_date_is_quoted() -> None:
    report = ("De bijeenkomst in Zwolle\n4 maart 2025 | Stadhuis van Zwolle\nThema: wat als alles een opgave is?\n"
              "Op de bijeenkomst in Zwolle spraken we over opgaven in de regio. Daarna volgde een rondleiding.")
    sentences, scorer, hits = index({**DOCS, "verslag": report})
    ranking = selector(scorer, sentences)
    when = analyse("Wanneer was de bijeenkomst in Zwolle?", (), "Wanneer was de bijeenkomst in Zwolle?")
    ranked = ranking.candidates(when, hits)
    assert "4 maart 2025 | Stadhuis van Zwolle" in [s.sentence.text for s in ranked]
    assert not find_gaps(when, ranked, scorer, sentences)  # the date is there: no "De bronnen noemen geen datum"
    theme = analyse("Wat was het thema van de bijeenkomst in Zwolle?", (), "Wat was het thema van de bijeenkomst in Zwolle?")
    texts = [s.sentence.text for s in ranking.candidates(theme, hits)]
    assert "Thema: wat als alles een opgave is?" in texts and "4 maart 2025 | Stadhuis van Zwolle" not in texts
    # A name or a count is recognised too loosely for a caption line: it is no answer to "wie …?" or "hoeveel …?".
    for question in ("Wie vertelde op de bijeenkomst in Zwolle over de opgaven?",
                     "Hoeveel mensen waren er op de bijeenkomst in Zwolle?"):
        texts = [s.sentence.text for s in ranking.candidates(analyse(question, (), question), hits)]
        assert "4 maart 2025 | Stadhuis van Zwolle" not in texts


def test_a_quoted_term_outweighs_the_words_around_it() -> None:
    plan, ranked, _, _ = answer("Welke rol speelt 'vertrouwen' voor de opgavemanager, de directeur en de wethouder?")
    assert plan.quoted == ("vertrouwen",)
    # The quoted term decides half of the focus feature, so the one sentence that holds it leads on focus
    # (how much focus weighs against the other features is learned; see test_ranker).
    by_focus = sorted(ranked, key=lambda s: -s.focus)
    assert by_focus[0].sentence.text == "Vertrouwen groeit langzaam in een opgave met veel partners."
    assert by_focus[0].focus >= 0.5 > by_focus[1].focus


def test_an_asked_for_number_that_the_sources_lack_is_said_first() -> None:
    plan, _, _, gaps = answer("Hoeveel partners werken mee aan de opgave van het ministerie?")
    assert plan.expects == "number"
    assert gaps.missing == ("aantal",)
    assert gaps.statement.startswith("De bronnen noemen hiervoor geen aantal")


def test_an_asked_for_number_that_is_there_is_no_gap() -> None:
    plan, _, _, gaps = answer("Hoeveel afspraken over de verantwoordelijkheid gelden er voor een opgave?")
    assert plan.expects == "number" and not gaps


def test_a_number_that_counts_something_else_is_no_answer_to_how_many() -> None:
    # "drie afspraken" is a number in the evidence, but it does not count gemeenten.
    plan, _, _, gaps = answer("Hoeveel gemeenten werken samen in de opgave van het ministerie?")
    assert plan.measured == "gemeenten"
    assert gaps.missing == ("aantal",)


def test_things_asked_for_by_name_that_are_only_mentioned_are_named_as_missing() -> None:
    _, _, _, gaps = answer("Welke KPI's gebruikt het ministerie?")
    assert gaps.missing == ("KPI's",)
    assert gaps.statement == "De bronnen noemen ze niet bij naam."


def test_things_asked_for_by_name_that_a_list_gives_are_no_gap() -> None:
    plan, _, _, gaps = answer("Welke afspraken over de verantwoordelijkheid gelden voor een opgave?")
    assert plan.instances == "afspraken" and not gaps


def test_a_subject_the_sources_never_mention_is_named_as_missing() -> None:
    # A lowercase word the sources lack was mostly a paraphrase or a typo on the labelled questions: no gap line.
    assert not answer("Wat zegt de gids over blockchain in de opgave?")[3]
    _, _, _, gaps = answer("Wat zegt de gids over Eindhoven in de opgave?")
    assert gaps.missing == ("Eindhoven",)
    # The line never copies a question word: it says what kind of thing is missing; the JSON names the word.
    assert gaps.statement == "De bronnen noemen niets over dit onderwerp."


def test_a_comparison_gives_each_document_its_own_paragraph() -> None:
    _, _, composed, _ = answer("Wat zeggen de gids en het rapport over de opgave?", named=("gids", "rapport"))
    paragraphs = composed.text.split("\n\n")
    assert paragraphs[0] in ("De gids en het rapport zeggen er elk iets over:", "Het rapport en de gids zeggen er elk iets over:")
    assert {p.split(":", 1)[0] for p in paragraphs[1:]} == {"**De gids**", "**Het rapport**"}
    assert {c.doc_id for c in composed.citations} == {"gids", "rapport"}


def test_an_english_question_gets_english_framing_and_marked_dutch_quotes() -> None:
    plan, _, composed, _ = answer("What is the strength of the line manager?")
    assert plan.lang == "en" and "lijnmanager" in plan.focus
    assert composed.text.startswith("According to de gids (quoted in Dutch): “De pot met goud van de lijnmanager is "
                                    "zijn unieke positie.” [1]")


def test_definition_questions_are_recognised_and_comparisons_are_not() -> None:
    assert defined_subject("Wat is een opgave?") == "opgave"
    assert defined_subject("Wat wordt bedoeld met een concernbrede opgave?") == "concernbrede opgave"
    assert defined_subject("wat is opgavegericht werken nou eigenlijk?") == "opgavegericht werken"  # filler is no part of it
    assert defined_subject("Wat betekent 'werken vanuit de bedoeling'?") == "werken vanuit de bedoeling"
    assert defined_subject("Wat is het verschil tussen een opdracht en een opgave?") is None
    assert defined_subject("Hoe werkt een opgave?") is None
    pattern = definition_pattern("Wat is een opgave?")
    assert pattern is not None
    assert pattern.match("Een opgave is een (maatschappelijk) vraagstuk dat om een antwoord vraagt.")
    assert not pattern.match("Een opgavemanager is de spil van het netwerk.")
    assert not pattern.match("Rond de term ‘opgave’ is veel spraakverwarring.")
    # "Hoe omschrijven/definiëren …" asks the same; words before the head noun may be left out of the definition.
    assert defined_subject("Hoe omschrijven de bronnen wat een maatschappelijke opgave precies is?") == "maatschappelijke opgave"
    assert defined_subject("Hoe definieert de VPNG een opgave?") == "opgave"
    assert defined_subject("Hoe beschrijft het rapport de samenwerking met partners?") is None
    modified = definition_pattern("Wat is een maatschappelijke opgave?")
    assert modified is not None and modified.match("De opgave is de gewenste situatie in de samenleving.")
    assert modified.match("Een maatschappelijke opgave is een vraagstuk.")
    assert not modified.match("De maatschappelijke context is lastig.")


def test_a_defining_passage_from_the_probe_goes_in_front_and_others_do_not() -> None:
    def hit(i: int, text: str) -> Hit:
        return Hit(rank=i, doc_id="vpng_gids", title="Gids", section="", page=None, chunk_id=f"c{i}", score=1.0, text=text)

    hits = [hit(1, "Rond de term ‘opgave’ is veel spraakverwarring."), hit(2, "Opgaven zijn altijd politiek.")]
    probe = [hit(7, "Een opgavemanager is de spil."), hit(8, "Definitie\nEen opgave is een vraagstuk dat om een antwoord vraagt.")]
    pattern = definition_pattern("Wat is een opgave?")
    assert pattern is not None
    merged = with_definitions(hits, probe, pattern, top_k=2)
    assert [h.chunk_id for h in merged] == ["c8", "c1"]
    assert [h.rank for h in merged] == [1, 2]
    # A glossary entry (a section headed by the term) defines without "X is …"; it goes in front from lower down.
    lean = definition_pattern("Wat bedoelt de gids met lean-sturing?")
    assert defined_subject("Wat bedoelt de gids met lean-sturing?") == "lean-sturing" and lean is not None
    tips = hit(1, "4. Stop met hulpconstructies voor opgavesturing en lean-sturing.")
    entry = replace(hit(2, "Inspanningen\nDit zijn de inspanningen.\nLean-sturing\nBij de lean-sturing wordt het "
                           "repeterende werk door lijnmanagers aangestuurd."), section="Inspanningen")
    entry = replace(entry, places=(Place(entry.text.index("Bij de lean"), ("Lean-sturing",)),))
    assert [h.chunk_id for h in with_definitions([tips, entry], [entry], lean, 2, "lean-sturing")] == ["c2", "c1"]
    assert [h.chunk_id for h in with_definitions([tips, entry], [entry], lean, 2, "opgavesturing")] == ["c1", "c2"]
    # A passage above it that says "X is …" keeps its place: the entry does not jump over a definition.
    said = hit(1, "Lean-sturing is het sturen op repeterend werk.")
    assert [h.chunk_id for h in with_definitions([said, entry], [entry], lean, 2, "lean-sturing")] == ["c1", "c2"]


def test_a_question_put_to_the_sources_hears_a_second_document_that_is_about_it() -> None:
    from dataclasses import replace

    from assistant.answer.compose import ACROSS_SHARE

    plan, ranked, _, _ = answer("Wat zeggen de bronnen over vertrouwen in de opgave?")
    assert plan.across and not analyse("Wat zegt het rapport over vertrouwen?", ("rapport",), "over vertrouwen").across
    sentences, _, _ = index()
    best = next(s for s in ranked if s.sentence.doc_id == "rapport")
    other = next(s for s in ranked if s.sentence.doc_id == "gids" and not s.sentence.text.endswith(":"))
    heard = [replace(best, score=0.8), replace(other, score=0.8 * ACROSS_SHARE + 0.01, focus=0.5)]
    weak = [replace(best, score=0.8), replace(other, score=0.8 * ACROSS_SHARE - 0.01, focus=0.5)]
    assert {g[0].doc_id for g in choose(plan, heard, sentences)} == {"rapport", "gids"}
    assert {g[0].doc_id for g in choose(plan, weak, sentences)} == {"rapport"}
    # Without "de bronnen", a sentence of another document this far below the best stays out.
    plain = analyse("Hoe groeit vertrouwen in de opgave?", (), "Hoe groeit vertrouwen in de opgave?")
    assert {g[0].doc_id for g in choose(plain, heard, sentences)} == {"rapport"}


def test_support_that_touches_the_answer_joins_it_in_document_order() -> None:
    from assistant.answer.compose import _joined
    from kb.types import Sentence

    def s(i: int, text: str, doc: str = "rapport") -> Sentence:
        return Sentence(doc, f"{doc}:0", i, i * 10, i * 10 + 9, text, "body", "Vertrouwen", None)

    context, leaning, plain, after, far = (s(3, "Het team werkt samen."), s(4, "Maar het overleg is lastig."),
                                          s(4, "Het overleg is lastig."), s(5, "Dat kost tijd."), s(9, "Elders anders."))
    # What the answer leans on is read before it; what follows it continues it; the rest stays support.
    assert _joined([[leaning], [after], [context], [far]]) == [[context, leaning, after], [far]]
    # An answer that stands alone keeps its place first: the sentence before it stays support.
    assert _joined([[plain], [context]]) == [[plain], [context]]
    assert _joined([[plain], [s(5, "Dat kost tijd.", "gids")]]) == [[plain], [s(5, "Dat kost tijd.", "gids")]]


def test_a_short_line_that_only_echoes_the_question_is_no_candidate() -> None:
    from assistant.answer.candidates import quotable
    from kb.types import Sentence

    plan = analyse("Welke organisaties doen mee aan 'Koers en kansen'?", (), "Welke organisaties doen mee aan Koers en kansen?")
    echo = Sentence("rapport", "rapport:0", 0, 0, 21, "Over Koers en kansen.", "body", "Koers en kansen", None)
    news = Sentence("rapport", "rapport:0", 1, 22, 60, "Koers en kansen loopt in drie regio's.", "body", "Koers en kansen", None)
    assert not quotable(echo, plan) and quotable(news, plan)


def test_a_pointer_elsewhere_or_a_reading_guide_heading_is_no_candidate() -> None:
    from assistant.answer.candidates import quotable
    from kb.types import Sentence

    plan = analyse("Wat is het hybride besturingsmodel?", (), "Wat is het hybride besturingsmodel?")

    def line(text: str) -> Sentence:
        return Sentence("gids", "gids:0", 0, 0, len(text), text, "body", "Besturen", None)

    # Pointers send the reader to text the answer does not quote; one that announces its list stays.
    assert not quotable(line("Op de volgende pagina wordt een hybride besturingsmodel gepresenteerd als oplossing."), plan)
    assert not quotable(line("Hieronder treft u als achtergrond de belangrijkste opbrengsten aan."), plan)
    assert not quotable(line("In de volgende pagina’s werken we deze drie bollen uit."), plan)
    assert quotable(line("Hieronder staan de drie bollen van het hybride besturingsmodel:"), plan)
    assert quotable(line("Het hybride besturingsmodel staat hieronder beschreven in drie bollen."), plan)
    # A closing parenthesis ends a sentence only after closing punctuation.
    assert not quotable(line("Opgavegericht besturen (hoofdstuk 3)"), plan)
    assert quotable(line("Het hybride model verbindt drie werkwijzen (zie pagina 21)."), plan)
    assert quotable(line("Het model heeft drie bollen. (Dat zijn werkwijzen.)"), plan)


def test_prose_after_a_list_opens_a_paragraph_and_a_short_line_further_on_is_no_item() -> None:
    from assistant.answer.compose import compose
    from kb.types import Sentence

    def s(index: int, text: str, role: str = "body") -> Sentence:
        return Sentence("rapport", "rapport:0", index, index * 100, index * 100 + len(text), text, role, "Tafels", None,
                        opens_paragraph=True)

    plan = analyse("Welke opgaven zijn er?", (), "Welke opgaven zijn er?")
    # Support of one document is read in document order, the list and the later sentence together.
    groups = [[s(0, "Tafels zijn gesprekken met partners.")],
              [s(1, "Er zijn twee tafels rond de volgende opgaven:"), s(2, "Schulden", "heading"), s(3, "Asiel", "heading")],
              [s(9, "Veel opgaven staan apart.")]]
    composed = compose(plan, groups, [], {"rapport": "het rapport"}, None, {"rapport": "Rapport"})
    assert composed.text == ("Tafels zijn gesprekken met partners [1].\n\n"
                             "Er zijn twee tafels rond de volgende opgaven [1]:\n- Schulden [1]\n- Asiel [1]\n\n"
                             "Veel opgaven staan apart [1].")


def test_a_list_of_the_asked_for_things_answers_a_list_question_by_itself() -> None:
    from assistant.answer.compose import _list_first
    from kb.types import Sentence

    def s(index: int, text: str, role: str = "body") -> Sentence:
        return Sentence("rapport", "rapport:0", index, index * 100, index * 100 + len(text), text, role, "Tafels", None)

    about = [s(40, "Veel opgaven zijn georganiseerd in een buitenboordmotor.")]
    listing = [s(1, "Er zijn zes tafels georganiseerd rond de volgende opgaven:"), s(2, "Schulden", "heading"),
               s(3, "Asiel", "heading")]
    question = "Welke opgaven noemt het rapport waarover tafels zijn georganiseerd?"
    plan = analyse(question, (), question)
    assert plan.kind == "list" and plan.instances == "opgaven"
    assert _list_first(plan, [about, listing]) == [listing]
    # A list of other things keeps the ranker's order.
    other = [s(1, "Er zijn drie rollen:"), s(2, "Opgavemanager", "heading"), s(3, "Lijnmanager", "heading")]
    assert _list_first(plan, [about, other]) == [about, other]
    # A best group that already lists them is the answer; more of its document would pad it.
    assert _list_first(plan, [listing, about]) == [listing]
    elsewhere = [Sentence("gids", "gids:0", 5, 500, 540, "Ook de gids noemt opgaven.", "body", "Opgaven", None)]
    assert _list_first(plan, [listing, about, elsewhere]) == [listing, elsewhere]
    why = analyse("Waarom zijn er tafels georganiseerd?", (), "Waarom zijn er tafels georganiseerd?")
    assert _list_first(why, [about, listing]) == [about, listing]
    # Whatever the question, an answer that opens with a whole list is not padded with more of its document.
    count = analyse("Aan hoeveel tafels is gesproken?", (), "Aan hoeveel tafels is gesproken?")
    assert _list_first(count, [listing, about, elsewhere]) == [listing, elsewhere]
    assert _list_first(count, [about, listing]) == [about, listing]
    # Things counted and then named in a row are a whole list too.
    roles = analyse("Welke rollen heeft een opgavemanager?", (), "Welke rollen heeft een opgavemanager?")
    named = [s(7, "Een opgavemanager heeft drie rollen te vervullen."), s(8, "Namelijk die van A, B en C.")]
    assert _list_first(roles, [named, about, elsewhere]) == [named, elsewhere]
    unnamed = [s(7, "Een opgavemanager heeft drie rollen te vervullen."), s(8, "Die rollen vragen veel.")]
    assert _list_first(roles, [unnamed, about]) == [unnamed, about]


def test_a_quote_from_a_small_section_merged_into_a_passage_is_labelled_with_its_own_section() -> None:
    text = ("Inleiding\nDeze gids gaat over de opgave.\nDe leefwereld\n"
            "De leefwereld is het domein waarin mensen met elkaar omgaan. Daar staat de opgave centraal.")
    own = text.index("De leefwereld is")
    chunk = Chunk(doc_id="gids", title="Gids", text=text, section_path=("Inleiding",), start=0, end=len(text),
                  ordinal=0, places=(Place(own, ("Inleiding", "De leefwereld")),))
    source = SourceInfo(doc_id="gids", file="gids.txt", title="Gids")
    chunks = with_sentences(ChunkedDocument(source, text, (chunk,))).chunks
    analyzer = DutchAnalyzer("dutch_porter")
    scorer = SupportScorer(analyzer, TermWeights(analyzer, [text]))
    hits = [Hit(rank=1, doc_id="gids", title="Gids", section="Inleiding", page=None, chunk_id=chunks[0].chunk_id,
                score=1.0, text=text, start=0, end=len(text), places=chunks[0].places)]
    sentences = SentenceIndex.build(chunks)
    plan = analyse("Wat is de leefwereld?", (), "Wat is de leefwereld?")
    ranked = selector(scorer, sentences).candidates(plan, hits, max_hits=1)
    composed = compose(plan, choose(plan, ranked, sentences), hits, {"gids": "de gids"}, sentences)
    assert composed.text.startswith("De leefwereld is het domein waarin mensen met elkaar omgaan [1].")
    assert [c.section for c in composed.citations] == ["Inleiding > De leefwereld"]
    # The answer logic still compares sentences by their passage: both sentences keep its label.
    assert {s.sentence.section for s in ranked} == {"Inleiding"}


def test_a_figure_answer_ends_with_the_sentence_that_gives_it() -> None:
    from assistant.answer.extractive import _ends_with_figure
    from assistant.answer.gaps import Gaps

    text = ("Het boek\nHet boek Procesregie als vak is inmiddels ruim 5.000 keer gedownload. "
            "De afgelopen jaren werkte de schrijver aan de vereniging.\n")
    sentences, _, hits = index({"gids": text})
    body = [s for s in sentences.of_chunk("gids", hits[0].chunk_id) if s.role == "body"]
    carrier = Gaps(carrier=body[0].text)
    support = [body[1]]
    for question, kept in [
        ("Hoeveel keer is het boek Procesregie als vak gedownload?", [[body[0]]]),  # what followed was padding
        ("Hoeveel keer is het boek gedownload, en wie schreef het?", [body, support]),  # a second part is asked
        ("Waarom is het boek Procesregie als vak geschreven?", [body, support]),  # no figure asked
    ]:
        assert _ends_with_figure(analyse(question, (), question), [body, support], carrier) == kept, question


def test_a_why_answer_that_gives_a_reason_is_not_padded_with_groups_that_give_none() -> None:
    from assistant.answer.extractive import _reasons_only

    text = ("Budget\nHet budget van Sloterveen daalde in 2025. Die daling hangt samen met het aflopen van een subsidie. "
            "Het budget van Wonen steeg in 2025. Het budget van Energie daalde doordat een project stopte.\n")
    sentences, _, hits = index({"gids": text})
    body = [s for s in sentences.of_chunk("gids", hits[0].chunk_id) if s.role == "body"]
    groups = [body[:2], [body[2]], [body[3]]]
    why = "Waarom daalde het budget van Sloterveen in 2025?"
    assert _reasons_only(analyse(why, (), why), groups) == [body[:2], [body[3]]]
    # A first group without a reason keeps its support; another kind of question keeps every group.
    assert _reasons_only(analyse(why, (), why), [[body[0]], [body[2]]]) == [[body[0]], [body[2]]]
    what = "Wat gebeurde er met het budget van Sloterveen in 2025?"
    assert _reasons_only(analyse(what, (), what), groups) == groups


def test_after_a_gap_line_only_the_best_sentence_follows_not_its_paragraph() -> None:
    from assistant.answer.extractive import _after_gap
    from assistant.answer.gaps import PERIOD_BRIDGE, Gaps
    from assistant.answer.selection import Scored

    text = "Het boek\nDe vereniging telt veel leden in het land. Zij komen elk jaar bijeen. Dat is gezellig.\n"
    sentences, _, hits = index({"gids": text})
    body = [s for s in sentences.of_chunk("gids", hits[0].chunk_id) if s.role == "body"]
    ranked = [Scored(body[0], hit=0, focus=0.5, typed=False, score=0.9)]
    gap = Gaps(("aantal",), "De bronnen noemen hiervoor geen aantal.")
    assert _after_gap(ranked, [body, body[1:]], gap) == [[body[0]]]
    # A figure for another period is the point of what follows: its group stays whole.
    other = Gaps(("bedrag",), "De bronnen noemen geen bedrag voor 2026.", PERIOD_BRIDGE)
    assert _after_gap(ranked, [body, body[1:]], other) == [body]
