"""Who a learner practises with and reflects with, by the kind of role.

An administrator, a manager and a specialist work in different company: a
wethouder has no "leidinggevende" but an ambtelijk opdrachtgever and
colleagues in the college; a sturingsprofessional answers to the ambtelijk
opdrachtgever; a p&c adviser serves the programme managers who use the
reports. The kinds below follow the sturingsdriehoek and the roles the
sources describe; which kind a role is follows from its name (the guide's
name, or the title the user gave).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """The company a role keeps: the moment to practise in, and who to look back with."""

    name: str
    moment: str  # the kind of meeting the exercise happens in
    this: str  # "dat" or "die": the demonstrative that goes with ``moment``
    company: str  # default company in that meeting, when the situation names nobody (no "ik": teams use it too)
    partner: str  # who the learner reflects with (singular, first person)
    team_partner: str  # who a team reflects with


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("bestuurder", "bestuurlijk overleg", "dat", "partners in de opgave",
         "mijn ambtelijk opdrachtgever en de sturingsprofessional van de opgave", "onze ambtelijk opdrachtgevers"),
    Kind("opdrachtgever", "overleg", "dat", "de sturingsprofessionals van de opgave",
         "de bestuurlijk opdrachtgever en de sturingsprofessional(s) die ik aanstuur",
         "de bestuurlijk opdrachtgever en de sturingsprofessionals die wij aansturen"),
    Kind("manager", "teamoverleg", "dat", "de medewerkers van het team",
         "een collega-manager en de opgavemanager of sturingsprofessional bij wie mijn medewerkers aan opgaven werken",
         "de opgavemanagers en sturingsprofessionals bij wie onze medewerkers werken"),
    Kind("sturing", "overleg", "dat", "de partners in het netwerk",
         "mijn ambtelijk opdrachtgever (of de opgavemanager) en een collega-sturingsprofessional",
         "onze ambtelijk opdrachtgever of opgavemanager"),
    Kind("adviseur", "werksessie", "die", "de betrokkenen bij de opgave",
         "de sturingsprofessional of opgavemanager van de opgave en een collega uit mijn vakgebied",
         "de sturingsprofessional of opgavemanager van de opgave"),
    Kind("specialist", "overleg over een oplossing", "dat", "de betrokkenen",
         "een vakcollega en de sturingsprofessional van de opgave", "de sturingsprofessional van de opgave"),
    Kind("control", "voortgangsgesprek", "dat", "een programmamanager die de rapportages gebruikt",
         "een programmamanager of sturingsprofessional die mijn rapportages gebruikt",
         "de programmamanagers en sturingsprofessionals die onze rapportages gebruiken"),
    Kind("volksvertegenwoordiger", "commissievergadering", "die", "",
         "collega-volksvertegenwoordigers uit mijn fractie", "onze fractie"),
    Kind("netwerk", "gebiedsoverleg", "dat", "de partners in het gebied",
         "de opgavemanagers met wie ik in het gebied samenwerk", "de opgavemanagers met wie wij samenwerken"),
)}
# Role names → kind, by the words in them (the guide's names and everyday titles). First match wins.
_BY_WORD: tuple[tuple[str, str], ...] = (
    (r"bestuurlijk|wethouder|gedeputeerde|burgemeester|bestuurder|portefeuillehouder", "bestuurder"),
    (r"volksvertegenwoordig|raadslid|statenlid|raadsle", "volksvertegenwoordiger"),
    (r"ambtelijk|opgavemanager|directeur|directielid|opgaveregisseur|secretaris", "opdrachtgever"),
    (r"control|financ", "control"),
    (r"lijnmanager|teamleider|afdelingshoofd|teammanager|afdelingsmanager|leidinggevende|hoofd", "manager"),
    (r"gebiedsmanager|wijkmanager|gebiedsregisseur|wijkregisseur", "netwerk"),
    (r"sturingsprof|project|programma|proces|kwartiermaker|opgavehouder|trekker", "sturing"),
    (r"vakinhoudelijk|specialist|kundige|expert|ecoloog|ingenieur|planoloog", "specialist"),
)
# Peers by title, for administrators ("een collega-wethouder in het college").
_PEERS = {"wethouder": "een collega-wethouder in het college", "gedeputeerde": "een collega-gedeputeerde",
          "burgemeester": "een collega in het college", "raadslid": "collega-raadsleden uit mijn fractie",
          "statenlid": "collega-statenleden uit mijn fractie"}


def kind_of(*names: str) -> Kind:
    """The kind the names say, the one that comes first in :data:`_BY_WORD` when they say several (someone who
    is both lijnmanager and ambtelijk opdrachtgever looks back as the opdrachtgever: no one above them in the
    opgave); advisers and unknown roles are 'adviseur'."""
    found = [i for name in names for i, (pattern, _) in enumerate(_BY_WORD) if re.search(pattern, (name or "").lower())]
    return KINDS[_BY_WORD[min(found)][1]] if found else KINDS["adviseur"]


# Kinds of role that serve the opgaven of others (a manager lends people, control reports on them): without a named
# opgave their exercise is set in the organisation's opgavegerichte werk, not in "de opgave waaraan ik werk".
NO_OWN_OPGAVE = frozenset({"manager", "control"})
ELECTED = frozenset({"bestuurder", "volksvertegenwoordiger"})  # kinds of role held by an elected official


# At a ministry the line above an opgave is a director or director-general, and peers hold other opgaven.
MINISTRY_PARTNER = "mijn directeur (of de DG die de opgave draagt) en een collega die een andere opgave trekt"
MINISTRY_TEAM_PARTNER = "onze directeur (of de DG die de opgave draagt)"
_MINISTRY_KINDS = frozenset({"sturing", "adviseur", "opdrachtgever", "specialist", "control"})


def partner_for(kind: Kind, asked: str, group: bool, ministry: bool = False) -> str:
    """Who to reflect with, named the way the user named the role where that makes a difference; at a
    ministry (``ministry``) the director rather than a municipality's ambtelijk opdrachtgever."""
    if ministry and kind.name in _MINISTRY_KINDS:
        return MINISTRY_TEAM_PARTNER if group else MINISTRY_PARTNER
    if group:
        return kind.team_partner
    peer = next((p for title, p in _PEERS.items() if title in (asked or "").lower()), "")
    if kind.name == "bestuurder":
        return f"{kind.partner}, en met {peer or 'een collega-bestuurder'}"
    if kind.name == "volksvertegenwoordiger" and peer:
        return peer
    return kind.partner
