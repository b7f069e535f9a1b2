"""Keeps the chat page on this server: nothing from outside, no foreign origins, no oversized bodies.

Chainlit's page links a KaTeX stylesheet on a CDN and preconnects to Google
Fonts (``theme.json`` only removes the font stylesheet itself). The
:class:`WebPolicy` middleware, in front of everything else:

- refuses requests and chat sockets whose ``Origin`` is not one of the
  allowed origins: the configured public URLs and this server's own
  address and actual port (:func:`allowed_origins`). ``Host`` plays no part,
  since whoever sends a forged ``Origin`` can send a matching ``Host`` too;
- refuses a request body larger than its path allows (413) from its
  ``Content-Length`` before reading it, and counts an undeclared one as it comes;
- removes every ``<link>`` to another host from the page, and sets a
  Content-Security-Policy that loads nothing from elsewhere and runs no
  inline script except Chainlit's own, allowed by their SHA-256 hashes
  (computed from the page as served, so a new Chainlit version keeps working).

:func:`install` adds this and the login gate (:mod:`ui.gate`) to Chainlit's app.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from typing import Any, Awaitable, Callable, Iterable
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException

from ui.gate import AuthGate, GateConfig, respond

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MB = 1024 * 1024
# Everything but an upload is a form, a JSON message or a socket.io packet of a few kB.
DEFAULT_BODY_MAX = 2 * MB
UPLOAD_OVERHEAD = MB  # the multipart envelope around an uploaded file
UPLOAD_PATH = "/project/file"
MSG_TOO_LARGE = "Het verzoek is te groot (meer dan {mb:.0f} MB)."
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
ALL_INTERFACES = ("0.0.0.0", "::", "")

_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'{hashes}",
    # Chainlit's React components set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    # Stored source passages and downloads come back as data: URLs (see ui.store).
    "connect-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]
OTHER_HEADERS = {b"x-content-type-options": b"nosniff", b"referrer-policy": b"same-origin"}
CSP = b"content-security-policy"

_EXTERNAL_LINK = re.compile(r"""\s*<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//[^>]*>""", re.IGNORECASE)
_EXTERNAL_META = re.compile(r"""\s*<meta\b[^>]*\bcontent\s*=\s*["']https?://[^>]*>""", re.IGNORECASE)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)


def content_security_policy(inline_scripts: Iterable[str] = ()) -> str:
    """The policy; the given inline scripts (their exact text) may run, no other."""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()}'" for s in inline_scripts
    )
    return "; ".join(_DIRECTIVES).format(hashes=hashes)


def inline_scripts(html: str) -> list[str]:
    """The text of every inline ``<script>`` of a page (those without ``src``)."""
    return _INLINE_SCRIPT.findall(html)


def strip_external(html: str) -> str:
    """The page without links (stylesheets, preconnects) and meta URLs that point to other hosts."""
    return _EXTERNAL_META.sub("", _EXTERNAL_LINK.sub("", html))


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, lower case, default ports left out; None if it is not http(s)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = 443 if parts.scheme == "https" else 80
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{host.lower()}{port}"


def allowed_origins(public_urls: Iterable[str], host: str, port: int) -> frozenset[str]:
    """The configured public URLs, and this server as bound: its host (or loopback names) on the actual port."""
    origins = {o for url in public_urls if (o := origin_of(url))}
    names = list(LOOPBACK) if host in ALL_INTERFACES or host in LOOPBACK or host == "::1" else []
    if host not in ALL_INTERFACES:
        names.append(f"[{host}]" if ":" in host and not host.startswith("[") else host)
    for name in names:
        for scheme in ("http", "https"):
            if origin := origin_of(f"{scheme}://{name}:{port}"):
                origins.add(origin)
    return frozenset(origins)


def origin_allowed(origin: str, allowed: Iterable[str]) -> bool:
    """True if the request's ``Origin`` is one of the allowed origins (never judged by ``Host``)."""
    normalised = origin_of(origin)
    return normalised is not None and normalised in set(allowed)


def body_limit(path: str, upload_max_mb: float) -> int:
    """The largest request body, in bytes, that ``path`` accepts."""
    if path.endswith(UPLOAD_PATH):
        return int(upload_max_mb * MB) + UPLOAD_OVERHEAD
    return DEFAULT_BODY_MAX


class _TooLarge(HTTPException):
    """The body went past its limit while it was read (FastAPI passes this status on as it is)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, MSG_TOO_LARGE.format(mb=limit / MB))


class WebPolicy:
    """ASGI middleware applying the policy above to every request of the chat server."""

    def __init__(self, app: ASGIApp, allow_origins: Iterable[str] = (), upload_max_mb: float = 20) -> None:
        self.app = app
        self.allow_origins = frozenset(allow_origins)
        self.upload_max_mb = upload_max_mb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        origin = headers.get(b"origin", b"").decode("latin-1")
        if origin and not origin_allowed(origin, self.allow_origins):
            await self._refuse(scope, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get("path", ""), self.upload_max_mb)
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await respond(send, 413, MSG_TOO_LARGE.format(mb=limit / MB))
            return
        await self._within_limit(scope, receive, _PageFilter(send), limit)

    async def _within_limit(self, scope: Scope, receive: Receive, send: "_PageFilter", limit: int) -> None:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge(limit)
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            if send.started:
                raise
            await respond(send.send, 413, MSG_TOO_LARGE.format(mb=limit / MB))

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
    """Wraps ``send``: adds the security headers, and rewrites HTML bodies (links, script hashes)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            drop = {CSP, *OTHER_HEADERS}
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in drop]
            headers += [*OTHER_HEADERS.items(), (CSP, content_security_policy().encode())]
            message = {**message, "headers": headers}
            content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            if content_type.startswith(b"text/html"):
                self.start = message  # hold it: the length and the policy change once the body is rewritten
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
        page = strip_external(raw.decode("utf-8"))
        body = page.encode("utf-8")
        drop = (b"content-length", b"content-encoding", CSP)
        headers = [(k, v) for k, v in self.start["headers"] if k.lower() not in drop]
        headers += [(b"content-length", str(len(body)).encode()), (CSP, content_security_policy(inline_scripts(page)).encode())]
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})


def install(app: Any, *, allow_origins: Iterable[str], upload_max_mb: float, gate: GateConfig) -> None:
    """Put the login gate and, in front of it, the web policy around Chainlit's app.

    Starlette builds its middleware stack on the first event it handles (the
    lifespan startup included) and refuses ``add_middleware`` from then on,
    so this must run before the server starts: ``ui/app.py`` calls it at
    import, which Chainlit does before it starts serving.
    """
    app.add_middleware(AuthGate, config=gate)  # added first: inner
    app.add_middleware(WebPolicy, allow_origins=tuple(allow_origins), upload_max_mb=upload_max_mb)  # outermost
