"""The page policy of the chat server: allowed origins, body limits, nothing from outside, script hashes.

The middleware is driven here as a plain ASGI app around a small inner app;
the server tests (``test_security_server.py``) and the browser tests check
the same on a real server.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
from pathlib import Path

from ui.web_policy import (DEFAULT_BODY_MAX, MB, WebPolicy, allowed_origins, body_limit, content_security_policy,
                           inline_scripts, origin_allowed, strip_external)
from tests.browser import run_async

# Located without importing Chainlit, which would create folders in the working directory.
CHAINLIT_PAGE = Path(importlib.util.find_spec("chainlit").origin).parent / "frontend" / "dist" / "index.html"  # type: ignore[arg-type, union-attr]


def test_chainlits_own_page_keeps_its_scripts_and_loses_every_outside_link() -> None:
    page = CHAINLIT_PAGE.read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" in page and "fonts.googleapis.com" in page  # what there is to remove
    cleaned = strip_external(page)
    assert "cdn.jsdelivr.net" not in cleaned
    assert "fonts.g" not in cleaned
    assert '<script type="module" crossorigin src="/assets/' in cleaned
    assert '<link rel="stylesheet" crossorigin href="/assets/' in cleaned


def test_allowed_origins_follow_the_public_urls_and_the_actual_port() -> None:
    local = allowed_origins([], "127.0.0.1", 8123)
    assert {"http://127.0.0.1:8123", "http://localhost:8123", "http://[::1]:8123"} <= local
    assert "http://localhost:8000" not in local
    public = allowed_origins(["https://Wijzer.Example.nl/chat/", "http://intern:80", "ftp://x"], "0.0.0.0", 8000)
    assert {"https://wijzer.example.nl", "http://intern", "http://localhost:8000"} <= public
    assert not any(o.startswith("ftp") for o in public)
    assert "http://10.0.0.5:8000" in allowed_origins([], "10.0.0.5", 8000)


def test_the_origin_is_judged_by_itself_never_by_the_host() -> None:
    allowed = allowed_origins([], "127.0.0.1", 8123)
    assert origin_allowed("http://127.0.0.1:8123", allowed)
    assert origin_allowed("HTTP://LOCALHOST:8123", allowed)
    assert not origin_allowed("http://127.0.0.1:9999", allowed)
    assert not origin_allowed("https://evil.example", allowed)
    assert not origin_allowed("null", allowed)


def test_script_hashes_allow_exactly_the_inline_scripts_of_the_page() -> None:
    page = '<script>window.a = 1;</script><script src="/x.js"></script><SCRIPT type="text/javascript">b()</SCRIPT>'
    assert inline_scripts(page) == ["window.a = 1;", "b()"]
    digest = base64.b64encode(hashlib.sha256(b"window.a = 1;").digest()).decode()
    policy = content_security_policy(inline_scripts(page))
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert script_src.startswith(f"script-src 'self' 'sha256-{digest}' 'sha256-")
    assert "unsafe" not in script_src and "unsafe" not in content_security_policy().split("; ")[1]


def run_asgi(app: WebPolicy, scope: dict, body: bytes = b"", chunk: int = 0) -> list[dict]:
    sent: list[dict] = []
    parts = [body[i:i + chunk] for i in range(0, len(body), chunk)] if chunk else [body]

    async def receive() -> dict:
        part = parts.pop(0) if parts else b""
        return {"type": "http.request", "body": part, "more_body": bool(parts)}

    async def send(message: dict) -> None:
        sent.append(message)

    run_async(app(scope, receive, send))
    return sent


def html_app(body: bytes, encoding: bytes | None = None):
    async def app(scope, receive, send) -> None:  # noqa: ANN001
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body[:10], "more_body": True})
        await send({"type": "http.response.body", "body": body[10:], "more_body": False})
    return app


def scope(kind: str = "http", origin: str | None = None, host: bytes = b"127.0.0.1:8123", path: str = "/",
          length: int | None = None) -> dict:
    headers = [(b"host", host)]
    if origin:
        headers.append((b"origin", origin.encode()))
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return {"type": kind, "path": path, "headers": headers, "method": "POST"}


PAGE = b'<html><head><link rel="preconnect" href="https://fonts.googleapis.com" /><script>x()</script></head></html>'
ALLOWED = allowed_origins([], "127.0.0.1", 8123)


def test_html_is_rewritten_with_a_matching_length_and_a_csp_for_its_own_scripts() -> None:
    for encoding, body in ((None, PAGE), (b"gzip", gzip.compress(PAGE))):
        start, chunk = run_asgi(WebPolicy(html_app(body, encoding), ALLOWED), scope())
        headers = dict(start["headers"])
        assert chunk["body"] == b"<html><head><script>x()</script></head></html>"
        assert headers[b"content-length"] == str(len(chunk["body"])).encode()
        assert b"content-encoding" not in headers
        assert headers[b"content-security-policy"] == content_security_policy(["x()"]).encode()


def test_requests_and_sockets_from_a_foreign_origin_are_refused_whatever_the_host_says() -> None:
    called: list[str] = []

    async def inner(scope, receive, send) -> None:  # noqa: ANN001
        called.append(scope["type"])

    app = WebPolicy(inner, ALLOWED)
    refused = run_asgi(app, scope("http", "http://evil.example", host=b"evil.example"))
    assert refused[0]["status"] == 403 and refused[1]["body"] == b"origin not allowed"
    assert run_asgi(app, scope("websocket", "http://evil.example", host=b"evil.example")) == [
        {"type": "websocket.close", "code": 1008}]
    assert called == []
    run_asgi(app, scope("websocket", "http://localhost:8123", host=b"anything"))
    run_asgi(app, scope("http"))  # no Origin: same-origin navigation, or a tool
    assert called == ["websocket", "http"]


def test_bodies_over_the_limit_are_refused_before_or_while_they_are_read() -> None:
    read: list[int] = []

    async def inner(scope, receive, send) -> None:  # noqa: ANN001
        while True:
            message = await receive()
            read.append(len(message["body"]))
            if not message["more_body"]:
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    app = WebPolicy(inner, ALLOWED, upload_max_mb=1)
    assert body_limit("/project/file", 1) == 2 * MB and body_limit("/login", 1) == DEFAULT_BODY_MAX
    declared = run_asgi(app, scope(path="/project/file", length=400 * MB))
    assert declared[0]["status"] == 413 and read == []  # refused from the header alone
    streamed = run_asgi(app, scope(path="/feedback"), body=b"x" * (DEFAULT_BODY_MAX + 1), chunk=64 * 1024)
    assert streamed[0]["status"] == 413 and sum(read) <= DEFAULT_BODY_MAX
    read.clear()
    fine = run_asgi(app, scope(path="/project/file"), body=b"x" * MB, chunk=64 * 1024)
    assert fine[0]["status"] == 200 and sum(read) == MB
