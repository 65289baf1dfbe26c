"""Reconciliation: every published total or rule held against the figures beneath it.

A published figure is never changed to make a check pass. Each check compares what was published
with what the data give: the cap and the support rate against every basic-subsidy row, the yearly
total for the basic operation against the illustrative subsidies added up, each year's earmarked
envelope against the per-cluster amounts inside it, and a published count of SMEs against the
members and SME share of that cluster and year. The outcome is one of:

- ``ok``: the data respect the published figure;
- ``conflict``: two published figures cannot both hold (the EUR 4.5 M yearly total is more than
  the cap allows the clusters), so the data cannot meet both; shown, with both sources;
- ``differs``: the administration's internal records (real values, not published) disagree with a
  published figure; the import is accepted and the difference shown with both sources, never
  resolved silently and never refused: both are real figures;
- ``breach``: illustrative (or derived) values break a published figure; the build refuses them.

Nothing here imports Streamlit; ``db.run_query`` binds every value as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from clusterpolicy.data import db

BASIC_TOTAL_FACT = "basic_total_per_year"
# published counts of SMEs that a cluster's series pass through: members x SME share must give them
# (the published_fact table has no cluster column, so the link from a fact to its series is kept here)
SME_COUNTS = {"blauwe_smes_2022": ("blauwe_cluster", 2022)}


@dataclass(frozen=True)
class Check:
    """One published figure held against the data."""

    check: str  # cap, share, basic_total, earmarked_parts, sme_count
    subject: str  # what is compared: a year, a cluster and a year, an envelope and a year
    published_eur: float  # the figure (a published total or rule, or an envelope) the data are held against
    data_eur: float  # what the data give
    source_id: str  # the published figure's source
    outcome: str  # ok, conflict, differs or breach
    other_source_id: str = ""  # a conflict: the other published figure's source; differs: the internal records' source
    allowed_eur: float | None = None  # a conflict: what the other published figure allows
    key: tuple = ()  # the key of the data row the check is about, where it is one row (cluster and year, ...)

    @property
    def gap_eur(self) -> float:
        return self.data_eur - self.published_eur

    @property
    def gap_pct(self) -> float | None:
        return None if not self.published_eur else self.gap_eur / self.published_eur

    def __str__(self) -> str:
        pct = "" if self.gap_pct is None else f" ({self.gap_pct:+.1%})"
        return (
            f"{self.check} {self.subject}: data {self.data_eur:,.0f} against {self.published_eur:,.0f} "
            f"({self.source_id}), gap {self.gap_eur:+,.0f}{pct}: {self.outcome}"
        )


def first_queries() -> list[tuple[str, dict]]:
    """The queries ``checks`` reads whatever the data hold, as (name, params): a page may start them early."""
    fixed = ["policy_parameters", "reconcile_basic_by_year", "published_facts", "clusters", "reconcile_earmarked_parts"]
    points = [("reconcile_series_point", {"cluster_id": c, "year": y}) for c, y in SME_COUNTS.values()]
    return [(name, {}) for name in fixed] + points


def checks(con=None, query=None) -> list[Check]:
    """Every check of the published totals and rules against the data of ``con`` (a Database or a connection), or
    of ``query(name, **params)``, which runs a named query (the dashboard passes its kept queries)."""
    run = query or (lambda name, **params: db.run_query(con, name, params))
    params = run("policy_parameters").set_index("parameter_id")
    cap, cap_source = float(params.loc["spearhead_cap_eur", "value"]), params.loc["spearhead_cap_eur", "source_id"]
    share, share_source = float(params.loc["spearhead_public_share", "value"]), params.loc["spearhead_public_share", "source_id"]
    out: list[Check] = []

    rows = run("reconcile_basic_rows", cap_eur=cap, public_share=share)
    for r in rows.itertuples(index=False):
        subject = f"{r.name} {r.year}"
        outcome, other = _failed(r.kind, r.source_id)
        key = (r.cluster_id, int(r.year))
        if r.over_cap_eur > 0:
            out.append(Check("cap", subject, cap, r.public_eur, cap_source, outcome, other, key=key))
        if r.over_share_eur > 0:
            limit = share * (r.public_eur + r.member_eur)
            out.append(Check("share", subject, limit, r.public_eur, share_source, outcome, other, key=key))
    by_year = run("reconcile_basic_by_year")
    broken = set(rows["year"])
    for r in by_year.itertuples(index=False):
        if r.year not in broken:  # the year's largest subsidy, under the cap
            out.append(Check("cap", str(r.year), cap, float(r.largest_eur), cap_source, "ok"))

    facts = run("published_facts").set_index("fact_id")
    if BASIC_TOTAL_FACT in facts.index:
        total = facts.loc[BASIC_TOTAL_FACT]
        first, last = (int(x) for x in str(total["period"]).split("-"))
        # the total is for every spearhead cluster ("de zeven speerpuntclusters"); under the published
        # cap they may receive at most that many times the cap: a total above it cannot be met
        clusters = int((run("clusters")["type"] == "spearhead").sum())
        conflict = float(total["value"]) > cap * clusters
        for r in by_year.itertuples(index=False):
            if not first <= r.year <= last:
                continue

            def against_total(outcome, other="", allowed=None, r=r):
                return Check(
                    "basic_total",
                    str(r.year),
                    float(total["value"]),
                    float(r.public_eur),
                    str(total["source_id"]),
                    outcome,
                    other,
                    allowed,
                )

            internal = r.internal_source_id if isinstance(r.internal_source_id, str) else ""
            if internal and abs(r.public_eur - float(total["value"])) > 0.005:
                # real records against the published total: both are shown, neither is changed
                out.append(against_total("differs", internal))
                if not conflict:
                    continue  # the two published figures' own conflict stays listed below
            if conflict:
                out.append(against_total("conflict", cap_source, cap * clusters))
            else:
                out.append(against_total("ok" if r.public_eur <= total["value"] else "breach"))

    for fact_id, (cluster_id, year) in SME_COUNTS.items():
        if fact_id not in facts.index:
            continue
        point = run("reconcile_series_point", cluster_id=cluster_id, year=year)
        if point.empty:
            continue
        r = point.iloc[0]
        count = float(facts.loc[fact_id, "value"])
        implied = r["members"] * r["sme_share"] / 100
        # within half an SME: the share is stored to a tenth of a per cent
        outcome, other = "ok", ""
        if abs(implied - count) > 0.5:
            parts = ((r["members_kind"], r["members_source_id"]), (r["share_kind"], r["share_source_id"]))
            internal = next((sid for kind, sid in parts if kind == "internal"), "")
            outcome, other = _failed("internal" if internal else "", internal)
        out.append(
            Check(
                "sme_count",
                f"{r['name']} {year}",
                count,
                float(implied),
                str(facts.loc[fact_id, "source_id"]),
                outcome,
                other,
                key=(cluster_id, "sme_share", year),
            )
        )

    for r in run("reconcile_earmarked_parts").itertuples(index=False):
        outcome, other = "ok", ""
        if r.parts_eur > r.total_eur + 0.005:
            internal = r.internal_source_id if isinstance(r.internal_source_id, str) else ""
            outcome, other = _failed("internal" if internal else "", internal)
        out.append(
            Check(
                "earmarked_parts",
                f"{r.envelope} {r.year}",
                r.total_eur,
                r.parts_eur,
                r.total_source_id,
                outcome,
                other,
                key=(int(r.year), r.envelope, None),
            )
        )
    return out


def _failed(kind: str, source_id: str) -> tuple[str, str]:
    """(outcome, other source) of a figure that does not meet a published one: a breach, unless it is an internal record."""
    return ("differs", str(source_id)) if kind == "internal" else ("breach", "")


def conflict_sentence(found: list[Check], sources: dict, lang: str) -> tuple[str, list[str]]:
    """The sentence naming published figures that disagree (with each other, or with the internal records), and their sources.

    ("", []) when none do.
    """
    from clusterpolicy import i18n

    sentence, ids = _published_conflict(found, sources, lang)
    differs = [c for c in found if c.outcome == "differs" and c.check == "basic_total"]
    if differs:
        # the internal records' own yearly totals against the published one: each year's gap, both sources
        first = differs[0]
        publisher = {k: (sources.get(k) or {}).get("publisher", k) for k in (first.source_id, first.other_source_id)}
        years = "; ".join(
            i18n.t(
                "reconcile.differs_year",
                lang,
                year=c.subject,
                data=i18n.eur_millions(c.data_eur, lang, 2),
                gap=("+" if c.gap_eur > 0 else "") + i18n.eur_millions(c.gap_eur, lang, 2),
                pct=("+" if c.gap_eur > 0 else "") + i18n.pct(c.gap_pct or 0, lang, 1),
            )
            for c in differs
        )
        said = i18n.t(
            "reconcile.differs",
            lang,
            internal_source=publisher[first.other_source_id],
            total=i18n.eur_millions(first.published_eur, lang, 1),
            total_source=publisher[first.source_id],
            years=years,
        )
        sentence = f"{sentence} {said}".strip()
        ids = list(dict.fromkeys([*ids, first.source_id, *(c.other_source_id for c in differs)]))
    return sentence, ids


def _published_conflict(found: list[Check], sources: dict, lang: str) -> tuple[str, list[str]]:
    """The sentence on two published figures that disagree, and their sources."""
    from clusterpolicy import i18n

    conflict = next((c for c in found if c.outcome == "conflict" and c.allowed_eur is not None), None)
    if conflict is None:
        return "", []
    publisher = {k: (sources.get(k) or {}).get("publisher", k) for k in (conflict.source_id, conflict.other_source_id)}
    cap_eur = next(c.published_eur for c in found if c.check == "cap")  # the published cap per cluster
    sentence = i18n.t(
        "reconcile.conflict",
        lang,
        total=i18n.eur_millions(conflict.published_eur, lang, 1),
        total_source=publisher[conflict.source_id],
        cap=i18n.eur(cap_eur, lang),
        cap_source=publisher[conflict.other_source_id],
        allowed=i18n.eur_millions(conflict.allowed_eur or 0, lang, 1),
    )
    return sentence, [conflict.source_id, conflict.other_source_id]


def breach_words(c: Check, publishers: dict) -> dict:
    """What a refusal says about a breached check: each figure in every language (a value per language is a tuple of pairs)."""
    from clusterpolicy import i18n

    def amount(value, lang):
        return i18n.num(value, lang, 1) if c.check == "sme_count" else i18n.eur(value, lang)

    def signed(value, text):
        return ("+" if value > 0 else "") + text

    def both(make):
        return tuple((lang, make(lang)) for lang in i18n.LANGS)

    return {
        "what": both(lambda lang: i18n.t(f"data.reconcile_check_{c.check}", lang, subject=c.subject)),
        "data": both(lambda lang: amount(c.data_eur, lang)),
        "published": both(lambda lang: amount(c.published_eur, lang)),
        "source": str(publishers.get(c.source_id, c.source_id)),
        "gap": both(lambda lang: signed(c.gap_eur, amount(c.gap_eur, lang))),
        "pct": both(lambda lang: "–" if c.gap_pct is None else signed(c.gap_pct, i18n.pct(c.gap_pct, lang, 1))),
    }


def breaches(found: list[Check]) -> list[Check]:
    """The checks that fail without a published conflict to explain them."""
    return [c for c in found if c.outcome == "breach"]


def as_frame(found: list[Check]) -> pd.DataFrame:
    """The checks as plain columns (for the data page and the command line)."""
    return pd.DataFrame(
        [
            {
                "check": c.check,
                "subject": c.subject,
                "published_eur": c.published_eur,
                "data_eur": c.data_eur,
                "gap_eur": c.gap_eur,
                "gap_pct": c.gap_pct,
                "outcome": c.outcome,
                "source_id": c.source_id,
                "other_source_id": c.other_source_id,
            }
            for c in found
        ]
    )
