"""VIP subscriptions: fans pay a creator monthly for perks.

Once a day, each creator with the ``vip`` strategy offers its subscription, on each of its
platforms, to its fans (viewers
with an engagement score for it). A fan who is not yet a VIP anywhere subscribes with a logit that
rises with their engagement and generosity and falls with the price, so subscribers are drawn from
the most engaged fans. A subscription runs for 30 days; at its end the fan renews, or churns with
``monthly_churn``. Perks: a share of the subscriber's feed goes to the creator's videos, and a
subscriber likes, comments and gifts more (``loyalty`` and ``gift.vip`` coefficients). A viewer
holds one VIP subscription at a time on each platform, so the perks are (V,) arrays per platform.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from sim.fans import FanScores
from sim.ledger import Ledger
from sim.scenario import MILLI, Subscriptions

MONTH_HOURS = 30 * 24


class VipSubscriptions:
    """Who subscribes to whom, until when, at what price.

    Attributes:
        vip_creator: (V,) the creator each viewer subscribes to, or -1.
        renews_at: (V,) simulated hour of the subscription's next renewal.
        price: (C,) each creator's monthly price in milli-units (0: no offer).
        subscriptions_started: (C,) new subscriptions each creator has won.
    """

    def __init__(self, n_viewers: int, n_creators: int, ledger: Ledger, platform: int = 0):
        self.ledger = ledger
        self.platform = platform
        self.vip_creator = np.full(n_viewers, -1, np.int32)
        self.renews_at = np.zeros(n_viewers)
        self.price = np.zeros(n_creators, np.int64)
        self.subscriptions_started = np.zeros(n_creators, np.int64)

    def configure(self, spec: Subscriptions, creator_share: float) -> None:
        """Take the current subscription rules and the platform's share for creators."""
        self.spec, self.creator_share = spec, creator_share

    @property
    def count(self) -> int:
        """Current subscribers."""
        return int((self.vip_creator >= 0).sum())

    def offer(
        self, creator: int, price: int, hour: float, fans: FanScores, generosity: np.ndarray, rng
    ) -> None:
        """``creator`` offers its subscription at ``price`` milli-units a month to its fans today."""
        self.price[creator] = price
        fan, engagement = fans.fans_of(creator)
        free = self.vip_creator[fan] < 0
        fan, engagement = fan[free], engagement[free]
        spec = self.spec.subscribe
        logit = (
            spec.base
            + spec.engagement * np.log1p(engagement)
            + spec.price * price / MILLI
            + spec.generosity * np.log(generosity[fan])
        )
        joins = fan[rng.random(fan.size) < expit(logit)]
        self.vip_creator[joins] = creator
        self.renews_at[joins] = hour + MONTH_HOURS
        self.subscriptions_started[creator] += joins.size
        self.ledger.subscribe(
            np.full(joins.size, creator), np.full(joins.size, price), self.creator_share, self.platform
        )

    def renew(self, hour: float, rng) -> None:
        """Subscriptions whose month is over renew (and pay again) or churn."""
        due = np.flatnonzero((self.vip_creator >= 0) & (self.renews_at <= hour))
        churns = rng.random(due.size) < self.spec.monthly_churn
        self.vip_creator[due[churns]] = -1
        staying = due[~churns]
        creator = self.vip_creator[staying].astype(np.int64)
        self.renews_at[staying] += MONTH_HOURS
        self.ledger.subscribe(creator, self.price[creator], self.creator_share, self.platform)
