"""Subcommands of the chat UI: ``serve`` starts it, ``feedback`` shows what users said."""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from typing import Any, Mapping

from pydantic import SecretStr

from opgavewijzer.errors import ConfigError, IndexMissingError
from opgavewijzer.settings import PROJECT_ROOT, Settings, settings_fields

UI_ROOT = PROJECT_ROOT / "ui"
APP_FILE = UI_ROOT / "app.py"


def register(sub: Any) -> None:
    """Add the chat-UI subcommands to the parser."""
    p = sub.add_parser("serve", help="de chat-interface starten (Chainlit)")
    p.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard: alleen deze computer)")
    p.add_argument("--port", type=int, default=8000, help="poort (standaard: 8000)")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("feedback", help="feedback van gebruikers uit de chat tonen")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON Lines")
    p.set_defaults(handler=cmd_feedback)


def serve_command(host: str, port: int) -> list[str]:
    """The Chainlit command line that serves the chat."""
    return [sys.executable, "-m", "chainlit", "run", str(APP_FILE), "--headless", "--host", host, "--port", str(port)]


def settings_environment(settings: Settings) -> dict[str, str]:
    """The settings as ``OPGAVEWIJZER_*`` variables, so that the server process reads exactly these."""
    env = {}
    for variable, _, _, value in settings_fields(settings):
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        env[variable] = json.dumps(list(value)) if isinstance(value, (list, tuple)) else str(value)
    return env


def serve_environment(settings: Settings, base: Mapping[str, str]) -> dict[str, str]:
    """The environment of the chat server: these settings, the ui folder as app root, a login secret.

    A ``CHAINLIT_APP_ROOT`` or ``CHAINLIT_AUTH_SECRET`` already in ``base`` is kept.
    """
    from ui.login_secret import ensure_auth_secret

    env = {**base, **settings_environment(settings)}
    env.setdefault("CHAINLIT_APP_ROOT", str(UI_ROOT))
    if "CHAINLIT_AUTH_SECRET" not in env:
        env["CHAINLIT_AUTH_SECRET"] = ensure_auth_secret(settings)
    for key, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False"),
                       ("TOKENIZERS_PARALLELISM", "false")):
        env.setdefault(key, value)
    # The web gate (ui.gate) reads X-Forwarded-For itself, from the trusted proxies only; uvicorn's
    # own reading would hide which proxy a request came through.
    env["FORWARDED_ALLOW_IPS"] = ""
    return env


def keep_files_private() -> None:
    """Everything the chat server creates is private to its user (umask 077, kept across exec)."""
    os.umask(0o077)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Check that there is an index, then replace this process by the Chainlit server."""
    from kb.store import ChromaStore

    if not 0 < args.port < 65536:
        raise ConfigError(f"poort {args.port} bestaat niet (kies 1-65535)")
    if ChromaStore(settings).active_info() is None:
        raise IndexMissingError("nog geen index: draai eerst 'opgavewijzer ingest' (of 'make run')")
    env = serve_environment(settings, os.environ)
    print(f"Opgavewijzer draait op http://{args.host}:{args.port}  (stoppen: Ctrl-C)", file=sys.stderr, flush=True)
    cmd = serve_command(args.host, args.port)
    keep_files_private()
    os.execve(cmd[0], cmd, env)
    return 0  # pragma: no cover  (execve does not return)


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    """Print the feedback stored by the chat, newest first."""
    from ui.store import chat_db, read_feedback

    rows = read_feedback(chat_db(settings))  # the SQLite file, or the database of ui.chat_db_url
    if args.json:
        for row in rows:
            print(json.dumps({k: printable(v) if isinstance(v, str) else v for k, v in row.to_json().items()},
                             ensure_ascii=False))
        return 0
    if not rows:
        print("Nog geen feedback.")
        return 0
    for row in rows:
        thumb = "+" if row.value else "-"
        print(f"[{thumb}] {printable(row.created_at[:19])}  {printable(row.user)}")
        print(f"    vraag:    {_short(row.question)}")
        print(f"    antwoord: {_short(row.answer)}")
        if row.comment:
            print(f"    opmerking: {_short(row.comment, 2000)}")
    return 0


def printable(text: str) -> str:
    """``text`` without control and format characters: users wrote it, a maintainer's terminal shows it.

    Escape sequences (ESC, CSI), bells and bidirectional overrides would otherwise
    act on the terminal or disguise what is shown.
    """
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in _HIDDEN)


_HIDDEN = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

