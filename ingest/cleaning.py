"""Turning raw extracted text into clean headings and paragraphs.

The repairs follow the damage found in the corpus (see ``corpus/README.md``):
hyphenated line breaks, hard-wrapped and two-column text, paragraphs cut by a
page break (with footnotes or a text box in between), glued footnote numbers,
stray links and file paths, Markdown/HTML markup and page furniture. Repairs
remove markup or move text; none drops words, which ``tests/test_cleaning.py``
checks on the whole corpus.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ingest.loaders import RawDocument


@dataclass(frozen=True)
class Block:
    """One heading or one paragraph of cleaned text."""

    kind: Literal["heading", "text"]
    text: str
    level: int
    page: int | None


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


def _normalise_chars(text: str) -> str:
    """NFC, no ligatures, soft hyphens or zero-width characters; odd spaces become spaces."""
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text).translate(_LIGATURES)))


@lru_cache(maxsize=8192)  # the heading heuristics look at the same lines several times
def clean_inline(text: str) -> str:
    """Inline repairs on any snippet: markup, links, paths, footnote numbers, line breaks, spaces."""
    text = _normalise_chars(text)
    if "\n" in text:
        text = _join_lines(text.split("\n"), None)
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


def _join_lines(lines: list[str], lexicon: Counter[str] | None) -> str:
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


def _strip_furniture(pages: Pages, fmt: str) -> Pages:
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


# --- paragraphs ---------------------------------------------------------------


@dataclass
class _Para:
    lines: list[str]
    page: int | None
    heading: int = 0  # heading level; 0 for text
    marked: bool = False  # heading from markup ('#', PDF font size, Word style), not guessed
    item: bool = False  # a bulleted list item or a table row: never a heading


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SKIP = re.compile(r"^\s*$|^ {0,3}([-*_])(?:\s*\1){2,}\s*$|^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_BULLET = re.compile(r"^\s*(?:[•▪◦●■►➢✓]|[-–*+](?=\s+[\W\d]*[A-ZÀ-Þ\d]))\s*")
_MD_BULLET = re.compile(r"^\s*[-*+](?=\s)\s*")
_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s+(?=[\W\d]{0,2}[A-ZÀ-Þ])")


def _paragraphs(pages: Pages, fmt: str) -> list[_Para]:
    """Split lines into paragraphs at blank lines, headings, list items and (txt) indented page starts."""
    paras: list[_Para] = []
    for number, lines in pages:
        current: _Para | None = None
        for line in lines:
            heading, row = _MD_HEADING.match(line), _TABLE_ROW.match(line)
            bullet = (_MD_BULLET.match(line) if fmt in ("md", "docx") else None) or _BULLET.match(line)
            if _SKIP.match(line) or heading or row:
                current = None  # blank line, rule or table separator ends the paragraph
                if heading:
                    paras.append(_Para([heading.group(2)], number, len(heading.group(1)), marked=True))
                elif row and row.group(1).replace("|", "").strip():
                    paras.append(_Para([" – ".join(c.strip() for c in row.group(1).split("|") if c.strip())],
                                       number, item=True))
            elif current is None or bullet or _NUMBER.match(line) or (fmt == "txt" and line[:1] == " "):
                current = _Para([line[bullet.end():] if bullet else line], number, item=bool(bullet))
                paras.append(current)
            else:
                current.lines.append(line)
    return paras


def _merge_continuations(paras: list[_Para], width: float) -> list[_Para]:
    """Append a paragraph that starts in lower case to the earlier paragraph it continues.

    The earlier one ends mid-sentence on a full line (not a short fragment) at
    most six paragraphs back; what lies in between (footnotes, a text box) then
    follows the repaired paragraph. A title-like paragraph right before is
    skipped only if the paragraph before it is the continued one ("… (mee)",
    "Rolverschuiving naar adaptieve gemeente", "werkt aan …"); otherwise it
    starts the sentence itself ("Bij de prioriteitstelling wordt …").
    """
    out: list[_Para] = []
    for p in paras:
        target = fallback = None
        for back, q in enumerate(reversed(out[-7:]) if _starts("lower", p) and not (p.heading or p.item) else ()):
            title = not q.marked and len(q.lines) <= 3 and _heading_like(" ".join(q.lines))
            if q.heading and q.marked or title and back > 0:
                break  # never reach back across a section title
            last = q.lines[-1].strip()
            full = len(last) >= (0.6 * max(len(ln.strip()) for ln in q.lines) if len(q.lines) > 1 else width)
            if q.heading or not _ends_open(last) or not full or re.match(r"^\d{1,3} [A-Z]", q.lines[0]):
                continue  # closed, a fragment, or a footnote line ("12 Kamerstukken II …")
            if title:
                fallback = len(out) - 1
                continue
            target = len(out) - 1 - back if fallback is None or back == 1 else fallback
            break
        target = fallback if target is None else target
        if target is None:
            out.append(p)
        else:
            out[target].lines.extend(p.lines)
    return out


def _ends_open(line: str) -> bool:
    """Whether a line stops mid-sentence (a trailing "(Jaap Boonstra)" after a period does not count)."""
    t = re.sub(r"([.!?…])\s*\([^()]*\)$", r"\1", clean_inline(line)).rstrip("\"'”’»)]* ")
    return bool(t) and t[-1] not in ".!?:;…"


def _starts(case: Literal["upper", "lower"], para: _Para | str) -> bool:
    """Whether a paragraph (or line) starts with a lower-case letter, or with a capital as a new sentence does."""
    text = clean_inline(para if isinstance(para, str) else para.lines[0])
    if case == "upper":
        return bool(re.match(r"^[\W_]{0,2}[A-ZÀ-Þ]", text)) and not text.startswith("(")
    first = re.search(r"[^\W_]", text)
    return bool(first) and first.group(0).islower()


# --- headings in plain text ---------------------------------------------------

_FUNCTION_WORDS = frozenset(
    "de het een van en of in op te met voor naar aan bij die dat om als tot door is zijn uit over tussen er "
    "wordt worden we wij je jij hun haar ook maar dan niet wel nog zo dit deze zich hij zij ze hen ons onze "
    "mijn u kan kunnen moet moeten wil willen zal zullen heeft hebben waar wat wie hoe waarbij waarin "
    "omdat dus want zoals ter na binnen zonder onder tegen vanuit via per al elkaar welke".split()
)
_CAPTION = re.compile(r"^(?:bron|figuur|fig\.|tabel|foto|afbeelding|zie|illustratie|noot)\b", re.I)
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s")


def _heading_like(text: str) -> bool:
    """Whether a short stretch of text reads as a title rather than as (part of) a sentence."""
    t = clean_inline(text)
    words = _NUMBER.sub("", t).split()  # "3. Vertaal …": the number is not a word of the title
    return (
        0 < len(t) <= 100 and 1 <= len(words) <= 13
        and (t[0].isupper() or bool(_NUMBER.match(t))) and not _CAPTION.match(t)
        and t[-1] not in ".,;:!…-" and not any(c in t for c in ",;@") and bool(re.search(r"[^\W\d_]{3}", t))
        and t.count("(") == t.count(")") and t.count("“") == t.count("”") and t.count('"') % 2 == 0
        and (t.endswith("?") or words[-1].lower() not in _FUNCTION_WORDS)
    )


def _content_follows(paras: list[_Para], i: int, stacked: bool) -> bool:
    """Whether running text follows at ``i`` (or, if ``stacked``, after one more title)."""
    for j in (i, i + 1) if stacked else (i,):
        if j >= len(paras):
            return False
        text = clean_inline(" ".join(paras[j].lines))
        if paras[j].item or len(text.split()) >= 12 or re.search(r"[.!?]", text):
            return not _starts("lower", paras[j])
        if not _heading_like(text):
            return False
    return False


def _detect_headings(paras: list[_Para]) -> list[_Para]:
    """Mark guessed headings: short title-like paragraphs, and title lines peeled off a paragraph.

    A numbered title ("3. Werkwijze") must be followed directly by its text, must
    not stand among short numbered lines and may not jump past 5 out of the
    blue: the corpus is full of numbered references ("14. Portfolio").
    """
    out: list[_Para] = []
    last = [0]  # number of the last accepted "N. Titel"

    def numbering_ok(text: str) -> bool:
        num = _NUMBERED_HEADING.match(clean_inline(text))
        if num and "." not in num.group(1):
            if int(num.group(1)) > 5 and int(num.group(1)) != last[0] + 1:
                return False
            last[0] = int(num.group(1))
        return True

    def numbered(q: _Para) -> bool:
        return bool(_NUMBER.match(q.lines[0]))

    for i, p in enumerate(paras):
        if not p.item and len(p.lines) <= 3 and _heading_like(" ".join(p.lines)) \
                and _content_follows(paras, i + 1, stacked=not numbered(p)) and not (numbered(p) and any(
                    numbered(q) and len(q.lines) <= 2 for q in paras[max(0, i - 1):i + 2:2])) \
                and numbering_ok(p.lines[0]):
            out.append(_Para(p.lines, p.page, heading=1))
            continue
        lines = p.lines
        while not p.item and len(lines) >= 2:
            take = 1 if _heading_like(lines[0]) and _starts("upper", lines[1]) else 2 if (
                len(lines) >= 3 and len(lines[1].split()) <= 4 and _starts("upper", lines[2])
                and _heading_like(lines[0] + " " + lines[1])) else 0
            # A title-like remainder is an address, a signature or a caption, not a section.
            if not take or len(lines) - take <= 2 and _heading_like(" ".join(lines[take:])) \
                    or not numbering_ok(lines[0]):
                break
            out.append(_Para(lines[:take], p.page, heading=1))
            lines = lines[take:]
        out.append(_Para(lines, p.page, item=p.item))
    return out


# --- the whole document -------------------------------------------------------


def clean_document(raw: RawDocument) -> list[Block]:
    """Clean one loaded document into heading and text blocks, in reading order."""
    pages = _strip_furniture([(p.number, _normalise_chars(p.text).split("\n")) for p in raw.pages], raw.format)
    all_lines = [ln for _, lines in pages for ln in lines]
    lexicon = Counter(w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", "\n".join(all_lines)))
    lengths = sorted(len(ln.strip()) for ln in all_lines if len(ln.split()) >= 5)
    width = min(60.0, 0.6 * lengths[int(0.8 * (len(lengths) - 1))]) if lengths else 60.0
    paras = _merge_continuations(_paragraphs(pages, raw.format), width)
    if not any(p.marked for p in paras):  # documents with real headings are trusted, not guessed at
        paras = _detect_headings(paras)
    return _to_blocks(paras, lexicon)


def _to_blocks(paras: list[_Para], lexicon: Counter[str]) -> list[Block]:
    """Join and clean each paragraph, and give every block its heading level."""
    blocks: list[Block] = []
    numbers: list[tuple[int, int]] = []  # (level, number) of the numbered guessed headings in force
    path: list[tuple[int, str]] = []
    base = 1  # level of a numbered guessed heading: 2 once an unnumbered one has been seen
    for p in paras:
        text = clean_inline(_join_lines(p.lines, lexicon))
        if not re.search(r"\w", text):
            continue
        if not p.heading:
            blocks.append(Block("text", text, path[-1][0] if path else 0, p.page))
            continue
        num = _NUMBERED_HEADING.match(text)
        if p.marked:  # Markdown/Word/PDF: "2.1 …" is level 2 whatever the markup says
            level = num.group(1).count(".") + 1 if num else p.heading
        elif num and "." in num.group(1):
            level = base + num.group(1).count(".")
        elif num:
            level, numbers = _numbered_level(int(num.group(1)), numbers, base)
        elif path and path[-1][1].lower().startswith(text.lower() + " "):
            level = path[-1][0] + 1  # "Leeropdracht" inside "Leeropdracht bestuurlijk opdrachtgever"
        else:
            level, base, numbers = 1, 2, []
        level = max(1, min(6, level))
        path = [e for e in path if e[0] < level] + [(level, text)]
        blocks.append(Block("heading", text, level, p.page))
    return blocks


def _numbered_level(n: int, numbers: list[tuple[int, int]], base: int) -> tuple[int, list[tuple[int, int]]]:
    """Level of a guessed "N. Titel": it continues a running numbering, or a restart at 1 nests deeper."""
    if numbers and n == 1 and numbers[-1][1] == 1:
        return numbers[-1][0] + 1, numbers + [(numbers[-1][0] + 1, 1)]
    for wanted in (lambda m: m == n - 1, lambda m: m < n):  # continued; else a missed heading in between
        for i in range(len(numbers) - 1, -1, -1):
            if wanted(numbers[i][1]):
                return numbers[i][0], numbers[:i] + [(numbers[i][0], n)]
    return base, [(base, n)]
