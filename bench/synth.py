"""Synthetic data at a chosen scale (e.g. EU scale: 2,000 clusters, 40 KPIs, 25 years, 50,000 projects).

Writes seed CSVs that obey every rule of the schema, then builds them with the normal build, so the
benchmark measures the real pipeline. All values are illustrative and cite one illustrative source.
Run: python -m bench.synth OUT_DIR [--clusters 2000 --kpis 40 --years 25 --projects 50000]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from clusterpolicy.data import build
from clusterpolicy.paths import SEED_DIR

THEMES = ["circular_economy", "energy", "industry_4_0", "health", "logistics", "blue_economy"]


def write_seed(out: Path, clusters: int, kpis: int, years: int, projects: int, seed: int = 7) -> Path:
    """Write a complete seed folder at the given scale and return it."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    first_year, last_year = 2024 - years + 1, 2024
    src = pd.read_csv(SEED_DIR / "source.csv", dtype=str, keep_default_na=False)
    src.to_csv(out / "source.csv", index=False)
    ids = [f"c{i:05d}" for i in range(clusters)]
    recognised = rng.integers(first_year, last_year - 1, clusters)
    ended = np.where(rng.random(clusters) < 0.1, np.minimum(recognised + rng.integers(2, 10, clusters), last_year - 1), -1)
    cl = pd.DataFrame(
        {
            "cluster_id": ids,
            "name": [f"Cluster {i:05d}" for i in range(clusters)],
            "domain": "Synthetic",
            "domain_nl": "Synthetisch",
            "type": np.where(rng.random(clusters) < 0.8, "spearhead", "ibn"),
            "recognised_year": recognised,
            "ended_year": pd.array(np.where(ended > 0, ended, 0), dtype="Int64"),
            "website": "",
            "source_id": "illus_basic_funding",
            "ended_source_id": np.where(ended > 0, "derived_sim_end", ""),
        }
    )
    cl.loc[ended <= 0, "ended_year"] = pd.NA
    cl.to_csv(out / "cluster.csv", index=False)
    # basic funding for every active year
    rows = []
    year_grid = np.arange(first_year, last_year + 1)
    for cid, r, e, typ in zip(ids, recognised, ended, cl["type"]):
        last = e if e > 0 else last_year
        ys = year_grid[(year_grid >= r) & (year_grid <= last)]
        budget = np.round(rng.uniform(300_000, 1_500_000) * 1.03 ** (ys - r), -3)
        public = np.floor(0.5 * budget / 1000) * 1000
        if typ == "spearhead":
            public = np.minimum(public, 500_000)
        rows.append(pd.DataFrame({"cluster_id": cid, "year": ys, "public_eur": public, "member_eur": budget - public}))
    bf = pd.concat(rows, ignore_index=True)
    bf["source_id"] = "illus_basic_funding"
    bf.to_csv(out / "basic_funding.csv", index=False, float_format="%.2f")
    eb = pd.DataFrame(
        [
            (
                y,
                env,
                "",
                float(rng.integers(50, 100) * 1_000_000 if env == "cluster_projects" else rng.integers(1, 8) * 1_000_000),
                "illus_earmarked",
                "",
            )
            for y in year_grid
            for env in ("cluster_projects", "intercluster_projects")
        ],
        columns=["year", "envelope", "cluster_id", "amount_eur", "source_id", "note"],
    )
    eb.to_csv(out / "earmarked_budget.csv", index=False, float_format="%.2f")
    start = rng.integers(first_year, last_year, projects)
    budget = np.round(rng.uniform(500_000, 5_000_000, projects), -3)
    ip = pd.DataFrame(
        {
            "project_id": [f"P{i:06d}" for i in range(projects)],
            "title": [f"Project {i}" for i in range(projects)],
            "theme": rng.choice(THEMES, projects),
            "start_year": start,
            "end_year": np.minimum(start + rng.integers(1, 4, projects), last_year + 1),
            "budget_eur": budget,
            "public_eur": budget / 2,
            "source_id": "illus_intercluster",
        }
    )
    ip.to_csv(out / "intercluster_project.csv", index=False, float_format="%.2f")
    members = rng.integers(0, clusters, (projects, 3))
    pc = pd.DataFrame({"project_id": np.repeat(ip["project_id"].to_numpy(), 3), "cluster_id": np.array(ids)[members.ravel()]})
    pc.drop_duplicates().to_csv(out / "project_cluster.csv", index=False)
    k = pd.DataFrame(
        {
            "kpi_id": [f"k{j:02d}" for j in range(kpis)],
            "name_nl": [f"Indicator {j}" for j in range(kpis)],
            "name_en": [f"Indicator {j}" for j in range(kpis)],
            "unit": "count",
            "higher_is_better": "true",
            "recommendation": "1.3",
            "definition_nl": "Synthetisch",
            "definition_en": "Synthetic",
        }
    )
    k.to_csv(out / "kpi.csv", index=False)
    active = bf[["cluster_id", "year"]]
    kv = active.merge(k[["kpi_id"]], how="cross")
    kv["value"] = np.round(rng.uniform(10, 1000, len(kv)), 2)
    kv["source_id"] = "illus_kpi"
    kv["value_qualifier"] = ""
    kv.to_csv(out / "kpi_value.csv", index=False, float_format="%.4f")
    kt = kv[kv["year"] >= last_year - 4][["cluster_id", "kpi_id", "year"]].copy()
    kt["target"] = np.round(rng.uniform(10, 1000, len(kt)), 2)
    kt["source_id"] = "illus_kpi_target"
    kt.to_csv(out / "kpi_target.csv", index=False, float_format="%.4f")
    # every other table of the contract as the seed has it (rules, facts, presets, the yearly ceiling,
    # members' capacity, the classification): a table the contract gains needs no change here
    for path in sorted(SEED_DIR.glob("*.csv")):
        if not (out / path.name).exists():
            shutil.copy(path, out / path.name)
    # but not Flanders' published figures: the made-up amounts of hundreds of clusters break its
    # published yearly totals, which the build rightly refuses; the scale test keeps the header only
    facts = pd.read_csv(SEED_DIR / "published_fact.csv", dtype=str, keep_default_na=False)
    facts.head(0).to_csv(out / "published_fact.csv", index=False)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--kpis", type=int, default=40)
    parser.add_argument("--years", type=int, default=25)
    parser.add_argument("--projects", type=int, default=50_000)
    args = parser.parse_args()
    seed_dir = write_seed(args.out / "seed", args.clusters, args.kpis, args.years, args.projects)
    print("built", build.build(seed_dir, args.out / "clusters.duckdb", origin="synthetic"))


if __name__ == "__main__":
    main()
