"""Language-model backends, built explicitly from the settings.

Two llama-index classes cover every deployment the project supports:
``OpenAILike`` for any OpenAI-compatible endpoint (vLLM, llama.cpp server, LM
Studio, Azure OpenAI, ``transformers serve``) and ``Ollama``. Both are given
their model, URL, key, timeout, temperature and token limit here, and
llama-index's global ``Settings`` is never read or written: a missing URL is a
configuration error, never a silent fall-back to api.openai.com.
"""

from __future__ import annotations

from typing import Any, Iterator, Protocol

from opgavewijzer.errors import ConfigError, LLMError
from opgavewijzer.settings import Settings

LLM_MODES = ("openai", "ollama")
ANSWER_MODES = ("extractive", *LLM_MODES)  # every way an answer can be written


class LLM(Protocol):
    """What the assistant needs from a language model."""

    @property
    def label(self) -> str:
        """Human-readable backend description, e.g. 'openai: qwen2.5 @ http://…/v1'."""
        ...

    def complete(self, system: str, prompt: str) -> str:
        """The whole reply to one system + user message."""
        ...

    def stream(self, system: str, prompt: str) -> Iterator[str]:
        """The reply to one system + user message, piece by piece."""
        ...


def _is_unreachable(exc: BaseException) -> bool:
    """True for errors that mean 'no answer came' (refused, timed out), not 'the server said no'."""
    import httpx
    import openai

    if isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError, TimeoutError)):
        return True
    cause = exc.__cause__ or exc.__context__
    return cause is not None and cause is not exc and _is_unreachable(cause)


class LlamaIndexLLM:
    """A llama-index LLM behind the :class:`LLM` protocol, with errors that name the server."""

    def __init__(self, llm: Any, label: str, url: str) -> None:
        self._llm = llm
        self._label = label
        self.url = url

    @property
    def label(self) -> str:
        """See :class:`LLM`."""
        return self._label

    def _error(self, exc: Exception) -> LLMError:
        detail = str(exc).strip() or type(exc).__name__
        if _is_unreachable(exc):
            return LLMError(f"LLM op {self.url} reageert niet: {detail}")
        return LLMError(f"LLM op {self.url} gaf een fout: {detail}")

    def _messages(self, system: str, prompt: str) -> list[Any]:
        from llama_index.core.llms import ChatMessage, MessageRole

        return [ChatMessage(role=MessageRole.SYSTEM, content=system), ChatMessage(role=MessageRole.USER, content=prompt)]

    def complete(self, system: str, prompt: str) -> str:
        """See :class:`LLM`."""
        try:
            response = self._llm.chat(self._messages(system, prompt))
        except Exception as exc:  # the client libraries raise many types; each means "no usable reply"
            raise self._error(exc) from exc
        return str(response.message.content or "")

    def stream(self, system: str, prompt: str) -> Iterator[str]:
        """See :class:`LLM`."""
        try:
            for part in self._llm.stream_chat(self._messages(system, prompt)):
                if part.delta:
                    yield part.delta
        except Exception as exc:
            raise self._error(exc) from exc


def llm_configured(settings: Settings, mode: str) -> bool:
    """True if ``mode`` names an LLM backend whose model and URL are set."""
    return mode in LLM_MODES and bool(settings.llm.model.strip()) and bool(settings.llm.base_url.strip())


def build_llm(settings: Settings, mode: str) -> LlamaIndexLLM:
    """The LLM for ``mode`` ('openai' or 'ollama'), or :class:`ConfigError` saying what is missing."""
    if mode not in LLM_MODES:
        raise ConfigError(f"antwoordmodus '{mode}' gebruikt geen taalmodel (kies openai of ollama)")
    missing = [name for name, value in (("OPGAVEWIJZER_LLM__MODEL", settings.llm.model), ("OPGAVEWIJZER_LLM__BASE_URL", settings.llm.base_url)) if not value.strip()]
    if missing:
        raise ConfigError(
            f"antwoordmodus '{mode}' vraagt een taalmodel, maar {' en '.join(missing)} is niet ingesteld; "
            "gebruik --mode extractive of stel het taalmodel in"
        )
    url = settings.llm.base_url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"OPGAVEWIJZER_LLM__BASE_URL '{url}' is geen http(s)-adres")
    model = settings.llm.model.strip()
    if mode == "openai":
        from llama_index.llms.openai_like import OpenAILike

        llm: Any = OpenAILike(
            model=model,
            api_base=url,
            api_key=settings.llm.api_key.get_secret_value() or "not-needed",
            timeout=settings.llm.timeout_s,
            temperature=settings.llm.temperature,
            max_tokens=settings.llm.max_tokens,
            max_retries=0,  # a retry would multiply the timeout the maintainer configured
            is_chat_model=True,
            is_function_calling_model=False,
        )
    else:
        from llama_index.llms.ollama import Ollama

        llm = Ollama(
            model=model,
            base_url=url,
            request_timeout=settings.llm.timeout_s,
            temperature=settings.llm.temperature,
            additional_kwargs={"num_predict": settings.llm.max_tokens},
        )
    return LlamaIndexLLM(llm, f"{mode}: {model} @ {url}", url)
