"""Sign-in and roles in the page: the gate before anything is drawn, who is asking, the sidebar's user line.

The mode (``access.mode_for``) comes from the deployment: an ``[auth]`` section in the secrets
means OpenID Connect through ``st.login``; without one, a server that listens on loopback only is
used by the person at its keyboard (a data steward), and any other server is ``exposed``: viewers
only, no data change from the browser. A request that reached a loopback server through a proxy
(it carries forwarding headers) is treated as exposed too.

``actor()`` is what the data-changing functions are handed; they check the role themselves
(``audit.require_steward``), so this module decides what the page shows, not what is allowed.
"""

from __future__ import annotations

import logging
import urllib.parse

import streamlit as st

from clusterpolicy.data import access, audit, provenance, sign_in_return
from clusterpolicy.web import links
from clusterpolicy.web.run import log_failure, state, tr

_log = logging.getLogger("clusterpolicy")
_FORWARDING_HEADERS = ("X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "X-Real-Ip")


def _secrets_section(name: str):
    """A section of the secrets, or None (also when there is no secrets file at all)."""
    try:
        return st.secrets.get(name) if name in st.secrets else None
    except Exception:  # noqa: BLE001 - no secrets file, or one that does not parse: Streamlit logs the cause
        return None


def _proxied() -> bool:
    try:
        headers = st.context.headers
        return any(headers.get(h) for h in _FORWARDING_HEADERS)
    except Exception:  # noqa: BLE001 - no request (AppTest)
        return False


def _settle() -> tuple[str, access.AccessConfig]:
    """The mode and the ``[access]`` section, settled once per session.

    Both come from the deployment (secrets, the server's address) and the session's first request
    (its headers), none of which changes during a session; reading them costs 2 ms a run in AppTest
    (its st.context has no request), so a session reads them once.
    """
    memo = state().memo
    if "access" in memo:
        return memo["access"]
    ss = st.session_state
    settled = ss.get("_access_settled")
    if settled is None:
        found = access.mode_for(bool(_secrets_section("auth")), st.get_option("server.address"))
        if found == "local" and _proxied():
            found = "exposed"
        try:
            config = access.AccessConfig.from_mapping(_secrets_section("access"))
        except ValueError as exc:
            _log.error("the [access] section of the secrets is invalid, so no one has a role: %s", exc)
            config = access.AccessConfig()
        settled = ss["_access_settled"] = (found, config)
    memo["access"] = settled
    return settled


def mode() -> str:
    """This deployment's access mode: "oidc", "local" or "exposed"."""
    return _settle()[0]


def config() -> access.AccessConfig:
    """The ``[access]`` section; a section that does not parse gives no one a role (and says why in the log)."""
    return _settle()[1]


def actor() -> access.Actor | None:
    """Who is asking now: None for a signed-out visitor (read afresh from st.user on every call)."""
    current = mode()
    if current == "local":
        return access.Actor.local()
    if current == "exposed":
        return access.Actor.anonymous()
    if st.user.get("is_logged_in") is not True:
        return None
    return access.actor_from_claims(st.user.to_dict(), config())


def is_steward() -> bool:
    """Whether the page should offer data changes (the functions behind them check again)."""
    who = actor()
    return who is not None and who.is_steward


def may_enter(who: access.Actor | None) -> bool:
    """Whether this actor sees the dashboard: signed in (or local, or exposed) and with a role."""
    return who is not None and who.role is not None


def closed_page(who: access.Actor | None) -> None:
    """What a visitor who may not enter sees instead of the dashboard: the sign-in or the ask-for-access page.

    Drawn before the frame reads anything of the data, so such a visitor is sent nothing else.
    """
    if who is None:
        _sign_in_page()
    else:
        _no_role_page(who)


def note_sign_in(who: access.Actor | None) -> None:
    """Put a sign-in in the trail once (one entry per ID token, however many tabs the user opens).

    A signed-in user without a role is recorded too, as refused ("denied").
    """
    if who is None or mode() != "oidc" or st.session_state.get("_signed_in_as") == who.subject:
        return
    issued = st.user.get("iat")
    outcome = "done" if who.role else "denied"
    audit.record(who, "sign_in", outcome, once_key=f"sign_in:{who.issuer}:{who.subject}:{issued}")
    st.session_state["_signed_in_as"] = who.subject


ROUTE_COOKIE = "cp_route"  # the proxy's route cookie (deploy/nginx): random per browser, kept across the sign-in


def _browser_key() -> str:
    """A value this browser sends before and after the round trip to the identity provider, or "" without one."""
    try:
        cookies = st.context.cookies
        return cookies.get(ROUTE_COOKIE) or ""
    except Exception:  # noqa: BLE001 - no request (AppTest)
        return ""


def _here() -> tuple[str, str]:
    """(url path of this page, its query): the place to come back to."""
    path = urllib.parse.urlsplit(links.page_url()).path.rstrip("/").rsplit("/", 1)[-1]
    query = urllib.parse.urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return path, query


def _sign_in_page() -> None:
    st.title(tr("auth.title"))
    st.markdown(tr("auth.signed_out"))
    if st.button(tr("auth.sign_in"), type="primary", icon=":material/login:", key="auth_sign_in"):
        key = _browser_key()
        if key:
            try:
                sign_in_return.remember(key, *_here())
            except Exception:  # noqa: BLE001 - the sign-in matters more than where it lands
                log_failure("sign_in_return_not_kept")
        st.login()


def land_where_signed_in(who: access.Actor | None, pages: list) -> None:
    """On a signed-in session's first run: go to the view its visitor was on when they chose to sign in.

    Streamlit's sign-in comes back to the root; the place was kept under the browser's route cookie
    (``sign_in_return``). Only pages of this app, once, and only for someone let in.
    """
    ss = st.session_state
    if mode() != "oidc" or who is None or ss.get("_landed"):
        return
    ss["_landed"] = True
    key = _browser_key()
    try:
        found = sign_in_return.take(key) if key else None
    except Exception:  # noqa: BLE001 - landing on the overview is the old behaviour, not a failure
        log_failure("sign_in_return_not_read")
        return
    if found is None:
        return
    path, query = found
    target = next((p for p in pages if p.url_path == path), None)
    if target is None or (path, query) == _here():
        return
    pairs = urllib.parse.parse_qs(query, keep_blank_values=True)
    st.switch_page(target, query_params={k: v if len(v) > 1 else v[0] for k, v in pairs.items()})


def _no_role_page(who: access.Actor) -> None:
    st.title(tr("auth.title"))
    contact = config().contact
    who_text = provenance.md_escape(who.email or who.subject)
    st.warning(tr("auth.no_role", who=who_text), icon=":material/lock:")
    st.markdown(tr("auth.ask", contact=provenance.md_escape(contact)) if contact else tr("auth.ask_admin"))
    _sign_out_button(who, st)


def _sign_out(who: access.Actor) -> None:
    audit.record(who, "sign_out", "done")
    st.session_state.pop("_signed_in_as", None)
    st.logout()


def _sign_out_button(who: access.Actor, where) -> None:
    where.button(tr("auth.sign_out"), icon=":material/logout:", key="auth_sign_out", on_click=_sign_out, args=(who,))


def sidebar_line(who: access.Actor) -> str:
    """Who is signed in and their role, for the sidebar's caption (one element with the data version)."""
    role = tr(f"auth.role_{who.role}")
    if mode() == "local":
        return tr("auth.local_line", role=role)
    if mode() == "exposed":
        return tr("auth.exposed_line")
    return tr("auth.user_line", who=provenance.md_escape(who.label), role=role)


def sidebar_controls(who: access.Actor) -> None:
    """The sign-out button (OpenID Connect only) and, on an exposed server, why nothing can be changed."""
    if mode() == "oidc":
        _sign_out_button(who, st)
    elif mode() == "exposed":
        st.warning(tr("auth.exposed_warning"), icon=":material/public:")
