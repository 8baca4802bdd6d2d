"""Replicates pooled per arm: the tables of every replicate of an arm as one run's tables.

The per-run plots (survival, buyers against controls, the audit's ROC, gifting, brands, platforms)
are drawn at the experiment level from these pooled tables: creators, videos, gifters and brands of
every replicate side by side (ids made unique, so a buyer's matched control stays in its own
replicate), daily tables averaged over replicates day by day, and the survival tallies added up
before the Kaplan-Meier curve is taken again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.outputs import RunResult

#: Columns holding ids, per table, and the kind of id each holds (creator, video, viewer, brand).
IDS = {
    "creators": {"creator": "creator", "control": "creator"},
    "creator_platforms": {"creator": "creator"},
    "creators_daily": {"creator": "creator"},
    "videos": {"video": "video", "creator": "creator"},
    "audit": {"creator": "creator"},
    "gifters": {"viewer": "viewer"},
    "brands": {"brand": "brand"},
    "deals": {"brand": "brand", "creator": "creator", "video": "video"},
    "switches": {"creator": "creator", "peer": "creator"},
}
#: Daily tables: averaged over replicates for each day (and platform).
DAILY = {
    "timeseries": ("day",),
    "ledger": ("day",),
    "platforms": ("day", "platform"),
    "strategy_shares": ("day", "platform", "strategy"),
    "payoffs": ("day", "strategy", "payoff"),
}
#: Summary counts the plots ask about (whether a mechanism produced anything): added up.
COUNTS = ("coins_purchased", "vip_payments", "brand_deals")


def _sizes(result: RunResult) -> dict[str, int]:
    """How many ids of each kind one run uses (the offset its successor's ids are shifted by)."""
    videos = result.videos["video"]
    return {
        "creator": len(result.creators),
        "video": int(videos.max()) + 1 if len(videos) else 0,
        "viewer": result.scenario.viewers.count,
        "brand": len(result.brands),
    }


def _stack(frames: list[pd.DataFrame], ids: dict[str, str], offsets: list[dict[str, int]]) -> pd.DataFrame:
    """Frames side by side, each id column shifted by its replicate's offset for that kind of id."""
    stacked = []
    for frame, offset in zip(frames, offsets, strict=True):
        frame = frame.copy()
        for column, kind in ids.items():
            if column in frame:
                valid = frame[column] >= 0  # -1 means "none" (a buyer without a control)
                frame.loc[valid, column] += offset[kind]
        stacked.append(frame)
    return pd.concat(stacked, ignore_index=True)


def _daily_mean(frames: list[pd.DataFrame], keys: tuple[str, ...]) -> pd.DataFrame:
    """The mean of every numeric column over replicates, for each day (and platform)."""
    table = pd.concat(frames, ignore_index=True)
    if table.empty:
        return table
    return table.groupby(list(keys), sort=False).mean(numeric_only=True).reset_index()


def _survival(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Survival tallies added over replicates, and the Kaplan-Meier curve of the sums."""
    tallies = pd.concat(frames).groupby("age_days", sort=True)[["at_risk", "removed"]].sum().reset_index()
    at_risk = np.maximum(tallies["at_risk"].to_numpy()[:-1], 1)
    survival = np.r_[1.0, np.cumprod(1 - tallies["removed"].to_numpy()[:-1] / at_risk)]
    return tallies.assign(survival=survival)[["age_days", "survival", "at_risk", "removed"]]


def pool(results: list[RunResult]) -> RunResult:
    """One arm's replicates as one run's tables (see the module docstring)."""
    sizes = [_sizes(r) for r in results]
    offsets = [
        {kind: sum(size[kind] for size in sizes[:i]) for kind in sizes[0]} for i in range(len(results))
    ]
    tables = {}
    for name, ids in IDS.items():
        tables[name] = _stack([getattr(r, name) for r in results], ids, offsets)
    for name, keys in DAILY.items():
        tables[name] = _daily_mean([getattr(r, name) for r in results], keys)
    tables["survival"] = _survival([r.survival for r in results])
    tables["events"] = results[0].events
    summary = {name: sum(r.summary.get(name) or 0 for r in results) for name in COUNTS}
    return RunResult(scenario=results[0].scenario, summary=summary, **tables)
