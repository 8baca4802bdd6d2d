"""The scenario: every parameter of a likesim run, typed and documented in one place.

A scenario file (YAML) maps one-to-one onto :class:`Scenario`. Each field carries its default, its
unit and a one-line meaning; ``likesim schema`` prints the JSON Schema generated from these classes,
so editors can complete and check scenario files. Loading files (``extends:``, ``--set`` overrides,
error messages) lives in :mod:`sim.loading`.

Feature coefficients of the impression decision (:class:`Response`) are on the logit scale: a
coefficient of 0.7 multiplies the odds of the action by 2 per unit of the feature.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

HOURS_PER_DAY = 24

#: A TikTok-like daily activity curve (relative weight of each hour of the day, 00:00 first): low at
#: night, a lunch bump, an evening peak around 20:00-22:00.
EVENING_PEAK_ACTIVITY = (
    0.9, 0.6, 0.4, 0.3, 0.25, 0.3, 0.5, 0.8, 1.0, 1.0, 1.0, 1.1,
    1.4, 1.3, 1.1, 1.1, 1.2, 1.4, 1.7, 2.0, 2.3, 2.4, 2.0, 1.4,
)  # fmt: skip


def _field(default, unit: str, description: str, **constraints):
    """A scenario field: default, unit and meaning in one place (all three reach the JSON Schema)."""
    return Field(default, description=f"{description} [{unit}]", **constraints)


class Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


Share = Annotated[float, Field(ge=0.0, le=1.0)]


def _check_shares(shares: dict[str, float], what: str) -> dict[str, float]:
    total = sum(shares.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"{what} must sum to 1, got {total:.6g}")
    return shares


#: Money is kept in integer milli-units (1/1000 of the scenario's currency) so ledgers add up exactly.
MILLI = 1000


def to_milli(amount: float) -> int:
    """A currency amount as integer milli-units."""
    return round(amount * MILLI)


def _check_money(amount: float, what: str) -> None:
    if abs(amount * MILLI - round(amount * MILLI)) > 1e-6:
        raise ValueError(f"{what} must be a whole number of 1/1000 currency units, got {amount}")


class Clock(Section):
    """Simulated time: how long a run lasts, how long a tick is, when viewers are active."""

    days: int = _field(30, "days", "length of the run", ge=1, le=3650)
    hours_per_tick: Literal[1, 2, 3, 4, 6, 8, 12, 24] = _field(1, "hours", "length of one tick (divides 24)")
    activity_curve: list[Annotated[float, Field(ge=0.0)]] = _field(
        list(EVENING_PEAK_ACTIVITY),
        "relative weight",
        "viewer activity per hour of day, 24 values from 00:00; normalised to sum to 1",
        min_length=24,
        max_length=24,
    )

    @model_validator(mode="after")
    def _some_activity(self) -> Clock:
        if sum(self.activity_curve) <= 0:
            raise ValueError("activity_curve needs at least one positive hour")
        return self

    @property
    def ticks_per_day(self) -> int:
        """Ticks in one simulated day."""
        return HOURS_PER_DAY // self.hours_per_tick


class Mood(Section):
    """Viewer mood: an Ornstein-Uhlenbeck process around 0, nudged by the valence of what is watched."""

    reversion: float = _field(0.15, "1/hour", "rate at which mood returns to 0", gt=0.0)
    volatility: float = _field(0.25, "mood units/sqrt(hour)", "size of random mood swings", ge=0.0)
    nudge: float = _field(
        0.05, "mood units per fully watched video", "mood shift per unit of watched valence", ge=0.0
    )


class Viewers(Section):
    """The viewer population (vectorised: one array entry per viewer)."""

    count: int = _field(10_000, "viewers", "number of human viewers", ge=1, le=50_000_000)
    interest_concentration: float = _field(
        0.4,
        "Dirichlet alpha",
        "how spread each viewer's interest is over niches (small: a few favourite niches)",
        gt=0.0,
    )
    age_bands: dict[str, Share] = _field(
        {"13-17": 0.2, "18-24": 0.35, "25-34": 0.25, "35+": 0.2},
        "share of viewers",
        "age bands and their shares (sum to 1)",
        min_length=1,
    )
    regions: dict[str, Share] = _field(
        {"north_america": 0.3, "europe": 0.3, "asia": 0.3, "other": 0.1},
        "share of viewers",
        "regions and their shares (sum to 1)",
        min_length=1,
    )
    sessions_per_day: float = _field(2.0, "sessions/day", "mean sessions per viewer per day", gt=0.0)
    sessions_spread: float = _field(
        0.8, "lognormal sigma", "heterogeneity of viewers' session rates (0: all equal)", ge=0.0
    )
    videos_per_session: float = _field(
        12.0, "videos", "mean videos per session (geometric session length)", ge=1.0
    )
    susceptibility_mean: float = _field(
        1.0, "multiplier", "mean susceptibility to social proof (gamma-distributed)", ge=0.0
    )
    susceptibility_shape: float = _field(
        2.0,
        "gamma shape",
        "heterogeneity of susceptibility (small: a few very susceptible)",
        gt=0.0,
    )
    follow_slots: int = _field(
        32,
        "creators",
        "creators a viewer keeps following; a new follow replaces the oldest",
        ge=1,
        le=1024,
    )
    fan_memory_days: float = _field(
        30.0, "days", "half-life of a viewer's engagement score with a monetising creator", gt=0.0
    )
    mood: Mood = Field(default_factory=Mood, description="viewer mood process")

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Viewers:
        _check_shares(self.age_bands, "age_bands")
        _check_shares(self.regions, "regions")
        return self


class BuyLikes(Section):
    """The ``buy_likes`` strategy: order likes from a farm for new videos or for stalled ones."""

    farm: str = _field("standard", "farm name", "which of the scenario's farms to buy from", min_length=1)
    budget_per_video: float = _field(3.0, "EUR", "spent on each video the creator buys likes for", gt=0.0)
    budget_per_month: float | None = _field(
        None, "EUR per 30 days", "spending cap per 30 simulated days (absent: no cap)", gt=0.0
    )
    when: Literal["at_posting", "when_stalled"] = _field(
        "at_posting",
        "rule",
        "buy right after posting, or only once a video stalls in its traffic pool",
    )


class LiveGifts(Section):
    """The ``live_gifts`` strategy: go LIVE on a schedule and collect gifts from the room."""

    lives_per_week: float = _field(4.0, "sessions/week", "how often the creator goes LIVE", gt=0.0, le=7.0)
    start_hour: int = _field(20, "hour of day", "when a LIVE session starts", ge=0, le=23)
    duration_hours: int = _field(2, "hours", "how long a LIVE session lasts", ge=1, le=24)


class Vip(Section):
    """The ``vip`` strategy: offer a monthly VIP subscription to the creator's fans."""

    price: float = _field(4.99, "currency/month", "monthly subscription price", gt=0.0)

    @model_validator(mode="after")
    def _whole_milli(self) -> Vip:
        _check_money(self.price, "price")
        return self


