"""What a user typed is shown as plain text: no live links, emphasis or headings from it."""

from __future__ import annotations

import re

from assistant.types import CitedText, Leeropdracht
from ui.presenter import escape_markdown, leeropdracht_view, retrieval_markdown

SITUATION = "Zie [de notitie](https://evil.example/x) of www.evil.example en mail naar a@evil.example # kop"
# A Markdown link, or a bare address that GFM would link by itself (the browser test checks the page).
LIVE_LINK = re.compile(r"(?<!\\)\]\(|https?://|www\.(?=\w)|(?<!\u2060)@")


def draft(situation: str) -> Leeropdracht:
    return Leeropdracht(
        title="Leeropdracht voor de lijnmanager", role="Lijnmanager", role_in_gids=True, context=situation,
        strength=None, pitfall=None, questions=(),
        exercise=CitedText(f"Pas dit toe in mijn situatie ({situation}).", (1,)),
        reflection=CitedText("Wat viel op?"), citations=(),
    )


def test_the_situation_in_a_leeropdracht_is_plain_text() -> None:
    view = leeropdracht_view(draft(SITUATION), "", b"")
    shown = [line for line in view.content.splitlines() if "evil" in line]  # the situation, and the exercise
    assert len(shown) >= 2, view.content
    for text in shown:
        assert not LIVE_LINK.search(text), text
        assert "\\[de notitie\\]" in text and "https:\u2060//evil.example" in text and "www\u2060.evil" in text
    assert any(text.endswith(" [1]") for text in shown)  # the citation marker stays a live marker


def test_the_search_step_shows_the_question_as_plain_text() -> None:
    shown = retrieval_markdown(SITUATION, [])
    assert not LIVE_LINK.search(shown)
    assert escape_markdown("*nadruk* _ook_ # kop") == "\\*nadruk\\* \\_ook\\_ # kop"
    assert escape_markdown("# kop") == "\\# kop"
