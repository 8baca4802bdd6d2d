"""A platform: its rules, and what is its own (videos, follows, ranking, farms, detection, LIVE, VIP).

The model holds one :class:`Platform` per entry of the scenario's ``platforms:``. Each has its own
video table (a cross-posted video is one row on each platform, with its own counters), its own
follow graph, a ranker of the class its profile names, the like farms' deliveries to it and its
own detector, LIVE rooms and VIP subscriptions. Viewers, creators, fan scores, wallets and brands
are shared. What differs between platforms is data (:class:`~sim.scenario.PlatformRules`):
:meth:`Platform.configure` takes it at the start and again whenever an event changes it, and
every cached value derived from it is rebuilt there.
"""

from __future__ import annotations

import itertools

import numpy as np

from sim import kernels
from sim.farms import LikeMarket
from sim.follows import FollowGraph
from sim.gifts import Gifters, LiveRooms
from sim.integrity import PlatformIntegrity
from sim.ledger import Ledger
from sim.ranking import RANKERS, ForYouRanker
from sim.scenario import PlatformRules, Scenario, to_milli
from sim.videos import Videos
from sim.viewers import Viewers
from sim.vip import VipSubscriptions

#: Follows from before the run made in one step: more are made viewer range by viewer range.
SEEDED_FOLLOWS_AT_ONCE = 2_000_000
#: Features of the videos on show that the impression decision reads.
SHOWN_FEATURES = ("niche", "quality", "hook", "arousal", "valence")


