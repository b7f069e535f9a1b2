"""Ingest throughput and memory on a large generated text file.

``python -m benchmarks.bench_ingest [MB …]`` generates Dutch-like plain text
(hard-wrapped paragraphs, guessed headings, page numbers, as the text
extractions in ``corpus/`` look) and times loading, cleaning and chunking it,
each size in a fresh process so that its peak memory is its own. Embedding is
left out on purpose: it costs the same per passage whatever the file, and a
20 MB file has about 17,000 passages (hours on two cores); the throughput of
the embedder is in ``make bench``'s corpus ingest figure.

Two sizes are measured per shape: the ratio of their seconds per MB shows
whether the work grows linearly with the file (1.0 is linear, 4.0 would be
quadratic for a fourfold size).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from opgavewijzer.settings import PROJECT_ROOT, Settings

# The sizes measured by ``make bench``: the default size limit, and a quarter of it for the scaling ratio.
SIZES_MB = (5.0, 20.0)
SHAPES = ("paragraphs", "lines")
_LABEL = {"paragraphs": "para", "lines": "lines"}  # short keys keep the table of make bench aligned
TIMEOUT_S = 900  # a benchmark never hangs: a size that takes longer is reported as a timeout
_SAMPLE = PROJECT_ROOT / "corpus" / "vijf-bouwstenen-opgavegericht-werken.txt"


def generate_text(path: Path, megabytes: float, shape: str = "paragraphs", seed: int = 14) -> Path:
    """Write about ``megabytes`` of Dutch-like plain text to ``path``, the same for the same seed.

    ``paragraphs``: hard-wrapped paragraphs between blank lines, a numbered
    title and a page number per page, as a PDF-to-text extraction looks.
    ``lines``: one paragraph per line and no blank lines, as Word's "save as
    text" writes it; before the fix this shape made ingest quadratic.
    """
    rng = random.Random(seed)
    words = re.findall(r"[^\W\d_]{2,}", _SAMPLE.read_text(encoding="utf-8")) if _SAMPLE.exists() else []
    words = words or "de opgave vraagt om samenwerking tussen gemeenten provincies en waterschappen".split()
    target = int(megabytes * 1024 * 1024)
    size = page = 0
    with path.open("w", encoding="utf-8") as out:
        while size < target:
            page += 1
            parts = [f"{page}. {' '.join(rng.choice(words) for _ in range(rng.randint(2, 5))).capitalize()}\n\n"]
            for _ in range(rng.randint(3, 7)):
                sentences = []
                for _ in range(rng.randint(3, 8)):
                    sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 24)))
                    sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....?"))
                parts.append(_wrap(" ".join(sentences), 90) + "\n\n")
            parts.append(f"{page}\n\n")  # the page number, as a PDF-to-text extraction leaves it
            chunk = "".join(parts)
            if shape == "lines":
                chunk = "".join(p.replace("\n", " ").strip() + "\n" for p in parts[1:-1])
            out.write(chunk)
            size += len(chunk.encode("utf-8"))
    return path


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def _measure(path: Path) -> dict[str, Any]:
    """Load, clean and chunk one file in this process; seconds per stage and peak memory."""
    import resource

    from ingest.chunking import chunk_document
    from ingest.cleaning import clean_document
    from ingest.inputs import title_for_file
    from ingest.loaders import load_document
    from kb.types import SourceInfo

    settings = Settings(_env_file=None)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    raw = load_document(path)
    t1 = time.perf_counter()
    blocks = clean_document(raw)
    t2 = time.perf_counter()
    title = title_for_file(path)
    chunked = chunk_document(
        blocks, SourceInfo(doc_id="groot", file=path.name, title=title, short_title=title),
        target_words=settings.chunking.target_words, max_words=settings.chunking.max_words,
        min_words=settings.chunking.min_words, overlap_sentences=settings.chunking.overlap_sentences,
    )
    t3 = time.perf_counter()
    return {
        "mb": path.stat().st_size / 1024 / 1024,
        "load_s": t1 - t0,
        "clean_s": t2 - t1,
        "chunk_s": t3 - t2,
        "total_s": t3 - t0,
        "chunks": len(chunked.chunks),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "imports_mb": before_mb,
    }


def measure_file(path: Path, timeout_s: float = TIMEOUT_S) -> dict[str, Any] | None:
    """:func:`_measure` in a fresh process (its own peak memory); ``None`` after ``timeout_s``."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_ingest", "--child", str(path)],
            capture_output=True, text=True, timeout=timeout_s, cwd=PROJECT_ROOT, check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(settings: Settings, sizes: tuple[float, ...] = SIZES_MB, shapes: tuple[str, ...] = SHAPES) -> dict[str, float]:
    """Figures for ``make bench``: MB/s, seconds per stage and peak memory per shape and size, and linearity."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="opgavewijzer-bench-ingest-") as tmp:
        for shape in shapes:
            per_mb: list[float] = []
            for mb in sizes:
                path = generate_text(Path(tmp) / f"groot-{shape}-{mb:g}mb.txt", mb, shape)
                got = measure_file(path)
                path.unlink()
                tag = f"ingest_{_LABEL[shape]}_{mb:g}mb"
                if got is None:
                    figures[f"{tag}_timeout_s"] = float(TIMEOUT_S)
                    continue
                figures[f"{tag}_mb_s"] = got["mb"] / got["total_s"]
                figures[f"{tag}_clean_s"] = got["load_s"] + got["clean_s"]
                figures[f"{tag}_chunk_s"] = got["chunk_s"]
                figures[f"{tag}_peak_mb"] = got["peak_mb"]
                per_mb.append(got["total_s"] / got["mb"])
            if len(per_mb) == len(sizes) >= 2:
                figures[f"ingest_{_LABEL[shape]}_linearity"] = per_mb[-1] / per_mb[0]
    return figures


def main(argv: list[str]) -> int:
    """Print the figures (or, with ``--child PATH``, measure one file as JSON)."""
    if argv[:1] == ["--child"]:
        print(json.dumps(_measure(Path(argv[1]))))
        return 0
    if argv[:1] == ["--generate"]:  # --generate PATH MB SHAPE: write one file (to measure other versions on it)
        generate_text(Path(argv[1]), float(argv[2]), argv[3])
        return 0
    sizes = tuple(float(a) for a in argv) or SIZES_MB
    for key, value in run(Settings(_env_file=None), sizes).items():
        print(f"{key:<28} {value:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
