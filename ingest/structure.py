"""Finding the structure of a cleaned page: paragraphs, continuations and headings.

Paragraphs are cut at blank lines, headings and list items; a paragraph cut
by a page break or a text box is joined back; headings in plain-text
extractions are recognised by their shape (short, no final punctuation,
followed by content).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.repairs import Pages, clean_inline


# --- paragraphs ---------------------------------------------------------------


@dataclass
class Paragraph:
    lines: list[str]
    page: int | None
    heading: int = 0  # heading level; 0 for text
    marked: bool = False  # heading from markup ('#', PDF font size, Word style), not guessed
    item: bool = False  # a bulleted list item or a table row: never a heading
    group: int = 0  # a list, table or note with what announces it: kept in one passage where it fits (0: none)


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SKIP = re.compile(r"^\s*$|^ {0,3}([-*_])(?:\s*\1){2,}\s*$|^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_BULLET = re.compile(r"^\s*(?:[•▪◦●■►➢✓]|[-–*+](?=\s+[\W\d]*[A-ZÀ-Þ\d]))\s*")
_MD_BULLET = re.compile(r"^\s*[-*+](?=\s)\s*")
_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s+(?=[\W\d]{0,2}[A-ZÀ-Þ])")


def split_paragraphs(pages: Pages, fmt: str) -> list[Paragraph]:
    """Split lines into paragraphs at blank lines, headings, list items and (txt) indented page starts."""
    paras: list[Paragraph] = []
    for number, lines in pages:
        current: Paragraph | None = None
        for line in lines:
            heading, row = _MD_HEADING.match(line), _TABLE_ROW.match(line)
            bullet = (_MD_BULLET.match(line) if fmt in ("md", "docx") else None) or _BULLET.match(line)
            if _SKIP.match(line) or heading or row:
                current = None  # blank line, rule or table separator ends the paragraph
                if heading:
                    paras.append(Paragraph([heading.group(2)], number, len(heading.group(1)), marked=True))
                elif row and row.group(1).replace("|", "").strip():
                    paras.append(Paragraph([" – ".join(c.strip() for c in row.group(1).split("|") if c.strip())],
                                       number, item=True))
            elif current is None or bullet or _NUMBER.match(line) or (fmt == "txt" and line[:1] == " "):
                current = Paragraph([line[bullet.end():] if bullet else line], number, item=bool(bullet))
                paras.append(current)
            else:
                current.lines.append(line)
    return paras


def merge_continuations(paras: list[Paragraph], width: float) -> list[Paragraph]:
    """Append a paragraph that starts in lower case to the earlier paragraph it continues.

    The earlier one ends mid-sentence on a full line (not a short fragment) at
    most six paragraphs back; what lies in between (footnotes, a text box) then
    follows the repaired paragraph. A title-like paragraph right before is
    skipped only if the paragraph before it is the continued one ("… (mee)",
    "Rolverschuiving naar adaptieve gemeente", "werkt aan …"); otherwise it
    starts the sentence itself ("Bij de prioriteitstelling wordt …").
    """
    out: list[Paragraph] = []
    longest: dict[int, int] = {}  # id of a paragraph → its longest line; merges only add lines, so it only grows
    for p in paras:
        target = fallback = None
        for back, q in enumerate(reversed(out[-7:]) if _starts("lower", p) and not (p.heading or p.item) else ()):
            title = not q.marked and len(q.lines) <= 3 and _heading_like(" ".join(q.lines))
            if q.heading and q.marked or title and back > 0:
                break  # never reach back across a section title
            last = q.lines[-1].strip()
            if id(q) not in longest:
                longest[id(q)] = max(len(ln.strip()) for ln in q.lines)
            full = len(last) >= (0.6 * longest[id(q)] if len(q.lines) > 1 else width)
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
            if id(out[target]) in longest:
                longest[id(out[target])] = max(longest[id(out[target])], max(len(ln.strip()) for ln in p.lines))
    return out


def join_open_parentheses(paras: list[Paragraph]) -> list[Paragraph]:
    """Join a paragraph that opens a parenthesis it never closes to the next one, when that one closes it.

    A blank line inside "(bron: | Pröpper en Litjens)" is extraction damage: the text within the brackets is
    one aside of one sentence. Headings and list items are never joined.
    """
    out: list[Paragraph] = []
    for p in paras:
        before = out[-1] if out else None
        if before is not None and not (p.heading or p.item or before.heading or before.item) \
                and not _LABELLED.match(p.lines[0]) \
                and _balance(" ".join(before.lines)) > 0 and _balance(" ".join(p.lines)) < 0:
            before.lines.extend(p.lines)
            continue
        out.append(p)
    return out


_LABELLED = re.compile(r"^\s*(?:\d{1,2}|[a-z])\)\s")  # "1) Eerste punt", "b) …": a label closes no bracket
# A line that ends on an article, "om", "te" or half a coordination ("om de DT- of") stops mid-sentence, whatever
# case the next paragraph starts in ("MT-leden de rol …"). A particle that may end a clause ("… 2025 in") is
# not among them: a title can end on it.
_DANGLING = re.compile(r"(?:\b(?:de|het|een|om|te|zoals|waarin|waarbij)|\w-\s+(?:of|en))\s*$", re.IGNORECASE)


def join_dangling(paras: list[Paragraph]) -> list[Paragraph]:
    """Join a paragraph that ends on a word no Dutch sentence ends on to the next one (extraction damage: a blank
    line inside a sentence). Headings and list items are never joined, nor is a marked heading continued."""
    out: list[Paragraph] = []
    for p in paras:
        before = out[-1] if out else None
        if before is not None and not (p.heading or p.item or before.heading or before.item) \
                and _DANGLING.search(before.lines[-1]) and re.match(r"^[\W_]{0,2}[^\W\d_]", clean_inline(p.lines[0])):
            before.lines.extend(p.lines)
            continue
        out.append(p)
    return out


def _balance(text: str) -> int:
    """Opened minus closed round brackets: > 0 leaves one open, < 0 closes one opened before."""
    return text.count("(") - text.count(")")


def _ends_open(line: str) -> bool:
    """Whether a line stops mid-sentence (a trailing "(Jaap Boonstra)" after a period does not count)."""
    t = re.sub(r"([.!?…])\s*\([^()]*\)$", r"\1", clean_inline(line)).rstrip("\"'”’»)]* ")
    return bool(t) and t[-1] not in ".!?:;…"


def _starts(case: Literal["upper", "lower"], para: Paragraph | str) -> bool:
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
NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s")


def _heading_like(text: str) -> bool:
    """Whether a short stretch of text reads as a title rather than as (part of) a sentence."""
    t = clean_inline(text)
    words = _NUMBER.sub("", t).split()  # "3. Vertaal …": the number is not a word of the title
    return (
        0 < len(t) <= 100 and 1 <= len(words) <= 13
        and (t[0].isupper() or bool(_NUMBER.match(t))) and not _CAPTION.match(t)
        and t[-1] not in ".,;:!…-" and not any(c in t for c in ",@") and t.count(";") <= 1
        and bool(re.search(r"[^\W\d_]{3}|\d[^\W\d_]", t))
        and t.count("(") == t.count(")") and t.count("“") == t.count("”") and t.count('"') % 2 == 0
        and (t.endswith("?") or words[-1].lower() not in _FUNCTION_WORDS)
    )


def _content_follows(paras: list[Paragraph], i: int, stacked: bool) -> bool:
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


def detect_headings(paras: list[Paragraph]) -> list[Paragraph]:
    """Mark guessed headings: short title-like paragraphs, and title lines peeled off a paragraph.

    A numbered title ("3. Werkwijze") must be followed directly by its text, must
    not stand among short numbered lines and may not jump past 5 out of the
    blue: the corpus is full of numbered references ("14. Portfolio").
    """
    out: list[Paragraph] = []
    last = [0]  # number of the last accepted "N. Titel"

    def numbering_ok(text: str) -> bool:
        num = NUMBERED_HEADING.match(clean_inline(text))
        if num and "." not in num.group(1):
            if int(num.group(1)) > 5 and int(num.group(1)) != last[0] + 1:
                return False
            last[0] = int(num.group(1))
        return True

    def numbered(q: Paragraph) -> bool:
        return bool(_NUMBER.match(q.lines[0]))

    for i, p in enumerate(paras):
        if not p.item and len(p.lines) <= 3 and _heading_like(" ".join(p.lines)) \
                and _content_follows(paras, i + 1, stacked=not numbered(p)) and not (numbered(p) and any(
                    numbered(q) and len(q.lines) <= 2 for q in paras[max(0, i - 1):i + 2:2])) \
                and numbering_ok(p.lines[0]):
            out.append(Paragraph(p.lines, p.page, heading=1))
            continue
        lines, at = p.lines, 0  # an index, not slices: a long list of title-like lines stays linear
        while not p.item and len(lines) - at >= 2:
            take = 1 if _heading_like(lines[at]) and _starts("upper", lines[at + 1]) else 2 if (
                len(lines) - at >= 3 and len(lines[at + 1].split()) <= 4 and _starts("upper", lines[at + 2])
                and _heading_like(lines[at] + " " + lines[at + 1])) else 0
            # A title-like remainder is an address, a signature or a caption, not a section.
            if not take or len(lines) - at - take <= 2 and _heading_like(" ".join(lines[at + take:])) \
                    or not numbering_ok(lines[at]):
                break
            out.append(Paragraph(lines[at:at + take], p.page, heading=1))
            at += take
        out.append(Paragraph(lines[at:] if at else lines, p.page, item=p.item, group=p.group))
    return out


