"""What the answer stages derive from one build of the index: built once per build, shared by all sessions.

Term weights, the sentence table, the sentence selector, the patterns that name each document, the numbered list sections
and how running text names each document all depend only on the build. They
are computed when a build is first used and replaced in one assignment when a
new build becomes active, so a session never sees half of each.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from assistant.answer.condense import document_aliases
from assistant.answer.glossary import COGNATE_PREFIX, WORD, cognate_key, is_cognate
from assistant.answer.outline import ListSection, list_sections
from assistant.answer.meaning import Meaning
from assistant.answer.overview_intent import DocumentTerms, OverviewIntent, load_prototypes
from assistant.answer.ranker import RankerWeights, SentenceRanker
from assistant.answer.selection import SentenceSelector
from assistant.support import SupportScorer, TermWeights
from kb.guides import DocumentGuide, guides_from_extras
from kb.knowledge_base import KnowledgeBase
from kb.lexical import DutchAnalyzer
from kb.retriever import passage_text
from kb.sentences import SentenceIndex
from opgavewijzer.text import Language


MAX_COGNATES = 2  # Dutch words taken per untranslated English word: the most used look-alikes
# A word is a name in the sources when they write it with a capital in mid-sentence at least this often
# ("Rotterdam", "Buitengebied" in "Vitaal Buitengebied"); common nouns start with a capital only by accident.
PROPER_SHARE = 0.8
_TOKEN = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*")
_OPENS = re.compile(r"(?:^|[.:!?(‘'“\"–•]|\d[.)])\s*$")  # what comes before a word that may carry a capital anyway


@dataclass(frozen=True)
class IndexView:
    """The answer stages' view of one build."""

    collection: str
    scorer: SupportScorer
    sentences: SentenceIndex
    selector: SentenceSelector
    aliases: Mapping[str, Any]  # doc id -> patterns that name it (from sources.json aliases and title acronyms)
    lists: tuple[ListSection, ...]  # numbered list sections of the outlines, for list questions
    names: Mapping[str, Mapping[str, str]]  # doc id -> language -> name in running text
    titles: Mapping[str, str]
    roles: tuple[Any, ...] = ()  # role profiles of the leeropdracht appendix (see assistant.leeropdracht.roles)
    words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # cognate key prefix -> the sources' words, most used first
    proper: frozenset[str] = frozenset()  # lowercased words the sources write as names (see PROPER_SHARE)
    naming: frozenset[str] = frozenset()  # lowercased words of the documents' aliases ("opgavebeweging", "nsob")
    guides: Mapping[str, DocumentGuide] = field(default_factory=dict)  # doc id -> source guide stored with the build
    intent: OverviewIntent | None = None  # scores questions for the overview intent (None: no overview answers)

    @classmethod
    def build(cls, kb: KnowledgeBase, stemmer: str, ranker: SentenceRanker, intent: RankerWeights) -> "IndexView":
        """Derive the view from the build ``kb`` has loaded (about a second for the shipped corpus).

        ``intent`` holds the learned weights of the overview intent (:mod:`assistant.answer.overview_intent`)."""
        info = kb.info
        chunks = kb.chunks
        analyzer = DutchAnalyzer(stemmer)
        texts = [passage_text(c) for c in chunks]
        scorer = SupportScorer(analyzer, TermWeights(analyzer, texts))
        sentences = kb.sentences  # loaded once per build, with the stored vectors
        # A topic word among the aliases ("concernbrede opgaven", "motie") names no document by itself: the
        # knowledge base routes it only when it is used as a name or fits that document best (kb.query).
        documents = {doc_id: (rec.title, tuple(a for a in rec.aliases if a.casefold() not in _topics(rec)))
                     for doc_id, rec in info.documents.items()}
        return cls(
            collection=info.collection,
            scorer=scorer,
            sentences=sentences,
            selector=SentenceSelector(scorer, sentences, Meaning(kb.embedder, sentences), ranker),
            aliases=document_aliases(documents),
            lists=list_sections(chunks),
            names={doc_id: dict(getattr(rec, "names", {}) or {}) for doc_id, rec in info.documents.items()},
            titles={doc_id: rec.title for doc_id, rec in info.documents.items()},
            roles=_roles(info.extras, chunks),
            words=_words(sentences),
            proper=_proper(sentences),
            naming=frozenset(w.lower() for rec in info.documents.values() for a in rec.aliases for w in _TOKEN.findall(a)),
            guides=guides_from_extras(info.extras),
            intent=OverviewIntent(intent, kb.embedder, DocumentTerms(scorer, _by_document(chunks, texts)),
                                  load_prototypes()),
        )

    def cognates(self, word: str) -> list[str]:
        """The sources' words that look like this English word in Dutch spelling ("metaphors" → "metafoor")."""
        key = cognate_key(word)
        if len(key) < COGNATE_PREFIX:
            return []
        return [w for w in self.words.get(key[:COGNATE_PREFIX], ()) if is_cognate(word, w)][:MAX_COGNATES]

    def is_subject(self, word: str) -> bool:
        """True if the sources write this word as a name ("Rotterdam", "Buitengebied") that names no document.

        A document's name says where to look ("het e-mailadres van de Opgavebeweging"), not what a fact is about.
        """
        return word.lower() in self.proper and word.lower() not in self.naming

    def name(self, doc_id: str, lang: Language) -> str:
        """How running text names a document: its name from sources.json, else its title in quotes."""
        known = self.names.get(doc_id, {})
        if lang in known:
            return known[lang]
        if known:
            return next(iter(known.values()))
        return f"‘{self.titles.get(doc_id, doc_id)}’"


def _by_document(chunks: Sequence[Any], texts: Sequence[str]) -> dict[str, list[str]]:
    """The passages' texts, by document."""
    grouped: dict[str, list[str]] = {}
    for chunk, text in zip(chunks, texts):
        grouped.setdefault(chunk.doc_id, []).append(text)
    return grouped


def _words(sentences: SentenceIndex) -> dict[str, tuple[str, ...]]:
    """The words of the sources' body text by the start of their cognate key, most used first."""
    counts: Counter[str] = Counter()
    for document in sentences.by_doc.values():
        for sentence in document:
            if sentence.role in ("body", "list_item", "heading"):
                counts.update(w.lower() for w in WORD.findall(sentence.text) if len(w) >= COGNATE_PREFIX)
    by_key: dict[str, list[str]] = {}
    for word, _ in counts.most_common():
        by_key.setdefault(cognate_key(word)[:COGNATE_PREFIX], []).append(word)
    return {k: tuple(v) for k, v in by_key.items()}


def _proper(sentences: SentenceIndex) -> frozenset[str]:
    """The words the sources write with a capital in mid-sentence (PROPER_SHARE of the time): their names."""
    capital: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for document in sentences.by_doc.values():
        for sentence in document:
            text = sentence.text
            for match in _TOKEN.finditer(text):
                if _OPENS.search(text[:match.start()]):
                    continue  # a sentence, quote or item starts here: a capital says nothing
                word = match.group()
                seen[word.lower()] += 1
                capital[word.lower()] += word[0].isupper()
    return frozenset(w for w, n in seen.items() if capital[w] >= PROPER_SHARE * n)


def _roles(extras: Mapping[str, Any], chunks: Any) -> tuple[Any, ...]:
    from assistant.leeropdracht.roles import load_profiles  # the writer's data, parsed once per build

    return tuple(load_profiles(extras, chunks))


def _topics(record: Any) -> frozenset[str]:
    """The casefolded topic words of a document record (sources.json ``topics``)."""
    return frozenset(t.casefold() for t in getattr(record, "topics", ()) or ())
