"""``make bench-scale``: how search, answers, loading and memory grow with the corpus.

    python -m benchmarks.bench_scale [--scales 1,10,100] [--no-answers] [--rebuild]

A synthetic corpus of 1×, 10× and 100× the real one (212 passages; see
``benchmarks/synthetic.py``) is written to a Chroma index once and cached in
``.cache/bench-scale/``. Each scale is then measured in a fresh process, so
load time and peak memory are those of a server that opens that index:
warm search p50/p95, extractive answer p50/p95, the time to open the index
(and to prepare the answer engine), and peak resident memory, which includes
the real e5 model because a server holds it to embed questions, while serving
and while swapping to a new build (two builds in memory for a moment). The passages
are embedded with a hashed bag of words of the same dimension (384), not with
e5 (hours for 20,000 passages on two cores); the output says so.

Targets (issue 17): at 100× warm search p50 ≤ 100 ms and memory ≤ 1.5 GB.
Every child process has a timeout: the benchmark never hangs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from opgavewijzer.settings import PROJECT_ROOT, Settings

CACHE = PROJECT_ROOT / ".cache" / "bench-scale"
REPORT = PROJECT_ROOT / "reports" / "bench-scale.json"
DATASET = PROJECT_ROOT / "eval" / "datasets" / "dev.jsonl"
SEARCH_QUESTIONS = 60  # the dev questions, all kinds (misspelled ones exercise typo correction)
ANSWER_QUESTIONS = 30
WRITE_BATCH = 1024
MEASURE_TIMEOUT_S = 900
TARGET_SEARCH_P50_MS = 100.0
TARGET_MEMORY_MB = 1536.0
EMBEDDER_NOTE = ("passages and questions are embedded with a hashed bag of words (384 dimensions, the size of "
                 "multilingual-e5-small's vectors), not with e5: embedding 21,000 passages with e5 takes hours on "
                 "two cores. Search cost depends on the number and size of the vectors, not on how they were made; "
                 "embedding a question with e5 adds e5_query_ms per search, and an extractive answer also embeds "
                 "a shortlist of up to 8 sentences (about 15 ms each, cached), whatever the corpus size.")


def _settings(data_dir: Path) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, corpus_dir=PROJECT_ROOT / "corpus")


def _questions() -> list[str]:
    rows = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def _stamp(passages: int) -> dict[str, int]:
    from benchmarks.synthetic import GENERATOR_VERSION

    return {"passages": passages, "generator": GENERATOR_VERSION}


# --- child: build one synthetic index ------------------------------------------


def build(data_dir: Path, passages: int) -> dict[str, Any]:
    """Write the synthetic corpus of ``passages`` passages as one active build."""
    from benchmarks.synthetic import BigramModel, HashEmbedder, SyntheticCorpus, corpus_texts
    from ingest.chunking import ChunkedDocument
    from ingest.sentences import with_sentences
    from kb.retriever import passage_text
    from kb.store import ChromaStore, DocumentRecord, IndexInfo
    from kb.types import SourceInfo

    started = time.perf_counter()
    settings = _settings(data_dir)
    store = ChromaStore(settings)
    embedder = HashEmbedder()
    corpus = SyntheticCorpus(BigramModel.train(corpus_texts(settings.corpus_dir)), passages)
    collection = store.new_build()
    docs: dict[str, list] = {}
    batch: list = []

    def flush() -> None:
        store.add(collection, batch, embedder.embed_passages([passage_text(c) for c in batch]))
        batch.clear()

    for doc_id, group in itertools.groupby(corpus.chunks(), key=lambda c: c.doc_id):
        raw = list(group)
        # As the ingest does: every passage records its sentences and their roles (answers quote those).
        source = SourceInfo(doc_id=doc_id, file=f"{doc_id}.txt", title=raw[0].title)
        chunks = with_sentences(ChunkedDocument(source, "\n\n".join(c.text for c in raw), tuple(raw))).chunks
        docs[doc_id] = list(chunks)
        batch.extend(chunks)
        if len(batch) >= WRITE_BATCH:
            flush()
    if batch:
        flush()
    records = {
        d: DocumentRecord(d, f"{d}.txt", cs[0].title, "synthetic", len(cs), sum(c.word_count for c in cs))
        for d, cs in docs.items()
    }
    store.activate(IndexInfo(collection, embedder.name, "synthetic", time.strftime("%Y-%m-%dT%H:%M:%S"),
                             records, extras={"bench": _stamp(passages)}))
    (data_dir / "bench-stamp.json").write_text(json.dumps(_stamp(passages)), encoding="utf-8")
    return {"passages": passages, "documents": len(records), "write_s": time.perf_counter() - started}


# --- child: measure one index --------------------------------------------------


def measure(data_dir: Path, answers: bool) -> dict[str, Any]:
    """Open the index as a server would and time searches and answers; peak memory at the end."""
    from benchmarks.synthetic import HashEmbedder
    from kb.embeddings import E5Embedder
    from kb.knowledge_base import KnowledgeBase

    settings = _settings(data_dir)
    questions = _questions()
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    figures["load_s"] = time.perf_counter() - started
    figures["passages"] = len(kb.chunks)
    for q in questions[:5]:
        kb.search(q)  # warm-up: first queries load Chroma's vector index into memory
    searches = []
    for q in questions[:SEARCH_QUESTIONS]:
        t = time.perf_counter()
        kb.search(q)
        searches.append((time.perf_counter() - t) * 1000)
    figures["search_p50_ms"] = statistics.median(searches)
    figures["search_p95_ms"] = _pct(searches, 0.95)
    if answers:
        figures.update(_measure_answers(settings, kb, questions))
    e5 = E5Embedder(threads=1)
    e5.embed_queries(["opwarmen"])
    times = []
    for q in questions[:10]:
        t = time.perf_counter()
        e5.embed_queries([q])
        times.append((time.perf_counter() - t) * 1000)
    figures["e5_query_ms"] = statistics.median(times)
    figures["peak_rss_mb"] = _peak_mb()
    if answers:
        # While a server swaps builds it holds two: load the same build a second time, with the
        # answer engine's view of it, next to the first one (both stay referenced until measured).
        from assistant.answer.index_view import IndexView
        from assistant.answer.overview_intent import load_intent_weights
        from assistant.answer.ranker import RankerWeights, SentenceRanker

        second = KnowledgeBase(settings, embedder=kb.embedder)
        view = IndexView.build(second, settings.retrieval.stemmer, SentenceRanker(RankerWeights.load(settings.answer.ranker_weights)),
                               load_intent_weights(settings.answer.overview_weights))
        figures["swap_peak_rss_mb"] = _peak_mb()
        del second, view
    return figures


def _measure_answers(settings: Settings, kb: Any, questions: list[str]) -> dict[str, float]:
    from assistant.answer.engine import Assistant

    # Hashed vectors give similarities unlike e5's, so the calibrated refusal threshold would
    # refuse most questions, and a refusal costs less than an answer: every question is answered.
    assistant = Assistant(settings.override(answer__refusal_threshold=0.0, answer__refusal_threshold_en=0.0), kb)
    started = time.perf_counter()
    assistant.index_state()  # what the engine derives from a build (term weights, speller, lists)
    prepare_s = time.perf_counter() - started
    assistant.answer(questions[0], mode="extractive")
    times, refused = [], 0
    for q in questions[1 : ANSWER_QUESTIONS + 1]:
        t = time.perf_counter()
        answer = assistant.answer(q, mode="extractive")
        if answer.refused:  # a question judged off topic (hashed vectors): a refusal costs less, so not timed
            refused += 1
        else:
            times.append((time.perf_counter() - t) * 1000)
    return {"engine_prepare_s": prepare_s, "answer_p50_ms": statistics.median(times),
            "answer_p95_ms": _pct(times, 0.95), "answers_timed": len(times), "answers_refused": refused}


# --- parent: orchestrate, print, write -----------------------------------------


def _child(args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.bench_scale", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s: {' '.join(args)}"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["exit code " + str(done.returncode)])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cached(data_dir: Path, passages: int) -> bool:
    """True if ``data_dir`` holds a finished index of this size from this generator.

    The stamp file is written by the build child after activation, so the parent
    never opens the store itself while a child uses it.
    """
    stamp = data_dir / "bench-stamp.json"
    return stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == _stamp(passages)


def run_scale(scale: int, answers: bool, rebuild: bool) -> dict[str, Any]:
    """Build (or reuse) the index of one scale and measure it in a fresh process."""
    from benchmarks.synthetic import REAL_PASSAGES

    passages = REAL_PASSAGES * scale
    data_dir = CACHE / f"x{scale}"
    row: dict[str, Any] = {"scale": scale, "passages": passages}
    if rebuild or not _cached(data_dir, passages):
        if data_dir.exists():
            import shutil

            shutil.rmtree(data_dir)
        built = _child(["build", "--data", str(data_dir), "--passages", str(passages)], timeout=120 + passages * 0.2)
        row.update({"write_s": built.get("write_s"), **({"error": built["error"]} if "error" in built else {})})
        if "error" in built:
            return row
    row.update(_child(["measure", "--data", str(data_dir)] + ([] if answers else ["--no-answers"]), MEASURE_TIMEOUT_S))
    return row


def _fmt(value: Any, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def print_table(rows: list[dict[str, Any]]) -> None:
    """One line per scale, with the targets checked at 100×."""
    print(f"{'scale':>5} {'passages':>9} {'load s':>7} {'engine s':>8} {'search p50':>10} {'p95 ms':>7} "
          f"{'answer p50':>10} {'p95 ms':>7} {'peak MB':>8} {'in swap':>8}")
    for r in rows:
        if "error" in r:
            print(f"{r['scale']:>4}× {r['passages']:>9,} error: {r['error']}")
            continue
        print(f"{r['scale']:>4}× {r['passages']:>9,} {_fmt(r.get('load_s'), 2):>7} {_fmt(r.get('engine_prepare_s'), 2):>8} "
              f"{_fmt(r.get('search_p50_ms')):>10} {_fmt(r.get('search_p95_ms')):>7} "
              f"{_fmt(r.get('answer_p50_ms')):>10} {_fmt(r.get('answer_p95_ms')):>7} {_fmt(r.get('peak_rss_mb'), 0):>8} "
              f"{_fmt(r.get('swap_peak_rss_mb'), 0):>8}")
    e5 = [r["e5_query_ms"] for r in rows if "e5_query_ms" in r]
    if e5:
        print(f"embedding one question with e5: {statistics.median(e5):.1f} ms (not in 'search': see the note)")
    print("note:", EMBEDDER_NOTE)
    top = next((r for r in rows if r["scale"] == 100 and "error" not in r), None)
    if top:
        ok_search = top["search_p50_ms"] <= TARGET_SEARCH_P50_MS
        ok_mem = max(top["peak_rss_mb"], top.get("swap_peak_rss_mb", 0.0)) <= TARGET_MEMORY_MB
        print(f"targets at 100×: search p50 ≤ {TARGET_SEARCH_P50_MS:.0f} ms {'met' if ok_search else 'MISSED'}; "
              f"memory ≤ {TARGET_MEMORY_MB:.0f} MB {'met' if ok_mem else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    """Parent: every scale in turn, then the table and the JSON report. Children: build or measure."""
    parser = argparse.ArgumentParser(prog="bench_scale")
    parser.add_argument("command", nargs="?", default="run", choices=("run", "build", "measure"))
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--passages", type=int)
    parser.add_argument("--no-answers", action="store_true", help="search only (no answer engine)")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached synthetic indexes")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    if args.command == "build":
        print(json.dumps(build(args.data, args.passages)))
        return 0
    if args.command == "measure":
        print(json.dumps(measure(args.data, not args.no_answers)))
        return 0
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        print(f"{scale}×: building or reusing the index, then measuring in a fresh process …", flush=True)
        rows.append(run_scale(scale, not args.no_answers, args.rebuild))
    print_table(rows)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({"embedder_note": EMBEDDER_NOTE, "load_avg_1m": os.getloadavg()[0],
                                  "cpus": os.cpu_count(), "rows": rows}, indent=2), encoding="utf-8")
    print(f"written: {REPORT.relative_to(PROJECT_ROOT)}")
    return 0 if all("error" not in r for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
