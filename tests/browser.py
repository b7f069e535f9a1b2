"""Fixtures for the chat UI: a real ``opgavewijzer serve`` and Debian's Chromium driven by Playwright.

Each test module gets its own server (module-scoped) on a free 127.0.0.1
port, with its own Chainlit app root (a copy of ``ui/``, so nothing is
written into the repository) and its own chat database. The index is the
session's real corpus index; a module that changes the index (uploads)
copies it first. Every page records the hosts it contacts.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Coroutine, Iterator, TypeVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pydantic import SecretStr

from opgavewijzer.settings import PROJECT_ROOT, Settings
from tests.servers import background, free_port

T = TypeVar("T")
UI_ROOT = PROJECT_ROOT / "ui"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
MAINTAINER_PASSWORD = "beheer-test-wachtwoord"
# Generous: the machine may be busy; no test asserts on time.
SERVER_START_S = 120
ANSWER_S = 120_000  # Playwright timeouts are in milliseconds


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end in a thread of its own.

    Playwright's sync API keeps an event loop running in the main thread for
    as long as the session's browser lives, so ``asyncio.run`` there fails.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _generated(folder: str, names: list[str]) -> set[str]:
    """What Chainlit writes into an app root: uploads, and translations other than our own."""
    if Path(folder).name == "translations":
        return {n for n in names if n != "nl.json"}
    return {".files"} & set(names)


def copy_app_root(dest: Path) -> Path:
    """A fresh Chainlit app root: the project's ``ui/`` without anything Chainlit generated."""
    shutil.copytree(UI_ROOT, dest, ignore=_generated)
    return dest


def isolate_chainlit_import() -> None:
    """Call before importing Chainlit in the test process: it writes its folders into the app root."""
    if "CHAINLIT_APP_ROOT" not in os.environ:
        os.environ["CHAINLIT_APP_ROOT"] = str(copy_app_root(Path(tempfile.mkdtemp(prefix="opgavewijzer-ui-")) / "ui"))


@dataclass
class ChatServer:
    """A running chat server and where it keeps its data."""

    url: str
    settings: Settings
    chat_db: Path
    log: Path
    env: dict[str, str] = field(default_factory=dict)


def server_env(settings: Settings, app_root: Path) -> dict[str, str]:
    """Environment of a test server: exactly these settings, its own app root; offline."""
    from opgavewijzer.cli.ui import settings_environment

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPGAVEWIJZER_", "CHAINLIT_"))}
    env.update(settings_environment(settings))
    env.update({"CHAINLIT_APP_ROOT": str(app_root), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "False"})
    return env


@contextmanager
def chat_server(settings: Settings, workdir: Path, **extra_env: str) -> Iterator[ChatServer]:
    """``opgavewijzer serve`` on a free port, stopped when the block ends."""
    workdir.mkdir(parents=True, exist_ok=True)
    app_root = copy_app_root(workdir / "ui")
    chat_db = settings.ui.feedback_db or workdir / "chat.sqlite3"  # servers meant to share one get it passed in
    settings = settings.override(ui__feedback_db=chat_db, ui__maintainer_password=SecretStr(MAINTAINER_PASSWORD))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**server_env(settings, app_root), **extra_env}
    cli = Path(sys.executable).with_name("opgavewijzer")
    log = workdir / "server.log"
    # cwd: a folder without a .env file, so only the environment above configures the server.
    with background([str(cli), "serve", "--host", "127.0.0.1", "--port", str(port)], url, SERVER_START_S, log,
                    env=env, cwd=workdir):
        yield ChatServer(url=url, settings=settings, chat_db=chat_db, log=log, env=env)


