"""Per-session chat state: settings panel values, history, and the leeropdracht intake."""

from __future__ import annotations

from assistant.leeropdracht.request import find_role
from ui import session as cs
from assistant.types import Filters, Turn

DOCS = ["motie_bijlage", "nsob_rapport", "pzh_verslag", "vpng_gids", "bouwstenen_essay"]
ROLES = ["bestuurlijk opdrachtgever", "ambtelijk opdrachtgever", "lijnmanager", "opdrachtgever"]


def test_llm_modes_are_offered_only_when_configured() -> None:
    assert cs.available_modes(False, "openai") == ["extractive"]
    assert cs.available_modes(True, "ollama") == ["extractive", "ollama"]
    assert cs.available_modes(True, "extractive") == ["extractive", "openai", "ollama"]


def test_settings_values_become_filters() -> None:
    prefs = cs.prefs_from_values({"docs": ["vpng_gids", "onbekend"], "top_k": 7.0, "mode": "openai"}, DOCS, ["extractive"])
    assert prefs == cs.ChatPrefs(doc_ids=("vpng_gids",), top_k=7, mode=None)
    assert prefs.filters() == Filters(doc_ids=("vpng_gids",), top_k=7)


def test_all_or_no_documents_ticked_means_search_everything() -> None:
    assert cs.prefs_from_values({"docs": DOCS}, DOCS, ["extractive"]).doc_ids == ()
    assert cs.prefs_from_values({"docs": []}, DOCS, ["extractive"]).doc_ids == ()


def test_top_k_is_clamped() -> None:
    assert cs.prefs_from_values({"top_k": 500}, DOCS, ["extractive"]).top_k == cs.MAX_TOP_K
    assert cs.prefs_from_values({"top_k": 0}, DOCS, ["extractive"]).top_k == 1


def test_history_keeps_the_latest_turns() -> None:
    history: tuple[Turn, ...] = ()
    for i in range(cs.HISTORY_TURNS + 2):
        history = cs.add_exchange(history, f"vraag {i}", f"antwoord {i}")
    assert len(history) == 2 * cs.HISTORY_TURNS
    assert history[-2:] == (Turn("user", f"vraag {cs.HISTORY_TURNS + 1}"), Turn("assistant", f"antwoord {cs.HISTORY_TURNS + 1}"))


def test_history_rebuilt_from_a_stored_thread_without_source_lists() -> None:
    steps = [
        {"type": "run", "output": "zoeken"},
        {"type": "user_message", "output": "Wat is een opgave?"},
        {"type": "retrieval", "output": "Gezocht op: ..."},
        {"type": "assistant_message", "output": "Een opgave is ... [1].\n\n**Bronnen**\n- [1] NSOB"},
        {"type": "assistant_message", "output": "U bent ingelogd als beheerder."},
    ]
    assert cs.history_from_steps(steps) == (Turn("user", "Wat is een opgave?"), Turn("assistant", "Een opgave is ... [1]."))


def test_request_with_role_and_situation_is_complete() -> None:
    intake = cs.read_request("Maak een leeropdracht voor een bestuurlijke opdrachtgever die een regionale woningbouwopgave trekt",
                             ROLES)
    assert intake == cs.Intake("bestuurlijk opdrachtgever", "Een bestuurlijke opdrachtgever die een regionale woningbouwopgave trekt.")
    assert intake.missing is None


def test_longest_known_role_wins_over_a_shorter_one() -> None:
    assert find_role("voor de ambtelijk opdrachtgevers", ROLES)[0] == "ambtelijk opdrachtgever"  # type: ignore[index]


def test_request_without_situation_asks_for_it_and_accepts_none() -> None:
    intake = cs.read_request("Maak een leeropdracht voor een lijnmanager.", ROLES)
    assert intake == cs.Intake("lijnmanager", None)
    assert intake.missing == "situation"
    done = cs.read_request("Zonder situatie", ROLES, cs.Intake("lijnmanager", None, asked="situation"))
    assert done == cs.Intake("lijnmanager", "") and done.missing is None


def test_request_without_role_asks_for_it_and_keeps_the_situation() -> None:
    intake = cs.read_request("Ik wil een leeropdracht over samenwerken met het waterschap bij droogte", ROLES)
    assert intake.role is None and intake.missing == "role"
    assert intake.situation == "Ik wil een leeropdracht over samenwerken met het waterschap bij droogte"
    answered = cs.read_request("een programmamanager", ROLES, cs.Intake(None, intake.situation, asked="role"))
    assert answered == cs.Intake("programmamanager", intake.situation)


def test_a_role_outside_the_gids_is_taken_from_the_request() -> None:
    intake = cs.read_request("Schrijf een leeropdracht voor een beleidsadviseur die net begint bij een ministerie", ROLES)
    assert intake == cs.Intake("beleidsadviseur", "Een beleidsadviseur die net begint bij een ministerie.")


def test_bare_request_asks_for_the_role() -> None:
    assert cs.read_request("Maak een leeropdracht", ROLES) == cs.Intake(None, None)
