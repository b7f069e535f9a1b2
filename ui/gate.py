"""The login side of the web policy: an ASGI middleware in front of Chainlit's routes.

Chainlit accepts any correctly signed token until it expires and offers no
hook to refuse one earlier. This gate does, before Chainlit sees a request:

- a token (cookie or bearer) counts only while its session is open in
  :mod:`ui.sessions` (read from the shared chat database at every request, so
  a logout or account change on any server holds here too); otherwise the
  credentials are taken off the request, so Chainlit treats it as not logged
  in (401, or a refused chat socket);
- an open chat socket is checked again at every frame the browser sends (a
  message, a button, the socket's keep-alive): once its login has ended, on
  any server, the frame is not passed on and the socket is closed;
- ``POST /login`` is throttled per name and per client address (429 with
  ``Retry-After`` and a Dutch message), counted before the password is checked,
  by all servers together;
- ``POST /logout`` ends the session of the token it carries;
- ``POST /auth/jwt`` is switched off: it would trade an old token for a fresh one;
- ``POST /auth/header`` is accepted only from a trusted proxy;
- ``PUT``/``DELETE /feedback`` go through only for the author of the conversation;
- ``POST /project/file`` without a valid login is answered 401 before its body is read.

The client address is taken from ``X-Forwarded-For`` only when the request
comes from a trusted proxy (``settings.ui.trusted_proxies``); the server is
started with uvicorn's own forwarding switched off, so that this is the one place.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Iterable

from starlette.requests import Request

from ui.access import Access
from ui.identity import address_in, client_address
from ui.sessions import Session
from ui.throttle import FREE_FAILURES_PER_ADDRESS, FREE_FAILURES_PER_NAME, Attempt, throttled_message

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# (identifier, method, JSON body) -> 0 to let it through, or the HTTP status to refuse it with.
FeedbackCheck = Callable[[str, str, Any], Awaitable[int]]

AUTH_COOKIE = "access_token"  # Chainlit's cookie; long tokens come as access_token_0, _1, …
SMALL_BODY = 64 * 1024  # a login form or a feedback comment; anything larger is not one

MSG_NOT_OWNER = "U kunt alleen feedback op uw eigen gesprekken geven of wijzigen."
MSG_NOT_FOUND = "Dit bericht of deze feedback bestaat niet."
MSG_PROXY_ONLY = "Inloggen met een kopregel kan alleen via de vertrouwde proxy."
MSG_NOT_LOGGED_IN = "Niet ingelogd."
MSG_TOO_LARGE = "Het verzoek is te groot."
MSG_REFUSED = {403: MSG_NOT_OWNER, 404: MSG_NOT_FOUND}


@dataclass(frozen=True)
class GateConfig:
    """What the gate needs besides the app: the access object (built on first use), the secret, proxies, checks."""

    access: Callable[[], Access]
    secret: Callable[[], str | None]
    trusted_proxies: tuple[str, ...]
    feedback_check: FeedbackCheck | None = None
    root_path: str = ""


def _is_auth_cookie(name: str) -> bool:
    return name == AUTH_COOKIE or (name.startswith(AUTH_COOKIE + "_") and name[len(AUTH_COOKIE) + 1:].isdigit())


def _cookies(header: str) -> list[tuple[str, str]]:
    pairs = []
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            pairs.append((name, value))
    return pairs


def token_from(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The login token of a request, as Chainlit reads it: the cookie (maybe in chunks), else a bearer header."""
    cookies: dict[str, str] = {}
    bearer = None
    for key, value in headers:
        if key == b"cookie":
            cookies.update(_cookies(value.decode("latin-1")))
        elif key == b"authorization":
            scheme, _, rest = value.decode("latin-1").partition(" ")
            bearer = rest.strip() if scheme.lower() == "bearer" else None
    if cookies.get(AUTH_COOKIE):
        return cookies[AUTH_COOKIE]
    chunks = []
    while (chunk := cookies.get(f"{AUTH_COOKIE}_{len(chunks)}")) is not None:
        chunks.append(chunk)
    return "".join(chunks) or bearer


