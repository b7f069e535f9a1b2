"""Overview questions: recognised by their cues, answered from the source guide of the document they name."""

from __future__ import annotations

import math

import pytest

from assistant.answer.overview import CUES, OverviewRequest, overview_cue, overview_request, read_question
from assistant.answer.overview_intent import INTENT_FEATURES, THRESHOLD
from assistant.answer.plan import analyse
from kb.guides import DocumentGuide

GUIDES = {
    "rapport": DocumentGuide("rapport", "De opgave aan tafel", short_title="NSOB, De opgave aan tafel",
                             names={"nl": "het NSOB-rapport", "en": "the NSOB report"}, kind="rapport"),
    "memo": DocumentGuide("memo", "Werken vanuit de opgave bij de Omgevingsdienst Holtmeer", kind="notitie"),
}


@pytest.mark.parametrize("question, cue", [
    ("Waar gaat het NSOB-rapport over?", "about"),
    ("What is the NSOB report about?", "about"),
    ("Vat het NSOB-rapport samen.", "summarise"),
    ("Summarise the NSOB report", "summarise"),
    ("Wat zegt het NSOB-rapport in het kort?", "summarise"),
    ("Wat is de kern van het NSOB-rapport?", "core"),
    ("Wat zijn de belangrijkste conclusies van het NSOB-rapport?", "main_points"),
    ("What are the key points of the NSOB report?", "main_points"),
    ("Wat moet ik weten van het NSOB-rapport?", "must_know"),
    ("Wie heeft het NSOB-rapport geschreven?", ""),
    ("Wat is een opgave?", ""),
])
def test_each_cue_has_a_name_and_matches_its_form(question: str, cue: str) -> None:
    assert overview_cue(question) == cue
    assert set(CUES) == {"about", "summarise", "core", "main_points", "must_know"}


def _plan(question: str, doc_ids: tuple[str, ...] = ()):
    # As the knowledge base's planner does: the document's name taken out of the searched text, marked by a NUL.
    return analyse(question, doc_ids, question.replace("NSOB-rapport", "\x00") if doc_ids else question)


# Passages of the two made-up documents: what the topic features count words in.
PASSAGES = {
    "rapport": ["De opgave aan tafel gaat over opgavegericht werken bij het ministerie.",
                "Aan tafel spraken opgavehouders over sturing en de opgave.",
                "De sturingsdriehoek verbindt opdrachtgever, opdrachtnemer en eigenaar van de opgave.",
                "Opgavegericht werken vraagt om samenwerking tussen beleid en uitvoering bij de opgave."],
    "memo": ["De Omgevingsdienst Holtmeer werkt vanuit de opgave.", "Holtmeer kiest drie opgaven voor de regio."],
}


@pytest.fixture(scope="module")
def intent(e5):  # noqa: ANN001, ANN201 - the shipped weights, the real e5 model, terms of the passages above
    from assistant.answer.overview_intent import DocumentTerms, OverviewIntent, load_intent_weights, load_prototypes
    from assistant.support import SupportScorer, TermWeights
    from kb.lexical import DutchAnalyzer

    analyzer = DutchAnalyzer("dutch")
    texts = [t for texts in PASSAGES.values() for t in texts]
    scorer = SupportScorer(analyzer, TermWeights(analyzer, texts))
    return OverviewIntent(load_intent_weights(), e5, DocumentTerms(scorer, PASSAGES), load_prototypes())


def test_a_question_about_the_named_document_as_a_whole_is_an_overview_request(intent) -> None:  # noqa: ANN001
    request = overview_request(_plan("Waar gaat het NSOB-rapport over?", ("rapport",)), GUIDES, intent)
    assert request is not None and request.doc_id == "rapport" and request.cue == "about"


def test_a_phrasing_without_a_cue_scores_by_its_meaning(intent) -> None:  # noqa: ANN001
    whole = read_question(_plan("Kun je me vertellen wat er in het NSOB-rapport staat?", ("rapport",)), GUIDES, intent)
    fact = read_question(_plan("Kun je me vertellen wie het NSOB-rapport schreef?", ("rapport",)), GUIDES, intent)
    proto = INTENT_FEATURES.index("proto_overview")
    assert whole.cue == fact.cue == ""
    assert whole.row[proto] > fact.row[proto] and whole.probability > 2 * fact.probability


