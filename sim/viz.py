"""The classroom dashboard: the like economy live in a browser, with the knobs a class turns.

``likesim viz [SCENARIO]`` serves this page with Mesa's own visual layer (``SolaraViz``, matplotlib
panels). One press of Step is one simulated day. The sliders and switches rebuild the model on
Reset; each changes a scenario setting (see :func:`classroom_scenario`), so what students move is
what the model does. Solara serves its front-end files from the ``solara-assets`` package, so the
page works without internet.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np
import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.utils import update_counter

from sim.loading import load_scenario, with_overrides
from sim.metrics import RATED_SHARE, gini, lorenz
from sim.model import LikeEconomy
from sim.scenario import Scenario
from sim.scenario.viewing import SOCIAL_PROOF_LIKE, SOCIAL_PROOF_PLAY

matplotlib.use("Agg")

#: The scenario the page starts from (``likesim viz SCENARIO`` sets it; default: the headline strategies).
SCENARIO_VARIABLE = "LIKESIM_VIZ_SCENARIO"
#: Class-sized: a simulated day in a fraction of a second.
CLASS_SIZE = ["viewers.count=3000", "creators.count=80", "clock.days=365"]
BUYERS = "buy_likes"


def classroom_scenario(
    path: str | None,
    buyers_share: float = 0.2,
    detection_strength: float = 1.0,
    social_proof: float = 1.0,
    likes_shown: bool = True,
    live_gifting: bool = True,
) -> Scenario:
    """The scenario at ``path`` (default: scenarios/strategies.yaml) at class size, with the knobs set.

    - ``buyers_share``: the share of creators in the group that buys likes; the other groups keep
      their proportions among the rest (a scenario without a buying group gets none);
    - ``detection_strength``: ``integrity.strength`` (1 = the platform's default);
    - ``social_proof``: both social-proof coefficients (play and like) as a multiple of their
      MusicLab calibration (0 = counts persuade nobody);
    - ``likes_shown``: like counts on screen (off: hidden, as Instagram tested);
    - ``live_gifting``: LIVE rooms and gifts on the platform.
    """
    spec = load_scenario(path or _headline(), CLASS_SIZE)
    groups = [group.model_dump(mode="json") for group in spec.creators.groups]
    buying = [g for g in groups if g[BUYERS]]
    if buying:
        others = sum(g["share"] for g in groups if not g[BUYERS]) or 1.0
        for group in groups:
            group["share"] = (
                buyers_share / len(buying) if group[BUYERS] else group["share"] / others * (1 - buyers_share)
            )
    platform = next(iter(spec.platform_rules()))
    return with_overrides(
        spec,
        {
            "creators.groups": groups,
            "integrity.strength": detection_strength,
            "engagement.play.social_proof": social_proof * SOCIAL_PROOF_PLAY,
            "engagement.like.social_proof": social_proof * SOCIAL_PROOF_LIKE,
            f"platforms.{platform}.likes_shown": likes_shown,
            f"platforms.{platform}.monetization.live_gifts": live_gifting,
        },
        "dashboard",
    )


def _headline() -> str:
    return str(Path(__file__).resolve().parents[1] / "scenarios" / "strategies.yaml")


class Classroom(LikeEconomy):
    """The like economy one simulated day per step, built from the dashboard's knobs.

    (``scenario_file``, not ``scenario``: Mesa's dashboard passes its own ``scenario`` object to a
    model that accepts one.)
    """

    def __init__(
        self,
        buyers_share: float = 0.2,
        detection_strength: float = 1.0,
        social_proof: float = 1.0,
        likes_shown: bool = True,
        live_gifting: bool = True,
        seed: int | str = 42,
        scenario_file: str | None = None,
    ):
        spec = classroom_scenario(
            scenario_file or os.environ.get(SCENARIO_VARIABLE),
            buyers_share,
            detection_strength,
            social_proof,
            likes_shown,
            live_gifting,
        )
        super().__init__(spec, rng=int(seed))  # the page's seed box gives text
        self.knobs = {
            "buyers_share": buyers_share,
            "detection_strength": detection_strength,
            "social_proof": social_proof,
            "likes_shown": likes_shown,
            "live_gifting": live_gifting,
            "seed": int(seed),
        }

    def step(self) -> None:
        """One simulated day: every tick of it."""
        for _ in range(self.spec.clock.ticks_per_day):
            super().step()


#: The knobs, as Mesa's dashboard shows them.
MODEL_PARAMS = {
    "buyers_share": Slider("Share of creators buying likes", 0.2, 0.0, 0.5, 0.05),
    "detection_strength": Slider("Detection strength", 1.0, 0.0, 4.0, 0.5),
    "social_proof": Slider("Social-proof strength", 1.0, 0.0, 2.0, 0.25),
    "likes_shown": {"type": "Checkbox", "value": True, "label": "Show like counts"},
    "live_gifting": {"type": "Checkbox", "value": True, "label": "LIVE gifting"},
    "seed": {"type": "InputText", "value": 42, "label": "Seed"},
}


def _groups(model: LikeEconomy) -> tuple[np.ndarray, list[str]]:
    groups = np.array([c.group for c in model.creator_list])
    return groups, list(dict.fromkeys(groups))


def _day_axis(ax, days: int) -> None:
    """Whole days only, from day 0 (the start) to the last day (at least 1)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(days, 1))


