"""A concrete step for the challenge the situation states, so that the exercise is about *that* challenge.

The exercise template names a moment and the challenge; this module adds what
the learner does about it in that moment. Each tension of opgavegericht
werken that :data:`assistant.leeropdracht.situation._THEMES` recognises (by the
documents' own words for it) has one step here, written in our own words (no
quote): for "partners haken af" asking each partner what they bring, for
"lijnwerk" making the cost to the line visible, for "de raad wil snel iets
zien" setting the short term beside the long term. The step is chosen by the
challenge's own words first and by the whole situation only when the
challenge names no tension. A situation that names none gets no step.
"""

from __future__ import annotations

from assistant.leeropdracht.situation import Situation, ranked_themes

# Theme (the documents' words, as in situation._THEMES) → the step, for one person and for a team. "{moment}" is
# the kind of moment the exercise chose ("dat teamoverleg", "die werksessie").
STEPS: dict[str, tuple[str, str]] = {
    "gedeeld eigenaarschap samenwerking partners trekker": (
        "leg ik in {moment} elke partij de vraag voor wat de opgave haar oplevert en wat ze zelf wil bijdragen, en spreek ik één ding af dat we samen trekken",
        "leggen wij in {moment} elke partij de vraag voor wat de opgave haar oplevert en wat ze zelf wil bijdragen, en spreken we één ding af dat we samen trekken"),
    "spanning lijn opgave schakelen capaciteit": (
        "maak ik vooraf zichtbaar wat de opgave van de lijn vraagt (mensen, uren, geld) en bespreek ik in {moment} welke keuze daarbij hoort",
        "maken wij vooraf zichtbaar wat de opgave van de lijn vraagt (mensen, uren, geld) en bespreken we in {moment} welke keuze daarbij hoort"),
    "politiek verkiezingen lange termijn": (
        "zet ik vooraf op papier wat op korte termijn zichtbaar kan worden en wat de opgave op lange termijn vraagt, en leg ik beide in {moment} op tafel",
        "zetten wij vooraf op papier wat op korte termijn zichtbaar kan worden en wat de opgave op lange termijn vraagt, en leggen we beide in {moment} op tafel"),
    "werkwijze wisselen aanpak veranderen zoekproces": (
        "bepaal ik vooraf welke werkwijze {moment} vraagt en waarom, en benoem ik het hardop als ik van werkwijze wissel",
        "bepalen wij vooraf welke werkwijze {moment} vraagt en waarom, en benoemen we het hardop als we van werkwijze wisselen"),
    "klant leefwereld betrekken behoefte": (
        "laat ik in {moment} eerst horen wat de mensen om wie het gaat zelf zeggen, en pas daarna wat wij van plan zijn",
        "laten wij in {moment} eerst horen wat de mensen om wie het gaat zelf zeggen, en pas daarna wat wij van plan zijn"),
    "verantwoorden evalueren monitoring systemen": (
        "stel ik vooraf één vraag op over wat de opgave in de samenleving oplevert, naast de vraag of het geld volgens de regels is besteed, en bespreek ik beide in {moment}",
        "stellen wij vooraf één vraag op over wat de opgave in de samenleving oplevert, naast de vraag of het geld volgens de regels is besteed, en bespreken we beide in {moment}"),
    "werkvloer topmanagement betrekken voorbeeldgedrag": (
        "vertel ik in {moment} wat ik van de uitvoering hoor, en vraag ik wat daarvan bij de leiding bekend is",
        "vertellen wij in {moment} wat we van de uitvoering horen, en vragen we wat daarvan bij de leiding bekend is"),
    "ondersteunende systemen bedrijfsvoering regels": (
        "kies ik vooraf één regel of systeem dat het werk aan de opgave in de weg zit, en bespreek ik in {moment} wat daarin binnen de bestaande ruimte anders kan",
        "kiezen wij vooraf één regel of systeem dat het werk aan de opgave in de weg zit, en bespreken we in {moment} wat daarin binnen de bestaande ruimte anders kan"),
    "vertrouwen": (
        "benoem ik in {moment} waarin ik de ander vertrouw en wat ik nog nodig heb om meer los te laten",
        "benoemen wij in {moment} waarin we de ander vertrouwen en wat we nog nodig hebben om meer los te laten"),
    "van buiten naar binnen ga naar buiten": (
        "spreek ik vóór {moment} minstens één betrokkene buiten mijn organisatie, en neem ik wat ik hoor mee het gesprek in",
        "spreken wij vóór {moment} minstens één betrokkene buiten onze organisatie, en nemen we wat we horen mee het gesprek in"),
    "vak-trots passende oplossing netwerk": (
        "schrijf ik vooraf op welke van mijn vakprincipes voor mij vaststaan en over welke ik kan onderhandelen, en toets ik dat in {moment}",
        "schrijven wij vooraf op welke van onze vakprincipes voor ons vaststaan en over welke we kunnen onderhandelen, en toetsen we dat in {moment}"),
}


# The tension each kind of role meets first, as the guide's profiles put it (their pitfalls): a manager between
# line and opgave, a bestuurder between short and long term, control between rules and room to move, a specialist
# in vak-trots, an adviser at the desk, a sturingsprofessional in keeping one werkwijze. Used when the challenge
# itself names no tension: the situation's other words (an opgave's residents) say less about the learner.
KIND_TENSION: dict[str, str] = {
    "manager": "spanning lijn opgave schakelen capaciteit",
    "opdrachtgever": "spanning lijn opgave schakelen capaciteit",
    "bestuurder": "politiek verkiezingen lange termijn",
    "control": "verantwoorden evalueren monitoring systemen",
    "specialist": "vak-trots passende oplossing netwerk",
    "adviseur": "van buiten naar binnen ga naar buiten",
    "sturing": "werkwijze wisselen aanpak veranderen zoekproces",
}


def step_for(situation: Situation, group: bool, moment: str, kind: str = "") -> str | None:
    """The step for the challenge, as a sentence opening with "Concreet …"; None when no tension is named.

    The challenge's own words decide; without a tension in them, the role's kind (:data:`KIND_TENSION`) when the
    situation states a challenge at all, and otherwise the tensions the rest of the situation names."""
    themes = ranked_themes(situation.point)
    if not themes and situation.point and kind in KIND_TENSION:
        themes = [KIND_TENSION[kind]]
    themes = themes or ranked_themes(situation.text)
    step = next((STEPS[t] for t in themes if t in STEPS), None)
    if step is None:
        return None
    return "Concreet " + step[1 if group else 0].format(moment=moment) + "."
