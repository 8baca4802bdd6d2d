"""What a run will need, estimated from the scenario before anything starts, and the limits on it.

A scenario can ask for more than a machine has: fifty million viewers, a billion videos per
session, a farm with a trillion accounts, likes at a billionth of a euro. Such a run would fail
with a raw MemoryError after minutes, or never end. :func:`check` estimates peak memory and wall
time from the sizes that drive them and refuses, with one line naming the parameter behind the
largest need, when memory exceeds :data:`MEMORY_SHARE` of the machine or time exceeds
:data:`MAX_HOURS`. The estimates are rough (within a factor of about two, measured on the default
scenario) and err high; ``--no-size-check`` runs anyway.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sim.documents import ScenarioError
from sim.scenario import Scenario

#: Share of the machine's memory a run (or all of an experiment's parallel runs) may use.
MEMORY_SHARE = 0.8
#: Longest estimated wall time a run may have without ``--no-size-check``: more is usually a
#: mistake in a scenario (a count with three zeros too many); a real long run says so with the flag.
MAX_HOURS = 2.0
#: Measured costs (default scenario, one core of the development machine), rounded up.
BYTES_PER_VIEWER = 90  #: fixed arrays of one viewer, before interests and follows
BYTES_PER_VIEWER_NICHE = 8  #: interest share and its running sum, float32
BYTES_PER_FOLLOW_SLOT = 11  #: the follow slot and the follow graph's working copies
BYTES_PER_IMPRESSION = 110  #: a tick's per-impression arrays (viewer, video, uniform, reactions)
BYTES_PER_VIDEO = 400  #: a row of the video table, with room to grow
BYTES_PER_AGENT = 2_000  #: a Mesa agent (creator or brand) and its per-creator entries
BYTES_PER_BOT = 20  #: a bot account's farm, look and tally
BYTES_PER_BOUGHT_LIKE = 24  #: a like arriving in one tick, while it is booked
SECONDS_PER_IMPRESSION = 5e-7
SECONDS_PER_TICK = 5e-3  #: a tick's fixed cost (a few dozen numpy calls)
SECONDS_PER_CANDIDATE_TICK = 5e-7  #: ranking and counting one candidate video in one tick
SECONDS_PER_AGENT_TICK = 3e-6  #: a brand's or a strategist creator's step in one tick
SECONDS_PER_AGENT = 1e-4  #: creating a Mesa agent, and its share of each day's bookkeeping
SECONDS_PER_BRAND_OFFER = 5e-3  #: one brand pricing its niche's creators
SECONDS_PER_BOUGHT_LIKE = 2e-7


@dataclass(frozen=True)
class Need:
    """One part of a run's needs: how much, and which parameters drive it (for the message)."""

    what: str
    memory: float = 0.0  #: bytes at the peak
    seconds: float = 0.0


