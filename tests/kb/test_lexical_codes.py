"""Tokens with digits are searched as typed: never split, stemmed or 'repaired' into another code.

A code ("AB123", "Wmo2015", "G40", "COVID-19") names one place exactly. The
typo repair must leave it alone, and BM25 must find the passage that holds it,
also in a many-page PDF where every page carries its own code.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from ingest.pipeline import run_ingest
from kb.knowledge_base import KnowledgeBase
from kb.lexical import DutchAnalyzer, LexicalIndex, is_code

PASSAGES = [
    "Het dossier AB123 beschrijft de aanpak van de opgaveregisseur in de regio.",
    "Het dossier AB124 beschrijft de aanpak van de programmamanager in de stad.",
    "De Wmo2015 regelt de ondersteuning van inwoners; de gemeenten van de G40 werken samen.",
    "Tijdens COVID-19 werkten de teams thuis.",
    "Het virus covid verspreidde zich; in 19 gemeenten gingen de scholen dicht.",
    "Dit woord12 staat alleen hier, naast het gewone woord woorden.",
    "De provincie Noord-Holland werkt samen met de regio Utrecht aan de woningbouw.",
]


def index() -> LexicalIndex:
    return LexicalIndex(PASSAGES, DutchAnalyzer())


def test_typo_repair_never_touches_a_token_with_a_digit() -> None:
    lexical = index()
    assert lexical.correct("ab125") is None  # would be 'ab123'/'ab124' by letters alone
    assert lexical.correct("wmo2016") is None
    assert lexical.correct("woord13") is None
    for typed in ("AB125", "Wmo2016", "G41", "COVID-20", "woord13", "projectcode2024", "ab12x"):
        assert lexical.correct_text(f"Wat staat er over {typed}?") == f"Wat staat er over {typed}?"
    # Counter-example: a misspelt word without a digit is still repaired, next to a code that is not.
    assert lexical.correct_text("opgaveregiseur van AB125") == "opgaveregisseur van AB125"
    assert lexical.correct_text("programmamanger/opgaveregiseur") == "programmamanager/opgaveregisseur"


def test_codes_are_terms_as_typed() -> None:
    analyzer = DutchAnalyzer()
    assert analyzer.terms("AB123 en Wmo2015, G40 en woord12") == ["ab123", "wmo2015", "g40", "woord12"]
    assert analyzer.terms("COVID-19 maatregelen") == ["covid-19", "covid", "19", "maatregel"]
    assert analyzer.terms("12woorden") == ["12woorden"]  # not stemmed to '12woord'
    # Counter-examples: a hyphenated word without a digit is split as before, words are stemmed.
    assert analyzer.terms("Noord-Holland maatregelen") == ["noord", "holland", "maatregel"]
    assert [is_code(w) for w in ("ab123", "covid-19", "g40", "2030", "19", "woord")] == [
        True, True, True, False, False, False]


def test_bm25_finds_a_code_exactly() -> None:
    lexical = index()
    assert lexical.query_terms("AB123") == ["ab123"]
    assert lexical.query_terms("AB125") == []  # absent: nothing, not the nearest code
    assert [i for i, _ in lexical.search("AB123", 3)] == [0]
    assert [i for i, _ in lexical.search("AB124", 3)] == [1]
    assert [i for i, _ in lexical.search("woord12", 3)] == [5]
    assert [i for i, _ in lexical.search("Wmo2015", 3)] == [2]
    # The passage with the whole code ranks above one that has its parts apart.
    assert [i for i, _ in lexical.search("COVID-19", 3)] == [3, 4]
    assert lexical.code_hits("dossier AB123 of G40") == {0: 1, 2: 1}
    assert lexical.code_hits("dossier 2030") == {}


def _coded_pdf(target: Path, pages: int) -> Path:
    """One page per dossier; each page has the same text but its own code, so only the code tells them apart."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    body = ("De werkgroep bespreekt de voortgang van de opgave, de planning voor het komende kwartaal en de "
            "afspraken met de partners in de regio. Zij legt vast wie welke taak oppakt en wanneer de "
            "resultaten worden besproken met het bestuur. ")
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.set_xy(20, 20)
        pdf.cell(0, 8, f"Dossier {n}")
        pdf.set_font("Helvetica", "", 11)
        pdf.set_xy(20, 35)
        pdf.multi_cell(170, 5.5, f"Kenmerk XK{700 + n}. " + body * 4)
    pdf.output(str(target))
    return target


