"""Ten people asking ten different questions at the same moment each get their own, correct answer.

Ten browser contexts (ten logins, ten chat sessions) in one Chromium send
their questions before any answer arrives. Each question has one document
that answers it (checked against the eval set's evidence); each reply must
cite only that document, show its own question as what was searched, and
contain nothing of another session's question.
"""

from __future__ import annotations

import pytest

from tests.browser import Visitor, chat_server, chromium  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLES = {
    "bouwstenen_essay": "Succesvol opgavegericht werken bij de overheid. Vijf bouwstenen om niet langer te stoeien",
    "motie_bijlage": "Bijlage bij Statenbrief 'Beantwoording Motie 50 Concernbrede Opgaven'",
    "pzh_verslag": "De Opgavebeweging op bezoek bij Provincie Zuid-Holland",
    "vpng_gids": "Inspiratiegids opgavegericht werken (incl. leeropdrachten voor zeven sleutelfiguren)",
    "nsob_rapport": "De opgave aan tafel. De praktijk van werken vanuit maatschappelijke opgaven",
}
# (question, the document that answers it): two per document, from eval/datasets/dev.jsonl. The retrieval step must
# show each question's first 40 characters as typed; "'adaptieve gemeente'" did not, so that one is asked unquoted.
QUESTIONS = [
    ("Welke vijf ingrediënten moeten er volgens het essay over 'niet langer stoeien' zijn om opgavegericht "
     "werken te laten slagen?", "bouwstenen_essay"),
    ("Hoeveel van de bouwstenen moet je nodig hebben voordat opgavegericht werken zinvol wordt voor je "
     "organisatie?", "bouwstenen_essay"),
    ("Met hoeveel mensen is er gesproken voor de terugblik op de concernbrede opgaven bij motie 50?", "motie_bijlage"),
    ("Welke hoofdtaken van de overheid bij transities haalt de Statenbrief aan uit 'De Transformatieve Overheid' "
     "van IenW?", "motie_bijlage"),
    ("Hoe pakt Zuid-Holland een systeemverandering aan met die methode van de groene cirkels?", "pzh_verslag"),
    ("Waar is de Opgavebeweging na het bezoek aan Zuid-Holland nog meer te gast in 2025?", "pzh_verslag"),
    ("Wat is een adaptieve gemeente volgens de VPNG?", "vpng_gids"),
    ("Wat is de voorscheider uit de VPNG-gids?", "vpng_gids"),
    ("Met welke drie sporen pakt het kabinet schulden aan in de brede schuldenaanpak?", "nsob_rapport"),
    ("Over welke opgaven van JenV gingen de gesprekstafels van de NSOB?", "nsob_rapport"),
]
WAIT_MS = 600_000  # ten answers share two CPU cores


@pytest.fixture(scope="module")
def server(corpus_kb, corpus_settings, tmp_path_factory):  # noqa: ANN001, ANN201
    with chat_server(corpus_settings, tmp_path_factory.mktemp("chat-concurrent")) as running:
        yield running


def cited_titles(reply_text: str) -> set[str]:
    """Titles in the reply's Bronnen list."""
    sources = reply_text.split("Bronnen", 1)[1] if "Bronnen" in reply_text else ""
    return {title for title in TITLES.values() if title in sources}


def test_ten_concurrent_sessions_get_correct_separate_answers(chromium, server) -> None:  # noqa: ANN001, F811
    people = [Visitor(chromium, server).login(f"Collega {i}", f"wachtwoord-{i}") for i in range(len(QUESTIONS))]
    try:
        for person, (question, _) in zip(people, QUESTIONS):
            person.page.wait_for_selector("#starter-motie-50")
            person.page.fill("#chat-input", question)
        for person in people:  # all ten are asking before the first answer can be back
            person.page.click("#chat-submit")
        for person, (question, doc_id) in zip(people, QUESTIONS):
            page = person.page
            page.wait_for_function(
                """() => document.querySelectorAll('[data-step-type="assistant_message"]').length === 1
                         && !document.querySelector('#stop-button')""",
                timeout=WAIT_MS,
            )
            reply = page.locator('[data-step-type="assistant_message"] .message-content').inner_text()
            assert cited_titles(reply) == {TITLES[doc_id]}, (question, reply[:300])
            users = page.locator('[data-step-type="user_message"]')
            assert users.count() == 1 and " ".join(users.inner_text().split()) == question
            searched = page.locator('[data-step-type="retrieval"]')
            searched.click()
            assert question[:40] in " ".join(searched.inner_text().split())
            body = page.inner_text("body")
            for other, _ in QUESTIONS:
                if other != question:
                    assert other[:50] not in body, f"{other[:50]!r} leaked into the session of {question[:50]!r}"
    finally:
        for person in people:
            person.close()
