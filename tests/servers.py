"""Real servers started on 127.0.0.1 for tests, and stopped afterwards."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import pytest


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


# --- PostgreSQL ---------------------------------------------------------------

PG_ROLE = "opgavewijzer"  # the database superuser of a test cluster, and the database's name
PG_SYSTEM_USER = "opgavewijzer-pg"  # made when running as root and Debian's 'postgres' user is absent


def postgres_bin() -> Path | None:
    """The folder with ``initdb`` and ``postgres`` from Debian's ``postgresql`` package (newest version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _postgres_user() -> dict[str, object]:
    """``subprocess`` arguments that run the server's programs as a system user when we are root.

    PostgreSQL refuses to run as root. Debian's package makes the user 'postgres';
    where it is absent, a system user is made. The programs are started as that
    user directly (not through a wrapper), so that a signal reaches the server itself.
    """
    if os.geteuid() != 0:
        return {}
    for user in ("postgres", PG_SYSTEM_USER):
        try:
            entry = pwd.getpwnam(user)
            break
        except KeyError:
            continue
    else:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER],
                       check=True, capture_output=True, timeout=30)
        entry = pwd.getpwnam(PG_SYSTEM_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def wait_tcp(host: str, port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    """Poll until something accepts TCP connections on ``host:port`` or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{host}:{port} did not accept connections within {timeout} s")


@contextmanager
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL cluster in a fresh temporary folder on a free port; yields its asyncpg URL.

    ``initdb`` makes the cluster (trust authentication, reachable on 127.0.0.1
    only), ``postgres`` serves it, and the folder is removed afterwards. Raises
    ``FileNotFoundError`` when the binaries are missing (callers skip then).
    """
    pg_bin = postgres_bin()
    if pg_bin is None:
        raise FileNotFoundError("PostgreSQL's initdb was not found (install Debian's 'postgresql' package)")
    as_user = _postgres_user()
    # Not under pytest's own temp folder: that one is private to root, and the server runs as another user.
    folder = Path(tempfile.mkdtemp(prefix="opgavewijzer-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if as_user:
        for path in (folder, sockets):
            os.chown(path, as_user["user"], as_user["group"])  # type: ignore[arg-type]
    port = free_port()
    try:
        subprocess.run([str(pg_bin / "initdb"), "-D", str(data), "-U", PG_ROLE, "--auth=trust", "-E", "UTF8",
                        "--locale=C", "--no-sync"], check=True, capture_output=True, timeout=120, **as_user)  # type: ignore[call-overload]
        cmd = [str(pg_bin / "postgres"), "-D", str(data), "-k", str(sockets), "-p", str(port),
               "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=50"]
        with (folder / "postgres.log").open("wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, **as_user)  # type: ignore[call-overload]
        try:
            wait_tcp("127.0.0.1", port, 60, proc)
            _wait_ready(pg_bin, port, proc)
            subprocess.run([str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", PG_ROLE, PG_ROLE],
                           check=True, capture_output=True, timeout=60)
            yield f"postgresql+asyncpg://{PG_ROLE}@127.0.0.1:{port}/{PG_ROLE}"
        finally:
            proc.send_signal(signal.SIGINT)  # PostgreSQL's "fast shutdown"
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _wait_ready(pg_bin: Path, port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    """The port opens before recovery ends; pg_isready says when connections are accepted."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"postgres exited early with code {proc.returncode}")
        ready = subprocess.run([str(pg_bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                               capture_output=True, timeout=30)
        if ready.returncode == 0:
            return
        time.sleep(0.2)
    raise TimeoutError(f"PostgreSQL on port {port} was not ready within {timeout} s")


def fresh_database(server_url: str) -> str:
    """A new, empty database on the PostgreSQL server of ``server_url``; its URL (same user, driver)."""
    import secrets

    from sqlalchemy.engine import make_url

    from ui.chat_db import run_blocking

    name = f"t_{secrets.token_hex(4)}"
    url = make_url(server_url)

    async def create() -> None:
        import asyncpg

        conn = await asyncpg.connect(host=url.host, port=url.port, user=url.username, database=url.database)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    run_blocking(create)
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the test session (import this fixture where it is used)."""
    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (Debian package 'postgresql'; 'make test' installs it)")
    with postgres_server() as url:
        yield url
