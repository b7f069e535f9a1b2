"""The chat UI end to end: Debian Chromium against a real ``opgavewijzer serve`` on 127.0.0.1.

One server for the module, on the session's real corpus index, with its own
chat database. Screenshots of the main screens are saved in ``reports/ui/``
(the pictures in ``docs/`` come from there).
"""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile

import pytest

from ui.store import read_feedback
from assistant.answer.extractive import refusal_text
from opgavewijzer.settings import PROJECT_ROOT
from tests.browser import Visitor, chat_server, chromium  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = PROJECT_ROOT / "reports" / "ui"
ESSAY_TITLE = "Succesvol opgavegericht werken bij de overheid. Vijf bouwstenen om niet langer te stoeien"
BOUWSTENEN = "Wat zijn de vijf bouwstenen voor succesvol opgavegericht werken bij de overheid?"
OFF_TOPIC = "Hoeveel kost een treinkaartje van Utrecht naar Amsterdam?"


@pytest.fixture(scope="module")
def server(corpus_kb, corpus_settings, tmp_path_factory):  # noqa: ANN001, ANN201
    with chat_server(corpus_settings, tmp_path_factory.mktemp("chat-ui")) as running:
        yield running


@pytest.fixture
def visitor(chromium, server, request):  # noqa: ANN001, ANN201, F811
    person = Visitor(chromium, server).login(f"Tester {request.node.name[-20:]}", "test-wachtwoord")
    yield person
    person.close()


