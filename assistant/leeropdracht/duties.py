"""A role told by what the person does rather than by a title ("ik leid de afdeling Beheer").

Each kind of duty is read as the title that has it, in the user's own words where it names a unit or an
opgave, so that the note says how the request was read (see :mod:`assistant.leeropdracht.request`).
"""

from __future__ import annotations

import re

# A role told by what the person does rather than by a title. Each kind of duty is read as the title that has it,
# in the user's own words where it names a unit or an opgave, so that the note says how the request was read:
# leading a unit ("ik leid de afdeling Beheer", "I head the Public Space department") → "hoofd van de afdeling
# Beheer"; running an opgave, programme or project ("ik trek de opgave Wonen", "I coordinate the programme X")
# → "trekker van de opgave Wonen"; writing policy → "beleidsmaker"; keeping the budget and the reports → "controller".
_UNIT = r"(?:afdeling|team|unit|department|directie|directorate|cluster|sector|dienst|division|eenheid)"
_WORK = r"(?:opgave|programma|project|programme|program|mission|missie|aanpak)"
_NAME = r"(?-i:(?:\s+[A-Z][\w&-]*){0,3})"  # a proper name after the unit ("Beheer", "Public Space")
_ARTICLE = r"(?:de|het|een|mijn|onze|ons|the|a|an|my|our)\s+"
_DUTIES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(rf"\b(?:(?P<nl>ik\s+(?:leid|stuur|geef\s+leiding\s+aan|ben\s+(?:eind)?verantwoordelijk\s+voor))|"
                rf"(?P<en>i\s+(?:head|lead|run|manage|am\s+in\s+charge\s+of)))\s+"
                rf"(?P<obj>{_ARTICLE}(?:[\w&'-]+\s+){{0,3}}?{_UNIT}\w*{_NAME})", re.IGNORECASE),
     "hoofd van {}", "head of {}"),
    (re.compile(rf"\b(?:(?P<nl>ik\s+(?:trek|leid|co[öo]rdineer|regisseer))|(?P<en>i\s+(?:lead|run|coordinate|manage)))\s+"
                rf"(?P<obj>{_ARTICLE}(?:[\w&'-]+\s+){{0,2}}?{_WORK}\w*(?:\s+[\w&-]+){{0,3}}?{_NAME})(?=[\s,.;:!?]|$)",
                re.IGNORECASE),
     "trekker van {}", "lead of {}"),
    (re.compile(r"\b(?:(?P<nl>ik\s+(?:schrijf|maak)\s+(?:\w+\s+)?beleid)|(?P<en>i\s+(?:write|make|draft)\s+(?:\w+\s+)?policy))\b",
                re.IGNORECASE), "beleidsmaker", "policy maker"),
    (re.compile(r"\b(?:(?P<nl>ik\s+(?:maak|bewaak|stel|beheer)\s+(?:de|het|onze)\s+(?:begroting|rapportages|planning))|"
                r"(?P<en>i\s+(?:prepare|monitor|keep|manage)\s+(?:the|our)\s+(?:budget|reports|reporting)))\b",
                re.IGNORECASE), "controller", "controller"),
)


def read_duty(text: str) -> str | None:
    """The title of a role described by its duty ("I head the X department" → "head of the X department")."""
    for pattern, dutch, english in _DUTIES:
        m = pattern.search(text)
        if m is None:
            continue
        obj = " ".join((m.groupdict().get("obj") or "").split())
        if m.group("en"):
            return english.format(re.sub(r"^(?:a|an|my|our)\s+", "the ", obj, flags=re.IGNORECASE))
        return dutch.format(re.sub(r"^(?:een|mijn|onze|ons)\s+", "de ", obj, flags=re.IGNORECASE))
    return None
