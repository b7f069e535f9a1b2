"""Repairs of extraction damage inside and between lines.

Character normalisation, the inline repairs (glued footnote numbers, stray
links and file paths, Markdown/HTML markup), joining hard-wrapped and
hyphenated lines, and removing page furniture. Used by ``ingest.structure``
and ``ingest.cleaning``; ``clean_inline`` is also used to normalise evidence
in ``eval``.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Iterable


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
# A table-of-contents page reference ("Inleiding → 5", "Inleiding ...... 5") ends its line;
# elsewhere "2020 → 2030" is content, and only the arrow goes.
_TOC = re.compile(r"[ \t]*(?:→[ \t]*\d{0,4}|\.{4,}[ \t]*\d{1,3})[ \t]*$", re.MULTILINE)
# Superscript digits glued to a word of 3+ letters are footnote marks wherever they stand
# ("opgaven¹²"); units such as "m²" and "km²" have fewer letters.
_SUPERSCRIPT = re.compile(r"[¹²³⁴-⁹⁰]")
_SUPERSCRIPT_MARK = re.compile(r"(?<=[^\W\d_]{2}[a-zß-ÿ])[¹²³⁴-⁹⁰]+(?=[\s.,;:!?)\]’”]|$)")
# A footnote number glued to a word ("opgaven12.", "teams11 en 12"): a candidate only. Whether it is
# a footnote or part of a word or code ("covid19", "Python3") is decided per document (footnote_marks).
# Codes such as "CO2", "G40" or "km2" are never candidates (fewer letters, or upper case).
_GLUED_DIGIT = re.compile(r"[a-zß-ÿ]\d")
FOOTNOTE_CANDIDATE = re.compile(
    r"(?<![^\W\d_])([^\W\d_]*[^\W\d_]{2}[a-zß-ÿ])(\d{1,2})(?:\s+en\s+(\d{1,2}))?(?=[\s.,;:!?)\]’”]|$)"
)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;:!?)\]]|\.(?!\.))")  # but not before an ellipsis "..."


def normalise_chars(text: str) -> str:
    """NFC, no ligatures, soft hyphens or zero-width characters; odd spaces become spaces."""
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text).translate(_LIGATURES)))


@lru_cache(maxsize=8192)  # the heading heuristics look at the same lines several times
def clean_inline(text: str) -> str:
    """Inline repairs on any snippet: markup, links, paths, footnote numbers, line breaks, spaces."""
    text = normalise_chars(text)
    if "→" in text or "...." in text:
        text = _TOC.sub("", text)
    if "\n" in text:
        text = join_lines(text.split("\n"), None)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)  # [text](url) and ![alt](src) keep their words
    if "<" in text:
        text = _TAG.sub(" ", _SUP.sub("", _AUTOLINK.sub(" ", text)))
    if re.search(r"[:./\\]", text):  # cheap test before the expensive link pattern
        text = _URL.sub(" ", text)
    text = html.unescape(text) if "&" in text else text
    if "\\" in text or "_" in text:
        text = _MD_ESCAPE.sub(r"\1", _UNDERSCORE.sub(r"\1", text.replace("\\*", "\x00"))).replace("\x00", "*")
    # Asterisks are emphasis in Markdown and footnote marks in PDF extractions; neither is content.
    text = text.replace("*", "").replace("→", " ")
    if _SUPERSCRIPT.search(text):
        text = _SUPERSCRIPT_MARK.sub("", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)  # brackets emptied by link removal
    return _SPACE_BEFORE_PUNCT.sub(r"\1", re.sub(r"([(\[])\s+", r"\1", " ".join(text.split())))


CONJUNCTIONS = frozenset({"en", "of", "tot", "als", "noch", "dan", "en/of"})
_KEEP_PREFIXES = frozenset({"non", "niet", "anti", "ex", "oud", "vice"})
_HYPHEN_END = re.compile(r"([^\W\d_]+)-\s*$")


def join_lines(lines: list[str], lexicon: Counter[str] | None) -> str:
    """Join hard-wrapped lines, undoing line-break hyphenation the way Dutch spelling wants it."""
    parts: list[str] = []  # joined with single spaces at the end: linear in the paragraph's length
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        last = parts[-1] if parts else ""
        hyphen = _HYPHEN_END.search(last[-80:]) if last.endswith("-") else None
        first = re.match(r"[^\W\d_]+", line)
        if not hyphen or not first:
            parts.append(line)
            continue
        left, right = hyphen.group(1), first.group(0)
        joined, kept = (left + right).lower(), f"{left}-{right}".lower()
        if right.lower() in CONJUNCTIONS:  # "leef- en systeemwereld": an elided compound
            parts.append(line)
        elif lexicon and (lexicon[kept] > lexicon[joined] or lexicon[joined]):
            # The document itself shows how it writes the word elsewhere.
            parts[-1] = last + line if lexicon[kept] > lexicon[joined] else last[:-1] + line
        elif right[0].isupper() or left.lower() in _KEEP_PREFIXES or (
                left[-1] in "aeo" and right[0] in "aeiou" and len(left) > 2):
            parts[-1] = last + line  # "Noord-Holland", "non-profit", "collega-overheden"
        else:
            parts[-1] = last[:-1] + line  # "professiona-" + "lisering"
    return " ".join(parts)


def footnote_marks(texts: Iterable[str]) -> frozenset[tuple[str, int]]:
    """The glued numbers of a document that are provably footnote marks, as ``(word, number)``.

    A number glued to a word is a footnote mark when the document's marks count
    on: number n−1 or n+1 is glued to another word too ("netwerk7" … "antwoord8").
    A number that stands alone ("covid19"), continues only its own word
    ("Windows10", "Windows11") or sits on the same word twice (a code used
    twice) stays, because it belongs to the word.
    """
    seen: Counter[tuple[str, int]] = Counter()
    for text in texts:
        if not _GLUED_DIGIT.search(text):  # a fast scan first: most paragraphs have no candidate at all
            continue
        for match in FOOTNOTE_CANDIDATE.finditer(text):
            word = match.group(1).lower()
            for number in (match.group(2), match.group(3)):
                if number is not None:
                    seen[(word, int(number))] += 1
    words_of: dict[int, set[str]] = {}
    for (word, number), count in seen.items():
        if count == 1:  # a code used twice proves nothing about its neighbours either
            words_of.setdefault(number, set()).add(word)
    return frozenset(
        (word, number) for (word, number), count in seen.items()
        if count == 1 and any(words_of.get(n, set()) - {word} for n in (number - 1, number + 1))
    )


def strip_footnote_marks(text: str, marks: frozenset[tuple[str, int]]) -> str:
    """Remove the proven footnote marks (see :func:`footnote_marks`) from one text."""
    if not marks or not _GLUED_DIGIT.search(text):
        return text

    def repl(match: re.Match[str]) -> str:
        word = match.group(1)
        numbers = [int(n) for n in (match.group(2), match.group(3)) if n is not None]
        return word if any((word.lower(), n) in marks for n in numbers) else match.group()  # "teams11 en 12": one mark

    return FOOTNOTE_CANDIDATE.sub(repl, text)


NOTE_REACH = 30  # blocks: a page's footnotes follow its marks within about a page of paragraphs
_NOTE_LINE = re.compile(r"^(\d{1,2})\.\s+(\S.*?)\s*$", re.MULTILINE)


def footnote_lines(texts: list[str], marks: frozenset[tuple[str, int]]) -> list[str]:
    """The texts with each page footnote read as a list item written as a note: "47. Rotterdamse Standaard …"
    becomes "Noot 47: Rotterdamse Standaard …".

    A numbered line is a footnote when a proven mark with its number (see :func:`footnote_marks`) stands in
    one of the :data:`NOTE_REACH` blocks before it, and the line is no sentence (no closing full stop): the
    items of a numbered list ("1. Bouw aan een lerende organisatie.") stay list items. Call it before the
    marks are stripped.
    """
    numbers = {n for _, n in marks}
    last_mark: dict[int, int] = {}
    out: list[str] = []
    for i, text in enumerate(texts):

        def note(match: re.Match[str]) -> str:
            n, rest = int(match.group(1)), match.group(2)
            if n in last_mark and i - last_mark[n] <= NOTE_REACH and rest[-1] not in ".!?;:":
                return f"Noot {n}: {rest}"
            return match.group()

        out.append(_NOTE_LINE.sub(note, text) if numbers else text)
        for match in FOOTNOTE_CANDIDATE.finditer(text):
            for number in (match.group(2), match.group(3)):
                if number is not None and (match.group(1).lower(), int(number)) in marks:
                    last_mark[int(number)] = i
    return out


# --- page furniture -----------------------------------------------------------

# A page number line: group 1 and group 3 are what prove it on their own ("pagina", "blz.", "… van 12"),
# group 2 is the number. It fails at the first character of an ordinary line.
_PAGE_NO = re.compile(
    r"^\s*(?:(pagina|page|blz\.?|p\.)\s*)?[-–]?\s*(\d{1,3})\s*[-–]?(\s*(?:/|van|of)\s*\d{1,3})?\s*$", re.I)
Pages = list[tuple[int | None, list[str]]]


def strip_furniture(pages: Pages, fmt: str) -> Pages:
    """Drop what is provably page furniture, and lines that are nothing but a link.

    Provable: a page number (a bare number at a PDF page edge that runs with the
    page count, or with "pagina"/"blz."/"van N"; in text, bare numbers between
    blank lines that rise through the document) and a running header or footer
    (a line at a page edge that is the same on at least half of three or more
    pages, the page number apart). A line that differs from page to page in any
    other word or number carries content and stays.
    """
    offset = _page_offset(pages)

    def key(line: str, number: int | None) -> str:
        text = " ".join(line.strip().lstrip("#").split()).lower()
        if offset is None or number is None:
            return text
        return re.sub(rf"(?<!\d){number + offset}(?!\d)", "#", text)

    seen = Counter(k for number, lines in pages for k in {key(lines[i], number) for i in _edges(lines)})
    repeated = {k for k, n in seen.items() if len(pages) >= 3 and n >= max(3, len(pages) / 2)}
    page_numbers = _text_page_numbers(pages) if fmt != "pdf" else set()
    result: Pages = []
    for p, (number, lines) in enumerate(pages):
        edge = set(_edges(lines))

        def furniture(i: int, line: str) -> bool:
            match = _PAGE_NO.match(line)
            worded = bool(match and (match.group(1) or match.group(3)))
            if match and fmt == "pdf" and i in edge:
                return worded or (offset is not None and number is not None and int(match.group(2)) == number + offset)
            if match and fmt != "pdf":
                return worded and _standalone(lines, i) or (p, i) in page_numbers
            # A line of nothing but a link goes; in Markdown a line without words is markup ("|---|", "---").
            return (i in edge and key(line, number) in repeated) or not re.search(r"\w", _URL.sub("", line)) and (
                fmt != "md" or bool(re.search(r"\w", line)))

        result.append((number, [ln for i, ln in enumerate(lines) if not ln.strip() or not furniture(i, ln)]))
    return result


def _edges(lines: list[str]) -> list[int]:
    """The first two and last two filled lines of a page: where headers, footers and page numbers stand."""
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    return filled[:2] + filled[-2:]


def _standalone(lines: list[str], i: int) -> bool:
    """Whether line ``i`` has a blank line (or the start or end of the text) next to it."""
    return i == 0 or i == len(lines) - 1 or not lines[i - 1].strip() or not lines[i + 1].strip()


def _page_offset(pages: Pages) -> int | None:
    """The difference between printed page numbers and page positions, if the PDF shows one.

    A number at a page edge is a page number when the same difference holds on
    at least two pages and on more pages than any other difference.
    """
    votes: Counter[int] = Counter()
    for number, lines in pages:
        if number is None:
            continue
        found = {int(n) - number for i in _edges(lines) for n in re.findall(r"(?<![\d.,])\d{1,3}(?![\d.,]\d)", lines[i])}
        votes.update(found)
    if not votes:
        return None
    (best, count), *rest = votes.most_common(2) + [(0, 0)]
    return best if count >= 2 and count > rest[0][1] else None


def _text_page_numbers(pages: Pages) -> set[tuple[int, int]]:
    """Bare numbers between blank lines that rise through a text extraction: its page numbers.

    The longest strictly rising series of such lines is taken (at least two), so
    a lone number in the text ("42") or one out of order is not removed.
    """
    found = [(p, i, int(m.group(2))) for p, (_, lines) in enumerate(pages) for i, ln in enumerate(lines)
             if (m := _PAGE_NO.match(ln)) and not (m.group(1) or m.group(3)) and _standalone(lines, i)]
    # Longest strictly increasing subsequence, O(n log n).
    tails: list[int] = []
    tail_at: list[int] = []
    parent: list[int] = [-1] * len(found)
    for k, (_, _, value) in enumerate(found):
        pos = bisect.bisect_left(tails, value)
        if pos == len(tails):
            tails.append(value)
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = value, k
        parent[k] = tail_at[pos - 1] if pos else -1
    if len(tails) < 2:
        return set()
    chosen, k = set(), tail_at[-1]
    while k >= 0:
        chosen.add(found[k][:2])
        k = parent[k]
    return chosen
