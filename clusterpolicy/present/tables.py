"""Tables for display and export: model output with translated headers and Babel-formatted numbers."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from clusterpolicy import i18n, naming
from clusterpolicy.data import build, provenance
from clusterpolicy.i18n import t
from clusterpolicy.model import paramspec


def scenario_summary(results: list, lang: str) -> pd.DataFrame:
    """One row per scenario: cumulative costs, members' share, leverage and funded clusters."""
    base = results[0].summary if results else {}
    rows = []
    for r in results:
        s = r.summary
        rows.append(
            {
                t("table.scenario", lang): s["name"],
                t("table.horizon", lang): f"{r.params.first_year}–{r.params.last_year}",
                t("table.cum_public", lang): i18n.eur(s["cumulative_public_eur"], lang),
                t("table.diff_baseline", lang): i18n.eur(s["cumulative_public_eur"] - base["cumulative_public_eur"], lang),
                t("table.cum_basic", lang): i18n.eur(s["cumulative_basic_eur"], lang),
                t("table.cum_cp", lang): i18n.eur(s["cumulative_cluster_projects_eur"], lang),
                t("table.cum_ic", lang): i18n.eur(s["cumulative_intercluster_eur"], lang),
                t("table.yearly_avg", lang): i18n.eur(s["yearly_average_eur"], lang),
                t("table.cum_members", lang): i18n.eur(s["cumulative_members_eur"], lang),
                t("table.leverage", lang): i18n.num(s["leverage"], lang, 2),
                t("table.selffin_last", lang): i18n.pct(s["self_financing_share_last_year"], lang),
                t("table.clusters_last", lang): i18n.num(s["clusters_funded_last_year"], lang),
                t("table.overshoot_years", lang): i18n.num(s["overshoot_years"], lang),
            }
        )
    return pd.DataFrame(rows)


def projects(df: pd.DataFrame, lang: str, who: str = "clusters") -> pd.DataFrame:
    """Inter-cluster projects for display: theme translated, clusters (or one cluster's partners) joined, euros formatted."""
    heading = {"clusters": "earmarked.col_clusters", "partners": "profile.col_partners"}[who]
    return pd.DataFrame(
        {
            t("earmarked.col_project", lang): df["project_id"],
            t("earmarked.col_title", lang): df["title"],
            t("earmarked.col_theme", lang): [i18n.theme(th, lang) for th in df["theme"]],
            t("earmarked.col_years", lang): [f"{s}–{e}" for s, e in zip(df["start_year"], df["end_year"])],
            t(heading, lang): df[who],
            t("earmarked.col_budget", lang): [i18n.eur(v, lang) for v in df["budget_eur"]],
            t("earmarked.col_public", lang): [i18n.eur(v, lang) for v in df["public_eur"]],
        }
    )


