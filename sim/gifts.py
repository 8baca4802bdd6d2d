"""LIVE rooms and gifts: who joins a creator's room, who gifts, with what coins.

Creators with the ``live_gifts`` strategy go LIVE on the platforms that have LIVE rooms; each
tick, viewers active on that platform who follow a creator who is LIVE there may join the room, and
others may find a LIVE in a niche they like through the feed.
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

import numpy as np
from scipy.special import expit

from sim.fans import FanScores
from sim.follows import FollowGraph
from sim.ledger import Ledger
from sim.scenario import Gifts, Live, to_milli
from sim.viewers import Viewers

#: Largest log-multiplier rivalry can put on a gift: the catalogue caps any gift anyway, and this
#: keeps the exponential finite.
MAX_ESCALATION = 50.0


class Gifters:
    """Who ever gifts, and how generously: traits of the viewers, the same on every platform.

    Attributes:
        generosity: (V,) lognormal spending propensity of every viewer (median 1).
        gifter: (V,) whether the viewer ever sends gifts.
    """

    def __init__(self, spec: Gifts, n_viewers: int, rng: np.random.Generator):
        self.generosity = rng.lognormal(0.0, spec.generosity_spread, n_viewers)
        self.gifter = rng.random(n_viewers) < spec.gifter_share


class LiveRooms:
    """One platform's LIVE rooms: who is LIVE, who is in the rooms, and the gifts.

    Attributes:
        live_until: (C,) simulated hour until which each creator is LIVE.
        gifts_last_tick: (C,) gifts sent in each creator's room in the last tick.
        audience: (C,) viewer-ticks spent in each creator's rooms so far.
    """

    def __init__(self, gifters: Gifters, n_creators: int, ledger: Ledger, platform: int = 0):
        self.gifters = gifters
        self.ledger = ledger
        self.platform = platform
        self.live_until = np.full(n_creators, -np.inf)
        self.gifts_last_tick = np.zeros(n_creators, np.int64)
        self.audience = np.zeros(n_creators, np.int64)

    def configure(self, gifts: Gifts, live: Live, payout_per_coin: int) -> None:
        """Take the current catalogue, packs, coin price, joining chances and payout."""
        self.spec, self.join, self.payout_per_coin = gifts, live, payout_per_coin
        self._catalogue = np.sort(np.asarray(gifts.catalogue))
        self._packs = np.sort(np.asarray(gifts.packs))
        self._coin_price = to_milli(gifts.coin_price)

    def go_live(self, creator: int, until_hour: float) -> None:
        """``creator`` is LIVE from now until ``until_hour``."""
        self.live_until[creator] = until_hour

    def step(
        self,
        hour: float,
        impressions: np.ndarray,
        follows: FollowGraph,
        viewers: Viewers,
        creator_niche: np.ndarray,
        fans: FanScores,
        vip_creator: np.ndarray,
        rng: np.random.Generator,
    ) -> None:
        """One tick of LIVE: fill the rooms from this tick's active viewers, then gift.

        Args:
            impressions: (I,) viewer of each of the tick's impressions here (who is on the platform).
            follows: this platform's follow graph; creator_niche: (C,) each creator's niche.
            vip_creator: (V,) the creator each viewer is a VIP of here, or -1.
        """
        live = self.live_until > hour
        if not live.any():
            self.gifts_last_tick[:] = 0
            return
        viewer, creator = self._fill_rooms(np.unique(impressions), live, follows, viewers, creator_niche, rng)
        room_size = np.bincount(creator, minlength=live.size)
        self.audience += room_size
        fans.add(viewer, creator, "live_tick")
        self._gift(viewer, creator, room_size, fans, vip_creator, viewers.mood, rng)

    def _fill_rooms(self, active, live, follows, viewers, creator_niche, rng):
        """(viewer, creator) of every room member this tick; a viewer is in one room at most."""
        slots = follows.slots[active]
        follows_live = (slots >= 0) & live[np.maximum(slots, 0)]
        room = np.where(
            follows_live.any(axis=1), slots[np.arange(active.size), follows_live.argmax(axis=1)], -1
        )
        room[rng.random(active.size) >= self.join.follower_join] = -1

        live_creators = np.flatnonzero(live)
        niche_of = creator_niche[live_creators]
        order = np.argsort(niche_of, kind="stable")
        n_niches = viewers.interest.shape[1]
        starts = np.searchsorted(niche_of[order], np.arange(n_niches + 1))
        browsing = np.flatnonzero((room < 0) & (rng.random(active.size) < self.join.feed_join))
        niche = viewers.pick_niches(active[browsing], 0.0, rng)
        count = starts[niche + 1] - starts[niche]
        found = count > 0
        pick = starts[niche[found]] + (rng.random(int(found.sum())) * count[found]).astype(np.int64)
        room[browsing[found]] = live_creators[order[pick]]
        member = room >= 0
        return active[member], room[member]

    def _gift(self, viewer, creator, room_size, fans, vip_creator, mood, rng) -> None:
        spec = self.spec.gift
        gifters = self.gifters.gifter[viewer]
        viewer, creator = viewer[gifters], creator[gifters]
        generosity = self.gifters.generosity[viewer]
        # Rivalry: gifts others sent here last tick, felt only by the generous (leaderboard contenders).
        rivalry = np.log1p(self.gifts_last_tick[creator]) * np.maximum(np.log(generosity), 0)
        logit = (
            spec.base
            + spec.generosity * np.log(generosity)
            + spec.fandom * np.log1p(fans.of(viewer, creator))
            + spec.vip * (vip_creator[viewer] == creator)
            + spec.mood * mood[viewer]
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
        self.ledger.gift(viewer, creator, coins, self._coin_price, self.payout_per_coin, self.platform)
        fans.add(viewer, creator, "gift", np.log1p(coins))
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
