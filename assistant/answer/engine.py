"""The assistant: questions in, checked answers with citations out; and leeropdracht drafts.

One :class:`Assistant` serves every chat session. It only wires the stages:
condense a follow-up → analyse the question (:mod:`~assistant.answer.plan`) →
retrieve (:mod:`~assistant.answer.retrieval`) → select sentences
(:mod:`~assistant.answer.selection`) → judge the evidence and the gaps → write
the answer, extractively (:mod:`~assistant.answer.extractive`) or with an LLM
whose output then passes the citation check. Both paths stream.
"""

from __future__ import annotations

import threading
import time
from typing import Iterator, Sequence

from assistant.answer.condense import Condensed, condense_heuristic, format_history, named_documents
from assistant.answer.compose import choose
from assistant.answer.evidence import Decision, measure_evidence, off_topic_question, rank_candidates
from assistant.answer.explain import Explanation, explanation, overview_reading
from assistant.answer.extractive import refusal_text, stream_pieces, write
from assistant.answer.gaps import Gaps, find_gaps
from assistant.answer.index_view import IndexView
from assistant.answer.outline import names_count, with_items
from assistant.answer.overview_answer import guide_answer
from assistant.answer.overview_intent import load_intent_weights
from assistant.answer.plan import QuestionPlan, analyse
from assistant.answer.query_cache import QueryCache
from assistant.answer.ranker import RankerWeights, SentenceRanker
from assistant.answer.retrieval import Found, Retrieval
from assistant.answer.selection import Scored
from assistant.citations import check_citations
from assistant.generate import answer_messages, clean_condensed, condense_messages
from assistant.llm import ANSWER_MODES as MODES, LLM, LLM_MODES, build_llm, llm_configured
from assistant.prompts import PromptSet
from assistant.types import Answer, AnswerEvent, Done, Filters, Leeropdracht, Retrieved, Token, Turn
from kb.knowledge_base import KnowledgeBase
from opgavewijzer.errors import AssistantError, ConfigError
from opgavewijzer.settings import Settings

