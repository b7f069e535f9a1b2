"""English questions, Dutch sources: the domain terms of an English question in the words the sources use.

"What does the VPNG guide say about the line manager's strength?" shares no
word with the Dutch passage about "de pot met goud van de lijnmanager". The
multilingual embedding bridges part of that gap; this glossary bridges the
rest for the vocabulary of mission-oriented government, so that an English
question is searched, and its sentences scored, on the Dutch terms too.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

WORD = re.compile(r"[^\W\d_][\w-]*")  # a word of letters, hyphenated parts included
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
    return translate(question)[0]


def translate(question: str) -> tuple[list[str], list[str]]:
    """The Dutch words for the question's domain terms, and the question's words no entry covers
    ("metaphors", "conclude")."""
    found: list[tuple[int, str]] = []
    text = question
    for pattern, dutch in _entries():
        for match in pattern.finditer(text):
            found.append((match.start(), dutch))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)  # a longer phrase claims its words
    words: list[str] = []
    for _, dutch in sorted(found):
        words.extend(w for w in dutch.split() if w not in words)
    return words, WORD.findall(text)


# Spelling that English and Dutch write differently in the same word ("metaphor"/"metafoor",
# "hybrid"/"hybride", "practice"/"praktijk"); applied to both sides before comparing.
_SPELLING = (("ph", "f"), ("th", "t"), ("y", "i"), ("c", "k"))
COGNATE_PREFIX = 5  # letters two spellings must share at the start
COGNATE_SHARE = 0.6  # share of the shorter word the common start must cover


def cognate_key(word: str) -> str:
    """A word in a spelling English and Dutch share, for finding cognates ("metaphors" → "metafors")."""
    out = word.lower()
    for english, dutch in _SPELLING:
        out = out.replace(english, dutch)
    return out


def is_cognate(english: str, dutch: str) -> bool:
    """True if two words look like one word in two languages ("political"/"politieke", "conclude"/"concludeert")."""
    a, b = cognate_key(english), cognate_key(dutch)
    common = len(os.path.commonprefix([a, b]))
    return common >= COGNATE_PREFIX and common >= COGNATE_SHARE * min(len(a), len(b))
