"""Definition questions: "Wat is een opgave?" wants the sentence "Een opgave is …".

Such a question is short and its one content word occurs everywhere in this
corpus, so neither BM25 nor the embedding ranks the defining passage high.
Two small aids, both driven by the same pattern: a second search phrased like
the definition itself, whose passages are kept only if they really contain a
defining sentence, and the ranker's ``defines`` feature for the sentence that
defines the subject.
"""

from __future__ import annotations

import re
from typing import Sequence

from opgavewijzer.text import sentence_spans
from kb.retriever import in_front
from kb.types import Hit

# Defining passages put in front of the ordinary hits, at most.
MAX_DEFINING_HITS = 2

_DEFINITION_QUESTION = re.compile(
    r"^\s*(?:wat\s+(?:is|zijn|betekent|betekenen|houdt)|wat\s+(?:wordt|verstaat\s+men)\s+(?:bedoeld\s+)?(?:met|onder)"
    # "Wat bedoelt de VPNG-gids met lean-sturing?", "wat verstaan de bronnen onder …": who means it is no part of X.
    r"|wat\s+(?:bedoel\w*|versta\w*)\s+[^?]{1,40}?\s+(?:met|onder))"
    r"\s+(?:een|de|het)?\s*[‘'\"“]?(?P<subject>[^?‘'\"“”’]+?)[’'\"”]?\s*(?:in)?\s*\??\s*$",
    re.IGNORECASE,
)
# "Hoe omschrijven de bronnen wat een opgave is?", "Hoe definieert de VPNG een opgave?": the same question.
_HOW_DEFINED = (
    re.compile(r"^\s*hoe\s+(?:omschrijv\w*|omschrijft|definie\w*|beschrijv\w*|beschrijft)\b.*\bwat\s+(?:(?:een|de|het)\s+)?"
               r"(?P<subject>[^?]+?)\s+(?:is|zijn|betekent|inhoudt)\s*\??\s*$", re.IGNORECASE),
    re.compile(r"^\s*hoe\s+(?:omschrijv\w*|omschrijft|definie\w*)\b.*\b(?:een|de|het)\s+(?P<subject>[^?]+?)\s*\??\s*$",
               re.IGNORECASE),
)
# Subjects that ask for a comparison or a list, not for a definition.
_NOT_DEFINED = re.compile(r"^(?:verschil|verschillen|voorbeelden|kenmerken|gevolgen|voordelen|nadelen)\b", re.IGNORECASE)
_QUOTE = "[‘'\"“]?"
_FILLER = re.compile(r"\b(?:nou|eigenlijk|precies|nu|toch|dan|eens|nu precies|zoal|allemaal)\b", re.IGNORECASE)


def defined_subject(question: str) -> str | None:
    """The X of a 'wat is X?' question ("opgave" for "Wat is een opgave?", or for "Hoe definieert de VPNG een
    opgave?"), else None.

    Spoken filler ("nou", "eigenlijk", "precies") is no part of X: "wat is nou eigenlijk een opgave?".
    """
    plain = _FILLER.sub(" ", question)
    match = next((m for m in (p.match(plain) for p in (_DEFINITION_QUESTION, *_HOW_DEFINED)) if m), None)
    if not match or _NOT_DEFINED.match(match.group("subject")):
        return None
    return " ".join(match.group("subject").split()) or None


def definition_pattern(question: str) -> re.Pattern[str] | None:
    """For a 'wat is X?' question, the pattern of a sentence that defines X; else None."""
    subject = defined_subject(question)
    if subject is None:
        return None
    *modifiers, head = subject.split()
    # "maatschappelijke opgave" is defined by "De opgave is …" too: the words before the head may be left out.
    before = r"\s+".join(re.escape(w) for w in modifiers)
    words = (rf"(?:{before}\s+)?" if modifiers else "") + re.escape(head)
    return re.compile(
        rf"^(?:(?:een|de|het)\s+)?{_QUOTE}{words}{_QUOTE}\s+(?:is|zijn|betekent|houdt\s+in|staat\s+voor)\b"
        rf"|^(?:onder|met)\s+(?:(?:een|de|het)\s+)?{_QUOTE}{words}{_QUOTE}\s+(?:verstaan|bedoelen|wordt)\b",
        re.IGNORECASE,
    )


def definition_probe(question: str) -> str | None:
    """A search phrased like the definition a 'wat is X?' question looks for, else None."""
    subject = defined_subject(question)
    return None if subject is None else f"Definitie van {subject}: {subject} is"


def defines(hit: Hit, pattern: re.Pattern[str]) -> bool:
    """True if a sentence of the passage matches the definition pattern."""
    return any(pattern.match(" ".join(hit.text[s:e].split())) for s, e in sentence_spans(hit.text))


def glossary_entry(hit: Hit, subject: str) -> bool:
    """True if the passage holds a section headed by the subject's name ("Lean-sturing") whose text uses it:
    the entry of a list of terms, which defines without saying "X is …"."""
    headings = [hit.section, *(" > ".join(p.section_path) for p in hit.places)]
    return bool(subject) and _plain(subject) in _plain(hit.text) and any(
        _plain(h.rsplit(" > ", 1)[-1]) == _plain(subject) for h in headings)


def _plain(text: str) -> str:
    """Lower case, with hyphens and punctuation as spaces: "Lean-sturing" and "lean sturing" are one name."""
    return " ".join(re.sub(r"[\W_]+", " ", text).lower().split())


def with_definitions(hits: Sequence[Hit], probe_hits: Sequence[Hit], pattern: re.Pattern[str], top_k: int,
                     subject: str = "") -> list[Hit]:
    """The hits with up to two defining passages of the probe in front, still ``top_k`` long. A glossary entry
    of the subject goes in front too, also from lower down, unless a passage above it already says "X is …"."""
    present = {h.chunk_id for h in hits}
    front = [h for h in probe_hits if h.chunk_id not in present and defines(h, pattern)][:MAX_DEFINING_HITS]
    merged = in_front(front, hits, top_k) if front else list(hits)
    order = [h.chunk_id for h in merged]
    entries = [h for h in probe_hits if glossary_entry(h, subject)]
    above = [h for h in entries if not any(defines(m, pattern) for m in merged[:_position(order, h.chunk_id)])]
    return in_front(above[:MAX_DEFINING_HITS], merged, top_k) if above else merged


def _position(order: list[str], chunk_id: str) -> int:
    """Where a passage stands among the hits; one the hits lack stands after them all."""
    return order.index(chunk_id) if chunk_id in order else len(order)
