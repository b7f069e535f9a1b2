"""Markdown read as Markdown: block structure from markdown-it-py, inline text left to the cleaning.

The parser decides what is a heading, a paragraph, a list item, a quote, a
table or a footnote; the inline source of each block is kept as written, so
:func:`ingest.repairs.clean_inline` removes emphasis and links exactly as it
does for the other formats and prose stays verbatim. What the structure adds:

- a list item keeps its marker ("- ", "3. "); the items of one list, and the
  sentence that announces it ("… aangedragen:"), share a group that the
  chunker keeps in one passage where it fits;
- a bold run-in label ("**Ambtelijk opdrachtgever.** De …") ends in a colon,
  so the sentence splitter keeps it with the sentence it introduces;
- a table row becomes "kolom: waarde; kolom: waarde." under its header;
- a footnote's text follows the paragraph that refers to it, as "Noot 2: …",
  in the same group; the reference mark itself goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.structure import Paragraph

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.+)$", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
# "**Label.** Text": strong emphasis that opens a paragraph and ends in a period, with text after it.
# "3. Opgavegericht …", "**4.3 Opgavegericht …**": a numbered heading, emphasis marks and all.
_NUMBERED = re.compile(r"^[*_\s]*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S")
_RUN_IN = re.compile(r"^(\*\*|__)(?=[^\W\d_])([^*_\n]{1,80}?)\.\1(?=\s+\S)")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark").enable("table").use(footnote_plugin)


@dataclass
class _Walk:
    """State while walking the token stream of one document."""

    page: int | None
    notes: dict[str, str]
    paras: list[Paragraph] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)  # the open lists' markers, innermost last
    pending: str | None = None  # marker for the first paragraph of the item just opened
    group: int = 0  # group of the outermost open list (0: none)
    groups: int = 0
    attached: set[str] = field(default_factory=set)


def markdown_paragraphs(text: str, page: int | None = None) -> list[Paragraph]:
    """The paragraphs of a Markdown document, headings marked with their level."""
    tokens = _parser().parse(text)
    notes = _footnotes(tokens)
    # The parser drops a definition that nothing refers to; its words are kept all the same.
    for m in _DEFINITION.finditer(text):
        notes.setdefault(m.group(1), " ".join(m.group(2).split()))
    walk = _Walk(page, notes)
    i = 0
    while i < len(tokens):
        i = _step(walk, tokens, i)
    for label, note in walk.notes.items():  # a footnote nobody refers to is kept, at the end
        if label not in walk.attached:
            walk.paras.append(Paragraph([_note(label, note)], page))
    _levels_from_numbering([p for p in walk.paras if p.heading])
    return walk.paras


def _levels_from_numbering(headings: list[Paragraph]) -> None:
    """Heading levels from the document's own numbering when its '#' marks contradict it.

    A report converted to Markdown may mark "3. …" with '###' and "4. …" with '#', and the unnumbered
    headings under chapter 3 with '##' and '###' at random, so that one of them lands under its sibling
    ("Koers en kansen" under "Flexibilisering asielketen"). When numbered headings of one depth carry
    different marks, the numbering decides: "3." is a chapter, "4.1" one level down, and an unnumbered
    heading sits one level under the numbered (or top-level) heading before it. One marked as high as the
    chapters is back matter at their level ("Over de NSOB"). Consistent marks are kept as they are.
    """
    depth = {id(p): _depth(p.lines[0]) for p in headings}
    marks: dict[int, set[int]] = {}
    for p in headings:
        if depth[id(p)]:
            marks.setdefault(depth[id(p)], set()).add(p.heading)
    if sum(len(m) for m in marks.values()) < 2 or all(len(m) == 1 for m in marks.values()) or 1 not in marks:
        return
    top = min(marks[1])
    anchor = 0  # the level of the heading an unnumbered one belongs under; 0 before the first chapter
    for p in headings:
        if depth[id(p)]:
            p.heading = anchor = min(6, top + depth[id(p)] - 1)
        elif anchor and p.heading <= top:
            p.heading = anchor = top
        elif anchor:
            p.heading = min(6, anchor + 1)


def _depth(text: str) -> int:
    """How deep a numbered heading is ("3." 1, "4.1" 2); 0 for a heading without a number."""
    match = _NUMBERED.match(text)
    return match.group(1).count(".") + 1 if match else 0


def _step(walk: _Walk, tokens: list[Token], i: int) -> int:
    """Handle the token at ``i``; returns the index of the next token to handle."""
    tok = tokens[i]
    kind = tok.type
    if kind == "footnote_block_open":
        while i < len(tokens) and tokens[i].type != "footnote_block_close":
            i += 1  # read beforehand by _footnotes
    elif kind == "heading_open":
        walk.paras.append(Paragraph([tokens[i + 1].content.strip()], walk.page, int(tok.tag[1]), marked=True))
        return i + 3
    elif kind in ("bullet_list_open", "ordered_list_open"):
        if not walk.markers:
            walk.groups += 1
            walk.group = walk.groups
            _announce(walk)
        walk.markers.append("-" if kind == "bullet_list_open" else tok.markup)
    elif kind in ("bullet_list_close", "ordered_list_close"):
        walk.markers.pop()
        walk.group = walk.group if walk.markers else 0
    elif kind == "list_item_open":
        marker = walk.markers[-1]
        walk.pending = "- " if marker == "-" else f"{tok.info}{marker} "
    elif kind == "paragraph_open":
        _paragraph(walk, tokens[i + 1].content)
        return i + 3
    elif kind == "table_open":
        return _table(walk, tokens, i)
    elif kind in ("fence", "code_block") or kind == "html_block" and not tok.content.lstrip().startswith("<!--"):
        lines = [ln for ln in tok.content.split("\n") if ln.strip()]
        if lines:
            walk.paras.append(Paragraph(lines, walk.page))
    return i + 1


def _paragraph(walk: _Walk, content: str) -> None:
    """One paragraph: marker, run-in label, footnote references and the notes they bring."""
    refs = [m.group(1) for m in _FOOTNOTE_REF.finditer(content) if m.group(1) in walk.notes]
    if refs:
        content = _FOOTNOTE_REF.sub(lambda m: "" if m.group(1) in walk.notes else m.group(0), content)
    content = _RUN_IN.sub(r"\1\2:\1", content.strip())
    lines = [ln for ln in content.split("\n") if ln.strip()]
    if not lines:
        return
    if all(_PIPE_ROW.match(ln) for ln in lines):  # rows the table rule refused (an empty header row)
        walk.groups += 1
        for ln in lines:
            cells = [c.strip() for c in ln.strip().strip("|").split("|") if c.strip()]
            if cells:
                walk.paras.append(Paragraph([" – ".join(cells)], walk.page, item=True, group=walk.groups))
        return
    marker, walk.pending = walk.pending, None
    if marker:
        lines[0] = marker + lines[0].lstrip()
    # A bulleted item is never a heading; a numbered one may be ("1. Kloof tussen …" above its text).
    walk.paras.append(Paragraph(lines, walk.page, item=bool(marker) and marker == "- ", group=walk.group))
    new = [r for r in dict.fromkeys(refs) if r not in walk.attached]
    if new and not walk.group:  # the paragraph and its notes stay together, like a list
        walk.groups += 1
        walk.paras[-1].group = walk.groups
    for label in new:
        walk.attached.add(label)
        walk.paras.append(Paragraph([_note(label, walk.notes[label])], walk.page, group=walk.paras[-1].group))


def _announce(walk: _Walk) -> None:
    """The sentence that announces a list ("Er zijn oplossingen aangedragen:") joins the list's group."""
    if walk.paras and not walk.paras[-1].heading and walk.paras[-1].lines[-1].rstrip().endswith(":"):
        if walk.paras[-1].group:
            walk.group = walk.paras[-1].group
        else:
            walk.paras[-1].group = walk.group


