"""The shortcuts that keep BM25 fast on a large collection give exactly the answers of the slow way."""

from __future__ import annotations

import difflib
import random
import unicodedata

import numpy as np

from kb.lexical import DutchAnalyzer, LexicalIndex, fold, top_positions
from kb.typos import TYPO_CUTOFF, TypoIndex
from opgavewijzer.settings import PROJECT_ROOT


def reference_fold(text: str) -> str:
    """The definition: NFKD of the lower-cased text without any combining character."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))


def reference_closest(word: str, words: list[str]) -> str | None:
    """Every corpus word within two letters of length compared with difflib: the full scan."""
    pool = [w for w in words if abs(len(w) - len(word)) <= 2]
    found = difflib.get_close_matches(word, pool, n=1, cutoff=TYPO_CUTOFF)
    return found[0] if found else None


def corpus_words() -> list[str]:
    analyzer = DutchAnalyzer()
    texts = [p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "corpus").glob("*.*")) if p.suffix in (".txt", ".md")]
    return sorted({w for t in texts for w in analyzer.words(t)})


def misspell(word: str, rng: random.Random) -> str:
    """One to three random slips: a letter dropped, added, replaced, or two swapped."""
    letters = list(word)
    for _ in range(rng.choice((1, 1, 2, 3))):
        i = rng.randrange(len(letters))
        slip = rng.randrange(4)
        if slip == 0 and len(letters) > 1:
            del letters[i]
        elif slip == 1:
            letters.insert(i, rng.choice("abcdeëfghijklmnopqrstuvwxyz"))
        elif slip == 2:
            letters[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
        elif i + 1 < len(letters):
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


def test_fold_matches_its_definition_on_every_kind_of_text() -> None:
    samples = [
        "Geïnterviewde medewerkers van de Provincie", "café", "cafe\u0301 (decomposed)", "ĲSSELMEER ﬁets",
        "Ångström – “quotes” ½ 𝔘nicode", "gewoon ascii", "", "İstanbul Œuvre Straße",
    ]
    samples += [p.read_text(encoding="utf-8")[:5000] for p in (PROJECT_ROOT / "corpus").glob("*.md")]
    for text in samples:
        assert fold(text) == reference_fold(text), text[:40]


def test_typo_index_finds_what_the_full_scan_finds() -> None:
    words = corpus_words()
    index = TypoIndex(words)
    rng = random.Random(7)
    probes = [misspell(rng.choice(words), rng) for _ in range(400)]
    probes += ["opgaveregiseur", "sturingsdriehoeck", "beleidsmedewerker", "omgevingsvergunning", "xyzzyxyzzy"]
    probes = [p for p in probes if len(p) >= 6]
    found = [index.closest(p) for p in probes]
    assert found == [reference_closest(p, words) for p in probes]
    assert sum(f is not None for f in found) > len(probes) // 2  # the probes do exercise corrections
    assert index.closest("sturingsdriehoeck") == "sturingsdriehoek"


def test_lexical_index_corrects_a_typo_in_a_question() -> None:
    index = LexicalIndex(["De opgaveregisseur verbindt partners.", "Het budget wordt verdeeld."], DutchAnalyzer())
    assert index.correct("opgaveregiseur") == "opgaveregisseur"
    assert index.correct("budgt") is None  # shorter than six letters: left alone
    assert [i for i, _ in index.search("wat doet een opgaveregiseur?", 2)] == [0]


def test_a_misspelling_with_a_known_stem_is_spelt_as_the_corpus_spells_it_and_an_inflection_stays() -> None:
    index = LexicalIndex(["Geen afdeling kan dit alleen.", "De maximaal haalbare termijn.", "Wat wilde de raad?",
                          "De gemeente Wendelsloot werkt opgavegericht."], DutchAnalyzer())
    # The stemmer makes "afdeeling" and "afdeling" one term, so BM25 matched already; the dense search needs
    # the corpus's spelling.
    assert index.correct_text("Kan een afdeeling dit alleen?") == "Kan een afdeling dit alleen?"
    assert index.correct_text("Werkt wendelslot opgavegericht?") == "Werkt wendelsloot opgavegericht?"
    # Counter-examples: other forms of a corpus word are no typos.
    assert index.correct_text("Wat is de maximale termijn?") == "Wat is de maximale termijn?"
    assert index.correct_text("Wat wilden de raadsleden?") == "Wat wilden de raadsleden?"


def test_top_positions_is_a_stable_sort_cut_to_k() -> None:
    rng = np.random.default_rng(0)
    for _ in range(500):
        scores = rng.integers(0, 4, size=int(rng.integers(0, 40))).astype(np.float32)  # many ties
        k = int(rng.integers(0, 45))
        assert top_positions(scores, k).tolist() == np.argsort(-scores, kind="stable")[:k].tolist()
