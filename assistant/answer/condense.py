"""Follow-up questions rewritten into standalone ones, and the documents a question names.

"En wat zegt de NSOB daarover?" cannot be searched on its own. With an LLM the
rewrite is the model's job (``prompts/condense.md``); without one a heuristic
does it: a short question that points back ("daarover", "dat", "en …?") gets
the topic words of the previous question. Separately, a question that names a
document ("volgens de VPNG", "bij Zuid-Holland") is restricted to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from opgavewijzer.text import detect_language
from assistant.types import Turn
from kb.lexical import dutch_stopwords, fold

_ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")
_TOKEN = re.compile(r"[\w][\w'’-]*", re.UNICODE)
_ANAPHORA = re.compile(
    r"\b(?:daar(?:over|van|mee|bij|in|aan|om)?|hier(?:over|van|mee|bij|in|aan)?|er(?:over|van|mee|bij|aan)|"
    r"dat|dit|deze|die|hij|zij|ze|hem|hen|hun|it|that|this|they|them|those)\b",
    re.IGNORECASE,
)
_POINTER = re.compile(r"\b(?:daarover|hierover|erover|about (?:it|that|this))\b", re.IGNORECASE)
_OPENER = re.compile(r"^\s*(?:en|maar|ook|and|but|also|what about|en hoe zit het met)\b[\s,]*", re.IGNORECASE)
_QUESTION_WORDS = frozenset(fold(w) for w in (
    "wat wie welke welk hoe waarom wanneer waar zegt zeggen vindt vinden staat noemt noemen beschrijft bedoelt "
    "volgens eigenlijk nou precies graag what how why which who when where does say says mean"
).split())
# A follow-up is short: at most this many content words of its own.
FOLLOW_UP_WORDS = 5


@dataclass(frozen=True)
class Condensed:
    """A question ready for retrieval, and the documents it is restricted to (empty: all)."""

    question: str
    doc_ids: tuple[str, ...] = ()
    rewritten: bool = False


def document_aliases(documents: Mapping[str, tuple[str, Sequence[str]]]) -> dict[str, tuple[re.Pattern[str], ...]]:
    """Patterns that name each document of the index: its aliases from sources.json and the acronyms in its title.

    ``documents`` maps a doc id to its title and aliases (both come with the
    index, so a document added later is named the same way).
    """
    aliases: dict[str, tuple[re.Pattern[str], ...]] = {}
    for doc_id, (title, known) in documents.items():
        names = [re.escape(a.lower()) for a in known]
        names += [re.escape(a.lower()) for a in _ACRONYM.findall(title)]
        if names:
            aliases[doc_id] = tuple(re.compile(rf"(?<!\w){n}(?!\w)", re.IGNORECASE) for n in dict.fromkeys(names))
    return aliases


def named_documents(question: str, aliases: Mapping[str, Sequence[re.Pattern[str]]]) -> tuple[str, ...]:
    """The documents a question names, in the order of the index."""
    return tuple(doc_id for doc_id, patterns in aliases.items() if any(p.search(question) for p in patterns))


def topic_words(question: str, aliases: Mapping[str, Sequence[re.Pattern[str]]]) -> list[str]:
    """The content words of a question, without question words and document names, in order."""
    text = question
    for patterns in aliases.values():
        for pattern in patterns:
            text = pattern.sub(" ", text)
    stop = dutch_stopwords()
    words = [w for w in _TOKEN.findall(text) if fold(w) not in stop and fold(w) not in _QUESTION_WORDS and len(w) > 1]
    return list(dict.fromkeys(words))


def is_follow_up(question: str, aliases: Mapping[str, Sequence[re.Pattern[str]]]) -> bool:
    """True for a short question that leans on the one before ("en bij Zuid-Holland?", "waarom dan?")."""
    own = [w for w in topic_words(question, aliases) if not _ANAPHORA.fullmatch(w)]
    if len(own) > FOLLOW_UP_WORDS:
        return False
    return bool(_OPENER.match(question) or _ANAPHORA.search(question) or len(own) <= 1)


def condense_heuristic(
    question: str, history: Sequence[Turn], aliases: Mapping[str, Sequence[re.Pattern[str]]]
) -> Condensed:
    """Rewrite a follow-up with the topic of the previous question; detect the documents it names."""
    previous: Condensed | None = None
    for turn in history:
        if turn.role == "user" and turn.content.strip():
            # Each earlier question is condensed against its own past, so topics carry over chains.
            previous = _condense_one(turn.content.strip(), previous, aliases)
    return _condense_one(question.strip(), previous, aliases)


def _condense_one(question: str, previous: Condensed | None, aliases: Mapping[str, Sequence[re.Pattern[str]]]) -> Condensed:
    docs = named_documents(question, aliases)
    if previous is None or not is_follow_up(question, aliases):
        return Condensed(question, docs)
    topic = " ".join(w for w in topic_words(previous.question, aliases) if w not in question)
    if not topic:
        return Condensed(question, docs or previous.doc_ids)
    body = _OPENER.sub("", question).strip().rstrip("?").strip()
    about = "about" if detect_language(question) == "en" else "over"
    if _POINTER.search(body):
        body = _POINTER.sub(f"{about} {topic}", body, count=1)
    else:
        body = f"{body} ({about} {topic})" if body else topic
    rewritten = body[0].upper() + body[1:] + "?"
    return Condensed(rewritten, docs or previous.doc_ids, rewritten=True)


def format_history(history: Sequence[Turn], max_turns: int = 6, max_chars: int = 600) -> str:
    """The last turns of a conversation as plain text for the condense prompt (answers shortened)."""
    lines = []
    for turn in list(history)[-max_turns:]:
        text = " ".join(turn.content.split())
        if len(text) > max_chars:
            text = text[:max_chars] + " …"
        who = "Gebruiker" if turn.role == "user" else "Assistent"
        lines.append(f"{who}: {text.replace('<', '‹')}")
    return "\n".join(lines)
