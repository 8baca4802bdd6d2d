"""Like farms: orders, delivery by bot accounts, and the ground truth of every bought like.

A creator pays a farm for likes on one video (an *order*). The farm delivers them over the next
hours from its bot accounts, which are a population apart from the human viewers: bots are never
shown a feed, so they never watch, follow, gift or buy; they only add likes. Delivered likes are
kept in *cohorts* (one order, one day of delivery, bots that look alike), so removal and survival
can be followed without one row per like.

Ground truth (which likes were bought) lives only here and in the video table's ``bought_*``
columns. No decision inside the model reads it: the platform detector and the brands' audit see
only the displayed counts and whether the liking accounts *look* like bots.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.scenario import LikeFarm
from sim.tables import Table

#: Cohort columns and dtypes.
COHORT_COLUMNS = {
    "order": np.int64,
    "video": np.int64,
    "creator": np.int32,
    "farm": np.int16,
    "flagged": np.bool_,  # delivered by bots that look like bots
    "day": np.int32,  # simulated day of delivery
    "delivered": np.int64,
    "alive": np.int64,
    "at_risk_today": np.int64,  # alive at the start of today + delivered today (for survival)
    "removed_today": np.int64,  # removed by the platform or dropped by the farm today
}


class BotAccounts:
    """Every farm's bot accounts, as arrays (B = all farms' accounts together).

    Attributes:
        farm: (B,) farm index of each account.
        looks_like_bot: (B,) whether the account fails to pass as human (empty profile, no watch
            time); a share ``1 - bot_quality`` of each farm's accounts.
        likes_given: (B,) likes each account has delivered.
    """

    def __init__(self, farms: list[LikeFarm], rng: np.random.Generator):
        sizes = np.array([farm.accounts for farm in farms])
        self.farm = np.repeat(np.arange(len(farms)), sizes).astype(np.int16)
        self.first = np.r_[0, np.cumsum(sizes)[:-1]]
        self.sizes = sizes
        quality = np.array([farm.bot_quality for farm in farms])[self.farm]
        self.looks_like_bot = rng.random(self.farm.size) >= quality
        self.likes_given = np.zeros(self.farm.size, np.int64)

    def like(self, farm: np.ndarray, n: np.ndarray, rng) -> np.ndarray:
        """``n[i]`` likes from random accounts of ``farm[i]``; returns how many of each look like bots."""
        order = np.repeat(np.arange(n.size), n)
        own_farm = farm[order]
        account = self.first[own_farm] + rng.integers(self.sizes[own_farm])
        np.add.at(self.likes_given, account, 1)
        return np.bincount(order, weights=self.looks_like_bot[account], minlength=n.size).astype(np.int64)


class LikeMarket:
    """The farms, their orders and the cohorts of likes they delivered.

    Attributes:
        orders: one row per order (creator, video, farm, hour, cost, purchased, to_deliver,
            delivered, and ``within_24h``: delivered within 24 hours of the order).
        cohorts: one row per (order, day of delivery, bot look); see :data:`COHORT_COLUMNS`.
        survival_at_risk, survival_removed: per age in days, likes at risk and likes lost (the
            Kaplan-Meier tallies of :func:`survival`).
    """

    def __init__(self, farms: list[LikeFarm], hours_per_tick: int, rng: np.random.Generator):
        self.bots = BotAccounts(farms, rng)
        self.orders = Table(
            {
                "creator": np.int32,
                "video": np.int64,
                "farm": np.int16,
                "hour": np.float64,
                "cost": np.float64,
                "purchased": np.int64,
                "to_deliver": np.int64,
                "delivered": np.int64,
                "within_24h": np.int64,
            }
        )
        self.cohorts = Table(COHORT_COLUMNS)
        self._hours_per_tick = hours_per_tick
        self.configure(farms)
        # Today's cohort row of each order: column 0 for bots that pass as human, 1 for the others.
        self._today_rows = np.full((0, 2), -1, np.int64)
        self.survival_at_risk = np.zeros(0, np.int64)
        self.survival_removed = np.zeros(0, np.int64)

    def configure(self, farms: list[LikeFarm]) -> None:
        """Take the farms' current prices, fill shares and delivery and drop-off rates."""
        self.farms = farms
        # Exponential delivery: the share delivered within 24 h fixes the hourly rate.
        hourly = np.array([-np.log(1 - farm.within_24h) / 24 for farm in farms])
        self._delivery_chance = 1 - np.exp(-hourly * self._hours_per_tick)
        self._drop_chance = 1 - np.exp(-np.array([farm.drop_off_per_day for farm in farms]))

    def farm_index(self, name: str) -> int:
        """Position of the farm called ``name``."""
        return next(i for i, farm in enumerate(self.farms) if farm.name == name)

    def order(self, creator: int, video: int, farm: int, euros: float, hour: float, rng) -> int:
        """Pay ``euros`` for likes on ``video``; returns the number of likes purchased.

        The farm will deliver a binomial ``fill_share`` of them (the rest is paid and never comes).
        """
        spec = self.farms[farm]
        purchased = int(euros / spec.price_per_1000 * 1000)
        self.orders.append(
            creator=creator,
            video=video,
            farm=farm,
            hour=hour,
            cost=euros,
            purchased=purchased,
            to_deliver=rng.binomial(purchased, spec.fill_share),
            delivered=0,
        )
        return purchased

    def deliver(self, videos, hour: float, rng) -> int:
        """One tick of delivery, the tick starting at ``hour``; returns the number of likes delivered.

        Each like still owed on an order arrives this tick with the farm's per-tick chance.
        """
        orders = self.orders
        pending = np.flatnonzero(orders["delivered"] < orders["to_deliver"])
        if pending.size == 0:
            return 0
        farm = orders["farm"][pending]
        remaining = orders["to_deliver"][pending] - orders["delivered"][pending]
        arriving = rng.binomial(remaining, self._delivery_chance[farm])
        order, n = pending[arriving > 0], arriving[arriving > 0]
        flagged = self.bots.like(orders["farm"][order], n, rng)
        orders.columns["delivered"][order] += n
        in_time = hour + self._hours_per_tick - orders["hour"][order] <= 24
        orders.columns["within_24h"][order[in_time]] += n[in_time]
        video = orders["video"][order]
        np.add.at(videos.columns["bought_likes"], video, n)
        np.add.at(videos.columns["flagged_bought"], video, flagged)
        for looks_like_bot, count in ((False, n - flagged), (True, flagged)):
            some = count > 0
            rows = self._today_cohorts(order[some], looks_like_bot, int(hour // 24))
            for name in ("delivered", "alive", "at_risk_today"):
                self.cohorts.columns[name][rows] += count[some]
        return int(n.sum())

    def _today_cohorts(self, order: np.ndarray, looks_like_bot: bool, day: int) -> np.ndarray:
        """Today's cohort row of each order for likes of this bot look, created where missing."""
        if self._today_rows.shape[0] < self.orders.size:
            missing = self.orders.size - self._today_rows.shape[0]
            self._today_rows = np.vstack([self._today_rows, np.full((missing, 2), -1, np.int64)])
        rows = self._today_rows[order, int(looks_like_bot)]
        new = order[rows < 0]
        if new.size:
            orders = self.orders
            rows[rows < 0] = self.cohorts.append(
                order=new,
                video=orders["video"][new],
                creator=orders["creator"][new],
                farm=orders["farm"][new],
                flagged=looks_like_bot,
                day=day,
            )
            self._today_rows[order, int(looks_like_bot)] = rows
        return rows

    def lose(self, rows: np.ndarray, lost: np.ndarray, videos, column: str) -> None:
        """Take ``lost`` likes from each cohort in ``rows`` (platform removal or farm drop-off).

        Args:
            column: the video counter the loss is booked in (``bought_removed`` or ``bought_dropped``).
        """
        cohorts = self.cohorts.columns
        np.subtract.at(cohorts["alive"], rows, lost)
        np.add.at(cohorts["removed_today"], rows, lost)
        video = cohorts["video"][rows]
        np.add.at(videos.columns[column], video, lost)
        flagged = cohorts["flagged"][rows]
        np.subtract.at(videos.columns["flagged_bought"], video[flagged], lost[flagged])

    def drop_off(self, videos, rng) -> int:
        """The farms' own daily losses (accounts deleted, likes withdrawn); returns likes dropped."""
        rows = np.flatnonzero(self.cohorts["alive"] > 0)
        chance = self._drop_chance[self.cohorts["farm"][rows]]
        lost = rng.binomial(self.cohorts["alive"][rows], chance)
        self.lose(rows, lost, videos, "bought_dropped")
        return int(lost.sum())

    def close_day(self, day: int) -> None:
        """Add today's at-risk and lost likes to the survival tallies by cohort age; start a new day."""
        cohorts = self.cohorts
        live = np.flatnonzero(cohorts["at_risk_today"] > 0)
        age = day - cohorts["day"][live]
        size = max(self.survival_at_risk.size, int(age.max(initial=-1)) + 1)
        self.survival_at_risk = np.pad(self.survival_at_risk, (0, size - self.survival_at_risk.size))
        self.survival_removed = np.pad(self.survival_removed, (0, size - self.survival_removed.size))
        np.add.at(self.survival_at_risk, age, cohorts["at_risk_today"][live])
        np.add.at(self.survival_removed, age, cohorts["removed_today"][live])
        cohorts.columns["removed_today"][: cohorts.size] = 0
        cohorts.columns["at_risk_today"][: cohorts.size] = cohorts["alive"]
        self._today_rows[:] = -1


def _tallies(markets: list[LikeMarket]) -> tuple[np.ndarray, np.ndarray]:
    """Likes at risk and lost per age in days, over every platform's market."""
    size = max(m.survival_at_risk.size for m in markets)
    at_risk = sum(np.pad(m.survival_at_risk, (0, size - m.survival_at_risk.size)) for m in markets)
    removed = sum(np.pad(m.survival_removed, (0, size - m.survival_removed.size)) for m in markets)
    return at_risk, removed


def survival(markets: list[LikeMarket]) -> np.ndarray:
    """Kaplan-Meier share of bought likes still online at each age 0, 1, 2, ... days (all platforms).

    Element ``a`` is the share surviving ``a`` full days after delivery; cohorts younger than
    ``a`` days are censored, so short runs still give an unbiased curve where data exist.
    """
    at_risk, removed = _tallies(markets)
    return np.r_[1.0, np.cumprod(1 - removed / np.maximum(at_risk, 1))]


def summary(markets: list[LikeMarket], now_hour: float) -> dict:
    """Orders, spend, delivery and survival of the whole run on every platform, as of ``now_hour``.

    ``bought_likes_within_24h`` is the share of the likes owed on orders placed at least a day
    ago that arrived within 24 hours of the order.
    """
    curve = survival(markets)

    def total(column: str, where=None) -> float:
        return sum(m.orders[column][where(m) if where else slice(None)].sum() for m in markets)

    def day_old(market: LikeMarket) -> np.ndarray:
        return market.orders["hour"] <= now_hour - 24

    owed = int(total("to_deliver", day_old))
    return {
        "like_orders": sum(m.orders.size for m in markets),
        "like_spend": float(total("cost")),
        "bought_likes_purchased": int(total("purchased")),
        "bought_likes_delivered": int(total("delivered")),
        "bought_likes_within_24h": int(total("within_24h", day_old)) / owed if owed else None,
        "bought_like_survival_28d": float(curve[28]) if curve.size > 28 else None,
    }


def survival_table(markets: list[LikeMarket]) -> pd.DataFrame:
    """The survival curve with its tallies: one row per age in days."""
    curve = survival(markets)
    at_risk, removed = _tallies(markets)
    return pd.DataFrame(
        {
            "age_days": np.arange(curve.size),
            "survival": curve,
            "at_risk": np.r_[at_risk, 0],
            "removed": np.r_[removed, 0],
        }
    )
