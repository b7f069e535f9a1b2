"""A role the guide folds into another's leeropdracht, but describes as a position of its own.

The guide's appendix may give one leeropdracht for several people: a
procesregisseur is a sturingsprofessional, an opgavemanager holds the role
of ambtelijk opdrachtgever. Where the guide's main text says more about such
a position, above all what goes wrong in it ("…, anders worden de
deelbelangen van de lijn te veel leidend"), that is the position's own
pitfall: the parent role's pitfall was written for someone who does the role
beside other work, and may not fit someone freed for it.

The risk sentence is found by the wording any Dutch text uses to name a risk
(:data:`_RISK`), in the passages the guide devotes to the position; the
sentence is quoted, never rephrased.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kb.roles import RoleProfile, RoleText
from opgavewijzer.text import sentence_spans

# How a sentence names what goes wrong: "anders worden …", "het risico", "de valkuil", "het gevaar", "te veel leidend".
_RISK = re.compile(r"\b(?:anders (?:worden|wordt|raakt|raken|gaat|gaan|blijft|blijven)|risico|valkuil|gevaar|"
                   r"te veel (?:leidend|ruimte|invloed)|valt terug|vallen terug)\b", re.IGNORECASE)


def _sentence(item: RoleText, start: int, end: int) -> RoleText:
    """The sentence ``item.text[start:end]`` as a role text of its own, pointing at the same passage."""
    return replace(item, text=item.text[start:end], start=item.start + start, end=item.start + end)


def own_pitfall(described: RoleProfile | None) -> RoleText | None:
    """The first sentence in which the guide's description of a folded role names its risk; None if none does."""
    if described is None or not described.part_of:
        return None
    for item in described.description:
        for start, end in sentence_spans(item.text):
            if _RISK.search(item.text[start:end]) and described.name.split()[-1].lower() in item.text.lower():
                return _sentence(item, start, end)
    return None
