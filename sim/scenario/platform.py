"""The platform's side: the For-You ranking, fake-like detection, and the audit brands buy."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Section, Share, coefficient, parameter


class Pools(Section):
    """Staged traffic pools: a video earns a larger audience only if its engagement clears a bar."""

    reach: list[Annotated[float, Field(gt=0.0, le=100)]] = parameter(
        [0.005, 0.03, 0.12, 0.4],
        "share of viewers",
        "impressions granted at each stage, as a share of the viewer count (TikTok folk numbers "
        "~300, 3k, 30k, 300k views are the same ladder at a billion users); after the last stage "
        "a video is uncapped",
        min_length=1,
    )
    thresholds: list[Annotated[float, Field(ge=0.0, le=1.0)]] = parameter(
        [0.04, 0.06, 0.08, 0.11],
        "engagements/view",
        "what a video's ``metric`` must reach at the end of each stage to be promoted",
        min_length=1,
    )
    metric: Literal["engagement_per_view", "play_rate"] = parameter(
        "engagement_per_view",
        "rule",
        "what promotion looks at: (likes + comments + shares) per view, or the share of impressions "
        "played past the hook (viewed vs swiped away, YouTube Shorts' key metric)",
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
    """Algo-101 weights: score = sum of weight x estimated rate (docs/validation.md section 7).

    Defaults follow the Twitter heavy-ranker rule of thumb: each term contributes about equally on
    average (weight ~ 1 / typical rate).
    """

    like: float = parameter(6.0, "score per P(like)", "weight of the estimated like rate", ge=0.0, le=1e6)
    comment: float = parameter(700.0, "score per P(comment)", "weight of the comment rate", ge=0.0, le=1e6)
    share: float = parameter(70.0, "score per P(share)", "weight of the share rate", ge=0.0, le=1e6)
    playtime: float = parameter(1.3, "score per share watched", "weight of expected playtime", ge=0.0, le=1e6)
    play: float = parameter(
        1.4, "score per P(play)", "weight of the play (no swipe-away) rate", ge=0.0, le=1e6
    )
    follow: float = parameter(
        0.0,
        "score per P(follow)",
        "weight of the follow rate (X: 'profile click and engage')",
        ge=0.0,
        le=1e6,
    )


class Ranking(Section):
    """The For-You ranking model: candidates, scores, staged pools, recency and exploration."""

    weights: RankingWeights = Field(default_factory=RankingWeights, description="score weights")
    prior_views: float = parameter(
        50.0,
        "views",
        "pseudo-views of platform-average behaviour that smooth a video's rates",
        gt=0.0,
        le=1e9,
    )
    sharpness: float = parameter(
        4.0, "exponent", "how strongly exposure follows the score (0: score ignored)", ge=0.0, le=20
    )
    following_share: float = parameter(
        0.15,
        "share of impressions",
        "impressions drawn from creators the viewer follows",
        ge=0.0,
        le=1.0,
    )
    exploration_share: float = parameter(
        0.1,
        "share of For-You impressions",
        "impressions from a random niche, not the viewer's",
        ge=0.0,
        le=1.0,
    )
    recency_half_life_hours: float = parameter(
        36.0, "hours", "age at which a video's For-You weight halves", gt=0.0, le=87_600
    )
    max_age_days: float = parameter(
        7.0, "days", "age at which a video leaves the candidate set", gt=0.0, le=3650
    )
    pools: Pools | None = Field(
        default_factory=Pools, description="staged traffic pools (null: none, every video uncapped)"
    )


class Integrity(Section):
    """Platform integrity: fake-like detection, strikes and penalties.

    A like's removal hazard depends only on what the platform observes: whether the liking account
    looks like a bot (no watch time, empty profile) and how far the video's like/view ratio runs
    above the platform average (bursts). Human accounts can look like bots too, so the detector
    makes false positives. The default strength gives a 28-day survival of bought likes of 80-98%.
    """

    strength: float = parameter(
        1.0, "multiplier", "scales every detection hazard (0: no detection)", ge=0.0, le=1000
    )
    flagged_hazard_per_day: float = parameter(
        0.012, "hazard per day", "removal rate of a like from an account that looks like a bot", ge=0.0, le=10
    )
    unflagged_hazard_per_day: float = parameter(
        0.001, "hazard per day", "removal rate of a like from an account that passes as human", ge=0.0, le=10
    )
    burst_weight: float = parameter(
        0.5,
        "hazard multiplier per doubling",
        "extra hazard per doubling of the video's like/view above the platform average",
        ge=0.0,
        le=100,
    )
    human_flagged_share: Share = parameter(
        0.02, "share of human viewers", "human accounts that look like bots to detectors"
    )
    strike_removed_share: Share = parameter(
        0.015,
        "share of the creator's displayed likes",
        "likes removed from one creator in one day, as a share of their displayed likes, that earn a strike",
    )
    strike_min_removed: int = parameter(
        20,
        "likes per day",
        "fewest removed likes in a day that can earn a strike (a small-number guard)",
        ge=1,
    )
    demotion_days: float = parameter(
        7.0, "days", "how long a strike demotes the creator's videos", ge=0.0, le=3650
    )
    demotion_factor: Share = parameter(
        0.5, "multiplier", "For-You weight of a demoted creator's videos (1: no demotion)"
    )
    purge_strikes: int = parameter(
        3,
        "strikes",
        "strikes at which every bought like on the creator's videos is removed (0: never)",
        ge=0,
        le=1000,
    )


class AuditWeights(Section):
    """Logit weights of the audit's public signals (each a robust z-score across creators)."""

    like_view_excess: float = coefficient(
        0.2, "logit per z", "likes per view above the niche's typical creator (also a mark of quality)"
    )
    comment_like_deficit: float = coefficient(
        1.0, "logit per z", "comments per like below the niche's typical"
    )
    flagged_liker_excess: float = coefficient(
        1.5, "logit per z", "share of likers that look like bots, above the platform's typical"
    )
    like_burst: float = coefficient(
        0.5, "logit per z", "largest daily jump in likes relative to the creator's mean"
    )
    follower_burst: float = coefficient(
        0.25, "logit per z", "largest daily jump in followers relative to the creator's mean"
    )


class Audit(Section):
    """The authenticity audit brands buy from analytics vendors: public signals in, score out."""

    weights: AuditWeights = Field(default_factory=AuditWeights, description="signal weights")
    intercept: float = coefficient(-4.0, "logit", "score of a perfectly typical creator, before signals")
    threshold: Share = parameter(0.5, "score", "creators scoring at or above this are flagged as inauthentic")
    min_views: int = parameter(
        1000,
        "views",
        "creators with fewer views are not scored: too little data (a count, because the precision "
        "of a rate depends on how many views it rests on, not on the size of the platform)",
        ge=0,
    )
