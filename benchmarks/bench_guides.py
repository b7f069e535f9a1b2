"""Speed of the source guides: the guide stage of an ingest, the question check, and the "Bronnen" view.

    python -m benchmarks.bench_guides [--browser] [--view-only]

Targets (two CPU cores): the guide stage adds at most 20 s to a full ingest of the corpus; the "Bronnen" view
opens in under a second. The guide stage is timed as the build runs it (``ingest.builds``): the sentences of
every passage gathered with their stored vectors, then every guide made. The view is timed in the process (the
messages built from the loaded build, one read of the store) and, with ``--browser``, in Debian's Chromium from
the click on the welcome screen's "Bronnen bekijken" to the last document's heading on screen. The question
check after an ingest (``opgavewijzer ingest`` asks each guide's candidate questions) is timed too; it is no
part of the build. ``--view-only`` skips the guide stage and the question check. The
index must exist (``opgavewijzer ingest``); the benchmark only reads it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from opgavewijzer.settings import Settings

RUNS = 5
VIEW_RUNS = 20
TARGETS = {"guide_stage_s": 20.0, "bronnen_view_s": 1.0, "bronnen_browser_s": 1.0}


def guide_stage(settings: Settings) -> dict[str, float]:
    """Median time of the guide stage on the active build (gathering sentences and vectors, making every guide)."""
    from ingest.guide import build_guides
    from kb.sentences import SentenceIndex
    from kb.store import ChromaStore

    store = ChromaStore(settings)
    info = store.active_info()
    chunks, _ = store.load(info.collection)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        index = SentenceIndex.build(chunks, store.load_sentence_vectors(info.collection))
        build_guides(index, info.documents)
        times.append(time.perf_counter() - started)
    return {"guide_stage_s": statistics.median(times), "guide_stage_s_max": max(times)}


def view_and_check(settings: Settings, check: bool = True) -> dict[str, float]:
    """The view built in the process (median and slowest of VIEW_RUNS), then one question check of every guide."""
    from assistant.answer.engine import Assistant
    from assistant.answer.suggestions import check_questions
    from kb.guides import guides_from_extras
    from ui.guides_view import build_view

    bot = Assistant.from_settings(settings)
    build_view(bot)  # warm: the build's view of the answer stages is made once per build
    times = []
    for _ in range(VIEW_RUNS):
        started = time.perf_counter()
        build_view(bot)
        times.append(time.perf_counter() - started)
    figures = {"bronnen_view_s": statistics.median(times), "bronnen_view_s_max": max(times)}
    if not check:
        return figures
    guides = guides_from_extras(bot.kb.info.extras)
    started = time.perf_counter()
    check_questions(lambda q: bot.answer(q, mode="extractive"), {d: g.questions for d, g in guides.items()})
    return {**figures, "question_check_s": time.perf_counter() - started}


def browser_view(settings: Settings) -> dict[str, float]:
    """From the click on "Bronnen bekijken" to the first reply and to the last document's heading, in Chromium
    (median of three)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_ui import (BENCH_PASSWORD, BENCH_USER, CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT_MS, _wait_ok,
                                     prepare_server)
    from kb.store import ChromaStore

    last_title = list(ChromaStore(settings).active_info().documents.values())[-1].title
    with tempfile.TemporaryDirectory(prefix="opgavewijzer-bench-guides-") as tmp:
        work = Path(tmp)
        env, port, url = prepare_server(settings, work)
        with (work / "server.log").open("wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "opgavewijzer", "serve", "--host", "127.0.0.1", "--port",
                                     str(port)], env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT)
            try:
                _wait_ok(url, proc, timeout=120)
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=STEP_TIMEOUT_MS)
                    runs = [_open_view(browser, url, last_title, BENCH_USER, BENCH_PASSWORD) for _ in range(3)]
                    browser.close()
            finally:
                proc.terminate()
                proc.wait(timeout=10)
    times = [last for _, last in runs]
    # The first reply on screen, whatever it is: what any answer costs before the view's own messages.
    return {"bronnen_browser_first_reply_s": statistics.median(first for first, _ in runs),
            "bronnen_browser_s": statistics.median(times), "bronnen_browser_s_max": max(times)}


def _open_view(browser, url: str, last_title: str, user: str, password: str) -> tuple[float, float]:  # noqa: ANN001
    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.fill("#email", user)
    page.fill("#password", password)
    page.click("button[type=submit]")
    starter = page.wait_for_selector("#starter-bronnen-bekijken")
    page.wait_for_timeout(1000)  # the chat session is open and the assistant loaded (a first question would wait too)
    started = page.evaluate("() => performance.now()")
    starter.click()
    page.locator('[data-step-type="assistant_message"]').first.wait_for()
    first = (page.evaluate("() => performance.now()") - started) / 1000
    page.get_by_role("heading", name=last_title, level=2).wait_for()
    seconds = (page.evaluate("() => performance.now()") - started) / 1000
    page.context.close()
    return first, seconds


def main(argv: list[str]) -> int:
    """Print the figures against their targets."""
    settings = Settings()
    # The machine is shared: the load average beside the figures says how far they can be trusted.
    load_before = os.getloadavg()
    view_only = "--view-only" in argv
    figures = {} if view_only else guide_stage(settings)
    figures.update(view_and_check(settings, check=not view_only))
    if "--browser" in argv:
        try:
            figures.update(browser_view(settings))
        except Exception as err:  # the in-process figures still print; the browser's failure is named
            print(f"browser: {type(err).__name__}: {str(err).splitlines()[0]}", file=sys.stderr)
    print(f"load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
          f"after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for key, value in figures.items():
        target = TARGETS.get(key)
        verdict = "" if target is None else ("  ok" if value <= target else f"  OVER {target:g} s")
        print(f"{key:<24} {value:8.3f}{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
