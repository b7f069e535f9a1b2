"""Where an answer's quotes come from, and whether they are whole sentences, word for word.

Every span an answer quotes from a passage (:func:`quoted_spans`) is placed
back in its document (:class:`SourceTexts`, rebuilt from the passages of the
index) and must start where a sentence starts and end where one ends. This
rule is deliberately independent of the project's sentence splitter, so that a
fault in that splitter shows up here:

* a sentence starts at the start of a line (cleaned text puts headings, list
  items and paragraphs on lines of their own), or after ``.``, ``!``, ``?``,
  ``…``, ``:`` or ``;`` (closing quotes and brackets and a footnote number
  may follow the stop);
* a sentence ends at the end of a line, or with one of those stops (again
  followed by closing quotes, brackets or a footnote number);
* except where a line break falls inside a sentence: a line of more than
  eight words without a stop, followed by a line that starts in lower case
  (a page break the cleaner did not mend).

A quote is *verbatim* when it occurs word for word in the passage the index
holds under its chunk id (:func:`verbatim_quotes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

_STOP = r"[.!?…:;]"
_CLOSERS = r"[\"'’”»)\]*]*\d{0,3}"
_ENDS_WITH_STOP = re.compile(_STOP + _CLOSERS + r"\s*$")
_PRECEDED_BY_STOP = re.compile(_STOP + _CLOSERS + r"[ \t]*$")
HEADING_WORDS = 8  # a line of at most this many words without a closing stop reads as a heading


@dataclass(frozen=True)
class QuotedSpan:
    """One span an answer quotes: its text, the citation it belongs to and its content role if known."""

    text: str
    doc_id: str
    chunk_id: str
    start: int  # in the passage
    end: int
    role: str = ""
    passage: str = ""


def quoted_spans(answer: Any) -> list[QuotedSpan]:
    """Every span the answer's citations quote (``spans``, else the ``quote``), in citation order."""
    out: list[QuotedSpan] = []
    for c in getattr(answer, "citations", ()):
        spans = list(getattr(c, "spans", ()) or ())
        if not spans and c.quote:
            start = c.quote_start if getattr(c, "quote_start", -1) >= 0 else c.passage.find(c.quote)
            spans = [(start, start + len(c.quote))] if start >= 0 else []
        roles = list(getattr(c, "roles", ()) or ())
        for i, (start, end) in enumerate(spans):
            role = roles[i] if i < len(roles) else getattr(c, "role", "") or ""
            out.append(QuotedSpan(c.passage[start:end], c.doc_id, c.chunk_id, start, end, str(role), c.passage))
    return out


class SourceTexts:
    """The cleaned text of every document, rebuilt from the passages of an index.

    A passage knows its offsets in its document's cleaned text, so the
    document is laid back together from them; stretches no passage covers
    (headings between passages) become line breaks, which count as sentence
    boundaries. A quote is then judged in its full context, not only within
    its passage, whose edges need not be sentence edges.
    """

    def __init__(self, chunks: Iterable[Any]) -> None:
        buffers: dict[str, list[str]] = {}
        self._where: dict[str, tuple[str, int]] = {}
        self._passages: dict[str, str] = {}
        for c in chunks:
            self._passages[c.chunk_id] = c.text
            buf = buffers.setdefault(c.doc_id, [])
            if len(buf) < c.end:
                buf.extend("\n" * (c.end - len(buf)))
            buf[c.start:c.end] = list(c.text)
            self._where[c.chunk_id] = (c.doc_id, c.start)
        self.texts = {doc_id: "".join(buf) for doc_id, buf in buffers.items()}

    def passage(self, chunk_id: str) -> str | None:
        """The text the index holds under ``chunk_id`` (None: not in this index)."""
        return self._passages.get(chunk_id)

    def locate(self, span: QuotedSpan) -> tuple[str, int, int]:
        """``(text, start, end)`` of the span in its document.

        A passage the index does not know (an answer from another index) is
        its own context: then its edges count as sentence boundaries.
        """
        found = self._where.get(span.chunk_id)
        if found is None:
            return (span.passage, span.start, span.end) if span.passage else (span.text, 0, len(span.text))
        doc_id, offset = found
        return self.texts[doc_id], offset + span.start, offset + span.end

    def context(self, span: QuotedSpan) -> tuple[str, str]:
        """The paragraph (line) around the span, and the heading of its section ("" if none is found)."""
        text, start, end = self.locate(span)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        paragraph = text[line_start: len(text) if line_end < 0 else line_end]
        for line in reversed(text[:line_start].split("\n")):
            line = line.strip()
            if line and len(line.split()) <= HEADING_WORDS and not re.search(r"[.!?:;,]$", line):
                return paragraph, line
        return paragraph, ""


def _continues(before_line: str, after_line: str) -> bool:
    """True if a line break falls inside a sentence: a long line without a stop, then a lower-case line.

    Cleaned text breaks lines at paragraphs, headings and list items, but a
    page or column break can still split a sentence; a short line without a
    stop is a heading, so what follows it starts anew.
    """
    before_line, after_line = before_line.strip(), after_line.strip()
    return (len(before_line.split()) > HEADING_WORDS and not _ENDS_WITH_STOP.search(before_line)
            and after_line[:1].islower())


def verbatim_quotes(answer: Any, sources: SourceTexts) -> tuple[int, int]:
    """``(verbatim, quoting)``: of the citations that quote, how many quote their passage word for word.

    The passage is the one the index holds under the citation's chunk id, so
    a citation that altered its passage text fails too; for a chunk the index
    does not know, the passage the citation carries is used.
    """
    quoting = [c for c in getattr(answer, "citations", ()) if c.quote]
    verbatim = sum(1 for c in quoting if c.quote in (sources.passage(c.chunk_id) or c.passage))
    return verbatim, len(quoting)


def starts_sentence(text: str, start: int) -> bool:
    """True if position ``start`` of ``text`` is the start of a sentence, line or text (see the module doc)."""
    before = text[:start].rstrip(" \t")
    if not before:
        return True
    if before.endswith("\n"):
        previous = next((line for line in reversed(before.split("\n")) if line.strip()), "")
        return not _continues(previous, text[start:text.find("\n", start) if "\n" in text[start:] else len(text)])
    return bool(_PRECEDED_BY_STOP.search(before))


def ends_sentence(text: str, end: int) -> bool:
    """True if the text up to ``end`` closes a sentence, a line or the text (see the module doc)."""
    if _ENDS_WITH_STOP.search(text[:end]):
        return True
    after = text[end:].lstrip(" \t")
    if not after:
        return True
    if after.startswith("\n"):
        following = next((line for line in after.split("\n") if line.strip()), "")
        return not _continues(text[text.rfind("\n", 0, end) + 1:end], following)
    return False


def off_boundary(spans: Sequence[QuotedSpan], sources: SourceTexts) -> int:
    """How many quoted spans do not start at a sentence start and end at a sentence end."""
    bad = 0
    for span in spans:
        text, start, end = sources.locate(span)
        # Whitespace the quote carries at its edges does not move its boundaries.
        start += len(span.text) - len(span.text.lstrip())
        end -= len(span.text) - len(span.text.rstrip())
        bad += not (starts_sentence(text, start) and ends_sentence(text, end))
    return bad
