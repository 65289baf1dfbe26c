"""The confidentiality marking of a data version: the steward's own text, or the default where internal figures are shown.

A version that holds the administration's internal (unpublished) figures is pre-decision material:
every page and every file made from it carries a marking. The data steward sets its text per
version (the ``classification`` table); without a setting, internal figures bring the default
text; a version with neither carries none.
"""

from __future__ import annotations

import duckdb

from clusterpolicy import i18n

# the queries ``texts`` reads (a page's frame starts them early)
QUERIES = ("table_classification", "internal_sources")


def texts(query) -> dict[str, str]:
    """{lang: marking} for a data version (``query(name)`` runs a named query on it); {} when it carries none."""
    try:
        rows = query("table_classification")
    except duckdb.CatalogException:
        rows = ()  # a data version made before the marking existed
    if len(rows):
        row = rows.iloc[0]
        return {"nl": str(row["marking_nl"]), "en": str(row["marking_en"])}
    if len(query("internal_sources")):
        return {lang: i18n.t("marking.default", lang) for lang in i18n.LANGS}
    return {}
