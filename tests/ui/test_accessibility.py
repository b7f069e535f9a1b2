"""WCAG 2.1 AA in the chat UI: axe-core on every screen in both themes, the keyboard, screen readers.

The browser tests run Debian Chromium against a real ``opgavewijzer serve`` on
the session's corpus index, and check each screen with axe-core (from
``axe-playwright-python``) in the light and the dark theme: no critical or
serious violation, and no moderate or minor one beyond those the README lists
with a reason (none at present). axe cannot judge everything; the keyboard
walk, the announcements and the language marks are checked directly. The
colour pairs of ``ui/public/theme.json`` are checked without a browser.
"""

from __future__ import annotations

import colorsys
import json
import re
from typing import Any, Callable, Iterator

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from opgavewijzer.settings import PROJECT_ROOT
from tests.browser import (MAINTAINER_PASSWORD, Visitor, axe_violations, chat_server, chromium,  # noqa: F401
                           ensure_account, use_theme, violation_lines)

THEME = PROJECT_ROOT / "ui" / "public" / "theme.json"
REPORT = PROJECT_ROOT / "reports" / "ui" / "toegankelijkheid.json"
ESSAY_TITLE = "Succesvol opgavegericht werken bij de overheid. Vijf bouwstenen om niet langer te stoeien"
BOUWSTENEN = "Wat zijn de vijf bouwstenen voor succesvol opgavegericht werken bij de overheid?"
# Moderate or minor axe findings accepted with a reason in the README ("Toegankelijkheid"); none at present.
ACCEPTED: frozenset[str] = frozenset()
# Texts of Chainlit's own components that would reach a screen reader in English.
ENGLISH = ("Toggle theme", "Toggle Sidebar", '"Close"', "Avatar for", "Select profile", '"Image"', '"logo"',
           "Light Theme", "Dark Theme", "No threads found", "Notifications")

# ---------------------------------------------------------------- colours (no browser)
# Text needs 4.5:1 (WCAG 1.4.3); focus rings and input borders 3:1 (WCAG 1.4.11).
TEXT_PAIRS = [
    ("foreground", "background"), ("card-foreground", "card"), ("popover-foreground", "popover"),
    ("primary-foreground", "primary"), ("secondary-foreground", "secondary"), ("muted-foreground", "background"),
    ("muted-foreground", "muted"), ("muted-foreground", "accent"), ("accent-foreground", "accent"),
    ("destructive-foreground", "destructive"), ("sidebar-foreground", "sidebar-background"),
    ("sidebar-accent-foreground", "sidebar-accent"), ("sidebar-primary-foreground", "sidebar-primary"),
    ("ow-highlight-foreground", "ow-highlight"),
]
NON_TEXT_PAIRS = [("ring", "background"), ("ring", "card"), ("ring", "accent"), ("sidebar-ring", "sidebar-background"),
                  ("input", "background"), ("input", "card")]


def _luminance(hsl: str) -> float:
    hue, sat, light = (float(part.rstrip("%")) for part in hsl.split())
    channels = colorsys.hls_to_rgb(hue / 360, light / 100, sat / 100)
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours written as theme.json does ('210 15% 12%')."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_wcag() -> None:
    assert contrast("0 0% 0%", "0 0% 100%") == pytest.approx(21.0)
    assert contrast("0 0% 46.27%", "0 0% 100%") == pytest.approx(4.54, abs=0.01)  # #767676 on white


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_theme_colours_have_enough_contrast(theme: str) -> None:
    colours = json.loads(THEME.read_text(encoding="utf-8"))["variables"][theme]
    low = [f"{fg} on {bg}: {contrast(colours['--' + fg], colours['--' + bg]):.2f}"
           for fg, bg in TEXT_PAIRS if contrast(colours["--" + fg], colours["--" + bg]) < 4.5]
    low += [f"{fg} on {bg}: {contrast(colours['--' + fg], colours['--' + bg]):.2f}"
            for fg, bg in NON_TEXT_PAIRS if contrast(colours["--" + fg], colours["--" + bg]) < 3.0]
    assert low == []


