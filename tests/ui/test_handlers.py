"""The chat handlers without a browser: called inside a Chainlit context whose emitter records.

Chainlit's decorators return the original functions, so the handlers of
``ui/app.py`` are called directly. The emitter is Chainlit's own test
stub, extended to keep what it was sent; the assistant is the real one on the
session's corpus index. Chat persistence is switched off here (the browser
tests cover it against a real server).
"""

from __future__ import annotations

import inspect
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.browser import isolate_chainlit_import, run_async

isolate_chainlit_import()

import chainlit as cl  # noqa: E402
import chainlit.data as cl_data  # noqa: E402
from chainlit.context import ChainlitContext, context_var  # noqa: E402
from chainlit.emitter import BaseChainlitEmitter  # noqa: E402
from chainlit.session import HTTPSession  # noqa: E402

from ui import app, flows as chat_flows, views as chat_views  # noqa: E402
from assistant.answer.engine import Assistant  # noqa: E402


class Recorder(BaseChainlitEmitter):
    """Chainlit's emitter stub, keeping every event in order."""

    def __init__(self, session: HTTPSession) -> None:
        super().__init__(session)
        self.events: list[tuple[str, Any]] = []

    async def emit(self, event: str, data: Any) -> None:
        self.events.append((event, data))

    async def send_step(self, step_dict: dict) -> None:
        self.events.append(("send_step", dict(step_dict)))

    async def update_step(self, step_dict: dict) -> None:
        self.events.append(("update_step", dict(step_dict)))

    async def stream_start(self, step_dict: dict) -> None:
        self.events.append(("stream_start", dict(step_dict)))

    async def send_token(self, id: str, token: str, is_sequence: bool = False, is_input: bool = False) -> None:
        self.events.append(("send_token", token))

    async def send_element(self, element_dict: dict) -> None:
        self.events.append(("send_element", dict(element_dict)))

    async def set_chat_settings(self, settings: dict) -> None:
        self.events.append(("set_chat_settings", settings))

    def steps(self, kind: str) -> list[dict]:
        return [data for event, data in self.events if event in ("send_step", "update_step") and data["type"] == kind]


class FixedServices:
    """Stands in for the lazily built services: the same assistant, on the test's index."""

    def __init__(self, assistant: Assistant | None, settings: Any) -> None:
        self._assistant = assistant
        self.settings = settings

    def assistant(self) -> Assistant:
        assert self._assistant is not None, "this test must not need the assistant"
        return self._assistant

    def uploads(self) -> Any:
        raise AssertionError("an ordinary user must never reach the upload service")


@pytest.fixture(autouse=True)
def no_persistence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cl_data, "_data_layer", None)
    monkeypatch.setattr(cl_data, "_data_layer_initialized", True)


def run_as(role: str, handler: Any, *args: Any, profile: str = chat_views.PROFILE_QA) -> Recorder:
    """Run one handler in a fresh session of a user with ``role``; returns what it sent."""
    user = cl.User(identifier=f"tester-{role}", metadata={"role": role})
    session = HTTPSession(id=str(uuid.uuid4()), client_type="webapp", user=user)
    session.chat_profile = profile
    recorder = Recorder(session)

    async def main() -> None:
        context_var.set(ChainlitContext(session, recorder))
        # A message must be made inside the session: such arguments come as a function.
        await handler(*(arg() if inspect.isfunction(arg) else arg for arg in args))

    run_async(main())
    return recorder


def sent_texts(recorder: Recorder) -> list[str]:
    return [data["output"] for event, data in recorder.events if event == "send_step" and data["type"] == "assistant_message"]


def test_files_sent_with_a_message_are_refused_and_not_stored(make_settings, monkeypatch, tmp_path: Path) -> None:
    settings = make_settings()
    monkeypatch.setattr(app, "services", lambda: FixedServices(None, settings))
    attachment = tmp_path / "notitie.md"
    attachment.write_text("# geheim plan", encoding="utf-8")

    def message() -> cl.Message:
        return cl.Message(content="zet dit erbij", elements=[cl.File(name="notitie.md", path=str(attachment))])

    recorder = run_as("gebruiker", app.on_message, message)
    assert sent_texts(recorder) == [chat_flows.NOT_MAINTAINER]
    assert not settings.uploads_dir.exists()


def test_an_ordinary_user_calling_the_upload_action_gets_a_refusal_not_a_file_dialog(make_settings, monkeypatch) -> None:
    settings = make_settings()
    monkeypatch.setattr(app, "services", lambda: FixedServices(None, settings))
    recorder = run_as("gebruiker", app.add_document, cl.Action(name=chat_views.ACTION_UPLOAD, payload={}))
    assert sent_texts(recorder) == [chat_flows.NOT_MAINTAINER]
    assert not any(event == "ask" or (event == "send_step" and data.get("waitForAnswer")) for event, data in recorder.events)


@pytest.fixture(scope="module")
def assistant(corpus_kb, corpus_settings) -> Assistant:  # noqa: ANN001
    return Assistant(corpus_settings, corpus_kb)


def test_answer_shows_the_search_first_then_streams_then_links_every_citation(assistant, corpus_settings, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(app, "services", lambda: FixedServices(assistant, corpus_settings))
    recorder = run_as("gebruiker", chat_flows.answer, assistant,
                      "Wat zijn de vijf bouwstenen voor succesvol opgavegericht werken?")
    order = [event for event, _ in recorder.events]
    retrieval = recorder.steps("retrieval")
    assert retrieval and retrieval[-1]["output"].startswith("**Gezocht op:**")
    assert order.index("send_step") < order.index("stream_start") < order.index("send_token")
    final = recorder.steps("assistant_message")[-1]
    assert "\n\n**Bronnen**\n- [1] " in final["output"]
    elements = [data for event, data in recorder.events if event == "send_element"]
    cited = sorted({int(n) for n in re.findall(r"\[(\d+)\]", final["output"])})
    assert sorted(int(e["name"].strip("[]")) for e in elements) == cited
    assert {e["forId"] for e in elements} == {final["id"]} and {e["display"] for e in elements} == {"side"}


def test_two_sessions_keep_their_own_history_and_settings(assistant, corpus_settings, monkeypatch) -> None:  # noqa: ANN001
    """Per-session state lives in cl.user_session only: a second session starts empty."""
    monkeypatch.setattr(app, "services", lambda: FixedServices(assistant, corpus_settings))
    user = cl.User(identifier="tester", metadata={"role": "gebruiker"})
    first, second = (HTTPSession(id=str(uuid.uuid4()), client_type="webapp", user=user) for _ in range(2))

    async def main() -> tuple[Any, Any, Any, Any]:
        context_var.set(ChainlitContext(first, Recorder(first)))
        await app.settings_changed({"docs": ["vpng_gids"], "top_k": 3})
        await chat_flows.answer(assistant, "Wat is opgavegericht werken?")
        mine = (cl.user_session.get("prefs"), cl.user_session.get("history"))
        context_var.set(ChainlitContext(second, Recorder(second)))
        return (*mine, cl.user_session.get("prefs"), cl.user_session.get("history"))

    prefs, history, other_prefs, other_history = run_async(main())
    assert prefs.doc_ids == ("vpng_gids",) and prefs.top_k == 3
    assert [t.role for t in history] == ["user", "assistant"]
    assert other_prefs is None and other_history is None
