"""What a cluster's profile says in words and headline figures (no Streamlit; frames from the profile queries in).

The published_fact table has no cluster column: a fact about one cluster is named after it
(``vil_consortia_2019``, ``food_members``). ``FACT_PREFIX`` is that naming, kept in one place.
"""

from __future__ import annotations

import pandas as pd

from clusterpolicy import i18n
from clusterpolicy.i18n import t
from clusterpolicy.present.headline import Headline

FACT_PREFIX = {
    "catalisti": "catalisti_",
    "vil": "vil_",
    "flux50": "flux50_",
    "flanders_food": "food_",
    "blauwe_cluster": "blauwe_",
    "medvia": "medvia_",
    "sim": "sim_",
}


def fact_prefix(cluster_id: str) -> str:
    """The start of the ids of the published facts about a cluster (its id and "_" when no other naming is kept)."""
    return FACT_PREFIX.get(cluster_id, f"{cluster_id}_")


def _present(x) -> bool:
    return x is not None and not (isinstance(x, float) and x != x) and not pd.isna(x)


def about(row: pd.Series, lang: str) -> str:
    """What the cluster is, in one or two sentences (plain text: the page escapes it)."""
    kind = t(f"profile.type_{row['type']}", lang)
    domain = row["domain_nl"] if lang == "nl" else row["domain"]
    text = t("profile.about", lang, name=row["name"], kind=kind, domain=str(domain).lower(), year=int(row["recognised_year"]))
    if _present(row["ended_year"]):
        text += " " + t("profile.ended", lang, year=int(row["ended_year"]))
    if _present(row["website"]) and str(row["website"]).strip():
        text += " " + t("profile.website", lang, site=str(row["website"]).strip())
    return text


def headlines(
    row: pd.Series,
    funding: pd.DataFrame,
    kpis: pd.DataFrame,
    partners: pd.DataFrame,
    projects: pd.DataFrame,
    kinds: dict[str, str],
    lang: str,
) -> list[Headline]:
    """The profile's headline figures: its years, its last basic subsidy, its members, its inter-cluster work."""
    out = []
    span = str(int(row["recognised_year"]))
    if _present(row["ended_year"]):
        span += f"–{int(row['ended_year'])}"
    source_kind = t("kind." + kinds.get(str(row["source_id"]), "unknown"), lang)
    out.append(Headline(t("profile.metric_years", lang), span, t("profile.rests_on", lang, kind=source_kind)))
    if len(funding):
        last = funding.iloc[-1]
        kind = str(last["kind"])
        note = t(
            "profile.metric_basic_note",
            lang,
            members=i18n.eur(last["member_eur"], lang),
            kind=t("kind." + kind, lang),
        )
        out.append(
            Headline(
                t("profile.metric_basic", lang, year=int(last["year"])),
                i18n.eur(last["public_eur"], lang),
                note,
                illustrative=kind == "illustrative",
            )
        )
    members = kpis[kpis["kpi_id"] == "members"]
    if len(members):
        last = members.iloc[-1]
        kind = str(last["value_kind"])
        published = members[members["value_kind"] == "published"]
        note = t("profile.rests_on", lang, kind=t("kind." + kind, lang))
        if kind != "published" and len(published):
            point = published.iloc[-1]
            value = i18n.qualified(i18n.num(point["value"], lang), point["qualifier"], lang)
            note += " " + t("profile.last_published", lang, value=value, year=int(point["year"]))
        value = i18n.qualified(i18n.num(last["value"], lang), last["qualifier"], lang)
        out.append(
            Headline(t("profile.metric_members", lang, year=int(last["year"])), value, note, illustrative=kind == "illustrative")
        )
    if len(projects):
        kind = {kinds.get(s, "unknown") for s in projects["source_id"]}
        out.append(
            Headline(
                t("profile.metric_projects", lang),
                i18n.num(len(projects), lang),
                t("profile.metric_projects_note", lang, partners=len(partners)),
                illustrative="illustrative" in kind,
            )
        )
    return out
