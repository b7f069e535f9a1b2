"""Role profiles (sleutelfiguren) parsed at ingest from a document with a role appendix.

``sources.json`` names the appendix that gives roles a leeropdracht each
(``role_appendix``; in the VPNG gids "Bijlage 3"). Every section of it has a
"pot met goud" (the strength of the role), a pitfall, the rest of the
section, reflective "Hoe … ik …?" questions and a closing line that sums the
leeropdracht up. The parser keys on the phrases the document itself uses
("De pot met goud van de … is", "Leeropdracht <rol>", "Hoe … ?") and reads
the cleaned text, not the layout. Whole paragraphs are kept: a strength or
pitfall of three sentences is quoted in full.

The main text is read too (:mod:`ingest.role_descriptions`): what it says
about each role, and the roles it describes without a leeropdracht of their
own. Every piece points at its passage, appendix, heading and page
(:class:`kb.roles.RoleText`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Callable

from ingest.chunking import ChunkedDocument
from ingest.role_descriptions import describe_roles
from ingest.role_texts import DocumentText
from kb.roles import ROLES_KEY, RoleProfile

_ANCHOR = re.compile(r"pot met goud\s+van\s+de\s+(?P<name>[^.\n]{3,60}?)\s+(?:is|zijn)\b", re.IGNORECASE)
# "Leeropdracht sturingsprofessional": a heading with a role (lower case), not the "Leeropdracht" above the questions.
_HEADING = re.compile(r"\bLeeropdracht[ \t]+(?P<title>(?!Hoe\b)[a-zà-ÿ][^\n.?]{2,80})")
_QUESTION = re.compile(r"\bHoe\b.*?[?.](?=\s+Hoe\b|\s*$)", re.DOTALL)
# Pitfall cues in the order the gids's wording makes them reliable.
_PITFALL_CUES = [re.compile(p, re.IGNORECASE) for p in (
    r"\bvalkuil", r"\bhandicap", r"\bhelaas\b", r"\breflex\b", r"\bvak-?trots\b", r"\bniet zelden\b",
)]
# The gids states a pitfall and then works it out in the rest of the paragraph ("De intentie hierachter
# is begrijpelijk. De consequentie is, …"); the whole paragraph is kept, up to this many sentences.
PITFALL_SENTENCES = 6
# The line that sums a leeropdracht up ("Richting en ruimte geven aan de medewerker …"): a line of this
# many words without a full stop, after the questions.
MOTTO_WORDS = (4, 25)
_LIST_LABEL = re.compile(r"^(?:[\d•\-–*]|\S+(?:\s\S+){0,2}:)")
# Role nouns the gids uses for the same person ("de wethouder"); an alias only
# if it occurs in exactly one role's section.
_ROLE_WORDS = {
    r"wethouders?": "wethouder", r"gedeputeerden?": "gedeputeerde", r"directiele(?:den|d)": "directielid",
    r"projectmanagers?": "projectmanager", r"programmamanagers?": "programmamanager",
    r"procesregisseurs?": "procesregisseur", r"projectleiders?": "projectleider",
    r"beleidsmedewerkers?": "beleidsmedewerker", r"beleidsambtena(?:ar|ren)": "beleidsambtenaar",
    r"controllers?": "controller", r"opgavemanagers?": "opgavemanager",
}


@dataclass
class _Section:
    """One leeropdracht section of the appendix, located in the text."""

    name: str
    aliases: list[str]
    label: str  # "Leeropdracht beleidsadviseur", as the heading prints it
    start: int
    end: int
    anchor: re.Match[str]
    q_start: int  # the paragraph of questions
    q_end: int


def norm(name: str) -> str:
    """A role name in lower case with single spaces and plain hyphens."""
    return " ".join(name.lower().replace("\u2011", "-").split())


def _pick_name(text: str, anchor_name: str, heading_title: str | None) -> tuple[str, list[str], str]:
    """The role name the document uses most (heading or "pot met goud" wording), its variants, the heading's name."""
    candidates = [norm(anchor_name)]
    heading = ""
    if heading_title:
        words = norm(heading_title).split()
        # The heading may run on into the text ("… control-medewerker op de opgave"): take the prefix most like the anchor.
        heading = max((" ".join(words[:n]) for n in range(1, min(len(words), 6) + 1)),
                      key=lambda p: SequenceMatcher(None, p, candidates[0]).ratio())
        candidates.append(heading)
    lowered = norm(text)
    counts = Counter({c: lowered.count(c) for c in candidates})
    name = max(candidates, key=lambda c: (counts[c], -candidates.index(c)))
    # A variant that differs only in spacing is extraction damage ("vakinhoudeli jk"), not another name.
    variants = [c for c in dict.fromkeys(candidates) if c.replace(" ", "") != name.replace(" ", "")]
    return name, variants, heading


def _sections(text: DocumentText) -> list[_Section]:
    """The leeropdracht sections of the appendix: from their heading to the next one."""
    floor = text.appendix_start() or 0
    anchors = [a for a in _ANCHOR.finditer(text.text) if a.start() >= floor]
    headings = [h for h in _HEADING.finditer(text.text) if h.start() >= floor]
    found: list[_Section] = []
    for i, anchor in enumerate(anchors):
        low = anchors[i - 1].end() if i else floor
        heading = next((h for h in reversed(headings) if low <= h.start() < anchor.start()), None)
        start = heading.start() if heading else text.line_at(anchor.start()).start
        name, aliases, title = _pick_name(text.text, anchor.group("name"), heading.group("title") if heading else None)
        found.append(_Section(name, aliases, f"Leeropdracht {title}" if title else "", start, len(text.text), anchor, -1, -1))
    for i, section in enumerate(found):
        limit = found[i + 1].start if i + 1 < len(found) else len(text.text)
        block = re.search(r"(?m)^Hoe\b", text.text[section.anchor.end():limit])
        if block is None:
            continue  # no questions: not a leeropdracht section
        line = text.line_at(section.anchor.end() + block.start())
        section.q_start, section.q_end = line.start, line.end
        section.end = limit if i + 1 < len(found) else _last_end(text, line.end)
    return [s for s in found if s.q_start >= 0]


