"""Role profiles from the index, and forgiving matching of the role a user types.

The profiles are parsed at ingest (:mod:`ingest.roles`) and stored with the
build. Users name roles in their own words ("teamleider", "p&c adviseur",
"procesregiseur"), so matching tries, in order: the gids's own names and
aliases, a small table of everyday Dutch job titles, and spelling-tolerant
comparison. When two roles fit equally well ("opdrachtgever"), the
situation text decides; if it cannot, the user is asked to choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Mapping, Sequence

from kb.lexical import fold
from kb.types import Chunk
from opgavewijzer.errors import AssistantError

# Everyday job titles → a word of the gids's role name. Used only if a role with that name exists.
_JOB_TITLES: dict[str, str] = {
    "teamleider": "lijnmanager", "teammanager": "lijnmanager", "afdelingshoofd": "lijnmanager",
    "afdelingsmanager": "lijnmanager", "leidinggevende": "lijnmanager", "clustermanager": "lijnmanager",
    "projectleider": "sturingsprofessional", "programmaleider": "sturingsprofessional",
    "procesmanager": "sturingsprofessional", "procesbegeleider": "sturingsprofessional",
    "kwartiermaker": "sturingsprofessional",
    "opgavemanager": "ambtelijk", "opgaveregisseur": "ambtelijk", "directeur": "ambtelijk", "directielid": "ambtelijk",
    "wethouder": "bestuurlijk", "gedeputeerde": "bestuurlijk", "burgemeester": "bestuurlijk",
    "portefeuillehouder": "bestuurlijk", "bestuurder": "bestuurlijk",
    "beleidsmedewerker": "beleidsadviseur", "beleidsambtenaar": "beleidsadviseur", "beleidsmaker": "beleidsadviseur",
    "vakspecialist": "vakinhoudelijk", "specialist": "vakinhoudelijk", "vakexpert": "vakinhoudelijk",
    "inhoudsdeskundige": "vakinhoudelijk", "expert": "vakinhoudelijk",
    "controller": "control", "businesscontroller": "control", "financieel": "control",
}
# Words that say little about which role is meant.
_GENERIC = frozenset("medewerker medewerkers adviseur de het een en van bij voor senior junior sr jr ik ben als".split())
MATCH_FLOOR = 0.75


@dataclass(frozen=True)
class RoleItem:
    """One piece of a role profile, located in its passage."""

    text: str
    chunk_id: str
    start: int  # offsets in the chunk's text
    end: int


@dataclass(frozen=True)
class RoleProfile:
    """A role of the gids with its strength, pitfall and questions."""

    name: str
    aliases: tuple[str, ...]
    doc_id: str
    strength: RoleItem
    pitfall: RoleItem | None
    questions: tuple[RoleItem, ...]

    @property
    def display_name(self) -> str:
        """The name with a capital, as shown to users."""
        return self.name[:1].upper() + self.name[1:]


def _item(raw: Mapping[str, Any] | None, chunks: Mapping[str, Chunk]) -> RoleItem | None:
    """A stored item, verified against the chunk it claims to come from (stale data is dropped)."""
    if not raw:
        return None
    chunk = chunks.get(str(raw.get("chunk_id", "")))
    start, end = int(raw.get("passage_start", -1)), int(raw.get("passage_end", -1))
    if chunk is None or not 0 <= start < end <= len(chunk.text):
        return None
    text = chunk.text[start:end]
    return RoleItem(text=text, chunk_id=chunk.chunk_id, start=start, end=end) if text.strip() else None


def load_profiles(extras: Mapping[str, Any], chunks: Sequence[Chunk]) -> tuple[RoleProfile, ...]:
    """The role profiles stored with the build, each item checked against its chunk."""
    by_id = {c.chunk_id: c for c in chunks}
    profiles: list[RoleProfile] = []
    for doc_id, extra in extras.items():
        for raw in (extra or {}).get("roles", []) if isinstance(extra, Mapping) else []:
            strength = _item(raw.get("strength"), by_id)
            if strength is None:
                continue
            questions = tuple(q for q in (_item(r, by_id) for r in raw.get("questions", [])) if q is not None)
            profiles.append(RoleProfile(
                name=str(raw["name"]), aliases=tuple(str(a) for a in raw.get("aliases", [])), doc_id=doc_id,
                strength=strength, pitfall=_item(raw.get("pitfall"), by_id), questions=questions,
            ))
    return tuple(profiles)


def normalise_role(text: str) -> str:
    """Lower case, no diacritics, 'p&c' spelled out, punctuation as spaces."""
    text = fold(text).replace("&", " en ")
    text = re.sub(r"\bp\s*en\s*c\b", "planning en control", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _score(query: str, profile: RoleProfile) -> float:
    """How well a normalised role description fits a profile, in [0, 1]."""
    tokens = query.split()
    names = [normalise_role(n) for n in (profile.name, *profile.aliases)]
    best = 0.0
    for name in names:
        if query == name:
            return 1.0
        if re.search(rf"\b{re.escape(name)}\b", query):
            best = max(best, 0.95)
        distinctive = [t for t in name.split() if t not in _GENERIC]
        if distinctive and all(t in tokens for t in distinctive):
            best = max(best, 0.9)
        elif re.search(rf"\b{re.escape(query)}\b", name) and query not in _GENERIC:
            best = max(best, 0.8)  # "opdrachtgever" fits "ambtelijk opdrachtgever"; may be ambiguous
        width = len(name.split())
        for i in range(len(tokens) - width + 1):
            window = " ".join(tokens[i:i + width])
            if window not in _GENERIC:
                best = max(best, 0.9 * SequenceMatcher(None, window, name).ratio())
    key = normalise_role(profile.name)
    for token in tokens:
        target = _JOB_TITLES.get(token)
        if target and target in key.split():
            best = max(best, 0.9)
        elif target is None:
            # A misspelt job title ("teamleidr") still finds its entry.
            for title, word in _JOB_TITLES.items():
                if word in key.split() and SequenceMatcher(None, token, title).ratio() >= 0.88:
                    best = max(best, 0.85)
    return best


def match_role(role: str, profiles: Sequence[RoleProfile], situation: str = "") -> RoleProfile | None:
    """The profile ``role`` refers to; None if the gids has no such role.

    Raises :class:`AssistantError` when two roles fit equally well and the
    situation does not tell them apart; the message names both.
    """
    query = normalise_role(role)
    if not query or not profiles:
        return None
    scores = [(_score(query, p), p) for p in profiles]
    top = max(s for s, _ in scores)
    if top < MATCH_FLOOR:
        return None
    tied = [p for s, p in scores if s >= top - 1e-9]
    if len(tied) == 1:
        return tied[0]
    context = normalise_role(situation)
    if context:
        by_context = [(_score(context, p) + (0.2 if normalise_role(p.name) in context else 0.0), p) for p in tied]
        best = max(s for s, _ in by_context)
        winners = [p for s, p in by_context if s >= best - 1e-9]
        if best >= MATCH_FLOOR and len(winners) == 1:
            return winners[0]
    options = " of ".join(f"'{p.name}'" for p in tied)
    raise AssistantError(f"de rol '{role}' is niet eenduidig: bedoelt u {options}? Noem de rol wat preciezer")