def _daily(model: LikeEconomy, name: str) -> np.ndarray:
    """(days + 1, C): a per-creator daily column of the log, all platforms together (row 0 = start)."""
    days = len(model.log.creator_days[0])
    return np.array([sum(p[day][name] for p in model.log.creator_days) for day in range(days)])


def followers_figure(model: LikeEconomy) -> Figure:
    """Followers each group's creators gained since day 0, on average, day by day."""
    fig = Figure(figsize=(5, 3.2))
    ax = fig.subplots()
    followers = _daily(model, "followers")
    gained = followers - followers[0]
    groups, names = _groups(model)
    for name in names:
        ax.plot(gained[:, groups == name].mean(axis=1), label=name)
    ax.set(xlabel="day", ylabel="followers gained per creator", title="Followers gained by creator group")
    _day_axis(ax, len(gained) - 1)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def like_view_figure(model: LikeEconomy) -> Figure:
    """How often viewers like what they watch: displayed likes per view of the most-viewed videos.

    The same videos as the reports' like/view (the most-viewed ``RATED_SHARE``), so rates rest on
    enough views.
    """
    fig = Figure(figsize=(5, 3.2))
    ax = fig.subplots()
    videos = model.platforms[0].videos
    views = videos["views"]
    seen = np.argsort(-views, kind="stable")[: int(np.ceil(RATED_SHARE * views.size))]
    seen = seen[views[seen] > 0]
    if seen.size:
        rates = videos.displayed_likes(seen) / views[seen] * 100
        ax.hist(rates, bins=30, color="tab:blue")
        ax.axvline(np.median(rates), color="black", linestyle="--", label=f"median {np.median(rates):.1f}%")
        ax.legend(fontsize=7)
    ax.set(
        xlabel="likes per 100 views (displayed)",
        ylabel="videos",
        title=f"Like/view of the most-viewed {RATED_SHARE:.0%} of videos",
    )
    fig.tight_layout()
    return fig


def lorenz_figure(model: LikeEconomy) -> Figure:
    """Who gets the views: the Lorenz curve of views over videos."""
    fig = Figure(figsize=(5, 3.2))
    ax = fig.subplots()
    views = model.platforms[0].videos["views"]
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect equality")
    if views.size and views.sum():
        x, y = lorenz(views)
        ax.plot(x, y, label=f"videos (Gini {gini(views):.2f})")
    ax.set(
        xlabel="share of videos (fewest views first)", ylabel="share of views", title="Lorenz curve of views"
    )
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def buyers_figure(model: LikeEconomy) -> Figure:
    """Likes on the buyers' videos: what everyone sees against what humans gave."""
    fig = Figure(figsize=(5, 3.2))
    ax = fig.subplots()
    buyers = np.array(["buy_likes" in c.strategy for c in model.creator_list])
    if buyers.any():
        ax.plot(_daily(model, "displayed_likes")[:, buyers].sum(axis=1), label="displayed (bought included)")
        ax.plot(_daily(model, "organic_likes")[:, buyers].sum(axis=1), label="from humans")
        ax.legend(fontsize=7)
    else:
        ax.text(0.5, 0.5, "nobody buys likes", ha="center", transform=ax.transAxes)
    ax.set(xlabel="day", ylabel="likes on buyers' videos", title="Buyers: displayed vs human likes")
    _day_axis(ax, len(model.log.rows))
    fig.tight_layout()
    return fig


