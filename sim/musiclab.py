"""The MusicLab experiment, replicated with the platform's own viewer rule.

Salganik, Dodds & Watts (2006) let about 14,000 participants listen to and download 48 songs by
unknown bands. One *independent* world hid what others had done; eight *social* worlds showed
each song's download count, in a grid in random order (Exp. 1) or in one column ranked by
downloads (Exp. 2). Social influence made success more unequal and less predictable
(docs/validation.md, section 1).

Here the songs are one video per creator of the scenario, drawn by the platform's content rule
(:func:`~sim.videos.draw_content`) once per replicate and identical in every world. Each world is
a Mesa model whose participants are a fresh viewer population; one step is one participant
arriving: they are shown the songs in the display's order, look at the song in position k with
probability ``k ** -position_bias`` (attention runs out down a list, as it does for search
results) plus ``end_attention`` times the same from the end of the list (some scroll to the
bottom), and decide about each song they look at with :meth:`~sim.viewers.Viewers.react`, the
rule every impression of the like economy runs: *play* is listening, *like* is downloading, and
social proof is read from the download counts on view (none in the independent world).
Position matters because attention runs out down the list, and in the ranked display the list
is the counts' order.

Measures of one experiment (each averaged over the social worlds, or their pairs):
``gini`` of the songs' download shares, unpredictability ``u`` (mean absolute difference of a
song's share between two worlds, averaged over songs; for the independent world, between the two
halves of random halvings of its participants), the top song's share, the share of participants
who downloaded anything, and ``quality_success``, the rank correlation of each song's share in
the independent world with its share in a social world.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import mesa
import numpy as np
import pandas as pd

from sim.metrics import gini
from sim.scenario import Scenario
from sim.videos import draw_content
from sim.viewers import Viewers

#: The world whose participants see no counts.
INDEPENDENT = "independent"
#: Measures of one experiment, in report order.
MEASURES = (
    "gini_social",
    "gini_independent",
    "u_social",
    "u_independent",
    "top_share_social",
    "downloaders_share",
    "listens_per_participant",
    "downloads_per_participant",
    "quality_success",
)


class MusicLabWorld(mesa.Model):
    """One world: participants arrive one at a time, listen to some songs and download some.

    Args:
        spec: the MusicLab scenario (viewers and engagement; its ``musiclab`` section is the design).
        songs: (S,) arrays of the songs' features: ``niche``, ``quality``, ``hook``, ``arousal``,
            ``valence``.
        participants: how many arrive.
        display: ``"grid"`` (random order for each participant) or ``"ranked"`` (by downloads).
        counts_shown: whether participants see the download counts.
        rng: seed or generator of this world.

    Attributes:
        listens, downloads: (S,) counts so far.
        downloaded_by: (participants,) songs each participant downloaded.
    """

    def __init__(self, spec: Scenario, songs: dict, participants: int, display: str, counts_shown: bool, rng):
        super().__init__(rng=rng)
        viewers = spec.viewers.model_copy(update={"count": participants})
        self.viewers = Viewers(spec.model_copy(update={"viewers": viewers}), self.rng)
        self.songs = songs
        self.display = display
        self.counts_shown = counts_shown
        n_songs = songs["quality"].size
        self.listens = np.zeros(n_songs, np.int64)
        self.downloads = np.zeros(n_songs, np.int64)
        self.downloaded_by: list[np.ndarray] = []
        design = spec.musiclab
        position = np.arange(1, n_songs + 1)
        from_end = position[::-1]
        attention = position**-design.position_bias + design.end_attention * from_end**-design.position_bias
        self._attention = np.minimum(attention, 1.0)

    def step(self) -> None:
        """The next participant arrives, looks down the display, listens to some songs, downloads some."""
        order = self.display_order()
        looked_at = order[self.rng.random(order.size) < self._attention]
        participant = np.full(looked_at.size, len(self.downloaded_by))
        on_show = {**self.songs, "displayed_likes": self.downloads}
        no_vip = np.zeros(looked_at.size, bool)
        reactions = self.viewers.react(participant, looked_at, on_show, no_vip, self.rng, self.counts_shown)
        self.listens[looked_at] += reactions.did["play"]
        self.downloads[looked_at] += reactions.did["like"]
        self.downloaded_by.append(looked_at[reactions.did["like"]])

    def display_order(self) -> np.ndarray:
        """The songs in the order this participant sees them (ties in random order)."""
        shuffled = self.rng.permutation(self.downloads.size)
        if self.display == "grid":
            return shuffled
        return shuffled[np.argsort(-self.downloads[shuffled], kind="stable")]

    def run(self) -> MusicLabWorld:
        """Let every participant arrive; returns the world."""
        for _ in range(len(self.viewers.susceptibility)):
            self.step()
        return self


@dataclass(frozen=True)
class Replicate:
    """One replicate of one experiment: every world's song counts and the measures."""

    songs: pd.DataFrame  #: one row per (world, song): features, listens, downloads, share
    measures: dict  #: the experiment's :data:`MEASURES` in this replicate


def shares(downloads: np.ndarray) -> np.ndarray:
    """Market shares of downloads (all zero when nothing was downloaded)."""
    total = downloads.sum()
    return downloads / total if total else np.zeros(downloads.size)