#: Strategy sections of a creator group, in the order their names are joined.
STRATEGY_SECTIONS = ("buy_likes", "live_gifts", "vip")


class CreatorGroup(Section):
    """A group of creators sharing a strategy and a skill distribution."""

    name: str = _field("organic", "label", "group name used in outputs and plots", min_length=1)
    share: Share = _field(1.0, "share of creators", "share of all creators in this group")
    skill_mean: float = _field(0.0, "quality units", "mean creator skill (mean video quality)")
    skill_sd: float = _field(1.0, "quality units", "spread of skill between creators", ge=0.0)
    buy_likes: BuyLikes | None = Field(
        None, description="buy likes from a like farm (absent: the group never buys)"
    )
    live_gifts: LiveGifts | None = Field(None, description="go LIVE for gifts (absent: never LIVE)")
    vip: Vip | None = Field(None, description="sell VIP subscriptions (absent: no VIP offer)")

    @property
    def strategy(self) -> str:
        """The group's strategies joined by '+', or 'organic' when it only posts."""
        used = [name for name in STRATEGY_SECTIONS if getattr(self, name) is not None]
        return "+".join(used) or "organic"


class Creators(Section):
    """Creators (Mesa agents): how many, in which groups, how often they post."""

    count: int = _field(200, "creators", "number of creators", ge=1, le=1_000_000)
    groups: list[CreatorGroup] = _field(
        [CreatorGroup()], "groups", "creator groups; shares sum to 1", min_length=1
    )
    posts_per_day: float = _field(0.7, "videos/day", "mean posting rate of a creator", gt=0.0)
    posting_spread: float = _field(
        0.5, "lognormal sigma", "heterogeneity of posting rates between creators", ge=0.0
    )
    initial_followers_median: float = _field(
        20.0, "followers", "median follower count at the start (lognormal)", ge=0.0
    )
    initial_followers_spread: float = _field(
        1.5, "lognormal sigma", "inequality of initial follower counts", ge=0.0
    )

    @model_validator(mode="after")
    def _group_shares(self) -> Creators:
        names = [group.name for group in self.groups]
        if len(set(names)) != len(names):
            raise ValueError(f"group names must be unique, got {names}")
        _check_shares({g.name: g.share for g in self.groups}, "group shares")
        return self


