"""Opgavewijzer: a Dutch knowledge assistant about opgavegericht werken.

This package holds what every layer shares: the settings, the error hierarchy
and the command line. The layers themselves are ``ingest`` → ``kb`` ←
``assistant``, with ``eval`` on top.
"""

__version__ = "0.1.0"
