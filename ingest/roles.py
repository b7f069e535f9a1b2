"""Role profiles (sleutelfiguren) parsed from the VPNG gids at ingest.

Bijlage 3 of the gids gives seven key roles a leeropdracht each: a "pot met
goud" (the strength of the role), a pitfall, and reflective "Hoe …?"
questions in the first person. They are parsed here into structured profiles
that point back at the exact text: every item carries its character offsets in
the cleaned document and the chunk that contains it, so a leeropdracht can
cite the passage a learner can open.

The parser reads the cleaned text, not the layout, and keys on the phrases the
gids itself uses ("De pot met goud van de … is", "Leeropdracht <rol>", "Hoe …
ik …?"). Any document with such sections yields profiles; others yield none.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from typing import Any

from ingest.chunking import ChunkedDocument
from opgavewijzer.text import sentence_spans
from kb.types import Chunk

_ANCHOR = re.compile(r"pot met goud\s+van\s+de\s+(?P<name>[^.\n]{3,60}?)\s+(?:is|zijn)\b", re.IGNORECASE)
# "Leeropdracht sturingsprofessional": a heading with a role (lower case), not the "Leeropdracht" above the questions.
_HEADING = re.compile(r"\bLeeropdracht[ \t]+(?P<title>(?!Hoe\b)[a-zà-ÿ][^\n.?]{2,80})")
_QUESTION = re.compile(r"\bHoe\b.*?[?.](?=\s+Hoe\b|\s*$)", re.DOTALL)
# Pitfall cues in the order the gids's wording makes them reliable.
_PITFALL_CUES = [re.compile(p, re.IGNORECASE) for p in (
    r"\bvalkuil", r"\bhandicap", r"\bhelaas\b", r"\breflex\b", r"\bvak-?trots\b", r"\bniet zelden\b",
)]
# The gids states a pitfall and then works it out in the same paragraph ("De intentie hierachter is
# begrijpelijk. De consequentie is, …"); those sentences belong to it, up to this many in all.
PITFALL_SENTENCES = 3
# Role nouns the gids uses for the same person ("de wethouder"); an alias only
# if it occurs in exactly one role's section.
_ROLE_WORDS = {
    r"wethouders?": "wethouder", r"gedeputeerden?": "gedeputeerde", r"directiele(?:den|d)": "directielid",
    r"projectmanagers?": "projectmanager", r"programmamanagers?": "programmamanager",
    r"procesregisseurs?": "procesregisseur", r"projectleiders?": "projectleider",
    r"beleidsmedewerkers?": "beleidsmedewerker", r"beleidsambtena(?:ar|ren)": "beleidsambtenaar",
    r"controllers?": "controller", r"opgavemanagers?": "opgavemanager",
}


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("\u2011", "-").split())


def _item(doc: ChunkedDocument, start: int, end: int) -> dict[str, Any]:
    """A piece of text with its document offsets and the chunk (with offsets in it) that holds it."""
    chunk = _containing_chunk(doc.chunks, start, end)
    return {
        "text": doc.text[start:end],
        "start": start,
        "end": end,
        "chunk_id": chunk.chunk_id if chunk else "",
        "passage_start": start - chunk.start if chunk else -1,
        "passage_end": min(end, chunk.end) - chunk.start if chunk else -1,
    }


def _containing_chunk(chunks: tuple[Chunk, ...], start: int, end: int) -> Chunk | None:
    """The chunk that contains the span entirely, else the one that overlaps it most."""
    inside = [c for c in chunks if c.start <= start and end <= c.end]
    if inside:
        return inside[0]
    overlapping = [(min(end, c.end) - max(start, c.start), c) for c in chunks]
    best = max(overlapping, key=lambda oc: oc[0], default=(0, None))
    return best[1] if best[0] > 0 else None


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    """Bounds of the paragraph (line) around ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + s, start + e) for s, e in sentence_spans(text[start:end])]