class Content(Section):
    """What a posted video is: quality, hook, arousal and valence (each standardised)."""

    quality_noise: float = _field(
        0.7, "quality units", "video-to-video spread of quality around the creator's skill", ge=0.0
    )
    hook_skill_weight: float = _field(
        0.5,
        "correlation",
        "how much a creator's skill shows in the hook (rest is noise)",
        ge=0.0,
        le=1.0,
    )
    arousal_mean: float = _field(0.0, "sd units", "mean emotional arousal of videos")
    valence_mean: float = _field(0.2, "sd units", "mean emotional valence (positive > 0)")


class Response(Section):
    """Logit coefficients of one viewer response; each feature is standardised or a share.

    Features: ``quality``, ``hook`` and ``arousal`` and ``valence`` of the video (sd units);
    ``interest`` = the viewer's interest share in the video's niche times the number of niches, minus
    one (0 = average interest); ``mood`` (mood units); ``watch`` = share of the video watched;
    ``social_proof`` = the viewer's susceptibility times log10(1 + displayed likes); ``loyalty`` = 1
    when the viewer is a VIP subscriber of the video's creator.
    """

    base: float = _field(0.0, "logit", "intercept")
    quality: float = _field(0.0, "logit per sd", "effect of video quality")
    hook: float = _field(0.0, "logit per sd", "effect of the first-second hook")
    interest: float = _field(0.0, "logit per unit", "effect of the viewer's interest in the niche")
    mood: float = _field(0.0, "logit per mood unit", "effect of the viewer's current mood")
    arousal: float = _field(0.0, "logit per sd", "effect of emotional arousal")
    valence: float = _field(0.0, "logit per sd", "effect of positive (vs negative) emotion")
    watch: float = _field(0.0, "logit per share watched", "effect of how much was watched")
    social_proof: float = _field(
        0.0, "logit per decade of likes", "effect of the displayed like count (log10 scale)"
    )
    loyalty: float = _field(0.0, "logit", "effect of being a VIP subscriber of the video's creator")


class Engagement(Section):
    """The split-second decision of one impression: play, watch, then like/comment/share/follow.

    Defaults land in VALIDATION.md section 2 (like/view median ~5%, comments and shares one to two
    orders of magnitude below likes) and section 8 (arousal raises sharing, positive beats negative).
    """

    play: Response = Field(
        default_factory=lambda: Response(base=1.2, hook=0.9, interest=0.25),
        description="P(play): the viewer does not swipe away within the hook",
    )
    watch: Response = Field(
        default_factory=lambda: Response(base=-0.4, quality=0.6, hook=0.3, interest=0.2, mood=0.2),
        description="share of the video watched (logistic of this score plus noise)",
    )
    watch_noise: float = _field(0.8, "logit sd", "viewer-to-viewer noise in the watched share", ge=0.0)
    like: Response = Field(
        default_factory=lambda: Response(
            base=-5.6,
            quality=0.45,
            interest=0.2,
            mood=0.3,
            arousal=0.15,
            valence=0.1,
            watch=2.0,
            social_proof=0.1,
            loyalty=1.0,
        ),
        description="P(like | played)",
    )
    comment: Response = Field(
        default_factory=lambda: Response(
            base=-9.3,
            quality=0.3,
            interest=0.2,
            arousal=0.4,
            valence=-0.1,
            watch=1.5,
            social_proof=0.1,
            loyalty=1.0,
        ),
        description="P(comment | played); controversy (arousal) drives comments",
    )
    share: Response = Field(
        default_factory=lambda: Response(
            base=-8.0,
            quality=0.5,
            interest=0.15,
            mood=0.2,
            arousal=0.5,
            valence=0.3,
            watch=1.5,
            social_proof=0.05,
        ),
        description="P(share | played); Berger & Milkman 2012: arousal and positivity raise sharing",
    )
    follow: Response = Field(
        default_factory=lambda: Response(base=-7.4, quality=0.6, interest=0.3, watch=2.0),
        description="P(follow the creator | played)",
    )


