"""What the chat shows: answers and leeropdrachten as Markdown plus side elements.

Pure functions, no Chainlit: the chat file turns :class:`ElementSpec` into
Chainlit elements. Citations are elements named ``[n]``; Chainlit links every
occurrence of an element's name in the message text, so each inline marker
and each line of the closing *Bronnen* list opens that passage in the side
panel, where the quoted sentence is set in bold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Sequence

from assistant.leeropdracht.export import LISTS, QUESTIONS, SOURCES, leeropdracht_sections
from assistant.types import Answer, Citation, Leeropdracht
from kb.types import Hit

REFUSAL_TEXT = "De bronnen behandelen deze vraag niet, dus ik kan hem niet beantwoorden."
CLOSEST_HEADING = "**Dichtstbijzijnde passages** (ter controle; ze beantwoorden de vraag niet)"
SOURCES_HEADING = "**Bronnen**"
CLOSEST_SHOWN = 3
MIME_MARKDOWN = "text/markdown"
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# "[1, 2]" and "[1;2]" become "[1][2]": only single-number markers match an element name.
_GROUPED_MARKERS = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)+)\]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")
# The chat's Markdown (GFM) links bare addresses after parsing, so backslashes cannot stop it; an
# invisible word joiner (U+2060) inside "://", after "www" and before "@" does.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


@dataclass(frozen=True)
class ElementSpec:
    """One element to attach to a message: a side passage or a download."""

    kind: Literal["text", "file"]
    name: str
    content: str | bytes
    display: Literal["side", "inline", "page"] = "side"
    mime: str = MIME_MARKDOWN


@dataclass(frozen=True)
class MessageView:
    """The Markdown of one chat message and the elements it refers to."""

    content: str
    elements: tuple[ElementSpec, ...] = ()


def citation_name(n: int) -> str:
    """The element name of citation ``n``, identical to its inline marker."""
    return f"[{n}]"


def normalise_markers(text: str) -> str:
    """Split grouped markers so that each number is a link of its own."""
    return _GROUPED_MARKERS.sub(lambda m: "".join(f"[{n}]" for n in re.split(r"\s*[,;]\s*", m.group(1))), text)


_SINGLE_MARKER = re.compile(r"(\[\d+\])")


def escape_markdown(text: str) -> str:
    """Text shown literally: no emphasis, links or headings from a PDF or from what a user typed.

    Bare addresses get an invisible word joiner, so that the chat does not turn them into
    live links by itself (they still read the same).
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    escaped = _AUTOLINK.sub(WORD_JOINER, escaped)
    return re.sub(r"(?m)^(\s*)([#>])", r"\1\\\2", escaped)


def escape_keeping_markers(text: str) -> str:
    """Escape quoted source text but leave ``[n]`` markers intact, so they still link."""
    return "".join(p if _SINGLE_MARKER.fullmatch(p) else escape_markdown(p) for p in _SINGLE_MARKER.split(text))


def locate_quote(passage: str, quote: str, start: int = -1, end: int = -1) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``passage`` (offsets), tolerant of differing whitespace."""
    if 0 <= start < end <= len(passage) and " ".join(passage[start:end].split()) == " ".join(quote.split()):
        return start, end
    words = quote.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), passage)
    return (match.start(), match.end()) if match else None


def _bold(segment: str) -> str:
    # Emphasis cannot span paragraphs and must not start or end with a space: bold each line's text.
    return "\n".join(f"{m.group(1)}**{m.group(2)}**{m.group(3)}" if (m := re.match(r"^(\s*)(.*?\S)(\s*)$", line)) else line
                     for line in segment.split("\n"))


def highlight(passage: str, spans: Sequence[tuple[int, int]]) -> str:
    """The passage as Markdown with the given character spans in bold (overlaps merged)."""
    merged: list[list[int]] = []
    for a, b in sorted((a, b) for a, b in spans if 0 <= a < b <= len(passage)):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        out += [escape_markdown(passage[pos:a]), _bold(escape_markdown(passage[a:b]))]
        pos = b
    out.append(escape_markdown(passage[pos:]))
    return "".join(out)


def quote_spans(citation: Citation) -> list[tuple[int, int]]:
    """The spans of a citation's passage to highlight: those given, else where the quote is found."""
    if citation.spans:
        return list(citation.spans)
    span = locate_quote(citation.passage, citation.quote, citation.quote_start, citation.quote_end)
    return [span] if span else []


def where(section: str, page: int | None) -> str:
    """Section and page as one short phrase, e.g. ``Bijlage 3 > Leeropdracht, p. 12``."""
    parts = [section] if section else []
    if page is not None:
        parts.append(f"p. {page}")
    return ", ".join(parts)


def passage_markdown(citation: Citation) -> str:
    """Side-panel text of one citation: document, place, and the passage with the quote highlighted."""
    place = where(citation.section, citation.page)
    header = f"**{escape_markdown(citation.title)}**" + (f"  \n*{escape_markdown(place)}*" if place else "")
    body = highlight(citation.passage, quote_spans(citation))
    return f"{header}\n\n{body}\n"


