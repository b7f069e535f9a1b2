"""The notes of a leeropdracht: how the request was read, and where its role texts come from.

Every way a role can be read (:class:`assistant.leeropdracht.roles.RoleMatch`) gets an honest note: a role
outside the guide is said to be so, a folded role says whose leeropdracht it borrows and whether its pitfall
comes from its own position (:mod:`assistant.leeropdracht.own_profile`). Headings are named by the role's
canonical name (``Naming.label``).
"""

from __future__ import annotations

from typing import Protocol, Sequence

from assistant.leeropdracht.functions import NAME_NEAREST_FLOOR
from assistant.leeropdracht.own_profile import own_pitfall
from assistant.leeropdracht.roles import RoleBook, RoleMatch
from kb.roles import RoleText


class Naming(Protocol):
    """How the draft names documents and headings."""

    def name(self, doc_id: str) -> str:
        """How running text names a document."""
        ...

    def label(self, text: str) -> str:
        """A heading with a misspelt role name put right."""
        ...


def pitfall_of(match: RoleMatch) -> RoleText | None:
    """The pitfall of the role asked for: a folded role's own risk, where the guide names one, else the leeropdracht's."""
    own = own_pitfall(match.described) if match.how == "member" else None
    return own or (match.profile.pitfall if match.profile else None)


def notes_for(d: Naming, matches: Sequence[RoleMatch], book: RoleBook, group: bool, subject: str = "") -> list[str]:
    """How the request was read, and where the role texts come from (``subject``: the situation's opgave)."""
    guide = next((p.doc_id for p in book.appendix), "")
    guide_name = d.name(guide) if guide else "de bronnen"
    appendix = next((p.strength.part for p in book.appendix if p.strength and p.strength.part), "de bijlage met leeropdrachten")
    notes: list[str] = []
    for m in matches:
        named = m.described.name if m.described else ""
        if m.how == "outside":
            notes.append(f"{_cap(guide_name)} heeft in {appendix} geen leeropdracht voor de rol '{m.asked}' en beschrijft die "
                         "rol ook niet. Deze opzet bouwt op wat de bronnen het dichtst bij deze rol en "
                         + (f"bij {subject}" if subject else "deze situatie") + " zeggen; er is geen kracht of valkuil "
                         "uit de gids aan de rol toegeschreven.")
            near = m.nearest
            if near is not None and near.guide_closeness >= NAME_NEAREST_FLOOR:
                notes.append(f"Van de rollen uit {guide_name} ligt de {near.nearest_guide_role} het dichtst bij de "
                             f"{m.asked.lower()} (gelijkenis {_closeness(near.guide_closeness)}), maar niet dicht genoeg om "
                             "de leeropdracht van die rol over te nemen; wie die rol ook vervult, kan die leeropdracht ernaast leggen.")
        elif m.how == "near":
            listed = m.nearest.title == " ".join(m.asked.lower().split())
            how = ("komt in de termen van de gids het dichtst bij" if listed else
                   f"ligt het dichtst bij (gelijkenis {_closeness(m.nearest.closeness)} met de functie '{m.nearest.title}')")
            notes.append(f"{_cap(guide_name)} noemt de functie '{m.asked}' niet. Die {how} de {m.profile.name}; de "
                         "leeropdracht van die rol is hier gebruikt. Controleer of die rol past.")
        elif m.how == "main_text":
            notes.append(f"{_cap(appendix)} van {guide_name} heeft geen leeropdracht voor de {named}. De gids beschrijft de rol "
                         f"wel in de hoofdtekst; die beschrijving staat hieronder. Kracht en valkuil zijn niet ingevuld: de gids "
                         f"geeft die alleen voor de rollen van {appendix}.")
        elif m.how == "member":
            notes.append(f"{_cap(guide_name)} bespreekt de {named} in de hoofdtekst; in {appendix} valt deze rol onder de "
                         f"leeropdracht van de {m.profile.name}. Die is hier gebruikt.")
            if own_pitfall(m.described) is not None:
                notes.append(f"De valkuil komt niet uit die leeropdracht maar uit wat {guide_name} over de positie van de "
                             f"{named} zegt: de valkuil van de {m.profile.name} geldt voor wie die rol naast ander werk vervult.")
        elif m.how == "alias":
            notes.append(f"In {guide_name} is de {m.asked.lower()} de {m.profile.name}; de leeropdracht uit {appendix} voor die "
                         "rol is hier gebruikt.")
        elif m.how == "title":
            notes.append(f"De rol '{m.asked}' is opgevat als '{m.profile.name}' uit {guide_name}.")
        if m.profile is not None and m.profile.strength is not None:
            section = d.label(m.profile.strength.section)
            what = "Kracht en vragen" if pitfall_of(m) is not m.profile.pitfall else "Kracht, valkuil en vragen"
            notes.append(f"{what} voor de {m.profile.name} komen uit {guide_name}, {appendix}"
                         + (f" (‘{section}’)." if section else "."))
    if group:
        notes.append("De vragen uit de gids staan in de ik-vorm; bespreek ze als team.")
    return list(dict.fromkeys(notes))


def _closeness(value: float) -> str:
    """A cosine as a reader reads it: two decimals with a comma."""
    return f"{value:.2f}".replace(".", ",")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
