"""Exporting a leeropdracht to Markdown and to Word (.docx)."""

from __future__ import annotations

from pathlib import Path

from assistant.types import Citation, CitedText, Leeropdracht
from opgavewijzer.errors import AssistantError


def _marks(item: CitedText) -> str:
    """The citation markers of an item, unless its text already carries them."""
    missing = [n for n in item.cites if f"[{n}]" not in item.text]
    return (" " + "".join(f"[{n}]" for n in missing)) if missing else ""


def _source_line(c: Citation) -> str:
    where = ", ".join(p for p in (c.section, f"p. {c.page}" if c.page else "") if p)
    return f"[{c.n}] {c.title}" + (f" — {where}" if where else "") + f": “{' '.join(c.quote.split())}”"


def _sections(draft: Leeropdracht) -> list[tuple[str, list[str]]]:
    """The draft as (heading, paragraphs), shared by both export formats."""
    sections: list[tuple[str, list[str]]] = [("Rol en context", [f"Rol: {draft.role}", draft.context])]
    if draft.notes:
        sections.append(("Let op", list(draft.notes)))
    if draft.strength is not None:
        sections.append(("Mijn kracht (pot met goud)", [draft.strength.text + _marks(draft.strength)]))
    if draft.pitfall is not None:
        sections.append(("Mijn valkuil", [draft.pitfall.text + _marks(draft.pitfall)]))
    sections.append(("Reflectievragen", [q.text + _marks(q) for q in draft.questions]))
    sections.append(("Oefening in mijn eigen praktijk", [draft.exercise.text + _marks(draft.exercise)]))
    sections.append(("Reflectiemoment", [draft.reflection.text + _marks(draft.reflection)]))
    sections.append(("Bronnen", [_source_line(c) for c in draft.citations] or ["(geen)"]))
    return sections


def leeropdracht_to_markdown(draft: Leeropdracht) -> str:
    """The draft as a Markdown document: headings, numbered questions, and a source list."""
    lines = [f"# {draft.title}", ""]
    for heading, paragraphs in _sections(draft):
        lines += [f"## {heading}", ""]
        if heading == "Reflectievragen":
            lines += [f"{i}. {p}" for i, p in enumerate(paragraphs, start=1)]
        elif heading in ("Bronnen", "Let op"):
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
    for heading, paragraphs in _sections(draft):
        doc.add_heading(heading, level=1)
        style = {"Reflectievragen": "List Number", "Bronnen": "List Bullet", "Let op": "List Bullet"}.get(heading)
        for p in paragraphs:
            doc.add_paragraph(p, style=style)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
    except OSError as exc:
        raise AssistantError(f"{path}: kan het Word-bestand niet schrijven ({exc.strerror or exc})") from exc
    return path
