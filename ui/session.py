"""Per-conversation state of the chat, as plain values: preferences, history, intake.

The chat file keeps one of each in Chainlit's per-session store; everything
here is pure so that it is tested without a browser, and so that no state
can leak between sessions through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

from assistant.llm import LLM_MODES
from assistant.types import Filters, Turn

HISTORY_TURNS = 6  # question-answer pairs passed on for follow-up questions
MAX_TOP_K = 20
MODE_LABELS = {"extractive": "Extractief (zinnen uit de bronnen, geen taalmodel)",
               "openai": "Taalmodel via OpenAI-compatibele API", "ollama": "Taalmodel via Ollama"}

# Words that say "make me a leeropdracht" and nothing about the situation.
_REQUEST_WORDS = frozenset(
    "maak maken schrijf stel opstellen op graag wil wilt ik we wij je u jij kun kunt kan mij me ons "
    "een de het leeropdracht leeropdrachten voor als rol van mijn onze nieuwe please".split()
)
_NO_SITUATION = frozenset({"geen", "nee", "geen situatie", "zonder situatie", "-", "n.v.t.", "nvt", "algemeen", "overslaan"})
_FREE_ROLE = re.compile(
    r"\b(?:voor|als)\s+(?:een|de|het|mijn|onze)?\s*([^\W\d][\w-]*(?:\s+[^\W\d][\w-]*){0,3}?)"
    r"(?=\s+(?:die|dat|in|bij|met|op|om|wie|waar|binnen|tijdens|aan)\b|\s*[,.;:?!]|\s*$)",
    re.IGNORECASE,
)


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


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text)]


def match_role(text: str, roles: Sequence[str]) -> tuple[str, int, int] | None:
    """The known role named in ``text`` (tolerating inflection: 'bestuurlijke', plural), with its span."""
    tokens = _tokens(text)
    best: tuple[str, int, int] | None = None
    for role in roles:
        wanted = [t for t, _, _ in _tokens(role)]
        if not wanted:
            continue
        for i in range(len(tokens) - len(wanted) + 1):
            window = tokens[i : i + len(wanted)]
            if all(t.startswith(w) and len(t) - len(w) <= 2 for (t, _, _), w in zip(window, wanted)):
                span = (role, window[0][1], window[-1][2])
                if best is None or len(role) > len(best[0]):
                    best = span
                break
    return best


def _free_role(text: str) -> tuple[str, int, int] | None:
    match = _FREE_ROLE.search(text)
    if not match:
        return None
    role = match.group(1).strip()
    if role.lower() in _REQUEST_WORDS:
        return None
    return role, match.start(1), match.end(1)


def _situation_after(text: str, end: int) -> str | None:
    """The rest of the request after the role, if it says anything beyond 'make me a leeropdracht'."""
    rest = text[end:].strip(" ,.;:-")
    rest = re.sub(r"^(?:die|dat|wie)\s+", "", rest, flags=re.IGNORECASE)
    words = [w for w, _, _ in _tokens(rest) if w not in _REQUEST_WORDS]
    return rest if len(words) >= 3 else None


def read_request(text: str, roles: Sequence[str], pending: Intake = Intake()) -> Intake:
    """Update a leeropdracht request with the user's next message."""
    text = " ".join(text.split())
    if pending.asked == "situation":
        situation = "" if is_no_situation(text) else text
        return Intake(pending.role, situation)
    if pending.asked == "role":
        found = match_role(text, roles)
        role = found[0] if found else re.sub(r"^(?:een|de|het)\s+", "", text.strip(" .!?"), flags=re.IGNORECASE)
        return Intake(role or None, pending.situation)
    found = match_role(text, roles) or _free_role(text)
    if not found:
        words = [w for w, _, _ in _tokens(text) if w not in _REQUEST_WORDS]
        # No role, but perhaps a situation: keep it and ask for the role.
        return Intake(None, text if len(words) >= 3 else None)
    role, _, end = found
    return Intake(role, _situation_after(text, end))


def is_no_situation(text: str) -> bool:
    """True if the user declines to describe a situation."""
    return " ".join(text.split()).lower().strip(" .!") in _NO_SITUATION