def needs(scenario: Scenario) -> list[Need]:
    """The parts of a run's peak memory and wall time, each named by the parameters behind it."""
    viewers, creators, clock = scenario.viewers, scenario.creators, scenario.clock
    peak_hour_share = max(clock.activity_curve) / sum(clock.activity_curve) * clock.hours_per_tick
    spread = (1 + viewers.sessions_spread) ** 2  # the busiest viewers open the app more than the mean
    per_day = viewers.count * viewers.sessions_per_day * viewers.videos_per_session
    per_viewer = (
        BYTES_PER_VIEWER
        + BYTES_PER_VIEWER_NICHE * len(scenario.niches)
        + BYTES_PER_FOLLOW_SLOT * viewers.follow_slots
    )
    videos = creators.count * creators.posts_per_day * clock.days
    ticks = clock.days * clock.ticks_per_day
    candidates = creators.count * creators.posts_per_day * min(scenario.ranking.max_age_days, clock.days)
    brand_rounds = clock.days / scenario.brands.shopping_interval_days
    strategists = creators.count * sum(
        group.share for group in creators.groups if group.strategy != "organic"
    )
    parts = [
        Need(f"viewers.count={viewers.count:,}", memory=viewers.count * per_viewer),
        Need(
            f"viewers.count x sessions_per_day x videos_per_session ({per_day:,.0f} impressions a day)",
            memory=per_day * peak_hour_share * min(spread, 4) * BYTES_PER_IMPRESSION,
            seconds=per_day * clock.days * SECONDS_PER_IMPRESSION,
        ),
        Need(
            f"creators.count x posts_per_day x clock.days ({videos:,.0f} videos)",
            memory=videos * BYTES_PER_VIDEO,
        ),
        Need(
            f"creators.count x posts_per_day x ranking.max_age_days ({candidates:,.0f} candidate videos "
            f"over {ticks:,} ticks)",
            seconds=ticks * (SECONDS_PER_TICK + candidates * SECONDS_PER_CANDIDATE_TICK),
        ),
        Need(
            f"creators.count={creators.count:,} and brands.count={scenario.brands.count:,}",
            memory=(creators.count + scenario.brands.count) * BYTES_PER_AGENT,
            seconds=(creators.count + scenario.brands.count) * SECONDS_PER_AGENT
            + (strategists + scenario.brands.count) * ticks * SECONDS_PER_AGENT_TICK,
        ),
        Need(
            f"brands.count x shopping rounds ({scenario.brands.count * brand_rounds:,.0f} rounds)",
            seconds=scenario.brands.count * brand_rounds * SECONDS_PER_BRAND_OFFER,
        ),
    ]
    for i, farm in enumerate(scenario.farms):
        parts.append(Need(f"farms.{i}.accounts={farm.accounts:,}", memory=farm.accounts * BYTES_PER_BOT))
    for i, group in enumerate(creators.groups):
        if group.buy_likes is None:
            continue
        farm = scenario.farm(group.buy_likes.farm)
        per_order = group.buy_likes.budget_per_video / farm.price_per_1000 * 1000
        orders = group.share * videos
        parts.append(
            Need(
                f"creators.groups.{i}.buy_likes.budget_per_video / farm price_per_1000 "
                f"({per_order:,.3g} likes per order)",
                memory=per_order * BYTES_PER_BOUGHT_LIKE,
                seconds=per_order * orders * farm.fill_share * SECONDS_PER_BOUGHT_LIKE,
            )
        )
    return parts


def machine_memory() -> float:
    """Bytes of physical memory on this machine."""
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def check(
    scenario: Scenario, parallel: int = 1, memory: float | None = None, hours: float | None = None
) -> None:
    """Refuse a run that would need more than the machine has, or more than ``hours``.

    Args:
        parallel: runs that will be in memory at once (an experiment's workers).
        memory: bytes available (default: :data:`MEMORY_SHARE` of the machine).
        hours: the longest estimated wall time accepted (default: :data:`MAX_HOURS`).

    Raises:
        ScenarioError: naming the parameters behind the largest need, and the way to run anyway.
    """
    hours = MAX_HOURS if hours is None else hours
    parts = needs(scenario)
    allowed = MEMORY_SHARE * machine_memory() if memory is None else memory
    peak = parallel * sum(p.memory for p in parts)
    if peak > allowed:
        largest = max(parts, key=lambda p: p.memory)
        raise ScenarioError(
            f"{largest.what}: the run would need about {_size(peak)} of memory"
            f"{f' ({parallel} at once)' if parallel > 1 else ''}, more than the {_size(allowed)} "
            "available (shrink it, or --no-size-check to try anyway)"
        )
    seconds = sum(p.seconds for p in parts)
    if seconds > hours * 3600:
        largest = max(parts, key=lambda p: p.seconds)
        raise ScenarioError(
            f"{largest.what}: the run would take about {seconds / 3600:,.1f} hours, more than the "
            f"{hours:g} accepted (shrink it, or --no-size-check to run anyway)"
        )


def _size(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if size < 1024 or unit == "PB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} PB"
