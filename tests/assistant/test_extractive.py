"""Which source sentences an extractive answer may quote, and how they read.

Real components: the project's Dutch analyzer and IDF weights. The passages
are written for the test so that each kind of non-answer (a title, a chapter
preview, a sentence that announces a list) sits beside real answers, and so
that definition questions and lists can be checked exactly; the ranker runs
without embeddings, so only the lexical signal decides. The same behaviour on
the real corpus is tested in ``test_assistant.py``.
"""

from __future__ import annotations

from assistant.answer.definitions import defined_subject, definition_pattern, with_definitions
from assistant.answer.extractive import compose
from assistant.answer.sentences import SentenceRanker
from assistant.support import SupportScorer, TermWeights
from kb.lexical import DutchAnalyzer
from kb.types import Hit

TITLE = "Bijlage bij Statenbrief ‘Beantwoording Motie 50 ‘Concernbrede Opgaven’’"
PASSAGE = (
    f"{TITLE}\n"
    "In dit hoofdstuk bespreken we ... de concernbrede opgave ... de rol van de opgavemanager ... tips?\n"
    "De concernbrede opgave valt onder de ambtelijke verantwoordelijkheid van de algemeen directeur. "
    "De opgavemanager stuurt als gemandateerd opdrachtgever op de voortgang van de concernbrede opgave. "
    "Voor een concernbrede opgave gelden drie afspraken over de verantwoordelijkheid:"
)
OTHER = [
    "Gemeenten werken met programma's in de lijn.",
    "Het essay beschrijft vijf bouwstenen.",
    "De provincie bezocht drie gesprekstafels.",
]


def ranker_and_hit() -> tuple[SentenceRanker, Hit]:
    analyzer = DutchAnalyzer("dutch_porter")
    scorer = SupportScorer(analyzer, TermWeights(analyzer, [PASSAGE, *OTHER]))
    # The title carries the words of the question, as the real annex's opening line does.
    hit = Hit(rank=1, doc_id="motie_bijlage", title="Bijlage bij Statenbrief 'Beantwoording Motie 50 Concernbrede Opgaven'",
              section="", page=None, chunk_id="motie_bijlage:0", score=1.0, text=PASSAGE)
    return SentenceRanker(scorer, embedder=None), hit


def test_titles_and_chapter_previews_are_not_candidates() -> None:
    ranker, hit = ranker_and_hit()
    texts = [c.text for c in ranker.candidates("Wie is verantwoordelijk voor de concernbrede opgave van motie 50?", [hit])]
    assert texts[0] == "De concernbrede opgave valt onder de ambtelijke verantwoordelijkheid van de algemeen directeur."
    assert not any("Beantwoording" in t for t in texts)
    assert not any("..." in t for t in texts)


def test_a_sentence_that_announces_a_list_ends_with_a_full_stop() -> None:
    ranker, hit = ranker_and_hit()
    candidates = ranker.candidates("Welke afspraken over verantwoordelijkheid gelden voor een concernbrede opgave?", [hit])
    composed = compose("Welke afspraken gelden?", "nl", candidates, [hit])
    assert "Voor een concernbrede opgave gelden drie afspraken over de verantwoordelijkheid [1]." in composed.text
    assert ":." not in composed.text and ": [1]" not in composed.text
    # The citation still quotes the source exactly, colon included.
    quoted = [c.passage[s:e] for c in composed.citations for s, e in c.spans]
    assert "Voor een concernbrede opgave gelden drie afspraken over de verantwoordelijkheid:" in quoted


def test_definition_questions_are_recognised_and_comparisons_are_not() -> None:
    assert defined_subject("Wat is een opgave?") == "opgave"
    assert defined_subject("Wat wordt bedoeld met een concernbrede opgave?") == "concernbrede opgave"
    assert defined_subject("Wat betekent 'werken vanuit de bedoeling'?") == "werken vanuit de bedoeling"
    assert defined_subject("Wat is het verschil tussen een opdracht en een opgave?") is None
    assert defined_subject("Hoe werkt een opgave?") is None
    pattern = definition_pattern("Wat is een opgave?")
    assert pattern is not None
    assert pattern.match("Een opgave is een (maatschappelijk) vraagstuk dat om een antwoord vraagt.")
    assert not pattern.match("Een opgavemanager is de spil van het netwerk.")
    assert not pattern.match("Rond de term ‘opgave’ is veel spraakverwarring.")


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


def test_a_list_is_quoted_with_its_announcing_sentence_as_a_list() -> None:
    analyzer = DutchAnalyzer("dutch_porter")
    text = ("Een opgave heeft vaak drie kenmerken, namelijk:\n1. Het gaat om een maatschappelijk vraagstuk van belang.\n"
            "2. Politieke en gezamenlijke inspanningen zijn nodig.\n3. Er zijn verschillende meningen over het antwoord.")
    scorer = SupportScorer(analyzer, TermWeights(analyzer, [text, *OTHER]))
    hit = Hit(rank=1, doc_id="vpng_gids", title="Gids", section="", page=None, chunk_id="c1", score=1.0, text=text)
    candidates = SentenceRanker(scorer, embedder=None).candidates("Welke kenmerken heeft een opgave?", [hit])
    composed = compose("Welke kenmerken heeft een opgave?", "nl", candidates, [hit])
    body = composed.text.split("\n\n", 1)[1]
    assert body == ("Een opgave heeft vaak drie kenmerken, namelijk [1]:\n1. Het gaat om een maatschappelijk vraagstuk van "
                    "belang [1].\n2. Politieke en gezamenlijke inspanningen zijn nodig [1].\n"
                    "3. Er zijn verschillende meningen over het antwoord [1].")
