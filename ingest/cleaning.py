"""Turning raw extracted text into clean headings and paragraphs.

The repairs follow the damage found in the corpus (see ``corpus/README.md``):
hyphenated line breaks, hard-wrapped and two-column text, paragraphs cut by a
page break (with footnotes or a text box in between), words broken inside a
line (``ingest.wordbreaks``), glued footnote numbers,
stray links and file paths, Markdown/HTML markup and page furniture. Repairs
remove markup or move text; none drops words, which ``tests/test_cleaning.py``
checks on the whole corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Literal

from ingest.loaders import RawDocument
from ingest.markdown import markdown_paragraphs
from ingest.repairs import (clean_inline, footnote_lines, footnote_marks, join_lines, normalise_chars,
                            strip_footnote_marks, strip_furniture)
from ingest.structure import (NUMBERED_HEADING, Paragraph, detect_headings, join_dangling, join_open_parentheses,
                              merge_continuations, split_paragraphs)
from ingest.wordbreaks import Repair, repair_word_breaks

__all__ = ["Block", "Repair", "clean_and_repair", "clean_document", "clean_inline", "repair_note"]


@dataclass(frozen=True)
class Block:
    """One heading or one paragraph of cleaned text."""

    kind: Literal["heading", "text"]
    text: str
    level: int
    page: int | None
    group: int = 0  # blocks of one list, table or footnoted paragraph share a group (0: none)
    marked: bool = False  # a heading from markup ('#', Word style, PDF font size), not guessed from its shape



# --- the whole document -------------------------------------------------------


def clean_document(raw: RawDocument) -> list[Block]:
    """Clean one loaded document into heading and text blocks, in reading order."""
    return clean_and_repair(raw)[0]


def clean_and_repair(raw: RawDocument) -> tuple[list[Block], list[Repair]]:
    """The blocks of :func:`clean_document`, and the word breaks it repaired (see :mod:`ingest.wordbreaks`)."""
    blocks = _clean(raw)
    texts, repairs = repair_word_breaks([b.text for b in blocks])
    return [b if b.text == t else replace(b, text=t) for b, t in zip(blocks, texts)], repairs


def _clean(raw: RawDocument) -> list[Block]:
    pages = strip_furniture([(p.number, normalise_chars(p.text).split("\n")) for p in raw.pages], raw.format)
    all_lines = [ln for _, lines in pages for ln in lines]
    lexicon = Counter(w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", "\n".join(all_lines)))
    lengths = sorted(len(ln.strip()) for ln in all_lines if len(ln.split()) >= 5)
    width = min(60.0, 0.6 * lengths[int(0.8 * (len(lengths) - 1))]) if lengths else 60.0
    if raw.format == "md":  # parsed as Markdown; a continuation cut by a page break is still joined
        paras = [p for number, lines in pages for p in markdown_paragraphs("\n".join(lines), number)]
        paras = merge_continuations(paras, width)
    else:
        paras = merge_continuations(split_paragraphs(pages, raw.format), width)
    paras = join_dangling(join_open_parentheses(paras))
    if not any(p.marked for p in paras):  # documents with real headings are trusted, not guessed at
        paras = detect_headings(paras)
    blocks = _to_blocks(paras, lexicon)
    # Footnote marks are proven per document (a number glued to a word may be part of a code).
    marks = footnote_marks(b.text for b in blocks)
    if not marks:
        return blocks
    # A page's footnotes ("47. Rotterdamse Standaard …") are references, not list items: written as notes.
    texts = footnote_lines([b.text for b in blocks], marks)
    return [replace(b, text=strip_footnote_marks(text, marks)) for b, text in zip(blocks, texts)]


def _to_blocks(paras: list[Paragraph], lexicon: Counter[str]) -> list[Block]:
    """Join and clean each paragraph, and give every block its heading level."""
    blocks: list[Block] = []
    numbers: list[tuple[int, int]] = []  # (level, number) of the numbered guessed headings in force
    path: list[tuple[int, str]] = []
    base = 1  # level of a numbered guessed heading: 2 once an unnumbered one has been seen
    for p in paras:
        text = clean_inline(join_lines(p.lines, lexicon))
        if not re.search(r"\w", text):
            continue
        if not p.heading:
            blocks.append(Block("text", text, path[-1][0] if path else 0, p.page, p.group))
            continue
        num = NUMBERED_HEADING.match(text)
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
        blocks.append(Block("heading", text, level, p.page, marked=p.marked))
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



def repair_note(repairs: list[Repair]) -> str | None:
    """What a maintainer reads about the repaired word breaks of one document, or None if there were none."""
    if not repairs:
        return None
    total = sum(r.count for r in repairs)
    examples = ", ".join(f"'{r.before}' → '{r.after}'" for r in repairs[:3])
    return f"{total} woordbreuk(en) hersteld (zoals {examples})"