def _last_end(text: DocumentText, q_end: int) -> int:
    """End of the appendix's last section: its questions, and the closing line if one follows."""
    i = text.line_index(q_end) + 1
    if i < len(text.lines) and _motto_like(text.lines[i].text):
        return text.lines[i].end
    return q_end


def _motto_like(line: str) -> bool:
    words = len(line.split())
    return MOTTO_WORDS[0] <= words <= MOTTO_WORDS[1] and line[-1] not in ".?!:;" and not _LIST_LABEL.match(line)


def _paragraph_sentences(text: DocumentText, section: _Section) -> list[list[tuple[int, int]]]:
    """Sentences of each paragraph between the heading and the questions (the heading's own words left out)."""
    out: list[list[tuple[int, int]]] = []
    for line in text.lines[text.line_index(section.start):text.line_index(section.q_start)]:
        sents = [s for s in text.sentences(max(line.start, section.start), line.end)
                 if not text.text.startswith("Leeropdracht", s[0])]
        if sents:
            out.append(sents)
    return out


def _pitfall(text: DocumentText, paragraphs: list[list[tuple[int, int]]], anchor: int) -> tuple[int, int] | None:
    """The sentence that names the pitfall, with the rest of its paragraph."""
    for cue in _PITFALL_CUES:
        for sents in paragraphs:
            for i, (s, e) in enumerate(sents):
                if s <= anchor < e:
                    continue  # the strength's own sentence
                if cue.search(text.text, s, e):
                    return s, sents[min(i + PITFALL_SENTENCES, len(sents)) - 1][1]
    return None


def _runs(sents: list[tuple[int, int]], keep: Callable[[tuple[int, int]], bool]) -> list[tuple[int, int]]:
    """Spans of the consecutive sentences that ``keep`` accepts."""
    runs: list[list[tuple[int, int]]] = [[]]
    for sent in sents:
        if keep(sent):
            runs[-1].append(sent)
        elif runs[-1]:
            runs.append([])
    return [(r[0][0], r[-1][1]) for r in runs if r]


def _profile(text: DocumentText, section: _Section, doc_id: str) -> RoleProfile:
    """The profile of one appendix section: whole paragraphs, each piece labelled with the section's heading."""
    paragraphs = _paragraph_sentences(text, section)
    anchor = section.anchor.start()
    pitfall = _pitfall(text, paragraphs, anchor)
    in_pitfall = (lambda s: pitfall is not None and pitfall[0] <= s[0] < pitfall[1])  # noqa: E731
    strength = (anchor, section.anchor.end())
    context: list[tuple[int, int]] = []
    for sents in paragraphs:
        first = next((i for i, (s, e) in enumerate(sents) if s <= anchor < e), None)
        if first is not None:
            own = sents[first:]
            cut = next((i for i, sent in enumerate(own) if i and in_pitfall(sent)), len(own))
            strength = (own[0][0], own[cut - 1][1])
            sents = sents[:first]
        # Only whole sentences: a paragraph the extraction cut off mid-sentence is left out.
        context += _runs(sents, lambda sent: not in_pitfall(sent) and text.text[sent[1] - 1] in ".?!")
    piece = (lambda span: text.piece(*span, section=section.label))  # noqa: E731
    questions = [piece((section.q_start + m.start(), section.q_start + m.end()))
                 for m in _QUESTION.finditer(text.text[section.q_start:section.q_end])]
    motto = [ln for ln in text.lines[text.line_index(section.q_end) + 1:] if ln.end <= section.end and _motto_like(ln.text)]
    return RoleProfile(
        name=section.name, doc_id=doc_id, aliases=tuple(section.aliases),
        strength=piece(strength), pitfall=piece(pitfall) if pitfall else None,
        context=tuple(p for p in (piece(c) for c in context) if p is not None),
        questions=tuple(q for q in questions if q is not None),
        motto=piece((motto[-1].start, motto[-1].end)) if motto else None,
    )


def _add_role_words(text: str, sections: list[_Section]) -> None:
    """Add role nouns that occur in exactly one role's section to that role's aliases."""
    names = {s.name for s in sections}
    found: dict[str, list[int]] = {}
    for i, section in enumerate(sections):
        for pattern, word in _ROLE_WORDS.items():
            if word not in names and re.search(rf"\b{pattern}\b", text[section.start:section.end], re.IGNORECASE):
                found.setdefault(word, []).append(i)
    for word, where in found.items():
        if len(where) == 1 and word not in sections[where[0]].aliases:
            sections[where[0]].aliases.append(word)


def extract_roles(doc: ChunkedDocument) -> dict:
    """The role profiles of ``doc`` as ``{"roles": [...]}`` (JSON of :class:`kb.roles.RoleProfile`); empty if none."""
    if not doc.source.role_appendix:
        return {}
    text = DocumentText(doc, doc.source.role_appendix)
    sections = _sections(text)
    if not sections:
        return {}
    text.close_appendix(sections[-1].end)
    _add_role_words(text.text, sections)
    profiles = [_profile(text, s, doc.source.doc_id) for s in sections]
    profiles = [p for p in profiles if p.strength is not None]
    spans = [(s.start, s.end) for s in sections]
    return {ROLES_KEY: [p.to_json() for p in describe_roles(text, profiles, spans)]}

