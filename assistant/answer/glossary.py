"""English questions, Dutch sources: the domain terms of an English question in the words the sources use.

"What does the VPNG guide say about the line manager's strength?" shares no
word with the Dutch passage about "de pot met goud van de lijnmanager". The
multilingual embedding bridges part of that gap; this glossary bridges the
rest for the vocabulary of mission-oriented government, so that an English
question is searched, and its sentences scored, on the Dutch terms too.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("glossary_en_nl.tsv")


@cache
def _entries(path: Path = GLOSSARY_FILE) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The glossary, longest English phrase first, so "line manager" wins over "manager"."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, _, dutch = line.partition("\t")
        if english.strip() and dutch.strip():
            rows.append((english.strip().lower(), dutch.strip()))
    rows.sort(key=lambda r: -len(r[0]))
    return tuple((re.compile(rf"(?<![\w-]){re.escape(en)}(?![\w-])", re.IGNORECASE), nl) for en, nl in rows)


def dutch_terms(question: str) -> list[str]:
    """The Dutch words for the domain terms of an English question, in order of appearance, each once."""
    found: list[tuple[int, str]] = []
    text = question
    for pattern, dutch in _entries():
        for match in pattern.finditer(text):
            found.append((match.start(), dutch))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)  # a longer phrase claims its words
    words: list[str] = []
    for _, dutch in sorted(found):
        words.extend(w for w in dutch.split() if w not in words)
    return words
