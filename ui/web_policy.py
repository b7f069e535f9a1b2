"""Keeps the chat page on this server: nothing fetched from outside, no foreign origins.

Chainlit's page links a KaTeX stylesheet on a CDN and preconnects to Google
Fonts (``theme.json`` only removes the font stylesheet itself). This ASGI
middleware removes every ``<link>`` to another host from the page, sets a
Content-Security-Policy that lets the browser load nothing from elsewhere,
and refuses requests and chat sockets whose ``Origin`` is neither the page's
own nor listed in ``allow_origins`` (Chainlit's socket accepts any origin,
and it carries the login cookie).
"""

from __future__ import annotations

import gzip
import re
from typing import Any, Awaitable, Callable, Iterable
from urllib.parse import urlsplit

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    # Chainlit's page sets its theme and globals in inline scripts.
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    # Stored source passages and downloads come back as data: URLs (see chat_store).
    "connect-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])
SECURITY_HEADERS = {
    b"content-security-policy": CONTENT_SECURITY_POLICY.encode(),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
}

_EXTERNAL_LINK = re.compile(r"""\s*<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//[^>]*>""", re.IGNORECASE)
_EXTERNAL_META = re.compile(r"""\s*<meta\b[^>]*\bcontent\s*=\s*["']https?://[^>]*>""", re.IGNORECASE)


def strip_external(html: str) -> str:
    """The page without links (stylesheets, preconnects) and meta URLs that point to other hosts."""
    return _EXTERNAL_META.sub("", _EXTERNAL_LINK.sub("", html))


def origin_allowed(origin: str, host: str, allowed: Iterable[str]) -> bool:
    """True for the page's own origin (same host and port as requested) or a configured one."""
    allowed = list(allowed)
    if "*" in allowed or origin in allowed:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host.lower()


class LocalOnly:
    """ASGI middleware applying the policy above to every request of the chat server."""

    def __init__(self, app: ASGIApp, allow_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.allow_origins = tuple(allow_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        origin = headers.get(b"origin", b"").decode("latin-1")
        if origin and not origin_allowed(origin, headers.get(b"host", b"").decode("latin-1"), self.allow_origins):
            await self._refuse(scope, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _PageFilter(send))

    @staticmethod
    async def _refuse(scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        body = b"origin not allowed"
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _PageFilter:
    """Wraps ``send``: adds the security headers, and rewrites HTML bodies."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in SECURITY_HEADERS]
            headers += list(SECURITY_HEADERS.items())
            message = {**message, "headers": headers}
            content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            if content_type.startswith(b"text/html"):
                self.start = message  # hold it: the length changes once the body is rewritten
                return
            await self.send(message)
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        raw = b"".join(self.chunks)
        encoding = next((v for k, v in self.start["headers"] if k.lower() == b"content-encoding"), b"")
        if encoding == b"gzip":  # Chainlit compresses inside this middleware; the page is small, send it plain
            raw = gzip.decompress(raw)
        body = strip_external(raw.decode("utf-8")).encode("utf-8")
        drop = (b"content-length", b"content-encoding")
        headers = [(k, v) for k, v in self.start["headers"] if k.lower() not in drop]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})
