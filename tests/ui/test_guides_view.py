"""The "Bronnen" view: every document's guide in one chat message, key points linked to their passages."""

from __future__ import annotations

import re

from kb.guides import guides_from_extras
from ui.guides_view import GUIDES_STARTER, INTRO, guides_view, opens_view
from ui.presenter import escape_markdown
from ui.views import QUESTION_STARTERS


def test_the_welcome_screen_offers_the_view_and_asking_for_it_by_name_opens_it() -> None:
    assert (GUIDES_STARTER, GUIDES_STARTER) in QUESTION_STARTERS
    for text in ("Bronnen bekijken", "bronnen?", " Welke bronnen zijn er? "):
        assert opens_view(text), text
    assert not opens_view("Wat zeggen de bronnen over de sturingsdriehoek?")


def test_one_message_holds_every_guide_with_markers_numbered_across_the_documents(corpus_kb) -> None:
    guides = guides_from_extras(corpus_kb.info.extras)
    checked = {doc_id: (f"Waar gaat {doc_id} over?",) for doc_id in guides}
    view = guides_view(guides, checked, corpus_kb.chunk)
    assert view is not None and view.content.startswith(INTRO)
    # One heading of level 2 per document, in the order of the index, and no other heading.
    assert re.findall(r"(?m)^(#+) (.+)$", view.content) == [("##", g.title) for g in guides.values()]
    markers = re.findall(r"\[(\d+)\]", view.content)
    assert markers == [str(n) for n in range(1, len(markers) + 1)]  # each number once: no clash between documents
    # Every marker has its side element, named exactly like it, with the passage of its own document, point in bold.
    assert [e.name for e in view.elements] == [f"[{n}]" for n in markers]
    sections = re.split(r"(?m)^## ", view.content)[1:]
    for guide, section in zip(guides.values(), sections):
        own = re.findall(r"\[(\d+)\]", section)
        assert len(own) >= 3, guide.title
        for n in own:
            element = view.elements[int(n) - 1]
            assert element.display == "side" and "**" in str(element.content)
            assert str(element.content).startswith(f"**{escape_markdown(guide.title)}**")
        short = guide.short_title or guide.title
        assert f"met ‘{short}’ beginnen" in section
    # The buttons, at the end of the message, each name their document before the question.
    assert [(b.label, b.question) for b in view.buttons] == [
        (f"{g.short_title or g.title}: {checked[d][0]}", checked[d][0]) for d, g in guides.items()]


def test_questions_that_were_never_checked_give_no_buttons(corpus_kb) -> None:
    guides = guides_from_extras(corpus_kb.info.extras)
    view = guides_view(guides, None, corpus_kb.chunk)
    assert view is not None and view.buttons == () and "knoppen onderaan die" not in view.content


def test_without_guides_there_is_no_view() -> None:
    assert guides_view({}, None, lambda chunk_id: None) is None
