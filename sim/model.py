"""The like economy as a Mesa model: one tick is the ordered list of mechanisms.

Viewers (a vectorised population), creators (Mesa agents), the video table, the follow graph and
the For-You ranker live here; each mechanism's rule lives in its own module.
"""

from __future__ import annotations

import mesa
import numpy as np
from mesa.agentset import AgentSet

from sim import kernels
from sim.brands import BrandMarket, create_brands
from sim.creators import Creator, create_creators
from sim.fans import FanScores
from sim.farms import LikeMarket
from sim.follows import FollowGraph
from sim.gifts import LiveRooms
from sim.integrity import PlatformIntegrity
from sim.ledger import Ledger
from sim.metrics import DailyLog
from sim.ranking import ForYouRanker
from sim.scenario import Scenario
from sim.videos import Videos, draw_content
from sim.viewers import Reactions, Viewers
from sim.vip import VipSubscriptions


class LikeEconomy(mesa.Model):
    """A short-video platform: creators post, the feed ranks, viewers watch and like.

    Args:
        spec: the validated scenario (``spec.seed`` seeds the run unless ``rng`` is given).
        rng: optional seed or generator overriding ``spec.seed``.

    Attributes:
        spec: the scenario (named ``spec`` because ``mesa.Model.scenario`` is Mesa's own object).
        hour: simulated hours since the start.
        viewers, follows, videos, ranker, market, integrity, fans, ledger, live, subscriptions:
            the mechanisms' state.
        creator_list: the creator agents, in creation order (``creator.index`` is their position).
        creators: all creator agents as a Mesa AgentSet; ``strategists`` those with a strategy.
        brand_list, brands: the brand agents (list and AgentSet); brand_market: their deals.
        log: the daily measurements.
    """

    def __init__(self, spec: Scenario, rng: int | np.random.Generator | None = None):
        super().__init__(rng=spec.seed if rng is None else rng)
        self.spec = spec
        self.hour = 0.0
        self._max_age_hours = spec.ranking.max_age_days * 24
        self.viewers = Viewers(spec, self.rng)
        self.creator_list = create_creators(self)
        self.creators = self.agents_by_type[Creator]
        self.strategists = self.creators.select(lambda creator: bool(creator.strategies))
        self.follows = FollowGraph(spec.viewers.count, len(self.creator_list), spec.viewers.follow_slots)
        self._seed_followers()
        self.videos = Videos(len(self.creator_list))
        self.ranker = ForYouRanker(spec.ranking, spec.viewers.count)
        self.market = LikeMarket(spec.farms, spec.clock.hours_per_tick, self.rng)
        n_creators = len(self.creator_list)
        self.integrity = PlatformIntegrity(spec.integrity, n_creators, spec.ranking.prior_views)
        monetising = np.array([c.strategies_include("live_gifts", "vip") for c in self.creator_list])
        self.fans = FanScores(spec.viewers.count, monetising, spec.viewers.fan_memory_days)
        self.ledger = Ledger(spec.viewers.count, n_creators)
        self.live = LiveRooms(spec, n_creators, self.ledger, self.rng)
        self.subscriptions = VipSubscriptions(spec.subscriptions, spec.viewers.count, n_creators, self.ledger)
        self.brand_list = create_brands(self)
        self.brands = AgentSet(self.brand_list, random=self.random)
        self.brand_market = BrandMarket(
            spec.brands, n_creators, len(spec.viewers.age_bands), len(spec.viewers.regions)
        )
        self.brand_market.register(self.brand_list)
        self._skill = np.array([c.skill for c in self.creator_list])
        self._niche = np.array([c.niche for c in self.creator_list])
        self._posts_per_tick = (
            np.array([c.posts_per_day for c in self.creator_list]) / spec.clock.ticks_per_day
        )
        self.log = DailyLog(self)

    def step(self) -> None:
        """One tick, in the order things happen on the platform."""
        self.post_videos()  # 1. creators post (one vectorised rule)
        self.strategists.shuffle_do("step")  # 2. creators act on their strategies
        self.brands.shuffle_do("step")  # 3. brands sign creators, who post sponsored videos
        self.market.deliver(self.videos, self.hour, self.rng)  # 4. farms deliver bought likes
        viewer = self._open_apps()  # 5. viewers open the app
        position = self.fill_feeds(viewer)  # 6. the feed picks a video per slot
        on_show, loyal = self._on_show(viewer, position)
        reactions = self.viewers.react(viewer, position, on_show, loyal, self.rng)  # 7. split second
        self._take_effect(viewer, position, reactions)  # 8. counters, follows, fans, moods
        self.live.step(self, viewer)  # 9. LIVE rooms fill and gifts flow
        self.ranker.promote(self.videos)  # 10. pools promote or stall videos
        self.log.record_tick(reactions)  # 11. measure
        self._advance_clock()  # 12. at midnight: integrity, farms, VIP renewals, daily books

    @property
    def day(self) -> int:
        """The current simulated day (0 for the first)."""
        return int(self.hour // 24)

    def _open_apps(self) -> np.ndarray:
        viewer = self.viewers.start_sessions(self.hour, self.rng)
        if self.videos.candidates.size == 0:
            return viewer[:0]  # nothing posted yet: the app has nothing to show
        return viewer

    def _take_effect(self, viewer: np.ndarray, position: np.ndarray, reactions: Reactions) -> None:
        """Reactions reach the video counters, the follow graph, fan scores and the viewers' moods."""
        self.videos.record(position, reactions, self.viewers.looks_like_bot[viewer])
        video = self.videos.candidates[position]
        if self.brand_list:
            self.brand_market.observe(self, viewer, video, reactions)
        creator = self.videos.columns["creator"]
        followed = reactions.followed
        self.log.new_follows += self.follows.follow(viewer[followed], creator[video[followed]])
        for event, hits in (
            ("like", reactions.liked),
            ("comment", reactions.commented),
            ("share", reactions.shared),
        ):
            self.fans.add(viewer[hits], creator[video[hits]], event)
        valence = self.videos.columns["valence"][video]
        self.viewers.update_mood(viewer, valence, reactions.watched, self.hour, self.rng)

    def _advance_clock(self) -> None:
        self.hour += self.spec.clock.hours_per_tick
        self.videos.retire(self.hour, self._max_age_hours)
        if self.hour % 24 == 0:
            self._end_of_day()

    def _end_of_day(self) -> None:
        """Once a day, at midnight: the platform sweeps for fake likes, farms lose some, we measure."""
        self.integrity.sweep(self.videos, self.market, self.hour, self.rng)
        self.market.drop_off(self.videos, self.rng)
        self.market.close_day(self.day - 1)
        self.subscriptions.renew(self.hour, self.rng)
        self.fans.end_day()
        self.ledger.close_day(self.subscriptions.count)
        self.log.close_day()

    def post_videos(self) -> None:
        """Creators post: each a Poisson number of videos this tick at its own rate."""
        posts = self.rng.poisson(self._posts_per_tick)
        self._post(np.repeat(np.arange(posts.size), posts))

    def post_sponsored(self, creator: int) -> int:
        """``creator`` posts a sponsored video now; returns its id."""
        return int(self._post(np.array([creator]))[0])

    def _post(self, creator: np.ndarray) -> np.ndarray:
        """Add one video per entry of ``creator`` (see :func:`~sim.videos.draw_content`); returns their ids.

        Videos enter the candidate set at once, before this tick's feeds are built.
        """
        n = creator.size
        if n == 0:
            return creator
        self.log.videos_posted += n
        content = draw_content(self._skill[creator], self.spec.content, self.rng)
        return self.videos.post(
            creator=creator, niche=self._niche[creator], posted_hour=np.full(n, self.hour), **content
        )

    def fill_feeds(self, viewer: np.ndarray) -> np.ndarray:
        """Pick the video of every impression: from a followed creator, or the For-You ranking.

        A slot comes from a creator the viewer follows (drawn uniformly among their follows) with
        probability ``following_share``, or from the creator whose VIP they are with
        ``subscriptions.feed_share``; it shows one of that creator's ``RECENT_PER_CREATOR`` latest
        videos if still a candidate. Every other slot is For-You: a niche from the viewer's
        interests (at random with ``exploration_share``; a niche with no candidates passes to one
        that has some), then a video of that niche drawn from the ranker's plan for this tick.

        Returns:
            (I,) index into ``videos.candidates`` per impression.
        """
        ranking, videos = self.spec.ranking, self.videos
        position, niche = np.empty(viewer.size, np.int64), np.empty(viewer.size, np.int64)
        uniform = self.rng.random(viewer.size)
        n_niches = len(self.spec.niches)
        stocked = np.bincount(videos["niche"][videos.candidates], minlength=n_niches) > 0
        kernels.choose_feed_slots(
            viewer, uniform, ranking.following_share, self.follows.slots, self.follows.used,
            self.subscriptions.vip_creator, self.spec.subscriptions.feed_share, videos.recent,
            *videos.candidate_lookup(), self.viewers.interest_cdf, ranking.exploration_share, stocked,
            position, niche,
        )  # fmt: skip
        for_you = np.flatnonzero(niche != kernels.EMPTY)
        penalty = self.integrity.ranking_penalty(self.hour)
        self.ranker.plan(videos, np.bincount(niche[for_you], minlength=n_niches), self.hour, penalty)
        position[for_you] = self.ranker.sample(niche[for_you], uniform[for_you])
        return position

    def _on_show(self, viewer: np.ndarray, position: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Features of the candidate videos, and whether each impression's viewer is the creator's VIP."""
        videos, ids = self.videos, self.videos.candidates
        names = ("niche", "quality", "hook", "arousal", "valence")
        features = {name: videos.columns[name][ids] for name in names}
        features["displayed_likes"] = videos.displayed_likes(ids)
        if not self.subscriptions.count:
            return features, np.zeros(viewer.size, bool)
        creator = videos.columns["creator"][ids[position]]
        return features, self.subscriptions.vip_creator[viewer] == creator

    def _seed_followers(self) -> None:
        """Give creators their initial followers, drawn among viewers interested in their niche."""
        spec = self.spec.creators
        median = spec.initial_followers_share * self.spec.viewers.count
        if median <= 0:
            return
        sizes = np.rint(
            median * self.rng.lognormal(0, spec.initial_followers_spread, len(self.creator_list))
        ).astype(np.int64)
        sizes = np.minimum(sizes, self.spec.viewers.count)
        creator = np.repeat(np.arange(len(self.creator_list)), sizes)
        niche = np.array([c.niche for c in self.creator_list])[creator]
        viewer = self.viewers.drawn_by_interest(niche, self.rng)
        order = self.rng.permutation(creator.size)
        self.follows.follow(viewer[order], creator[order])