def test_the_page_tells_english_from_dutch_with_the_assistants_words() -> None:
    """The script marks English with the same function words as ``detect_language`` (they must not drift)."""
    from opgavewijzer import text

    script = (PROJECT_ROOT / "ui" / "public" / "opgavewijzer.js").read_text(encoding="utf-8")

    def words(name: str) -> set[str]:
        literal = re.search(name + r' = new Set\(\(((?:"[^"]*"\s*\+?\s*)+)\)', script)
        assert literal, name
        return set(" ".join(re.findall(r'"([^"]*)"', literal.group(1))).split())

    assert words("EN_WORDS") == set(text._EN_WORDS)
    assert words("NL_WORDS") == set(text._NL_WORDS)


# ---------------------------------------------------------------- the browser
@pytest.fixture(scope="module")
def server(corpus_kb, corpus_settings, tmp_path_factory):  # noqa: ANN001, ANN201
    with chat_server(corpus_settings, tmp_path_factory.mktemp("chat-a11y")) as running:
        yield running


@pytest.fixture(scope="module")
def findings() -> Iterator[dict[str, Any]]:
    """What axe found per screen and theme; written to reports/ui/ for the accessibility statement."""
    found: dict[str, Any] = {}
    yield found
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(found, indent=2, ensure_ascii=False), encoding="utf-8")


def settled(page) -> None:  # noqa: ANN001
    """Wait until the chat page is complete: our additions, the settings from the chat socket, the history."""
    page.wait_for_selector("#ow-top", state="attached")
    page.wait_for_selector("#chat-settings-open-modal")
    page.wait_for_function("""() => { const h = document.querySelector('#thread-history');
                                      return !!h && !h.querySelector('.animate-pulse') && h.childElementCount > 0; }""")


def reply_to(page, action: Callable[[], None]):  # noqa: ANN001, ANN201
    """Do ``action`` (a click on a button of a message) and return the reply once it is complete."""
    replies = '[data-step-type="assistant_message"] .message-content'
    before = page.locator(replies).count()
    action()
    page.wait_for_function("""([selector, n]) => { const r = document.querySelectorAll(selector);
                                 return r.length > n && r[r.length - 1].innerText.trim().length > 0
                                        && !document.querySelector('#stop-button, .loading-cursor'); }""",
                           arg=[replies, before])
    return page.locator(replies).last


def audit(page, findings: dict[str, Any], screen: str, theme: str) -> None:  # noqa: ANN001
    """axe on the page as it is: nothing critical or serious, nothing else beyond what the README accepts."""
    violations = axe_violations(page)
    findings.setdefault(screen, {})[theme] = {v["id"]: {"impact": v["impact"], "nodes": len(v["nodes"])}
                                              for v in violations}
    assert violation_lines(violations) == [], f"{screen} ({theme})"
    other = [v for v in violations if v["id"] not in ACCEPTED]
    assert violation_lines(other, ("moderate", "minor")) == [], f"{screen} ({theme})"
    snapshot = page.locator("body").aria_snapshot()
    assert [word for word in ENGLISH if word in snapshot] == [], f"{screen} ({theme})"


def audit_both_themes(page, findings: dict[str, Any], screen: str) -> None:  # noqa: ANN001
    """The audit in the light theme, then again after switching to the dark theme."""
    audit(page, findings, screen, "light")
    use_theme(page, "Donker")
    audit(page, findings, screen, "dark")


