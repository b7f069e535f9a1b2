"""Real servers started on 127.0.0.1 for tests, and stopped afterwards."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Poll ``url`` until it answers (any HTTP status) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextmanager
def background(cmd: Sequence[str], url: str, timeout: float, log: Path, **kwargs: object) -> Iterator[subprocess.Popen]:
    """Run a server process until the block ends; its output goes to ``log``."""
    with log.open("wb") as out:
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.STDOUT, **kwargs)  # type: ignore[call-overload]
        try:
            wait_http(url, timeout, proc)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def chroma_server(path: Path) -> Iterator[str]:
    """A real ``chroma run`` server on a free local port; yields its URL."""
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    url = f"http://127.0.0.1:{port}"
    with background([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                    f"{url}/api/v2/heartbeat", 30, path.parent / "chroma-server.log"):
        yield url
