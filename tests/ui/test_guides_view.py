"""The "Bronnen" view: each document's guide as chat messages, key points linked to their passages."""

from __future__ import annotations

import re

from kb.guides import guides_from_extras
from ui.guides_view import GUIDES_STARTER, guide_messages, opens_view
from ui.views import QUESTION_STARTERS


def test_the_welcome_screen_offers_the_view_and_asking_for_it_by_name_opens_it() -> None:
    assert (GUIDES_STARTER, GUIDES_STARTER) in QUESTION_STARTERS
    for text in ("Bronnen bekijken", "bronnen?", " Welke bronnen zijn er? "):
        assert opens_view(text), text
    assert not opens_view("Wat zeggen de bronnen over de sturingsdriehoek?")


def test_each_document_gets_its_guide_with_linked_key_points_and_its_checked_questions(corpus_kb) -> None:
    guides = guides_from_extras(corpus_kb.info.extras)
    checked = {doc_id: (f"Waar gaat {doc_id} over?",) for doc_id in guides}
    messages = guide_messages(guides, checked, corpus_kb.chunk)
    assert len(messages) == len(corpus_kb.info.documents)
    for (doc_id, guide), message in zip(guides.items(), messages):
        assert message.content.startswith("## ") and "**Kernpunten**" in message.content
        markers = re.findall(r"\[(\d+)\]", message.content)
        assert markers == [str(n) for n in range(1, len(markers) + 1)] and len(markers) >= 3
        # Every marker has its side element, in which the quoted key point is set in bold.
        assert [e.name for e in message.elements] == [f"[{n}]" for n in markers]
        for element, point in zip(message.elements, guide.points):
            assert element.display == "side" and "**" in str(element.content)
        assert message.questions == checked[doc_id]


def test_questions_that_were_never_checked_give_no_buttons(corpus_kb) -> None:
    guides = guides_from_extras(corpus_kb.info.extras)
    assert all(m.questions == () and "knoppen" not in m.content for m in guide_messages(guides, None, corpus_kb.chunk))
