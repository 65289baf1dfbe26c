"""Short links: a ten-character code for any view, kept in the application state with the full view it stands for.

A view is a page and its link's query (every setting, the custom scenarios and the data version
``v=``). Its code is derived from the two, so the same view always has the same short link, made
once. Anyone with a role may make one and open one; the address of a short link is the page's own
address with ``?k=<code>``, so it opens on the right page and then reads the view's settings.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime

from clusterpolicy.data import appstate
from clusterpolicy.data.access import Actor

CODE = re.compile(r"[a-z2-7]{10}")
MAX_QUERY = 4000  # characters: a view's query is a few hundred; a link longer than this is not a view of this app


def code_for(page: str, query: str) -> str:
    """The code of a view: ten base-32 characters of the SHA-256 of its page and query (50 bits)."""
    digest = hashlib.sha256(f"{page}?{query}".encode()).digest()
    return base64.b32encode(digest).decode().lower()[:10]


def make(page: str, query: str, data_version: str, *, actor: Actor | None) -> str:
    """The short link's code for a view (stored once); only someone with a role may make one."""
    if actor is None or actor.role is None:
        raise PermissionError("making a short link needs a role")
    if len(query) > MAX_QUERY:
        raise ValueError(f"a view's query is at most {MAX_QUERY} characters")
    code = code_for(page, query)
    with appstate.transaction() as con:
        con.run(
            "short_link_add",
            {
                "code": code,
                "page": page,
                "query": query,
                "data_version": data_version,
                "created_at": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
                "subject": actor.subject,
                "email": actor.email,
            },
        )
    return code


def resolve(code: str, *, actor: Actor | None) -> tuple[str, str, str] | None:
    """(page, query, data version) of a short link, or None for a code that names no view."""
    if actor is None or actor.role is None:
        raise PermissionError("opening a short link needs a role")
    if not isinstance(code, str) or not CODE.fullmatch(code):
        return None
    with appstate.connect() as con:
        row = con.run("short_link_get", {"code": code}).fetchone()
    return None if row is None else (row["page"], row["query"], row["data_version"])