class Pools(Section):
    """Staged traffic pools: a video earns a larger audience only if its engagement clears a bar."""

    reach: list[Annotated[float, Field(gt=0.0)]] = _field(
        [0.005, 0.03, 0.12, 0.4],
        "share of viewers",
        "impressions granted at each stage, as a share of the viewer count (TikTok folk numbers "
        "~300, 3k, 30k, 300k views are the same ladder at a billion users); after the last stage "
        "a video is uncapped",
        min_length=1,
    )
    thresholds: list[Annotated[float, Field(ge=0.0, le=1.0)]] = _field(
        [0.04, 0.06, 0.08, 0.11],
        "engagements/view",
        "(likes + comments + shares) per view a video needs at the end of each stage to be promoted",
        min_length=1,
    )

    @model_validator(mode="after")
    def _one_threshold_per_stage(self) -> Pools:
        if len(self.reach) != len(self.thresholds):
            raise ValueError(
                f"reach and thresholds need one entry per stage, got {len(self.reach)} and "
                f"{len(self.thresholds)}"
            )
        return self


class RankingWeights(Section):
    """Algo-101 weights: score = sum of weight x estimated rate (VALIDATION.md section 7).

    Defaults follow the Twitter heavy-ranker rule of thumb: each term contributes about equally on
    average (weight ~ 1 / typical rate).
    """

    like: float = _field(20.0, "score per P(like)", "weight of the estimated like rate", ge=0.0)
    comment: float = _field(1500.0, "score per P(comment)", "weight of the comment rate", ge=0.0)
    share: float = _field(300.0, "score per P(share)", "weight of the share rate", ge=0.0)
    playtime: float = _field(2.0, "score per share watched", "weight of expected playtime", ge=0.0)
    play: float = _field(1.3, "score per P(play)", "weight of the play (no swipe-away) rate", ge=0.0)


class Ranking(Section):
    """The For-You ranking model: candidates, scores, staged pools, recency and exploration."""

    weights: RankingWeights = Field(default_factory=RankingWeights, description="score weights")
    prior_views: float = _field(
        50.0,
        "views",
        "pseudo-views of platform-average behaviour that smooth a video's rates",
        gt=0.0,
    )
    sharpness: float = _field(
        4.0, "exponent", "how strongly exposure follows the score (0: score ignored)", ge=0.0
    )
    following_share: float = _field(
        0.15,
        "share of impressions",
        "impressions drawn from creators the viewer follows",
        ge=0.0,
        le=1.0,
    )
    exploration_share: float = _field(
        0.1,
        "share of For-You impressions",
        "impressions from a random niche, not the viewer's",
        ge=0.0,
        le=1.0,
    )
    recency_half_life_hours: float = _field(
        36.0, "hours", "age at which a video's For-You weight halves", gt=0.0
    )
    max_age_days: float = _field(7.0, "days", "age at which a video leaves the candidate set", gt=0.0)
    pools: Pools = Field(default_factory=Pools, description="staged traffic pools")


class LikeFarm(Section):
    """A like farm: sells likes that its bot accounts deliver (defaults: VALIDATION.md section 5)."""

    name: str = _field("standard", "label", "farm name that buyers refer to", min_length=1)
    price_per_1000: float = _field(2.0, "EUR per 1,000 likes", "price of likes", gt=0.0)
    within_24h: float = _field(
        0.89,
        "share of an order",
        "delivered within 24 hours of purchase (exponential delivery)",
        gt=0.0,
        lt=1.0,
    )
    fill_share: Share = _field(1.0, "share of an order", "share of the likes paid for that is ever delivered")
    bot_quality: Share = _field(
        0.7, "share of bot accounts", "bot accounts that pass as human (profile, history, fake watch time)"
    )
    accounts: int = _field(20_000, "bot accounts", "bot accounts the farm delivers likes from", ge=1)
    drop_off_per_day: float = _field(
        0.0, "hazard per day", "rate at which delivered likes vanish on the farm's side", ge=0.0
    )


