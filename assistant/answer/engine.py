"""The assistant: questions in, checked answers with citations out; and leeropdracht drafts.

One :class:`Assistant` serves every chat session. Per question it condenses a
follow-up, retrieves passages, decides whether the evidence is strong enough
to answer, and then writes the answer: extractively (quoted sentences) or
with an LLM whose output then passes the citation check. Both paths stream.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

from assistant.citations import check_citations
from assistant.answer.condense import (
    Condensed, condense_heuristic, document_aliases, format_history, named_documents, topic_words,
)
from assistant.answer.definitions import definition_pattern, definition_probe, with_definitions
from assistant.answer.evidence import Evidence, measure
from assistant.answer.extractive import compose_answer, refusal_text
from assistant.generate import answer_messages, clean_condensed, condense_messages
from assistant.llm import ANSWER_MODES as MODES, LLM, LLM_MODES, build_llm, llm_configured
from assistant.answer.outline import ListSection, list_sections, match_list, names_count, with_items
from assistant.prompts import PromptSet
from assistant.answer.query_cache import QueryCache
from assistant.answer.sentences import Candidate, SentenceRanker
from assistant.answer.spelling import Speller
from assistant.support import SupportScorer, TermWeights
from opgavewijzer.text import detect_language
from assistant.types import Answer, AnswerEvent, Done, Filters, Leeropdracht, Retrieved, Token, Turn
from kb.knowledge_base import KnowledgeBase
from kb.lexical import DutchAnalyzer
from kb.retriever import passage_text
from kb.types import Hit
from opgavewijzer.errors import AssistantError, ConfigError
from opgavewijzer.settings import Settings

if TYPE_CHECKING:
    from assistant.leeropdracht.roles import RoleProfile

MAX_QUESTION_CHARS = 4000


@dataclass(frozen=True)
class _IndexState:
    """What the assistant derives from one build of the index; rebuilt when the build changes."""

    collection: str
    scorer: SupportScorer
    ranker: SentenceRanker
    speller: Speller
    aliases: dict
    roles: tuple["RoleProfile", ...]
    lists: tuple[ListSection, ...]  # numbered list sections of the outlines, for list questions


class Assistant:
    """Answers questions from the knowledge base and drafts leeropdrachten."""

    def __init__(self, settings: Settings, kb: KnowledgeBase, llm: LLM | None = None) -> None:
        self.settings = settings
        self.kb = kb
        if not isinstance(kb.embedder, QueryCache):
            # Retrieval and sentence ranking embed the same question; with the cache only once.
            kb.embedder = QueryCache(kb.embedder)
        self._injected_llm = llm
        self._llms: dict[str, LLM] = {}
        self._prompts: PromptSet | None = None
        self._lock = threading.Lock()
        self._state: _IndexState | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Assistant":
        """Open the knowledge base the settings point at and wrap it in an assistant."""
        return cls(settings, KnowledgeBase.open(settings))

    # --- configuration -------------------------------------------------------

    @property
    def backend_label(self) -> str:
        """What writes the answers by default, e.g. 'extractief (geen taalmodel)' or 'openai: <model> @ <url>'."""
        mode = self.settings.answer.mode
        if mode == "extractive":
            return "extractief (geen taalmodel)"
        if self._injected_llm is not None:
            return self._injected_llm.label
        url = self.settings.llm.base_url.strip().rstrip("/") or "(geen URL ingesteld)"
        return f"{mode}: {self.settings.llm.model or '(geen model ingesteld)'} @ {url}"

    @property
    def llm_configured(self) -> bool:
        """True if an LLM can be used (injected, or model and URL set for an LLM mode)."""
        if self._injected_llm is not None:
            return True
        mode = self.settings.answer.mode if self.settings.answer.mode in LLM_MODES else "openai"
        return llm_configured(self.settings, mode)

    def _mode(self, mode: str | None) -> str:
        chosen = mode or self.settings.answer.mode
        if chosen not in MODES:
            raise ConfigError(f"onbekende antwoordmodus '{chosen}' (kies uit: {', '.join(MODES)})")
        return chosen

    def _llm(self, mode: str) -> LLM:
        if self._injected_llm is not None:
            return self._injected_llm
        with self._lock:
            if mode not in self._llms:
                self._llms[mode] = build_llm(self.settings, mode)  # ConfigError if not configured
            return self._llms[mode]

    def prompts(self) -> PromptSet:
        """The prompt files, loaded and checked on first use."""
        with self._lock:
            if self._prompts is None:
                self._prompts = PromptSet.load(self.settings.answer.prompts_dir)
            return self._prompts

    def index_state(self) -> _IndexState:
        """Term weights, sentence ranker, document names and role profiles of the loaded build."""
        info = self.kb.info
        state = self._state
        if state is not None and state.collection == info.collection:
            return state
        from assistant.leeropdracht.roles import load_profiles

        chunks = self.kb.chunks
        analyzer = DutchAnalyzer(self.settings.retrieval.stemmer)
        texts = [passage_text(c) for c in chunks]
        scorer = SupportScorer(analyzer, TermWeights(analyzer, texts))
        titles = {doc_id: rec.title for doc_id, rec in info.documents.items()}
        state = _IndexState(
            collection=info.collection,
            scorer=scorer,
            ranker=SentenceRanker(scorer, self.kb.embedder),
            speller=Speller(texts),
            aliases=document_aliases(titles),
            roles=load_profiles(info.extras, chunks),
            lists=list_sections(chunks),
        )
        self._state = state  # one assignment: sessions reading the old state keep a consistent one
        return state

    # --- answering -----------------------------------------------------------

    def answer(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None, mode: str | None = None) -> Answer:
        """Answer one question; every claim in the text carries a verified [n]."""
        done = None
        for event in self.stream(question, history, filters, mode):
            if isinstance(event, Done):
                done = event
        assert done is not None
        return done.answer

    def stream(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None, mode: str | None = None) -> Iterator[AnswerEvent]:
        """Answer as events: :class:`Retrieved`, then :class:`Token` pieces, then :class:`Done`."""
        started = time.perf_counter()
        question = " ".join((question or "").split())
        if not question:
            raise AssistantError("de vraag is leeg")
        if len(question) > MAX_QUESTION_CHARS:
            raise AssistantError(f"de vraag is te lang ({len(question)} tekens; maximaal {MAX_QUESTION_CHARS})")
        mode = self._mode(mode)
        llm = self._llm(mode) if mode != "extractive" else None
        filters = filters or Filters()
        state = self.index_state()
        lang = detect_language(question)
        timings: dict[str, float] = {}

        condensed = self._condense(question, history, llm, state, lang)
        timings["condense_s"] = time.perf_counter() - started
        found, listed = self._retrieve(condensed, filters, state, lang)
        timings["retrieval_s"] = time.perf_counter() - started - timings["condense_s"]
        hits = with_items(found, listed, filters.top_k or self.settings.retrieval.top_k) if listed else found
        yield Retrieved(condensed.question, tuple(hits))

        # The evidence is judged on what the search found; the list items are shown and cited too.
        ranked = state.ranker.candidates(condensed.question, found, lang=lang)
        evidence = self._measure(condensed, found, ranked, state, lang)
        timings["ranking_s"] = time.perf_counter() - started - timings["condense_s"] - timings["retrieval_s"]
        base = dict(question=question, standalone_question=condensed.question, hits=tuple(hits))
        sufficient = evidence.sufficient(self.settings.answer.refusal_threshold) or (
            listed is not None and names_count(condensed.question, listed) and not evidence.off_topic)
        if not sufficient or not ranked:
            yield from self._finish(Answer(text=refusal_text(lang), citations=(), mode=mode, refused=True,
                                           timings=timings, **base), started, stream_text=True)
            return
        if llm is None:
            composed = compose_answer(condensed.question, lang, listed, ranked, found, hits)
            yield from self._finish(Answer(text=composed.text, citations=composed.citations, mode="extractive",
                                           refused=False, timings=timings, **base), started, stream_text=True)
            return

        system, user = answer_messages(self.prompts(), condensed.question, hits, lang)
        pieces: list[str] = []
        for piece in llm.stream(system, user):
            timings.setdefault("first_token_s", time.perf_counter() - started)
            pieces.append(piece)
            yield Token(piece)
        checked = check_citations("".join(pieces), hits, state.scorer, self.settings.answer.support_threshold)
        if checked.claims:
            result = Answer(text=checked.text, citations=checked.citations, mode=mode, refused=False,
                            flagged=checked.flagged, timings=timings, **base)
        elif checked.refusal:
            result = Answer(text=refusal_text(lang), citations=(), mode=mode, refused=True,
                            flagged=checked.flagged, timings=timings, **base)
        else:
            # Nothing the model wrote survived the check: show the quoted sentences instead of nothing.
            composed = compose_answer(condensed.question, lang, listed, ranked, found, hits)
            note = "het antwoord van het taalmodel kwam niet door de bronnencontrole; het extractieve antwoord wordt getoond"
            result = Answer(text=composed.text, citations=composed.citations, mode="extractive", refused=False,
                            flagged=(*checked.flagged, note), timings=timings, **base)
        yield from self._finish(result, started, stream_text=False)

    def _finish(self, answer: Answer, started: float, stream_text: bool) -> Iterator[AnswerEvent]:
        """Stream the text (when no LLM did) and emit the final answer with its total time."""
        if stream_text:
            answer.timings.setdefault("first_token_s", time.perf_counter() - started)
            for part in _pieces(answer.text):
                yield Token(part)
        answer.timings["total_s"] = time.perf_counter() - started
        yield Done(answer)

    def _condense(self, question: str, history: Sequence[Turn], llm: LLM | None, state: _IndexState, lang: str) -> Condensed:
        """The standalone question to search for, typos repaired, and the documents it names."""
        condensed = condense_heuristic(question, history, state.aliases)
        if llm is not None and any(t.role == "user" for t in history):
            system, user = condense_messages(self.prompts(), format_history(history), question)
            rewritten = clean_condensed(llm.complete(system, user), condensed.question)
            condensed = Condensed(rewritten, named_documents(rewritten, state.aliases) or condensed.doc_ids, rewritten != question)
        if lang == "en":
            return condensed
        repaired = state.speller.correct(condensed.question)
        return Condensed(repaired, condensed.doc_ids, condensed.rewritten or repaired != condensed.question)

    def _retrieve(self, condensed: Condensed, filters: Filters, state: _IndexState,
                  lang: str) -> tuple[list[Hit], ListSection | None]:
        """The passages for a question, and the numbered list section it asks for, if any.

        Aids for two kinds of question that plain search serves badly go in
        front: the defining passages for "wat is X?", and the items of a list
        the document gives as numbered headings for "welke X zijn er?".
        """
        top_k = filters.top_k or self.settings.retrieval.top_k
        doc_ids = filters.doc_ids or condensed.doc_ids
        scope = list(doc_ids) or None
        hits = self.kb.search(condensed.question, top_k=top_k, doc_ids=scope)
        if not hits and doc_ids and not filters.doc_ids:
            scope = None  # a document name was misread: search all
            hits = self.kb.search(condensed.question, top_k=top_k)
        pattern, probe = definition_pattern(condensed.question), definition_probe(condensed.question)
        if hits and pattern is not None and probe is not None:
            hits = with_definitions(hits, self.kb.search(probe, top_k=top_k, doc_ids=scope), pattern, top_k)
        listed = match_list(condensed.question, state.lists, state.scorer, scope or ()) if lang == "nl" else None
        return hits, (listed if hits else None)

    def evidence(self, question: str, filters: Filters | None = None) -> tuple[list[Hit], Evidence]:
        """Retrieval and evidence signals for one standalone question (used by calibration)."""
        state = self.index_state()
        lang = detect_language(question)
        condensed = self._condense(question, (), None, state, lang)
        hits, _ = self._retrieve(condensed, filters or Filters(), state, lang)
        ranked = state.ranker.candidates(condensed.question, hits, lang=lang)
        return hits, self._measure(condensed, hits, ranked, state, lang)

    @staticmethod
    def _measure(condensed: Condensed, hits: list[Hit], ranked: list[Candidate], state: _IndexState, lang: str) -> Evidence:
        """Evidence signals; unknown words are counted without question words and document names."""
        content = " ".join(topic_words(condensed.question, state.aliases))
        return measure(condensed.question, hits, ranked, state.scorer, lang, content)

    # --- leeropdrachten ------------------------------------------------------

    def roles(self) -> list[str]:
        """Names of the roles the gids gives a leeropdracht for."""
        return [p.display_name for p in self.index_state().roles]

    def draft_leeropdracht(self, role: str, situation: str = "", filters: Filters | None = None, mode: str | None = None) -> Leeropdracht:
        """A structured leeropdracht for ``role``; every item from a document carries a citation."""
        from assistant.leeropdracht.writer import draft

        mode = self._mode(mode)
        llm = self._llm(mode) if mode != "extractive" else None
        return draft(self, role, situation, filters or Filters(), llm, mode)


def _pieces(text: str) -> Iterator[str]:
    """Split a finished text into word-sized stream pieces (the UI renders them as they come)."""
    word = ""
    for ch in text:
        word += ch
        if ch in " \n":
            yield word
            word = ""
    if word:
        yield word