def kpi_definitions(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each indicator with its definition, unit, direction and recommendation, in one language."""
    return pd.DataFrame(
        {
            t("kpi.col_name", lang): df[f"name_{lang}"],
            t("kpi.col_definition", lang): df[f"definition_{lang}"],
            t("kpi.col_unit", lang): [t(f"unit.{u}_name", lang) for u in df["unit"]],
            t("kpi.col_direction", lang): [
                t("kpi.higher_better" if h else "kpi.lower_better", lang) for h in df["higher_is_better"]
            ],
            t("kpi.col_recommendation", lang): df["recommendation"],
        }
    )


CONTRACT_TABLES = build.CONTRACT_TABLES


def sources(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The source list for display: kind translated, title in the reader's language where one exists."""
    title = [provenance.title_of(row, lang) for _, row in df.iterrows()]
    return pd.DataFrame(
        {
            "source_id": df["source_id"],
            t("data.col_kind", lang): [t(f"kind.{k}", lang) for k in df["kind"]],
            t("data.col_publisher", lang): df["publisher"],
            t("data.col_title", lang): title,
            # as text: a missing date is a dash (the browser showed the word "None" for a date column's gaps)
            t("data.col_published", lang): ["–" if pd.isna(d) else pd.Timestamp(d).date().isoformat() for d in df["published"]],
            t("data.col_url", lang): df["url"],
            t("data.col_note", lang): df["note"],
        }
    )


def links(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Cluster pairs of the collaboration network: the table behind the network chart."""
    return pd.DataFrame(
        {
            t("earmarked.col_pair", lang): [f"{a} – {b}" for a, b in zip(df["name_a"], df["name_b"])],
            t("earmarked.col_joint_projects", lang): df["projects"].astype(int),
            t("earmarked.col_joint_budget", lang): df["joint_budget_eur"].astype(float),
        }
    )


def kpi_series(df: pd.DataFrame, kpi: pd.Series, lang: str) -> pd.DataFrame:
    """Values and targets of one KPI, with the kind of source of each value: the table behind the series chart."""
    return pd.DataFrame(
        {
            t("table.cluster", lang): df["cluster_name"],
            t("unit.year", lang): df["year"].astype(int),
            t("table.series", lang): [t("kpi.target", lang) if s == "target" else kpi[f"name_{lang}"] for s in df["series"]],
            t("table.value", lang): df["value"].astype(float),
            t("table.qualifier", lang): [t(f"qualifier.{q}", lang) if isinstance(q, str) else "" for q in df["qualifier"]],
            t("data.col_kind", lang): [t(f"kind.{k}", lang) for k in df["kind"]],
        }
    )


def _parameter_text(spec, p, names: dict, lang: str) -> str:
    """One parameter's value of one scenario as an export prints it."""
    value = getattr(p, spec.name)
    if spec.new_clusters_only and not p.new_clusters:
        return "–"
    if spec.needs and not getattr(p, spec.needs):
        return "–"
    if value is None:
        return "–"
    if spec.unit == "stops":
        return ", ".join(f"{names.get(c, c)} ({y})" for c, y in value) or "–"
    if spec.unit == "path":
        return ", ".join(f"{y}: {i18n.eur_millions(a, lang, 1)}" for y, a in value) or "–"
    if spec.unit == "bool":
        return t("table.yes" if value else "table.no", lang)
    # a number as the editor shows it (the one formatter of a value by its unit)
    return paramspec.shown_value(spec.unit, value, lang)


def _parameter_rows(params: list, base, lang: str):
    """(label, spec or None, each scenario's value as text) of every assumption, in the order every export lists them."""
    names = dict(zip(base.cluster_ids, base.cluster_names))
    for spec in paramspec.SPECS:
        if spec.name in ("name", "last_year"):
            continue
        if spec.widget == "range":
            yield t("param.horizon", lang), None, [f"{p.first_year}–{p.last_year}" for p in params]
            continue
        yield paramspec.label(spec, lang, with_unit=False), spec, [_parameter_text(spec, p, names, lang) for p in params]
    # the starting point is the page's, the same for every compared scenario
    calibration = t(f"scenarios.calibration_{getattr(base, 'calibration', 'rule')}", lang)
    yield t("scenarios.calibration", lang), None, [calibration] * len(params)


def scenario_parameters(params: list, base, lang: str) -> pd.DataFrame:
    """Every assumption of the compared scenarios, one column per scenario, in the reader's language (from paramspec)."""
    rows = {label: texts for label, _, texts in _parameter_rows(params, base, lang)}
    # two compared scenarios may share a name: "Voortzetting" and "Voortzetting (2)", as in the charts' tables
    frame = pd.DataFrame(rows, index=naming.unique_names(p.name for p in params)).T
    frame.index.name = t("export.parameter", lang)
    return frame


# a number in the workbook by the parameter's unit: the unit it is in, and its Excel format (a share as a percentage)
_NUMBER_UNITS = {
    "eur": ("unit.eur", "#,##0"),
    "eur_m": ("unit.eur", "#,##0"),
    "share": ("unit.pct", "0.0%"),
    "rate": ("unit.pct", "0.0%"),
    "year": ("unit.year", "0"),
    "count": ("unit.count", "#,##0"),
}


def scenario_parameter_numbers(params: list, base, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """The rows of ``scenario_parameters`` for a workbook: a number as the number it is (euros, a share or a rate as
    its fraction, shown as a percentage; a year, a count) with its unit beside it; the rest as its text.

    Returns the frame (parameter, unit, one column per scenario) and each row's Excel number format.
    """
    rows, formats = [], []
    for label, spec, texts in _parameter_rows(params, base, lang):
        unit = _NUMBER_UNITS.get(spec.unit) if spec is not None else None
        if unit is None:
            rows.append([label, "", *texts])
            formats.append("General")
            continue
        # a value that does not apply ("–": no new clusters, no ceiling) stays the dash the other files write
        values = [getattr(p, spec.name) if text != "–" else text for p, text in zip(params, texts)]
        numbers = [float(v) for v in values if not isinstance(v, str)]
        fmt = unit[1]
        if fmt == "#,##0" and any(v != round(v) for v in numbers):
            fmt = "#,##0.00"  # an amount to the cent
        rows.append([label, t(unit[0], lang), *values])
        formats.append(fmt)
    columns = [t("export.parameter", lang), t("export.col_unit", lang), *naming.unique_names(p.name for p in params)]
    return pd.DataFrame(rows, columns=columns), formats


def problems(items: list, lang: str) -> pd.DataFrame:
    """Import problems as a table: file, sheet, line, column and what is wrong, in the reader's language (plain text)."""
    frame = {
        t("data.col_file", lang): [p.file for p in items],
        t("data.col_sheet", lang): [p.sheet or "" for p in items],
        t("data.col_line", lang): [p.line if p.line is not None else "" for p in items],
        t("data.col_column", lang): [p.column or "" for p in items],
        t("data.col_problem", lang): [p.text(lang) for p in items],
    }
    if not any(p.sheet for p in items):
        del frame[t("data.col_sheet", lang)]
    return pd.DataFrame(frame)


def _cell(value, lang: str) -> str:
    """A stored value as the preview shows it: numbers in the reader's format, dates as dates, nothing as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        digits = 0 if number == int(number) else min(4, max(2, -Decimal(str(value)).normalize().as_tuple().exponent))
        return i18n.num(number, lang, digits) if not isinstance(value, int) else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def import_plans(result, lang: str) -> pd.DataFrame:
    """Per table of an import: its mode and the rows it adds, changes and removes."""
    return pd.DataFrame(
        {
            t("data.col_table", lang): [p.table for p in result.plans],
            t("data.import_mode", lang): [t(f"data.mode_{p.mode}", lang) for p in result.plans],
            t("data.col_rows_in_file", lang): [p.rows_in_file for p in result.plans],
            t("data.col_added", lang): [p.added for p in result.plans],
            t("data.col_changed", lang): [p.changed for p in result.plans],
            t("data.col_removed", lang): [p.removed for p in result.plans],
        }
    )


def import_changes(result, lang: str) -> pd.DataFrame:
    """Every changed cell (old and new value), every added and removed row, of an import or a restore."""
    rows = []
    for plan in result.plans if hasattr(result, "plans") else result:
        for change in plan.rows:
            key = " · ".join(_cell(k, lang) for k in change.key)
            action = t(f"data.change_{change.action}", lang)
            if change.action == "changed":
                for cell in change.cells:
                    rows.append((plan.table, key, action, cell.column, _cell(cell.old, lang), _cell(cell.new, lang)))
            else:
                values = "; ".join(
                    f"{c.column} = {_cell(c.new if change.action == 'added' else c.old, lang)}" for c in change.cells
                )
                old, new = ("", values) if change.action == "added" else (values, "")
                rows.append((plan.table, key, action, "", old, new))
    columns = ("col_table", "col_key", "col_change", "col_column", "col_old", "col_new")
    return pd.DataFrame(rows, columns=[t(f"data.{c}", lang) for c in columns])


def version_difference(plans: list, lang: str) -> pd.DataFrame:
    """What a restore changes, per table: rows added, changed and removed."""
    return pd.DataFrame(
        {
            t("data.col_table", lang): [p.table for p in plans],
            t("data.col_added", lang): [p.added for p in plans],
            t("data.col_changed", lang): [p.changed for p in plans],
            t("data.col_removed", lang): [p.removed for p in plans],
        }
    )


def import_effect(effect: dict, lang: str) -> pd.DataFrame:
    """The headline figures before and after an import: the continuation's cost, the base year, values by kind, the marking."""
    before, after = effect["before"], effect["after"]

    def values(side: dict, kind: str) -> str:
        total = sum(side["values"].values()) or 1
        n = side["values"].get(kind, 0)
        return f"{i18n.num(n, lang)} ({i18n.pct(n / total, lang, 1)})"

    span = f"{after['first_year']}–{after['last_year']}"
    rows = [
        (
            t("data.effect_continuation", lang, span=span),
            i18n.eur_millions(before["continuation_basic_eur"], lang, 2),
            i18n.eur_millions(after["continuation_basic_eur"], lang, 2),
        ),
        (t("data.effect_base_year", lang), str(before["base_year"]), str(after["base_year"])),
    ]
    for kind in provenance.KINDS:
        if before["values"].get(kind) or after["values"].get(kind):
            rows.append((t("data.effect_values", lang, kind=t(f"kind.{kind}", lang)), values(before, kind), values(after, kind)))
    rows.append((t("data.effect_differs", lang), str(before["differs"]), str(after["differs"])))
    rows.append(
        (
            t("marking.label", lang),
            before["marking"].get(lang) or t("data.marking_nothing", lang),
            after["marking"].get(lang) or t("data.marking_nothing", lang),
        )
    )
    return pd.DataFrame(rows, columns=[t("data.col_figure", lang), t("data.col_before", lang), t("data.col_after", lang)])


def kind_shares(frame: pd.DataFrame, lang: str) -> str:
    """One sentence: how many of the values the charts show rest on each kind of source (values_by_kind)."""
    n = int(frame["values"].sum())
    parts = [
        f"{i18n.num(v, lang)} {t(f'kind.{k}', lang)} ({i18n.pct(share, lang, 1)})"
        for k, v, share in zip(frame["kind"], frame["values"], frame["share"])
    ]
    joined = (
        ", ".join(parts[:-1]) + (f" {'en' if lang == 'nl' else 'and'} " if len(parts) > 1 else "") + parts[-1] if parts else ""
    )
    return t("data.kind_shares", lang, n=i18n.num(n, lang), parts=joined)


def origin_text(origin: str, lang: str) -> str:
    """What made a data version, in the reader's language (the stored origin is written in English)."""
    found = re.fullmatch(r"import (\w+) \((\w+)\) from (.*)", origin)
    if found:
        table, mode, file = found.groups()
        return t(
            "data.origin_import",
            lang,
            table=table,
            mode=t(f"data.mode_{mode}", lang) if mode in ("upsert", "replace") else mode,
            file=file,
        )
    found = re.fullmatch(r"workbook (.*?): (.*)", origin)
    if found:
        return t("data.origin_workbook", lang, file=found.group(1), tables=found.group(2))
    if origin == "seed":
        return t("data.origin_seed", lang)
    return origin


def version_label(version: dict, lang: str) -> str:
    """One kept version in a list: id, when, what made it."""
    return f"{version['version']} · {version['built_at']:%Y-%m-%d %H:%M} · {origin_text(version['origin'], lang)}"


def versions(items: list[dict], lang: str) -> pd.DataFrame:
    """The kept data versions, newest first: id, when made (UTC), what made it, which one is served."""
    return pd.DataFrame(
        {
            t("data.col_version", lang): [v["version"] for v in items],
            t("data.col_made", lang): [f"{v['built_at']:%Y-%m-%d %H:%M} UTC" for v in items],
            t("data.col_origin", lang): [origin_text(v["origin"], lang) for v in items],
            t("data.col_served", lang): [t("data.served_now", lang) if v["served"] else "" for v in items],
        }
    )


AUDIT_COLUMNS = (
    "at",
    "action",
    "outcome",
    "email",
    "name",
    "role",
    "via",
    "table_name",
    "file_name",
    "mode",
    "added",
    "changed",
    "removed",
    "version_before",
    "version_after",
    "file_sha256",
    "subject",
    "detail",
)


def audit(trail: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit trail for display: the reader's column names, actions and outcomes in words, time to the second.

    The download keeps the stored codes and columns (``audit.events``); this is only what the page shows.
    """
    out = trail[list(AUDIT_COLUMNS)].copy()
    out["at"] = out["at"].str.slice(0, 19).str.replace("T", " ") + " UTC"
    for column in ("action", "outcome", "role", "via"):
        out[column] = out[column].map(lambda code, c=column: t(f"audit.{c}_{code}", lang) if code else "")
    for column in ("table_name", "file_name", "mode", "version_before", "version_after", "file_sha256"):
        out[column] = out[column].fillna("")
    return out.rename(columns={c: t(f"audit.col_{c}", lang) for c in AUDIT_COLUMNS})


def library_list(entries: list, lang: str) -> pd.DataFrame:
    """The team library for display: name, author, last change, revision, data version, note, archived."""
    return pd.DataFrame(
        {
            t("library.col_name", lang): [s.name for s in entries],
            t("library.col_author", lang): [s.author for s in entries],
            t("library.col_changed", lang): [s.changed_at[:16].replace("T", " ") for s in entries],
            t("library.col_revision", lang): [s.current_revision for s in entries],
            t("library.col_data_version", lang): [s.data_version for s in entries],
            t("library.col_note", lang): [s.note for s in entries],
            t("library.col_archived", lang): [s.archived for s in entries],
        }
    )


def library_revisions(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A saved scenario's revisions for display, newest first."""
    return pd.DataFrame(
        {
            t("library.col_revision", lang): frame["revision"],
            t("library.col_name", lang): frame["name"],
            t("library.col_note", lang): frame["note"],
            t("library.col_changed", lang): frame["saved_at"].str.slice(0, 16).str.replace("T", " "),
            t("library.col_by", lang): frame["saved_by_name"].where(frame["saved_by_name"] != "", frame["saved_by_email"]),
            t("library.col_data_version", lang): frame["data_version"],
        }
    )


def published_facts(facts: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The published facts as a table: what, value (with its qualifier), period (or undated) and source; undated last."""
    rows = provenance.index(sources)
    out = []
    for f in facts.to_dict("records"):
        if f["unit"] == "eur":
            millions = f["value"] / 1e6
            value = i18n.eur_millions(f["value"], lang, 0 if float(millions).is_integer() else 1)
        else:
            value = i18n.num(f["value"], lang)
        undated = f["period"] == "undated"
        source = rows.get(f["source_id"])
        out.append(
            (
                undated,
                str(f["period"]),
                f[f"label_{lang}"],
                i18n.qualified(value, f["qualifier"], lang),
                t("overview.undated", lang) if undated else str(f["period"]),
                f"{source['publisher']}: {provenance.title_of(source, lang)}" if source is not None else f["source_id"],
            )
        )
    out.sort(key=lambda r: (r[0], r[1], r[2]))
    columns = [t(f"overview.fact_{c}", lang) for c in ("what", "value", "period", "source")]
    return pd.DataFrame([r[2:] for r in out], columns=columns)


def reconciliation(found: list, sources: dict, lang: str) -> pd.DataFrame:
    """The reconciliation checks for the data page: what, against which figure and source, the gap, and the outcome."""
    rows = []
    for c in found:
        source = sources.get(c.source_id, {})
        other = sources.get(c.other_source_id) if c.other_source_id else None
        amount = (lambda v: i18n.num(v, lang, 1)) if c.check == "sme_count" else (lambda v: i18n.eur(v, lang))  # a count
        where = f"{source.get('publisher', c.source_id)}: {provenance.title_of(source, lang)}" if source else c.source_id
        if other:
            where += f" · {t('data.reconcile_against', lang)} {other['publisher']}: {provenance.title_of(other, lang)}"
        rows.append(
            {
                t("data.reconcile_outcome", lang): t(f"data.reconcile_{c.outcome}", lang),
                t("data.reconcile_check", lang): t(f"data.reconcile_check_{c.check}", lang, subject=c.subject),
                t("data.reconcile_figure", lang): amount(c.published_eur),
                t("data.reconcile_data", lang): amount(c.data_eur),
                t("data.reconcile_gap", lang): amount(c.gap_eur),
                t("data.reconcile_gap_pct", lang): i18n.pct(c.gap_pct, lang, 1) if c.gap_pct is not None else "–",
                t("data.reconcile_source", lang): where,
            }
        )
    return pd.DataFrame(rows)


def profile_scenarios(results: list, cluster_id: str, lang: str) -> pd.DataFrame:
    """One cluster per compared scenario and year: budget, basic subsidy, members' part and self-financing share."""
    names = naming.unique_names(r.params.name for r in results)
    parts = []
    for name, r in zip(names, results):
        rows = r.clusters[r.clusters["cluster_id"] == cluster_id]
        parts.append(
            pd.DataFrame(
                {
                    t("table.scenario", lang): name,
                    t("unit.year", lang): rows["year"].astype(int).to_numpy(),
                    t("profile.col_budget", lang): rows["budget_eur"].to_numpy(),
                    t("profile.public", lang): rows["public_eur"].to_numpy(),
                    t("profile.members_part", lang): rows["member_eur"].to_numpy(),
                    t("profile.col_selffin", lang): rows["self_financing_share"].to_numpy(),
                    t("profile.col_shortfall", lang): rows["shortfall_eur"].to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
