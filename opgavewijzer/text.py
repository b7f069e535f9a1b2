"""Sentence spans and question language: the small text tools the answer stages share."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

Language = Literal["nl", "en"]

# Lower case, without the final period. Internal periods are kept ("o.a").
_ABBREVIATIONS = frozenset(
    "bijv bv bijvoorbeeld o.a d.w.z m.b.t t.a.v i.p.v c.q e.d e.a m.n n.a.v a.s jl resp incl excl evt ca vs vgl "
    "o.b.v i.s.m i.o.m t.b.v t.z.t z.s.m m.u.v ong vnl afd tel nr nrs blz pag p pp dr drs prof mr ir ing "
    "dhr mevr mw st jr sr art hfst fig tab zgn zg red e.v m.i m.a.w d.m.v i.v.m n.v.t o.m al etc enz "
    "mln mld min max cf e.g i.e".split()
)
_MAY_END_SENTENCE = frozenset({"etc", "enz"})  # "…, etc. De leefwereld …" does end a sentence
_CANDIDATE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_SENTENCE_START = re.compile(r"[\"'‘“(\[•\-–]*[A-ZÀ-ÞĲ0-9]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_NONSPACE = re.compile(r"\S")

_EN_WORDS = frozenset(
    "the what how why which who does do did is are was were of and to according guide report about "
    "should can could would you your my i we our their this that these those when where mean means "
    "between with from for by its it".split()
)
_NL_WORDS = frozenset(
    "de het een wat hoe waarom welke welk wie wanneer waar van en zijn volgens ik je jij wij we ons onze "
    "mijn bij voor over niet ook dat die dit deze er naar met om kan kun moet wordt worden heeft hebben "
    "zegt gaat eigenlijk nou".split()
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, stripped of surrounding whitespace.

    This is the one sentence splitter of the project: ingest cuts passages and
    sentence records with it, and the answer stages quote with it, so a quote
    always starts and ends where the document's sentence does. Line breaks
    always end a sentence (cleaned text puts headings, list items and
    paragraphs on lines of their own), so a heading never glues onto the
    sentence that follows it. Together the spans cover every word.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend((offset + s, offset + e) for s, e in _line_spans(line))
        offset += len(line) + 1
    return spans


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans within one line, Dutch-aware.

    A period ends a sentence only before a capital or digit, and not after an
    abbreviation ("bijv.", "o.a.", "prof."), an initial ("M. van der Steen") or
    an enumeration label at the start of a sentence ("1. Heb aandacht …").
    """
    spans: list[tuple[int, int]] = []
    length = len(text.rstrip())
    start = len(text) - len(text.lstrip())
    for match in _CANDIDATE.finditer(text, start):
        # The next non-space character; searched, not sliced, so a long line stays linear.
        nonspace = _NONSPACE.search(text, match.end())
        following = nonspace.start() if nonspace else len(text)
        if following >= length or not _SENTENCE_START.match(text, following):
            continue
        if match.group().rstrip("\"'”’»)]") == "." and _no_full_stop(text[start:match.start()]):
            continue
        spans.append((start, match.end()))
        start = following
    if start < length:
        spans.append((start, length))
    return spans


def _no_full_stop(before: str) -> bool:
    """True if a period after ``before`` belongs to an abbreviation, an initial or a list number."""
    word = (before.split() or [""])[-1].lstrip("(\"'‘“[")
    lower = word.lower()
    return bool(
        (lower in _ABBREVIATIONS and lower not in _MAY_END_SENTENCE)
        or re.fullmatch(r"[^\W\d_]", word)  # an initial: "M. van der Steen"
        or re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", word)  # "M.W. van Buuren"
        or (re.fullmatch(r"\d{1,2}", word) and before.strip() == word)  # "1. Heb aandacht …"
    )


def words(text: str) -> list[str]:
    """Lower-cased alphabetic words of a text."""
    return [w.lower() for w in _WORD.findall(text)]


