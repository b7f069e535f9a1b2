"""``opgavewijzer users``: the maintainer makes, changes and removes the chat's local accounts.

The accounts are in the chat database the settings name (the SQLite file, or
``ui.chat_db_url`` shared by several servers), so a command run on any machine
acts for every server. A change takes effect at once, also on running servers:
a new password, a new role or a removed account ends that account's open
sessions. The first command on a machine also takes over the accounts file of
an older version (see :mod:`ui.account_import`) and says what it did.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from contextlib import contextmanager
from typing import Any, Iterator

from opgavewijzer.errors import AccountError
from opgavewijzer.settings import Settings

ROLE_HELP = "rol: gebruiker (standaard) of beheerder (mag documenten toevoegen)"
ORIGINS = {"settings": " (uit OPGAVEWIJZER_UI__MAINTAINER_PASSWORD)", "header": " (kopregel van de proxy)"}


def register(sub: Any) -> None:
    """Add ``users`` and its subcommands to the parser."""
    p = sub.add_parser("users", help="accounts van de chat beheren (lokaal inloggen)")
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTIE")

    q = users.add_parser("list", help="alle accounts tonen")
    q.set_defaults(handler=cmd_list)

    q = users.add_parser("add", help="een account maken")
    q.add_argument("name", help="inlognaam")
    q.add_argument("--role", default="gebruiker", help=ROLE_HELP)
    q.add_argument("--password-stdin", action="store_true", help="wachtwoord van standaardinvoer lezen (voor scripts)")
    q.set_defaults(handler=cmd_add)

    q = users.add_parser("reset", help="nieuw wachtwoord en/of andere rol; beëindigt de open sessies")
    q.add_argument("name", help="inlognaam")
    q.add_argument("--role", default=None, help=ROLE_HELP)
    q.add_argument("--keep-password", action="store_true", help="alleen de rol wijzigen")
    q.add_argument("--password-stdin", action="store_true", help="wachtwoord van standaardinvoer lezen (voor scripts)")
    q.set_defaults(handler=cmd_reset)

    q = users.add_parser("remove", help="een account verwijderen; beëindigt de open sessies")
    q.add_argument("name", help="inlognaam")
    q.set_defaults(handler=cmd_remove)

    q = users.add_parser("logout", help="alle open sessies van een naam beëindigen (ook bij single sign-on)")
    q.add_argument("name", help="inlognaam of identificatie (bijv. e-mailadres)")
    q.set_defaults(handler=cmd_logout)


@contextmanager
def _access(settings: Settings) -> Iterator[Any]:
    """The accounts and sessions of the settings' chat database, an older accounts file taken over first."""
    from ui.access import Access

    access = Access(settings)
    try:
        report = access.import_old_accounts()
        if report is not None:
            print(report.message(), file=sys.stderr)
        yield access
    finally:
        access.db.close()


def read_password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nogmaals: ") != first:
        raise AccountError("de twee wachtwoorden verschillen")
    return first


def origin(source: str) -> str:
    """How an account logs in, as shown after its name (nothing for a local account)."""
    if source.startswith("oidc:"):
        return f" (single sign-on: {source.removeprefix('oidc:')})"
    return ORIGINS.get(source, "")


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every account: name, role, since when, and how it logs in."""
    with _access(settings) as access:
        accounts = access.accounts.list()
    if not accounts:
        print("Nog geen accounts. Maak er een met: opgavewijzer users add NAAM")
    for account in accounts:
        print(f"{account.display_name:<30} {account.role:<10} sinds {account.created_at[:10]}{origin(account.source)}")
    return 0


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    """Make one account."""
    from ui.auth import check_password, check_role

    check_role(args.role)  # before asking for a password that would then be thrown away
    password = check_password(read_password(args.password_stdin))
    with _access(settings) as access:
        account = access.accounts.add(args.name, password, args.role)
    print(f"account '{account.display_name}' gemaakt ({account.role})")
    return 0


def cmd_reset(args: argparse.Namespace, settings: Settings) -> int:
    """Give an account a new password and/or role."""
    if args.keep_password and args.role is None:
        raise AccountError("--keep-password zonder --role wijzigt niets")
    password = None if args.keep_password else read_password(args.password_stdin)
    with _access(settings) as access:
        access.accounts.reset(args.name, password=password, role=args.role)
    print(f"account '{args.name}' gewijzigd; open sessies zijn beëindigd")
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Remove an account."""
    with _access(settings) as access:
        access.accounts.remove(args.name)
    print(f"account '{args.name}' verwijderd; open sessies zijn beëindigd")
    return 0


def cmd_logout(args: argparse.Namespace, settings: Settings) -> int:
    """End every open session of a name (any kind of login)."""
    with _access(settings) as access:
        ended = access.sessions.end_all(" ".join(args.name.split()).lower())
    print(f"{ended} open sessie(s) van '{args.name}' beëindigd")
    return 0