def test_a_page_code_is_found_on_its_page(make_settings, e5, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _coded_pdf(folder / "dossiers.pdf", 30)
    (folder / "ander.md").write_text("# Notitie\n\nHet kenmerk van deze notitie is XK800, de werkgroep bespreekt de "
                                      "voortgang van de opgave.\n", encoding="utf-8")
    settings = make_settings(corpus_dir=folder)
    assert run_ingest(settings, embedder=e5).ok
    kb = KnowledgeBase(settings, embedder=e5)
    for n in (1, 7, 17, 30):
        hits = kb.search(f"XK{700 + n}", top_k=3)
        assert (hits[0].doc_id, hits[0].page) == ("dossiers", n), (n, hits[0])
        assert f"XK{700 + n}" in hits[0].text
        assert kb.correct(f"Wat staat er bij XK{700 + n}?") == f"Wat staat er bij XK{700 + n}?"
    hits = kb.search("Welk kenmerk heeft XK800?", top_k=3)
    assert hits[0].doc_id == "ander"


def test_a_common_dutch_word_is_never_repaired_into_another_word_only_inflected() -> None:
    lexical = LexicalIndex(["De hofstad kreeg complexe aandragen van de raad en een nieuwe kwestie over de opvang.",
                            "De opgaveregisseur beschrijft wat schrijven betekent voor de aanpak van de kwestie."], DutchAnalyzer())
    # "hoofdstad" and "aanvragen" are words of their own, not typos of "hofstad" and "aandragen".
    assert lexical.correct_text("Wat is de hoofdstad van Limburg?") == "Wat is de hoofdstad van Limburg?"
    assert lexical.correct("aanvragen") is None
    assert lexical.correct("compleet") is None  # nor into a word of the same beginning ("complexe")
    assert lexical.correct("schrijver") is None  # nor into another form ("schrijven")
    assert lexical.correct("betekend") == "betekent"  # but its final d/t is put right
    # A common word may still take the corpus's inflection, and a real typo is still repaired.
    assert lexical.correct("kwesties") == "kwestie"
    assert lexical.correct_text("Wat doet de opgaveregiseur?") == "Wat doet de opgaveregisseur?"


def test_a_typo_of_an_everyday_word_becomes_that_word_not_a_rare_corpus_word() -> None:
    lexical = LexicalIndex(["Het belangrijkste ingredient van de motie is een opgave."], DutchAnalyzer())
    # "ingedient" is one edit from the corpus's "ingredient" and from the everyday "ingediend": the user meant the latter.
    assert lexical.correct_text("Wie heeft de motie ingedient?") == "Wie heeft de motie ingediend?"
    assert lexical.correct("ingredjent") == "ingredient"  # no everyday word is that close: the corpus word stays
    # An everyday word is never respelt into another one ("overstap" is not "overstag").
    assert LexicalIndex(["Het schip ging overstag."], DutchAnalyzer()).correct("overstap") is None


def test_a_compound_of_everyday_words_is_no_typo() -> None:
    lexical = LexicalIndex(["Het water stroomt en de projecten lopen door."], DutchAnalyzer())
    # "stroomnet" is "stroom" + "net", a word the dictionary lacks, not a misspelt "stroomt".
    assert lexical.correct_text("Liep het vast op het volle stroomnet?") == "Liep het vast op het volle stroomnet?"
    assert lexical.correct("stroomtt") == "stroomt"
