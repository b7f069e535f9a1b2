"""The role field of a leeropdracht request: which roles it names, and whether it is for a team.

The field is what ``--rol`` holds, or what :func:`assistant.leeropdracht.request.parse_request` read from a
free request ("lijnmanager en ambtelijk opdrachtgever", "team van beleidsadviseurs").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.leeropdracht.request import ROLE_NOUN, TEAM, is_role_noun, plural, tokens


@dataclass(frozen=True)
class RoleAsk:
    """The roles a role field names, and whether it is for a team of people in that role."""

    names: tuple[str, ...]
    group: bool = False


def field_of(role: str) -> str:
    """The field of work a role title names: "communicatieadviseur" → "communicatie", "HR-adviseur" → "hr"."""
    fields = []
    for word, _, _ in tokens(role):
        match = ROLE_NOUN.match(word)
        stem = word[:match.start(1)] if match and match.lastindex else word
        if len(stem.strip("-")) >= 2:
            fields.append(stem.strip("-"))
    return " ".join(fields)


def read_role_field(role: str, situation: str = "") -> RoleAsk:
    """The roles a role field names ("lijnmanager en ambtelijk opdrachtgever"), and a team or not.

    A field is split at "en", ",", "/" or "+" only where every part is a role
    ("planning en control-medewerker" stays one role).
    """
    text = " ".join((role or "").split()).strip(" .")
    team = TEAM.match(text)
    group = bool(team) or bool(re.search(r"\b(?:wij zijn|we zijn|ons team|onze afdeling|als team)\b", situation or "", re.IGNORECASE))
    if team:
        text = text[team.end():]
    parts = [p.strip() for p in re.split(r"\s+(?:en|én)\s+|\s*[,/+]\s*", text) if p.strip()]
    names = parts if len(parts) > 1 and all(any(is_role_noun(w) for w, _, _ in tokens(p)) for p in parts) else [text]
    if len(names) == 1 and not group:
        group = plural(names[0])
    return RoleAsk(tuple(names), group)
