"""Query understanding: a question that names a source is searched within that source.

"Wat zegt de NSOB over tafels?" asks about tafels *in the NSOB report*. Left
as it is, the word "NSOB" matches colofons and introductions that mention the
NSOB, not the passage about tafels. So a mention of a source becomes a filter,
and the mention itself is taken out of the text that is matched. Measured on
the dev set: evidence recall@6000 characters 0.685 → 0.727, hit@1 0.46 → 0.56.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

# Words that only frame the mention ("volgens de", "in het ... rapport").
_FRAME = r"(?:(?:volgens|in|uit|van|bij|door|according to|in the)\s+)?(?:(?:de|het|dat|die|the)\s+)?"
_SUFFIX = r"(?:[- ](?:rapport|gids|essay|verslag|notitie|report|guide))?"
_MIN_CONTENT_WORDS = 2


@dataclass(frozen=True)
class QueryPlan:
    """What to search for, and where."""

    text: str
    doc_ids: tuple[str, ...] = ()


def _pattern(alias: str) -> re.Pattern[str]:
    return re.compile(_FRAME + r"\b" + re.escape(alias) + r"\b" + _SUFFIX, re.IGNORECASE)


def plan_query(query: str, aliases: Mapping[str, Sequence[str]]) -> QueryPlan:
    """Detect sources named in ``query`` (by the aliases in sources.json) and strip the mention.

    The mention is kept in the text when too little would remain ("wat is de
    VPNG?" is a question about the VPNG itself).
    """
    found: list[str] = []
    text = query
    for doc_id, names in aliases.items():
        for name in sorted(names, key=len, reverse=True):
            pattern = _pattern(name)
            if pattern.search(text):
                if doc_id not in found:
                    found.append(doc_id)
                text = pattern.sub(" ", text)
    if not found:
        return QueryPlan(query)
    text = re.sub(r"\s+", " ", text).strip(" ,?.:;") + ("?" if query.rstrip().endswith("?") else "")
    content = [w for w in re.findall(r"\w+", text) if len(w) > 3]
    return QueryPlan(text if len(content) >= _MIN_CONTENT_WORDS else query, tuple(found))
