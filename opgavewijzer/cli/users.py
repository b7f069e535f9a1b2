"""``opgavewijzer users``: the maintainer makes, changes and removes the chat's local accounts.

A change takes effect at once, also on a running server: a new password, a
new role or a removed account ends that account's open sessions.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from opgavewijzer.errors import AccountError
from opgavewijzer.settings import Settings

ROLE_HELP = "rol: gebruiker (standaard) of beheerder (mag documenten toevoegen)"


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


def _accounts(settings: Settings) -> Any:
    from ui.auth import Accounts, accounts_db_path

    return Accounts(accounts_db_path(settings), self_registration=settings.ui.self_registration)


def read_password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nogmaals: ") != first:
        raise AccountError("de twee wachtwoorden verschillen")
    return first


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every account: name, role, since when."""
    accounts = _accounts(settings).list()
    if not accounts:
        print("Nog geen accounts. Maak er een met: opgavewijzer users add NAAM")
    for account in accounts:
        origin = " (uit OPGAVEWIJZER_UI__MAINTAINER_PASSWORD)" if account.source == "settings" else ""
        print(f"{account.display_name:<30} {account.role:<10} sinds {account.created_at[:10]}{origin}")
    return 0


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    """Make one account."""
    from ui.auth import check_password, check_role

    accounts = _accounts(settings)
    check_role(args.role)  # before asking for a password that would then be thrown away
    account = accounts.add(args.name, check_password(read_password(args.password_stdin)), args.role)
    print(f"account '{account.display_name}' gemaakt ({account.role})")
    return 0


def cmd_reset(args: argparse.Namespace, settings: Settings) -> int:
    """Give an account a new password and/or role."""
    if args.keep_password and args.role is None:
        raise AccountError("--keep-password zonder --role wijzigt niets")
    password = None if args.keep_password else read_password(args.password_stdin)
    _accounts(settings).reset(args.name, password=password, role=args.role)
    print(f"account '{args.name}' gewijzigd; open sessies zijn beëindigd")
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Remove an account."""
    _accounts(settings).remove(args.name)
    print(f"account '{args.name}' verwijderd; open sessies zijn beëindigd")
    return 0


def cmd_logout(args: argparse.Namespace, settings: Settings) -> int:
    """End every open session of a name (any kind of login)."""
    from ui.auth import accounts_db_path
    from ui.sessions import SessionList

    ended = SessionList.at(accounts_db_path(settings), settings.ui.session_hours * 3600).end_all(
        " ".join(args.name.split()).lower())
    print(f"{ended} open sessie(s) van '{args.name}' beëindigd")
    return 0