def _table(walk: _Walk, tokens: list[Token], i: int) -> int:
    """Each body row as "kolom: waarde; kolom: waarde." (a row without its header means little)."""
    header: list[str] = []
    row: list[str] = []
    in_head = False
    walk.groups += 1
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline":
            row.append(" ".join(tok.content.split()))
        elif tok.type == "tr_close":
            if in_head:
                header = row
            elif any(row):
                walk.paras.append(Paragraph([_row(header, row)], walk.page, item=True, group=walk.groups))
        i += 1
    return i + 1


def _row(header: list[str], row: list[str]) -> str:
    """One body row: "kolom: waarde; kolom: waarde." (cells joined by dashes under an empty header)."""
    if not any(header):
        return " – ".join(v for v in row if v)
    text = "; ".join(f"{h}: {v}" if h else v for h, v in zip([*header, *[""] * len(row)], row) if v)
    return text if text[-1] in ".!?" else text + "."


def _footnotes(tokens: list[Token]) -> dict[str, str]:
    """The text of each footnote definition, by label."""
    notes: dict[str, str] = {}
    label: str | None = None
    for tok in tokens:
        if tok.type == "footnote_open":
            label = str(tok.meta.get("label", tok.meta.get("id")))
            notes[label] = ""
        elif tok.type == "footnote_close":
            label = None
        elif tok.type == "inline" and label is not None:
            notes[label] = " ".join(f"{notes[label]} {tok.content}".split())
    return notes


def _note(label: str, text: str) -> str:
    """A footnote as a sentence of its own: "Noot 2: …" ("Noot: …" for a named note)."""
    return f"Noot {label}: {text}" if label.isdigit() else f"Noot: {text}"