def gifts_figure(model: LikeEconomy) -> Figure:
    """Coins viewers gifted each day, and what creators earned from them."""
    fig = Figure(figsize=(5, 3.2))
    ax = fig.subplots()
    books = model.ledger.table()
    if len(books) and books["coins_gifted"].sum():
        ax.bar(books["day"], books["coins_gifted"], color="tab:orange", label="coins gifted")
        right = ax.twinx()
        right.plot(books["day"], books["gift_payout"], color="black", label="creators' gift income (EUR)")
        right.set_ylabel("EUR per day")
        ax.legend(fontsize=7, loc="upper left")
        right.legend(fontsize=7, loc="upper right")
    else:
        ax.text(
            0.5, 0.5, "no gifts yet (LIVE gifting off, or nobody LIVE)", ha="center", transform=ax.transAxes
        )
    ax.set(xlabel="day", ylabel="coins per day", title="Gifts")
    _day_axis(ax, len(model.log.rows))
    fig.tight_layout()
    return fig


def settings(model) -> str:
    """The knobs the running economy was built with, in words (the sliders do not show their values)."""
    knobs = getattr(model, "knobs", None)
    if knobs is None:
        return ""
    shown = "shown" if knobs["likes_shown"] else "hidden"
    gifting = "on" if knobs["live_gifting"] else "off"
    return (
        f"Settings: {knobs['buyers_share']:.0%} of creators buy likes; detection "
        f"x{knobs['detection_strength']:g}; social proof x{knobs['social_proof']:g}; like counts {shown}; "
        f"LIVE gifting {gifting}; seed {knobs['seed']}."
    )


def what_happened(model: LikeEconomy) -> str:
    """The last simulated day in one plain sentence."""
    if not model.log.rows:
        return "Day 0: nothing has happened yet. Press Step to simulate a day."
    day = model.log.rows[-1]
    followers = _daily(model, "followers")
    groups, names = _groups(model)
    gained = {name: (followers[-1] - followers[0])[groups == name].mean() for name in names}
    leader = max(gained, key=gained.get)
    words = [
        f"Day {day['day']}: {day['views']:,} views and {day['likes']:,} human likes "
        f"({day['like_view']:.1%} of views)."
    ]
    if day["bought_likes_delivered"] or day["bought_likes_removed"]:
        words.append(
            f"Farms delivered {day['bought_likes_delivered']:,} bought likes; the platform removed "
            f"{day['bought_likes_removed']:,}."
        )
    books = model.ledger.table()
    if len(books) and books["coins_gifted"].iloc[-1]:
        words.append(f"Viewers gifted {books['coins_gifted'].iloc[-1]:,} coins in LIVE rooms.")
    words.append(
        f"So far {leader} creators gained the most followers ({gained[leader]:,.0f} each on average)."
    )
    return " ".join(words)


def _figure_component(draw):
    @solara.component
    def Panel(model):
        update_counter.get()  # drawn again after every step
        solara.FigureMatplotlib(draw(model), format="png")

    Panel.__name__ = draw.__name__
    return Panel


@solara.component
def WhatHappened(model):
    """A line in plain words about the last day."""
    update_counter.get()
    solara.Markdown(f"**What just happened.** {what_happened(model)}\n\n_{settings(model)}_")


COMPONENTS = [
    WhatHappened,
    *(
        _figure_component(f)
        for f in (followers_figure, like_view_figure, lorenz_figure, buyers_figure, gifts_figure)
    ),
]


@solara.component
def Page():
    """The dashboard page (what ``solara run sim.viz`` serves)."""
    model = solara.use_memo(Classroom, [])
    SolaraViz(
        model, components=COMPONENTS, model_params=MODEL_PARAMS, name="likesim classroom", play_interval=300
    )
