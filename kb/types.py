"""Typed records passed between the stages of the pipeline."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class SourceInfo:
    """One document of the corpus as described in ``sources.json``."""

    doc_id: str
    file: str
    title: str
    short_title: str = ""
    publisher: str = ""
    date: str = ""
    # Names users give the document ("NSOB", "de inspiratiegids"); a question
    # that uses one is searched within this document (see kb/query.py).
    aliases: tuple[str, ...] = ()
    # How running text names the document, per language: {"nl": "het NSOB-rapport", "en": "the NSOB report"}.
    names: dict[str, str] = field(default_factory=dict)
    # The appendix that holds leeropdrachten for roles ("Bijlage 3"); empty when the document has none.
    # Ingest reads the role profiles of such a document (see ingest/roles.py).
    role_appendix: str = ""
    kind: str = ""  # rapport, verslag, essay, gids, bijlage, evaluatie, notitie (see ingest/metadata.py)
    # Everyday subject words; an alias among them routes a question only when it is used as a name.
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentRecord:
    """What the index knows about one ingested document: its fingerprints and its metadata.

    The metadata (title, names, aliases, publisher, date, kind, topics) is made at
    ingest from the document itself and overridden field by field by sources.json
    and by ``opgavewijzer documents set`` (see ``ingest/metadata.py``).
    """

    doc_id: str
    file: str
    title: str
    sha256: str
    chunks: int
    words: int = 0
    aliases: list[str] = field(default_factory=list)
    # SHA-256 of the file's bytes and of its cleaned text: a copy under another name is recognised.
    content_sha256: str = ""
    text_sha256: str = ""
    # How running text names the document, per language ("het NSOB-rapport").
    names: dict[str, str] = field(default_factory=dict)
    short_title: str = ""
    publisher: str = ""
    date: str = ""
    kind: str = ""  # rapport, verslag, essay, gids, bijlage, evaluatie, notitie; empty: a document
    # Subject words: an alias among them routes a question only when used as a name (see kb/query.py).
    topics: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocumentRecord":
        """Read a stored record; fields a later version added or dropped are tolerated."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class IndexInfo:
    """Description of one complete build; stored with the active pointer."""

    collection: str
    embedding_model: str
    pipeline: str  # version and parameters of cleaning and chunking
    built_at: str
    documents: dict[str, DocumentRecord]
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise for the pointer's metadata."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> "IndexInfo":
        """Parse what :meth:`to_json` wrote."""
        data = json.loads(raw)
        docs = {k: DocumentRecord.from_dict(v) for k, v in data.pop("documents").items()}
        return cls(documents=docs, **data)


# What a sentence is, decided once at ingest (see ingest/sentences.py). Answers quote
# body sentences and list items; the other roles are kept so that they can be
# skipped on purpose (a heading is no answer, an author bio only when asked).
SENTENCE_ROLES = (
    "body", "heading", "list_item", "question", "caption", "table",
    "author_bio", "colophon", "navigation", "toc", "footnote",
)


@dataclass(frozen=True)
class SentenceSpan:
    """Where one sentence of a passage stands in the cleaned document, and its content role."""

    start: int
    end: int
    role: str = "body"


@dataclass(frozen=True)
class Sentence:
    """One sentence of the index: the unit an answer quotes, whole and with its place."""

    doc_id: str
    chunk_id: str  # the first passage that holds it
    index: int  # position among the document's sentences
    start: int  # offsets into the cleaned document, like Chunk.start
    end: int
    text: str
    role: str
    section: str
    page: int | None
    opens_paragraph: bool = True  # a line break comes before it: it starts a paragraph, a list item or a heading
    # The section the sentence itself stands in, for its citation. ``section`` is its passage's label, which
    # the answer logic compares between sentences; a merged small section keeps its own heading here.
    label: str = ""


@dataclass(frozen=True)
class Place:
    """Where a passage moves on to another section or page, as an offset into the passage's text.

    Small sections are merged into one passage, which is searched under the heading of its first text; a
    quote from further on is labelled with its own section and page.
    """

    offset: int
    section_path: tuple[str, ...]
    page: int | None = None


def place_at(offset: int, places: tuple[Place, ...], section: str, page: int | None) -> tuple[str, int | None]:
    """The section label and page of the text at ``offset`` in a passage labelled ``section`` and ``page``."""
    for place in places:
        if place.offset > offset:
            break
        section, page = " > ".join(place.section_path), place.page
    return section, page


def _places_json(places: tuple[Place, ...]) -> str:
    return json.dumps([[p.offset, p.page, list(p.section_path)] for p in places], ensure_ascii=False) if places else ""


