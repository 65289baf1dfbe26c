"""Where a signed-out visitor was when they chose to sign in, so that they land on that view afterwards.

Streamlit's sign-in comes back to the app's root, so a meeting's link opened by someone signed out
would end on the overview. Before the page hands over to the identity provider it remembers the
page and its query here, under a hash of a cookie that the browser keeps across the round trip
(the proxy's route cookie); the first run after the sign-in takes it, once. A place is kept for
``KEEP_MINUTES`` and overwritten by the same browser's next choice; the table holds at most one
row per browser that started a sign-in in the last hour.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

from clusterpolicy.data import appstate

KEEP_MINUTES = 15
MAX_QUERY = 4000
_PAGE = re.compile(r"[a-z0-9_-]{0,64}")


def _browser(key: str) -> str:
    return hashlib.sha256(("sign-in-return:" + key).encode()).hexdigest()


def _at(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def remember(key: str, page: str, query: str) -> bool:
    """Keep this browser's place (page url path, query string); False when there is nothing safe to keep."""
    if not key or not _PAGE.fullmatch(page) or len(query) > MAX_QUERY:
        return False
    now = datetime.now(UTC)
    with appstate.transaction() as con:
        con.run("sign_in_return_prune", {"before": _at(now - timedelta(hours=1))})
        con.run("sign_in_return_put", {"browser": _browser(key), "page": page, "query": query, "at": _at(now)})
    return True


def take(key: str) -> tuple[str, str] | None:
    """(page, query) this browser was on when it chose to sign in, if that was in the last ``KEEP_MINUTES``; forgotten here."""
    if not key:
        return None
    with appstate.transaction() as con:
        row = con.run("sign_in_return_take", {"browser": _browser(key)}).fetchone()
    if row is None or row["created_at"] < _at(datetime.now(UTC) - timedelta(minutes=KEEP_MINUTES)):
        return None
    return row["page"], row["query"]
