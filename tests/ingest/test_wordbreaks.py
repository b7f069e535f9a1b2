"""Words broken by extraction are joined where the joined form proves itself, and nowhere else."""

from __future__ import annotations

from pathlib import Path

from ingest.cleaning import clean_document
from ingest.loaders import load_document
from ingest.pipeline import run_ingest
from ingest.wordbreaks import Repair, repair_word_breaks
from kb.knowledge_base import KnowledgeBase
from opgavewijzer.settings import PROJECT_ROOT


def repaired(*texts: str) -> list[str]:
    return repair_word_breaks(list(texts))[0]


def test_a_word_split_by_a_space_is_joined_when_only_the_whole_is_a_word() -> None:
    texts, repairs = repair_word_breaks([
        "De pot met goud van de vakinhoudeli jk medewerker.",
        "De vakinhoudelijk medewerker heeft kennis van zaken.",
    ])
    assert texts[0] == "De pot met goud van de vakinhoudelijk medewerker."
    assert repairs == [Repair("vakinhoudeli jk", "vakinhoudelijk", 1)]
    # Dutch at large knows the word too: the document need not write it whole elsewhere.
    assert repaired("Een ontwik keling die verant woordelijk is.") == ["Een ontwikkeling die verantwoordelijk is."]


def test_two_words_stay_two_words() -> None:
    # Counter-examples: both parts are words ("in formatie", "op gave"), a name follows ("van Dijk"),
    # or the joined form is no word ("vakinhoudeli jkx").
    for text in ("Het team stond in formatie.", "Hij gaf het op gave wijze door.", "Met Jan van Dijk.",
                 "De vakinhoudeli jkx staat hier.", "Een ad hoc overleg.", "De AB 12 regeling.",
                 "De samenwer king."):  # 'king' is in Dutch use: not proven a fragment, so left alone
        assert repaired(text) == [text]
    # A part the document uses on its own is a word there, even if Dutch at large does not know it.
    text = ["De ontwik keling.", "Een ontwik van het land."]
    assert repaired(*text) == text


def test_a_hyphen_left_inside_a_line_is_joined_only_when_it_breaks_a_word() -> None:
    texts, repairs = repair_word_breaks(["Er is een zin toege- voegd aan de tekst."])
    assert texts == ["Er is een zin toegevoegd aan de tekst."]
    assert repairs == [Repair("toege- voegd", "toegevoegd", 1)]
    # Counter-examples: an elided compound ("Noord- en Zuid-Holland", "leef- en systeemwereld"),
    # a left part that is a word of its own ("paraplu- benadering"), a hyphenated form the document uses.
    for text in (["Noord- en Zuid-Holland werken samen."], ["De leef- en systeemwereld."],
                 ["Een paraplu- benadering."], ["Het toege- voegd stuk.", "Een toege-voegd stuk."]):
        assert repaired(*text) == text


def test_no_split_word_is_left_in_the_shipped_guide() -> None:
    blocks = clean_document(load_document(PROJECT_ROOT / "corpus" / "vpng-inspiratiegids-opgavegericht-werken.txt"))
    text = "\n".join(b.text for b in blocks)
    assert "vakinhoudeli jk" not in text and "van de vakinhoudelijk" in text


def test_ingest_reports_the_repairs_and_quotes_the_repaired_text(make_settings, e5, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "notitie.txt").write_text(
        "De vakinhoudeli jk medewerker kent het dossier. Er is een bijlage toege- voegd over de planning.\n",
        encoding="utf-8")
    (folder / "schoon.txt").write_text("Het team werkt samen met partners in de regio.\n", encoding="utf-8")
    settings = make_settings(corpus_dir=folder)
    report = run_ingest(settings, embedder=e5)
    assert report.ok
    assert report.notes == ["notitie.txt: 2 woordbreuk(en) hersteld (zoals 'vakinhoudeli jk' → 'vakinhoudelijk', "
                            "'toege- voegd' → 'toegevoegd')"]
    kb = KnowledgeBase(settings, embedder=e5)
    chunk = next(c for c in kb.chunks if c.doc_id == "notitie")
    quoted = [chunk.text[s.start - chunk.start:s.end - chunk.start] for s in chunk.sentences]
    assert quoted == ["De vakinhoudelijk medewerker kent het dossier.",
                      "Er is een bijlage toegevoegd over de planning."]
    assert kb.search("vakinhoudelijk", top_k=1, mode="bm25")[0].doc_id == "notitie"
