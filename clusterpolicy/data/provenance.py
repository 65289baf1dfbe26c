"""Where figures come from: the source line under each chart and the illustrative test, from the source table."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md_escape(text: str) -> str:
    """Escape Markdown so text from data is shown literally (links, emphasis, HTML-looking tags)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def flatten_ids(*groups: Iterable) -> list[str]:
    """Distinct source ids, in first-seen order, from columns, lists or arrays of ids."""
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            if item is None or item is pd.NA or (isinstance(item, float) and pd.isna(item)):
                continue
            if isinstance(item, str):
                seen.setdefault(item, None)
            else:
                for sub in item:
                    if isinstance(sub, str):
                        seen.setdefault(sub, None)
    return list(seen)


# the kinds of source, from the most to the least authoritative: published figures; the administration's
# own records (real values, not published: never drawn as published, never as illustrative); figures
# this dashboard derived by arithmetic; illustrative values made within the published rules
KINDS = ("published", "internal", "derived", "illustrative")
# the kinds whose values are real figures, drawn as such (solid, no illustrative mark)
REAL_KINDS = ("published", "internal")


def kinds(sources: pd.DataFrame) -> dict[str, str]:
    """source_id -> kind (published, internal, derived, illustrative)."""
    return dict(zip(sources["source_id"], sources["kind"]))


def is_illustrative(source_ids: Iterable[str], sources: pd.DataFrame) -> bool:
    """True when any of the sources is illustrative (the chart must then say so on itself)."""
    k = kinds(sources)
    return any(k.get(s) == "illustrative" for s in source_ids)


def index(sources) -> dict[str, dict]:
    """source_id -> the source's row as a dict (an index made once and passed on is used as is)."""
    if isinstance(sources, dict):
        return sources
    return {r["source_id"]: r for r in sources.to_dict("records")}


def title_of(row, lang: str) -> str:
    """A source's title in the reader's language where the source table has one."""
    title_en = row.get("title_en")
    if lang == "en" and isinstance(title_en, str) and title_en:
        return title_en
    return row["title"]


def source_line(source_ids: Iterable[str], sources: pd.DataFrame | dict, lang: str) -> str:
    """The source line under a chart, as safe Markdown (links clickable)."""
    return _line(source_ids, sources, lang, markdown=True)


def short_source_line(source_ids: Iterable[str], sources: pd.DataFrame | dict, lang: str) -> str:
    """The source line for a slide on the wall: the published sources by publisher (each linked to its
    publication), the other kinds counted; the whole line is one click away, in the deck's explanation."""
    return _line(source_ids, sources, lang, markdown=True, counted=True)


def plain_source_line(source_ids: Iterable[str], sources: pd.DataFrame, lang: str) -> str:
    """The same source line as plain text (links written out), for slides, workbooks and reports."""
    return _line(source_ids, sources, lang, markdown=False)


def _line(source_ids: Iterable[str], sources: pd.DataFrame | dict, lang: str, markdown: bool, counted: bool = False) -> str:
    """The source line under a chart, as safe Markdown.

    Published sources come first, each with its publisher and a link; then the administration's
    internal records (real, not published), then the derived and the illustrative values this dashboard made itself, grouped under their kind so a reader sees at
    once which part of the chart is not a published figure.
    """
    rows = index(sources)
    ids = list(dict.fromkeys(source_ids))
    groups: dict[str, list[str]] = {kind: [] for kind in (*KINDS, "unknown")}
    for sid in ids:
        esc = md_escape if markdown else str
        if sid not in rows:
            groups["unknown"].append(esc(sid))
            continue
        r = rows[sid]
        title = esc(title_of(r, lang))
        url = r["url"]
        if isinstance(url, str) and re.fullmatch(r"https?://[^\s()<>]+", url):
            if counted:  # on a slide: the publisher, linked to the publication
                text = f"[{esc(r['publisher'])}]({url})"
            else:
                text = f"{esc(r['publisher'])}, [{title}]({url})" if markdown else f"{r['publisher']}, {title} ({url})"
        elif r["kind"] == "internal":
            # the administration's own records have no address; their publisher says whose records they are
            text = f"{esc(r['publisher'])}, {title}"
        else:
            text = title
        groups[r["kind"] if r["kind"] in groups else "unknown"].append(text)
    parts = []
    if groups["published"]:
        key = "chart.source" if len(groups["published"]) == 1 else "chart.sources"
        parts.append(f"{t(key, lang)}: " + "; ".join(groups["published"]))
    for kind in ("internal", "derived", "illustrative", "unknown"):
        if groups[kind]:
            named = i18n.count(len(groups[kind]), "source", lang) if counted else "; ".join(groups[kind])
            parts.append(f"{t(f'chart.group_{kind}', lang)}: " + named)
    return " · ".join(parts)
