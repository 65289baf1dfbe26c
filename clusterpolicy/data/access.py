"""Who may do what: the access mode, a signed-in user's role, and the check every data change makes.

Three modes, settled from the deployment's configuration, never from the page:

- ``oidc``: an ``[auth]`` section configures an OpenID Connect provider; only signed-in users with a
  role see anything, and only data stewards change data.
- ``local``: no ``[auth]`` and the server listens on a loopback address only (the default in
  ``.streamlit/config.toml``): the person at the keyboard is the only possible user and is treated
  as a data steward.
- ``exposed``: no ``[auth]`` but the server listens on another address: anyone who reaches it sees
  the figures as a viewer, and no data change is possible from the browser.

Roles come from the ``[access]`` section of the secrets: a claim of the ID token (``groups`` by
default) matched against group names, or allow-lists of e-mail addresses. The functions that
change data (``importer.import_file``, ``store.restore_previous``) call ``audit.require_steward``
with the actor themselves; the command line passes ``Actor.command_line()``, whoever runs the server.
"""

from __future__ import annotations

import getpass
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

VIEWER = "viewer"
STEWARD = "steward"
ROLES = (VIEWER, STEWARD)
MODES = ("oidc", "local", "exposed")


class PermissionDenied(PermissionError):
    """A data change asked for by someone whose role does not allow it (already in the audit trail)."""

    def __init__(self, action: str, actor: Actor | None):
        self.action = action
        self.actor = actor
        who = (actor.email or actor.subject) if actor else "nobody"
        role = (actor.role if actor else None) or "no role"
        super().__init__(f"{action} refused: {who} ({role}) is not a data steward")


@dataclass(frozen=True)
class Actor:
    """Who asks: the provider's subject and e-mail, their role, and through which door (web, local, cli)."""

    role: str | None
    subject: str = ""
    email: str = ""
    name: str = ""
    via: str = "web"
    issuer: str = ""

    @property
    def is_steward(self) -> bool:
        return self.role == STEWARD

    @property
    def label(self) -> str:
        """How the actor is named on screen and in the trail: the name or e-mail, else the subject."""
        return self.name or self.email or self.subject or "?"

    @classmethod
    def command_line(cls) -> Actor:
        """Whoever runs the command line on the server: a data steward by definition."""
        user = _os_user()
        return cls(role=STEWARD, subject=f"os:{user}", name=user, via="cli")

    @classmethod
    def local(cls) -> Actor:
        """The only user of a server that listens on loopback without sign-in."""
        user = _os_user()
        return cls(role=STEWARD, subject=f"local:{user}", name=user, via="local")

    @classmethod
    def anonymous(cls) -> Actor:
        """A visitor of a server that is reachable from elsewhere without sign-in."""
        return cls(role=VIEWER, subject="anonymous", via="exposed")


@cache
def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry
        return "unknown"


@dataclass(frozen=True)
class AccessConfig:
    """The ``[access]`` section: where roles come from and whom to ask for one."""

    role_claim: str = "groups"
    viewer_groups: frozenset[str] = field(default_factory=frozenset)
    steward_groups: frozenset[str] = field(default_factory=frozenset)
    viewer_emails: frozenset[str] = field(default_factory=frozenset)
    steward_emails: frozenset[str] = field(default_factory=frozenset)
    contact: str = ""

    @classmethod
    def from_mapping(cls, section: Mapping | None) -> AccessConfig:
        """Read the section; raises ValueError naming the key when a value has the wrong type."""
        section = dict(section or {})
        known = {"role_claim", "viewer_groups", "steward_groups", "viewer_emails", "steward_emails", "contact"}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ValueError(f"[access]: unknown key(s) {', '.join(unknown)}; known keys are {', '.join(sorted(known))}")

        def names(key: str, lower: bool = False) -> frozenset[str]:
            value = section.get(key, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"[access] {key} must be a list of strings")
            return frozenset(v.strip().lower() if lower else v.strip() for v in value if v.strip())

        claim = section.get("role_claim", "groups")
        contact = section.get("contact", "")
        if not isinstance(claim, str) or not claim.strip():
            raise ValueError('[access] role_claim must be the name of a claim, e.g. "groups"')
        if not isinstance(contact, str):
            raise ValueError("[access] contact must be a string")
        return cls(
            role_claim=claim.strip(),
            viewer_groups=names("viewer_groups"),
            steward_groups=names("steward_groups"),
            viewer_emails=names("viewer_emails", lower=True),
            steward_emails=names("steward_emails", lower=True),
            contact=contact.strip(),
        )


def role_for(claims: Mapping, config: AccessConfig) -> str | None:
    """The role a signed-in user's ID-token claims give them (data steward above viewer), or None.

    Group names are matched exactly (providers' group ids are case-sensitive); e-mail addresses
    without regard to case, and only when the provider has not said the address is unverified.
    """
    raw = claims.get(config.role_claim)
    if isinstance(raw, str):
        groups = {raw}
    elif isinstance(raw, list | tuple):
        groups = {g for g in raw if isinstance(g, str)}
    else:
        groups = set()
    email = claims.get("email")
    verified = claims.get("email_verified", True) not in (False, "false")
    email = email.strip().lower() if isinstance(email, str) and verified else ""
    if groups & config.steward_groups or (email and email in config.steward_emails):
        return STEWARD
    if groups & config.viewer_groups or (email and email in config.viewer_emails):
        return VIEWER
    return None


def actor_from_claims(claims: Mapping, config: AccessConfig) -> Actor:
    """The actor for a signed-in user (role None when the configuration gives them none)."""

    def text(key: str) -> str:
        value = claims.get(key)
        return value if isinstance(value, str) else ""

    return Actor(
        role=role_for(claims, config),
        subject=text("sub"),
        email=text("email"),
        name=text("name"),
        via="web",
        issuer=text("iss"),
    )


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to this address can be reached only from this machine.

    An empty address makes Streamlit listen on every interface, so it is not loopback.
    """
    if not address:
        return False
    address = address.strip().strip("[]")
    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve to anything


def mode_for(auth_configured: bool, server_address: str | None) -> str:
    """The access mode (see the module's docstring)."""
    if auth_configured:
        return "oidc"
    return "local" if is_loopback(server_address) else "exposed"
