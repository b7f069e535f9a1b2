"""Role questions: what a guide says about the role a question names, found by the guide's own structure.

"Ik ben wethouder. Waar moet ik voor oppassen?" shares almost no word with
"De valkuil van zijn rol is: …", and "Wat is de kracht van een lijnmanager?"
none with "De pot met goud van de lijnmanager is …". Ingest parses each role
the guide describes into a profile (strength, pitfall, learning questions, the
main text about it; see :mod:`kb.roles`). When a question names such a role,
the sentences of the asked-for part of its profile are favoured, and their
passages are made candidates even if the search did not rank them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.answer.plan import QuestionPlan
from assistant.leeropdracht.roles import mentioned_roles
from kb.roles import RoleProfile, RoleText

# What a role question asks about, in the questioner's words (Dutch and English).
_ASPECTS: dict[str, re.Pattern[str]] = {
    "strength": re.compile(r"\b(?:kracht\w*|sterk\w*|meerwaarde|waardevol\w*|toegevoegde waarde|pot met goud|"
                           r"strength\w*|strong|valuable|value|asset)\b", re.IGNORECASE),
    "pitfall": re.compile(r"\b(?:valkuil\w*|oppassen|risico\w*|gevaar\w*|letten op|uitkijken|waken voor|"
                          r"gaat (?:er )?(?:\w+ ){0,4}mis|misgaan|botst|botsen|pitfall\w*|risks?|watch out|beware|trap|go(?:es)? wrong)\b", re.IGNORECASE),
    "questions": re.compile(r"\b(?:leervra\w*|reflectievra\w*|vragen (?:stelt|geeft|meegeeft|mee)|"
                            r"learning questions?|questions)\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class RoleFacts:
    """The parts of the named roles' profiles a question asks about."""

    roles: tuple[str, ...]  # the roles' names, as the guide gives them
    texts: tuple[RoleText, ...]  # the profile pieces to favour
    asked: bool  # True if the question asks for a particular part (strength, pitfall, questions)
    questions: bool  # True if the guide's learning questions are asked for (they are questions themselves)

    @property
    def chunk_ids(self) -> tuple[str, ...]:
        """The passages that hold the pieces, each once, in order."""
        return tuple(dict.fromkeys(t.chunk_id for t in self.texts))


def role_facts(plan: QuestionPlan, profiles: Sequence[RoleProfile]) -> RoleFacts | None:
    """The profile pieces for the roles ``plan`` names, or None if it names none the guide describes."""
    if plan.compare or not profiles:
        return None
    # An English question names roles in English; its Dutch focus terms ("lijnmanager") name them as the guide does.
    text = plan.question if plan.lang == "nl" else f"{plan.question} {' '.join(plan.focus)}"
    named = mentioned_roles(text, profiles)
    if not named:
        return None
    aspects = [a for a, pattern in _ASPECTS.items() if pattern.search(plan.question)]
    texts: list[RoleText] = []
    for profile in named:
        texts.extend(_pieces(profile, aspects))
    if not texts:
        return None
    return RoleFacts(tuple(p.name for p in named), tuple(texts), bool(aspects), "questions" in aspects)


def _pieces(profile: RoleProfile, aspects: list[str]) -> list[RoleText]:
    """The asked-for pieces of one profile; without a particular part asked, what the guide says about the role."""
    parts: list[RoleText | None] = []
    if "strength" in aspects:
        parts.append(profile.strength)
    if "pitfall" in aspects:
        parts.append(profile.pitfall)
    if "questions" in aspects:
        parts.extend(profile.questions)
    if not aspects:
        parts.extend((*profile.description, profile.strength, profile.pitfall))
    return [p for p in parts if p is not None]
