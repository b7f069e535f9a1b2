"""The tables of the chat database, in SQLAlchemy types that become SQLite's or PostgreSQL's.

Chainlit's SQLAlchemy data layer writes conversations, steps, elements and
feedback with plain SQL but creates no tables: :data:`TABLES` describes them
(JSONB and text arrays on PostgreSQL). Beside them live the tables of our own:
element bytes, local accounts, open login sessions, login-failure counts and
the login-signing secret, so that every chat server on the same database shares
them. :func:`ui.chat_db.create_schema` creates what is missing and adds the
columns a newer version writes to tables made by an older one.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, Table, Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

_JSON = Text().with_variant(JSONB(), "postgresql")
_TAGS = Text().with_variant(ARRAY(Text()), "postgresql")

METADATA = MetaData()


def _fk(table: str) -> ForeignKey:
    return ForeignKey(f"{table}.id", ondelete="CASCADE")


# Column lists follow chainlit.step.StepDict and chainlit.element.ElementDict of Chainlit 2.12:
# the data layer inserts every key it has, so a missing column would make it drop the whole row.
TABLES = {
    "users": Table(
        "users", METADATA,
        Column("id", Text, primary_key=True),
        Column("identifier", Text, nullable=False, unique=True),
        Column("metadata", _JSON, nullable=False),
        Column("createdAt", Text),
    ),
    "threads": Table(
        "threads", METADATA,
        Column("id", Text, primary_key=True),
        Column("createdAt", Text), Column("name", Text),
        Column("userId", Text, _fk("users")), Column("userIdentifier", Text),
        Column("tags", _TAGS), Column("metadata", _JSON),
    ),
    "steps": Table(
        "steps", METADATA,
        Column("id", Text, primary_key=True),
        Column("name", Text, nullable=False), Column("type", Text, nullable=False),
        Column("threadId", Text, _fk("threads"), nullable=False), Column("parentId", Text),
        Column("streaming", Boolean, nullable=False), Column("waitForAnswer", Boolean), Column("isError", Boolean),
        Column("metadata", _JSON), Column("tags", _TAGS), Column("input", Text), Column("output", Text),
        Column("createdAt", Text), Column("command", Text), Column("modes", Text),
        Column("start", Text), Column("end", Text), Column("generation", _JSON), Column("showInput", Text),
        Column("language", Text), Column("indent", Integer), Column("defaultOpen", Boolean),
        Column("autoCollapse", Boolean), Column("icon", Text),
        Index("steps_thread", "threadId"),
    ),
    "elements": Table(
        "elements", METADATA,
        Column("id", Text, primary_key=True),
        Column("threadId", Text, _fk("threads")), Column("type", Text), Column("url", Text),
        Column("chainlitKey", Text), Column("name", Text, nullable=False), Column("display", Text),
        Column("objectKey", Text), Column("size", Text), Column("page", Integer), Column("language", Text),
        Column("forId", Text), Column("mime", Text), Column("props", _JSON), Column("autoPlay", Boolean),
        Column("playerConfig", Text),
        Index("elements_thread", "threadId"),
    ),
    "feedbacks": Table(
        "feedbacks", METADATA,
        Column("id", Text, primary_key=True),
        Column("forId", Text, nullable=False), Column("threadId", Text, _fk("threads"), nullable=False),
        Column("value", Integer, nullable=False), Column("comment", Text),
    ),
    # Our own: the bytes of elements, when they are kept in the database.
    "opgavewijzer_element_files": Table(
        "opgavewijzer_element_files", METADATA,
        Column("object_key", Text, primary_key=True),
        Column("mime", Text, nullable=False),
        Column("data", LargeBinary, nullable=False),
    ),
    # Every account: local ones with a salted scrypt hash; single sign-on and header logins without one.
    "opgavewijzer_accounts": Table(
        "opgavewijzer_accounts", METADATA,
        Column("identifier", Text, primary_key=True),
        Column("display_name", Text, nullable=False),
        Column("role", Text, nullable=False),
        Column("source", Text, nullable=False),
        Column("salt", LargeBinary, nullable=False),
        Column("hash", LargeBinary, nullable=False),
        Column("created_at", Text, nullable=False),
    ),
    # Open logins. Only a hash of the session id is kept: reading the table does not give a usable login.
    "opgavewijzer_login_sessions": Table(
        "opgavewijzer_login_sessions", METADATA,
        Column("sid_hash", Text, primary_key=True),
        Column("identifier", Text, nullable=False),
        Column("role", Text, nullable=False),
        Column("source", Text, nullable=False),
        Column("created", Float, nullable=False),
        Column("expires", Float, nullable=False),
        Index("login_sessions_identifier", "identifier"),
    ),
    # Failed logins per key (a name or a client address), counted by every server together.
    "opgavewijzer_login_failures": Table(
        "opgavewijzer_login_failures", METADATA,
        Column("key", Text, primary_key=True),
        Column("failures", Integer, nullable=False),
        Column("last", Float, nullable=False),
        Column("locked_until", Float, nullable=False),
        Index("login_failures_last", "last"),
    ),
    # The secret that signs login tokens, when the servers share a database URL.
    "opgavewijzer_secrets": Table(
        "opgavewijzer_secrets", METADATA,
        Column("name", Text, primary_key=True),
        Column("value", Text, nullable=False),
    ),
}
FILES = TABLES["opgavewijzer_element_files"]
ACCOUNTS = TABLES["opgavewijzer_accounts"]
SESSIONS = TABLES["opgavewijzer_login_sessions"]
FAILURES = TABLES["opgavewijzer_login_failures"]
SECRETS = TABLES["opgavewijzer_secrets"]
