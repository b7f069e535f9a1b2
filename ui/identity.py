"""Logins that another system vouches for: single sign-on (OIDC) and a reverse proxy's header.

The identity provider or the proxy says who someone is; the role follows
from the claim or header named in the settings (``oidc_role_claim``,
``header_groups``) holding ``maintainer_group``, or from the identifier
being listed in ``maintainers``. Everyone else is an ordinary user.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Iterable, Mapping

from opgavewijzer.settings import UISettings
from ui.auth import ROLE_MAINTAINER, ROLE_USER, Login

SOURCE_OIDC, SOURCE_HEADER = "oidc", "header"
_MAX_IDENTIFIER = 200


def claim(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted claim path such as ``realm_access.roles``; None if absent."""
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def as_groups(value: Any) -> set[str]:
    """Roles or groups as a set, from a list or a comma- or space-separated string."""
    if isinstance(value, str):
        return {g for g in value.replace(",", " ").split() if g}
    if isinstance(value, (list, tuple, set)):
        return {str(g).strip() for g in value if str(g).strip()}
    return set()


def role_for(identifier: str, groups: Iterable[str], ui: UISettings) -> str:
    """The maintainer role for a listed identifier or a member of ``maintainer_group``; else ordinary."""
    listed = {m.strip().lower() for m in ui.maintainers}
    if identifier.lower() in listed or (ui.maintainer_group and ui.maintainer_group in set(groups)):
        return ROLE_MAINTAINER
    return ROLE_USER


def _clean(identifier: Any) -> str | None:
    text = " ".join(str(identifier or "").split())
    return text if 0 < len(text) <= _MAX_IDENTIFIER and text.isprintable() else None


def oidc_login(provider: str, user_info: Mapping[str, Any], identifier: Any, ui: UISettings) -> Login | None:
    """The login for an OIDC user (``identifier`` as the provider configured it); None without one."""
    ident = _clean(identifier)
    if ident is None:
        return None
    display = _clean(user_info.get("name") or user_info.get("preferred_username")) or ident
    groups = as_groups(claim(user_info, ui.oidc_role_claim))
    return Login(ident.lower(), display, role_for(ident, groups, ui), f"{SOURCE_OIDC}:{provider}")


def header_login(headers: Mapping[str, str], ui: UISettings) -> Login | None:
    """The login for the user named in the proxy's header; None without one."""
    ident = _clean(headers.get(ui.header_user.lower()) or headers.get(ui.header_user))
    if ident is None:
        return None
    groups = as_groups(headers.get(ui.header_groups.lower()) or headers.get(ui.header_groups) or "")
    return Login(ident.lower(), ident, role_for(ident, groups, ui), SOURCE_HEADER)


def address_in(address: str, networks: Iterable[str]) -> bool:
    """True if ``address`` is one of ``networks`` (addresses or CIDR networks)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in networks:
        try:
            if ip in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(peer: str, forwarded_for: str, trusted: Iterable[str]) -> str:
    """The client behind trusted proxies: the last X-Forwarded-For entry that is not a trusted proxy."""
    trusted = list(trusted)
    if not forwarded_for or not address_in(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not address_in(hop, trusted):
            return hop
    return hops[0] if hops else peer