def _places(raw: str) -> tuple[Place, ...]:
    """Parse what :func:`_places_json` stored; an index built before places were kept has none."""
    if not raw:
        return ()
    return tuple(Place(int(o), tuple(path), None if page is None else int(page)) for o, page, path in json.loads(raw))


@dataclass(frozen=True)
class Chunk:
    """A passage of one cleaned document, ready to be embedded.

    ``start`` and ``end`` are character offsets into the cleaned text of the
    document, so that ``cleaned[start:end] == text`` always holds.
    """

    doc_id: str
    title: str
    text: str
    section_path: tuple[str, ...]
    start: int
    end: int
    ordinal: int
    page: int | None = None
    sentences: tuple[SentenceSpan, ...] = ()
    places: tuple[Place, ...] = ()  # later sections or pages inside the passage, in order

    @property
    def chunk_id(self) -> str:
        """Stable, unique id from the document, the position in it and the text.

        The text alone is not unique: a paragraph that a document repeats (a
        recurring disclaimer, a list used twice) would give two passages one id.
        The same file always gives the same ids.
        """
        key = f"{self.doc_id}\x00{self.ordinal}\x00{self.start}\x00{self.text}"
        return f"{self.doc_id}:{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"

    @property
    def section(self) -> str:
        """The section path as one readable string."""
        return " > ".join(self.section_path)

    @property
    def word_count(self) -> int:
        """Number of whitespace-separated words in the passage."""
        return len(self.text.split())

    def metadata(self) -> dict[str, Any]:
        """Flat metadata as Chroma stores it (no None values, no lists)."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "section_path": "\x1f".join(self.section_path),
            "page": self.page if self.page is not None else -1,
            "start": self.start,
            "end": self.end,
            "ordinal": self.ordinal,
            "sentences": ";".join(f"{s.start},{s.end},{s.role}" for s in self.sentences),
            "places": _places_json(self.places),
        }

    @classmethod
    def from_metadata(cls, text: str, meta: dict[str, Any]) -> "Chunk":
        """Rebuild a chunk from what :meth:`metadata` stored."""
        path = str(meta.get("section_path") or "")
        page = int(meta.get("page", -1))
        return cls(
            doc_id=str(meta["doc_id"]),
            title=str(meta.get("title", "")),
            text=text,
            section_path=tuple(p for p in path.split("\x1f") if p),
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
            ordinal=int(meta.get("ordinal", 0)),
            page=None if page < 0 else page,
            sentences=_sentence_spans(str(meta.get("sentences") or "")),
            places=_places(str(meta.get("places") or "")),
        )


@dataclass(frozen=True)
class Hit:
    """One retrieved passage, ranked."""

    rank: int
    doc_id: str
    title: str
    section: str
    page: int | None
    chunk_id: str
    score: float
    text: str
    start: int = 0
    end: int = 0
    ordinal: int = 0
    # Cosine similarity to the question (dense) and raw BM25 score: calibrated
    # signals for the refusal decision, unlike the rank-based fusion score.
    similarity: float = 0.0
    lexical: float = 0.0
    # Per-retriever ranks (1-based) that produced this hit; useful for explaining results.
    sources: dict[str, int] = field(default_factory=dict)
    places: tuple[Place, ...] = ()  # later sections or pages inside the passage (see :class:`Place`)

    def place_at(self, offset: int) -> tuple[str, int | None]:
        """The section label and page of the text at ``offset`` in this passage."""
        return place_at(offset, self.places, self.section, self.page)

    @classmethod
    def from_chunk(cls, chunk: Chunk, rank: int = 0) -> "Hit":
        """A chunk as a hit that no search produced (cited because of where it stands, not its score)."""
        return cls(rank=rank, doc_id=chunk.doc_id, title=chunk.title, section=chunk.section, page=chunk.page,
                   chunk_id=chunk.chunk_id, score=0.0, text=chunk.text, start=chunk.start, end=chunk.end,
                   ordinal=chunk.ordinal, places=chunk.places)

    def to_json(self) -> dict[str, Any]:
        """The public JSON form used by ``opgavewijzer search --json``."""
        data = asdict(self)
        return {k: data[k] for k in ("rank", "doc_id", "title", "section", "page", "chunk_id", "score", "text")}


def _sentence_spans(raw: str) -> tuple[SentenceSpan, ...]:
    """Parse the compact ``start,end,role;…`` form stored in Chroma metadata."""
    spans = []
    for part in raw.split(";") if raw else ():
        start, end, role = part.split(",", 2)
        spans.append(SentenceSpan(int(start), int(end), role))
    return tuple(spans)