def ensure_account(settings: Settings, name: str, password: str) -> None:
    """A local account for ``name``, made as a maintainer would with ``opgavewijzer users add``."""
    from opgavewijzer.errors import AccountError
    from ui.auth import MAINTAINER, Accounts, normalise_name
    from ui.shared_db import SharedDb

    if (normalise_name(name) or "").lower() == MAINTAINER:
        return  # the settings' maintainer account, made by the server itself
    db = SharedDb.open(settings)  # the chat database of these settings, where the server looks
    try:
        Accounts(db).add(name, password)
    except AccountError:
        pass  # made by an earlier test of this module
    finally:
        db.close()


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium under Playwright, one per test module.

    Module scope, because each module imports this fixture (and so defines its own):
    two Playwright sync sessions must never be open at once.
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visitor:
    """One person in their own browser context, with the hosts their page contacted."""

    def __init__(self, browser, server: ChatServer) -> None:  # noqa: ANN001
        self.server = server
        self.context = browser.new_context(locale="nl-NL", accept_downloads=True, viewport={"width": 1400, "height": 900})
        self.context.set_default_timeout(ANSWER_S)
        self.requested: list[str] = []
        self.session_ids: list[str] = []
        self.context.on("request", self._record)
        self.page = self.context.new_page()

    def _record(self, request) -> None:  # noqa: ANN001
        self.requested.append(request.url)
        if request.url.endswith("/set-session-cookie") and request.post_data:
            self.session_ids.append(json.loads(request.post_data)["session_id"])

    def session_id(self, wait_s: float = 30) -> str:
        """The id of the page's current chat session (as the page tells the server).

        The starters are drawn from the project settings, which can arrive
        before the page opens its chat session; so wait for the session a while.
        """
        for _ in range(int(wait_s * 10)):
            if self.session_ids:
                break
            self.page.wait_for_timeout(100)  # lets Playwright deliver the request events
        assert self.session_ids, "the page has not opened a chat session"
        return self.session_ids[-1]

    def login(self, name: str, password: str) -> "Visitor":
        """Log in through the login form and wait for the chat (making the account first, if it is new)."""
        ensure_account(self.server.settings, name, password)
        page = self.page
        page.goto(self.server.url)
        page.fill("#email", name)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("#chat-input")
        return self

    def outside_hosts(self) -> set[str]:
        """Hosts other than the server that the page asked for anything."""
        local = urlsplit(self.server.url).netloc
        return {urlsplit(u).netloc for u in self.requested
                if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != local}

    def ask(self, text: str):  # noqa: ANN201
        """Send a message and return the locator of the reply once it is complete."""
        page = self.page
        before = page.locator('[data-step-type="assistant_message"]').count()
        for attempt in range(3):
            # A new chat (after a profile switch) redraws the message box, which can drop what was typed.
            page.fill("#chat-input", text)
            try:
                page.click("#chat-submit", timeout=10_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        # Done: a new reply with text, the send button back in place of the stop button, and no
        # blinking cursor (the stop button shows only once the chat's first exchange is stored).
        page.wait_for_function(
            """n => {
                 const replies = document.querySelectorAll('[data-step-type="assistant_message"] .message-content');
                 return replies.length > n && replies[replies.length - 1].innerText.trim().length > 0
                        && !document.querySelector('#stop-button') && !!document.querySelector('#chat-submit')
                        && !document.querySelector('.loading-cursor');
               }""",
            arg=before,
        )
        return page.locator('[data-step-type="assistant_message"] .message-content').last

    def close(self) -> None:
        """Close the browser context."""
        self.context.close()


# ---------------------------------------------------------------- accessibility checks
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one level-one heading, heading order).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
BLOCKING_IMPACTS = ("critical", "serious")
# Nothing moving when axe looks: CSS transitions (theme colours, the side panel sliding in) and finite CSS
# animations (a dialog fading and zooming in) done. Mid-fade, a dialog's text is part transparent and axe
# measured too little contrast in it (one CI run in several). Endless animations (a skeleton's pulse) are
# left out, or the wait would never end.
_STILL_JS = """() => document.getAnimations().every(a => a.playState !== 'running'
    || (!!a.effect && a.effect.getComputedTiming().iterations === Infinity))"""


def axe_violations(page) -> list[dict[str, Any]]:  # noqa: ANN001
    """axe-core's violations on the page as it is now (the axe-core that axe-playwright-python bundles)."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_function(_STILL_JS)
    options = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def violation_lines(violations: list[dict[str, Any]], impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[str]:
    """One readable line per offending element, for violations of the given impacts."""
    return [f"{v['id']} ({v['impact']}): {', '.join(map(str, n['target']))}  {n['html'][:160]}"
            for v in violations if v["impact"] in impacts for n in v["nodes"]]


def use_theme(page, label: str) -> None:  # noqa: ANN001
    """Switch the colour scheme through Chainlit's own menu ("Licht", "Donker") and wait until it applies."""
    page.click("#theme-toggle")
    page.get_by_role("menuitem", name=label, exact=True).click()
    page.wait_for_function("dark => document.documentElement.classList.contains('dark') === dark", arg=label == "Donker")
    page.wait_for_function(_STILL_JS)
