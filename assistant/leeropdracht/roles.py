"""Role profiles from the index, and forgiving matching of the role a user names.

The profiles are parsed at ingest (:mod:`ingest.roles`) and stored with the
build as :class:`kb.roles.RoleProfile` records; :func:`load_profiles` reads
them back and checks every piece against its passage. Users name roles in
their own words ("teamleider", "p&c adviseur", "procesregiseur", "raadslid"),
so :meth:`RoleBook.match` tries, in order: the guide's own names, aliases
and the roles its main text describes, a small table of everyday Dutch job
titles, and spelling-tolerant comparison. When two roles fit equally well
("opdrachtgever"), the situation decides; if it cannot, the user is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any, Literal, Mapping, Sequence

from kb.lexical import fold
from kb.roles import RoleProfile, RoleText, profiles_from_extras
from kb.types import Chunk
from opgavewijzer.errors import AssistantError

# Everyday job titles → a word of the name of a role the guide describes. Used only if such a role exists.
_JOB_TITLES: dict[str, str] = {
    "teamleider": "lijnmanager", "teammanager": "lijnmanager", "afdelingshoofd": "lijnmanager",
    "afdelingsmanager": "lijnmanager", "leidinggevende": "lijnmanager", "clustermanager": "lijnmanager",
    "projectleider": "sturingsprofessional", "programmaleider": "sturingsprofessional",
    "procesmanager": "sturingsprofessional", "procesbegeleider": "sturingsprofessional",
    "kwartiermaker": "sturingsprofessional",
    "opgaveregisseur": "ambtelijk", "directeur": "ambtelijk", "directielid": "ambtelijk",
    "wethouder": "bestuurlijk", "gedeputeerde": "bestuurlijk", "burgemeester": "bestuurlijk",
    "portefeuillehouder": "bestuurlijk", "bestuurder": "bestuurlijk",
    "beleidsmedewerker": "beleidsadviseur", "beleidsambtenaar": "beleidsadviseur", "beleidsmaker": "beleidsadviseur",
    "vakspecialist": "vakinhoudelijk", "specialist": "vakinhoudelijk", "vakexpert": "vakinhoudelijk",
    "inhoudsdeskundige": "vakinhoudelijk", "expert": "vakinhoudelijk",
    "controller": "control", "businesscontroller": "control", "financieel": "control",
    "raadslid": "volksvertegenwoordiger", "statenlid": "volksvertegenwoordiger", "gemeenteraadslid": "volksvertegenwoordiger",
    "raadsleden": "volksvertegenwoordiger", "statenleden": "volksvertegenwoordiger",
    # English titles of the same people.
    "alderman": "bestuurlijk", "aldermen": "bestuurlijk", "councillor": "volksvertegenwoordiger",
    "programme": "sturingsprofessional", "program": "sturingsprofessional", "project": "sturingsprofessional",
    "policy": "beleidsadviseur", "line": "lijnmanager", "head": "lijnmanager",
    # A duty read as a title ("ik leid de afdeling X" → "hoofd van de afdeling X", see assistant.leeropdracht.request).
    "hoofd": "lijnmanager", "trekker": "sturingsprofessional",
}
# A Dutch compound is named by its last part: "concerncontroller" is a controller, "clusterhoofd" a hoofd.
# Only titles of at least this many letters are looked for at a word's end ("line" is in "discipline").
COMPOUND_HEAD_MIN = 5
# Titles of technical specialists ("verkeerskundige", "stedenbouwkundige", "ecoloog") are vakspecialisten.
_SPECIALIST = re.compile(r"(?:kundigen?|ecologen?|ecoloog|ingenieurs?|planologen?|planoloog)$")
# Words that say little about which role is meant.
_GENERIC = frozenset("medewerker medewerkers adviseur de het een en van bij voor senior junior sr jr ik ben als".split())
MATCH_FLOOR = 0.75  # below this a typed role is taken to be one the guide does not describe
Match = Literal["name", "alias", "member", "title", "near", "main_text", "outside"]


def _verified(item: RoleText | None, chunks: Mapping[str, Chunk]) -> RoleText | None:
    """The item if its passage still holds its text at its offsets (stale data is dropped)."""
    if item is None:
        return None
    chunk = chunks.get(item.chunk_id)
    if chunk is None or not 0 <= item.start < item.end <= len(chunk.text) or chunk.text[item.start:item.end] != item.text:
        return None
    return item


def load_profiles(extras: Mapping[str, Any], chunks: Sequence[Chunk]) -> tuple[RoleProfile, ...]:
    """The role profiles stored with the build, every piece checked against its passage.

    A role of the appendix whose strength no longer matches is dropped; other
    stale pieces are left out of their profile.
    """
    by_id = {c.chunk_id: c for c in chunks}
    many = (lambda items: tuple(i for i in (_verified(t, by_id) for t in items) if i is not None))  # noqa: E731
    profiles: list[RoleProfile] = []
    for p in profiles_from_extras(extras):
        checked = replace(p, strength=_verified(p.strength, by_id), pitfall=_verified(p.pitfall, by_id),
                          motto=_verified(p.motto, by_id), context=many(p.context), questions=many(p.questions),
                          description=many(p.description))
        if (p.strength is not None and checked.strength is None) or not (checked.strength or checked.description):
            continue
        profiles.append(checked)
    return tuple(profiles)


def normalise_role(text: str) -> str:
    """Lower case, no diacritics, 'p&c' spelled out, punctuation as spaces."""
    text = fold(text).replace("&", " en ")
    text = re.sub(r"\bp\s*en\s*c\b", "planning en control", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def display_name(name: str) -> str:
    """A role name with a capital, as shown to users."""
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class RoleMatch:
    """How a role the user named was read."""

    asked: str
    how: Match
    profile: RoleProfile | None = None  # the appendix role whose leeropdracht applies
    described: RoleProfile | None = None  # the main-text role that was named, if any
    # For a function the guide does not name: the nearest title of the list and how close it came
    # (assistant.leeropdracht.functions.Nearest); "near" when close enough to be read as its role.
    nearest: Any = None

    @property
    def name(self) -> str:
        """The role as the guide names it; as asked when the guide does not describe it."""
        found = self.described or self.profile
        return found.name if found else self.asked


def _names(p: RoleProfile) -> list[str]:
    return [normalise_role(n) for n in (p.name, *p.aliases)]


def _score(query: str, names: Sequence[str], key: str) -> float:
    """How well a normalised role description fits a role with these names, in [0, 1]."""
    tokens = query.split()
    best = 0.0
    for name in names:
        if query == name:
            return 1.0
        if re.search(rf"\b{re.escape(name)}(?:s|en)?\b", query):
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
    for token in tokens:
        target = _JOB_TITLES.get(token) or _JOB_TITLES.get(token.rstrip("s")) or _JOB_TITLES.get(re.sub(r"en$", "", token))
        target = target or _compound_head(token)
        if target is None and _SPECIALIST.search(token):
            target = "vakinhoudelijk"
        if target and target in key.split():
            best = max(best, 0.9)
        elif target is None:
            # A misspelt job title ("teamleidr") still finds its entry.
            for title, word in _JOB_TITLES.items():
                if word in key.split() and SequenceMatcher(None, token, title).ratio() >= 0.88:
                    best = max(best, 0.85)
    return best


def _compound_head(token: str) -> str | None:
    """The role of a job title that ends the compound ``token`` ("concerncontroller" → control), if any."""
    heads = [t for t in _JOB_TITLES if len(t) >= COMPOUND_HEAD_MIN and token.endswith(t) and token != t]
    return _JOB_TITLES[max(heads, key=len)] if heads else None


# Job titles too general to say that a question is about a role ("financieel", "expert").
_VAGUE_TITLES = frozenset({"financieel", "expert", "specialist"})


def mentioned_roles(text: str, profiles: Sequence[RoleProfile]) -> list[RoleProfile]:
    """The roles a question names: by the guide's name or alias ("lijnmanager", "wethouder"), or by a job title.

    Stricter than :meth:`RoleBook.match`, which reads a field that names a role: here the text is a whole
    question, so only a name, an alias or an unambiguous job title counts, never a look-alike word.
    """
    query = normalise_role(text)
    tokens = set(query.split())
    found = []
    for p in profiles:
        named = any(re.search(rf"\b{re.escape(n)}(?:s|en)?\b", query) for n in _names(p))
        # "iemand van planning & control" names the planning en control-medewerker: its distinctive words.
        distinctive = [t for t in normalise_role(p.name).split() if t not in _GENERIC]
        named = named or (len(distinctive) >= 2 and all(t in tokens for t in distinctive))
        titled = any(_JOB_TITLES.get(t) in normalise_role(p.name).split() for t in tokens - _VAGUE_TITLES
                     if _JOB_TITLES.get(t))
        if named or titled:
            found.append(p)
    # A main-text role folded into a named appendix role adds nothing of its own.
    names = {p.name for p in found}
    return [p for p in found if not (p.part_of and p.part_of in names)]


class RoleBook:
    """The roles of one build, for lookup and matching."""

    def __init__(self, profiles: Sequence[RoleProfile]) -> None:
        self.profiles = tuple(profiles)
        self.appendix = tuple(p for p in self.profiles if p.has_leeropdracht)
        self.main_text = tuple(p for p in self.profiles if not p.has_leeropdracht)
        self._by_name = {p.name: p for p in self.appendix}

    def names(self) -> list[str]:
        """Names of the roles with a leeropdracht, with a capital."""
        return [display_name(p.name) for p in self.appendix]

    def of(self, name: str) -> RoleProfile | None:
        """The appendix role of that name."""
        return self._by_name.get(name)

    def match(self, role: str, situation: str = "") -> RoleMatch:
        """How ``role`` is read: an appendix role, a main-text role (possibly folded into one), or outside the guide.

        Raises :class:`AssistantError` when two roles fit equally well and the
        situation does not tell them apart; the message names both.
        """
        query = normalise_role(role)
        if not query:
            return RoleMatch(role, "outside")
        described = next((p for p in self.main_text if normalise_role(p.name) == query
                          or re.fullmatch(rf"{re.escape(normalise_role(p.name))}(?:s|en)?", query)), None)
        if described is not None:
            return self._described(role, described)
        scored = [(_score(query, _names(p), normalise_role(p.name)), p) for p in (*self.appendix, *self.main_text)]
        top = max((s for s, _ in scored), default=0.0)
        if top < MATCH_FLOOR:
            return RoleMatch(role, "outside")
        tied = [p for s, p in scored if s >= top - 1e-9]
        if len({p.part_of or p.name for p in tied}) == 1:
            # An appendix role and a role folded into it ("procesregisseur"): the named one is the more precise.
            tied = sorted(tied, key=lambda p: p.has_leeropdracht)[:1]
        if len(tied) > 1:
            tied = self._settle(role, tied, situation)
        best = tied[0]
        if not best.has_leeropdracht:
            return self._described(role, best)
        singular = re.sub(r"(?:s|en)$", "", query)
        how: Match = "name" if normalise_role(best.name) in (query, singular) else (
            "alias" if query in _names(best) or singular in _names(best) else "title")
        return RoleMatch(role, how, profile=best)

    def _described(self, role: str, described: RoleProfile, how: Match = "member") -> RoleMatch:
        parent = self._by_name.get(described.part_of)
        return RoleMatch(role, how if parent else "main_text", profile=parent, described=described)

    def _settle(self, role: str, tied: list[RoleProfile], situation: str) -> list[RoleProfile]:
        """The one of several equally fitting roles that the situation names; asks back if it names none."""
        context = normalise_role(situation)
        if context:
            by_context = [(_score(context, _names(p), normalise_role(p.name)) + (0.2 if normalise_role(p.name) in context else 0.0), p)
                          for p in tied]
            best = max(s for s, _ in by_context)
            winners = [p for s, p in by_context if s >= best - 1e-9]
            if best >= MATCH_FLOOR and len(winners) == 1:
                return winners
        options = " of ".join(f"'{p.name}'" for p in tied)
        raise AssistantError(f"de rol '{role}' is niet eenduidig: bedoelt u {options}? Noem de rol wat preciezer")
