"""List questions answered from a document's outline: which sections form a list, which question matches one.

Real components: the project's Dutch analyzer and IDF weights. The chunks are
written for the test with the section paths the chunker gives real documents,
so that a true numbered list sits beside look-alikes (two items only, numbers
out of order) and a heading that stands at the end of the passage before its
section. The same behaviour on the real corpus is tested in
``test_assistant.py``.
"""

from __future__ import annotations

from assistant.answer.extractive import compose_list
from assistant.answer.outline import ListSection, head_of, list_noun, list_sections, match_list, names_count, with_items
from assistant.support import SupportScorer, TermWeights
from kb.lexical import DutchAnalyzer
from kb.types import Chunk, Hit

DOC = "essay"
PARENT = "De bouwstenen voor succesvol werken"


def chunk(ordinal: int, path: tuple[str, ...], text: str, doc_id: str = DOC) -> Chunk:
    return Chunk(doc_id=doc_id, title="Essay over bouwstenen", text=text, section_path=path, start=ordinal * 1000,
                 end=ordinal * 1000 + len(text), ordinal=ordinal)


CHUNKS = [
    chunk(0, ("Inleiding",), "Inleiding\n\nDit essay gaat over samenwerken aan maatschappelijke vraagstukken."),
    chunk(1, (PARENT,), f"{PARENT}\n\nJe hebt in mijn visie dus drie bouwstenen nodig. Het eerste ingrediënt is het waarom."),
    chunk(2, (PARENT, "1. Het waarom van de opgave"), "1. Het waarom van de opgave\n\nBegin bij de vraag waarom iets ertoe doet. "
          "Dat vraagt gesprekken met de omgeving.\n\n2. Zicht op de klant"),
    # The chunker starts this passage after its heading, which stands at the end of the one before.
    chunk(3, (PARENT, "2. Zicht op de klant"), "Ken de behoefte van de doelgroep die de opgave raakt."),
    chunk(4, (PARENT, "3. Leiderschap"), "3. Leiderschap\n\nLeiders kijken van buiten naar binnen."),
    # Two numbered subsections only, and numbers out of order: no list.
    chunk(5, ("Werkwijzen",), "Werkwijzen\n\nEr zijn verschillende werkwijzen voor sturing."),
    chunk(6, ("Werkwijzen", "1. Routines"), "1. Routines\n\nRoutines geven houvast in de lijn."),
    chunk(7, ("Werkwijzen", "2. Programma"), "2. Programma\n\nEen programma bundelt projecten."),
    chunk(8, ("Sturing",), "Sturing\n\nDe sturing verandert voortdurend."),
    chunk(9, ("Sturing", "3. Prioriteitstelling"), "3. Prioriteitstelling\n\nKiezen is lastig bij schaarste."),
    chunk(10, ("Sturing", "2. Opgavesturing"), "2. Opgavesturing\n\nSturen op de opgave vraagt overzicht."),
    chunk(11, ("Sturing", "4. Portfolio"), "4. Portfolio\n\nHet portfolio toont alle opgaven samen."),
]


def scorer() -> SupportScorer:
    analyzer = DutchAnalyzer("dutch_porter")
    return SupportScorer(analyzer, TermWeights(analyzer, [c.text for c in CHUNKS]))


def the_list() -> ListSection:
    sections = list_sections(CHUNKS)
    assert len(sections) == 1
    return sections[0]


def test_only_a_run_of_three_or_more_numbered_subsections_from_one_is_a_list() -> None:
    section = the_list()
    assert section.heading == PARENT
    assert [i.heading for i in section.items] == ["1. Het waarom van de opgave", "2. Zicht op de klant", "3. Leiderschap"]
    assert section.items[1].section == f"{PARENT} > 2. Zicht op de klant"


def test_an_item_cites_the_passage_that_shows_its_heading() -> None:
    items = the_list().items
    # Item 2's own first passage begins after its heading; the passage before holds it.
    assert items[1].chunk.ordinal == 2
    assert [items[0].chunk.ordinal, items[2].chunk.ordinal] == [2, 4]


