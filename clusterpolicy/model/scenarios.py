"""Funding-scenario model for the clusters' basic operation (VARIO advice 36, Recommendation 2).

Pure and vectorised: a scenario's parameters and a base (the last actual year of each active
spearhead cluster) go in; yearly tables come out. Arrays are clusters x years. Amounts are euros in
float64 for the arithmetic (well below a cent of error at these magnitudes) and rounded to cents
on the way out; the database keeps them as DECIMAL.

Rules, per cluster c and year y of the horizon:
- operating budget: the last actual budget grown by ``budget_growth`` a year; a new cluster from
  the open call starts at ``new_budget_eur / new_ramp_years`` and reaches ``new_budget_eur`` after
  ``new_ramp_years`` years (then also grows by ``budget_growth``);
- public share: linear from ``share_start`` in the first year to ``share_end`` in the last year;
- basic subsidy: min(share x budget, cap), the cap indexed by ``cap_indexation`` a year; zero from
  a cluster's stop year, and for every cluster from ``basic_end_year``;
- performance-linked part: ``perf_share`` of each cluster's subsidy is pooled and handed out again
  in proportion to KPI attainment; after that the cap (and the budget) still bound each cluster, and
  whatever they cut off is not spent;
- members' co-financing: budget minus subsidy, i.e. what members must find to keep the budget;
  with ``member_cap`` members pay at most what they paid in the base year (a new cluster: in its
  first year) grown by ``member_growth`` a year; the rest is the shortfall, the part of the
  operating budget at risk, reported and not spent by anyone (subsidy + members + shortfall = budget);
- envelopes: cluster projects and inter-cluster projects from their first-year amount, grown yearly;
- new themes (VARIO Recommendation 4): the open call's ``new_clusters`` themes become new cluster
  organisations (above), or with ``themes_as_projects`` draw on a thematic project envelope: each
  theme runs ``theme_project_eur`` of projects a year from ``new_from_year`` (grown by
  ``budget_growth``), ``theme_public_share`` of it public, the rest carried by the companies in them;
- calibration: under the per-cluster rule (the default) the base is the data as they are; under
  the published yearly total every base amount and the cap are multiplied by one factor, so that
  the clusters' subsidies in the base year add up to that total (see ``Base.calibrated``);
- ceiling: the overshoot of the total public cost per year is always reported; only when
  ``scale_to_ceiling`` is set are all public amounts of an overshooting year scaled down pro rata.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from clusterpolicy.model import costs, members_and_themes, paramspec

COMPONENTS = ("basic_eur", "cluster_projects_eur", "intercluster_eur", "theme_projects_eur")
CALIBRATIONS = ("rule", "total")  # the base as the data give it (cap and 50 %), or scaled to the published yearly total


class ScenarioError(ValueError):
    """Parameters outside their allowed range; ``problems`` names each parameter and its range."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{name}: {msg}" for name, msg in problems))


MAX_HORIZON_YEARS = paramspec.MAX_HORIZON_YEARS


