"""Source guides as they cross from ingest to the assistant and the UI: typed records, stored with a build.

Ingest writes one :class:`DocumentGuide` per document (see ``ingest/guide.py``):
what the document is (title, kind, publisher, date), its chapters, its key
points (whole sentences with exactly where they stand), its key terms and the
questions it may be asked. The build stores the guide as JSON in its
``extras`` under :data:`GUIDE_KEY`; :func:`guides_from_extras` reads it back.

Which suggested questions the answer engine really answers from the document
is checked after the build is active, by an edge that has both (the ingest
command): the engine is no part of ingest. :func:`save_checked_questions`
stores the outcome next to the build, :func:`load_checked_questions` reads it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

GUIDE_KEY = "guide"
# Bumped when ingest.guide changes what a guide holds; guides of another version are not read back.
GUIDE_VERSION = 10
_CHECKED = "-guides"  # suffix of the collection that holds the checked questions per build


@dataclass(frozen=True)
class KeyPoint:
    """One key point: a whole sentence of the document and exactly where it stands."""

    text: str
    chunk_id: str  # the passage that holds it
    start: int  # offsets in the cleaned document, like Sentence.start
    end: int
    section: str  # the section it stands in, as its citation names it
    page: int | None = None
    source: str = "chapter"  # "summary": from the document's own summary, conclusions or recommendations

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "KeyPoint":
        """Read what :func:`dataclasses.asdict` wrote."""
        page = data.get("page")
        return cls(text=str(data["text"]), chunk_id=str(data["chunk_id"]), start=int(data["start"]),
                   end=int(data["end"]), section=str(data.get("section", "")),
                   page=int(page) if isinstance(page, int) else None, source=str(data.get("source", "chapter")))


@dataclass(frozen=True)
class DocumentGuide:
    """What a reader new to a document wants first: what it is, how it is built, what it says."""

    doc_id: str
    title: str
    short_title: str = ""
    names: dict[str, str] = field(default_factory=dict)  # how running text names it, per language
    kind: str = ""
    publisher: str = ""
    date: str = ""
    chapters: tuple[str, ...] = ()  # the main chapters, in order, as the document heads them
    points: tuple[KeyPoint, ...] = ()  # in document order
    conclusions: tuple[KeyPoint, ...] = ()  # from its own conclusions or recommendations, when it has them
    recommendations: tuple[KeyPoint, ...] = ()  # its own list of recommendations, whole: the lead-in, then the items
    terms: tuple[str, ...] = ()  # words that set the document apart from the others, most distinctive first
    questions: tuple[str, ...] = ()  # candidate questions; the checked ones are stored apart (see module doc)
    summary_heading: str = ""  # the document's own summary or conclusions section, when the points come from it
    words: int = 0

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored with the build."""
        return {"version": GUIDE_VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "DocumentGuide":
        """Read what :meth:`to_json` wrote."""
        return cls(
            doc_id=str(data["doc_id"]), title=str(data.get("title", "")), short_title=str(data.get("short_title", "")),
            names={str(k): str(v) for k, v in (data.get("names") or {}).items()}, kind=str(data.get("kind", "")),
            publisher=str(data.get("publisher", "")), date=str(data.get("date", "")),
            chapters=tuple(str(c) for c in data.get("chapters") or ()),
            points=tuple(KeyPoint.from_json(p) for p in data.get("points") or ()),
            conclusions=tuple(KeyPoint.from_json(p) for p in data.get("conclusions") or ()),
            recommendations=tuple(KeyPoint.from_json(p) for p in data.get("recommendations") or ()),
            terms=tuple(str(t) for t in data.get("terms") or ()),
            questions=tuple(str(q) for q in data.get("questions") or ()),
            summary_heading=str(data.get("summary_heading", "")), words=int(data.get("words", 0)),
        )


def guides_from_extras(extras: Mapping[str, Any]) -> dict[str, DocumentGuide]:
    """The guides a build stores, by doc id; guides of another version are skipped."""
    found: dict[str, DocumentGuide] = {}
    for doc_id, extra in extras.items():
        raw = extra.get(GUIDE_KEY) if isinstance(extra, Mapping) else None
        if isinstance(raw, Mapping) and raw.get("version") == GUIDE_VERSION:
            found[doc_id] = DocumentGuide.from_json(raw)
    return found


def _checked(store: Any) -> Any:
    return store.client.get_or_create_collection(f"{store.prefix}{_CHECKED}", metadata={"role": "guides"},
                                                 embedding_function=None)


def save_checked_questions(store: Any, collection: str, questions: Mapping[str, list[str]]) -> None:
    """Store the checked suggested questions of build ``collection`` (doc id -> questions), dropping other builds'."""
    col = _checked(store)
    # Chroma keeps records, not bare metadata: a one-number vector stands in for an embedding (as for leases).
    col.upsert(ids=[collection], embeddings=[[0.0]],
               metadatas=[{"questions": json.dumps(dict(questions), ensure_ascii=False)}])
    stale = [i for i in col.get(include=[])["ids"] if i != collection]
    if stale:
        col.delete(ids=stale)


def load_checked_questions(store: Any, collection: str) -> dict[str, tuple[str, ...]] | None:
    """The checked suggested questions of build ``collection`` by doc id; None when they were never checked."""
    got = _checked(store).get(ids=[collection], include=["metadatas"])
    if not got["ids"]:
        return None
    raw = json.loads((got["metadatas"][0] or {}).get("questions") or "{}")
    return {str(d): tuple(str(q) for q in qs) for d, qs in raw.items()}
