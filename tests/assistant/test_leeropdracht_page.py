"""One page: no quote twice, a cap on the words cut at whole items, and roles told by their duty (no index needed)."""

from __future__ import annotations

from dataclasses import replace

from assistant.leeropdracht.export import leeropdracht_to_markdown
from assistant.leeropdracht.notes import notes_for
from assistant.leeropdracht.page import MAX_WORDS, MIN_QUESTIONS, one_page, without_repeats, words
from assistant.leeropdracht.request import parse_request
from assistant.leeropdracht.role_field import read_role_field
from assistant.leeropdracht.roles import RoleBook
from assistant.leeropdracht.situation import read_situation
from assistant.types import Citation, CitedText, Leeropdracht, RolePart
from kb.roles import RoleProfile, RoleText

PRACTICE = "Vier kleine successen, benoem ze en deel ze met de partners in de opgave."
FILLER = ("Wie opgavegericht werkt, zoekt samen met partners naar wat de opgave vraagt en past de aanpak daarop aan "
          "zodra de omgeving verandert, ook als dat schuurt met de eigen planning en de afspraken in de lijn")


def _citation(n: int, quote: str) -> Citation:
    return Citation(n, "vpng_gids", "Inspiratiegids", f"Hoofdstuk {n}", None, f"vpng_gids:{n:012d}", quote, quote, 0, len(quote))


def _draft(reading: int, questions: int = 5) -> Leeropdracht:
    """A draft whose exercise quotes PRACTICE [1], whose first reading item repeats it, and ``reading`` long items more."""
    long = [f"{FILLER} (punt {i})." for i in range(reading)]
    texts = [PRACTICE, "De pot met goud van de lijnmanager is zijn unieke positie.", "Helaas komen veel lijnmanagers in een strijd.",
             *long, *(f"Hoe betrek ik partij {i} bij de opgave?" for i in range(questions))]
    citations = tuple(_citation(n, t) for n, t in enumerate(texts, start=1))
    reading_items = (CitedText(f"De gids, ‘Hoofdstuk 1’: “{PRACTICE}” [1]", (1,)),
                     *(CitedText(f"De gids, ‘Hoofdstuk {i + 4}’: “{t}” [{i + 4}]", (i + 4,)) for i, t in enumerate(long)))
    first_q = 4 + reading
    part = RolePart("lijnmanager", "teamleider", True, strength=CitedText(f"“{texts[1]}”", (2,)),
                    pitfall=CitedText(f"“{texts[2]}”", (3,)))
    return Leeropdracht(
        title="Leeropdracht lijnmanager", role="Lijnmanager", role_in_gids=True, context="Ik ben teamleider.",
        strength=part.strength, pitfall=part.pitfall,
        questions=tuple(CitedText(f"“{texts[first_q - 1 + i]}”", (first_q + i,)) for i in range(questions)),
        exercise=CitedText(f"Als houvast neem ik wat de gids hierover zegt: “{PRACTICE}” [1]", (1,)),
        reflection=CitedText("Na vier weken kijk ik terug met een collega-manager.", ()),
        citations=citations, parts=(part,), reading=reading_items)


def test_no_quote_appears_twice() -> None:
    draft = without_repeats(_draft(reading=2))
    assert [r.text[:30] for r in draft.reading] == ["De gids, ‘Hoofdstuk 4’: “Wie o", "De gids, ‘Hoofdstuk 5’: “Wie o"]
    assert leeropdracht_to_markdown(one_page(_draft(reading=2))).count(PRACTICE) == 1
    # The user's own words quoted in an own question (no source cited) are no source quote: the question stays.
    own = CitedText(f"Hoe ga ik om met wat ik zelf beschreef: “{PRACTICE}”?")
    assert without_repeats(replace(_draft(reading=0), questions=(own,))).questions == (own,)