def test_a_question_about_a_topic_in_the_document_is_not(intent) -> None:  # noqa: ANN001
    plan = _plan("Wat zijn de belangrijkste punten over de sturingsdriehoek in het NSOB-rapport?", ("rapport",))
    reading = read_question(plan, GUIDES, intent)
    assert reading.cue == "main_points" and reading.probability < THRESHOLD
    assert overview_request(plan, GUIDES, intent) is None


def test_a_question_for_one_fact_about_the_document_is_not(intent) -> None:  # noqa: ANN001
    for question in ("Wie heeft het NSOB-rapport geschreven?", "Van wanneer is het NSOB-rapport?"):
        assert overview_request(_plan(question, ("rapport",)), GUIDES, intent) is None, question


def test_every_feature_is_named_and_explains_its_part_of_the_score(intent) -> None:  # noqa: ANN001
    reading = read_question(_plan("Vat het NSOB-rapport samen", ("rapport",)), GUIDES, intent)
    parts = intent.explain(reading.row)
    assert sorted(p.name for p in parts) == sorted(INTENT_FEATURES)
    logit = sum(p.amount for p in parts) + intent.weights.bias
    assert reading.probability == pytest.approx(1 / (1 + math.exp(-logit)))


def test_a_document_is_found_by_a_word_only_its_title_holds_when_no_name_routes_the_question(intent) -> None:  # noqa: ANN001
    request = overview_request(_plan("What is the Holtmeer memo about?"), GUIDES, intent)
    assert request is not None and request.doc_id == "memo"


def test_a_word_only_one_document_holds_names_it() -> None:
    from assistant.answer.overview_intent import DocumentTerms
    from assistant.support import SupportScorer, TermWeights
    from kb.lexical import DutchAnalyzer

    analyzer = DutchAnalyzer("dutch")
    scorer = SupportScorer(analyzer, TermWeights(analyzer, [t for ts in PASSAGES.values() for t in ts]))
    terms = DocumentTerms(scorer, PASSAGES)
    assert terms.only_holder(["sturingsdriehoek", "opgave"]) == "rapport"  # "opgave" is in both: no vote
    assert terms.only_holder(["sturingsdriehoek", "Holtmeer"]) == ""  # two documents: none
    assert terms.only_holder(["opgave"]) == ""


def test_a_question_about_the_sources_lists_every_document(intent) -> None:  # noqa: ANN001
    for question in ("Welke documenten heb je?", "Waar gaan de bronnen over?", "What documents do you have?"):
        request = overview_request(_plan(question), GUIDES, intent)
        assert request is not None and request.all_documents, question
    assert overview_request(_plan("Wat zeggen de bronnen over de sturingsdriehoek?"), GUIDES, intent) is None


def test_without_guides_nothing_is_an_overview_request(intent) -> None:  # noqa: ANN001
    assert overview_request(_plan("Waar gaat het NSOB-rapport over?", ("rapport",)), {}, intent) is None


