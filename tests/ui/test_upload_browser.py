"""Maintainer uploads end to end: refused for ordinary users, checked, ingested and searchable.

The server of this module works on its own copy of the session's corpus
index, because an accepted upload changes the index.
"""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ui.views import ACTION_UPLOAD
from ingest.loaders import MSG_PDF_CORRUPT
from opgavewijzer.settings import PROJECT_ROOT, Settings
from tests.browser import MAINTAINER_PASSWORD, Visitor, chat_server, chromium  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = PROJECT_ROOT / "reports" / "ui"
FACT_DOC = """# De Zilverreiger-afspraak

De Zilverreiger-afspraak is een werkwijze die de gemeente Kwakzandstad in 2031 invoerde voor
al haar maatschappelijke opgaven. Volgens de Zilverreiger-afspraak neemt elk opgaveteam drie
stille weken in acht voordat het bestuur een besluit neemt, zodat bewoners en partners eerst
hun eigen oplossing kunnen inbrengen. De afspraak is vernoemd naar de vogel die lang stil staat
voordat hij toeslaat. Het opgaveteam legt in die weken vast wie er aan tafel moet zitten, welke
belangen er spelen en welke middelen er nodig zijn. Pas daarna schrijft de opgaveregisseur een
voorstel voor het college.
"""


@pytest.fixture(scope="module")
def server(corpus_kb, corpus_settings, tmp_path_factory):  # noqa: ANN001, ANN201
    work = tmp_path_factory.mktemp("chat-upload")
    data = work / "data"
    shutil.copytree(corpus_settings.chroma_dir, data / "chroma")
    settings = Settings(_env_file=None, data_dir=data, corpus_dir=corpus_settings.corpus_dir)
    with chat_server(settings, work) as running:
        yield running


def upload(visitor: Visitor, path) -> str:  # noqa: ANN001
    """Click 'Document toevoegen', choose ``path``, and return the final status text."""
    page = visitor.page
    replies = '[data-step-type="assistant_message"]'
    before = page.locator(replies).count()
    page.get_by_role("button", name="Document toevoegen", exact=True).last.click()
    page.wait_for_selector("#ask-upload-button")
    for attempt in range(3):
        # The drop zone may be drawn a moment before it listens; choose the file again if nothing was sent.
        try:
            with page.expect_response(lambda r: "/project/file" in r.url, timeout=15_000):
                page.set_input_files("#ask-button-input", str(path))
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.wait_for_function(
        """([selector, n, name]) => [...document.querySelectorAll(selector)].slice(n)
               .some(e => e.innerText.includes(name) && /toegevoegd|vervangen/.test(e.innerText))""",
        arg=[replies, before, path.name],
    )
    return page.locator(replies).last.inner_text()


def test_ordinary_user_has_no_upload_and_a_forged_upload_call_is_refused(chromium, server) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("Gewone Gebruiker", "wachtwoord")
    page = visitor.page
    page.wait_for_selector("#starter-motie-50")
    assert page.get_by_role("button", name="Document toevoegen", exact=True).count() == 0
    assert page.locator("input[type=file]").count() == 0
    # Calling the maintainer's upload action directly gets a refusal, not a file dialog.
    # The action must reach a session whose chat socket is open (Chainlit answers 500 for an
    # unknown session). The settings button appears only when the settings that on_chat_start
    # sends have come over that socket, so the session exists on the server from then on.
    page.wait_for_selector("#chat-settings-open-modal")
    session_id = visitor.session_id()
    response = page.request.post(f"{server.url}/project/action", data={
        "sessionId": session_id, "action": {"name": ACTION_UPLOAD, "payload": {}, "id": "vals", "label": ""},
    })
    assert response.ok
    page.get_by_text("Documenten toevoegen kan alleen de beheerder.").wait_for()
    assert page.locator("#ask-button-input").count() == 0
    assert not (server.settings.uploads_dir).exists()
    visitor.close()


def test_maintainer_upload_is_checked_then_ingested_and_searchable(chromium, server, tmp_path) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("beheerder", MAINTAINER_PASSWORD)
    page = visitor.page
    page.get_by_text("U bent ingelogd als beheerder.").wait_for()

    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00 niet echt een pdf " * 50)
    assert upload(visitor, broken).strip() == f"kapot.pdf is niet toegevoegd: {MSG_PDF_CORRUPT}."
    assert not server.settings.uploads_dir.exists() or not list(server.settings.uploads_dir.glob("*.pdf"))

    good = tmp_path / "zilverreiger_afspraak.md"
    good.write_text(FACT_DOC, encoding="utf-8")
    status = upload(visitor, good)
    assert "zilverreiger_afspraak.md is toegevoegd als document zilverreiger_afspraak" in status
    assert (server.settings.uploads_dir / "zilverreiger_afspraak.md").read_text(encoding="utf-8") == FACT_DOC
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "beheer-upload.png"))

    reply = visitor.ask("Hoeveel stille weken neemt een opgaveteam in acht volgens de Zilverreiger-afspraak?")
    text = reply.inner_text()
    # The answer names the uploaded document (by its title, or by a name made from its id).
    assert "drie" in text and re.search(r"zilverreiger[ _-]afspraak", text, re.IGNORECASE)
    reply.locator("a.element-link", has_text="[1]").first.click()
    assert "Zilverreiger-afspraak" in page.locator("#side-view-content").inner_text()
    visitor.close()