def hit_markdown(hit: Hit) -> str:
    """Side-panel text of a retrieved passage that is not a citation (a refusal's closest passages)."""
    place = where(hit.section, hit.page)
    header = f"**{escape_markdown(hit.title)}**" + (f"  \n*{escape_markdown(place)}*" if place else "")
    return f"{header}\n\n{escape_markdown(hit.text)}\n"


def sources_list(citations: Sequence[Citation]) -> str:
    """The closing *Bronnen* list: one line per citation, each a link to its passage."""
    lines = [SOURCES_HEADING]
    for c in citations:
        place = where(c.section, c.page)
        lines.append(f"- {citation_name(c.n)} {escape_markdown(c.title)}" + (f" — {escape_markdown(place)}" if place else ""))
    return "\n".join(lines)


def citation_elements(citations: Sequence[Citation]) -> tuple[ElementSpec, ...]:
    """One side element per citation, named like its marker."""
    return tuple(ElementSpec("text", citation_name(c.n), passage_markdown(c)) for c in citations)


def closest_name(i: int) -> str:
    """Element name of the ``i``-th closest passage of a refusal."""
    return f"Passage {i}"


def answer_view(answer: Answer, show_flags: bool = False) -> MessageView:
    """The message for an answer; a refusal says so plainly and lists the closest passages."""
    if answer.refused:
        text = answer.text.strip() or REFUSAL_TEXT
        hits = answer.hits[:CLOSEST_SHOWN]
        if not hits:
            return MessageView(text)
        lines = [text, "", CLOSEST_HEADING]
        for i, hit in enumerate(hits, 1):
            place = where(hit.section, hit.page)
            lines.append(f"- {closest_name(i)}: {escape_markdown(hit.title)}" + (f" — {escape_markdown(place)}" if place else ""))
        elements = tuple(ElementSpec("text", closest_name(i), hit_markdown(h)) for i, h in enumerate(hits, 1))
        return MessageView("\n".join(lines), elements)
    text = normalise_markers(answer.text.strip())
    # Extractive answers are verbatim source sentences, whose "*" and "_" are not formatting;
    # an LLM's Markdown (lists, emphasis) is meant as such and stays.
    parts = [escape_keeping_markers(text) if answer.mode == "extractive" else text]
    if answer.citations:
        parts.append(sources_list(answer.citations))
    if show_flags and answer.flagged:
        notes = "\n".join(f"- {escape_markdown(f)}" for f in answer.flagged)
        parts.append(f"*Voor de beheerder: de broncontrole heeft {len(answer.flagged)} zin(nen) weggelaten.*\n{notes}")
    return MessageView("\n\n".join(parts), citation_elements(answer.citations))


def retrieval_markdown(query: str, hits: Sequence[Hit], question: str = "") -> str:
    """Output of the search step: what was searched and which passages came back."""
    lines = [f"**Gezocht op:** {escape_markdown(query)}"]
    if question and " ".join(question.split()) != " ".join(query.split()):
        lines.append("*(de vraag is aangevuld met het eerdere gesprek)*")
    if not hits:
        lines += ["", "Geen passages gevonden."]
    else:
        lines += ["", f"{len(hits)} passages gevonden:"]
        for hit in hits:
            place = where(hit.section, hit.page)
            lines.append(f"{hit.rank}. {escape_markdown(hit.title)}" + (f" — {escape_markdown(place)}" if place else ""))
    return "\n".join(lines)


def _shown(text: str) -> str:
    """A paragraph of a leeropdracht for the chat: markers split into links, the rest shown literally."""
    return escape_keeping_markers(normalise_markers(text.strip()))


def slug(text: str) -> str:
    """A file-name-safe form of a title or role."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:60] or "leeropdracht"


def leeropdracht_view(draft: Leeropdracht, markdown: str, docx: bytes) -> MessageView:
    """The draft formatted for the chat, in the sections of its downloads, with its citations and both downloads."""
    lines = [f"## {escape_markdown(draft.title)}", ""]
    for heading, paragraphs in leeropdracht_sections(draft):
        if heading == SOURCES:
            continue  # shown below as the linked Bronnen list
        lines.append(f"### {escape_markdown(heading)}")
        if heading == QUESTIONS:
            lines += [f"{i}. {_shown(p)}" for i, p in enumerate(paragraphs, 1)]
        elif heading in LISTS:
            lines += [f"- {_shown(p)}" for p in paragraphs]
        else:
            lines += [line for p in paragraphs for line in (_shown(p), "")][:-1]
        lines.append("")
    if draft.citations:
        lines += [sources_list(draft.citations), ""]
    base = slug(f"leeropdracht-{draft.role}")
    lines.append("Downloaden:")
    files = (
        ElementSpec("file", f"{base}.md", markdown.encode("utf-8"), "inline", MIME_MARKDOWN),
        ElementSpec("file", f"{base}.docx", docx, "inline", MIME_DOCX),
    )
    return MessageView("\n".join(lines).strip(), citation_elements(draft.citations) + files)
