"""Viewers: the human population as arrays, their sessions, their mood and their split-second reactions.

Shapes use V = number of viewers, N = number of niches, I = impressions in the current tick.
Nothing here allocates per impression beyond flat (I,) arrays, and nothing is V x videos.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import kernels
from sim.actions import ACTIONS, AFTER_PLAY, ENGAGEMENTS
from sim.scenario import Engagement, Response, Scenario
from sim.scenario import Viewers as ViewersSpec

#: Features that belong to the video, and those that meet the viewer (see :meth:`Viewers.react`).
VIDEO_FEATURES = ("quality", "hook", "arousal", "valence")
VIEWER_FEATURES = ("interest", "mood", "social_proof", "loyalty", "propensity", "watch")


def social_proof(displayed_likes: np.ndarray, limit: float = np.inf) -> np.ndarray:
    """What a viewer reads from the like counts on view: each item's log share of the likes shown.

    One viewer looking at an item with ``d`` displayed likes, among items on view whose counts
    average ``mean(d)``, takes in ``ln(1 + d) - ln(1 + mean(d))``: 0 for a typical item, +0.69 for
    one with twice the typical count plus one, and the first like on an unliked item counts as
    much as the step from 1,000 to 2,000. In a logit this makes the odds of a response
    proportional to ``(1 + d) ** coefficient``, the cumulative-advantage form fitted to the MusicLab
    experiment (docs/model.md, "Social proof"). Only the relative count matters, so a platform ten
    times larger, with ten times the likes everywhere, reads the same social proof. The signal is
    held within ``limit`` either way: beyond some multiple of the typical count, more likes
    persuade no more (and MusicLab, where the signal spans about -3 to +2, says nothing further).

    Args:
        displayed_likes: (K,) like counts as displayed on the K items on view (bought likes
            included, removed ones not).
        limit: largest size of the signal, in e-folds of the count's share.

    Returns:
        (K,) float64 social-proof signal per item.
    """
    likes = np.maximum(np.asarray(displayed_likes, np.float64), 0.0)
    if likes.size == 0:
        return likes
    return np.clip(np.log1p(likes) - np.log1p(likes.mean()), -limit, limit)


def _coefficients(responses: list[Response], features: tuple[str, ...]) -> np.ndarray:
    """Weights (F, R) of ``features`` in several responses."""
    return np.array([[getattr(r, f) for r in responses] for f in features])


@dataclass(frozen=True)
class Reactions:
    """What each impression of a tick produced.

    ``did[action]`` is a (I,) bool array for every action of :data:`~sim.actions.ACTIONS`: ``play``
    (the viewer did not swipe away within the hook: a *view*), ``like``, ``comment``, ``share``
    and ``follow`` (wants to follow the creator; the follow graph decides if new).
    """

    watched: np.ndarray  #: (I,) float, share of the video watched (0 when not played)
    did: dict[str, np.ndarray]

    @property
    def engaged(self) -> np.ndarray:
        """(I,) bool, the impression brought a public engagement (like, comment or share)."""
        return np.logical_or.reduce([self.did[action] for action in ENGAGEMENTS])


class Viewers:
    """The human viewer population.

    Attributes:
        interest: (V, N) float32, each row a viewer's interest shares over niches (sums to 1).
        interest_cdf: (V, N) float32, the running sums of each row of ``interest``.
        age_band, region: (V,) int8 indices into the scenario's ``age_bands`` / ``regions``.
        susceptibility: (V,) float32, multiplier of social proof (gamma, mean from the scenario).
        propensity: (V,) float32, the viewer's standard-normal trait of engaging readily (the
            ``propensity`` coefficient of a response turns it into logits): most people rarely
            like, a few like nearly everything they watch.
        session_rate: (V,) float32, expected sessions per day.
        mood: (V,) float32, current mood (0 = neutral), updated lazily when a viewer is active.
        mood_hour: (V,) float64, simulated hour at which ``mood`` was last brought up to date.
        looks_like_bot: (V,) bool, the account looks like a bot to detectors (a false-positive source).
    """

    def __init__(self, scenario: Scenario, rng: np.random.Generator):
        spec = scenario.viewers
        n, n_niches = spec.count, len(scenario.niches)
        self.count = n
        self.interest = rng.dirichlet(np.full(n_niches, spec.interest_concentration), n).astype(np.float32)
        self.interest_cdf = np.cumsum(self.interest, axis=1)
        self.age_band = rng.choice(len(spec.age_bands), n, p=list(spec.age_bands.values())).astype(np.int8)
        self.region = rng.choice(len(spec.regions), n, p=list(spec.regions.values())).astype(np.int8)
        shape = spec.susceptibility_shape
        self.susceptibility = rng.gamma(shape, spec.susceptibility_mean / shape, n).astype(np.float32)
        self.propensity = rng.standard_normal(n).astype(np.float32)
        spread = spec.sessions_spread
        self.session_rate = (spec.sessions_per_day * rng.lognormal(-(spread**2) / 2, spread, n)).astype(
            np.float32
        )
        self._rate_cdf = np.cumsum(self.session_rate, dtype=np.float64)
        self.looks_like_bot = rng.random(n) < scenario.integrity.human_flagged_share
        self.mood = np.zeros(n, np.float32)
        self.mood_hour = np.zeros(n)
        curve = np.asarray(scenario.clock.activity_curve, float)
        self._hourly_activity = curve / curve.sum()
        self._hours_per_tick = scenario.clock.hours_per_tick
        self._platform_cdf = np.ones((1, len(spec.age_bands)))
        self.configure(spec, scenario.engagement)

    def configure(self, spec: ViewersSpec, engagement: Engagement) -> None:
        """Take the current decision rule, mood process, session length and social-proof limit."""
        self._mood = spec.mood
        self._stop_after_video = 1.0 / spec.videos_per_session
        self._proof_limit = spec.social_proof_limit
        responses = [engagement.play, engagement.watch, *(getattr(engagement, a) for a in AFTER_PLAY)]
        self._base = np.array([r.base for r in responses])
        self._video_weights = _coefficients(responses, VIDEO_FEATURES)
        self._viewer_weights = np.ascontiguousarray(_coefficients(responses, VIEWER_FEATURES), np.float64)
        self._watch_noise = engagement.watch_noise

    def share_time(self, shares: np.ndarray) -> None:
        """Split scrolling time between platforms: ``shares`` (P, age bands), each column summing to 1."""
        self._platform_cdf = np.cumsum(shares, axis=0)

    def start_sessions(self, hour: float, rng: np.random.Generator) -> list[np.ndarray]:
        """Who scrolls this tick on each platform, once per video watched.

        One viewer opens an app a Poisson number of times this tick, with mean (own sessions per
        day) x (share of daily activity in these hours), and watches a geometric number of videos
        per session (mean ``videos_per_session``). All viewers' sessions together are one Poisson
        process, so they are drawn at once: how many, then whose each is, in proportion to the
        viewers' rates (the same distribution as one draw per viewer, at a cost per session).
        Each session is on one platform, drawn by the time share of the viewer's age band (no
        draw when there is one platform).

        Returns:
            For each platform, (I,) int64 viewer index of each of its impressions this tick, in
            increasing order.
        """
        start = int(hour) % 24
        share_of_day = self._hourly_activity[start : start + self._hours_per_tick].sum()
        total = self._rate_cdf[-1]
        sessions = rng.poisson(total * share_of_day)
        # Sorted draws make the search one merge and keep the impressions in viewer order.
        owner = np.empty(sessions, np.int64)
        kernels.search_sorted_points(self._rate_cdf, np.sort(rng.random(sessions)) * total, owner)
        owner = np.minimum(owner, self.count - 1)
        length = rng.geometric(self._stop_after_video, sessions)
        if self._platform_cdf.shape[0] == 1:
            return [np.repeat(owner, length)]
        cdf = self._platform_cdf[:, self.age_band[owner]]
        platform = np.minimum((rng.random(sessions) >= cdf).sum(axis=0), cdf.shape[0] - 1)
        mine = [platform == p for p in range(cdf.shape[0])]
        return [np.repeat(owner[here], length[here]) for here in mine]

    def pick_niches(self, viewer: np.ndarray, exploration: float, rng) -> np.ndarray:
        """The niche each viewer browses: one of their interests (by share), or at random when exploring.

        Returns:
            (I,) int64 niche index per entry of ``viewer``.
        """
        niche = np.empty(viewer.size, np.int64)
        kernels.pick_niches(viewer, rng.random(viewer.size), self.interest_cdf, exploration, niche)
        return niche

    def react(
        self,
        viewer: np.ndarray,
        shown: np.ndarray,
        videos: dict[str, np.ndarray],
        loyal: np.ndarray,
        rng,
        counts_shown: bool = True,
        offsets: np.ndarray | None = None,
    ) -> Reactions:
        """The split-second decision of every impression of the tick.

        What one viewer does with one video: the hook and the viewer's interest decide whether
        they keep watching past the first second (P(play)); if they do, quality, hook, interest and
        mood decide how much of it they watch; then like, comment, share and follow are each drawn
        with a probability that rises with quality, interest, mood, arousal, valence, the share
        watched, social proof (their susceptibility x :func:`social_proof` of the video's
        displayed likes among the videos on view; none when counts are hidden) and loyalty (they
        subscribe to the creator's VIP). Play responds to social proof too: the count is on screen
        from the first second.

        Args:
            viewer: (I,) viewer index of each impression.
            shown: (I,) row of ``videos`` that each impression shows.
            videos: the features of the videos on show, each (K,): ``niche``, ``quality``,
                ``hook``, ``arousal``, ``valence``, ``displayed_likes``.
            loyal: (I,) bool, the viewer is a VIP subscriber of the video's creator.
            rng: the model's generator.
            counts_shown: whether viewers see the like counts (False: no social proof).
            offsets: logit shift of each response on this platform: play, watch, then every
                action after the play (None: no shift).
        """
        n = viewer.size
        base = self._base if offsets is None else self._base + offsets
        likes = videos["displayed_likes"]
        video_side = np.empty((len(likes), kernels.NICHE + 1))
        video_side[:, : kernels.PROOF] = (
            base + np.column_stack([videos[f] for f in VIDEO_FEATURES]) @ self._video_weights
        )
        video_side[:, kernels.PROOF] = social_proof(likes, self._proof_limit) if counts_shown else 0.0
        video_side[:, kernels.NICHE] = videos["niche"]
        uniform = rng.random(n)
        played, play_chance = np.empty(n, bool), np.empty(n)
        later_logits = np.empty((n, len(base) - 1))
        kernels.decide_play(
            np.asarray(viewer, np.int64), np.asarray(shown, np.int64), np.asarray(loyal, bool),
            video_side, self.interest, self.mood, self.susceptibility, self.propensity,
            self._viewer_weights, uniform, played, play_chance, later_logits,
        )  # fmt: skip
        # The watch noise of the played impressions, in impression order.
        played_before = np.empty(n, np.int64)
        noise = self._watch_noise * rng.standard_normal(kernels.count_before(played, played_before))
        watched, drawn = np.zeros(n, np.float32), np.zeros((len(AFTER_PLAY), n), bool)
        kernels.react_after_play(
            later_logits, self._viewer_weights[-1], uniform, played, play_chance, noise, played_before,
            watched, drawn,
        )  # fmt: skip
        return Reactions(watched, dict(zip(ACTIONS, (played, *drawn), strict=True)))

    def update_mood(
        self, viewer: np.ndarray, valence: np.ndarray, watched: np.ndarray, hour: float, rng
    ) -> None:
        """Bring the mood of this tick's viewers up to date, then nudge it by what they watched.

        One viewer's mood is an Ornstein-Uhlenbeck process around 0, advanced exactly over the
        hours since it was last updated; each video then moves it by ``nudge`` x valence x share
        watched (Brady et al. 2017: emotional content is contagious).

        Args:
            viewer: (I,) viewer of each impression, in increasing order (as from :meth:`start_sessions`).
            valence, watched: (I,) the video's valence and the share watched.
        """
        if viewer.size == 0:
            return
        active, drift = np.empty(viewer.size, np.int64), np.empty(viewer.size)
        n = kernels.watched_valence_by_viewer(viewer, valence, watched, active, drift)
        active, drift = active[:n], drift[:n]
        elapsed = hour - self.mood_hour[active]
        decay = np.exp(-self._mood.reversion * elapsed)
        spread = self._mood.volatility * np.sqrt((1 - decay**2) / (2 * self._mood.reversion))
        self.mood[active] = (
            self.mood[active] * decay + spread * rng.standard_normal(active.size) + self._mood.nudge * drift
        )
        self.mood_hour[active] = hour

    def drawn_by_interest(self, niche: np.ndarray, rng) -> np.ndarray:
        """One viewer per entry of ``niche``, drawn with probability proportional to interest in it.

        Args:
            niche: (D,) niche index of each draw.

        Returns:
            (D,) viewer index of each draw.
        """
        picks = np.empty(niche.size, np.int64)
        for k in np.flatnonzero(np.bincount(niche)):  # the niches drawn, without sorting every draw
            draws = np.flatnonzero(niche == k)
            weights = np.cumsum(self.interest[:, k], dtype=np.float64)
            found = np.empty(draws.size, np.int64)
            kernels.search_points(weights, rng.random(draws.size) * weights[-1], found)
            picks[draws] = found
        return np.minimum(picks, self.count - 1)