def _pick_name(text: str, anchor_name: str, heading_title: str | None) -> tuple[str, list[str]]:
    """The role name the document uses most, among the heading's and the "pot met goud" wording."""
    candidates = [_norm(anchor_name)]
    if heading_title:
        words = _norm(heading_title).split()
        # The heading may run on into the text ("… control-medewerker op de opgave"): take the prefix most like the anchor.
        prefix = max((" ".join(words[:n]) for n in range(1, min(len(words), 6) + 1)),
                     key=lambda p: SequenceMatcher(None, p, candidates[0]).ratio())
        candidates.append(prefix)
    lowered = _norm(text)
    counts = Counter({c: lowered.count(c) for c in candidates})
    name = max(candidates, key=lambda c: (counts[c], -candidates.index(c)))
    return name, [c for c in dict.fromkeys(candidates) if c != name]


def _pitfall(text: str, start: int, end: int, exclude: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The sentence that names the pitfall of the role, with the rest of its paragraph (at most three sentences)."""
    paragraphs: list[list[tuple[int, int]]] = []
    pos = start
    while pos < end:
        p_start, p_end = _paragraph(text, pos)
        paragraphs.append([s for s in _sentences_in(text, max(p_start, start), min(p_end, end)) if s not in exclude])
        pos = p_end + 1
    for cue in _PITFALL_CUES:
        for sents in paragraphs:
            for i, (s, e) in enumerate(sents):
                if cue.search(text, s, e):  # the cue sentence, then what follows it in the paragraph
                    return s, sents[min(i + PITFALL_SENTENCES, len(sents)) - 1][1]
    return None


def extract_roles(doc: ChunkedDocument) -> dict:
    """Structured role profiles found in ``doc``, as ``{"roles": [...]}``; empty if none."""
    text = doc.text
    anchors = list(_ANCHOR.finditer(text))
    if not anchors:
        return {}
    headings = list(_HEADING.finditer(text))
    starts: list[int] = []
    titles: list[str | None] = []
    for i, anchor in enumerate(anchors):
        floor = anchors[i - 1].end() if i else 0
        heading = next((h for h in reversed(headings) if floor <= h.start() < anchor.start()), None)
        starts.append(heading.start() if heading else _paragraph(text, anchor.start())[0])
        titles.append(heading.group("title") if heading else None)
    roles: list[dict[str, Any]] = []
    for i, anchor in enumerate(anchors):
        limit = starts[i + 1] if i + 1 < len(anchors) else len(text)
        block = re.search(r"(?m)^Hoe\b", text[anchor.end():limit])
        if block is None:
            continue  # no questions: not a leeropdracht section
        q_start, q_end = _paragraph(text, anchor.end() + block.start())
        questions = [_item(doc, q_start + m.start(), q_start + m.end()) for m in _QUESTION.finditer(text[q_start:q_end])]
        p_start, p_end = _paragraph(text, anchor.start())
        own = [s for s in _sentences_in(text, p_start, p_end) if s[1] > anchor.start()][:2]
        strength = (own[0][0], own[-1][1])
        pitfall = _pitfall(text, starts[i], q_start, set(own))
        name, variants = _pick_name(text, anchor.group("name"), titles[i])
        end = q_end if i + 1 == len(anchors) else limit
        roles.append({
            "name": name,
            "aliases": variants,
            "strength": _item(doc, *strength),
            "pitfall": _item(doc, *pitfall) if pitfall else None,
            "questions": questions,
            "start": starts[i],
            "end": end,
            "chunk_ids": [c.chunk_id for c in doc.chunks if c.start < end and c.end > starts[i]],
        })
    _add_role_words(text, roles)
    return {"roles": roles} if roles else {}


def _add_role_words(text: str, roles: list[dict[str, Any]]) -> None:
    """Add role nouns that occur in exactly one role's section to that role's aliases."""
    names = {r["name"] for r in roles}
    found: dict[str, list[int]] = {}
    for i, role in enumerate(roles):
        section = text[role["start"]:role["end"]]
        for pattern, word in _ROLE_WORDS.items():
            if word not in names and re.search(rf"\b{pattern}\b", section, re.IGNORECASE):
                found.setdefault(word, []).append(i)
    for word, where in found.items():
        if len(where) == 1 and word not in roles[where[0]]["aliases"]:
            roles[where[0]]["aliases"].append(word)
