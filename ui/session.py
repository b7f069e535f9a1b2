"""Per-conversation state of the chat, as plain values: preferences, history, intake.

The chat file keeps one of each in Chainlit's per-session store; everything
here is pure so that it is tested without a browser, and so that no state
can leak between sessions through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

from assistant.leeropdracht.request import find_role, is_no_situation, parse_request
from assistant.llm import LLM_MODES
from assistant.types import Filters, Turn

HISTORY_TURNS = 6  # question-answer pairs passed on for follow-up questions
MAX_TOP_K = 20
MODE_LABELS = {"extractive": "Extractief (zinnen uit de bronnen, geen taalmodel)",
               "openai": "Taalmodel via OpenAI-compatibele API", "ollama": "Taalmodel via Ollama"}

@dataclass(frozen=True)
class ChatPrefs:
    """What the user chose in the settings panel."""

    doc_ids: tuple[str, ...] = ()  # empty: all documents
    top_k: int | None = None  # None: the configured default
    mode: str | None = None  # None: the configured answer mode

    def filters(self) -> Filters:
        """The search restrictions for the assistant."""
        return Filters(doc_ids=self.doc_ids, top_k=self.top_k)


def available_modes(llm_configured: bool, configured_mode: str) -> list[str]:
    """Answer modes the user may pick: extractive always, an LLM mode only when one is configured."""
    if not llm_configured:
        return ["extractive"]
    return ["extractive", configured_mode] if configured_mode in LLM_MODES else ["extractive", *LLM_MODES]


def prefs_from_values(values: Mapping[str, Any], known_docs: Sequence[str], modes: Sequence[str]) -> ChatPrefs:
    """Read the settings panel; unknown documents and unavailable modes are ignored."""
    chosen = [d for d in values.get("docs") or [] if d in known_docs]
    # Nothing ticked, or everything: search all, including documents added after the panel was built.
    doc_ids = tuple(chosen) if 0 < len(chosen) < len(known_docs) else ()
    top_k = values.get("top_k")
    top_k = max(1, min(MAX_TOP_K, int(top_k))) if isinstance(top_k, (int, float)) else None
    mode = values.get("mode")
    return ChatPrefs(doc_ids, top_k, mode if mode in modes else None)


def add_exchange(history: Sequence[Turn], question: str, answer: str) -> tuple[Turn, ...]:
    """History after one more question and answer, keeping the most recent turns."""
    turns = (*history, Turn("user", question), Turn("assistant", answer))
    return turns[-2 * HISTORY_TURNS:]


def strip_sources(content: str) -> str:
    """An answer's text without the closing Bronnen list or closest-passages list."""
    for heading in ("\n**Bronnen**", "\n**Dichtstbijzijnde passages**"):
        content = content.split(heading)[0]
    return content.strip()


def history_from_steps(steps: Sequence[Mapping[str, Any]]) -> tuple[Turn, ...]:
    """Rebuild the history of a stored conversation (on resume) from its messages."""
    turns: list[Turn] = []
    for step in steps:
        text = str(step.get("output") or "").strip()
        if not text:
            continue
        if step.get("type") == "user_message":
            turns.append(Turn("user", text))
        elif step.get("type") == "assistant_message" and turns and turns[-1].role == "user":
            turns.append(Turn("assistant", strip_sources(text)))
    return tuple(turns[-2 * HISTORY_TURNS:])


# --- leeropdracht intake ------------------------------------------------------


@dataclass(frozen=True)
class Intake:
    """A leeropdracht request being completed: what is known, and what was asked last."""

    role: str | None = None
    situation: str | None = None
    asked: Literal["role", "situation"] | None = None

    @property
    def missing(self) -> Literal["role", "situation"] | None:
        """What to ask next; None when the draft can be made."""
        if not self.role:
            return "role"
        if self.situation is None:
            return "situation"
        return None


def read_request(text: str, roles: Sequence[str], pending: Intake = Intake()) -> Intake:
    """Update a leeropdracht request with the user's next message (read by the assistant's request parser)."""
    text = " ".join(text.split())
    if pending.asked == "situation":
        return Intake(pending.role, "" if is_no_situation(text) else text)
    if pending.asked == "role":
        found = find_role(text, roles)
        answer = text.strip(" .!?")
        # A title the parser does not know ("een archivaris") is taken as typed, without its article.
        plain = answer.split(" ", 1)[1] if " " in answer and answer.split(" ", 1)[0].lower() in ("een", "de", "het") else answer
        role = found[0] if found else parse_request(f"voor {answer}", roles).role or plain
        return Intake(role or None, pending.situation)
    parsed = parse_request(text, roles)
    return Intake(parsed.role, parsed.situation)
