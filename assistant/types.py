"""Typed results of the assistant: answers with citations, stream events, leeropdrachten."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Union

from kb.types import Hit


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class Filters:
    """What the user restricted the search to."""

    doc_ids: tuple[str, ...] = ()
    top_k: int | None = None


@dataclass(frozen=True)
class Citation:
    """A numbered source behind one or more sentences of an answer.

    ``quote`` is the sentence of the passage that supports the claim;
    ``quote_start``/``quote_end`` locate it in ``passage`` for highlighting.
    """

    n: int
    doc_id: str
    title: str
    section: str
    page: int | None
    chunk_id: str
    quote: str
    passage: str
    quote_start: int = -1
    quote_end: int = -1
    # Every span of ``passage`` the answer used (the first is ``quote``); for highlighting.
    spans: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The public JSON form used by ``opgavewijzer ask --json``."""
        return {"n": self.n, "doc_id": self.doc_id, "chunk_id": self.chunk_id, "section": self.section,
                "page": self.page, "quote": self.quote, "title": self.title}


@dataclass(frozen=True)
class Answer:
    """An answer whose every claim carries a ``[n]`` citation that was verified."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    mode: str
    refused: bool
    standalone_question: str = ""
    hits: tuple[Hit, ...] = ()
    # Sentences the citation check removed or flagged, with the reason; shown to maintainers.
    flagged: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    # The sources answer only part of the question: ``missing`` names what they do not give
    # ("aantal", "datum of jaartal", a subject they never mention); the text says so first.
    partial: bool = False
    missing: tuple[str, ...] = ()
    kind: str = ""  # the question kind from the analysis (definition, list, how, …)
    lang: str = "nl"

    def to_json(self) -> dict[str, Any]:
        """The public JSON form used by ``opgavewijzer ask --json``."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "partial": self.partial,
            "missing": list(self.missing),
            "kind": self.kind,
            "lang": self.lang,
            "mode": self.mode,
            "citations": [c.to_json() for c in self.citations],
        }


@dataclass(frozen=True)
class Retrieved:
    """Stream event: the search is done; ``query`` is what was actually searched."""

    query: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Token:
    """Stream event: a piece of answer text."""

    text: str


@dataclass(frozen=True)
class Done:
    """Stream event: the final, checked answer (its text may differ from the streamed tokens)."""

    answer: Answer


AnswerEvent = Union[Retrieved, Token, Done]


@dataclass(frozen=True)
class CitedText:
    """A piece of a leeropdracht with the citation numbers that back it (empty: own text)."""

    text: str
    cites: tuple[int, ...] = ()


@dataclass(frozen=True)
class RolePart:
    """What the sources say about one role of a leeropdracht request, each piece cited."""

    name: str  # as the source names the role; as asked when no source describes it
    asked: str  # as the user named it
    in_guide: bool  # the guide's role appendix gives this role a leeropdracht
    source: str = ""  # where its leeropdracht stands: "Bijlage 3, ‘Leeropdracht beleidsadviseur’"
    description: tuple[CitedText, ...] = ()  # what the main text says about the role
    strength: CitedText | None = None
    pitfall: CitedText | None = None
    asks: tuple[CitedText, ...] = ()  # the rest of its appendix section: what the guide asks of the role
    motto: CitedText | None = None  # the line that sums its leeropdracht up


@dataclass(frozen=True)
class Leeropdracht:
    """A structured draft of a learning assignment for one role, two roles, or a team in one role.

    ``strength`` and ``pitfall`` are those of the first role (``parts[0]``);
    ``parts`` holds every role of the request with what the sources say about it.
    """

    title: str
    role: str
    role_in_gids: bool
    context: str
    strength: CitedText | None
    pitfall: CitedText | None
    questions: tuple[CitedText, ...]
    exercise: CitedText
    reflection: CitedText
    citations: tuple[Citation, ...]
    mode: str = "extractive"
    notes: tuple[str, ...] = ()
    parts: tuple[RolePart, ...] = ()
    group: bool = False  # for a team of people in the same role: the exercise and reflection say "wij"
    # Passages that come closest to a role the guide does not describe (cited), shown as such.
    closest: tuple[CitedText, ...] = ()
    # From each document the chapter that fits role and situation, with its best sentence (cited).
    reading: tuple[CitedText, ...] = ()
    # Words the cited sources misspell ("sturingsproffesionals"): marked "[sic]" wherever they are quoted.
    misspelt: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Plain JSON form (``opgavewijzer leeropdracht --format json``)."""
        return asdict(self)

