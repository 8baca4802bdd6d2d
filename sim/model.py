"""The like economy as a Mesa model: one tick is the ordered list of mechanisms.

Viewers (a vectorised population), creators and brands (Mesa agents), fan scores and the ledger are
shared; each platform (:class:`~sim.platforms.Platform`) holds its own videos, follows, ranking,
farm deliveries, detector, LIVE rooms and VIP. Each mechanism's rule lives in its own module and
takes the arrays or small state objects it uses; strategies and brands return requests that the
model carries out here.
"""

from __future__ import annotations

import functools

import mesa
import numpy as np
from mesa.agentset import AgentSet

from sim import adaptation, kernels
from sim.actions import ENGAGEMENTS
from sim.audit import public_profile, score
from sim.brands import Brand, BrandMarket, create_brands
from sim.creators import Creator, create_creators
from sim.fans import FanScores
from sim.gifts import Gifters
from sim.ledger import Ledger
from sim.loading import with_overrides
from sim.metrics import DailyLog
from sim.platforms import Platform
from sim.scenario import MILLI, Event, Scenario
from sim.strategies import LikeOrder, LiveSession, Now, Request, VipOffer, needs_of, strategies_of
from sim.videos import draw_content
from sim.viewers import Reactions, Viewers


def _taking_turns(method):
    """``method`` run holding ``kernels.ONE_CALLER``: models in several threads take turns."""

    @functools.wraps(method)
    def in_turn(self, *args, **kwargs):
        with kernels.ONE_CALLER:
            return method(self, *args, **kwargs)

    return in_turn