def unpredictability(world_shares: np.ndarray) -> float:
    """Mean over songs of the mean absolute difference of a song's share between pairs of worlds.

    Args:
        world_shares: (W, S) market shares of the S songs in W >= 2 worlds.
    """
    pairs = combinations(range(world_shares.shape[0]), 2)
    return float(np.mean([np.abs(world_shares[a] - world_shares[b]).mean() for a, b in pairs]))


def _rank_correlation(x: np.ndarray, y: np.ndarray) -> float:
    return float(pd.Series(x).corr(pd.Series(y), method="spearman"))


def replicate(spec: Scenario, display: str, seed: int) -> Replicate:
    """Run one experiment (one display) once: the songs, the social worlds and the independent world."""
    design = spec.musiclab
    songs_seed, *world_seeds, split_seed = np.random.SeedSequence(seed).spawn(design.social_worlds + 3)
    songs_rng = np.random.default_rng(songs_seed)
    group = spec.creators.groups[0]
    n_songs = spec.creators.count
    skill = songs_rng.normal(group.skill_mean, group.skill_sd, n_songs)
    songs = {"niche": songs_rng.integers(len(spec.niches), size=n_songs)}
    songs |= draw_content(skill, spec.content, songs_rng)
    worlds = {
        f"social-{w + 1}": MusicLabWorld(
            spec, songs, design.participants_per_world, display, True, np.random.default_rng(world_seeds[w])
        ).run()
        for w in range(design.social_worlds)
    }
    worlds[INDEPENDENT] = MusicLabWorld(
        spec, songs, design.independent_participants, "grid", False, np.random.default_rng(world_seeds[-1])
    ).run()
    table = pd.concat(
        [
            pd.DataFrame(
                {
                    "display": display,
                    "world": name,
                    "song": np.arange(n_songs),
                    **{f: songs[f] for f in ("niche", "quality", "hook")},
                    "listens": world.listens,
                    "downloads": world.downloads,
                    "share": shares(world.downloads),
                    "participants": len(world.downloaded_by),
                    "downloaders": sum(d.size > 0 for d in world.downloaded_by),
                }
            )
            for name, world in worlds.items()
        ],
        ignore_index=True,
    )
    halves = _independent_halves(
        worlds[INDEPENDENT], design.independent_splits, np.random.default_rng(split_seed)
    )
    return Replicate(table, measure(table, halves))


def _independent_halves(world: MusicLabWorld, splits: int, rng) -> list[np.ndarray]:
    """(2, S) market shares of the two halves of each random halving of the world's participants."""
    n_songs, n = world.downloads.size, len(world.downloaded_by)
    chosen = np.concatenate(world.downloaded_by)
    who = np.repeat(np.arange(n), [d.size for d in world.downloaded_by])
    halves = []
    for _ in range(splits):
        first = np.zeros(n, bool)
        first[rng.permutation(n)[: n // 2]] = True
        counts = [np.bincount(chosen[mask[who]], minlength=n_songs) for mask in (first, ~first)]
        halves.append(np.stack([shares(c) for c in counts]))
    return halves


def worlds_table(songs: pd.DataFrame) -> pd.DataFrame:
    """One row per world (of each display and replicate): participants, downloads, Gini, top share."""
    keys = [key for key in ("display", "seed", "world") if key in songs]
    grouped = songs.groupby(keys, sort=False)
    table = grouped.agg(
        participants=("participants", "first"),
        downloaders=("downloaders", "first"),
        listens=("listens", "sum"),
        downloads=("downloads", "sum"),
        top_share=("share", "max"),
    )
    table["gini"] = grouped["share"].apply(gini)
    return table.reset_index()


def measure(songs: pd.DataFrame, independent_halves: list[np.ndarray]) -> dict:
    """The experiment's :data:`MEASURES` from its song table (one replicate)."""
    social = songs[songs["world"] != INDEPENDENT]
    independent = songs[songs["world"] == INDEPENDENT].sort_values("song")
    by_world = {name: rows.sort_values("song") for name, rows in social.groupby("world")}
    worlds = songs.groupby("world")[["participants", "downloaders"]].first()
    totals = songs.groupby("world")[["listens", "downloads"]].sum()
    participants = worlds["participants"].sum()
    return {
        "gini_social": float(np.mean([gini(rows["share"]) for rows in by_world.values()])),
        "gini_independent": gini(independent["share"]),
        "u_social": unpredictability(np.stack([rows["share"].to_numpy() for rows in by_world.values()])),
        "u_independent": float(np.mean([unpredictability(h) for h in independent_halves])),
        "top_share_social": float(np.mean([rows["share"].max() for rows in by_world.values()])),
        "downloaders_share": float(worlds["downloaders"].sum() / participants),
        "listens_per_participant": float(totals["listens"].sum() / participants),
        "downloads_per_participant": float(totals["downloads"].sum() / participants),
        "quality_success": float(
            np.mean(
                [
                    _rank_correlation(independent["share"].to_numpy(), rows["share"].to_numpy())
                    for rows in by_world.values()
                ]
            )
        ),
    }
