"""The per-answer checks of the answer evaluation (eval.answer_checks, eval.quotes), on hand-made answers and the real corpus text."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from assistant.types import Answer, Citation
from eval.answer_checks import (
    cites_all,
    evidence_found,
    handled_as_missing,
    is_furniture,
    marks_missing,
    strip_markers,
    unwanted_furniture,
    word_count,
)
from eval.datasets import DEV_SET, HOLDOUT_SET, load_questions
from eval.matching import EvidenceMatcher
from eval.quotes import QuotedSpan, SourceTexts, ends_sentence, off_boundary, quoted_spans, starts_sentence, verbatim_quotes
from kb.types import Chunk
from opgavewijzer.settings import Settings
from opgavewijzer.text import sentence_spans


@dataclass(frozen=True)
class GapAnswer(Answer):
    """An answer with the gap fields the engine is gaining (``partial``, ``missing``)."""

    partial: bool = False
    missing: tuple[str, ...] = ()


def answer(text: str = "", citations: tuple[Citation, ...] = (), refused: bool = False, **gap: object) -> Answer:
    """A hand-made answer; ``partial``/``missing`` make it a :class:`GapAnswer`."""
    cls = GapAnswer if gap else Answer
    return cls("?", text, citations, "extractive", refused, **gap)  # type: ignore[arg-type]


def citation(n: int, passage: str, quote: str, doc_id: str = "d", chunk_id: str = "", **extra: object) -> Citation:
    """A citation quoting ``quote`` from ``passage`` (its offsets found in the passage)."""
    start = passage.find(quote)
    return Citation(n, doc_id, "T", "S", None, chunk_id or f"{doc_id}:{n}", quote, passage, start, start + len(quote),
                    **extra)  # type: ignore[arg-type]


def test_markers_are_not_words_and_are_stripped() -> None:
    assert strip_markers("Een opgave [1]. Twee bronnen [2, 3].") == "Een opgave  . Twee bronnen  ."
    assert word_count("Een opgave [1]. Twee bronnen [2, 3]: co-creëren en ‘sturen’ — 2025!") == 8


def test_evidence_is_found_in_the_answer_text_by_the_retrieval_rule() -> None:
    matcher = EvidenceMatcher()
    text = "Volgens de gids: de ambtelijk opdrachtgever bewaakt [1] de kaders van de opgave. Verder niets."
    evidence = [
        "De ambtelijk opdrachtgever bewaakt de kaders van de opgave.",  # whole, with a marker in between
        "bewaakt de kaders van de opgave en geeft ruimte aan de professional",  # 6 of 11 words: under 60%
        "Een zin die er niet staat.",
    ]
    assert evidence_found(text, evidence, matcher) == (True, False, False)
    ten = "een twee drie vier vijf zes zeven acht negen tien"
    assert evidence_found("een twee drie vier vijf zes [2]", [ten], matcher) == (True,)  # 6 of 10 in a run: 60%
    assert evidence_found("een twee drie vier vijf [2]", [ten], matcher) == (False,)  # 5 of 10
    assert evidence_found("", [], matcher) == ()


@pytest.mark.parametrize(
    ("made", "handled", "marked"),
    [
        (answer("Nee.", refused=True), True, False),
        (answer("Deels.", partial=True, missing=("het budget",)), True, True),
        (answer("Deels.", partial=True, missing=(" ",)), False, False),  # nothing named as missing
        (answer("Deels.", partial=False, missing=("het budget",)), False, False),  # not marked partial
        (answer("Een antwoord."), False, False),  # an answer without the gap fields at all
    ],
)
def test_an_unanswerable_question_is_handled_by_a_refusal_or_a_named_gap(made: Answer, handled: bool, marked: bool) -> None:
    assert handled_as_missing(made) is handled
    assert marks_missing(made) is marked


def test_both_documents_must_be_cited() -> None:
    made = answer("x", (citation(1, "Eén zin.", "Eén zin.", "a"), citation(2, "Twee.", "Twee.", "a")))
    assert cites_all(made, ["a"]) and not cites_all(made, ["a", "b"])
    assert cites_all(answer("x", (citation(1, "Eén.", "Eén.", "a"), citation(2, "Twee.", "Twee.", "b"))), ("a", "b"))


def test_quoted_spans_come_from_spans_else_from_the_quote() -> None:
    passage = "Eerste zin hier. Tweede zin daar. Derde zin."
    with_spans = Citation(1, "d", "T", "S", None, "d:1", "Eerste zin hier.", passage, 0, 16,
                          ((0, 16), (34, 44)))
    without_offsets = Citation(2, "d", "T", "S", None, "d:1", "Tweede zin daar.", passage)  # quote_start -1
    spans = quoted_spans(answer("x", (with_spans, without_offsets)))
    assert [(s.text, s.start, s.end) for s in spans] == [
        ("Eerste zin hier.", 0, 16), ("Derde zin.", 34, 44), ("Tweede zin daar.", 17, 33)]


TEXT = "Eerste zin. Tweede zin, met komma; derde deel: een lijst\nKop zonder punt\nLaatste (zin).12 Nog ‘een’."


@pytest.mark.parametrize(
    ("at", "expected"),
    [("Eerste", True), ("Tweede", True), ("met komma", False), ("derde", True), ("een lijst", True),
     ("Kop", True), ("Nog", True), ("zin, met", False), ("weede", False)],
)
def test_a_sentence_starts_after_a_stop_or_at_a_line_start(at: str, expected: bool) -> None:
    assert starts_sentence(TEXT, TEXT.index(at)) is expected


@pytest.mark.parametrize(
    ("upto", "expected"),
    [("Eerste zin.", True), ("Tweede zin", False), ("met komma;", True), ("derde deel:", True), ("een lijst", True),
     ("Kop zonder", False), ("Laatste (zin).", True), ("Laatste (zin).12", True), ("Nog ‘een’.", True), ("Eers", False)],
)
def test_a_sentence_ends_with_a_stop_or_at_a_line_end(upto: str, expected: bool) -> None:
    assert ends_sentence(TEXT, TEXT.index(upto) + len(upto)) is expected


BROKEN = ("Een kop\nDe gids zegt dat een opgave altijd begint met een bestuursproces en\nwordt daarna een project.\n"
          "Korte kop\nmet een kleine letter.")


@pytest.mark.parametrize(
    ("quote", "expected"),
    [("De gids zegt dat een opgave altijd begint met een bestuursproces en", False),  # cut by a page break
     ("wordt daarna een project.", False),  # the rest of that sentence
     ("met een kleine letter.", True),  # after a short line (a heading), a new start
     ("Korte kop", True), ("Een kop", True)],
)
def test_a_line_break_inside_a_sentence_is_no_boundary(quote: str, expected: bool) -> None:
    start = BROKEN.index(quote)
    assert (starts_sentence(BROKEN, start) and ends_sentence(BROKEN, start + len(quote))) is expected


def chunk(doc_id: str, text: str, start: int, ordinal: int) -> Chunk:
    return Chunk(doc_id, "T", text, (), start, start + len(text), ordinal)


def test_quotes_are_judged_in_their_document_not_only_in_their_passage() -> None:
    doc = "Een lange zin die doorloopt over de rand van de passage heen. Daarna een nieuwe zin.\nKop\nSlot."
    cut = doc.index("over de rand")
    first, second = chunk("d", doc[:cut], 0, 0), chunk("d", doc[cut:doc.index("Kop")], cut, 1)
    sources = SourceTexts([first, second, chunk("d", "Slot.", doc.index("Slot."), 2)])
    assert sources.texts["d"] == doc.replace("Kop", "\n\n\n")  # the uncovered heading becomes line breaks
    cut_quote = citation(1, second.text, "over de rand van de passage heen.", chunk_id=second.chunk_id)
    whole_quote = citation(2, second.text, "Daarna een nieuwe zin.", chunk_id=second.chunk_id)
    spans = quoted_spans(answer("x", (cut_quote, whole_quote)))
    assert off_boundary(spans, sources) == 1  # the first starts mid-sentence in the document
    # Without the document, a passage edge counts as a boundary: the cut quote passes.
    assert off_boundary(spans, SourceTexts([])) == 0
    half = citation(3, second.text, "Daarna een", chunk_id=second.chunk_id)
    assert off_boundary(quoted_spans(answer("x", (half,))), sources) == 1  # ends mid-sentence


def test_a_quote_must_stand_word_for_word_in_the_passage_the_index_holds() -> None:
    passage = "De opgave staat centraal. Partners doen mee."
    held = chunk("d", "De opgave staat centraal. Partners doen niet mee.", 0, 0)  # the index's text differs
    good = citation(1, passage, "De opgave staat centraal.", chunk_id=held.chunk_id)
    changed = citation(2, passage, "Partners doen mee.", chunk_id=held.chunk_id)
    altered = Citation(3, "d", "T", "S", None, held.chunk_id, "Partners doen altijd mee.", passage)
    unquoted = Citation(4, "d", "T", "S", None, held.chunk_id, "", passage)
    made = answer("x", (good, changed, altered, unquoted))
    assert verbatim_quotes(made, SourceTexts([])) == (2, 3)  # judged on the passages the citations carry
    assert verbatim_quotes(made, SourceTexts([held])) == (1, 3)  # judged on what the index holds


BIO = ("Directeur VPNG. Hij schreef het boek over projectmatig werken. Zijn missie is de ontwikkelende kant "
       "van de lokale overheden met elkaar te verbinden.")
DOC = f"Opgaven\nEen opgave is een vraagstuk dat een antwoord vraagt.\nEnrico Kraijo\n{BIO}\nDankwoord\nWij danken 60 lezers.\n" \
      "Meer weten? Klik hier voor de film."


def span_of(sentence: str, role: str = "") -> QuotedSpan:
    start = DOC.index(sentence)
    return QuotedSpan(sentence, "d", "d:0", start, start + len(sentence), role, DOC)


def test_furniture_is_known_by_role_paragraph_section_or_link_text() -> None:
    sources = SourceTexts([chunk("d", DOC, 0, 0)])
    assert is_furniture(span_of("Zijn missie is de ontwikkelende kant van de lokale overheden met elkaar te verbinden."), sources)
    assert is_furniture(span_of("Hij schreef het boek over projectmatig werken."), sources)  # its paragraph is a bio
    assert is_furniture(span_of("Wij danken 60 lezers."), sources)  # under the heading Dankwoord
    assert is_furniture(span_of("Klik hier voor de film."), sources)
    assert not is_furniture(span_of("Een opgave is een vraagstuk dat een antwoord vraagt."), sources)
    assert is_furniture(span_of("Een opgave is een vraagstuk dat een antwoord vraagt.", role="author_bio"), sources)
    assert not is_furniture(span_of("Een opgave is een vraagstuk dat een antwoord vraagt.", role="body"), sources)
    # Placed only in its passage (no sources), the bio sentence alone carries no bio pattern.
    assert not is_furniture(span_of("Hij schreef het boek over projectmatig werken."))


def test_furniture_counts_only_when_the_question_did_not_ask_for_it() -> None:
    sources, matcher = SourceTexts([chunk("d", DOC, 0, 0)]), EvidenceMatcher()
    spans = [span_of("Zijn missie is de ontwikkelende kant van de lokale overheden met elkaar te verbinden."),
             span_of("Klik hier voor de film."), span_of("Een opgave is een vraagstuk dat een antwoord vraagt.")]
    assert unwanted_furniture(spans, "Wat is een opgave?", ["Een opgave is een vraagstuk"], matcher, sources) == 2
    assert unwanted_furniture(spans, "Wie heeft de gids geschreven?", [], matcher, sources) == 0
    assert unwanted_furniture(spans, "Wat wil Kraijo?", [spans[0].text], matcher, sources) == 1  # the bio is the gold


@pytest.fixture(scope="module")
def corpus_sources() -> SourceTexts:
    """The real corpus through the real loader, cleaner and chunker (no embedding needed)."""
    from ingest.inputs import collect_inputs
    from ingest.pipeline import process_document

    settings = Settings(_env_file=None)
    inputs, errors = collect_inputs([], settings)
    assert not errors
    return SourceTexts(c for d in inputs for c in process_document(d, settings).chunks)


def furniture_sentences(sources: SourceTexts, doc_id: str) -> list[str]:
    text = sources.texts[doc_id]
    found = []
    for start, end in sentence_spans(text):
        span = QuotedSpan(text[start:end], doc_id, "", start, end, "", text)
        if is_furniture(span, _WholeDocument(text)):
            found.append(text[start:end])
    return found


class _WholeDocument(SourceTexts):
    """A SourceTexts that places any span in one given document text."""

    def __init__(self, text: str) -> None:  # noqa: D107
        super().__init__([])
        self.text = text

    def locate(self, span: QuotedSpan) -> tuple[str, int, int]:  # noqa: D102
        return self.text, span.start, span.end


def test_the_corpus_bios_blurbs_and_links_are_furniture(corpus_sources: SourceTexts) -> None:
    nsob = furniture_sentences(corpus_sources, "nsob_rapport")
    assert sum("Nederlandse School voor Openbaar Bestuur" in s or "NSOB" in s for s in nsob) >= 7
    assert any(s.startswith("Zij studeerde Bestuurs- en Organisationswetenschappen") for s in nsob)
    vpng = furniture_sentences(corpus_sources, "vpng_gids")
    assert "Zijn missie is de ontwikkelende kant van de lokale overheden met elkaar te verbinden." in vpng
    assert "Hartelijk dank hiervoor!" in vpng
    pzh = furniture_sentences(corpus_sources, "pzh_verslag")
    assert sum(s.startswith("Klik hier") for s in pzh) == 3
    assert not furniture_sentences(corpus_sources, "motie_bijlage")
    assert not furniture_sentences(corpus_sources, "bouwstenen_essay")


@pytest.mark.parametrize("dataset", [DEV_SET, HOLDOUT_SET], ids=lambda p: p.name)
def test_quoting_the_gold_evidence_is_never_counted_as_furniture(dataset, corpus_sources: SourceTexts) -> None:  # noqa: ANN001
    """An answer that quotes exactly the sentences of its gold evidence is never penalised."""
    matcher, penalised = EvidenceMatcher(), []
    for q in load_questions(dataset):
        evidence = [e.text for e in q.evidence]
        for e in q.evidence:
            text = corpus_sources.texts[e.doc_id]
            spans = [QuotedSpan(text[s:t], e.doc_id, "", s, t, "", text) for s, t in sentence_spans(text)
                     if len(text[s:t].split()) >= 3 and matcher.contains(e.text, text[s:t])]
            if unwanted_furniture(spans, q.question, evidence, matcher, _WholeDocument(text)):
                penalised.append(q.id)
    assert penalised == []
