"""Goal seeking against one model run, at today's size and at 2,000 clusters: ``python -m bench.goalseek``.

Every parameter the search may move, for each of the three goals, on a scenario with a ceiling.
Each search is timed right after a single model run of the same scenario, and the ratio of each
such pair is kept (a shared machine slows both sides of a pair alike); the figure is the median,
and the worst, of those ratios. Aim: at most 25 model runs' time; under a second at 2,000 clusters.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import median

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clusterpolicy.model import goalseek, scenarios  # noqa: E402 - after the path is set


def synthetic_base(n: int, seed: int = 7) -> scenarios.Base:
    """``n`` clusters with operating budgets of EUR 0.4-2.5 M, each subsidised at 50 % under the EUR 500,000 cap."""
    rng = np.random.default_rng(seed)
    budget = np.round(rng.uniform(400_000, 2_500_000, n), -3)
    return scenarios.Base(
        year=2024,
        cluster_ids=tuple(f"c{i:04d}" for i in range(n)),
        cluster_names=tuple(f"Cluster {i:04d}" for i in range(n)),
        budget_eur=budget,
        public_eur=np.minimum(0.5 * budget, 500_000.0),
        attainment=rng.uniform(0.6, 1.4, n),
        cp_eur=min(40_000_000.0 * n / 6, 500_000_000.0),  # the envelopes' range ends at EUR 1 billion
        ic_eur=min(4_000_000.0 * n / 6, 50_000_000.0),
    )


def questions(base: scenarios.Base, params: scenarios.ScenarioParams) -> list[tuple[str, goalseek.Goal]]:
    first = scenarios.run(base, params)
    saving = 0.1 * first.summary["cumulative_public_eur"]
    goals = [goalseek.Goal("ceiling"), goalseek.Goal("saving", amount_eur=saving), goalseek.Goal("self_financing", share=0.55)]
    return [(p, g) for p in goalseek.PARAMETERS for g in goals]


def time_size(n: int, rounds: int) -> dict:
    base = synthetic_base(n)
    first = scenarios.run(base, scenarios.ScenarioParams(cp_eur=base.cp_eur, ic_eur=base.ic_eur))
    # a ceiling 5 % under the peak: the continuation overshoots it, so the search has work to do
    params = scenarios.ScenarioParams(
        name="bench",
        share_end=0.3,
        cp_eur=base.cp_eur,
        ic_eur=base.ic_eur,
        new_from_year=2027,
        ceiling_eur=round(0.95 * float(first.years["total_eur"].max()), 2),
    )
    ratios, seconds, runs = [], [], []
    for _ in range(rounds):
        for parameter, goal in questions(base, params):
            t = time.perf_counter()
            scenarios.run(base, params)
            one = time.perf_counter() - t
            t = time.perf_counter()
            answer = goalseek.seek(base, params, parameter, goal)
            took = time.perf_counter() - t
            ratios.append(took / one)
            seconds.append(took)
            runs.append(answer.runs)
    return {
        "clusters": n,
        "questions": len(questions(base, params)),
        "median_ratio": median(ratios),
        "worst_ratio": max(ratios),
        "median_s": median(seconds),
        "worst_s": max(seconds),
        "most_runs": max(runs),
        "median_runs": median(runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for n in (6, 2000):
        r = time_size(n, args.rounds)
        print(
            f"{r['clusters']:5d} clusters, {r['questions']} questions x {args.rounds}: "
            f"{r['median_ratio']:.1f}x one run (worst {r['worst_ratio']:.1f}x), "
            f"{r['median_s'] * 1000:.1f} ms (worst {r['worst_s'] * 1000:.1f} ms), "
            f"model runs: median {r['median_runs']:.0f}, most {r['most_runs']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