def without_credentials(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers without the login cookie(s) and without an Authorization header."""
    kept = []
    for key, value in headers:
        if key == b"authorization":
            continue
        if key == b"cookie":
            rest = "; ".join(f"{n}={v}" for n, v in _cookies(value.decode("latin-1")) if not _is_auth_cookie(n))
            if not rest:
                continue
            value = rest.encode("latin-1")
        kept.append((key, value))
    return kept


async def respond(send: Send, status: int, detail: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    """A small JSON answer ``{"detail": …}``, as FastAPI gives its errors (the page shows the detail)."""
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


async def read_small_body(receive: Receive, limit: int = SMALL_BODY) -> bytes | None:
    """The whole request body, or None as soon as it passes ``limit`` bytes."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes) -> Receive:
    """A ``receive`` that hands over an already read body once."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class AuthGate:
    """ASGI middleware: see the module docstring."""

    def __init__(self, app: ASGIApp, config: GateConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", [])
        peer = (scope.get("client") or ("", 0))[0]
        forwarded = b", ".join(v for k, v in headers if k == b"x-forwarded-for").decode("latin-1")
        address = client_address(peer, forwarded, self.config.trusted_proxies)
        scope = {**scope, "client": (address, (scope.get("client") or ("", 0))[1])}
        token = token_from(headers)
        session = await self.config.access().session_of_async(token, self.config.secret()) if token else None
        if token and session is None:
            scope["headers"] = without_credentials(headers)
        if scope["type"] == "websocket":
            await self.app(scope, self._rechecked(receive, token) if session is not None else receive, send)
            return
        path, method = self._path(scope), scope.get("method", "GET")
        if path == "/auth/jwt":
            await respond(send, 404, "Not Found")
        elif path == "/auth/header" and not address_in(peer, self.config.trusted_proxies):
            await respond(send, 403, MSG_PROXY_ONLY)
        elif path == "/login" and method == "POST":
            await self._login(scope, receive, send, address)
        elif path == "/project/file" and method == "POST" and session is None:
            await respond(send, 401, MSG_NOT_LOGGED_IN)
        elif path == "/feedback" and method in ("PUT", "DELETE") and session is not None:
            await self._feedback(scope, receive, send, session, method)
        else:
            await self.app(scope, receive, send)
            if path == "/logout" and session is not None:
                await self.config.access().sessions.end_async(session.sid)

    def _rechecked(self, receive: Receive, token: str | None) -> Receive:
        """``receive`` of a chat socket that passes a frame on only while the socket's login is still open."""
        async def checked() -> Message:
            message = await receive()
            if message["type"] == "websocket.receive" and (
                    await self.config.access().session_of_async(token, self.config.secret()) is None):
                # To Chainlit the browser has left (it ends the chat session); the server then closes the socket.
                return {"type": "websocket.disconnect", "code": 1008}
            return message

        return checked

    def _path(self, scope: Scope) -> str:
        path = scope.get("path", "")
        root = self.config.root_path.rstrip("/")
        return path[len(root):] if root and path.startswith(root) else path

    async def _login(self, scope: Scope, receive: Receive, send: Send, address: str) -> None:
        body = await read_small_body(receive)
        if body is None:
            await respond(send, 413, MSG_TOO_LARGE)
            return
        form = await Request(scope, replay(body)).form()
        name = " ".join(str(form.get("username") or "").split()).lower()
        keys = [(f"addr:{address}", FREE_FAILURES_PER_ADDRESS)] + ([(f"name:{name}", FREE_FAILURES_PER_NAME)] if name else [])
        attempt = await self.config.access().throttle.begin_async(keys)
        if not isinstance(attempt, Attempt):
            await respond(send, 429, throttled_message(attempt), [(b"retry-after", str(max(1, math.ceil(attempt))).encode())])
            return
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, replay(body), watch)
        if status == 200:
            await self.config.access().throttle.succeeded_async(attempt, clear=[f"name:{name}"])

    async def _feedback(self, scope: Scope, receive: Receive, send: Send, session: Session, method: str) -> None:
        body = await read_small_body(receive)
        if body is None:
            await respond(send, 413, MSG_TOO_LARGE)
            return
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            payload = None
        refused = 403
        if self.config.feedback_check is not None and payload is not None:
            refused = await self.config.feedback_check(session.identifier, method, payload)
        if refused:
            await respond(send, refused, MSG_REFUSED.get(refused, MSG_NOT_OWNER))
            return
        await self.app(scope, replay(body), send)
