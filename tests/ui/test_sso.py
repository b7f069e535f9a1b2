"""Single sign-on against a real OpenID Connect provider, and header login behind a trusted proxy.

The provider is ``oidc-provider-mock`` running as its own server on
127.0.0.1 (authorization code flow, token and user-info endpoints, users
with claims); the chat server uses Chainlit's generic OAuth provider,
configured by Chainlit's own ``OAUTH_GENERIC_*`` variables.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.browser import ChatServer, Visitor, chat_server, chromium  # noqa: F401  (fixture)
from tests.servers import background, free_port

pytestmark = pytest.mark.slow

ANNA = {"sub": "anna@min.example", "email": "anna@min.example", "name": "Anna de Vries",
        "roles": ["medewerker", "opgavewijzer-beheerder"]}
KEES = {"sub": "kees@min.example", "email": "kees@min.example", "name": "Kees", "roles": ["medewerker"]}


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> str:  # noqa: ANN001
    """A real OIDC provider on a free local port, with two users and their claims."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port),
           "--user-claims", json.dumps(ANNA), "--user-claims", json.dumps(KEES)]
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with background(cmd, f"{url}/.well-known/openid-configuration", 60, log):
        yield url


@pytest.fixture(scope="module")
def sso_server(tiny_settings, provider, tmp_path_factory):  # noqa: ANN001, ANN201
    config = httpx.get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
    env = {"OPGAVEWIJZER_UI__LOGIN": "oidc", "OAUTH_GENERIC_CLIENT_ID": "opgavewijzer",
           "OAUTH_GENERIC_CLIENT_SECRET": "geheim-van-de-client", "OAUTH_GENERIC_SCOPES": "openid email profile",
           "OAUTH_GENERIC_AUTH_URL": config["authorization_endpoint"], "OAUTH_GENERIC_TOKEN_URL": config["token_endpoint"],
           "OAUTH_GENERIC_USER_INFO_URL": config["userinfo_endpoint"]}
    with chat_server(tiny_settings, tmp_path_factory.mktemp("sso"), **env) as running:
        yield running


def sso_login(server: ChatServer, sub: str) -> httpx.Client:
    """The authorization code flow as a browser follows it; returns the client holding the login cookie."""
    client = httpx.Client(timeout=30)
    start = client.get(f"{server.url}/auth/oauth/generic")
    assert start.status_code in (302, 307), start.text
    authorize = start.headers["location"]
    chosen = client.post(authorize, data={"sub": sub})  # the provider's consent form, as the user submits it
    assert chosen.status_code == 302, chosen.text
    callback = client.get(urljoin(server.url, chosen.headers["location"]))
    assert callback.status_code == 302 and callback.headers["location"].startswith("/login/callback"), callback.text
    return client


def test_single_sign_on_through_the_real_provider_takes_the_role_from_the_claims(sso_server: ChatServer) -> None:
    assert httpx.get(f"{sso_server.url}/auth/config", timeout=30).json()["oauthProviders"] == ["generic"]
    anna = sso_login(sso_server, ANNA["sub"])
    user = anna.get(f"{sso_server.url}/user").json()
    assert (user["identifier"], user["display_name"], user["metadata"]["role"]) == (
        "anna@min.example", "Anna de Vries", "beheerder")
    kees = sso_login(sso_server, KEES["sub"])
    assert kees.get(f"{sso_server.url}/user").json()["metadata"]["role"] == "gebruiker"
    # One account record per person, which every server on the chat database and the command line see.
    listed = subprocess.run([str(Path(sys.executable).with_name("opgavewijzer")), "users", "list"], env=sso_server.env,
                            cwd=sso_server.log.parent, capture_output=True, text=True, timeout=60)
    lines = [re.sub(r" sinds \S+", "", " ".join(line.split())) for line in listed.stdout.splitlines()]
    assert lines == ["Anna de Vries beheerder (single sign-on: generic)",
                     "Beheerder beheerder (uit OPGAVEWIJZER_UI__MAINTAINER_PASSWORD)",
                     "Kees gebruiker (single sign-on: generic)"]
    # No password login in this mode, and logging out ends the session.
    assert httpx.post(f"{sso_server.url}/login", data={"username": "kees", "password": "x" * 10},
                      timeout=30).status_code == 400
    anna.post(f"{sso_server.url}/logout")
    token = anna.cookies.get("access_token")
    assert token is None or httpx.get(f"{sso_server.url}/user", cookies={"access_token": token}, timeout=30).status_code == 401


def test_a_forged_callback_without_the_state_cookie_logs_nobody_in(sso_server: ChatServer) -> None:
    client = httpx.Client(timeout=30)
    start = client.get(f"{sso_server.url}/auth/oauth/generic")
    chosen = client.post(start.headers["location"], data={"sub": ANNA["sub"]})
    stranger = httpx.Client(timeout=30)  # someone else's browser, given the link
    callback = stranger.get(urljoin(sso_server.url, chosen.headers["location"]))
    assert "access_token" not in callback.cookies and "error=oauthSignin" in callback.headers["location"]


@pytest.mark.browser
def test_single_sign_on_in_the_browser(chromium, provider: str, sso_server: ChatServer) -> None:  # noqa: ANN001, F811
    visitor = Visitor(chromium, sso_server)
    page = visitor.page
    from_chat: list[str] = []  # hosts asked for by the chat's own pages (the provider's test page uses a CDN)
    page.on("request", lambda r: from_chat.append(urlsplit(r.url).netloc)
            if urlsplit(r.frame.url).netloc == urlsplit(sso_server.url).netloc else None)
    page.goto(sso_server.url)
    page.get_by_role("button", name="generic").click()  # "Doorgaan met generic"
    page.get_by_role("button", name=ANNA["sub"], exact=True).click()  # the provider's page
    page.wait_for_selector("#chat-input")
    # The claims made Anna a maintainer: the chat offers her the upload button.
    page.get_by_role("button", name="Document toevoegen", exact=True).last.wait_for(state="visible")
    assert set(from_chat) <= {urlsplit(sso_server.url).netloc, urlsplit(provider).netloc}
    visitor.close()


@pytest.fixture(scope="module")
def header_server(tiny_settings, tmp_path_factory):  # noqa: ANN001, ANN201
    env = {"OPGAVEWIJZER_UI__LOGIN": "header", "OPGAVEWIJZER_UI__TRUSTED_PROXIES": '["127.0.0.1"]'}
    with chat_server(tiny_settings, tmp_path_factory.mktemp("header"), **env) as running:
        yield running


def test_header_login_is_believed_from_the_trusted_proxy_only(header_server: ChatServer) -> None:
    headers = {"X-Forwarded-User": "jan@min.example", "X-Forwarded-Groups": "medewerker, opgavewijzer-beheerder"}
    proxy = httpx.Client(timeout=30)  # connects from 127.0.0.1, the trusted proxy
    assert proxy.post(f"{header_server.url}/auth/header", headers=headers).status_code == 200
    assert proxy.get(f"{header_server.url}/user").json()["metadata"]["role"] == "beheerder"
    # Someone who reaches the server directly, from another address, and sends the same headers.
    direct = httpx.Client(timeout=30, transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    refused = direct.post(f"{header_server.url}/auth/header", headers=headers)
    assert refused.status_code == 403 and "access_token" not in refused.cookies
    assert refused.json()["detail"] == "Inloggen met een kopregel kan alleen via de vertrouwde proxy."