def detect_language(text: str) -> Language:
    """'en' when a question reads as English, otherwise 'nl' (the default of the product).

    Counting function words is enough here: questions are short, and the
    answer only needs to know which language to frame the quotes in.
    """
    tokens = words(text)
    english = sum(t in _EN_WORDS for t in tokens)
    dutch = sum(t in _NL_WORDS for t in tokens)
    return "en" if english >= 2 and english > dutch else "nl"


_INSTRUCTION = re.compile(
    r"\b(?:negeer|vergeet|ignore|disregard|forget)\b.{0,60}\b(?:instructies?|opdrachten|regels|instructions?|rules|prompt)\b"
    r"|\b(?:je bent nu|jij bent nu|you are now|system prompt|systeemprompt|systeeminstructie)\b"
    r"|\b(?:antwoord|answer) (?:voortaan |from now on )?(?:alleen|only)\b",
    re.IGNORECASE,
)


def instruction_like(text: str) -> bool:
    """True for a sentence that addresses the assistant rather than the reader ("negeer alle eerdere instructies").

    Such sentences in a document are never quoted as an answer and never count
    as support for a claim: they are an attempt to steer, not information.
    """
    return bool(_INSTRUCTION.search(text))


def without_instructions(text: str) -> str:
    """``text`` with its instruction-like sentences blanked out (offsets unchanged)."""
    out = text
    for start, end in sentence_spans(text):
        if instruction_like(text[start:end]):
            out = out[:start] + " " * (end - start) + out[end:]
    return out


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace into one space."""
    return " ".join(text.split())


# wordfreq's Zipf scale (3 = once per million words). A word this common in Dutch, and more Dutch than English,
# is a word of its own, not a typo: "hoofdstad" must not become "hofstad", nor "opvragen" "opvangen". Chosen on
# every repair the typo index made on the labelled questions: each real typo had a Dutch Zipf below 2.6.
COMMON_DUTCH_ZIPF = 3.0


def word_frequency(word: str) -> tuple[float, float]:
    """How common ``word`` is in Dutch and in English, on wordfreq's Zipf scale."""
    from wordfreq import zipf_frequency  # its word lists load on first use, not at import

    return zipf_frequency(word, "nl"), zipf_frequency(word, "en")


def common_dutch(word: str) -> bool:
    """True if ``word`` is a common Dutch word (see :data:`COMMON_DUTCH_ZIPF`); "province" is English first."""
    dutch, english = word_frequency(word)
    return dutch >= COMMON_DUTCH_ZIPF and dutch >= english


# The most frequent Dutch words read for a respelling: the least common of them lies below COMMON_DUTCH_ZIPF.
COMMON_WORDS = 40000
_LETTERS_NL = "abcdefghijklmnopqrstuvwxyzéëïöü"


@cache
def _common_words() -> frozenset[str]:
    """wordfreq's most frequent Dutch words (loaded once, on first use)."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("nl", COMMON_WORDS))


def common_respelling(word: str) -> str | None:
    """The most frequent common Dutch word one edit from ``word`` ("ingedient" → "ingediend"), or None.

    A typo of an everyday word must become that word, not the nearest word some document happens to use
    ("ingredient").
    """
    w = word.lower()
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    edits = {a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1} | {
        a + c + b[1:] for a, b in splits if b for c in _LETTERS_NL} | {a + c + b for a, b in splits for c in _LETTERS_NL}
    found = [e for e in edits - {w} if e in _common_words() and common_dutch(e)]
    return max(found, key=lambda e: word_frequency(e)[0], default=None)


def everyday_compound(word: str) -> bool:
    """True if ``word`` is two common Dutch words joined, with or without a linking s ("stroom|net",
    "bouw|projecten"): a word of its own that a dictionary lacks, not a typo."""
    w = word.lower()
    words = _common_words()

    def common(part: str) -> bool:
        return len(part) >= 3 and part in words and common_dutch(part)

    return any(common(w[i:]) and (common(w[:i]) or (w[i - 1] == "s" and common(w[:i - 1])))
               for i in range(3, len(w) - 2))