class Platform:
    """One platform of the run.

    Attributes:
        name, index: the platform's name in the scenario, and its position in the model's list.
        rules: its current rules.
        present: (C,) bool, the creator posts here.
        videos, follows, ranker, market, integrity: its video table, follow graph, ranker, the
            farms' orders and deliveries here, and its fake-like detector.
        live, subscriptions: its LIVE rooms and VIP subscriptions (see :meth:`open_shop`).
    """

    def __init__(
        self,
        name: str,
        index: int,
        scenario: Scenario,
        present: np.ndarray,
        viewers: Viewers,
        creator_niche: np.ndarray,
        rng: np.random.Generator,
    ):
        self.name, self.index = name, index
        self.present = present
        n_creators = present.size
        self.follows = FollowGraph(viewers.count, n_creators, scenario.viewers.follow_slots)
        self._seed_followers(scenario, viewers, creator_niche, rng)
        self.videos = Videos(n_creators)
        self.market = LikeMarket(scenario.farms, scenario.clock.hours_per_tick, rng)
        self.integrity = PlatformIntegrity(n_creators)
        self.live: LiveRooms | None = None
        self.subscriptions: VipSubscriptions | None = None
        self._n_viewers = viewers.count

    def open_shop(self, gifters: Gifters, ledger: Ledger) -> None:
        """Open the platform's LIVE rooms and VIP subscriptions, booked in the shared ledger."""
        n_creators = self.present.size
        self.live = LiveRooms(gifters, n_creators, ledger, self.index)
        self.subscriptions = VipSubscriptions(self._n_viewers, n_creators, ledger, self.index)

    def configure(self, rules: PlatformRules, scenario: Scenario) -> None:
        """Take the platform's current rules (at the start, and after every event that changes them)."""
        self.rules = rules
        self.ranker: ForYouRanker = RANKERS[rules.ranker](rules.ranking, self._n_viewers)
        self.integrity.configure(rules.integrity, rules.ranking.prior_views)
        self.market.configure(scenario.farms)
        payout = to_milli(rules.monetization.diamonds_per_coin * scenario.gifts.diamond_value)
        self.live.configure(scenario.gifts, scenario.live, payout)
        self.subscriptions.configure(scenario.subscriptions, rules.monetization.vip_creator_share)
        self.offsets = np.array(list(rules.offsets.model_dump().values()))
        self.max_age_hours = rules.ranking.max_age_days * 24

    def post(self, creator: np.ndarray, niche: np.ndarray, hour: float, content: dict) -> np.ndarray:
        """Add the videos of the creators present here (one per entry); returns their ids here."""
        here = self.present[creator]
        n = int(here.sum())
        return self.videos.post(
            creator=creator[here],
            niche=niche[here],
            posted_hour=np.full(n, hour),
            **{name: values[here] for name, values in content.items()},
        )

    def fill_feeds(self, viewer: np.ndarray, hour: float, viewers: Viewers, rng) -> np.ndarray:
        """Pick the video of every impression: from a followed creator, or the For-You ranking.

        A slot comes from a creator the viewer follows here (drawn uniformly among their follows)
        with probability ``following_share``, or from the creator whose VIP they are here with
        ``subscriptions.feed_share``; it shows one of that creator's ``RECENT_PER_CREATOR`` latest
        videos if still a candidate. Every other slot is For-You: a niche from the viewer's
        interests (at random with ``exploration_share``; a niche with no candidates passes to one
        that has some), then a video of that niche drawn from the ranker's plan for this tick.

        Returns:
            (I,) position among the candidates of each impression's video.
        """
        ranking, videos = self.rules.ranking, self.videos
        position, niche = np.empty(viewer.size, np.int64), np.empty(viewer.size, np.int64)
        uniform = rng.random(viewer.size)
        n_niches = viewers.interest.shape[1]
        stocked = np.bincount(videos.columns["niche"][videos.candidate_rows], minlength=n_niches) > 0
        kernels.choose_feed_slots(
            viewer, uniform, ranking.following_share, self.follows.slots, self.follows.used,
            self.subscriptions.vip_creator, self.subscriptions.spec.feed_share, videos.recent,
            videos.first_candidate, videos.candidate_count, viewers.interest_cdf,
            ranking.exploration_share, stocked, position, niche,
        )  # fmt: skip
        slots_per_niche = np.bincount(niche + 1, minlength=n_niches + 1)[1:]  # EMPTY + 1 = 0: not For-You
        self.ranker.plan(videos, slots_per_niche, hour, self.integrity.ranking_penalty(hour))
        return self.ranker.sample(niche, uniform, position)

    def on_show(self, viewer: np.ndarray, position: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Features of the candidate videos, and whether each impression's viewer is a VIP of its creator."""
        videos, rows = self.videos, self.videos.candidate_rows
        features = {name: videos.columns[name][rows] for name in SHOWN_FEATURES}
        features["displayed_likes"] = videos.displayed_likes(rows)
        if not self.subscriptions.count:
            return features, np.zeros(viewer.size, bool)
        creator = videos.columns["creator"][videos.first_candidate + position]
        return features, self.subscriptions.vip_creator[viewer] == creator

    def end_of_day(self, hour: float, day: int, rng) -> None:
        """Midnight here: the detector sweeps, farms lose some likes, VIP subscriptions renew or churn."""
        self.integrity.sweep(self.videos, self.market, hour, rng)
        self.market.drop_off(self.videos, rng)
        self.market.close_day(day)
        self.subscriptions.renew(hour, rng)

    def _seed_followers(self, scenario: Scenario, viewers: Viewers, creator_niche: np.ndarray, rng) -> None:
        """Give the creators present here the followers they gathered before the run.

        Each creator has been here for an account age (lognormal around ``account_age_days``) and
        gained followers at its own steady rate (lognormal), so its count grows with age; the
        counts are scaled so that a viewer follows ``initial_follows_per_viewer`` creators on
        average. Every follower stops watching after an exponential time with half-life ``H`` =
        ``follower_half_life_days``: of followers gained evenly over an age ``A``, the share still
        watching is ``(1 - 2**(-A/H)) / (A ln 2 / H)``. Those still watching are viewers interested
        in the creator's niche and see its videos in their followed slots; the others stay in the
        count only (:meth:`~sim.follows.FollowGraph.add_quiet`). Older accounts are bigger and
        quieter: reach per follower falls with size (docs/model.md, "Followers from before the run").
        """
        spec = scenario.creators
        mean = spec.initial_follows_per_viewer * viewers.count / max(self.present.sum(), 1)
        if mean <= 0:
            return
        n = self.present.size
        age = rng.lognormal(0, spec.account_age_spread, n)  # in units of the median age
        rate = rng.lognormal(0, spec.initial_followers_spread, n)
        typical = np.exp((spec.account_age_spread**2 + spec.initial_followers_spread**2) / 2)  # E[age x rate]
        gained = mean * age * rate / typical
        # Everyone follows a creator at most once: follows landing on random viewers reach
        # V (1 - exp(-gained / V)) distinct ones, which saturates smoothly at the population.
        distinct = viewers.count * -np.expm1(-gained / viewers.count)
        sizes = np.where(self.present, np.rint(distinct), 0).astype(np.int64)
        decay = np.log(2) * age * spec.account_age_days / spec.follower_half_life_days
        watching = np.where(decay > 0, -np.expm1(-decay) / np.where(decay > 0, decay, 1.0), 1.0)
        active = rng.binomial(sizes, watching)
        creator = np.repeat(np.arange(n, dtype=np.int32), active)
        viewer = viewers.drawn_by_interest(creator_niche[creator], rng).astype(np.int32)
        order = rng.permutation(creator.size)
        viewer, creator = viewer[order], creator[order]
        del order
        # A viewer's follows never meet another viewer's in FollowGraph.follow, so following viewer
        # range by viewer range makes the same graph without every follow's temporaries at once.
        ranges = -(-creator.size // SEEDED_FOLLOWS_AT_ONCE)
        for low, high in itertools.pairwise(np.linspace(0, viewers.count, ranges + 1).astype(np.int64)):
            mine = (viewer >= low) & (viewer < high)
            self.follows.follow(viewer[mine], creator[mine])
        self.follows.add_quiet(sizes - active)
