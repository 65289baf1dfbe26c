"""The one headline type: a figure a page shows as a card and every export lists with its note.

Pure: no Streamlit, no pandas.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Headline:
    """One headline figure: what it is, its value, and a note (what it rests on, or its change in words).

    On the page a card may also show ``delta`` (the change against the reference, as st.metric shows
    it) and ``help`` (its tooltip); ``illustrative`` marks a figure that rests on illustrative values.
    """

    label: str
    value: str
    note: str = ""
    delta: str | None = None
    help: str = ""
    illustrative: bool = False
