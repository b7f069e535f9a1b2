"""The "Bronnen" view in the browser: offered on the welcome screen, readable by keyboard and screen reader, axe clean."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kb.guides import guides_from_extras, save_checked_questions
from tests.browser import Visitor, axe_violations, chat_server, chromium, use_theme, violation_lines  # noqa: F401
from ui.guides_view import guide_section

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(corpus_kb, corpus_settings, tmp_path_factory):  # noqa: ANN001, ANN201
    # The questions a guide offers are checked by 'opgavewijzer ingest' (tested in tests/assistant); here two
    # candidates per document are stored as checked, so that the view has buttons to press.
    guides = guides_from_extras(corpus_kb.info.extras)
    save_checked_questions(corpus_kb.store, corpus_kb.info.collection, {d: list(g.questions[:2]) for d, g in guides.items()})
    with chat_server(corpus_settings, tmp_path_factory.mktemp("chat-guides")) as running:
        yield running


def _clean(page, screen: str) -> None:  # noqa: ANN001
    violations: list[dict[str, Any]] = axe_violations(page)
    assert violation_lines(violations, ("critical", "serious", "moderate", "minor")) == [], screen


def test_the_view_opens_from_the_welcome_screen_and_its_points_and_buttons_work(chromium, server, corpus_kb) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("Bronnen Lezer", "wachtwoord")
    page = visitor.page
    page.wait_for_selector("#starter-bronnen-bekijken").click()
    titles = [r.title for r in corpus_kb.info.documents.values()]
    for title in titles:  # one heading per document, in the order of the index
        page.get_by_role("heading", name=title, level=2).wait_for()
    page.wait_for_function("() => !document.querySelector('#stop-button, .loading-cursor')")
    # One message holds every document.
    view = page.locator('[data-step-type="assistant_message"]').filter(has=page.get_by_role("heading", level=2))
    assert view.count() == 1 and view.get_by_role("heading", level=2).all_inner_texts() == titles
    _clean(page, "bronnen (licht)")
    use_theme(page, "Donker")
    _clean(page, "bronnen (donker)")
    # A key point's marker opens its passage in the side panel, as a citation does; by keyboard too. The markers
    # run on across the documents: the second document's first marker opens a passage of that document.
    guides = guides_from_extras(corpus_kb.info.extras)
    first_of_second = len(guide_section(guides[next(iter(corpus_kb.info.documents))], None, corpus_kb.chunk).elements) + 1
    for n, title in ((1, titles[0]), (first_of_second, titles[1])):
        link = view.get_by_role("link", name=f"Bron {n}", exact=True)
        assert link.count() == 1, n
        link.focus()
        page.keyboard.press("Enter")
        panel = page.get_by_role("region", name=f"Bronpassage [{n}]")
        panel.wait_for()
        assert title in panel.inner_text()
    # A suggested question is a button, named with its document's short title, that asks it.
    guide = guides[next(iter(corpus_kb.info.documents))]
    button = view.get_by_role("button", name=f"{guide.short_title or guide.title}: {guide.questions[0]}", exact=True)
    before = page.locator('[data-step-type="assistant_message"] .message-content').count()
    button.click()
    page.wait_for_function("""n => { const r = document.querySelectorAll('[data-step-type="assistant_message"] .message-content');
                                     return r.length > n && r[r.length - 1].innerText.trim().length > 0
                                            && !document.querySelector('#stop-button, .loading-cursor'); }""", arg=before)
    reply = page.locator('[data-step-type="assistant_message"] .message-content').last.inner_text()
    assert re.search(r"“.+” \[1\]", reply)  # an overview answer: quoted key points, cited
    visitor.close()
