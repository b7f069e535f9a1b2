"""The overview answer's lead: the first line names the document and what it is, in the document's words."""

from __future__ import annotations

from assistant.answer.overview_answer import document_answer
from kb.guides import DocumentGuide, KeyPoint
from kb.types import Chunk

TEXTS = ["Opgaven vragen om een andere manier van werken in de hele organisatie.",
         "Leiderschap betekent ruimte geven aan wie het werk doet in de opgave.",
         "Wie opgavegericht werkt, legt de lessen vast voor de volgende opgave."]
CHUNKS = {f"c{i}": Chunk("essay", "Essay", t, ("Deel",), i * 100, i * 100 + len(t), i) for i, t in enumerate(TEXTS)}
POINTS = tuple(KeyPoint(t, f"c{i}", i * 100, i * 100 + len(t), "Deel") for i, t in enumerate(TEXTS))
GUIDE = DocumentGuide("essay", "Vijf bouwstenen", names={"nl": "het essay", "en": "the essay"}, kind="essay",
                      publisher="Provincie (Statenbrief aan Provinciale Staten)", date="2021",
                      chapters=("Inleiding", "Bouwstenen", "Bouwstenen > 1. Waarom", "Bouwstenen > 2. Klant",
                                "Bouwstenen > 3. Wendbaar"), points=POINTS)


def test_the_first_line_names_the_document_then_its_structure_then_the_points() -> None:
    composed = document_answer(GUIDE, "nl", CHUNKS.get)
    lead, kern, *_ = composed.text.split("\n\n")
    assert lead == ("Het essay (‘Vijf bouwstenen’) is een essay van Provincie, 2021. "
                    "Opgebouwd rond ‘Bouwstenen’: 1. Waarom; 2. Klant; 3. Wendbaar.")
    assert kern == "De kern, in de woorden van het document zelf:"
    assert [c.quote for c in composed.citations] == TEXTS


def test_the_english_lead_names_the_publisher_without_its_gloss() -> None:
    lead = document_answer(GUIDE, "en", CHUNKS.get).text.split("\n\n")[0]
    assert lead.startswith("The essay (‘Vijf bouwstenen’) is an essay by Provincie, 2021. Built around ‘Bouwstenen’")