@dataclass(frozen=True)
class ScenarioParams:
    """One funding scenario: every assumption the model uses, nothing else."""

    name: str = "Custom"
    first_year: int = 2025
    last_year: int = 2034
    share_start: float = 0.5
    share_end: float = 0.5
    cap_eur: float = 500_000.0
    cap_indexation: float = 0.0
    budget_growth: float = 0.0
    basic_end_year: int | None = None
    stops: tuple[tuple[str, int], ...] = ()
    new_clusters: int = 0
    new_from_year: int = 2027
    new_budget_eur: float = 800_000.0
    new_ramp_years: int = 3
    member_cap: bool = False
    member_growth: float = 0.0
    themes_as_projects: bool = False
    theme_project_eur: float = 800_000.0
    theme_public_share: float = 0.5
    perf_share: float = 0.0
    cp_eur: float = 0.0
    cp_growth: float = 0.0
    ic_eur: float = 0.0
    ic_growth: float = 0.0
    ceiling_eur: float | None = None
    ceiling_path: tuple[tuple[int, float], ...] = ()  # (year, ceiling): that year's own ceiling
    scale_to_ceiling: bool = False
    preset_id: str | None = field(default=None, compare=False)

    def problems(self, known_clusters: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
        """Every parameter outside its range (as the specification gives it), as (parameter, message)."""
        out = []
        for spec in paramspec.SPECS:
            if spec.unit in ("stops", "path"):
                continue
            message = spec.problem(getattr(self, spec.name))
            if message:
                out.append((spec.name, message))
        if out:  # the rules between parameters assume each one is in range
            return out
        Issue = paramspec.Issue
        if self.last_year < self.first_year:
            out.append(("last_year", Issue("before_first", last=self.last_year, first=self.first_year)))
        elif self.last_year - self.first_year + 1 > MAX_HORIZON_YEARS:
            out.append(("last_year", Issue("horizon_long", n=MAX_HORIZON_YEARS)))
        if self.new_clusters and not self.first_year <= self.new_from_year <= self.last_year:
            out.append(
                ("new_from_year", Issue("new_outside", year=self.new_from_year, first=self.first_year, last=self.last_year))
            )
        years = paramspec.BY_NAME["stops"]
        seen = set()
        for cid, year in self.stops:
            if known_clusters is not None and cid not in known_clusters:
                out.append(("stops", Issue("unknown_cluster", cluster=cid)))
            if cid in seen:
                out.append(("stops", Issue("stops_twice", cluster=cid)))
            seen.add(cid)
            if not years.lo <= year <= years.hi:
                out.append(("stops", Issue("stop_outside", year=year, cluster=cid, lo=int(years.lo), hi=int(years.hi))))
        path = paramspec.BY_NAME["ceiling_path"]
        seen_years = set()
        for year, amount in self.ceiling_path:
            if year in seen_years:
                out.append(("ceiling_path", Issue("two_ceilings", year=year)))
            seen_years.add(year)
            if not years.lo <= year <= years.hi:
                out.append(("ceiling_path", Issue("path_year_outside", year=year, first=int(years.lo), last=int(years.hi))))
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not path.lo <= amount <= path.hi:
                out.append(("ceiling_path", Issue("path_amount", "eur", year=year, lo=path.lo, hi=path.hi)))
        return out

    @property
    def has_ceiling(self) -> bool:
        """Whether any year of the scenario has a ceiling."""
        return self.ceiling_eur is not None or bool(self.ceiling_path)

    def ceilings(self, years) -> np.ndarray:
        """The ceiling of each year: its own from the path, or else ``ceiling_eur`` (NaN: none)."""
        own = dict(self.ceiling_path)
        default = np.nan if self.ceiling_eur is None else self.ceiling_eur
        return np.array([own.get(int(y), default) for y in years], dtype=float)

    def validated(self, known_clusters: tuple[str, ...] | None = None) -> ScenarioParams:
        """Return self, or raise ScenarioError naming each bad parameter and its allowed range."""
        problems = self.problems(known_clusters)
        if problems:
            raise ScenarioError(problems)
        return self

    def to_dict(self) -> dict:
        """Plain values (for URLs, exports and caching keys)."""
        d = dict(self.__dict__)  # every field is a plain value but stops (asdict's deep copy cost 0.1 ms a call)
        d["stops"] = [list(s) for s in self.stops]
        d["ceiling_path"] = [list(c) for c in self.ceiling_path]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> ScenarioParams:
        """Rebuild from to_dict() output, ignoring unknown keys."""
        names = {f.name for f in fields(cls)}
        d = {k: v for k, v in d.items() if k in names}
        if "stops" in d:
            d["stops"] = tuple((str(c), int(y)) for c, y in d["stops"])
        if "ceiling_path" in d:
            d["ceiling_path"] = tuple(sorted((int(y), float(a)) for y, a in d["ceiling_path"]))
        return cls(**d)


@dataclass(frozen=True)
class Base:
    """The starting point: each active spearhead cluster's last actual operating budget and envelopes."""

    year: int
    cluster_ids: tuple[str, ...]
    cluster_names: tuple[str, ...]
    budget_eur: np.ndarray
    public_eur: np.ndarray
    attainment: np.ndarray
    cp_eur: float
    ic_eur: float
    calibration: str = "rule"  # rule | total (CALIBRATIONS)
    scale: float = 1.0  # the factor on the base's amounts and on the cap; 1 under the rule
    total_eur: float | None = None  # the published yearly total the base was scaled to
    member_growth: tuple[float, ...] = ()  # per cluster, the data's limit on its members' growth (NaN: the scenario's)
    member_growth_sources: tuple[str, ...] = ()  # the sources of those limits

    def calibrated(self, total_eur: float) -> Base:
        """The base scaled so that its clusters' subsidies in the base year add up to ``total_eur``.

        No published figure splits the yearly total over the clusters. The rule used: every
        cluster keeps its share of the base year's subsidies in the data (which are illustrative),
        so each one's subsidy and operating budget, and the cap, are multiplied by one factor,
        total / sum of the base year's subsidies. The published cap cannot hold as well: seven
        clusters at EUR 500,000 make EUR 3.5 M, less than EUR 4.5 M. The members' part of each
        budget keeps its share, so the published "one private euro per public euro" still holds.
        """
        paid = float(self.public_eur.sum())
        if not paid > 0 or not total_eur > 0:
            raise ValueError("a calibration to a total needs subsidies in the base year and a positive total")
        k = total_eur / paid
        return replace(
            self,
            budget_eur=self.budget_eur * k,
            public_eur=self.public_eur * k,
            calibration="total",
            scale=k,
            total_eur=float(total_eur),
        )

    @classmethod
    def from_frames(
        cls,
        funding: pd.DataFrame,
        envelopes: pd.DataFrame,
        attainment: pd.DataFrame | None = None,
        capacity: pd.DataFrame | None = None,
    ) -> Base:
        """Build from the scenario_base and earmarked_last_level queries (and optional attainment scores
        and the member_capacity query's limits per cluster)."""
        funding = funding.sort_values("cluster_name")
        scores = np.ones(len(funding))
        if attainment is not None and len(attainment):
            by_id = dict(zip(attainment["cluster_id"], attainment["score"]))
            scores = np.array([by_id.get(c, np.nan) for c in funding["cluster_id"]], dtype=float)
            fill = np.nanmean(scores) if np.isfinite(scores).any() else 1.0
            scores = np.where(np.isfinite(scores), scores, fill)
        level = dict(zip(envelopes["envelope"], envelopes["amount_eur"]))
        capacity = capacity[capacity["cluster_id"].isin(list(funding["cluster_id"]))] if capacity is not None else None
        limits = {} if capacity is None else dict(zip(capacity["cluster_id"], capacity["growth"]))
        return cls(
            year=int(funding["year"].max()),
            cluster_ids=tuple(funding["cluster_id"]),
            cluster_names=tuple(funding["cluster_name"]),
            budget_eur=(funding["public_eur"] + funding["member_eur"]).to_numpy(dtype=float),
            public_eur=funding["public_eur"].to_numpy(dtype=float),
            attainment=scores,
            cp_eur=float(level.get("cluster_projects", 0.0)),
            ic_eur=float(level.get("intercluster_projects", 0.0)),
            member_growth=tuple(float(limits.get(c, np.nan)) for c in funding["cluster_id"]),
            member_growth_sources=() if capacity is None else tuple(dict.fromkeys(capacity["source_id"])),
        )


@dataclass(frozen=True)
class ScenarioResult:
    """Model output: per cluster and year, per year, and a one-row summary."""

    params: ScenarioParams
    clusters: pd.DataFrame
    years: pd.DataFrame
    summary: dict
    calibration: str = "rule"  # the base's calibration (Base.calibration)
    scale: float = 1.0  # the factor it applied to the base and the cap
    total_eur: float | None = None  # the published yearly total it was scaled to
    base_year: int | None = None


def preset_params(preset: pd.Series | dict, base: Base, lang: str = "nl") -> ScenarioParams:
    """Scenario parameters of a stored preset, its envelope factors applied to the base's last level."""
    p = dict(preset)
    values = {}
    for spec in paramspec.NUMERIC + paramspec.SWITCHES:
        if spec.name in ("cp_eur", "ic_eur"):
            continue  # stored as a factor on the base's last level (below)
        if spec.name not in p:
            continue  # a data version built before the parameter existed: the model's default
        raw = p.get(spec.name)
        if raw is None or pd.isna(raw):
            values[spec.name] = None
        elif spec.unit == "bool":
            values[spec.name] = bool(raw)
        else:
            values[spec.name] = int(raw) if spec.whole else float(raw)
    return ScenarioParams(
        name=str(p[f"name_{lang}"]),
        cp_eur=round(float(p["cp_factor"]) * base.cp_eur, 2),
        ic_eur=round(float(p["ic_factor"]) * base.ic_eur, 2),
        preset_id=str(p["preset_id"]),
        **values,
    )


def run(base: Base, params: ScenarioParams, new_cluster_label: str = "New cluster {n}") -> ScenarioResult:
    """Compute one scenario over its horizon (the cost arithmetic is ``costs.costs``, here for one draw)."""
    params.validated(base.cluster_ids)
    c = costs.costs(base, params)
    years, ceiling, overshoot, scale = c.years, c.ceiling, c.overshoot[0], c.scale[0]
    n_years = len(years)
    n_new = c.new_rows
    ids = base.cluster_ids + tuple(f"new_{k}" for k in range(1, n_new + 1))
    names = base.cluster_names + tuple(new_cluster_label.format(n=k) for k in range(1, n_new + 1))
    is_new = np.array([False] * len(base.cluster_ids) + [True] * n_new)
    public, budget = c.public[0], np.round(c.budget[0], 2)
    cp, ic, theme, theme_members = c.cluster_projects[0], c.intercluster[0], c.theme[0], c.theme_members[0]
    member = np.round(budget - public, 2)  # what the scenario asks of the members
    shortfall = np.zeros_like(member)
    if params.member_cap:
        capacity = members_and_themes.member_capacity(base, budget, member, years, params.member_growth)
        paid = np.minimum(member, capacity)
        shortfall = np.round(member - paid, 2)
        member = np.round(paid, 2)
    basic = public.sum(axis=0)
    total = basic + cp + ic + theme

    clusters = pd.DataFrame(
        {
            "cluster_id": np.repeat(ids, n_years),
            "cluster_name": np.repeat(names, n_years),
            "is_new": np.repeat(is_new, n_years),
            "year": np.tile(years, len(ids)),
            "budget_eur": budget.ravel(),
            "public_eur": public.ravel(),
            "member_eur": member.ravel(),
            "shortfall_eur": shortfall.ravel(),
        }
    )
    clusters["self_financing_share"] = np.divide(
        clusters["member_eur"],
        clusters["budget_eur"],
        out=np.full(len(clusters), np.nan),
        where=clusters["budget_eur"].to_numpy() > 0,
    )
    # a new cluster does not exist before its start year: no rows of zeros for it
    clusters = clusters[~(clusters["is_new"] & (clusters["budget_eur"] == 0))].reset_index(drop=True)

    year_table = pd.DataFrame(
        {
            "year": years,
            "basic_eur": basic,
            "cluster_projects_eur": cp,
            "intercluster_eur": ic,
            "theme_projects_eur": theme,
            "total_eur": total,
            "members_eur": member.sum(axis=0),
            "shortfall_eur": shortfall.sum(axis=0),
            "theme_members_eur": theme_members,
            "ceiling_eur": ceiling,
            "overshoot_eur": np.round(overshoot, 2),
            "scale_factor": scale,
            "clusters_funded": (public > 0).sum(axis=0),
        }
    )
    cum_basic = float(basic.sum())
    cum_members = float(member.sum())
    summary = {
        "name": params.name,
        "cumulative_public_eur": float(total.sum()),
        "cumulative_basic_eur": cum_basic,
        "cumulative_cluster_projects_eur": float(cp.sum()),
        "cumulative_intercluster_eur": float(ic.sum()),
        "yearly_average_eur": float(total.mean()),
        "cumulative_members_eur": cum_members,
        "leverage": cum_members / cum_basic if cum_basic > 0 else float("nan"),
        "self_financing_share_last_year": float(member[:, -1].sum() / budget[:, -1].sum())
        if budget[:, -1].sum() > 0
        else float("nan"),
        "clusters_funded_last_year": int((public[:, -1] > 0).sum()),
        "overshoot_years": int((overshoot > 0).sum()),
        "cumulative_shortfall_eur": float(shortfall.sum()),
        "clusters_short": int((shortfall > 0).any(axis=1).sum()),
        "cumulative_overshoot_eur": float(overshoot.sum()),
        **members_and_themes.new_themes_summary(
            params, public[len(base.cluster_ids) :], member[len(base.cluster_ids) :], theme, theme_members
        ),
    }
    return ScenarioResult(params, clusters, year_table, summary, base.calibration, base.scale, base.total_eur, base.year)


def compare(results: list[ScenarioResult]) -> pd.DataFrame:
    """Cumulative public cost by component of each scenario, and its difference against the first."""
    rows = []
    base = results[0].years[list(COMPONENTS)].sum()
    base_members = results[0].summary["cumulative_members_eur"]
    for r in results:
        sums = r.years[list(COMPONENTS)].sum()
        row = {"scenario": r.params.name}
        for comp in COMPONENTS:
            row[comp] = float(sums[comp])
            row[f"diff_{comp}"] = float(sums[comp] - base[comp])
        row["total_eur"] = float(sums.sum())
        row["diff_total_eur"] = float(sums.sum() - base.sum())
        row["members_eur"] = r.summary["cumulative_members_eur"]
        row["diff_members_eur"] = r.summary["cumulative_members_eur"] - base_members
        rows.append(row)
    return pd.DataFrame(rows)


def to_form(params: ScenarioParams) -> dict:
    """Every parameter in the units the editor shows (percent, EUR million; an optional value left out is 0)."""
    return {spec.name: spec.to_display(getattr(params, spec.name)) for spec in paramspec.SPECS}


def from_form(values: dict, known_clusters: tuple[str, ...] | None = None) -> ScenarioParams:
    """Parameters from the editor's units; raises ScenarioError naming every bad field."""
    d = {name: paramspec.BY_NAME[name].from_display(v) for name, v in values.items() if name in paramspec.BY_NAME}
    params = ScenarioParams.from_dict(d)
    return params.validated(known_clusters)
