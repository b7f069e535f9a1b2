"""The error hierarchy of the core.

The core raises these; only the edges (command line, chat UI) turn them into
messages for people. Every message names the thing that is wrong (a file, a
setting, a model) so that a maintainer can act on it without a stack trace.
"""

from __future__ import annotations

from pathlib import Path


class OpgavewijzerError(Exception):
    """Base class of every error the project raises on purpose."""


class ConfigError(OpgavewijzerError):
    """A setting is missing or has a value that cannot work."""


class ModelMissingError(ConfigError):
    """A configured model (embedding or LLM) is not present locally."""


class DocumentError(OpgavewijzerError):
    """One input document cannot be ingested; the others can still be."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class KnowledgeBaseError(OpgavewijzerError):
    """The index is missing, unreadable or inconsistent."""


class IndexMissingError(KnowledgeBaseError):
    """No index has been built yet for the configured store."""


class EmbeddingMismatchError(KnowledgeBaseError):
    """The index was built with another embedding model than the configured one."""


class StoreUnavailableError(KnowledgeBaseError):
    """The vector store (a Chroma server, a data directory) cannot be reached."""


class IngestBusyError(KnowledgeBaseError):
    """Another ingest, on this machine or another one, is writing to the same index."""

    def __init__(self, message: str, host: str = "?", since: str = "?") -> None:
        self.host = host  # where the other ingest runs
        self.since = since  # when it started (HH:MM:SS, that machine's clock)
        super().__init__(message)


class ChatStoreError(OpgavewijzerError):
    """The conversation database cannot be reached or set up."""


class AccountError(OpgavewijzerError):
    """A chat account cannot be made or changed as asked (a taken name, a short password, an unknown role)."""


class AssistantError(OpgavewijzerError):
    """Answering or drafting failed."""


class LLMError(AssistantError):
    """The configured language model failed or could not be reached."""


class PromptError(ConfigError):
    """A prompt file is missing or lacks a required variable."""