@pytest.mark.browser
@pytest.mark.slow
def test_login_page(chromium, server, findings) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server)
    page = visitor.page
    for theme in ("light", "dark"):
        page.goto(server.url)
        page.get_by_role("heading", name="Inloggen bij Opgavewijzer", level=1).wait_for()
        page.wait_for_selector("#ow-top", state="attached")
        assert page.get_attribute("html", "lang") == "nl"
        assert page.get_by_role("main").count() == 1
        assert page.get_by_role("button", name="Wachtwoord tonen").count() == 1
        audit(page, findings, "login", theme)
        page.evaluate("() => localStorage.setItem('vite-ui-theme', 'dark')")  # what the theme menu stores
    visitor.close()


@pytest.mark.browser
@pytest.mark.slow
def test_welcome_screen(chromium, server, findings) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("Toegankelijk Welkom", "wachtwoord")
    page = visitor.page
    settled(page)
    assert page.get_by_role("heading", level=1).all_inner_texts() == ["Opgavewijzer: vragen over opgavegericht werken"]
    assert page.get_by_role("navigation", name="Eerdere chats").count() == 1
    for name in ("Nieuwe chat", "Zoeken in eerdere chats", "Instellingen", "Vraag versturen", "Gebruikersmenu"):
        assert page.get_by_role("button", name=name, exact=True).count() == 1, name
    audit_both_themes(page, findings, "welkom")
    visitor.close()


@pytest.mark.browser
@pytest.mark.slow
def test_answer_with_its_source_open(chromium, server, findings) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("Toegankelijk Antwoord", "wachtwoord")
    page = visitor.page
    settled(page)
    reply = visitor.ask(BOUWSTENEN)
    for name in ("Antwoord kopiëren", "Nuttig", "Niet nuttig"):
        assert page.get_by_role("button", name=name, exact=True).count() == 1, name
    reply.get_by_role("link", name="Bron 1", exact=True).first.click()
    panel = page.get_by_role("region", name="Bronpassage [1]")
    panel.wait_for()
    assert ESSAY_TITLE in panel.inner_text()
    audit_both_themes(page, findings, "antwoord met bron")
    visitor.close()


@pytest.mark.browser
@pytest.mark.slow
def test_settings_dialog(chromium, server, findings) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("Toegankelijk Instellingen", "wachtwoord")
    page = visitor.page
    settled(page)
    for theme in ("light", "dark"):
        if theme == "dark":
            use_theme(page, "Donker")
        page.get_by_role("button", name="Instellingen", exact=True).click()
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        assert dialog.get_by_role("slider", name="Aantal passages").count() == 1
        assert dialog.get_by_role("button", name="Niet zoeken in: De opgave aan tafel", exact=False).count() == 1
        audit(page, findings, "instellingen", theme)
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")
    visitor.close()


@pytest.mark.browser
@pytest.mark.slow
def test_leeropdracht_intake_and_draft(chromium, server, findings) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("Toegankelijk Leeropdracht", "wachtwoord")
    page = visitor.page
    settled(page)
    page.get_by_role("combobox", name="Chatprofiel").click()
    page.click('[data-test="select-item:Leeropdracht maken"]')
    page.wait_for_selector("#starter-lijnmanager")
    settled(page)
    visitor.ask("Maak een leeropdracht.")  # no role named: the roles are offered as buttons
    role = page.get_by_role("button", name=re.compile(r"^lijnmanager$", re.IGNORECASE))
    role.wait_for()
    audit(page, findings, "leeropdracht: rol kiezen", "light")
    question = reply_to(page, role.click)
    assert "In welke situatie staat de lijnmanager?" in question.inner_text()
    reply = visitor.ask("Een nieuwe opgave rond jeugdzorg vraagt medewerkers uit drie afdelingen.")
    reply.locator("a[download$='.docx']").wait_for()
    audit_both_themes(page, findings, "leeropdracht")
    visitor.close()


@pytest.mark.browser
@pytest.mark.slow
def test_maintainer_upload(chromium, server, findings) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("beheerder", MAINTAINER_PASSWORD)
    page = visitor.page
    page.get_by_text("U bent ingelogd als beheerder.").wait_for()
    page.get_by_role("button", name="Document toevoegen", exact=True).last.click()
    page.wait_for_selector("#ask-upload-button")  # the drop zone; no file is chosen, the index stays as it is
    audit_both_themes(page, findings, "beheerder: document toevoegen")
    visitor.close()


