"""The ``opgavewijzer`` command line: one edge of the project.

Subcommands live in one module per command group (``kb``, ``assistant``, ``ui``,
``eval``); this file builds the
parser, reads the settings once and turns the core's errors into messages and
exit codes (0: success, 1: partly failed, 2: error).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from typing import Sequence

from opgavewijzer import __version__
from opgavewijzer.errors import OpgavewijzerError


def prepare_process() -> None:
    """Process-wide switches that must be set before any model library loads."""
    # Models come from packages or local folders only; a hub lookup would hang offline.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    # Each group by its full name: this module must not import its own package, whose __init__ imports it.
    import opgavewijzer.cli.assistant as assistant
    import opgavewijzer.cli.documents as documents
    import opgavewijzer.cli.eval as eval_commands
    import opgavewijzer.cli.kb as kb
    import opgavewijzer.cli.ui as ui
    import opgavewijzer.cli.users as users

    parser = argparse.ArgumentParser(
        prog="opgavewijzer",
        description="Opgavewijzer: vragen over opgavegericht werken, beantwoord uit vijf bronnen.",
    )
    parser.add_argument("--version", action="version", version=f"opgavewijzer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (kb, documents, assistant, ui, users, eval_commands):
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    prepare_process()
    parser = build_parser()
    args = parser.parse_args(argv)
    from opgavewijzer.settings import Settings

    try:
        settings = Settings()
        return int(args.handler(args, settings) or 0)
    except OpgavewijzerError as err:
        print(f"fout: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("afgebroken", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