MAX_QUESTION_CHARS = 4000


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
        self._ranker = SentenceRanker(RankerWeights.load(settings.answer.ranker_weights))
        self._intent = load_intent_weights(settings.answer.overview_weights)
        self._view: IndexView | None = None
        self._prepared: IndexView | None = None
        # A new build is prepared before the knowledge base swaps it in, so that the
        # first question on it does not wait for term weights and the sentence table.
        kb.add_preparer(self._prepare)
        self._retrieval = Retrieval(kb, settings.retrieval.top_k)

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

    def index_state(self) -> IndexView:
        """What the answer stages derive from the loaded build (rebuilt when a new build is loaded)."""
        info = self.kb.info
        for view in (self._view, self._prepared):
            if view is not None and view.collection == info.collection:
                self._view = view
                return view
        view = IndexView.build(self.kb, self.settings.retrieval.stemmer, self._ranker, self._intent)
        self._view = view  # one assignment: sessions reading the old view keep a consistent one
        return view

    def _prepare(self, staged: KnowledgeBase) -> None:
        """Derive the view of a build that is about to go live (``staged`` shows it; see KnowledgeBase.add_preparer)."""
        self._prepared = IndexView.build(staged, self.settings.retrieval.stemmer, self._ranker, self._intent)

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
        view = self.index_state()
        timings: dict[str, float] = {}

        plan = self.plan(question, history, llm, view)
        overview = guide_answer(plan, question, view.guides, self.kb.chunk, view.intent, filters.doc_ids,
                                view.sentences)
        if overview is not None:  # "waar gaat … over?": answered from the document's source guide
            yield Retrieved(plan.question, overview.hits)
            yield from self._finish(overview, started, stream_text=True)
            return
        found = self._retrieval.run(plan, filters, view)
        timings["retrieval_s"] = time.perf_counter() - started
        hits = self._shown(found, filters)
        # Shown: the number of passages asked for; cited: any passage the answer quotes from.
        yield Retrieved(plan.question, tuple(hits[: filters.top_k or self.settings.retrieval.top_k]))

        # The evidence is judged on what the search found; the list items are shown and cited too.
        decision = self._decide(plan, found, view)
        ranked, gaps = decision.ranked, decision.gaps
        timings["ranking_s"] = time.perf_counter() - started - timings["retrieval_s"]
        base = dict(question=question, standalone_question=plan.question, hits=tuple(hits), kind=plan.kind, lang=plan.lang)
        if not decision.answers:
            yield from self._finish(Answer(text=refusal_text(plan.lang), citations=(), mode=mode, refused=True,
                                           timings=timings, **base), started, stream_text=True)
            return
        if llm is None:
            composed = write(plan, ranked, hits, view, gaps, found.listed)
            yield from self._finish(Answer(text=composed.text, citations=composed.citations, mode="extractive",
                                           refused=False, partial=bool(gaps), missing=gaps.missing, timings=timings,
                                           **base), started, stream_text=True)
            return
        yield from self._generate(plan, llm, mode, hits, ranked, view, gaps, found, base, timings, started)

    def _generate(self, plan: QuestionPlan, llm: LLM, mode: str, hits: list, ranked: list[Scored], view: IndexView,
                  gaps: Gaps, found: Found, base: dict, timings: dict[str, float], started: float) -> Iterator[AnswerEvent]:
        """The LLM path: the plan and sentence-level evidence in the prompt, the citation check on the result."""
        system, user = answer_messages(self.prompts(), plan, hits, ranked, gaps)
        pieces: list[str] = []
        for piece in llm.stream(system, user):
            timings.setdefault("first_token_s", time.perf_counter() - started)
            pieces.append(piece)
            yield Token(piece)
        checked = check_citations("".join(pieces), hits, view.scorer, self.settings.answer.support_threshold)
        flags = dict(partial=bool(gaps), missing=gaps.missing)
        if checked.claims:
            result = Answer(text=checked.text, citations=checked.citations, mode=mode, refused=False,
                            flagged=checked.flagged, timings=timings, **flags, **base)
        elif checked.refusal:
            result = Answer(text=refusal_text(plan.lang), citations=(), mode=mode, refused=True,
                            flagged=checked.flagged, timings=timings, **base)
        else:
            # Nothing the model wrote survived the check: show the quoted sentences instead of nothing.
            composed = write(plan, ranked, hits, view, gaps, found.listed)
            note = "het antwoord van het taalmodel kwam niet door de bronnencontrole; het extractieve antwoord wordt getoond"
            result = Answer(text=composed.text, citations=composed.citations, mode="extractive", refused=False,
                            flagged=(*checked.flagged, note), timings=timings, **flags, **base)
        yield from self._finish(result, started, stream_text=False)

    def _finish(self, answer: Answer, started: float, stream_text: bool) -> Iterator[AnswerEvent]:
        """Stream the text (when no LLM did) and emit the final answer with its total time."""
        if stream_text:
            answer.timings.setdefault("first_token_s", time.perf_counter() - started)
            for part in stream_pieces(answer.text):
                yield Token(part)
        answer.timings["total_s"] = time.perf_counter() - started
        yield Done(answer)

    def _shown(self, found: Found, filters: Filters) -> list:
        """The passages shown and citable: what was found, with the items of an asked-for list in front."""
        return with_items(list(found.hits), found.listed, len(found.hits)) if found.listed else list(found.hits)

    def plan(self, question: str, history: Sequence[Turn] = (), llm: LLM | None = None,
             view: IndexView | None = None) -> QuestionPlan:
        """The analysed standalone question: follow-ups condensed, typos repaired, named documents found."""
        view = view or self.index_state()
        condensed = self._condense(question, history, llm, view)
        named = self.kb.plan(condensed.question)
        doc_ids = tuple(dict.fromkeys((*named.doc_ids, *condensed.doc_ids)))
        return analyse(condensed.question, doc_ids, named.text, known=view.scorer.knows, cognates=view.cognates,
                       proper=view.is_subject, by_topic=named.by_topic)

    def _condense(self, question: str, history: Sequence[Turn], llm: LLM | None, view: IndexView) -> Condensed:
        """The standalone question to search for, typos repaired, and the documents it names."""
        condensed = condense_heuristic(question, history, view.aliases)
        if llm is not None and any(t.role == "user" for t in history):
            system, user = condense_messages(self.prompts(), format_history(history), question)
            rewritten = clean_condensed(llm.complete(system, user), condensed.question)
            condensed = Condensed(rewritten, named_documents(rewritten, view.aliases) or condensed.doc_ids, rewritten != question)
        if analyse(condensed.question, (), condensed.question).lang == "en":
            return condensed
        repaired = self.kb.correct(condensed.question)
        return Condensed(repaired, condensed.doc_ids, condensed.rewritten or repaired != condensed.question)

    def _threshold(self, plan: QuestionPlan) -> float:
        """The refusal threshold; an English question is judged on meaning alone, never refused for its language."""
        answer = self.settings.answer
        return answer.refusal_threshold_en if plan.lang == "en" else answer.refusal_threshold

    def evidence(self, question: str, filters: Filters | None = None) -> tuple[list, Evidence]:
        """Retrieval and evidence signals for one standalone question (used by calibration)."""
        plan, found, ranked = self.ranked(question, filters)
        return list(found.hits), measure_evidence(plan, list(found.hits), ranked, self.index_state())

    def ranked(self, question: str, filters: Filters | None = None) -> tuple[QuestionPlan, Found, list[Scored]]:
        """The analysed question, what retrieval found and every candidate sentence ranked (for training and --explain)."""
        view = self.index_state()
        plan = self.plan(question, (), None, view)
        found = self._retrieval.run(plan, filters or Filters(), view)
        return plan, found, rank_candidates(plan, found, view)

    def _decide(self, plan: QuestionPlan, found: Found, view: IndexView) -> Decision:
        """Rank the candidates, weigh the evidence and find the gaps: whether and how to answer."""
        ranked = rank_candidates(plan, found, view)
        evidence = measure_evidence(plan, list(found.hits), ranked, view)
        gaps = find_gaps(plan, ranked, view.scorer, view.sentences, found.listed is not None, view.proper)
        off_topic = off_topic_question(plan, evidence, gaps)
        sufficient = (evidence.score >= self._threshold(plan) and not off_topic) or (
            found.listed is not None and names_count(plan.question, found.listed) and not off_topic)
        return Decision(ranked, evidence, gaps, off_topic, self._threshold(plan), bool(sufficient and ranked))

    def explain(self, question: str, filters: Filters | None = None) -> Explanation:
        """Why the extractive answer to ``question`` is what it is: analysis, ranked candidates, choices, gaps."""
        view = self.index_state()
        plan = self.plan(question, (), None, view)
        found = self._retrieval.run(plan, filters or Filters(), view)
        decision = self._decide(plan, found, view)
        groups = choose(plan, decision.ranked, view.sentences) if decision.answers else []
        return explanation(plan, found, decision, groups, view.selector.ranker,
                           overview_reading(plan, view.guides, view.intent))

    # --- leeropdrachten ------------------------------------------------------

    def roles(self) -> list[str]:
        """Names of the roles the gids gives a leeropdracht for."""
        from assistant.leeropdracht.service import role_names

        return role_names(self.index_state().roles)

    def draft_leeropdracht(self, role: str, situation: str = "", filters: Filters | None = None, mode: str | None = None) -> Leeropdracht:
        """A structured leeropdracht for ``role`` (one or two roles, or a team) in ``situation``; every quote is cited."""
        from assistant.leeropdracht.service import draft_leeropdracht

        mode = self._mode(mode)
        llm = self._llm(mode) if mode != "extractive" else None
        return draft_leeropdracht(self.kb, self.index_state(), role, situation, filters or Filters(), mode, llm,
                                  self.prompts() if llm is not None else None, self.settings.answer.support_threshold)