def test_the_noun_of_a_list_question() -> None:
    assert list_noun("Welke vijf bouwstenen zijn er?") == "bouwstenen"
    assert list_noun("Wat zijn de 10 patronen volgens de NSOB?") == "patronen"
    assert list_noun("Noem alle bouwstenen") == "bouwstenen"
    assert list_noun("Uit welke rollen bestaat de driehoek?") == "rollen"
    assert list_noun("Wat is een opgave?") is None
    assert list_noun("Hoe werkt een feedbackloop?") is None


def test_a_list_question_matches_by_its_noun_in_the_heading() -> None:
    section, s = the_list(), scorer()
    assert match_list("Welke bouwstenen zijn er?", [section], s) == section
    assert match_list("Welke bouwstenen noemt het rapport?", [section], s, doc_ids=("rapport",)) is None
    assert match_list("Welke werkwijzen zijn er?", [section], s) is None


def test_the_noun_must_be_what_the_heading_lists_not_a_word_after_its_preposition() -> None:
    section, s = the_list(), scorer()
    # "De bouwstenen voor succesvol werken" lists bouwstenen; "werken" only says what they are for.
    assert match_list("Welke werken zijn er?", [section], s) is None
    assert head_of("4. Patronen in het werken vanuit maatschappelijke opgaven") == "Patronen"
    assert head_of("Overzicht van de bouwstenen") == "Overzicht van de bouwstenen"
    assert head_of("Vijf bouwstenen") == "Vijf bouwstenen"


def test_a_list_question_with_the_right_count_matches_by_the_noun_of_the_opening_prose() -> None:
    section, s = the_list(), scorer()
    assert names_count("Welke drie ingrediënten zijn nodig?", section)
    assert not names_count("Welke vier ingrediënten zijn nodig?", section)
    assert match_list("Welke drie ingrediënten zijn nodig?", [section], s) == section
    assert match_list("Welke vier ingrediënten zijn nodig?", [section], s) is None
    assert match_list("Welke ingrediënten zijn nodig?", [section], s) is None


def test_the_answer_lists_the_headings_each_citing_its_heading_then_the_opening_sentence() -> None:
    section = the_list()
    hits = with_items([], section, top_k=5)
    assert [h.ordinal for h in hits] == [2, 4, 1]
    composed = compose_list(section, "nl", hits, "‘Essay over bouwstenen’")
    assert composed.text == (
        "‘Essay over bouwstenen’ noemt er 3, elk in een eigen paragraaf onder ‘De bouwstenen voor succesvol werken’:\n\n"
        "1. Het waarom van de opgave [1]\n"
        "2. Zicht op de klant [1]\n"
        "3. Leiderschap [2]\n\n"
        "Zo begint het hoofdstuk: Je hebt in mijn visie dus drie bouwstenen nodig [3]."
    )
    first, _, opening = composed.citations
    assert [first.passage[s:e] for s, e in first.spans] == ["1. Het waarom van de opgave", "2. Zicht op de klant"]
    assert first.section == f"{PARENT} > 1. Het waarom van de opgave"
    assert opening.quote == "Je hebt in mijn visie dus drie bouwstenen nodig."


def test_no_opening_sentence_when_the_first_item_follows_the_heading_directly() -> None:
    chunks = [
        chunk(0, ("4. Patronen",), "4. Patronen\n\n4.1 Politiek\n\nElke opgave heeft politieke lading in de praktijk."),
        chunk(1, ("4. Patronen", "4.1 Politiek"), "4.1 Politiek\n\nElke opgave heeft politieke lading in de praktijk."),
        chunk(2, ("4. Patronen", "4.2 Eigenaarschap"), "4.2 Eigenaarschap\n\nEigenaarschap wordt gedeeld."),
        chunk(3, ("4. Patronen", "4.3 Vertrouwen"), "4.3 Vertrouwen\n\nVertrouwen groeit langzaam."),
    ]
    (section,) = list_sections(chunks)
    assert section.intro is None
    composed = compose_list(section, "nl", with_items([Hit.from_chunk(chunks[0])], section, top_k=5), "het rapport")
    # "4.1 Politiek" is no Markdown list item by itself: it gets a bullet.
    assert composed.text.splitlines()[2:] == ["- 4.1 Politiek [1]", "- 4.2 Eigenaarschap [2]", "- 4.3 Vertrouwen [3]"]
