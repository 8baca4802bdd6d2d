"""The design of the MusicLab experiment (Salganik, Dodds & Watts 2006), as a scenario section."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from sim.scenario.base import Section, parameter

#: The two displays of the original experiments: Exp. 1 showed the songs in a grid in random order,
#: Exp. 2 in one column ranked by downloads.
DISPLAYS = ("grid", "ranked")


class MusicLab(Section):
    """One catalogue of songs, several worlds of participants who arrive one at a time.

    The songs are the scenario's creators' videos (one each, drawn by the content rule); the
    participants are viewers of the scenario's population, and each decides with the platform's
    own rule (:meth:`sim.viewers.Viewers.react`): *play* is listening to a song, *like* is
    downloading it. Social worlds show the download counts; the independent world hides them.
    """

    displays: list[Literal["grid", "ranked"]] = parameter(
        list(DISPLAYS),
        "experiments",
        "displays to run, one experiment each: 'grid' (random order, Exp. 1) or 'ranked' (by "
        "downloads, Exp. 2)",
        min_length=1,
    )
    social_worlds: int = parameter(8, "worlds", "worlds that show download counts", ge=2, le=100)
    participants_per_world: int = parameter(
        700, "participants", "participants arriving in each social world", ge=2, le=1_000_000
    )
    independent_participants: int = parameter(
        1400, "participants", "participants of the independent world (counts hidden)", ge=4, le=1_000_000
    )
    position_bias: float = parameter(
        0.5,
        "exponent",
        "attention down the list: a participant looks at the song in position k with probability "
        "k ** -position_bias (1: steep, as for search results; 0: every song is looked at)",
        ge=0.0,
        le=5.0,
    )
    end_attention: float = parameter(
        0.0,
        "probability",
        "extra attention at the end of the list (those who scroll to the bottom): the song in "
        "position k from the end gets k ** -position_bias times this on top",
        ge=0.0,
        le=1.0,
    )
    independent_splits: int = parameter(
        20,
        "random halvings",
        "halvings of the independent world whose unpredictability is averaged (its U)",
        ge=1,
        le=10_000,
    )

    @model_validator(mode="after")
    def _distinct_displays(self) -> MusicLab:
        if len(set(self.displays)) != len(self.displays):
            raise ValueError(f"displays: each at most once, got {self.displays}")
        return self
