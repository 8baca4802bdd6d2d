"""Creators who learn: strategies spread by imitation of better-looking peers.

Every ``interval_days`` each creator looks at the payoff it earned over that window and at a few
peers', and may switch to the strategy of the best-looking one (a pairwise-comparison rule); now
and then it tries a random group's strategy instead. A creator knows its own payoff; of its
peers it sees only what the platforms display. Displayed likes include bought likes, and nobody
sees what a peer spent on them, so imitation can be fooled: :class:`Switch` keeps both the gap
the creator saw and the true one.

Shapes use C = number of creators. A "strategy" here is a creator group's strategy sections with
their parameters: a creator that copies a peer follows the group the peer follows (its
``strategy_group``), while its own group (skill, niche, platforms) stays what it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.scenario import Adaptation

#: Drawn when no peer is chosen (exploring, or nobody to look at).
NO_PEER = -1


@dataclass(frozen=True)
class Standing:
    """Every creator's cumulative results so far, all platforms together: (C,) arrays."""

    followers: np.ndarray
    views: np.ndarray
    shown_engagements: np.ndarray  #: displayed likes (bought included) + comments + shares
    organic_engagements: np.ndarray  #: likes from humans + comments + shares
    income: np.ndarray  #: gifts, VIP and brand deals, in currency units
    spend: np.ndarray  #: spent on bought likes, in currency units


def payoffs(before: Standing, now: Standing, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Each creator's payoff over the window, as its peers see it and as it truly is.

    - ``followers``: followers gained (displayed and true alike);
    - ``engagement``: engagements per view in the window; peers see displayed likes, bought ones
      included; the truth counts human likes only;
    - ``income``: gifts, VIP and brand income (public enough: gifts show in LIVE rooms, deals as
      sponsored posts);
    - ``profit``: income minus like spend; peers see the income but not the spend.

    Returns:
        (observed, true), each (C,) float.
    """
    gained = {name: getattr(now, name) - getattr(before, name) for name in Standing.__dataclass_fields__}
    if kind == "followers":
        observed = true = gained["followers"].astype(float)
    elif kind == "engagement":
        views = np.maximum(gained["views"], 1)
        observed, true = gained["shown_engagements"] / views, gained["organic_engagements"] / views
    elif kind == "income":
        observed = true = gained["income"]
    else:
        observed, true = gained["income"], gained["income"] - gained["spend"]
    return np.asarray(observed, float), np.asarray(true, float)


@dataclass(frozen=True)
class Switch:
    """One creator taking up another strategy."""

    creator: int
    to_group: int  #: index of the group whose strategy it now follows
    peer: int  #: the peer it copied (``NO_PEER`` when exploring)
    observed_gap: float  #: the peer's displayed payoff minus its own (NaN when exploring)
    true_gap: float  #: the peer's true payoff minus its own (NaN when exploring)


def revise(
    observed: np.ndarray,
    true: np.ndarray,
    views: np.ndarray,
    following: np.ndarray,
    niche: np.ndarray,
    n_groups: int,
    spec: Adaptation,
    rng: np.random.Generator,
) -> list[Switch]:
    """Every creator's comparison at the end of a window, all at once.

    One creator: with chance ``exploration`` it takes up a random group's strategy. Otherwise it
    looks at ``peers`` creators (of its niche, uniformly; or, with ``observe: feed``, creators in
    proportion to their views in the window) and picks the one whose displayed payoff is
    highest. If that peer follows another strategy and looks better by ``gap`` (in standard
    deviations of the displayed payoffs this window), it copies it with probability
    ``tanh(intensity x gap / 2)``: the Fermi rule's excess over a coin toss, so a worse-looking
    peer is never copied and intensity 0 means nobody copies.

    Args:
        observed, true: (C,) payoffs over the window, as displayed and as they are (:func:`payoffs`).
        views: (C,) views each creator got in the window (how often the feed shows it).
        following: (C,) index of the group whose strategy each creator follows now.
        niche: (C,) niche of each creator.

    Returns:
        the switches, in creator order (creators already on the chosen strategy do not switch).
    """
    n = following.size
    explores = rng.random(n) < spec.exploration
    random_group = rng.integers(n_groups, size=n)
    peer = _peers(niche, views, spec, rng)  # (C, peers), NO_PEER where none
    seen = np.where(peer >= 0, observed[np.maximum(peer, 0)], -np.inf)
    best = peer[np.arange(n), np.argmax(seen, axis=1)]
    scale = observed.std() or 1.0
    gap = np.where(best >= 0, observed[np.maximum(best, 0)] - true, 0.0) / scale
    copies = (rng.random(n) < np.tanh(spec.intensity * np.maximum(gap, 0.0) / 2)) & (best >= 0)
    model = np.where(explores, NO_PEER, np.where(copies, best, NO_PEER))
    target = np.where(explores, random_group, np.where(copies, following[np.maximum(best, 0)], following))
    model_observed = np.where(model >= 0, observed[np.maximum(model, 0)] - true, np.nan)
    model_true = np.where(model >= 0, true[np.maximum(model, 0)] - true, np.nan)
    return [
        Switch(int(c), int(target[c]), int(model[c]), float(model_observed[c]), float(model_true[c]))
        for c in np.flatnonzero(target != following)
    ]


def _peers(niche: np.ndarray, views: np.ndarray, spec: Adaptation, rng) -> np.ndarray:
    """(C, peers) creators each creator looks at (never itself; ``NO_PEER`` where there is nobody)."""
    n = niche.size
    if spec.observe == "feed":
        weight = np.maximum(views, 0).astype(float)
        if weight.sum() == 0:
            weight = np.ones(n)
        cdf = np.cumsum(weight / weight.sum())
        peer = np.minimum(np.searchsorted(cdf, rng.random((n, spec.peers)), side="right"), n - 1)
    else:
        order = np.argsort(niche, kind="stable")
        start = np.searchsorted(niche[order], niche)
        size = np.bincount(niche, minlength=niche.max() + 1)[niche]
        peer = order[start[:, None] + (rng.random((n, spec.peers)) * size[:, None]).astype(np.int64)]
    return np.where(peer == np.arange(n)[:, None], NO_PEER, peer)
