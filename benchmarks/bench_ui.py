"""Speed of the chat UI as a person experiences it: server start and first token in the browser.

    python -m benchmarks.bench_ui

Targets (two CPU cores): the server answers its first HTTP request within 15 s
of ``opgavewijzer serve``; the first streamed token shows in the browser within
1.5 s of pressing send (extractive, warm: after one warm-up question). The
browser is Debian's Chromium driven by Playwright; the time is taken inside
the page, from the click to the moment the answer's first text is rendered.
The index must exist (``opgavewijzer ingest``); the benchmark reuses it.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from opgavewijzer.cli.ui import UI_ROOT, serve_environment
from opgavewijzer.settings import Settings
from ui.auth import Accounts
from ui.shared_db import SharedDb

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# Self-registration is off by default: the benchmark makes its account as a maintainer would.
BENCH_USER = "Benchmark"
BENCH_PASSWORD = "benchmark-wachtwoord"
QUESTIONS = [
    "Wat is opgavegericht werken?",
    "Wat zijn de vijf bouwstenen voor succesvol opgavegericht werken?",
    "Wat is een concernbrede opgave?",
    "Welke rol heeft de ambtelijk opdrachtgever?",
    "Hoe werkt de Provincie Zuid-Holland opgavegericht?",
    "Wat is de voorscheider uit de VPNG-gids?",
    "Waarom is vertrouwen belangrijk in de samenwerking rond een opgave?",
    "Wat is het verschil tussen een doel en een opgave?",
]

# Every wait has a timeout, so a lost click or a stuck server fails the stage instead of hanging.
STEP_TIMEOUT_MS = 60_000      # page loads, the login, each click
ANSWER_TIMEOUT_MS = 120_000   # one answer, from the click to its last token
SENT_TIMEOUT_MS = 10_000      # the question shows as sent; otherwise the click is tried again
CLICK_ATTEMPTS = 3

# Installed in the page before each question: the time of the send click (taken in the page,
# when the click arrives) and of the first text of the new answer. Returns at once.
_WATCH_JS = """
() => {
  const count = () => document.querySelectorAll('[data-step-type="assistant_message"]').length;
  const before = count();
  window.__benchStarted = undefined;
  window.__benchFirst = undefined;
  if (window.__benchClick) document.removeEventListener('click', window.__benchClick, true);
  window.__benchClick = event => {
    if (event.target instanceof Element && event.target.closest('#chat-submit')) window.__benchStarted = performance.now();
  };
  document.addEventListener('click', window.__benchClick, true);
  if (window.__benchObserver) window.__benchObserver.disconnect();
  const check = () => {
    const all = document.querySelectorAll('[data-step-type="assistant_message"] .message-content');
    if (count() > before && all[all.length - 1].innerText.trim().length > 0 && window.__benchStarted !== undefined) {
      window.__benchFirst = performance.now() - window.__benchStarted;
      window.__benchObserver.disconnect();
    }
  };
  window.__benchObserver = new MutationObserver(check);
  window.__benchObserver.observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""
_SENT_JS = """n => document.querySelectorAll('[data-step-type="user_message"]').length > n"""
_FIRST_JS = "() => window.__benchFirst !== undefined"
_DONE_JS = """n => document.querySelectorAll('[data-step-type="assistant_message"]').length > n
                 && !document.querySelector('#stop-button')"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ok(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the chat server stopped with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer 200 within {timeout} s")


def _app_root(dest: Path) -> Path:
    """A copy of ui/ without what Chainlit generated, so the run leaves the project untouched."""
    def generated(folder: str, names: list[str]) -> set[str]:
        if Path(folder).name == "translations":
            return {n for n in names if n != "nl.json"}
        return {".files"} & set(names)

    shutil.copytree(UI_ROOT, dest, ignore=generated)
    return dest


def _send(page, question: str) -> None:  # noqa: ANN001
    """Type the question and press send; press again if the question does not show as sent."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    sent = page.locator('[data-step-type="user_message"]').count()
    for attempt in range(CLICK_ATTEMPTS):
        page.fill("#chat-input", question)
        page.click("#chat-submit")
        try:
            page.wait_for_function(_SENT_JS, arg=sent, timeout=SENT_TIMEOUT_MS)
            return
        except PlaywrightTimeout:
            if attempt == CLICK_ATTEMPTS - 1:
                raise TimeoutError(f"the question was not sent after {CLICK_ATTEMPTS} clicks: {question!r}") from None


def _browser_figures(url: str, questions: list[str]) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=STEP_TIMEOUT_MS)
        try:
            page = browser.new_context(locale="nl-NL").new_page()
            page.set_default_timeout(STEP_TIMEOUT_MS)
            page.set_default_navigation_timeout(STEP_TIMEOUT_MS)
            page.goto(url)
            page.fill("#email", BENCH_USER)
            page.fill("#password", BENCH_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#chat-input")
            first: list[float] = []
            full: list[float] = []
            for i, question in enumerate(["Wat is een opgave?", *questions]):  # the first one warms up
                count = page.locator('[data-step-type="assistant_message"]').count()
                page.evaluate(_WATCH_JS)
                _send(page, question)
                page.wait_for_function(_FIRST_JS, timeout=ANSWER_TIMEOUT_MS)
                page.wait_for_function(_DONE_JS, arg=count, timeout=ANSWER_TIMEOUT_MS)
                first_ms = page.evaluate("() => window.__benchFirst")
                full_ms = page.evaluate("() => performance.now() - window.__benchStarted")
                if i:
                    first.append(first_ms / 1000)
                    full.append(full_ms / 1000)
        finally:
            browser.close()
    return {
        "browser_first_token_s": statistics.median(first),
        "browser_first_token_s_max": max(first),
        "browser_answer_s": statistics.median(full),
    }


def prepare_server(settings: Settings, work: Path) -> tuple[dict[str, str], int, str]:
    """The environment, a free port and the URL for a chat server in ``work``, with the bench account in its
    chat database (where the server looks accounts up)."""
    settings = settings.override(ui__feedback_db=work / "chat.sqlite3")
    db = SharedDb.open(settings)
    Accounts(db).add(BENCH_USER, BENCH_PASSWORD)
    db.close()
    env = serve_environment(settings, os.environ)
    env["CHAINLIT_APP_ROOT"] = str(_app_root(work / "ui"))
    port = _free_port()
    return env, port, f"http://127.0.0.1:{port}"


def run(settings: Settings, questions: list[str] | None = None) -> dict[str, float]:
    """Start the chat on this index, time the start, then time answers in Chromium."""
    with tempfile.TemporaryDirectory(prefix="opgavewijzer-bench-ui-") as tmp:
        work = Path(tmp)
        env, port, url = prepare_server(settings, work)
        cli = Path(sys.executable).with_name("opgavewijzer")
        with (work / "server.log").open("wb") as log:
            started = time.perf_counter()
            proc = subprocess.Popen([str(cli), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                    env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT)
            try:
                _wait_ok(url, proc, timeout=120)
                figures = {"server_start_s": time.perf_counter() - started}
                figures.update(_browser_figures(url, questions or QUESTIONS))
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return figures


def main() -> int:
    """Print the figures against their targets."""
    figures = run(Settings())
    targets = {"server_start_s": 15.0, "browser_first_token_s": 1.5}
    for key, value in figures.items():
        target = targets.get(key)
        verdict = f"  target < {target}: {'ok' if value < target else 'MISSED'}" if target else ""
        print(f"{key:<28} {value:8.2f}{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
