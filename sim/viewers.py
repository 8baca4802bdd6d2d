"""Viewers: the human population as arrays, their sessions, their mood and their split-second reactions.

Shapes use V = number of viewers, N = number of niches, I = impressions in the current tick.
Nothing here allocates per impression beyond flat (I,) arrays, and nothing is V x videos.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.scenario import Engagement, Response, Scenario

#: Order of the features every :class:`~sim.scenario.Response` weighs (logit coefficients).
FEATURES = ("quality", "hook", "interest", "mood", "arousal", "valence", "watch", "social_proof", "loyalty")
#: The binary actions drawn for each played impression, in column order of :class:`Reactions`.
ACTIONS = ("like", "comment", "share", "follow")


def _coefficients(responses: list[Response]) -> tuple[np.ndarray, np.ndarray]:
    """Intercepts (R,) and feature weights (F, R) of several responses, for one matrix product."""
    base = np.array([r.base for r in responses], np.float32)
    weights = np.array([[getattr(r, f) for r in responses] for f in FEATURES], np.float32)
    return base, weights


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class Reactions:
    """What each impression of a tick produced; arrays of shape (I,)."""

    played: np.ndarray  #: bool, the viewer did not swipe away within the hook (a *view*)
    watched: np.ndarray  #: float, share of the video watched (0 when not played)
    liked: np.ndarray  #: bool
    commented: np.ndarray  #: bool
    shared: np.ndarray  #: bool
    followed: np.ndarray  #: bool, wants to follow the creator (the follow graph decides if new)


class Viewers:
    """The human viewer population.

    Attributes:
        interest: (V, N) float32, each row a viewer's interest shares over niches (sums to 1).
        age_band, region: (V,) int8 indices into the scenario's ``age_bands`` / ``regions``.
        susceptibility: (V,) float32, multiplier of social proof (gamma, mean from the scenario).
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
        self._interest_cdf = np.cumsum(self.interest, axis=1)
        self.age_band = rng.choice(len(spec.age_bands), n, p=list(spec.age_bands.values())).astype(np.int8)
        self.region = rng.choice(len(spec.regions), n, p=list(spec.regions.values())).astype(np.int8)
        shape = spec.susceptibility_shape
        self.susceptibility = rng.gamma(shape, spec.susceptibility_mean / shape, n).astype(np.float32)
        spread = spec.sessions_spread
        self.session_rate = (spec.sessions_per_day * rng.lognormal(-(spread**2) / 2, spread, n)).astype(
            np.float32
        )
        self.looks_like_bot = rng.random(n) < scenario.integrity.human_flagged_share
        self.mood = np.zeros(n, np.float32)
        self.mood_hour = np.zeros(n)
        self._mood = spec.mood
        self._stop_after_video = 1.0 / spec.videos_per_session
        curve = np.asarray(scenario.clock.activity_curve, float)
        self._hourly_activity = curve / curve.sum()
        self._hours_per_tick = scenario.clock.hours_per_tick
        self._n_niches = n_niches
        engagement: Engagement = scenario.engagement
        self._play = _coefficients([engagement.play])
        self._watch = _coefficients([engagement.watch])
        self._watch_noise = engagement.watch_noise
        self._actions = _coefficients([getattr(engagement, a) for a in ACTIONS])

    def start_sessions(self, hour: float, rng: np.random.Generator) -> np.ndarray:
        """Who scrolls this tick, once per video watched.

        One viewer opens the app a Poisson number of times this tick, with mean (own sessions per
        day) x (share of daily activity in these hours), and watches a geometric number of videos
        per session (mean ``videos_per_session``); k sessions together are k + NegBin(k, p) videos.

        Returns:
            (I,) int64 viewer index of each impression of the tick, grouped by viewer.
        """
        start = int(hour) % 24
        share_of_day = self._hourly_activity[start : start + self._hours_per_tick].sum()
        sessions = rng.poisson(self.session_rate * share_of_day)
        active = np.flatnonzero(sessions)
        started = sessions[active]
        videos = started + rng.negative_binomial(started, self._stop_after_video)
        return np.repeat(active, videos)

    def pick_niches(self, viewer: np.ndarray, exploration: float, rng) -> np.ndarray:
        """For-You niche of each impression: the viewer's interests, or at random when exploring.

        Returns:
            (I,) int64 niche index per impression.
        """
        u = rng.random(viewer.size, dtype=np.float32)
        by_interest = (self._interest_cdf[viewer] < u[:, None]).sum(axis=1)
        niche = np.minimum(by_interest, self._n_niches - 1)
        exploring = rng.random(viewer.size, np.float32) < exploration
        niche[exploring] = rng.integers(self._n_niches, size=int(exploring.sum()))
        return niche

    def react(self, viewer: np.ndarray, video: dict[str, np.ndarray], rng) -> Reactions:
        """The split-second decision of every impression of the tick, vectorised.

        What one viewer does with one video: the hook and the viewer's interest decide whether
        they keep watching past the first second (P(play)); if they do, quality, hook, interest and
        mood decide how much of it they watch; then like, comment, share and follow are each drawn
        with a probability that rises with quality, interest, mood, arousal, valence, the share
        watched, social proof (their susceptibility x log10(1 + displayed likes)) and loyalty (they
        subscribe to the creator's VIP).

        Args:
            viewer: (I,) viewer index of each impression.
            video: per-impression video features, each (I,): ``niche``, ``quality``, ``hook``,
                ``arousal``, ``valence``, ``displayed_likes``, ``loyalty`` (0 or 1).
            rng: the model's generator.
        """
        n = viewer.size
        features = np.empty((n, len(FEATURES)), np.float32)
        for name in ("quality", "hook", "arousal", "valence", "loyalty"):
            features[:, FEATURES.index(name)] = video[name]
        interest = self.interest[viewer, video["niche"]]
        features[:, FEATURES.index("interest")] = interest * self._n_niches - 1.0
        features[:, FEATURES.index("mood")] = self.mood[viewer]
        features[:, FEATURES.index("social_proof")] = self.susceptibility[viewer] * np.log10(
            1.0 + video["displayed_likes"]
        )
        features[:, FEATURES.index("watch")] = 0.0

        played = rng.random(n, np.float32) < _sigmoid(self._logits(features, self._play)[:, 0])
        watch_logit = self._logits(features, self._watch)[:, 0]
        watch_logit += self._watch_noise * rng.standard_normal(n, np.float32)
        watched = np.where(played, _sigmoid(watch_logit), np.float32(0))
        features[:, FEATURES.index("watch")] = watched

        drawn = rng.random((n, len(ACTIONS)), np.float32) < _sigmoid(self._logits(features, self._actions))
        drawn &= played[:, None]
        return Reactions(played, watched, *(drawn[:, i] for i in range(len(ACTIONS))))

    @staticmethod
    def _logits(features: np.ndarray, coefficients: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        base, weights = coefficients
        return features @ weights + base

    def update_mood(
        self, viewer: np.ndarray, valence: np.ndarray, watched: np.ndarray, hour: float, rng
    ) -> None:
        """Bring the mood of this tick's viewers up to date, then nudge it by what they watched.

        One viewer's mood is an Ornstein-Uhlenbeck process around 0, advanced exactly over the
        hours since it was last updated; each video then moves it by ``nudge`` x valence x share
        watched (Brady et al. 2017: emotional content is contagious).
        """
        active, position = np.unique(viewer, return_inverse=True)
        elapsed = hour - self.mood_hour[active]
        decay = np.exp(-self._mood.reversion * elapsed)
        spread = self._mood.volatility * np.sqrt((1 - decay**2) / (2 * self._mood.reversion))
        drift = np.bincount(position, weights=valence * watched, minlength=active.size)
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
        for k in np.unique(niche):
            draws = np.flatnonzero(niche == k)
            weights = np.cumsum(self.interest[:, k], dtype=np.float64)
            u = rng.random(draws.size) * weights[-1]
            picks[draws] = np.searchsorted(weights, u, side="right")
        return np.minimum(picks, self.count - 1)
