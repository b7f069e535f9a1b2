"""What a user typed is shown as plain text: no live links, emphasis or headings from it."""

from __future__ import annotations

import re

from assistant.types import CitedText, Leeropdracht
from ui.presenter import escape_markdown, leeropdracht_view, retrieval_markdown

SITUATION = "Zie [de notitie](https://evil.example/x) of www.evil.example en mail naar a@evil.example # kop"
# A Markdown link, or a bare address that GFM would link by itself.
LIVE_LINK = re.compile(r"(?<!\\)\]\(|(?<!\\)https?://|(?<!\\)://|www\.(?=\w)|(?<!\\)@")


def draft(situation: str) -> Leeropdracht:
    return Leeropdracht(
        title="Leeropdracht voor de lijnmanager", role="Lijnmanager", role_in_gids=True, context=situation,
        strength=None, pitfall=None, questions=(),
        exercise=CitedText(f"Pas dit toe in mijn situatie ({situation}).", (1,)),
        reflection=CitedText("Wat viel op?"), citations=(),
    )


def test_the_situation_in_a_leeropdracht_is_plain_text() -> None:
    view = leeropdracht_view(draft(SITUATION), "", b"")
    context = view.content.split("### Context\n")[1].split("\n")[0]
    exercise = view.content.split("### Oefening\n")[1].split("\n")[0]
    for text in (context, exercise):
        assert not LIVE_LINK.search(text), text
        assert "\\[de notitie\\]" in text and "https:\\/\\/evil.example" in text and "www\\.evil" in text
    assert exercise.endswith(" [1]")  # the citation marker stays a live marker


def test_the_search_step_shows_the_question_as_plain_text() -> None:
    shown = retrieval_markdown(SITUATION, [])
    assert not LIVE_LINK.search(shown)
    assert escape_markdown("*nadruk* _ook_ # kop") == "\\*nadruk\\* \\_ook\\_ # kop"
    assert escape_markdown("# kop") == "\\# kop"
