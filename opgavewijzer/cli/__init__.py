"""The command line edge: parse, read Settings once, turn errors into messages and exit codes."""

from opgavewijzer.cli.main import main

__all__ = ["main"]