class Integrity(Section):
    """Platform integrity: fake-like detection, strikes and penalties.

    A like's removal hazard depends only on what the platform observes: whether the liking account
    looks like a bot (no watch time, empty profile) and how far the video's like/view ratio runs
    above the platform average (bursts). Human accounts can look like bots too, so the detector
    makes false positives. The default strength gives a 28-day survival of bought likes of 80-98%.
    """

    strength: float = _field(1.0, "multiplier", "scales every detection hazard (0: no detection)", ge=0.0)
    flagged_hazard_per_day: float = _field(
        0.012, "hazard per day", "removal rate of a like from an account that looks like a bot", ge=0.0
    )
    unflagged_hazard_per_day: float = _field(
        0.001, "hazard per day", "removal rate of a like from an account that passes as human", ge=0.0
    )
    burst_weight: float = _field(
        0.5,
        "hazard multiplier per doubling",
        "extra hazard per doubling of the video's like/view above the platform average",
        ge=0.0,
    )
    human_flagged_share: Share = _field(
        0.02, "share of human viewers", "human accounts that look like bots to detectors"
    )
    strike_removed_likes: int = _field(
        150, "likes per day", "likes removed from one creator in one day that earn the creator a strike", ge=1
    )
    demotion_days: float = _field(7.0, "days", "how long a strike demotes the creator's videos", ge=0.0)
    demotion_factor: Share = _field(
        0.5, "multiplier", "For-You weight of a demoted creator's videos (1: no demotion)"
    )
    purge_strikes: int = _field(
        3, "strikes", "strikes at which every bought like on the creator's videos is removed (0: never)", ge=0
    )


class AuditWeights(Section):
    """Logit weights of the audit's public signals (each a robust z-score across creators)."""

    like_view_excess: float = _field(
        0.2, "logit per z", "likes per view above the niche's typical creator (also a mark of quality)"
    )
    comment_like_deficit: float = _field(1.0, "logit per z", "comments per like below the niche's typical")
    flagged_liker_excess: float = _field(
        1.5, "logit per z", "share of likers that look like bots, above the platform's typical"
    )
    like_burst: float = _field(
        0.5, "logit per z", "largest daily jump in likes relative to the creator's mean"
    )
    follower_burst: float = _field(
        0.25, "logit per z", "largest daily jump in followers relative to the creator's mean"
    )


class Audit(Section):
    """The authenticity audit brands buy from analytics vendors: public signals in, score out."""

    weights: AuditWeights = Field(default_factory=AuditWeights, description="signal weights")
    intercept: float = _field(-4.0, "logit", "score of a perfectly typical creator, before signals")
    threshold: Share = _field(0.5, "score", "creators scoring at or above this are flagged as inauthentic")
    min_views: int = _field(1000, "views", "creators with fewer views are not scored (too little data)", ge=0)


class GiftResponse(Section):
    """Logit of a viewer in a LIVE room sending a gift during one tick."""

    base: float = _field(-2.0, "logit", "intercept (a typical gifter, unengaged, quiet room)")
    generosity: float = _field(1.0, "logit per log unit", "effect of the viewer's generosity (log scale)")
    fandom: float = _field(0.6, "logit per log unit", "effect of log(1 + engagement with the creator)")
    vip: float = _field(1.0, "logit", "effect of being the creator's VIP subscriber")
    mood: float = _field(0.3, "logit per mood unit", "effect of the viewer's mood")
    competition: float = _field(
        1.0,
        "logit per log unit",
        "effect of rivalry = log(1 + gifts in the room last tick) x log generosity (if > 1)",
    )
    liveliness: float = _field(0.2, "logit per log unit", "effect of log(1 + viewers in the room)")


