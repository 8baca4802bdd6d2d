"""Fit the social-proof response (and the MusicLab setting) to the MusicLab experiment.

Reproduces the calibration documented in docs/model.md ("Social proof"). It minimises the sum of
squared standardised gaps between the model and the published MusicLab numbers
(docs/validation.md section 1, recomputed from the download logs) over nine parameters:

- two of the social-proof response, used by the platform too:
  ``engagement.play.social_proof`` and ``engagement.like.social_proof``;
- how much people differ in readiness to like, ``engagement.like.propensity``, also used by the
  platform;
- six of the MusicLab setting, which stay in scenarios/musiclab.yaml:
  - ``musiclab.position_bias`` and ``musiclab.end_attention``;
  - ``engagement.play.base`` and ``engagement.play.hook`` (how song titles draw listens);
  - ``engagement.like.base`` (how often a listen becomes a download);
  - ``creators.groups.0.skill_sd`` (how much songs differ in appeal).

It uses Nelder-Mead with common random numbers: every candidate runs the same replicate seeds of
both displays. Each evaluation takes a few seconds on two cores; a fit takes about an hour.

    python scripts/calibrate_musiclab.py --start scenarios/musiclab.yaml --evaluations 250

It prints the best point and its measures. Copy the social-proof and propensity values into
``sim/scenario/viewing.py`` and the rest into scenarios/musiclab.yaml, then recalibrate the
platform's like intercept so the default scenario's like/view median stays at about 5%.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize

import sim
from sim.executors import worker_start
from sim.musiclab import replicate

#: (display, measure) -> (published value, tolerance). The tolerance is about the spread between
#: the experiment's own worlds or halvings, so each gap counts in comparable units.
TARGETS = {
    ("grid", "gini_social"): (0.34, 0.03),
    ("grid", "u_social"): (0.0082, 0.001),
    ("grid", "top_share_social"): (0.075, 0.015),
    ("ranked", "gini_social"): (0.50, 0.03),
    ("ranked", "u_social"): (0.0126, 0.0015),
    ("ranked", "top_share_social"): (0.16, 0.02),
    ("grid", "gini_independent"): (0.22, 0.02),
    ("grid", "u_independent"): (0.0052, 0.0008),
    ("grid", "downloaders_share"): (0.31, 0.03),
    ("ranked", "downloaders_share"): (0.31, 0.04),
    ("grid", "downloads_per_participant"): (1.3, 0.15),
    ("ranked", "downloads_per_participant"): (1.4, 0.2),
}
#: Parameters fitted, with the bounds of the search.
BOUNDS = {
    "musiclab.position_bias": (0.1, 1.5),
    "musiclab.end_attention": (0.0, 0.6),
    "engagement.play.base": (-3.0, 2.0),
    "engagement.play.hook": (0.0, 1.2),
    "engagement.like.base": (-7.0, -3.0),
    "engagement.like.propensity": (1.5, 5.0),
    "creators.groups.0.skill_sd": (0.2, 1.3),
    "engagement.play.social_proof": (0.0, 3.0),
    "engagement.like.social_proof": (0.0, 1.5),
}
SEEDS = (11, 12, 13)


def measure(job: tuple[str, list[str], str, int]) -> dict:
    path, overrides, display, seed = job
    return {"display": display, **replicate(sim.load_scenario(path, overrides), display, seed).measures}


def loss(point: dict, path: str, executor) -> tuple[float, pd.DataFrame]:
    overrides = [f"{name}={value}" for name, value in point.items()]
    jobs = [(path, overrides, display, seed) for display in ("grid", "ranked") for seed in SEEDS]
    means = pd.DataFrame(list(executor.map(measure, jobs))).groupby("display").mean()
    gaps = [(means.loc[d, m] - target) / tolerance for (d, m), (target, tolerance) in TARGETS.items()]
    return float(np.sum(np.square(gaps))), means


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="scenarios/musiclab.yaml", help="MusicLab scenario to start from")
    parser.add_argument("--evaluations", type=int, default=250)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    scenario = sim.load_scenario(args.start)
    document = scenario.model_dump()

    def value(dotted: str) -> float:
        node = document
        for key in dotted.split("."):
            node = node[int(key)] if isinstance(node, list) else node[key]
        return float(node)

    names = list(BOUNDS)
    start = np.array([value(name) for name in names])
    best: dict = {"loss": np.inf}
    with ProcessPoolExecutor(args.workers, worker_start()) as executor:

        def objective(z: np.ndarray) -> float:
            point = {n: round(float(np.clip(v, *BOUNDS[n])), 4) for n, v in zip(names, z, strict=True)}
            outside = sum((v - np.clip(v, *BOUNDS[n])) ** 2 for n, v in zip(names, z, strict=True))
            fit, means = loss(point, str(Path(args.start).resolve()), executor)
            if fit < best["loss"]:
                best.update(loss=fit, point=point, means=means.round(5).to_dict("index"))
                print(json.dumps(best), flush=True)
            return fit + 100 * outside

        options = {"maxfev": args.evaluations, "xatol": 1e-3, "fatol": 0.5, "adaptive": True}
        minimize(objective, start, method="Nelder-Mead", options=options)
    print(json.dumps(best, indent=1))


if __name__ == "__main__":
    main()
