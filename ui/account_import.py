"""Accounts of older versions, kept in one SQLite file per server, taken into the chat database once.

Older versions kept local accounts and open sessions in ``accounts.sqlite3``
in each server's data folder (or the file ``ui.accounts_db`` named). At its
first start on the shared chat database, each server imports its file: every
local account the database lacks is added as it is (the same salted hash, so
the same password), open sessions come along (so nobody is logged out), and
the file is renamed ``accounts.sqlite3.overgezet``, so that it is read once
and kept, never deleted. A name that the database already has with another
password hash or role (made separately on two servers) is reported and not
merged: the database keeps its account, the file keeps the other one. The
settings' maintainer ``beheerder`` is not imported: every server makes it
from ``maintainer_password``.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from opgavewijzer.errors import AccountError
from opgavewijzer.settings import Settings
from ui.auth import PASSWORD_SOURCES, SOURCE_SETTINGS
from ui.schema import ACCOUNTS, SESSIONS
from ui.sessions import sid_hash
from ui.shared_db import SharedDb, insert_ignore

OLD_FILE = "accounts.sqlite3"
DONE_SUFFIX = ".overgezet"

MSG_DONE = ("Accounts uit {source} overgezet naar de chatdatabase: {added} nieuw, {present} waren er al, "
            "{sessions} open sessie(s) meegenomen. Het oude bestand is bewaard als {kept}.")
MSG_CONFLICT = ("LET OP: '{name}' staat al in de chatdatabase met een ander wachtwoord of een andere rol. Het "
                "account uit {source} is niet overgenomen (het staat nog in {kept}); de chatdatabase houdt het "
                "hare. Zo nodig: opgavewijzer users reset '{name}'")
MSG_UNREADABLE = "{source} is geen leesbaar accountbestand ({reason}); het is niet overgezet en niet gewijzigd"


@dataclass(frozen=True)
class ImportReport:
    """What one old accounts file brought into the chat database."""

    source: Path
    kept_as: Path
    added: tuple[str, ...]
    present: tuple[str, ...]  # the same account (same hash and role) was already there
    conflicts: tuple[str, ...]  # the same name with another hash or role: not merged
    sessions: int

    def message(self) -> str:
        """The report for the maintainer, in Dutch, one line per conflict."""
        lines = [MSG_DONE.format(source=self.source, added=len(self.added), present=len(self.present),
                                 sessions=self.sessions, kept=self.kept_as)]
        lines += [MSG_CONFLICT.format(name=name, source=self.source, kept=self.kept_as) for name in self.conflicts]
        return "\n".join(lines)


def old_accounts_file(settings: Settings) -> Path:
    """Where an older version of this server kept its accounts."""
    return settings.ui.accounts_db or settings.data_dir / OLD_FILE


def import_accounts_file(db: SharedDb, path: Path) -> ImportReport | None:
    """Import one old accounts file into ``db`` and rename it; None if there is no such file."""
    if not path.is_file():
        return None
    accounts, sessions = _read(path)
    now = time.time()

    def run(conn: Connection) -> tuple[list[str], list[str], list[str], int]:
        added, present, conflicts = [], [], []
        for row in accounts:
            if row["source"] == SOURCE_SETTINGS:
                continue
            if insert_ignore(conn, ACCOUNTS, **row):
                added.append(row["identifier"])
                continue
            have = conn.execute(select(ACCOUNTS.c.role, ACCOUNTS.c.source, ACCOUNTS.c.salt, ACCOUNTS.c.hash).where(
                ACCOUNTS.c.identifier == row["identifier"])).one()
            same = (have[0], have[1], bytes(have[2]), bytes(have[3])) == (
                row["role"], row["source"], row["salt"], row["hash"])
            (present if same else conflicts).append(row["identifier"])
        carried = 0
        for s in sessions:
            ours = s["identifier"] in added or s["identifier"] in present or s["source"] not in PASSWORD_SOURCES
            if ours and s["expires"] > now:
                carried += insert_ignore(conn, SESSIONS, sid_hash=sid_hash(s["sid"]), identifier=s["identifier"],
                                         role=s["role"], source=s["source"], created=s["created"],
                                         expires=s["expires"])
        return added, present, conflicts, carried

    added, present, conflicts, carried = db.call(run)
    kept = _set_aside(path)
    return ImportReport(path, kept, tuple(added), tuple(present), tuple(conflicts), carried)


def _read(path: Path) -> tuple[list[dict], list[dict]]:
    """The accounts and sessions of an old file (mode=rw: a file that vanished is not made anew)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise AccountError(MSG_UNREADABLE.format(source=path, reason=exc)) from exc
    conn.row_factory = sqlite3.Row
    try:
        return (_rows(conn, "SELECT identifier, display_name, role, source, salt, hash, created_at "
                           "FROM opgavewijzer_accounts", path),
                _rows(conn, "SELECT sid, identifier, role, source, created, expires FROM opgavewijzer_sessions", path))
    finally:
        conn.close()  # the last connection: SQLite folds a write-ahead log back into the file


def _rows(conn: sqlite3.Connection, query: str, path: Path) -> list[dict]:
    try:
        return [dict(row) for row in conn.execute(query)]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []  # made by an older server that never got that far
        raise AccountError(MSG_UNREADABLE.format(source=path, reason=exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise AccountError(MSG_UNREADABLE.format(source=path, reason=exc)) from exc


def _set_aside(path: Path) -> Path:
    """Rename the imported file so that it is not read again; a name already taken gets a number."""
    kept, number = path.with_name(path.name + DONE_SUFFIX), 1
    while kept.exists():
        number += 1
        kept = path.with_name(f"{path.name}{DONE_SUFFIX}.{number}")
    try:
        os.replace(path, kept)
    except FileNotFoundError:
        pass  # another server on this data folder imported it at the same moment
    return kept
