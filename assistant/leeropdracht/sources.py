"""The passages a leeropdracht cites: numbered in order of first use, and renumbered when some fall away.

One passage can be cited at two places (its role section in the appendix and,
for a description, its heading in the main text); it then gets a number per
place, so that the source line names where the quoted words stand.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.citations import make_citation
from assistant.types import Citation, CitedText, Leeropdracht
from kb.types import Hit


class Sources:
    """The passages a draft cites, numbered in order of first use (one number per passage and place)."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.spans: dict[tuple[str, str], list[tuple[int, int]]] = {}

    def cite(self, hit: Hit, start: int, end: int) -> int:
        """The number of ``hit`` (added when new), with ``hit.text[start:end]`` marked as quoted."""
        key = (hit.chunk_id, hit.section)
        if key not in self.spans:
            self.hits.append(hit)
            self.spans[key] = []
        if (start, end) not in self.spans[key]:
            self.spans[key].append((start, end))
        return next(i for i, h in enumerate(self.hits, start=1) if (h.chunk_id, h.section) == key)

    def citations(self) -> tuple[Citation, ...]:
        """The numbered citations, each quoting its first span."""
        return tuple(make_citation(n, h, self.spans[(h.chunk_id, h.section)][0], tuple(self.spans[(h.chunk_id, h.section)]))
                     for n, h in enumerate(self.hits, start=1))


_MARKER = re.compile(r"\[(\d+)\]")


def _renumber(item: CitedText | None, mapping: dict[int, int]) -> CitedText | None:
    """The item with its citation numbers (and the markers in its text) mapped."""
    if item is None:
        return None
    text = _MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", item.text)
    return CitedText(text, tuple(mapping[n] for n in item.cites if n in mapping))


def without_unused(draft: Leeropdracht) -> Leeropdracht:
    """The draft with sources no text cites any more (after an LLM rewrite) left out, and the rest renumbered."""
    texts = [t for p in draft.parts for t in (*p.description, p.strength, p.pitfall, *p.asks, p.motto) if t]
    used = {n for t in (*texts, *draft.closest, *draft.reading, *draft.questions, draft.exercise, draft.reflection)
            for n in t.cites}
    if used == {c.n for c in draft.citations}:
        return draft
    mapping = {c.n: i for i, c in enumerate((c for c in draft.citations if c.n in used), start=1)}
    one = (lambda t: _renumber(t, mapping))  # noqa: E731
    many = (lambda ts: tuple(_renumber(t, mapping) for t in ts))  # noqa: E731
    parts = tuple(replace(p, description=many(p.description), strength=one(p.strength), pitfall=one(p.pitfall),
                          asks=many(p.asks), motto=one(p.motto)) for p in draft.parts)
    return replace(draft, parts=parts, strength=one(draft.strength), pitfall=one(draft.pitfall), closest=many(draft.closest), reading=many(draft.reading),
                   questions=many(draft.questions), exercise=one(draft.exercise), reflection=one(draft.reflection),
                   citations=tuple(replace(c, n=mapping[c.n]) for c in draft.citations if c.n in mapping))