class LikeEconomy(mesa.Model):
    """Short-video platforms: creators post, the feeds rank, viewers watch and like.

    Args:
        spec: the validated scenario (``spec.seed`` seeds the run unless ``rng`` is given).
        rng: optional seed or generator overriding ``spec.seed``.

    Attributes:
        spec: the scenario as it stands now (events change it; named ``spec`` because
            ``mesa.Model.scenario`` is Mesa's own object).
        hour: simulated hours since the start.
        viewers, fans, ledger, gifters: the shared mechanisms' state.
        platforms: one :class:`~sim.platforms.Platform` per platform, in scenario order.
        creator_list: the creator agents, in creation order (``creator.index`` is their position).
        creators: all creator agents as a Mesa AgentSet; ``strategists`` those with a strategy.
        brand_list, brands: the brand agents (list and AgentSet); brand_market: their deals, on
            the platform ``brand_platform``.
        log: the daily measurements; events_applied: the events that have taken effect.
        switch_rows: one dict per strategy a creator took up (``switches.csv``); strategy_rows:
            the share of creators per strategy, per platform, each day (``strategy_shares.csv``);
            payoff_rows: each strategy's mean payoff, displayed and true, in each window
            (``payoffs.csv``).
    """

    @_taking_turns
    def __init__(self, spec: Scenario, rng: int | np.random.Generator | None = None):
        super().__init__(rng=spec.seed if rng is None else rng)
        self.spec = spec
        self.hour = 0.0
        rules = spec.platform_rules()
        names = list(rules)
        self.viewers = Viewers(spec, self.rng)
        self.viewers.share_time(
            np.array([r.shares_by_band(list(spec.viewers.age_bands)) for r in rules.values()])
        )
        self.creator_list = create_creators(self, spec.creators, len(spec.niches), names, self.rng)
        self.creators = self.agents_by_type[Creator]
        self._niche = np.array([c.niche for c in self.creator_list])
        self.platforms = [
            Platform(name, i, spec, np.array([name in c.platforms for c in self.creator_list]), self.viewers,
                     self._niche, self.rng)
            for i, name in enumerate(names)
        ]  # fmt: skip
        n_creators = len(self.creator_list)
        tracked = np.array(["fans" in needs_of(c.strategies) for c in self.creator_list])
        self.fans = FanScores(spec.viewers.count, tracked, spec.viewers.fan_memory_days)
        self.ledger = Ledger(spec.viewers.count, n_creators, len(self.platforms))
        self.gifters = Gifters(spec.gifts, spec.viewers.count, self.rng)
        for platform in self.platforms:
            platform.open_shop(self.gifters, self.ledger)
        self.brand_list = create_brands(self, spec, self.rng)
        self.brands = AgentSet(self.brand_list, random=self.random)
        self.brand_platform = self.platform(spec.brands.platform or names[0])
        self.brand_market = BrandMarket(
            spec.brands, n_creators, len(spec.viewers.age_bands), len(spec.viewers.regions)
        )
        self.brand_market.register(self.brand_list)
        self._view_hour = -1.0
        self._skill = np.array([c.skill for c in self.creator_list])
        self._posts_per_tick = (
            np.array([c.posts_per_day for c in self.creator_list]) / spec.clock.ticks_per_day
        )
        self._configure(spec, rules)
        self._pending_events = sorted(spec.events, key=lambda event: event.at_hour)
        self.events_applied: list[tuple[float, Event]] = []
        self.log = DailyLog(
            names, [p.videos for p in self.platforms], [p.follows.followers for p in self.platforms]
        )
        self._standing = self.standing()
        self.switch_rows: list[dict] = []
        self.payoff_rows: list[dict] = []
        self.strategy_rows: list[dict] = []
        self._record_strategies(0)

    @_taking_turns
    def step(self) -> None:
        """One tick, in the order things happen on the platforms."""
        self.apply_due_events()  # 0. rules that change from now on
        self.post_videos()  # 1. creators post, each video on each of their platforms
        self.strategists.shuffle_do(self._carry_out_decisions, self._now())  # 2. creators act on strategies
        self.brands.shuffle_do(self._shop)  # 3. brands sign creators, who post sponsored videos
        for platform in self.platforms:
            platform.market.deliver(platform.videos, self.hour, self.rng)  # 4. farms deliver bought likes
        for platform, here in zip(self.platforms, self._open_apps(), strict=True):  # 5. viewers open apps
            position = platform.fill_feeds(here, self.hour, self.viewers, self.rng)  # 6. the feed
            on_show, loyal = platform.on_show(here, position)
            reactions = self.viewers.react(
                here, position, on_show, loyal, self.rng, platform.rules.likes_shown, platform.offsets
            )  # 7. the split second
            self._take_effect(platform, here, position, reactions)  # 8. counters, follows, fans, moods
            platform.live.step(
                self.hour, here, platform.follows, self.viewers, self._niche, self.fans,
                platform.subscriptions.vip_creator, self.rng,
            )  # fmt: skip  # 9. LIVE rooms fill and gifts flow
            platform.ranker.promote(platform.videos)  # 10. pools promote or stall videos
            self.log.record_tick(platform.index, reactions)  # 11. measure
        self._advance_clock()  # 12. at midnight: integrity, farms, VIP renewals, daily books, imitation

    @property
    def day(self) -> int:
        """The current simulated day (0 for the first)."""
        return int(self.hour // 24)

    def platform(self, name: str) -> Platform:
        """The platform called ``name``."""
        return next(p for p in self.platforms if p.name == name)

    # --- rules and events ---------------------------------------------------------------------------

    def _configure(self, spec: Scenario, rules) -> None:
        """Hand every mechanism its current settings (at the start, and after each event)."""
        self.viewers.configure(spec.viewers, spec.engagement)
        for platform in self.platforms:
            platform.configure(rules[platform.name], spec)
        self.brand_market.spec = spec.brands
        for creator in self.creator_list:
            group = spec.creators.groups[creator.strategy_group]
            if creator.strategy != group.strategy:  # an event added or removed a strategy section
                self._take_up(creator, creator.strategy_group)
            for strategy in creator.strategies:
                strategy.configure(getattr(group, strategy.name))
        self.strategists = self.creators.select(lambda creator: bool(creator.strategies))

    def apply_due_events(self) -> None:
        """Apply every event whose moment has come: the scenario changes from now on."""
        while self._pending_events and self._pending_events[0].at_hour <= self.hour:
            event = self._pending_events.pop(0)
            self.spec = with_overrides(self.spec, event.set, f"events (day {event.day:g})")
            self._configure(self.spec, self.spec.platform_rules())
            self.events_applied.append((self.hour, event))

    # --- the tick's mechanisms --------------------------------------------------------------------------

    def _open_apps(self) -> list[np.ndarray]:
        """The viewer of each impression on each platform; none on a platform with nothing posted yet."""
        scrolling = self.viewers.start_sessions(self.hour, self.rng)
        return [
            viewer if platform.videos.candidate_count else viewer[:0]
            for platform, viewer in zip(self.platforms, scrolling, strict=True)
        ]

    def _take_effect(
        self, platform: Platform, viewer: np.ndarray, position: np.ndarray, reactions: Reactions
    ):
        """Reactions reach the video counters, the follow graph, brands, fan scores and the viewers' moods."""
        videos = platform.videos
        videos.record(position, reactions, kernels.gather(self.viewers.looks_like_bot, viewer))
        video = videos.first_candidate + position
        creator = kernels.gather(videos.columns["creator"], video)
        if self.brand_list and platform is self.brand_platform:
            self.brand_market.observe(self.viewers, viewer, creator, video, reactions, self.rng)
        # Actions are rare: their impressions' indices take one pass over a flag array, a mask two.
        followed = np.flatnonzero(reactions.did["follow"])
        self.log.new_follows[platform.index] += platform.follows.follow(viewer[followed], creator[followed])
        for action in ENGAGEMENTS:
            hits = np.flatnonzero(reactions.did[action])
            self.fans.add(viewer[hits], creator[hits], action)
        valence = kernels.gather(videos.columns["valence"], video)
        self.viewers.update_mood(viewer, valence, reactions.watched, self.hour, self.rng)

    def _now(self) -> Now:
        """What strategies may look at this tick."""
        return Now(
            self.hour,
            self.spec.clock.hours_per_tick,
            self.rng,
            {p.name: p.videos for p in self.platforms},
            {p.name: p.max_age_hours for p in self.platforms},
            frozenset(p.name for p in self.platforms if p.rules.monetization.live_gifts),
        )

    def _carry_out_decisions(self, creator: Creator, now: Now) -> None:
        """Carry out what the creator's strategies ask for this tick."""
        for request in creator.decide(now):
            self._carry_out(creator, request)

    def _carry_out(self, creator: Creator, request: Request) -> None:
        platform = self.platform(request.platform)
        match request:
            case LikeOrder(video=video, farm=farm, euros=euros):
                platform.market.order(
                    creator.index, video, platform.market.farm_index(farm), euros, self.hour, self.rng
                )
                creator.spend += euros
                creator.spend_on[platform.name] += euros
            case LiveSession(until_hour=until):
                platform.live.go_live(creator.index, until)
            case VipOffer(price=price):
                platform.subscriptions.offer(
                    creator.index, price, self.hour, self.fans, self.gifters.generosity, self.rng
                )

    def _shop(self, brand: Brand) -> None:
        """A brand on a shopping day: look at the offers, sign the best, the creators post."""
        spec = self.spec.brands
        if not brand.shops_today(self.hour, spec, self.spec.clock.days):
            return
        if self._view_hour != self.hour:  # every brand shopping this hour sees the same profiles
            platform = self.brand_platform
            profile = public_profile(
                platform.videos,
                platform.follows.followers,
                self._niche,
                self.log.creator_days[platform.index],
            )
            self._view, self._view_hour = (profile, score(profile, self.spec.audit)), self.hour
        offers = self.brand_market.offers(brand, *self._view, self.spec.viewers.count)
        for offer in brand.choose(offers, spec):
            video = int(self._post(np.array([int(offer.creator)]), self.brand_platform)[0])
            self.brand_market.sign(brand, offer, video, self.day)

    def _advance_clock(self) -> None:
        self.hour += self.spec.clock.hours_per_tick
        for platform in self.platforms:
            platform.videos.retire(self.hour, platform.max_age_hours)
        if self.hour % 24 == 0:
            self._end_of_day()

    def _end_of_day(self) -> None:
        """Once a day, at midnight: each platform sweeps for fake likes, farms lose some, we measure."""
        for platform in self.platforms:
            platform.end_of_day(self.hour, self.day - 1, self.rng)
        self.fans.end_day()
        self.ledger.close_day(sum(p.subscriptions.count for p in self.platforms))
        self.log.close_day(
            [p.videos for p in self.platforms],
            [p.follows.followers for p in self.platforms],
            [sum(c.spend_on.get(p.name, 0.0) for c in self.creator_list) for p in self.platforms],
            float(self.viewers.mood.mean()),
            self.spec.viewers.count,
        )
        spec = self.spec.adaptation
        if spec is not None and self.day % spec.interval_days == 0:
            self.imitate(spec)
        self._record_strategies(self.day)

    # --- creators who learn ------------------------------------------------------------------------

    def standing(self) -> adaptation.Standing:
        """Every creator's results so far, all platforms together (what payoffs are made of)."""
        n = len(self.creator_list)
        views, shown, organic = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
        for platform in self.platforms:
            videos = platform.videos
            creator, ids = videos["creator"], np.arange(videos.size)
            others = videos["comments"] + videos["shares"]
            views += np.bincount(creator, videos["views"], n).astype(np.int64)
            shown += np.bincount(creator, videos.displayed_likes(ids) + others, n).astype(np.int64)
            organic += np.bincount(creator, videos["likes"] + others, n).astype(np.int64)
        paid = (self.ledger.gift_payout_to.sum(axis=0) + self.ledger.vip_payout_to.sum(axis=0)) / MILLI
        return adaptation.Standing(
            followers=sum(p.follows.followers for p in self.platforms),
            views=views,
            shown_engagements=shown,
            organic_engagements=organic,
            income=paid + self.brand_market.brand_income,
            spend=np.array([c.spend for c in self.creator_list]),
        )

    def imitate(self, spec) -> None:
        """Creators compare their window's payoff with peers' and some take up another strategy."""
        now = self.standing()
        observed, true = adaptation.payoffs(self._standing, now, spec.payoff)
        strategy = np.array([c.strategy for c in self.creator_list])
        for name in dict.fromkeys(group.strategy for group in self.spec.creators.groups):
            mine = strategy == name
            if not mine.any():
                continue
            self.payoff_rows.append(
                {"day": self.day, "strategy": name, "creators": int(mine.sum()), "payoff": spec.payoff,
                 "observed": float(observed[mine].mean()), "true": float(true[mine].mean())}
            )  # fmt: skip
        following = np.array([c.strategy_group for c in self.creator_list])
        groups = self.spec.creators.groups
        views = now.views - self._standing.views
        for switch in adaptation.revise(
            observed, true, views, following, self._niche, len(groups), spec, self.rng
        ):
            creator = self.creator_list[switch.creator]
            before = creator.strategy
            self._take_up(creator, switch.to_group)
            self.switch_rows.append(
                {"day": self.day, "creator": creator.index, "group": creator.group, "from_strategy": before,
                 "to_strategy": creator.strategy, "copied_group": groups[switch.to_group].name,
                 "peer": switch.peer, "observed_gap": switch.observed_gap, "true_gap": switch.true_gap}
            )  # fmt: skip
        self._standing = now
        self.strategists = self.creators.select(lambda creator: bool(creator.strategies))

    def _take_up(self, creator: Creator, group: int) -> None:
        """The creator follows group ``group``'s strategy sections from now on (orders placed stand)."""
        creator.strategy_group = group
        creator.strategies = strategies_of(self.spec.creators.groups[group], creator.platforms)
        if "fans" in needs_of(creator.strategies):
            self.fans.tracked[creator.index] = True

    def _record_strategies(self, day: int) -> None:
        """Today's share of creators per strategy on each platform (among the creators there)."""
        groups = self.spec.creators.groups
        names = list(dict.fromkeys(group.strategy for group in groups))
        # A creator follows its strategy group's sections (_take_up, _configure): name by group.
        name_of_group = np.array([names.index(group.strategy) for group in groups])
        strategy = name_of_group[[c.strategy_group for c in self.creator_list]]
        for platform in self.platforms:
            counts = np.bincount(strategy[platform.present], minlength=len(names))
            for name, count in zip(names, counts, strict=True):
                self.strategy_rows.append(
                    {"day": day, "platform": platform.name, "strategy": name, "creators": int(count),
                     "share": count / max(counts.sum(), 1)}
                )  # fmt: skip

    def post_videos(self) -> None:
        """Creators post: each a Poisson number of videos this tick at its own rate, on all its platforms."""
        posts = self.rng.poisson(self._posts_per_tick)
        self._post(np.repeat(np.arange(posts.size), posts))

    def _post(self, creator: np.ndarray, only: Platform | None = None) -> np.ndarray:
        """One video per entry of ``creator`` (see :func:`~sim.videos.draw_content`), cross-posted.

        The content is drawn once; each platform the creator is on (or just ``only``) gets its own
        copy with its own counters. Videos enter the candidate sets at once, before this tick's
        feeds are built.

        Returns:
            the new videos' ids on the last platform posted to (on ``only``, when given).
        """
        if creator.size == 0:
            return creator
        content = draw_content(self._skill[creator], self.spec.content, self.rng)
        for platform in [only] if only else self.platforms:
            ids = platform.post(creator, self._niche[creator], self.hour, content)
            self.log.videos_posted[platform.index] += ids.size
        return ids