def shot(visitor: Visitor, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    visitor.page.wait_for_timeout(500)  # let the side panel finish sliding in (a 300 ms transition)
    visitor.page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_welcome_screen_is_dutch_shows_the_starters_and_loads_nothing_from_outside(visitor: Visitor) -> None:
    page = visitor.page
    page.wait_for_selector("#starter-de-vijf-bouwstenen")
    for label in ("Wat is opgavegericht werken?", "De vijf bouwstenen", "Motie 50", "Bezoek aan Zuid-Holland"):
        assert page.get_by_text(label, exact=True).is_visible()
    assert page.get_attribute("#chat-input", "placeholder") == "Stel een vraag over opgavegericht werken…"
    shot(visitor, "welkom")
    page.click("text=Uitleg")
    page.wait_for_selector("text=Wat Opgavewijzer niet doet")
    assert visitor.outside_hosts() == set()


def test_answer_streams_after_a_visible_search_and_its_citation_opens_the_passage(visitor: Visitor) -> None:
    page = visitor.page
    reply = visitor.ask(BOUWSTENEN)
    # The search is shown first, as a step, with what was searched.
    kinds = page.eval_on_selector_all("[data-step-type]", "els => els.map(e => e.dataset.stepType)")
    assert kinds[-2:] == ["retrieval", "assistant_message"]
    page.locator('[data-step-type="retrieval"]').last.click()
    assert "Gezocht op:" in page.locator('[data-step-type="retrieval"]').last.inner_text()
    text = reply.inner_text()
    assert "Bronnen" in text and ESSAY_TITLE in text
    # The side panel stays closed until a marker is clicked (Chainlit would open it with every passage).
    page.wait_for_timeout(2000)
    assert page.locator("#side-view-content").count() == 0
    marker = reply.locator("a.element-link", has_text="[1]").first
    marker.click()
    side = page.locator("#side-view-content")
    side.wait_for()
    assert page.inner_text("#side-view-title").strip() == "[1]"
    assert side.locator(":scope > *").count() == 1  # exactly the clicked passage
    assert ESSAY_TITLE in side.inner_text()
    # Chainlit renders bold as span.font-bold; the first block is the heading with the document title.
    quoted = side.locator("[role=article]:not(:first-child) .font-bold")
    assert quoted.count() >= 1
    # The highlighted sentence is a real sentence of the answer's source.
    corpus = " ".join((PROJECT_ROOT / "corpus" / "vijf-bouwstenen-opgavegericht-werken.txt").read_text("utf-8").split())
    first_words = " ".join(quoted.first.inner_text().split()[:5])
    assert first_words in corpus
    shot(visitor, "antwoord-met-bron")
    assert visitor.outside_hosts() == set()


def test_on_a_narrow_screen_the_passage_opens_as_a_sheet_only_when_asked(visitor: Visitor) -> None:
    page = visitor.page
    page.set_viewport_size({"width": 600, "height": 900})
    reply = visitor.ask("Wat is de pot met goud van de lijnmanager?")
    page.wait_for_timeout(2000)
    assert page.get_by_role("dialog").count() == 0
    reply.locator("a.element-link", has_text="[1]").first.click()
    sheet = page.get_by_role("dialog")
    sheet.wait_for()
    assert page.inner_text("#side-view-title").strip() == "[1]"
    assert page.locator("#side-view-content > *").count() == 1
    assert "De pot met goud van de lijnmanager is zijn unieke positie." in sheet.inner_text()


def test_refusal_says_so_and_shows_the_closest_passages(visitor: Visitor) -> None:
    reply = visitor.ask(OFF_TOPIC)
    text = reply.inner_text()
    assert text.startswith(refusal_text("nl"))
    assert "Dichtstbijzijnde passages" in text
    reply.locator("a.element-link", has_text="Passage 1").first.click()
    visitor.page.locator("#side-view-content").wait_for()
    assert visitor.page.inner_text("#side-view-title").strip() == "Passage 1"
    shot(visitor, "weigering")


def test_conversation_survives_a_reload_with_its_sources(visitor: Visitor) -> None:
    page = visitor.page
    reply = visitor.ask(BOUWSTENEN)
    answer_start = reply.inner_text().split("\n")[0][:60]
    page.wait_for_url(re.compile(r"/thread/"))
    page.reload()
    page.wait_for_selector('[data-step-type="assistant_message"]')
    restored = page.locator('[data-step-type="assistant_message"] .message-content').last
    assert answer_start in restored.inner_text()
    page.wait_for_timeout(2000)
    assert page.locator("#side-view-content").count() == 0  # a reload does not open every passage either
    restored.locator("a.element-link", has_text="[1]").first.click()
    assert ESSAY_TITLE in page.locator("#side-view-content").inner_text()


def test_feedback_with_a_comment_is_stored_in_sqlite(visitor: Visitor, server) -> None:  # noqa: ANN001
    page = visitor.page
    visitor.ask(OFF_TOPIC)
    message = page.locator('[data-step-type="assistant_message"]').last
    message.locator(".negative-feedback-off").click()
    page.fill("textarea", "Ik zocht eigenlijk iets over reizen.")
    page.click("#submit-feedback")
    message.locator(".negative-feedback-on").wait_for()
    with sqlite3.connect(server.chat_db) as conn:
        stored = conn.execute("""SELECT "value", "comment" FROM feedbacks""").fetchall()
    assert stored == [(0, "Ik zocht eigenlijk iets over reizen.")]
    # What a maintainer reads back: the question and the answer the thumbs were about.
    (row,) = read_feedback(server.chat_db)
    assert row.question == OFF_TOPIC and row.answer.startswith(refusal_text("nl"))
    assert row.comment == "Ik zocht eigenlijk iets over reizen." and row.value == 0


def test_settings_panel_shows_the_backend_and_the_documents(visitor: Visitor) -> None:
    page = visitor.page
    page.click("#chat-settings-open-modal")
    panel = page.get_by_role("dialog")
    panel.wait_for()
    text = panel.inner_text()
    assert "Documenten om in te zoeken" in text and "Aantal passages" in text and "Antwoordwijze" in text
    assert "Taalmodel ingesteld: nee" in text
    assert page.input_value("#backend") == "extractief (geen taalmodel)"
    for title in ("Inspiratiegids opgavegericht werken", "De opgave aan tafel"):
        assert title in text
    shot(visitor, "instellingen")


def test_leeropdracht_is_drafted_after_asking_for_the_situation_and_downloads_work(visitor: Visitor) -> None:
    page = visitor.page
    page.click("#chat-profiles")
    page.click('[data-test="select-item:Leeropdracht maken"]')
    page.wait_for_selector("#starter-lijnmanager")
    question = visitor.ask("Maak een leeropdracht voor een lijnmanager.")
    assert "In welke situatie staat de lijnmanager?" in question.inner_text()
    reply = visitor.ask("Een nieuwe opgave rond jeugdzorg vraagt medewerkers uit drie afdelingen.")
    text = reply.inner_text()
    for heading in ("Reflectievragen", "Oefening", "Reflectie", "Bronnen"):
        assert heading in text
    shot(visitor, "leeropdracht")
    message = page.locator('[data-step-type="assistant_message"]').last
    with page.expect_download() as md_download:
        message.locator("a[download$='.md']").click()
    markdown = md_download.value.path().read_text(encoding="utf-8")
    assert markdown.startswith("# ") and "lijnmanager" in markdown.lower()
    with page.expect_download() as docx_download:
        message.locator("a[download$='.docx']").click()
    data = docx_download.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "lijnmanager" in body.lower()
    assert visitor.outside_hosts() == set()


def test_ordinary_users_get_no_way_to_upload(visitor: Visitor) -> None:
    page = visitor.page
    page.wait_for_selector("#starter-motie-50")
    assert page.locator("#upload-button").count() == 0
    assert page.get_by_text("Document toevoegen").count() == 0
    assert page.locator("input[type=file]").count() == 0
