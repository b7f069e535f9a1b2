"""The security policy in Debian's Chromium: the chat works under it, typed addresses stay text, Dutch refusals.

A real ``opgavewijzer serve`` on a one-document index. The page records
every Content-Security-Policy violation; there must be none.
"""

from __future__ import annotations

import pytest

from tests.browser import Visitor, chat_server, chromium, ensure_account  # noqa: F401  (fixture)
from ui.throttle import FREE_FAILURES_PER_NAME

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "een-lang-wachtwoord"
WATCH_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""
QUESTION = "Wat is opgavegericht werken? Zie [de notitie](https://evil.example/x) en www.evil.example"


@pytest.fixture(scope="module")
def server(tiny_settings, tmp_path_factory):  # noqa: ANN001, ANN201
    with chat_server(tiny_settings, tmp_path_factory.mktemp("security-browser")) as running:
        yield running


def test_the_chat_runs_under_the_strict_policy_and_shows_typed_addresses_as_text(chromium, server) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server)
    visitor.context.add_init_script(WATCH_CSP)
    page = visitor.login("Anna Veilig", PASSWORD).page
    visitor.ask(QUESTION)
    searched = page.get_by_text("Gezocht op:")
    if not searched.is_visible():
        page.get_by_text("Zoeken in de bronnen").first.click()
    searched.wait_for(state="visible")
    assert "evil.example" in page.locator("body").inner_text()  # shown, as text
    assert page.locator('a[href*="evil.example"]').count() == 0  # and never as a link
    assert page.evaluate("window.__csp") == []
    assert visitor.outside_hosts() == set()
    visitor.close()


def test_wrong_passwords_and_throttling_are_told_in_dutch(chromium, server) -> None:  # noqa: ANN001, F811
    ensure_account(server.settings, "Anna Veilig", PASSWORD)
    visitor = Visitor(chromium, server)
    page = visitor.page
    page.goto(server.url)

    def try_password(password: str) -> None:
        page.fill("#email", "Anna Veilig")
        page.fill("#password", password)
        with page.expect_response(lambda r: r.url.endswith("/login")):
            page.click("button[type=submit]")

    try_password("verkeerd-wachtwoord")
    page.get_by_text("Naam of wachtwoord klopt niet. Een account krijgt u van de beheerder.").wait_for()
    for i in range(FREE_FAILURES_PER_NAME + 1):  # the free failures, and the one that starts the wait
        try_password(f"verkeerd-{i}")
    page.get_by_text("Te veel mislukte inlogpogingen. Wacht even en probeer het dan opnieuw.").wait_for()
    visitor.close()
