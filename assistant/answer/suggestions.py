"""Checking a guide's suggested questions against the answer engine.

Ingest proposes questions a document may answer well (``ingest.guide_terms``); only those the engine really
answers from that document are offered to a reader. A question passes when its answer is not refused, reports
no gap, and cites this document and no other. The edge that has both the fresh build and the engine (the ingest
command) runs the check and stores the outcome with the build (``kb.guides.save_checked_questions``).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

MIN_QUESTIONS = 3  # a guide offers at least this many when that many pass
MAX_QUESTIONS = 6  # ... and at most this many

Ask = Callable[[str], Any]  # a question in, an :class:`assistant.types.Answer` out


def answered_from(answer: Any, doc_id: str) -> bool:
    """True if ``answer`` answers from ``doc_id`` alone: not refused, no gap, and citing only that document."""
    cited = {c.doc_id for c in answer.citations}
    return not answer.refused and not answer.partial and cited == {doc_id}


def check_questions(ask: Ask, candidates: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Per document, the candidate questions (in their order) the engine answers from it; at most MAX_QUESTIONS."""
    checked: dict[str, list[str]] = {}
    for doc_id, questions in candidates.items():
        passed: list[str] = []
        for question in questions:
            if answered_from(ask(question), doc_id):
                passed.append(question)
                if len(passed) == MAX_QUESTIONS:
                    break
        checked[doc_id] = passed
    return checked
