"""LIVE rooms and gifts: who joins a creator's room, who gifts, with what coins.

Creators with the ``live_gifts`` strategy go LIVE; each tick, active viewers who follow a creator
who is LIVE may join the room, and others may find a LIVE in a niche they like through the feed.
In the room, a viewer who ever gifts (a ``gifter_share`` of viewers) sends a gift with a logit
that rises with their generosity (heavy-tailed: whales), their engagement with the creator, being
the creator's VIP, their mood, the size of the room and their *rivalry*: competitive gifting is
big spenders vying for the room's leaderboard, so the gifts others sent in the room last tick
spur the generous (log(1 + gifts) x log generosity, for generosity above the median). The gift's
size grows with generosity and with rivalry.
Coins come from the viewer's wallet; when it is short the viewer buys the smallest pack that covers
the gift. The ledger books every coin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import expit

from sim.ledger import Ledger
from sim.scenario import Scenario, to_milli

if TYPE_CHECKING:
    from sim.model import LikeEconomy

#: Largest log-multiplier rivalry can put on a gift: the catalogue caps any gift anyway, and this
#: keeps the exponential finite.
MAX_ESCALATION = 50.0


class LiveRooms:
    """Who is LIVE, who is in the rooms, and the gifts.

    Attributes:
        generosity: (V,) lognormal spending propensity of every viewer (median 1).
        gifter: (V,) whether the viewer ever sends gifts.
        live_until: (C,) simulated hour until which each creator is LIVE.
        gifts_last_tick: (C,) gifts sent in each creator's room in the last tick.
        audience: (C,) viewer-ticks spent in each creator's rooms so far.
    """

    def __init__(self, spec: Scenario, n_creators: int, ledger: Ledger, rng: np.random.Generator):
        self.spec = spec.gifts
        self.join = spec.live
        n = spec.viewers.count
        self.ledger = ledger
        self.generosity = rng.lognormal(0.0, self.spec.generosity_spread, n)
        self.gifter = rng.random(n) < self.spec.gifter_share
        self.live_until = np.full(n_creators, -np.inf)
        self.gifts_last_tick = np.zeros(n_creators, np.int64)
        self.audience = np.zeros(n_creators, np.int64)
        self._catalogue = np.sort(np.asarray(self.spec.catalogue))
        self._packs = np.sort(np.asarray(self.spec.packs))
        self._coin_price = to_milli(self.spec.coin_price)

    def go_live(self, creator: int, until_hour: float) -> None:
        """``creator`` is LIVE from now until ``until_hour``."""
        self.live_until[creator] = until_hour

    def step(self, model: LikeEconomy, impressions: np.ndarray) -> None:
        """One tick of LIVE: fill the rooms from this tick's active viewers, then gift.

        Args:
            impressions: (I,) viewer of each of the tick's impressions (who is on the app).
        """
        live = self.live_until > model.hour
        if not live.any():
            self.gifts_last_tick[:] = 0
            return
        viewer, creator = self._fill_rooms(model, np.unique(impressions), live)
        room_size = np.bincount(creator, minlength=live.size)
        self.audience += room_size
        model.fans.add(viewer, creator, "live_tick")
        self._gift(model, viewer, creator, room_size)

    def _fill_rooms(self, model: LikeEconomy, active: np.ndarray, live: np.ndarray):
        """(viewer, creator) of every room member this tick; a viewer is in one room at most."""
        rng = model.rng
        slots = model.follows.slots[active]
        follows_live = (slots >= 0) & live[np.maximum(slots, 0)]
        room = np.where(
            follows_live.any(axis=1), slots[np.arange(active.size), follows_live.argmax(axis=1)], -1
        )
        room[rng.random(active.size) >= self.join.follower_join] = -1

        live_creators = np.flatnonzero(live)
        niche_of = np.array([c.niche for c in model.creator_list])[live_creators]
        order = np.argsort(niche_of, kind="stable")
        n_niches = len(model.spec.niches)
        starts = np.searchsorted(niche_of[order], np.arange(n_niches + 1))
        browsing = np.flatnonzero((room < 0) & (rng.random(active.size) < self.join.feed_join))
        niche = model.viewers.pick_niches(active[browsing], 0.0, rng)
        count = starts[niche + 1] - starts[niche]
        found = count > 0
        pick = starts[niche[found]] + (rng.random(int(found.sum())) * count[found]).astype(np.int64)
        room[browsing[found]] = live_creators[order[pick]]
        member = room >= 0
        return active[member], room[member]

    def _gift(self, model: LikeEconomy, viewer, creator, room_size) -> None:
        spec, rng = self.spec.gift, model.rng
        gifters = self.gifter[viewer]
        viewer, creator = viewer[gifters], creator[gifters]
        generosity = self.generosity[viewer]
        # Rivalry: gifts others sent here last tick, felt only by the generous (leaderboard contenders).
        rivalry = np.log1p(self.gifts_last_tick[creator]) * np.maximum(np.log(generosity), 0)
        logit = (
            spec.base
            + spec.generosity * np.log(generosity)
            + spec.fandom * np.log1p(model.fans.of(viewer, creator))
            + spec.vip * (model.subscriptions.vip_creator[viewer] == creator)
            + spec.mood * model.viewers.mood[viewer]
            + spec.competition * rivalry
            + spec.liveliness * np.log1p(room_size[creator])
        )
        sends = rng.random(viewer.size) < expit(logit)
        viewer, creator = viewer[sends], creator[sends]
        wanted = (
            self.spec.gift_size
            * generosity[sends]
            * np.exp(np.minimum(self.spec.escalation * rivalry[sends], MAX_ESCALATION))
            * rng.exponential(1.0, viewer.size)
        )
        coins = self._catalogue[np.maximum(np.searchsorted(self._catalogue, wanted, side="right") - 1, 0)]
        self._top_up(viewer, coins)
        self.ledger.gift(viewer, creator, coins, self._coin_price, self.spec.payout_per_coin)
        model.fans.add(viewer, creator, "gift", np.log1p(coins))
        self.gifts_last_tick = np.bincount(creator, minlength=self.gifts_last_tick.size)

    def _top_up(self, viewer: np.ndarray, coins: np.ndarray) -> None:
        """Viewers short of coins buy the smallest pack that covers the gift (or several big ones).

        A viewer sends at most one gift per tick, so each wallet is checked once.
        """
        short = coins - self.ledger.wallet[viewer]
        buying = short > 0
        need = short[buying]
        pack = np.searchsorted(self._packs, need)
        largest = self._packs[-1]
        bought = np.where(
            pack < self._packs.size,
            self._packs[np.minimum(pack, self._packs.size - 1)],
            largest * -(-need // largest),
        )
        self.ledger.buy_coins(viewer[buying], bought, self._coin_price)