class Gifts(Section):
    """Coins, gifts and diamonds (defaults: VALIDATION.md section 6).

    Viewers buy coins in packs at ``coin_price`` each; a gift of c coins becomes
    c x ``diamonds_per_coin`` diamonds for the creator, each worth ``diamond_value``; the platform
    keeps the rest of what the coins cost. Only a ``gifter_share`` of viewers ever gift, with a
    heavy-tailed generosity (a few whales).
    """

    coin_price: float = _field(0.013, "currency/coin", "what a viewer pays for one coin", gt=0.0)
    packs: list[Annotated[int, Field(ge=1)]] = _field(
        [70, 350, 1400, 7000], "coins", "coin pack sizes on sale", min_length=1
    )
    diamonds_per_coin: float = _field(0.5, "diamonds/coin", "diamonds a creator gets per coin gifted", gt=0.0)
    diamond_value: float = _field(0.01, "currency/diamond", "cash value of a diamond", gt=0.0)
    catalogue: list[Annotated[int, Field(ge=1)]] = _field(
        [1, 5, 10, 30, 99, 299, 1000, 5000], "coins", "gift prices in coins", min_length=1
    )
    gifter_share: Share = _field(0.08, "share of viewers", "viewers who ever send gifts")
    generosity_spread: float = _field(
        2.0, "lognormal sigma", "inequality of generosity among gifters (whales)", ge=0.0
    )
    gift_size: float = _field(5.0, "coins", "typical coins a median gifter wants to give at once", gt=0.0)
    escalation: float = _field(
        1.0, "per rivalry unit", "gift size grows as exp(escalation x rivalry) (see gift.competition)", ge=0.0
    )
    gift: GiftResponse = Field(default_factory=GiftResponse, description="whether to gift this tick")

    @model_validator(mode="after")
    def _exact_money(self) -> Gifts:
        _check_money(self.coin_price, "gifts.coin_price")
        _check_money(self.diamonds_per_coin * self.diamond_value, "diamonds_per_coin x diamond_value")
        if self.diamonds_per_coin * self.diamond_value > self.coin_price + 1e-12:
            raise ValueError("gifts: a coin cannot pay the creator more than it costs the viewer")
        return self

    @property
    def payout_per_coin(self) -> int:
        """Milli-units the creator receives per coin gifted."""
        return to_milli(self.diamonds_per_coin * self.diamond_value)


class Live(Section):
    """LIVE rooms: who joins the room of a creator who is LIVE."""

    follower_join: Share = _field(
        0.25, "chance per tick", "an active follower joins the room of a creator who is LIVE"
    )
    feed_join: Share = _field(
        0.3, "chance per tick", "an active viewer is shown a LIVE in a niche they like and joins"
    )


class SubscribeResponse(Section):
    """Logit of a fan subscribing to a creator's VIP offer on a given day."""

    base: float = _field(-12.0, "logit", "intercept")
    engagement: float = _field(2.0, "logit per log unit", "effect of log(1 + engagement with the creator)")
    price: float = _field(-0.3, "logit per currency unit", "effect of the monthly price")
    generosity: float = _field(0.3, "logit per log unit", "effect of the fan's generosity (log scale)")


class Subscriptions(Section):
    """VIP subscriptions: who subscribes, who churns, how revenue is split, what perks do."""

    subscribe: SubscribeResponse = Field(default_factory=SubscribeResponse, description="who subscribes")
    monthly_churn: Share = _field(0.25, "share per month", "subscribers who do not renew at month end")
    creator_share: Share = _field(0.5, "share of price", "what the creator keeps of a subscription")
    feed_share: Share = _field(
        0.2, "share of impressions", "a subscriber's impressions given to their VIP creator's videos"
    )


class RateCard(Section):
    """What a creator charges for one sponsored video (the article's negotiating power).

    price = max(minimum, per_1000_followers x followers / 1000
    x (engagement per view / reference_engagement) ** engagement_exponent), with engagement per
    view as displayed (bought likes included: that is what buying likes is for).
    """

    per_1000_followers: float = _field(20.0, "currency per 1,000 followers", "base price of reach", gt=0.0)
    reference_engagement: float = _field(
        0.06, "engagements/view", "engagement per view that earns the base price", gt=0.0
    )
    engagement_exponent: float = _field(
        1.0, "exponent", "how steeply price rises with engagement per view", ge=0.0
    )
    minimum: float = _field(2.0, "currency", "lowest price of a sponsored video", ge=0.0)