# ---------------------------------------------------------------- keyboard, announcements, language
@pytest.mark.browser
@pytest.mark.slow
def test_keyboard_only_from_the_question_box_to_a_citation_and_back(chromium, server) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server)
    page, keys = visitor.page, visitor.page.keyboard
    focused = "() => document.activeElement"
    # The login, by keyboard: the skip link is the first stop and leads to the form.
    ensure_account(server.settings, "Toetsenbord Gebruiker", "wachtwoord")
    page.goto(server.url)
    page.get_by_role("heading", name="Inloggen bij Opgavewijzer").wait_for()
    page.wait_for_selector("#ow-top", state="attached")
    # The name field has focus on arrival; the skip link is the stop before it, shown while focused.
    page.wait_for_function("() => document.activeElement.id === 'email'")
    skip = page.get_by_role("link", name="Naar het inlogformulier")
    assert skip.bounding_box()["y"] < 0  # out of sight until it has focus
    keys.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Naar het inlogformulier"
    page.wait_for_function("() => document.activeElement.getBoundingClientRect().top >= 0")
    keys.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "email"
    keys.type("Toetsenbord Gebruiker")
    keys.press("Tab")
    keys.type("wachtwoord")
    keys.press("Enter")
    settled(page)
    # The question box has focus on arrival; Enter sends the question.
    for attempt in range(3):
        page.wait_for_function("() => document.activeElement.id === 'chat-input'")
        keys.type(BOUWSTENEN)
        keys.press("Enter")
        try:  # a new chat may redraw the message box and drop what was typed (as in Visitor.ask)
            page.wait_for_selector('[data-step-type="user_message"]', timeout=15_000)
            break
        except PlaywrightTimeout:
            assert attempt < 2, "the question was not sent"
            keys.press("Control+A")
            keys.press("Delete")
    page.wait_for_function("""() => { const r = document.querySelectorAll('[data-step-type="assistant_message"] .message-content');
                                      return r.length > 0 && r[r.length - 1].innerText.trim().length > 0
                                             && !document.querySelector('#stop-button, .loading-cursor'); }""")
    page.wait_for_function("""() => { const live = document.querySelector('#ow-live').textContent;
                                      return live.length > 0 && !live.startsWith('Opgavewijzer werkt'); }""")
    reply = page.locator('[data-step-type="assistant_message"] .message-content').last
    # Screen readers hear the whole answer once it is complete.
    assert page.inner_text("#ow-live").split() == reply.inner_text().split()
    assert page.get_attribute("#ow-live", "aria-live") == "polite"
    # Chainlit may show its stop button a moment after the answer was read (when it stores the chat's first
    # exchange). That timing cannot be provoked on demand, so the button is put in and taken out here: the
    # live region says "werkt" while it shows, and the answer again once it is gone, with no new question.
    page.evaluate("() => { const b = document.createElement('button'); b.id = 'stop-button'; document.body.append(b); }")
    page.wait_for_function("() => document.querySelector('#ow-live').textContent.startsWith('Opgavewijzer werkt')")
    page.evaluate("() => document.getElementById('stop-button').remove()")
    page.wait_for_function("() => !document.querySelector('#ow-live').textContent.startsWith('Opgavewijzer werkt')",
                           timeout=10_000)
    assert page.inner_text("#ow-live").split() == reply.inner_text().split()
    # Back from the question box to the nearest citation marker.
    for _ in range(60):
        keys.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.matches('a.element-link')"):
            break
    marker = page.evaluate("""() => { const a = document.activeElement, step = a.closest('[id^=step-]');
                                      const all = [...step.querySelectorAll('a.element-link')];
                                      const same = all.filter(m => m.textContent === a.textContent);
                                      const style = getComputedStyle(a);
                                      return {text: a.textContent, name: a.getAttribute('aria-label'), step: step.id,
                                              index: same.indexOf(a), last: all[all.length - 1] === a,
                                              outline: style.outlineStyle, width: style.outlineWidth}; }""")
    # The nearest marker going back is the last line of the Bronnen list, named for a screen reader.
    assert marker["last"] and marker["name"] == f"Bron {marker['text'].strip('[]')}"
    assert marker["outline"] == "solid" and marker["width"] == "3px"  # the focus is visible
    for close_with in ("Escape", "button"):
        keys.press("Enter")
        panel = page.get_by_role("region", name=f"Bronpassage {marker['text']}")
        panel.wait_for()
        assert page.evaluate(f"{focused}.getAttribute('aria-label')") == f"Bronpassage {marker['text']}"
        assert ESSAY_TITLE in panel.inner_text()
        if close_with == "Escape":
            keys.press("Escape")
        else:
            keys.press("Tab")
            assert page.evaluate(f"{focused}.getAttribute('aria-label')") == "Passage sluiten"
            keys.press("Enter")
        page.locator("#side-view-content").wait_for(state="detached")
        page.wait_for_function("m => document.activeElement.matches('a.element-link')"
                               " && document.activeElement.closest('[id^=step-]').id === m.step", arg=marker)
        back = page.evaluate("""() => { const a = document.activeElement, step = a.closest('[id^=step-]');
                                        return [...step.querySelectorAll('a.element-link')]
                                               .filter(m => m.textContent === a.textContent).indexOf(a); }""")
        assert (page.evaluate(f"{focused}.textContent"), back) == (marker["text"], marker["index"])
    visitor.close()


