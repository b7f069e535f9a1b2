"""Whose is what in the chat database: Chainlit's data layer with answers for unknown ids and owners.

Chainlit's SQL data layer raises on a thread id it does not know, which its
routes turn into HTTP 500; :class:`OwnedDataLayer` answers "no author"
instead, so they say 404. Chainlit also writes any feedback it is sent, by
id, whoever sends it; :func:`feedback_check` (called by the web gate, see
:mod:`ui.gate`) lets a change through only when the message and any feedback
it replaces belong to a conversation of the user who sends it. The queries
are plain SQL that SQLite and PostgreSQL both run.
"""

from __future__ import annotations

from typing import Any

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

OK, FORBIDDEN, NOT_FOUND = 0, 403, 404

_STEP_OWNER = """SELECT s."threadId" AS thread, t."userIdentifier" AS owner
                   FROM steps s JOIN threads t ON t."id" = s."threadId" WHERE s."id" = :id"""
_FEEDBACK_OWNER = """SELECT f."forId" AS for_id, t."userIdentifier" AS owner
                       FROM feedbacks f JOIN threads t ON t."id" = f."threadId" WHERE f."id" = :id"""


class OwnedDataLayer(SQLAlchemyDataLayer):
    """Chainlit's SQLAlchemy data layer, with 404 rather than 500 for an unknown thread."""

    async def get_thread_author(self, thread_id: str) -> str:
        """The thread's author, or "" when there is no such thread (Chainlit then answers 404)."""
        try:
            return await super().get_thread_author(thread_id)
        except ValueError:
            return ""


async def _one(layer: Any, query: str, key: Any) -> dict[str, Any] | None:
    if not isinstance(key, str) or not key:
        return None
    rows = await layer.execute_sql(query=query, parameters={"id": key})
    return rows[0] if isinstance(rows, list) and rows else None


async def feedback_check(layer: Any, identifier: str, method: str, payload: Any) -> int:
    """0 if ``identifier`` may make this feedback change; else 403 (someone else's) or 404 (unknown)."""
    if layer is None or not isinstance(payload, dict):
        return FORBIDDEN
    if method == "DELETE":
        existing = await _one(layer, _FEEDBACK_OWNER, payload.get("feedbackId"))
        if existing is None:
            return NOT_FOUND
        return OK if existing["owner"] == identifier else FORBIDDEN
    feedback = payload.get("feedback")
    if not isinstance(feedback, dict):
        return FORBIDDEN
    step = await _one(layer, _STEP_OWNER, feedback.get("forId"))
    if step is None:
        return NOT_FOUND
    if step["owner"] != identifier or feedback.get("threadId") not in (None, step["thread"]):
        return FORBIDDEN
    if feedback.get("id"):
        existing = await _one(layer, _FEEDBACK_OWNER, feedback["id"])
        if existing is not None and (existing["owner"] != identifier or existing["for_id"] != feedback.get("forId")):
            return FORBIDDEN
    return OK
