"""The ranges section against deterministic model runs, in one process: ``python -m bench.ranges [--quick]``.

1. simulation: every compared scenario at the chosen number of draws (``uncertainty.DRAWS``), timed
   right after one deterministic run of the same scenarios; the figure is the median ratio of such
   pairs (a shared machine slows both sides of a pair alike). Aim: at most 25 deterministic runs.
   Also the draws per second, at today's size and at 2,000 clusters.
2. draws: how the number of draws was chosen. For 250 to 8,000 draws, the spread over 20 seeds of a
   chance near 50 % and of the 5th percentile of the cumulative cost, beside the standard error
   the sentence's rounding can bear, and the time of one scenario.
3. closed section: the scenario page's warm rerun (AppTest, the costs section shown) with the
   ranges section's code against the same rerun with its one call (declaring its link settings)
   left out, alternating. Aim: within 5 %; nothing is simulated while the section is closed.

Writes bench/results/ranges.json and prints a short table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from statistics import median, pstdev

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.goalseek import synthetic_base  # noqa: E402 - after the path is set
from clusterpolicy.model import scenarios, uncertainty  # noqa: E402
from clusterpolicy.present import ranges as words  # noqa: E402


def compared(base: scenarios.Base, n: int) -> list[scenarios.ScenarioParams]:
    """``n`` scenarios as a reader compares them: continuation, degressive, indexed, an open call; a ceiling 2 % over the first's peak."""
    first = scenarios.ScenarioParams(name="continuation", cp_eur=base.cp_eur, ic_eur=base.ic_eur)
    peak = float(scenarios.run(base, first).years["total_eur"].max())
    first = replace(first, ceiling_eur=round(1.02 * peak, 2))
    others = [
        replace(first, name="degressive", share_end=0.25),
        replace(first, name="indexed", cap_indexation=0.02, budget_growth=0.02),
        replace(first, name="open call", new_clusters=2, new_from_year=2027, perf_share=0.2),
    ]
    return [first, *others][:n]


def time_simulation(base: scenarios.Base, n: int, rounds: int) -> dict:
    chosen = compared(base, n)
    ranges = uncertainty.Ranges.default()
    ratios, seconds = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        for p in chosen:
            scenarios.run(base, p)
        one = time.perf_counter() - t
        t = time.perf_counter()
        words.simulate(base, chosen, ranges, "total_eur", None)
        took = time.perf_counter() - t
        ratios.append(took / one)
        seconds.append(took)
    return {
        "clusters": len(base.cluster_ids),
        "scenarios": n,
        "draws": ranges.draws,
        "median_ratio": median(ratios),
        "worst_ratio": max(ratios),
        "median_s": median(seconds),
        "draws_per_s": n * ranges.draws / median(seconds),
    }


def draws_choice(base: scenarios.Base, sizes: tuple[int, ...], seeds: int) -> list[dict]:
    """The spread over seeds of a chance near 50 % and of the 5th percentile of the cumulative cost, per number of draws."""
    params = compared(base, 1)[0]
    # a ceiling the cost goes above in about half the futures: the hardest chance to pin down
    sims = uncertainty.simulate(base, params, uncertainty.Ranges.default(draws=4000), "total_eur")
    ceiling = float(np.percentile(sims.cost.max(axis=1), 50))
    out = []
    for n in sizes:
        chances, lows, times = [], [], []
        for seed in range(1, seeds + 1):
            t = time.perf_counter()
            sim = uncertainty.simulate(base, params, uncertainty.Ranges.default(seed=seed, draws=n), "total_eur", ceiling)
            times.append(time.perf_counter() - t)
            chances.append(sim.chance_over)
            lows.append(float(np.percentile(sim.cumulative, 5)))
        out.append(
            {
                "draws": n,
                "chance_sd_pp": 100 * pstdev(chances),
                "chance_se_theory_pp": 100 * math.sqrt(0.25 / n),
                "p5_sd_pct": 100 * pstdev(lows) / median(lows),
                "one_scenario_ms": 1000 * median(times),
            }
        )
    return out


def closed_section(rounds: int) -> dict:
    """The scenario page's warm rerun with the ranges code, against the same rerun without its one call, alternating."""
    from streamlit.testing.v1 import AppTest

    from clusterpolicy.data import build
    from clusterpolicy.web import ranges_panel

    folder = Path(tempfile.mkdtemp(prefix="bench-ranges-"))
    os.environ["CLUSTERPOLICY_DB"] = str(folder / "clusters.duckdb")
    os.environ.setdefault("CLUSTERPOLICY_APPSTATE_URL", "")
    build.build(target=folder / "clusters.duckdb")
    with_code, without = [], []
    declare = ranges_panel.declare
    at = AppTest.from_file(str(ROOT / "pages" / "body" / "scenarios.py"), default_timeout=120)
    at.query_params["sc_view"] = "costs"
    at.run()
    for _ in range(3):  # warm: every chart and table kept
        at.run()
    for i in range(rounds):
        for on in (True, False) if i % 2 == 0 else (False, True):
            ranges_panel.declare = declare if on else (lambda: None)
            t = time.perf_counter()
            at.run()
            (with_code if on else without).append(time.perf_counter() - t)
    ranges_panel.declare = declare
    assert not at.exception, at.exception
    return {
        "rounds": rounds,
        "with_ms": 1000 * median(with_code),
        "without_ms": 1000 * median(without),
        "ratio": median(with_code) / median(without),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few rounds of each (a check that it runs, not figures)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else 30
    result = {
        "quick": args.quick,
        "simulation": [
            # at 2,000 clusters one simulation holds 2,000 x 2,000 x 10 amounts per array: fewer rounds
            time_simulation(synthetic_base(n), k, rounds if n < 100 else max(2, rounds // 6))
            for n in ((7,) if args.quick else (7, 2000))
            for k in (2, 4)
        ],
        "draws": draws_choice(
            synthetic_base(7), (500, 2000) if args.quick else (250, 500, 1000, 2000, 4000, 8000), 3 if args.quick else 20
        ),
        "closed_section": closed_section(4 if args.quick else 40),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ranges.json").write_text(json.dumps(result, indent=2))
    for s in result["simulation"]:
        print(
            f"simulation  {s['clusters']:>5} clusters x {s['scenarios']} scenarios x {s['draws']} draws: "
            f"{s['median_ratio']:.1f} deterministic runs (worst {s['worst_ratio']:.1f}), "
            f"{s['median_s'] * 1000:.1f} ms, {s['draws_per_s']:,.0f} draws/s"
        )
    for d in result["draws"]:
        print(
            f"draws {d['draws']:>5}: chance sd {d['chance_sd_pp']:.2f} pp (theory {d['chance_se_theory_pp']:.2f}), "
            f"5th percentile sd {d['p5_sd_pct']:.3f} %, {d['one_scenario_ms']:.1f} ms a scenario"
        )
    c = result["closed_section"]
    print(
        f"closed section: warm rerun {c['with_ms']:.1f} ms against {c['without_ms']:.1f} ms without the ranges code: {c['ratio']:.3f}x"
    )
    return result


if __name__ == "__main__":
    main()
