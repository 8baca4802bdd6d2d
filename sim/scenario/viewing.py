"""Time, the viewer population, what videos are like, and the split-second decision of an impression."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Section, Share, check_shares, coefficient, parameter

HOURS_PER_DAY = 24

#: A TikTok-like daily activity curve (relative weight of each hour of the day, 00:00 first): low at
#: night, a lunch bump, an evening peak around 20:00-22:00.
EVENING_PEAK_ACTIVITY = (
    0.9, 0.6, 0.4, 0.3, 0.25, 0.3, 0.5, 0.8, 1.0, 1.0, 1.0, 1.1,
    1.4, 1.3, 1.1, 1.1, 1.2, 1.4, 1.7, 2.0, 2.3, 2.4, 2.0, 1.4,
)  # fmt: skip


class Clock(Section):
    """Simulated time: how long a run lasts, how long a tick is, when viewers are active."""

    days: int = parameter(30, "days", "length of the run", ge=1, le=3650)
    hours_per_tick: Literal[1, 2, 3, 4, 6, 8, 12, 24] = parameter(
        1, "hours", "length of one tick (divides 24)"
    )
    activity_curve: list[Annotated[float, Field(ge=0.0)]] = parameter(
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

    reversion: float = parameter(0.15, "1/hour", "rate at which mood returns to 0", gt=0.0, le=24)
    volatility: float = parameter(0.25, "mood units/sqrt(hour)", "size of random mood swings", ge=0.0, le=10)
    nudge: float = parameter(
        0.05, "mood units per fully watched video", "mood shift per unit of watched valence", ge=0.0, le=10
    )


class Viewers(Section):
    """The viewer population (vectorised: one array entry per viewer)."""

    count: int = parameter(10_000, "viewers", "number of human viewers", ge=1, le=50_000_000)
    interest_concentration: float = parameter(
        0.4,
        "Dirichlet alpha",
        "how spread each viewer's interest is over niches (small: a few favourite niches)",
        gt=0.0,
        le=1000,
    )
    age_bands: dict[str, Share] = parameter(
        {"13-17": 0.2, "18-24": 0.35, "25-34": 0.25, "35+": 0.2},
        "share of viewers",
        "age bands and their shares (sum to 1)",
        min_length=1,
    )
    regions: dict[str, Share] = parameter(
        {"north_america": 0.3, "europe": 0.3, "asia": 0.3, "other": 0.1},
        "share of viewers",
        "regions and their shares (sum to 1)",
        min_length=1,
    )
    sessions_per_day: float = parameter(
        2.0, "sessions/day", "mean sessions per viewer per day", gt=0.0, le=1000
    )
    sessions_spread: float = parameter(
        0.8, "lognormal sigma", "heterogeneity of viewers' session rates (0: all equal)", ge=0.0, le=5
    )
    videos_per_session: float = parameter(
        12.0, "videos", "mean videos per session (geometric session length)", ge=1.0, le=1000
    )
    susceptibility_mean: float = parameter(
        1.0, "multiplier", "mean susceptibility to social proof (gamma-distributed)", ge=0.0, le=100
    )
    susceptibility_shape: float = parameter(
        2.0,
        "gamma shape",
        "heterogeneity of susceptibility (small: a few very susceptible)",
        gt=0.0,
        le=1000,
    )
    social_proof_limit: float = parameter(
        3.0,
        "e-folds of a count's share",
        "largest social-proof signal either way: past about twenty times (or under a twentieth of) "
        "the typical count on view, likes persuade no more (MusicLab spans about -3 to +2)",
        gt=0.0,
        le=20,
    )
    follow_slots: int = parameter(
        32,
        "creators",
        "creators a viewer keeps following; a new follow replaces the oldest",
        ge=1,
        le=1024,
    )
    fan_memory_days: float = parameter(
        30.0, "days", "half-life of a viewer's engagement score with a monetising creator", gt=0.0, le=3650
    )
    mood: Mood = Field(default_factory=Mood, description="viewer mood process")

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Viewers:
        check_shares(self.age_bands, "age_bands")
        check_shares(self.regions, "regions")
        return self


class Content(Section):
    """What a posted video is: quality, hook, arousal and valence (each standardised)."""

    quality_noise: float = parameter(
        0.7, "quality units", "video-to-video spread of quality around the creator's skill", ge=0.0, le=10
    )
    hook_skill_weight: float = parameter(
        0.5,
        "correlation",
        "how much a creator's skill shows in the hook (rest is noise)",
        ge=0.0,
        le=1.0,
    )
    arousal_mean: float = parameter(0.0, "sd units", "mean emotional arousal of videos", ge=-10, le=10)
    valence_mean: float = parameter(0.2, "sd units", "mean emotional valence (positive > 0)", ge=-10, le=10)


class Response(Section):
    """Logit coefficients of one viewer response; each feature is standardised or a share.

    Features: ``quality``, ``hook`` and ``arousal`` and ``valence`` of the video (sd units);
    ``interest`` = the viewer's interest share in the video's niche times the number of niches, minus
    one (0 = average interest); ``mood`` (mood units); ``watch`` = share of the video watched;
    ``social_proof`` = the viewer's susceptibility times ln(1 + displayed likes) - ln(1 + the mean
    displayed likes of the items on view) (:func:`sim.viewers.social_proof`); ``loyalty`` = 1
    when the viewer is a VIP subscriber of the video's creator; ``propensity`` = the viewer's own
    readiness to respond (standard normal).
    """

    base: float = coefficient(0.0, "logit", "intercept")
    quality: float = coefficient(0.0, "logit per sd", "effect of video quality")
    hook: float = coefficient(0.0, "logit per sd", "effect of the first-second hook")
    interest: float = coefficient(0.0, "logit per unit", "effect of the viewer's interest in the niche")
    mood: float = coefficient(0.0, "logit per mood unit", "effect of the viewer's current mood")
    arousal: float = coefficient(0.0, "logit per sd", "effect of emotional arousal")
    valence: float = coefficient(0.0, "logit per sd", "effect of positive (vs negative) emotion")
    watch: float = coefficient(0.0, "logit per share watched", "effect of how much was watched")
    social_proof: float = coefficient(
        0.0,
        "logit per e-fold of the count's share",
        "effect of the displayed like count relative to the items on view (0: none)",
    )
    loyalty: float = coefficient(0.0, "logit", "effect of being a VIP subscriber of the video's creator")
    propensity: float = coefficient(
        0.0, "logit per sd", "effect of the viewer's own propensity to respond (a standard-normal trait)"
    )


#: Social proof, calibrated on the MusicLab experiment (docs/model.md, "Social proof"): logit per
#: unit of :func:`sim.viewers.social_proof` (log of the displayed count's share among the items on
#: view) for the decision to play (sample) and to like (download) what was played.
SOCIAL_PROOF_PLAY = 0.73
SOCIAL_PROOF_LIKE = 0.46
#: How much people differ in their readiness to like: logit per sd of the viewer's own trait
#: (MusicLab: 70% of participants download nothing, those who do take four songs on average).
LIKE_PROPENSITY = 3.6


class Engagement(Section):
    """The split-second decision of one impression: play, watch, then like/comment/share/follow.

    Defaults land in docs/validation.md section 2 (like/view median ~5%, comments and shares one to two
    orders of magnitude below likes) and section 8 (arousal raises sharing, positive beats negative).
    """

    play: Response = Field(
        default_factory=lambda: Response(base=1.2, hook=0.9, interest=0.25, social_proof=SOCIAL_PROOF_PLAY),
        description="P(play): the viewer does not swipe away within the hook",
    )
    watch: Response = Field(
        default_factory=lambda: Response(base=-0.4, quality=0.6, hook=0.3, interest=0.2, mood=0.2),
        description="share of the video watched (logistic of this score plus noise)",
    )
    watch_noise: float = parameter(
        0.8, "logit sd", "viewer-to-viewer noise in the watched share", ge=0.0, le=10
    )
    like: Response = Field(
        default_factory=lambda: Response(
            base=-8.7,
            quality=0.45,
            interest=0.2,
            mood=0.3,
            arousal=0.15,
            valence=0.1,
            watch=2.0,
            social_proof=SOCIAL_PROOF_LIKE,
            loyalty=1.0,
            propensity=LIKE_PROPENSITY,
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
        ),
        description="P(share | played); Berger & Milkman 2012: arousal and positivity raise sharing",
    )
    follow: Response = Field(
        default_factory=lambda: Response(base=-7.4, quality=0.6, interest=0.3, watch=2.0),
        description="P(follow the creator | played)",
    )
