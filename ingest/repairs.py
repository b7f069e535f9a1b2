"""Repairs of extraction damage inside and between lines.

Character normalisation, the inline repairs (glued footnote numbers, stray
links and file paths, Markdown/HTML markup), joining hard-wrapped and
hyphenated lines, and removing page furniture. Used by ``ingest.structure``
and ``ingest.cleaning``; ``clean_inline`` is also used to normalise evidence
in ``eval``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache


# --- inline repairs ---------------------------------------------------------

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\r]")
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000\ue000-\uf8ff]")  # incl. Wingdings bullets
_END = r"[^\s<>\"]*[^\s<>\".,;:!?)\]’”']"  # a link does not take the sentence's final punctuation
_URL = re.compile(
    r"(?:\b(?:https?|ftp|file):/{1,3}|(?<![\w@.])www\.)" + _END  # e-mail addresses stay
    + r"|(?<![\w/])(?:[A-Za-z]:\\|/(?:Users|home|Volumes|mnt|tmp|var|private)/)" + _END
)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(?:(?:https?|ftp|file):|www\.)[^<>\s]*>", re.IGNORECASE)
_SUP = re.compile(r"<sup>\s*[\d*,\s]*</sup>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_UNDERSCORE = re.compile(r"(?<!\w)_{1,3}(?=\S)(.+?)(?<=\S)_{1,3}(?!\w)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_TOC = re.compile(r"\s*→\s*\d{0,4}|\s*\.{4,}\s*\d{1,3}\b")
# A footnote number glued to a word of 3+ letters ("opgaven12.", "teams11 en 12"),
# but not codes such as "CO2", "G40" or "km2" (fewer letters, or upper case).
_FOOTNOTE = re.compile(r"(?<=[^\W\d_]{2}[a-zß-ÿ])(?:\d{1,2}(?:\s+en\s+\d{1,2})?|[¹²³⁴-⁹⁰]+)(?=[\s.,;:!?)\]’”]|$)")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:!?)\]]|\.(?!\.))")  # but not before an ellipsis "..."


def normalise_chars(text: str) -> str:
    """NFC, no ligatures, soft hyphens or zero-width characters; odd spaces become spaces."""
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text).translate(_LIGATURES)))


@lru_cache(maxsize=8192)  # the heading heuristics look at the same lines several times
def clean_inline(text: str) -> str:
    """Inline repairs on any snippet: markup, links, paths, footnote numbers, line breaks, spaces."""
    text = normalise_chars(text)
    if "\n" in text:
        text = join_lines(text.split("\n"), None)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)  # [text](url) and ![alt](src) keep their words
    if "<" in text:
        text = _TAG.sub(" ", _SUP.sub("", _AUTOLINK.sub(" ", text)))
    if re.search(r"[:./\\]", text):  # cheap test before the expensive link pattern
        text = _URL.sub(" ", text)
    if "→" in text or "...." in text:
        text = _TOC.sub(" ", text)
    text = html.unescape(text) if "&" in text else text
    if "\\" in text or "_" in text:
        text = _MD_ESCAPE.sub(r"\1", _UNDERSCORE.sub(r"\1", text.replace("\\*", "\x00"))).replace("\x00", "*")
    # Asterisks are emphasis in Markdown and footnote marks in PDF extractions; neither is content.
    text = _FOOTNOTE.sub("", text.replace("*", "").replace("→", " "))
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)  # brackets emptied by link removal
    return _SPACE_BEFORE_PUNCT.sub(r"\1", re.sub(r"([(\[])\s+", r"\1", " ".join(text.split())))


_CONJUNCTIONS = frozenset({"en", "of", "tot", "als", "noch", "dan", "en/of"})
_KEEP_PREFIXES = frozenset({"non", "niet", "anti", "ex", "oud", "vice"})
_HYPHEN_END = re.compile(r"([^\W\d_]+)-\s*$")


def join_lines(lines: list[str], lexicon: Counter[str] | None) -> str:
    """Join hard-wrapped lines, undoing line-break hyphenation the way Dutch spelling wants it."""
    out = ""
    for line in (ln.strip() for ln in lines):
        hyphen = _HYPHEN_END.search(out[-80:]) if out.endswith("-") else None
        first = re.match(r"[^\W\d_]+", line)
        if not line or not hyphen or not first:
            out = f"{out} {line}".strip()
            continue
        left, right = hyphen.group(1), first.group(0)
        joined, kept = (left + right).lower(), f"{left}-{right}".lower()
        if right.lower() in _CONJUNCTIONS:  # "leef- en systeemwereld": an elided compound
            out = f"{out} {line}"
        elif lexicon and (lexicon[kept] > lexicon[joined] or lexicon[joined]):
            # The document itself shows how it writes the word elsewhere.
            out = out + line if lexicon[kept] > lexicon[joined] else out[:-1] + line
        elif right[0].isupper() or left.lower() in _KEEP_PREFIXES or (
                left[-1] in "aeo" and right[0] in "aeiou" and len(left) > 2):
            out += line  # "Noord-Holland", "non-profit", "collega-overheden"
        else:
            out = out[:-1] + line  # "professiona-" + "lisering"
    return out


# --- page furniture -----------------------------------------------------------

_PAGE_NO = re.compile(r"^\s*(?:(?:pagina|page|blz\.?|p\.)\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:/|van|of)\s*\d{1,3})?\s*$", re.I)
Pages = list[tuple[int | None, list[str]]]


def strip_furniture(pages: Pages, fmt: str) -> Pages:
    """Drop page numbers, running headers/footers (PDF) and lines that are nothing but a link."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lstrip("#").strip().lower())

    def edges(lines: list[str]) -> list[int]:
        filled = [i for i, ln in enumerate(lines) if ln.strip()]
        return filled[:2] + filled[-2:]

    seen = Counter(k for _, lines in pages for k in {key(lines[i]) for i in edges(lines)})
    repeated = {k for k, n in seen.items() if len(pages) >= 3 and n >= max(3, len(pages) / 2)}
    result: Pages = []
    for number, lines in pages:
        edge = set(edges(lines))
        blank = [not ln.strip() for ln in lines] + [True]
        result.append((number, [ln for i, ln in enumerate(lines) if not ln.strip() or not (
            (_PAGE_NO.match(ln) and (i in edge if fmt == "pdf" else blank[i - 1] or blank[i + 1]))
            or (i in edge and key(ln) in repeated)
            or not re.search(r"\w", _URL.sub("", ln)))]))
    return result