def test_prototypes_of_an_unknown_kind_are_refused_with_the_line(tmp_path) -> None:  # noqa: ANN001
    from assistant.answer.overview_intent import load_prototypes
    from opgavewijzer.errors import ConfigError

    bad = tmp_path / "prototypes.txt"
    bad.write_text("# comment\noverview|Waar gaat het over?\nonderwerp|Wat is X?\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="prototypes.txt, regel 3"):
        load_prototypes(bad)


@pytest.fixture(scope="module")
def assistant(corpus_kb):  # noqa: ANN001, ANN201
    from assistant.answer.engine import Assistant

    return Assistant(corpus_kb.settings, corpus_kb)


def test_the_engine_answers_an_overview_question_from_the_guide(assistant) -> None:  # noqa: ANN001
    answer = assistant.answer("Waar gaat het NSOB-rapport over?")
    assert answer.kind == "overview" and not answer.refused and not answer.partial
    assert answer.text.startswith("Het NSOB-rapport") and 3 <= len(answer.citations) <= 6
    assert {c.doc_id for c in answer.citations} == {"nsob_rapport"}
    for c in answer.citations:  # each point quoted word for word where its citation says
        assert " ".join(c.passage[c.quote_start:c.quote_end].split()) == c.quote and f"“{c.quote}” [{c.n}]" in answer.text
    assert len(answer.text.split()) <= 200
    assert len({c.section.split(" > ")[0] for c in answer.citations}) >= 3
    assert [h.chunk_id for h in answer.hits] == list(dict.fromkeys(c.chunk_id for c in answer.citations))


def test_the_engine_lists_every_document_for_a_question_about_the_sources(assistant, corpus_kb) -> None:  # noqa: ANN001
    answer = assistant.answer("What documents do you have?")
    assert answer.kind == "overview" and answer.lang == "en"
    assert all((r.short_title or r.title) in answer.text for r in corpus_kb.info.documents.values())


def test_a_topic_question_naming_a_document_is_answered_the_usual_way(assistant) -> None:  # noqa: ANN001
    answer = assistant.answer("Wat zijn de belangrijkste punten over de sturingsdriehoek volgens de VPNG-inspiratiegids?")
    assert answer.kind != "overview"


def test_the_shipped_weights_were_learned_from_the_current_labels_and_feature_code() -> None:
    from assistant.answer.overview_intent import load_intent_weights
    from eval.train_ranker import fingerprint
    from eval.overview_set import TOPIC_SET
    from eval.train_overview import FEATURES_CODE, INTENT_FILE, ORDINARY_FILES, OVERVIEW_FILES

    trained_on = load_intent_weights().trained_on
    files = [*OVERVIEW_FILES, INTENT_FILE, TOPIC_SET, *(f for f in ORDINARY_FILES if f.exists())]
    assert trained_on["files"] == {f.name: fingerprint(f) for f in files}  # else: make train
    assert trained_on["features_code"] == {f.name: fingerprint(f) for f in FEATURES_CODE}
    assert trained_on["questions"] >= 700 and trained_on["positives"] >= 60


def test_keyness_tells_the_sources_subjects_from_everyday_words(intent) -> None:  # noqa: ANN001
    from assistant.answer.overview_intent import KEYNESS_RANGE

    terms = intent.terms
    # "sturingsdriehoek": in one passage, unknown to everyday Dutch; "samenwerking": in one passage, a common word;
    # "tijd": in no passage and one of the most common words.
    assert terms.keyness("sturingsdriehoek") == KEYNESS_RANGE[1]
    assert terms.keyness("tijd") < terms.keyness("samenwerking") < terms.keyness("sturingsdriehoek")


def test_context_before_the_question_names_no_topic(intent) -> None:  # noqa: ANN001
    plain = read_question(_plan("Wat is de kern van het NSOB-rapport?", ("rapport",)), GUIDES, intent)
    context = read_question(_plan("Mijn afdeling start met samenwerking in de regio. Wat is de kern van het NSOB-rapport?",
                                  ("rapport",)), GUIDES, intent)
    topic = read_question(_plan("Wat is de kern van het NSOB-rapport over samenwerking in de regio?", ("rapport",)),
                          GUIDES, intent)
    known = INTENT_FEATURES.index("topic_known")
    assert context.row[known] == plain.row[known] == 0.0
    assert topic.row[known] >= 1.0


def test_explain_shows_how_the_overview_model_read_the_question(intent) -> None:  # noqa: ANN001
    from assistant.answer.explain import overview_reading

    said, parts = overview_reading(_plan("Ik heb weinig tijd. Vat het NSOB-rapport samen", ("rapport",)), GUIDES, intent)
    assert said.startswith("ja: P=") and "over rapport; vraagdeel: Vat het NSOB-rapport samen" in said
    assert "cue=1.00 (+" in parts
    assert overview_reading(_plan("Wat is een opgave?"), GUIDES, intent) == (
        "geen: de vraag noemt geen document en niet alle documenten",)
    assert overview_reading(_plan("Wat is een opgave?"), {}, intent) == ()
