"""Exporting a leeropdracht to Markdown and to Word (.docx), citations and all.

Both formats are made from one list of sections (:func:`leeropdracht_sections`),
which the chat shows too: every quoted item keeps its ``[n]`` markers, and the
closing *Bronnen* section names for each number the document, the appendix and
section it stands in (and the page, where the document has pages) and the
quoted words.
"""

from __future__ import annotations

from pathlib import Path

from assistant.types import Citation, CitedText, Leeropdracht, RolePart
from opgavewijzer.errors import AssistantError

SOURCES = "Bronnen"
QUESTIONS = "Reflectievragen"
READING = "Verder lezen in de bronnen"
LISTS = (SOURCES, "Let op", QUESTIONS, READING)


def cited(item: CitedText) -> str:
    """The item's text with the citation markers it does not carry yet."""
    missing = [n for n in item.cites if f"[{n}]" not in item.text]
    return item.text + ((" " + "".join(f"[{n}]" for n in missing)) if missing else "")


def source_line(c: Citation) -> str:
    """One line of the Bronnen section: number, document, and where in it. The quoted words stand in the text
    already; repeating them here made drafts a page longer."""
    where = ", ".join(p for p in (c.section.replace(" > ", ", "), f"p. {c.page}" if c.page else "") if p)
    return f"[{c.n}] {c.title}" + (f" — {where}" if where else "")


def _role_sections(part: RolePart, several: bool) -> list[tuple[str, list[str]]]:
    """The sections of one role; with two roles each heading names its role."""
    suffix = f" als {part.name}" if several else ""
    out: list[tuple[str, list[str]]] = []
    if part.description:
        out.append((f"Wat de bronnen over de rol{' ' + part.name if several else ''} zeggen", [cited(t) for t in part.description]))
    if part.strength is not None:
        out.append((f"Mijn kracht (pot met goud){suffix}", [cited(part.strength)]))
    if part.pitfall is not None:
        out.append((f"Mijn valkuil{suffix}", [cited(part.pitfall)]))
    if part.asks or part.motto is not None:
        texts = [cited(t) for t in part.asks] + ([f"In één zin: {cited(part.motto)}"] if part.motto else [])
        out.append((f"Wat de gids verder over de rol zegt{suffix}", texts))
    return out


def leeropdracht_sections(draft: Leeropdracht) -> list[tuple[str, list[str]]]:
    """The draft as (heading, paragraphs), shared by the exports and the chat."""
    role_line = f"Rol: {draft.role}" + (" (een team)" if draft.group else "")
    sources = "; ".join(p.source for p in draft.parts if p.source)
    intro = [role_line] + ([f"Bron van de rolteksten: {sources}"] if sources else []) + [f"Situatie: {draft.context}"]
    sections: list[tuple[str, list[str]]] = [("Rol en situatie", intro)]
    if draft.notes:
        sections.append(("Let op", list(draft.notes)))
    parts = draft.parts or (RolePart(draft.role, draft.role, draft.role_in_gids, strength=draft.strength, pitfall=draft.pitfall),)
    for part in parts:
        sections += _role_sections(part, len(parts) > 1)
    if draft.closest:
        sections.append(("Wat de bronnen het dichtst bij deze rol zeggen", [cited(t) for t in draft.closest]))
    sections.append((QUESTIONS, [cited(q) for q in draft.questions]))
    if draft.reading:
        sections.append((READING, [cited(t) for t in draft.reading]))
    sections.append(("Oefening in " + ("onze" if draft.group else "mijn") + " eigen praktijk", [cited(draft.exercise)]))
    sections.append(("Reflectiemoment", [cited(draft.reflection)]))
    sections.append((SOURCES, [source_line(c) for c in draft.citations] or ["(geen)"]))
    return sections


def leeropdracht_to_markdown(draft: Leeropdracht) -> str:
    """The draft as a Markdown document: headings, numbered questions, and a source list."""
    lines = [f"# {draft.title}", ""]
    for heading, paragraphs in leeropdracht_sections(draft):
        lines += [f"## {heading}", ""]
        if heading == QUESTIONS:
            lines += [f"{i}. {p}" for i, p in enumerate(paragraphs, start=1)]
        elif heading in LISTS:
            lines += [f"- {p}" for p in paragraphs]
        else:
            for p in paragraphs:
                lines += [p, ""]
            lines.pop()
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def leeropdracht_to_docx(draft: Leeropdracht, path: Path) -> Path:
    """Write the draft as a Word document to ``path`` (parent folders are created); returns the path."""
    from docx import Document

    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise AssistantError(f"{path.name}: een Word-bestand moet op .docx eindigen")
    doc = Document()
    doc.core_properties.title = draft.title
    doc.add_heading(draft.title, level=0)
    for heading, paragraphs in leeropdracht_sections(draft):
        doc.add_heading(heading, level=1)
        style = {QUESTIONS: "List Number", SOURCES: "List Bullet", "Let op": "List Bullet", READING: "List Bullet"}.get(heading)
        for p in paragraphs:
            doc.add_paragraph(p, style=style)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
    except OSError as exc:
        raise AssistantError(f"{path}: kan het Word-bestand niet schrijven ({exc.strerror or exc})") from exc
    return path
