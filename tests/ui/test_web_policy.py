"""The page policy of the chat server: nothing from outside hosts, no foreign origins.

The middleware is driven here as a plain ASGI app around a small inner app;
the browser tests check the same on the real server by recording requests.
"""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

from ui.web_policy import CONTENT_SECURITY_POLICY, LocalOnly, origin_allowed, strip_external

# Located without importing Chainlit, which would create folders in the working directory.
CHAINLIT_PAGE = Path(importlib.util.find_spec("chainlit").origin).parent / "frontend" / "dist" / "index.html"  # type: ignore[arg-type, union-attr]
from tests.browser import run_async


def test_chainlits_own_page_keeps_its_scripts_and_loses_every_outside_link() -> None:
    page = CHAINLIT_PAGE.read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" in page and "fonts.googleapis.com" in page  # what there is to remove
    cleaned = strip_external(page)
    assert "cdn.jsdelivr.net" not in cleaned
    assert "fonts.g" not in cleaned
    assert '<script type="module" crossorigin src="/assets/' in cleaned
    assert '<link rel="stylesheet" crossorigin href="/assets/' in cleaned


def test_origins() -> None:
    assert origin_allowed("http://127.0.0.1:8123", "127.0.0.1:8123", [])
    assert not origin_allowed("http://127.0.0.1:9999", "127.0.0.1:8123", [])
    assert not origin_allowed("https://evil.example", "127.0.0.1:8123", ["http://localhost:8000"])
    assert origin_allowed("http://localhost:8000", "10.0.0.5:8000", ["http://localhost:8000"])
    assert not origin_allowed("null", "127.0.0.1:8123", [])


def run_asgi(app: LocalOnly, scope: dict) -> list[dict]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

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


def scope(kind: str = "http", origin: str | None = None) -> dict:
    headers = [(b"host", b"127.0.0.1:8123")]
    if origin:
        headers.append((b"origin", origin.encode()))
    return {"type": kind, "path": "/", "headers": headers}


PAGE = b'<html><head><link rel="preconnect" href="https://fonts.googleapis.com" /><title>x</title></head></html>'


def test_html_is_rewritten_with_a_matching_length_and_a_csp() -> None:
    for encoding, body in ((None, PAGE), (b"gzip", gzip.compress(PAGE))):
        start, chunk = run_asgi(LocalOnly(html_app(body, encoding)), scope())
        headers = dict(start["headers"])
        assert chunk["body"] == b"<html><head><title>x</title></head></html>"
        assert headers[b"content-length"] == str(len(chunk["body"])).encode()
        assert b"content-encoding" not in headers
        assert headers[b"content-security-policy"] == CONTENT_SECURITY_POLICY.encode()
        assert "default-src 'self'" in CONTENT_SECURITY_POLICY


def test_requests_and_sockets_from_a_foreign_origin_are_refused() -> None:
    called: list[str] = []

    async def inner(scope, receive, send) -> None:  # noqa: ANN001
        called.append(scope["type"])

    app = LocalOnly(inner, allow_origins=["http://localhost:8000"])
    refused = run_asgi(app, scope("http", "https://evil.example"))
    assert refused[0]["status"] == 403 and refused[1]["body"] == b"origin not allowed"
    assert run_asgi(app, scope("websocket", "https://evil.example")) == [{"type": "websocket.close", "code": 1008}]
    assert called == []
    run_asgi(app, scope("websocket", "http://127.0.0.1:8123"))
    run_asgi(app, scope("http", "http://localhost:8000"))
    assert called == ["websocket", "http"]
