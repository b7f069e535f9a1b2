"""The citation check: every ``[n]`` of a generated answer is verified before it is shown.

Language models cite badly: numbers that point at nothing, the right number on
the wrong sentence, markers in odd shapes (``[1, 2]``, ``[1][2]``, ``[bron 3]``,
``(bron 2)``, ``[^1]``), or claims with no marker at all. This module parses
every shape, removes markers that point at no retrieved passage, measures per
sentence how well the cited passages support it (:mod:`assistant.support`),
drops what is not supported, and renumbers the surviving citations densely in
order of first use. A citation to a passage that was not retrieved can never
come out of it: citations are built from the retrieved hits only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.support import SupportScorer
from opgavewijzer.text import normalise_space, sentence_spans
from assistant.types import Citation
from kb.types import Hit

_NUMS = r"\d+(?:\s*(?:,|;|-|–|en|and|&)\s*\d+)*"
# One marker group: "[1]", "[1, 2]", "[1-3]", "[bron 1]", "[^1]", "(bron 2)", "【1】"; runs like "[1][2]" too.
_MARKER = re.compile(
    rf"(?:\s*(?:\[\s*\^?\s*(?:bronnen|bron|sources|source|ref)?\.?\s*(?P<a>{_NUMS})\s*\]"
    rf"|\(\s*(?:bronnen|bron|sources|source)\s*(?P<b>{_NUMS})\s*\)"
    rf"|【\s*(?P<c>{_NUMS})\s*】))+",
    re.IGNORECASE,
)
# Bracketed placeholders a model copies from its instructions, and echoed prompt tags.
_JUNK = re.compile(
    r"\[\s*(?:n|x|bron|source|nummer|citation needed|\?|…|\.\.\.)\s*\]|</?\s*(?:bron|vraag|source|context)\b[^>]*>",
    re.IGNORECASE,
)
_MARKER_AFTER_STOP = re.compile(rf"([.!?])((?:{_MARKER.pattern}))", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?…:;]+[’”\"')]*$")
_REFUSAL = re.compile(
    r"\b(?:bronnen|bron)\b[^.]{0,60}\b(?:geen|niet)\b[^.]{0,40}\b(?:antwoord|beantwoord\w*|informatie|vermeld\w*)"
    r"|\bniet in de bronnen\b|\bsources do not\b|\bno information\b|\bkan ik niet beantwoorden\b",
    re.IGNORECASE,
)
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:!?…])")


def parse_numbers(marker: str) -> list[int]:
    """The source numbers in one marker group, ranges expanded: '[1-3][5]' gives [1, 2, 3, 5]."""
    numbers: list[int] = []
    for group in re.findall(_NUMS, marker):
        for part in re.split(r"\s*(?:,|;|en|and|&)\s*", group):
            bounds = re.split(r"\s*[-–]\s*", part)
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                lo, hi = int(bounds[0]), int(bounds[1])
                numbers.extend(range(lo, hi + 1) if 0 < hi - lo < 10 else [lo, hi])
            elif part.strip().isdigit():
                numbers.append(int(part))
    return list(dict.fromkeys(numbers))


def strip_markers(text: str) -> str:
    """The text with every citation marker and placeholder removed."""
    return _SPACE_BEFORE_STOP.sub(r"\1", normalise_space(_JUNK.sub(" ", _MARKER.sub(" ", text))))


def render_sentence(text: str, numbers: list[int]) -> str:
    """A sentence with its markers placed before the final punctuation: 'Zo is het [1, 2].'"""
    text = normalise_space(text)
    if not numbers:
        return text
    marker = "[" + ", ".join(str(n) for n in numbers) + "]"
    end = _TERMINAL.search(text)
    if end and end.group(0)[0] in ".!?…":
        return f"{text[: end.start()].rstrip()} {marker}{end.group(0)}"
    return f"{text} {marker}"


def make_citation(n: int, hit: Hit, span: tuple[int, int], spans: tuple[tuple[int, int], ...] = ()) -> Citation:
    """A citation of ``hit`` whose quote is ``hit.text[span]``."""
    start, end = span
    section, page = hit.place_at(start)  # a passage may hold the end of one section and the next
    return Citation(
        n=n, doc_id=hit.doc_id, title=hit.title, section=section, page=page, chunk_id=hit.chunk_id,
        quote=hit.text[start:end], passage=hit.text, quote_start=start, quote_end=end, spans=spans or (span,),
    )


@dataclass(frozen=True)
class CheckedText:
    """The outcome of the citation check."""

    text: str
    citations: tuple[Citation, ...]
    flagged: tuple[str, ...]
    claims: int  # sentences that kept at least one citation
    refusal: bool = False  # the model itself said the sources do not answer


@dataclass
class _Sentence:
    text: str
    cited: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)


def _split(text: str) -> list[list[_Sentence]]:
    """Lines of sentences, each with the source numbers its markers name."""
    text = _MARKER_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)  # "Zin. [1]" → "Zin [1]."
    lines: list[list[_Sentence]] = []
    for line in text.split("\n"):
        row = []
        for start, end in sentence_spans(line):
            raw = line[start:end]
            cited = [n for m in _MARKER.finditer(raw) for n in parse_numbers(m.group(0))]
            clean = strip_markers(raw)
            if clean and re.search(r"\w", clean):
                row.append(_Sentence(clean, list(dict.fromkeys(cited))))
        lines.append(row)
    return lines


def check_citations(
    text: str, hits: list[Hit], scorer: SupportScorer, threshold: float, renumber: bool = True
) -> CheckedText:
    """Verify the citations of a generated ``text`` against the ``hits`` it was given ([1] is hits[0]).

    With ``renumber`` the surviving citations are numbered 1, 2, … in order of
    first use; without it they keep the numbers of ``hits`` (for a document
    whose other parts already cite those numbers).
    """
    flagged: list[str] = []
    lines = _split(text)
    for row in lines:
        for sent in row:
            _judge(sent, hits, scorer, threshold, flagged)
    order: dict[int, int] = {}  # old number → new number, in order of first use
    quote: dict[int, list[tuple[int, int]]] = {}
    out_lines: list[str] = []
    claims = 0
    for row in lines:
        parts = []
        for sent in row:
            if not sent.kept:
                if sent.cited or not _framing(sent.text, scorer):
                    flagged.append(f"zin verwijderd (geen steun in de bronnen): {sent.text}")
                    continue
                parts.append(render_sentence(sent.text, []))
                continue
            claims += 1
            for old in sent.kept:
                order.setdefault(old, len(order) + 1 if renumber else old)
                spans = quote.setdefault(old, [])
                if sent.spans[old] not in spans:
                    spans.append(sent.spans[old])
            parts.append(render_sentence(sent.text, sorted(order[o] for o in sent.kept)))
        out_lines.append(" ".join(parts))
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(out_lines)).strip()
    citations = tuple(
        make_citation(new, hits[old - 1], quote[old][0], tuple(quote[old])) for old, new in order.items()
    )
    if claims == 0:
        body = ""  # framing sentences alone answer nothing
    return CheckedText(body, citations, tuple(flagged), claims, refusal=claims == 0 and bool(_REFUSAL.search(text)))


def _framing(text: str, scorer: SupportScorer) -> bool:
    """True for a sentence that frames the answer ("Kort gezegd:") rather than claims something.

    A sentence that carried a marker is a claim by its author's own account and
    is never framing; this only applies to unmarked sentences.
    """
    n = len(scorer.terms(text))
    return n <= 1 or (text.rstrip().endswith(":") and n <= 6)


def _judge(sent: _Sentence, hits: list[Hit], scorer: SupportScorer, threshold: float, flagged: list[str]) -> None:
    """Decide which of a sentence's citations stand; may attach the one passage that clearly supports it."""
    valid = []
    for n in sent.cited:
        if 1 <= n <= len(hits):
            valid.append(n)
        else:
            flagged.append(f"verwijzing [{n}] verwijderd: er is geen opgehaalde bron {n}")
    support = {n: scorer.support(sent.text, hits[n - 1].text) for n in valid}
    if valid:
        together = scorer.support(sent.text, "\n".join(hits[n - 1].text for n in valid)).score
        if together >= threshold:
            # Keep every source that carries a real part of the claim; at least the best one.
            best = max(valid, key=lambda n: support[n].score)
            sent.kept = [n for n in valid if n == best or support[n].score >= threshold / 2]
            sent.spans = {n: support[n].span for n in sent.kept}
            return
        flagged.append(f"verwijzing {valid} verwijderd: de bron steunt de zin niet ({together:.2f} < {threshold:.2f}): {sent.text}")
    if not sent.cited and _framing(sent.text, scorer):
        return
    # An unmarked (or wrongly marked) claim keeps its place only if one retrieved passage clearly supports it.
    scored = [(scorer.support(sent.text, h.text), i + 1) for i, h in enumerate(hits)]
    if scored:
        best_support, n = max(scored, key=lambda s: s[0].score)
        if best_support.score >= max(threshold, 0.5):
            sent.kept, sent.spans = [n], {n: best_support.span}
            flagged.append(f"bron [{n}] toegevoegd aan een zin zonder geldige verwijzing: {sent.text}")
