"""What the main text of a document says about its roles, and the roles it describes without a leeropdracht.

The appendix gives a few roles a leeropdracht; the main text says more about
them, and describes other roles too. Three kinds of line introduce a role
the appendix has no section for:

* a glossary entry: a short line that is a person's title ("Gebiedsmanager",
  "Projectmanager"), followed by its definition;
* a list item that folds roles into an appendix role
  ("Sturingsprofessional (projectmanager, programmamanager en procesregisseur)",
  "Ambtelijk opdrachtgever - Opgavemanager"): these become *members* of it;
* a heading "De rol van <title>" (e.g. the volksvertegenwoordiger).

For every role, appendix or not, the paragraphs outside the appendix that
define or discuss it are kept as its *description*, best first: a glossary
definition, a paragraph under a heading that names the role or that opens
with it ("De opgavemanager is …"), then paragraphs that mention it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable, Sequence

from ingest.role_texts import DocumentText
from kb.roles import RoleProfile, RoleText

# Endings of Dutch words for a person in a role; a glossary term that ends in one is a role.
_PERSON = re.compile(
    r"(?:manager|regisseur|professional|adviseur|medewerker|opdrachtgever|leider|houder|eigenaar|coördinator|"
    r"secretaris|ambtenaar|bestuurder|wethouder|specialist|functionaris|controller|trekker|vertegenwoordiger)$"
)
_ROLE_HEADING = re.compile(r"^De rol van (?:de )?(?P<name>[a-zà-ÿ-]+)$", re.IGNORECASE)
_FOLDED = re.compile(r"^(?P<head>[^(\-–]+?)\s*(?:\((?P<inner>[^)]+)\)|[-–]\s*(?P<tail>.+))$")
# Weights of the evidence that a paragraph describes a role (chosen by reading the gids's main text:
# a definition beats a heading, which beats a passing mention).
DEFINITION, HEADING, OPENS_WITH, MENTION = 3.0, 2.0, 2.0, 0.5
DESCRIPTIONS = 8  # paragraphs kept per role; the writer picks those that fit the situation
DESCRIPTION_SENTENCES = 3
MIN_WORDS = 8
ROLE_LIST_LINES = 6  # list items under a "De rol van …" heading kept as its description
# A glossary term with one of these words is a heading about a role ("Waarom een opgavemanager"), not a title.
_FUNCTION_WORDS = frozenset("waarom hoe wat wie een de het als van in op met voor bij".split())


def _names_pattern(names: Sequence[str]) -> re.Pattern[str]:
    """Any of the names, also in the plural ("opgavemanagers", "beleidsambtenaren")."""
    alts = sorted({re.escape(n) for n in names if n}, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(alts)})(?:s|en)?\b", re.IGNORECASE)


def _split_names(text: str) -> list[str]:
    return [n.strip().lower() for n in re.split(r",|\ben\b|/", text) if 0 < len(n.split()) <= 3]


def _members(text: DocumentText, profiles: Sequence[RoleProfile], outside: Callable[[int], bool]) -> dict[str, list[str]]:
    """Roles that list items fold into an appendix role: {appendix role: [member, …]}."""
    members: dict[str, list[str]] = {}
    for line in text.lines:
        match = _FOLDED.match(line.text)
        if not match or not outside(line.start) or line.words > 12:
            continue
        head = " ".join(match.group("head").lower().replace("-", " ").split())
        for p in profiles:
            if head == p.name.replace("-", " "):
                extra = _split_names(match.group("inner") or match.group("tail") or "")
                members.setdefault(p.name, []).extend(n for n in extra if n != p.name)
    return members


def _main_text_roles(text: DocumentText, known: set[str], outside: Callable[[int], bool]) -> list[str]:
    """Roles the main text introduces (glossary entries, "De rol van …" headings) that have no profile yet."""
    found: list[str] = []
    for i, line in enumerate(text.lines[:-1]):
        if not outside(line.start):
            continue
        term = line.text.lower()
        follows = text.lines[i + 1]
        glossary = (line.words <= 3 and line.heading_like and _PERSON.search(term) and follows.words >= MIN_WORDS
                    and follows.text[-1] in ".!?" and not _FUNCTION_WORDS & set(term.split()))
        heading = _ROLE_HEADING.match(line.text)
        name = term if glossary else (heading.group("name").lower() if heading else "")
        if name and name not in known and name not in found:
            found.append(name)
    return found


def _score(text: DocumentText, i: int, pattern: re.Pattern[str]) -> float:
    """How clearly line ``i`` describes the role ``pattern`` names."""
    line = text.lines[i]
    mentions = len(pattern.findall(line.text))
    before = text.lines[i - 1] if i else None
    score = MENTION * min(mentions, 3)
    if before is not None and before.heading_like and pattern.fullmatch(before.text.strip()):
        score += DEFINITION
    elif before is not None and before.heading_like and pattern.search(before.text):
        score += HEADING
    if re.match(rf"(?:De|Een)\s+{pattern.pattern}", line.text):
        score += OPENS_WITH
    return score


def _description(text: DocumentText, names: Sequence[str], outside: Callable[[int], bool]) -> tuple[RoleText, ...]:
    """The best paragraphs about the role outside the appendix, best first."""
    pattern = _names_pattern(names)
    scored: list[tuple[float, int]] = []
    for i, line in enumerate(text.lines):
        if not outside(line.start) or line.text.count("...") + line.text.count("…") >= 2:
            continue  # the appendix itself, or a chapter preview
        heading = _ROLE_HEADING.match(text.lines[i - 1].text) if i else None
        if heading and pattern.fullmatch(heading.group("name")):
            scored.append((DEFINITION + HEADING, i))  # the list under "De rol van <role>"
            continue
        # Whole sentences only: a paragraph that starts mid-sentence lost its beginning in the extraction.
        if line.words < MIN_WORDS or line.text[-1] not in ".!?" or not line.text[:1].isupper():
            continue
        score = _score(text, i, pattern)
        if score > 0:
            scored.append((score, i))
    chosen = sorted(scored, key=lambda si: (-si[0], si[1]))[:DESCRIPTIONS]
    return tuple(p for p in (_piece(text, i, pattern) for _, i in chosen) if p)


def _piece(text: DocumentText, i: int, pattern: re.Pattern[str]) -> RoleText | None:
    """Up to three sentences of the paragraph, from the first that names the role (else from its start);
    under a "De rol van …" heading, the list that follows it."""
    line = text.lines[i]
    if i and _ROLE_HEADING.match(text.lines[i - 1].text):
        last = i
        while last + 1 < len(text.lines) and last + 1 < i + ROLE_LIST_LINES and not text.lines[last + 1].heading_like \
                and ":" in text.lines[last + 1].text[:40]:
            last += 1
        return text.piece(line.start, text.lines[last].end)
    sents = text.sentences(line.start, line.end)
    if not sents:
        return None
    # From the first statement that names the role (a question opens no description), else the first statement.
    statements = [k for k, (s, e) in enumerate(sents) if not text.text[s:e].rstrip().endswith("?")] or [0]
    first = next((k for k in statements if pattern.search(text.text, *sents[k])), statements[0])
    chosen = sents[first:first + DESCRIPTION_SENTENCES]
    return text.piece(chosen[0][0], chosen[-1][1])


def describe_roles(text: DocumentText, profiles: Sequence[RoleProfile], appendix: Sequence[tuple[int, int]]) -> list[RoleProfile]:
    """The appendix profiles with their descriptions, then the main-text roles (members first)."""
    outside = (lambda pos: not any(s <= pos < e for s, e in appendix))  # noqa: E731
    members = _members(text, profiles, outside)
    known = {p.name for p in profiles} | {a for p in profiles for a in p.aliases}
    result = [dataclasses.replace(p, members=tuple(dict.fromkeys(members.get(p.name, ()))),
                                  description=_description(text, (p.name, *p.aliases), outside)) for p in profiles]
    folded = {m: p.name for p in result for m in p.members}
    # A folded role may also be an alias of its appendix role ("projectmanager"); it still gets its own description.
    for name in [*folded, *_main_text_roles(text, known | set(folded), outside)]:
        if name in {p.name for p in result}:
            continue
        description = _description(text, (name,), outside)
        if description:
            result.append(RoleProfile(name=name, doc_id=result[0].doc_id, part_of=folded.get(name, ""), description=description))
    return result
