"""Reading a leeropdracht request: which role or roles, one person or a team, and the situation.

One parser serves the command line (``opgavewijzer leeropdracht "Maak een
leeropdracht voor een communicatieadviseur die …"``) and the chat. It finds:

* the *role phrase*: after "voor", "bij", "van" or "als" ("voor een
  communicatieadviseur die …", "past bij een procesregisseur"), or a role
  the guide names anywhere in the text ("Ik begin als ambtelijk
  opdrachtgever …"); two roles joined in that phrase ("iemand die
  afdelingshoofd is en tegelijk ambtelijk opdrachtgever") make a combined
  request, and a team ("ons team van vijf beleidsadviseurs") a group request;
* the *situation*: the request without the words that only ask for a
  leeropdracht, as a sentence ("Een communicatieadviseur die de opgave
  aardgasvrije wijken ondersteunt."); ``None`` when it says nothing more.

The role field the parser produces ("team van beleidsadviseurs",
"afdelingshoofd en ambtelijk opdrachtgever") is read back by
:func:`assistant.leeropdracht.role_field.read_role_field`, which is also what ``--rol`` goes through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Sequence

from assistant.leeropdracht.duties import read_duty
from assistant.leeropdracht.functions import is_function
from assistant.leeropdracht.phrasing import FUNCTION_WORDS
from opgavewijzer.text import sentence_spans

# Words that say "make me a leeropdracht" and nothing about the situation.
REQUEST_WORDS = frozenset(
    "maak maken schrijf stel stelt opstellen op graag wil wilt ik we wij je u jij kun kunt kan mij me ons "
    "een de het leeropdracht leeropdrachten voor als rol van mijn onze nieuwe please welke wat zou zijn "
    "past hoort bij geeft formuleren formuleer opstellen help helpen iemand die met volgens gids "
    # The same in English: "Could you write a learning assignment for a programme manager …"
    "could can would you write draft make a an the for as my our me us learning assignment assignments task who "
    "is am please i".split()
)
NO_SITUATION = frozenset({"geen", "nee", "geen situatie", "zonder situatie", "-", "n.v.t.", "nvt", "algemeen", "overslaan"})
# Endings of Dutch words for a person in a role (a role noun), also in the plural.
ROLE_NOUN = re.compile(
    r"^[\w&'-]*?(manager|regis{1,2}eur|professional|adviseur|medewerker|opdrachtgever|leider|houder|eigenaar|co[öo]rdinator|"
    r"secretaris|ambtenaar|bestuurder|wethouder|specialist|functionaris|controller|trekker|kundige|analist|inkoper|jurist|"
    r"raadslid|statenlid|gedeputeerde|directeur|hoofd|vertegenwoordiger|consulent|planner|ontwikkelaar|ambtena|raadsle|statenle|"
    r"alderm[ae]n|officer|advis[eo]r|leader|councill?or|(?<=o)lo(?:og|g(?=en$)))"
    r"(?P<plural>s|en|n|ren|den)?$", re.IGNORECASE,
)
FUZZY_ROLE = 0.85  # a word this close to a known role's name is that role misspelt ("beleidsadviseeur")
_LEAD = re.compile(r"\b(?:voor|bij|van|als|ben|leeropdracht|for|as|am|i['’]m)\s+(?:(?:een|de|het|mijn|ons|onze|iemand|a|an|the|my|our|"
                   r"someone)\s+)*", re.IGNORECASE)
# A request may open with the role itself ("Procesregisseur, net begonnen …"): read only when no lead word names one.
_OPENING = re.compile(r"\s*(?:(?:een|de|het|a|an|the)\s+)*", re.IGNORECASE)
TEAM = re.compile(r"(?:(?:een|ons|onze|mijn|het|de)\s+)?(?:(?:hele|gehele|voltallige|whole|entire)\s+)?(?:team|groep)\s+(?:van\s+)?(?:(?:\d+|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)\s+)?",
                   re.IGNORECASE)
# What joins two roles of one person: "X en Y", "X én Y", "X/Y", "iemand die X (Ruimte) is en tegelijk Y".
_JOINED = re.compile(r"(?:\s+[A-Z][\w-]*)?\s*(?:(?:is|ben)\s+en\s+(?:ook|tegelijk(?:ertijd)?)|en\s+(?:ook|tegelijk(?:ertijd)?)|en|én|,|/|\+)\s+")
# Words that make the role after them someone else's: "haar collega-wethouder", "his programme managers".
_OTHERS = frozenset("haar zijn hun jullie her his their your".split())
_COLLEAGUE = ("collega", "colleague")
# A request for everyone in a team: "voor het hele team", "for our whole team".
_TEAM_REQUEST = re.compile(r"\b(?:voor|for)\s+(?:het|ons|onze|the|our)\s+(?:(?:hele|gehele|voltallige|whole|entire)\s+)?"
                           r"(?:team|groep|group)\b", re.IGNORECASE)
# After these a possessive of the participant ("van mijn consulenten") names their people, not them.
_OWN = frozenset("mijn onze ons my our".split())
# After these the participant says what they are: "ik ben woordvoerder", "I work as a landscape architect".
_SELF_LEADS = frozenset(("ben", "als", "am", "as", "i'm", "i’m"))
# A Dutch or English agent noun (a person who does something), at least 8 letters so that comparatives ("eerder",
# "zeker") are not read as one: "woordvoerder", "architect", "toezichthouder", "secretaris".
_AGENT_NOUN = re.compile(r"^[a-zà-ÿ][\w-]{4,}(?:er|aar|ier|ist|is|eur|ant|ent|ster|trice|tect|oog|lid)$")
_PARTICIPANTS = frozenset("deelnemer deelnemers participant participants cursist cursisten student students lerende".split())
# Words of time whose object is no qualifier of a function: "sinds januari clustermanager" names a clustermanager.
_TIME_LEAD = frozenset("sinds vanaf per tot tijdens since from until during".split())
# Prepositions after which a role is someone the participant deals with: "samenwerken met de wethouder".
_OTHER_PERSON_LEAD = frozenset("met aan tegen naar door namens zonder with to by against".split())
# A derived noun that names doing a role: "het ambtelijk opdrachtgeverschap" is being ambtelijk opdrachtgever.
_ROLE_DERIVATION = "schap"
_ASKS = re.compile(r"\bleeropdracht\w*|\blearning (?:assignment|task)s?\b|\b(?:maak|schrijf|stel|formuleer|write|draft|make)\b",
                   re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w&'-]*", re.UNICODE)
@dataclass(frozen=True)
class ParsedRequest:
    """What a request says: the role field (None: no role found) and the situation (None: none given)."""

    role: str | None
    situation: str | None


def tokens(text: str) -> list[tuple[str, int, int]]:
    """The lower-cased words of ``text`` with their offsets."""
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def is_role_noun(word: str, roles: Sequence[str] = ()) -> bool:
    """True for a word that names a person in a role ("communicatieadviseur", "teamleiders", "beleidsadviseeur")."""
    low = word.lower().strip("'")
    if ROLE_NOUN.match(low) or is_function(low):
        return True
    lasts = [r.lower().split()[-1] for r in roles if r]
    return any(low.startswith(w) or SequenceMatcher(None, low, w).ratio() >= FUZZY_ROLE for w in lasts)


def find_role(text: str, roles: Sequence[str]) -> tuple[str, int, int] | None:
    """A role of ``roles`` named in ``text`` (tolerating inflection: 'bestuurlijke', plural), with its span.

    The longest name wins ("ambtelijk opdrachtgever" over "opdrachtgever").
    """
    found_words = tokens(text)
    best: tuple[str, int, int] | None = None
    for role in roles:
        wanted = [t for t, _, _ in tokens(role)]
        for i in range(len(found_words) - len(wanted) + 1) if wanted else ():
            window = found_words[i:i + len(wanted)]
            if all(t.startswith(w) and (len(t) - len(w) <= 2 or t == w + _ROLE_DERIVATION)
                   for (t, _, _), w in zip(window, wanted)):
                if best is None or len(role) > len(best[0]):
                    best = (role.lower(), window[0][1], window[-1][2])
                break
    return best


def _role_at(text: str, pos: int, roles: Sequence[str], agent: bool = False) -> tuple[str, int, bool] | None:
    """The role (a known one, or a role noun) that starts at ``pos``: its name, its end, and whether it is plural."""
    known = find_role(text[pos:pos + 60], roles)
    if known and known[1] == 0 and not text[pos:pos + 60].lower().startswith(_COLLEAGUE):
        word = (tokens(text[pos:pos + known[2]]) or [("", 0, 0)])[-1][0]
        return known[0], pos + known[2], len(word) > len(known[0].split()[-1])
    # "p&c adviseur": the role noun may come after one qualifier (not after "voor", "de", …).
    for k, (word, _, end) in enumerate(tokens(text[pos:pos + 80])[:2]):
        if k == 0 and (word in REQUEST_WORDS or word in _OTHERS):
            return None  # "van haar collega-wethouder", "with his programme managers": someone else's role
        if word.startswith(_COLLEAGUE):
            return None
        if is_role_noun(word, roles) or (agent and _AGENT_NOUN.match(word) and word not in _PARTICIPANTS):
            name = text[pos:pos + end].lower().strip("'‘’\"“” ")  # "I'm the 'opgavehouder'": the quotes are no part of it
            return name, pos + end, plural(name)
    return None


def _phrase(text: str, roles: Sequence[str]) -> tuple[list[str], bool, int] | None:
    """Roles of the role phrase after "voor/bij/van/als/ben", whether it is a team, and where the phrase starts."""
    for lead in _LEAD.finditer(text):
        start = lead.start() + len(lead.group().split()[0]) + 1
        pos = lead.end()
        words = lead.group().lower().split()
        if words[0] in ("van", "bij", "of") and _OWN & set(words[1:]):
            continue  # "drie van mijn consulenten": the participant's own people, not the participant
        agent = words[0] in _SELF_LEADS
        team = TEAM.match(text, start)
        if team:
            pos = team.end()
        if text[pos:pos + 4].lower() == "die ":
            pos += 4  # "voor iemand die afdelingshoofd is en tegelijk …"
        found = _roles_from(text, pos, roles, agent)
        if found:
            return [f for f, _ in found], bool(team) or (len(found) == 1 and found[0][1]), start
    opening = _OPENING.match(text)
    hit = _role_at(text, opening.end(), roles) if opening else None
    return ([hit[0]], hit[2], 0) if hit else None


def _roles_from(text: str, pos: int, roles: Sequence[str], agent: bool = False) -> list[tuple[str, bool]]:
    """The roles that start at ``pos``, joined by "en", "/", "," …: each with whether it is plural (``agent``:
    after "ik ben", "als", "I am", "as", where any agent noun is a function, see :data:`_AGENT_NOUN`)."""
    found: list[tuple[str, bool]] = []
    while (hit := _role_at(text, pos, roles, agent)) is not None:
        found.append((hit[0], hit[2]))
        joined = _JOINED.match(text, hit[1])
        if not joined:
            break
        pos = joined.end() + len(re.match(r"(?:(?:een|de)\s+)?", text[joined.end():]).group())
    return found


# Words too general to be someone's function on their own ("medewerkers samenwerken", "the staff").
_TOO_GENERAL = frozenset("medewerker medewerkers adviseur adviseurs manager managers staff employee employees".split())
# Words that never qualify a function ("zes projectleiders", "hoe medewerkers"): the function starts after them.
_NO_QUALIFIER = FUNCTION_WORDS | frozenset(
    "twee drie vier vijf zes zeven acht negen tien two three four five six seven eight nine ten hoe wat welke waarom "
    "how what which why all alle onze mijn our my".split())


def _first_function(text: str, roles: Sequence[str]) -> tuple[list[str], bool] | None:
    """The first function the text names for the participant, anywhere in it, and whether it is a team.

    Read when no lead word ("voor", "als", "ben" …) introduces a role: "Voor een deelnemer aan onze leergang:
    een teamleider …", "One of the participants is a financial adviser", "Het gaat om zes projectleiders en
    programmamanagers". A role after a possessive of someone else ("haar jeugdverpleegkundigen") or after a
    preposition of dealing with someone ("samenwerken met de wethouder") is another person's, and skipped.
    """
    found_words = tokens(text)
    for i, (word, start, _) in enumerate(found_words):
        before = found_words[i - 1][0] if i else ""
        before2 = found_words[i - 2][0] if i > 1 else ""
        if word in _NO_QUALIFIER or before in _OTHERS or before in _OTHER_PERSON_LEAD or before in _TIME_LEAD or (
                before in ("de", "het", "een", "the", "a", "an") and before2 in _OTHER_PERSON_LEAD):
            continue
        found = _roles_from(text, start, roles)
        found = [(name, plural) for name, plural in found if name not in _TOO_GENERAL]
        if found:
            team = bool(_TEAM_REQUEST.search(text)) or (len(found) == 1 and found[0][1]) or all(p for _, p in found)
            return [name for name, _ in found], team
    return None


def plural(role: str) -> bool:
    """True for a role in the plural ("beleidsadviseurs", "vakspecialisten"): a group of people in that role."""
    last = (tokens(role) or [("", 0, 0)])[-1][0]
    match = ROLE_NOUN.match(last)
    return bool(match and match.group("plural"))


def _situation(text: str, start: int | None) -> str | None:
    """The request without what only asks for a leeropdracht; None if nothing is left.

    A sentence that asks for the leeropdracht is cut to what follows the
    preposition ("Maak een leeropdracht voor een X die …" → "Een X die …."); the
    user's other sentences stay as they were typed.
    """
    parts: list[str] = []
    for s, e in sentence_spans(text):
        sentence, cut = text[s:e], False
        if start is not None and s <= start < e and _ASKS.search(sentence):
            sentence, cut = text[start:e].strip(" ,;:-"), True
        words = [w for w, _, _ in tokens(sentence) if w not in REQUEST_WORDS]
        if len(words) >= 3:
            if cut:
                # What followed "leeropdracht voor …?" is a statement now: "Een stedenbouwkundige in de opgave X."
                sentence = re.sub(r"\?(?=\s|$)", ".", sentence.rstrip())
                sentence = sentence[:1].upper() + sentence[1:] + ("" if sentence[-1:] in ".!?" else ".")
            # "…? ik blijf …": a sentence typed in lower case after a question mark starts with a capital.
            sentence = re.sub(r"([.?!])\s+([a-zà-ÿ])", lambda m: f"{m.group(1)} {m.group(2).upper()}", sentence)
            parts.append(sentence[:1].upper() + sentence[1:])
    return " ".join(parts) or None


def parse_request(text: str, roles: Sequence[str] = ()) -> ParsedRequest:
    """Read a free request; ``roles`` are the names of the roles the guide describes (for tolerant matching)."""
    text = " ".join((text or "").split())
    everyone = _everyone(text, roles) if _EACH_OF_US.search(text) else []
    if len(everyone) > 1:
        return ParsedRequest("team van " + " en ".join(everyone), _situation(text, None))
    phrase = _phrase(text, roles)
    if phrase is None:
        known = find_role(text, roles)
        if known is not None:
            return ParsedRequest(known[0], _situation(text, None))
        duty = read_duty(text)
        first = None if duty else _first_function(text, roles)
        if first is None:
            return ParsedRequest(duty, _situation(text, None))
        names, team = first
        return ParsedRequest(("team van " if team else "") + " en ".join(names), _situation(text, None))
    found, group, start = phrase
    if start == 0 and not group:
        # A title opening the request ("MT-lid, doe het ambtelijk opdrachtgeverschap …") gives way to a role the
        # guide names in the same sentence: that says more precisely which leeropdracht is asked for.
        first_sentence = next((text[s:e] for s, e in sentence_spans(text)), text)
        known = find_role(first_sentence, roles)
        if known is not None and known[0] not in found:
            found = [known[0]]
    role = " en ".join(found)
    if group:
        role = f"team van {role}"
    situation = _situation(text, start)
    only_role = situation is not None and len([w for w, _, _ in tokens(situation) if w not in REQUEST_WORDS]) <= len(
        tokens(" ".join(found)))
    return ParsedRequest(role, None if only_role else situation)


# A request for everyone the text names ("voor ieder van ons drieën", "for each of us"): one draft for the
# roles named, written for them as a team.
_EACH_OF_US = re.compile(r"\b(?:voor\s+)?(?:ieder|elk|elke)\s+van\s+ons\b|\bvoor\s+ons\s+(?:allebei|alle\s+\w+|\w+ën)\b|"
                         r"\bfor\s+(?:each|all|every\s+one)\s+of\s+us\b", re.IGNORECASE)


def _everyone(text: str, roles: Sequence[str]) -> list[str]:
    """Every role the text names, in order, each once: a known role or a role noun."""
    found: list[str] = []
    pos = 0
    for _, start, _ in tokens(text):
        if start < pos:
            continue
        hit = _role_at(text, start, roles)
        if hit is not None:
            if hit[0] not in found:
                found.append(hit[0])
            pos = hit[1]
    return found


def is_no_situation(text: str) -> bool:
    """True if the user declines to describe a situation."""
    return " ".join(text.split()).lower().strip(" .!") in NO_SITUATION