def test_a_draft_over_the_cap_is_cut_at_whole_items() -> None:
    long = _draft(reading=20)
    assert words(long) > MAX_WORDS
    short = one_page(long)
    assert words(short) <= MAX_WORDS
    # Whole reading items from the end are left out; what stays is word for word what was there.
    kept = [r.text.split("”")[0] for r in short.reading]
    assert 0 < len(kept) < 20 and kept == [r.text.split("”")[0] for r in long.reading[1:1 + len(kept)]]
    assert (short.strength.text, short.pitfall.text, short.exercise.text) == (long.strength.text, long.pitfall.text,
                                                                             long.exercise.text)
    assert len(short.questions) == 5  # questions go only after all further reading
    # The source list is not counted: every source of the short draft is listed, one line each.
    assert leeropdracht_to_markdown(short).split("## Bronnen")[1].count("\n- [") == len(short.citations)
    # Sources no item cites any more are gone and the rest renumbered 1, 2, …, every marker resolving.
    assert [c.n for c in short.citations] == list(range(1, len(short.citations) + 1))
    md = leeropdracht_to_markdown(short)
    assert all(f"[{c.n}]" in md.split("## Bronnen")[0] for c in short.citations)


def test_questions_are_never_cut_below_the_minimum() -> None:
    draft = one_page(replace(_draft(reading=0, questions=6), exercise=CitedText(" ".join([FILLER] * 25) + ".", ())))
    assert len(draft.questions) == MIN_QUESTIONS and draft.exercise.text.startswith("Wie opgavegericht werkt")


def _profile(name: str, title: str = "") -> RoleProfile:
    text = RoleText(f"De pot met goud van de {name}.", f"gids:{name}", 0, 10, "Bijlage 3", f"Leeropdracht {name}")
    return RoleProfile(name, "vpng_gids", strength=text)


class _Naming:
    def name(self, doc_id: str) -> str:
        return "de VPNG-inspiratiegids"

    def label(self, text: str) -> str:
        return text


def test_i_head_the_x_department_is_read_as_a_lijnmanager_with_an_honest_note() -> None:
    book = RoleBook([_profile("lijnmanager"), _profile("sturingsprofessional"), _profile("planning en control-medewerker"),
                     _profile("beleidsadviseur")])
    for request, field, role in [
        ("Could you draft a learning assignment for me? I head the Public Space department of a mid-sized municipality.",
         "head of the Public Space department", "lijnmanager"),
        ("Ik leid de afdeling Beheer en mijn mensen worden steeds vaker in opgaven getrokken. Leeropdracht?",
         "hoofd van de afdeling Beheer", "lijnmanager"),
        ("Ik geef leiding aan het team Wonen. Kun je een leeropdracht maken?", "hoofd van het team Wonen", "lijnmanager"),
        # Other duties: running an opgave, writing policy, keeping the budget.
        ("Ik trek de opgave Wonen in Noord, en de partners haken af. Leeropdracht graag.", "trekker van de opgave Wonen",
         "sturingsprofessional"),
        ("I coordinate the programme Healthy City and partners drop out. Can you write a learning assignment?",
         "lead of the programme Healthy City", "sturingsprofessional"),
        ("Ik schrijf beleid voor mobiliteit en kom weinig buiten. Leeropdracht?", "beleidsmaker", "beleidsadviseur"),
        ("Ik maak de begroting en de opgavemanagers klagen. Leeropdracht?", "controller", "planning en control-medewerker"),
    ]:
        parsed = parse_request(request, book.names())
        assert parsed.role == field
        match = book.match(read_role_field(parsed.role).names[0])
        assert (match.name, match.how) == (role, "title")
        assert f"De rol '{field}' is opgevat als '{role}' uit de VPNG-inspiratiegids." in notes_for(_Naming(), [match], book, False)
    # Someone who says only how long they have worked names no role: the request is asked back, not guessed.
    assert parse_request("Ik werk al twintig jaar bij de gemeente. Leeropdracht?", book.names()).role is None
    # A compound is named by its last part: a concerncontroller is a controller, not a role outside the guide.
    assert book.match("concerncontroller").name == "planning en control-medewerker"
    assert book.match("opgavehouder").how == "outside"


def test_a_role_without_an_opgave_of_its_own_is_not_given_one() -> None:
    s = replace(read_situation("Medewerkers klagen over hun beoordeling."), own_opgave=False)
    assert (s.where(), s.where(group=True)) == ("het opgavegerichte werk in mijn organisatie", "het opgavegerichte werk in onze organisatie")
    named = replace(read_situation("Ik ben teamleider en lever mensen aan de opgave energietransitie."), own_opgave=False)
    assert named.where() == "de opgave energietransitie"
