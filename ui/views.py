"""Chainlit objects for the chat: profiles, starters, settings panel, elements, services.

The chat file (``app.py``) only wires events; what it shows is built here
from the presenter's plain views, and what it shares between sessions (the
assistant, the uploads, the logins) lives in one :class:`Services` object.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import chainlit as cl
from chainlit.input_widget import InputWidget, MultiSelect, Select, Slider, TextInput

from ui import session as chat_state
from ui.auth import ROLE_MAINTAINER, Login
from ui.sessions import Session
from ui.presenter import ElementSpec
from assistant.types import Leeropdracht
from opgavewijzer.settings import Settings

if TYPE_CHECKING:
    from assistant.answer.engine import Assistant
    from ui.access import Access
    from ui.uploads import Uploads

PROFILE_QA = "Vragen stellen"
PROFILE_LEEROPDRACHT = "Leeropdracht maken"
ACTION_UPLOAD = "Document toevoegen"  # also the name of a chat that starts with it
ACTION_ROLE = "kies_rol"
ACTION_NO_SITUATION = "zonder_situatie"
UPLOAD_ACCEPT = {
    "application/pdf": [".pdf"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
    "text/plain": [".txt", ".md"],
    "text/markdown": [".md"],
}

QUESTION_STARTERS = (
    ("Bronnen bekijken", "Bronnen bekijken"),  # opens the source guides (ui.guides_view)
    ("Wat is opgavegericht werken?", "Wat is opgavegericht werken?"),
    ("De vijf bouwstenen", "Wat zijn de vijf bouwstenen voor succesvol opgavegericht werken bij de overheid?"),
    ("Motie 50", "Wat wordt in de beantwoording van Motie 50 verstaan onder concernbrede opgaven?"),
    ("Bezoek aan Zuid-Holland", "Wat bespraken de Opgavebeweging en de Provincie Zuid-Holland tijdens het bezoek in 2025?"),
)
LEEROPDRACHT_STARTERS = (
    ("Ambtelijk opdrachtgever", "Maak een leeropdracht voor een ambtelijk opdrachtgever die een nieuwe opgave "
                                "over de energietransitie gaat aansturen naast zijn lijnwerk."),
    ("Lijnmanager", "Maak een leeropdracht voor een lijnmanager."),
)


class Services:
    """What all chat sessions share: read-only after it is built, built once, on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._access: Access | None = None
        self._assistant: Assistant | None = None
        self._uploads: Uploads | None = None

    def access(self) -> "Access":
        """Accounts, sessions and the login throttle (opens the accounts database the first time)."""
        with self._lock:
            if self._access is None:
                from ui.access import Access

                self._access = Access(self.settings)
            return self._access

    def assistant(self) -> "Assistant":
        """The assistant (loads the embedding model and the index the first time; blocking)."""
        with self._lock:
            if self._assistant is None:
                from assistant.answer.engine import Assistant

                self._assistant = Assistant.from_settings(self.settings)
                # Follow new builds made anywhere (the command line, another server) within seconds.
                self._assistant.kb.watch()
            return self._assistant

    def uploads(self) -> "Uploads":
        """The maintainers' upload service, on the assistant's knowledge base."""
        assistant = self.assistant()
        with self._lock:
            if self._uploads is None:
                from ui.uploads import Uploads

                self._uploads = Uploads(self.settings, assistant.kb)
            return self._uploads


def chainlit_user(login: Login, session: Session) -> cl.User:
    """The Chainlit user for a login; the role and the session id travel in the signed token."""
    return cl.User(identifier=login.identifier, display_name=login.display_name,
                   metadata={"role": login.role, "sid": session.sid})


def is_maintainer(user: Any) -> bool:
    """True if the session's user logged in as the maintainer."""
    metadata = getattr(user, "metadata", None) or {}
    return metadata.get("role") == ROLE_MAINTAINER


def chat_profiles() -> list[cl.ChatProfile]:
    """The two ways of using the assistant, each with its own starters."""
    return [
        cl.ChatProfile(
            name=PROFILE_QA,
            markdown_description="Stel een vraag over opgavegericht werken; het antwoord komt uit de vijf bronnen, met verwijzingen.",
            default=True,
            starters=[cl.Starter(label=label, message=message) for label, message in QUESTION_STARTERS],
        ),
        cl.ChatProfile(
            name=PROFILE_LEEROPDRACHT,
            markdown_description="Laat een leeropdracht opstellen voor een rol in een opgave, te downloaden als Markdown of Word.",
            starters=[cl.Starter(label=label, message=message) for label, message in LEEROPDRACHT_STARTERS],
        ),
    ]