class Brands(Section):
    """Brand agents: each has a niche, a target audience, a monthly budget, and may audit."""

    count: int = _field(0, "brands", "number of brands (0: no brand deals)", ge=0, le=100_000)
    audited_share: Share = _field(0.5, "share of brands", "brands that run the authenticity audit")
    budget_per_month: float = _field(100.0, "currency per 30 days", "each brand's budget", gt=0.0)
    shopping_interval_days: int = _field(7, "days", "how often a brand looks for creators to sign", ge=1)
    deals_per_round: int = _field(3, "deals", "most creators a brand signs at once", ge=1)
    min_views: int = _field(1000, "views", "creators with fewer views are not considered", ge=0)
    target_bands: int = _field(2, "age bands", "age bands a brand targets (drawn at random)", ge=1)
    target_regions: int = _field(2, "regions", "regions a brand targets (drawn at random)", ge=1)
    conversion_rate: Share = _field(
        0.05, "chance per engagement", "a matching human who engages with a sponsored video converts"
    )
    conversion_value: float = _field(10.0, "currency", "what one conversion is worth to the brand", ge=0.0)
    last_signing_days: float = _field(
        7.0, "days", "brands stop signing this long before the run ends (campaigns need time)", ge=0.0
    )
    rate_card: RateCard = Field(default_factory=RateCard, description="how creators price a video")


NICHES = ("fashion", "food", "gaming", "beauty", "comedy", "sports", "music", "education")


class Scenario(Section):
    """A complete likesim scenario. YAML keys equal these field names."""

    name: str = _field("organic_growth", "label", "run name, used for the results folder", min_length=1)
    description: str = _field("", "text", "what this scenario is for")
    seed: int = _field(42, "integer", "random seed; same seed, same bytes", ge=0)
    replicates: int = _field(
        1, "runs", "replicate runs; their seeds derive from seed (numpy SeedSequence.spawn)", ge=1, le=100_000
    )
    arms: dict[str, dict[str, Any]] = _field(
        {}, "overrides", "named arms, each mapping dotted scenario paths to the values it uses"
    )
    sweep: dict[str, list[Any]] = _field(
        {}, "values", "grid to sweep: dotted scenario path -> values; every combination runs"
    )
    niches: list[str] = _field(
        list(NICHES), "names", "content niches shared by viewers, creators and videos", min_length=1
    )
    clock: Clock = Field(default_factory=Clock, description="simulated time")
    viewers: Viewers = Field(default_factory=Viewers, description="the viewer population")
    creators: Creators = Field(default_factory=Creators, description="creators and their groups")
    content: Content = Field(default_factory=Content, description="what posted videos are like")
    engagement: Engagement = Field(default_factory=Engagement, description="the impression decision")
    ranking: Ranking = Field(default_factory=Ranking, description="the For-You ranking model")
    farms: list[LikeFarm] = _field([LikeFarm()], "farms", "like farms creators can buy from")
    integrity: Integrity = Field(default_factory=Integrity, description="the platform's fake-like detection")
    audit: Audit = Field(default_factory=Audit, description="the authenticity audit brands can run")
    gifts: Gifts = Field(default_factory=Gifts, description="coins, gifts and diamonds")
    live: Live = Field(default_factory=Live, description="LIVE rooms")
    subscriptions: Subscriptions = Field(default_factory=Subscriptions, description="VIP subscriptions")
    brands: Brands = Field(default_factory=Brands, description="brands and their deals")

    @model_validator(mode="after")
    def _consistent_names(self) -> Scenario:
        # Whole-scenario checks name their own dotted path (the error has no location of its own).
        if len(set(self.niches)) != len(self.niches):
            raise ValueError(f"niches: must be unique, got {self.niches}")
        farms = [farm.name for farm in self.farms]
        if len(set(farms)) != len(farms):
            raise ValueError(f"farms: names must be unique, got {farms}")
        for i, group in enumerate(self.creators.groups):
            wanted = group.buy_likes.farm if group.buy_likes else None
            if wanted is not None and wanted not in farms:
                path = f"creators.groups.{i}.buy_likes.farm"
                raise ValueError(f"{path}: expected one of {farms}, got {wanted!r}")
        return self

    def farm(self, name: str) -> LikeFarm:
        """The farm called ``name``."""
        return next(farm for farm in self.farms if farm.name == name)


def json_schema() -> dict:
    """The JSON Schema of scenario files (what ``likesim schema`` prints)."""
    schema = Scenario.model_json_schema()
    schema["properties"]["extends"] = {
        "type": "string",
        "description": "path of a scenario this one inherits from (relative to this file)",
    }
    return schema