@pytest.mark.browser
@pytest.mark.slow
def test_english_text_is_marked_english_and_the_page_dutch(chromium, server) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("Toegankelijk Taal", "wachtwoord")
    page = visitor.page
    settled(page)
    visitor.ask("What does the essay say about the five building blocks of mission-oriented working?")
    question = page.locator('[data-step-type="user_message"] .message-content pre').last
    assert question.get_attribute("lang") == "en"
    reply = page.locator('[data-step-type="assistant_message"] .message-content').last
    page.wait_for_function("() => !document.querySelector('#stop-button, .loading-cursor')")
    # The English lead-in is marked English (a paragraph of its own, or its opening before the quotes) ...
    english = reply.locator("[lang=en]").first
    english.wait_for(state="attached")
    assert english.inner_text().startswith("According to"), reply.inner_text()
    # ... and the quotes from the Dutch sources are not: they inherit the page's Dutch.
    assert all("\u201c" not in text for text in reply.locator("[lang=en]").all_inner_texts())
    assert "\u201c" in reply.inner_text()
    assert page.get_attribute("html", "lang") == "nl"
    visitor.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_chat_in_the_history_opens_its_menu_from_the_keyboard(chromium, server) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, server).login("Toegankelijk Geschiedenis", "wachtwoord")
    page = visitor.page
    settled(page)
    visitor.ask(BOUWSTENEN)
    link = page.get_by_role("navigation", name="Eerdere chats").locator("a[href^='/thread/']").first
    link.wait_for()
    assert link.get_attribute("aria-keyshortcuts") == "Shift+F10"
    assert link.locator("button").get_attribute("tabindex") == "-1"  # one Tab stop per chat: the link
    link.focus()
    page.keyboard.press("Shift+F10")
    page.get_by_role("menu").wait_for()
    assert page.get_by_role("menuitem").all_inner_texts() == ["Hernoemen", "Verwijderen"]
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "menuitem"
    page.keyboard.press("Escape")
    page.get_by_role("menu").wait_for(state="detached")
    page.wait_for_function("() => document.activeElement.matches(\"[data-sidebar=sidebar] a[href^='/thread/']\")")
    visitor.close()