def settings_widgets(assistant: "Assistant", settings: Settings, values: Mapping[str, Any] | None = None) -> list[InputWidget]:
    """The settings panel: documents, number of passages, answer mode, and what is running."""
    values = values or {}
    documents = assistant.kb.info.documents
    modes = chat_state.available_modes(assistant.llm_configured, settings.answer.mode)
    default_mode = settings.answer.mode if settings.answer.mode in modes else "extractive"
    chosen_docs = [d for d in values.get("docs") or [] if d in documents] or list(documents)
    return [
        MultiSelect(
            id="docs", label="Documenten om in te zoeken", items={rec.title: doc_id for doc_id, rec in documents.items()},
            initial=chosen_docs, description="Standaard alle documenten.",
        ),
        Slider(
            id="top_k", label="Aantal passages", initial=float(values.get("top_k") or settings.retrieval.top_k),
            min=1, max=chat_state.MAX_TOP_K, step=1, description="Hoeveel passages het antwoord mag gebruiken.",
        ),
        Select(
            id="mode", label="Antwoordwijze", items={chat_state.MODE_LABELS[m]: m for m in modes},
            initial_value=values.get("mode") if values.get("mode") in modes else default_mode,
            description="Een taalmodel is alleen te kiezen als de beheerder er een heeft ingesteld.",
        ),
        TextInput(
            id="backend", label="Actief systeem", initial=assistant.backend_label, disabled=True,
            description="Taalmodel ingesteld: " + ("ja" if assistant.llm_configured else "nee (alleen extractieve antwoorden)"),
        ),
    ]


def prefs_from_values(assistant: "Assistant", settings: Settings, values: Mapping[str, Any]) -> chat_state.ChatPrefs:
    """The session's preferences from the settings panel."""
    modes = chat_state.available_modes(assistant.llm_configured, settings.answer.mode)
    return chat_state.prefs_from_values(values, list(assistant.kb.info.documents), modes)


def to_elements(specs: Sequence[ElementSpec]) -> list[Any]:
    """Chainlit elements for the presenter's element specs."""
    elements: list[Any] = []
    for spec in specs:
        if spec.kind == "file":
            content = spec.content if isinstance(spec.content, bytes) else spec.content.encode("utf-8")
            elements.append(cl.File(name=spec.name, content=content, display=spec.display, mime=spec.mime))
        else:
            text = spec.content if isinstance(spec.content, str) else spec.content.decode("utf-8")
            elements.append(cl.Text(name=spec.name, content=text, display=spec.display, mime=spec.mime))
    return elements


def draft_with_downloads(assistant: "Assistant", intake: chat_state.Intake,
                         prefs: chat_state.ChatPrefs) -> tuple[Leeropdracht, str, bytes]:
    """The leeropdracht for a completed intake, with its Markdown and Word versions (blocking)."""
    from assistant.leeropdracht.export import leeropdracht_to_docx, leeropdracht_to_markdown

    draft = assistant.draft_leeropdracht(intake.role or "", intake.situation or "", prefs.filters(), prefs.mode)
    with tempfile.TemporaryDirectory() as folder:
        docx = leeropdracht_to_docx(draft, Path(folder) / "leeropdracht.docx").read_bytes()
    return draft, leeropdracht_to_markdown(draft), docx


def role_actions(roles: Sequence[str]) -> list[cl.Action]:
    """One button per known role, for a leeropdracht request that names none."""
    return [cl.Action(name=ACTION_ROLE, payload={"role": role}, label=role) for role in roles]


def no_situation_action() -> cl.Action:
    """The button that asks for a leeropdracht without a particular situation."""
    return cl.Action(name=ACTION_NO_SITUATION, payload={}, label="Zonder situatie")


def upload_action() -> cl.Action:
    """The maintainer's button to add a document."""
    return cl.Action(name=ACTION_UPLOAD, payload={}, label="Document toevoegen", icon="upload")
