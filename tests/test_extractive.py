"""Which source sentences an extractive answer may quote, and how they read.

Real components: the project's Dutch analyzer and IDF weights. The passage is
written for the test so that each kind of non-answer (a title, a chapter
preview, a sentence that announces a list) sits beside real answers; the
ranker runs without embeddings, so only the lexical signal decides.
"""

from __future__ import annotations

from assistant.extractive import compose
from assistant.sentences import SentenceRanker
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
