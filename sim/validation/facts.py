"""The published facts likesim is held against, each as a measure and the range that reproduces it.

Every fact of docs/validation.md (sections 1-8) has at least one :class:`Check`. A check names
the measure it reads (``experiment.measure``, see :mod:`sim.validation.measures`), the accepted
range and what a value outside it would mean. Where a published point value exists the range is
centred on it (a median of 5.3% accepts 3.5-8%, about x0.66 to x1.5), not only on a published
spread. A fact the model cannot reach yet stays in the table as a failure with its gap; a
measure that cannot be computed (a platform not modelled yet) fails too, with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

INF = math.inf
#: Columns of ``validation.csv``, exactly.
COLUMNS = ("fact", "source", "metric", "value", "low", "high", "ok")


@dataclass(frozen=True)
class Check:
    """One published fact and the range of a model measure that reproduces it.

    Attributes:
        section: section of docs/validation.md the fact is in.
        fact: what was published, in words.
        source: who published it (the full citation is in docs/validation.md).
        metric: the measure, ``experiment.name`` (see :data:`sim.validation.measures.EXPERIMENTS`).
        low, high: the accepted range, inclusive.
        below, above: what a value under ``low`` or over ``high`` means for the model.
    """

    section: int
    fact: str
    source: str
    metric: str
    low: float
    high: float
    below: str = ""
    above: str = ""

    @property
    def experiment(self) -> str:
        """The validation experiment that measures this check's metric."""
        return self.metric.split(".", 1)[0]

    def passes(self, value: float | None) -> bool:
        """Whether a measured value is known and within [low, high]."""
        return value is not None and not math.isnan(value) and self.low <= value <= self.high

    def gap(self, value: float | None) -> str:
        """What the value means against the range: '' when it passes."""
        if value is None or math.isnan(value):
            return "not measured here (the run is too short, or nothing of that kind happened)"
        if value < self.low:
            return self.below
        if value > self.high:
            return self.above
        return ""


SALGANIK = "Salganik, Dodds & Watts 2006"
TIKTOK_SCRAPE = "TikTok For-You scrape, 2025"
HYPEAUDITOR = "HypeAuditor"
MCGRADY = "McGrady et al. 2023"
NATO = "NATO StratCom COE 2019-2022"
BERGER = "Berger & Milkman 2012"
EMOTION = "Berger & Milkman 2012; Brady et al. 2017"
PROJECT = "project criterion (docs/validation.md)"
NO_YOUTUBE = (
    "checked on the default TikTok-like platform: the sample is of long-form YouTube videos, which "
    "likesim does not model (its youtube profile is Shorts)"
)
THAN_PUBLISHED = "than in the experiment"


def _musiclab(display: str, exp: str, gini: tuple, u: tuple, top: tuple) -> list[Check]:
    """The checks of one MusicLab display: (published text, low, high) for Gini, U and top share."""
    m = f"musiclab.{display}"
    return [
        Check(1, f"{exp}: Gini of download shares in the social worlds {gini[0]}", SALGANIK,
              f"{m}.gini_social", *gini[1:], f"social proof concentrates downloads less {THAN_PUBLISHED}",
              f"social proof concentrates downloads more {THAN_PUBLISHED}"),
        Check(1, f"{exp}: unpredictability U of the social worlds {u[0]}", SALGANIK, f"{m}.u_social",
              *u[1:], f"early luck locks in less {THAN_PUBLISHED}",
              f"early luck locks in more {THAN_PUBLISHED}"),
        Check(1, f"{exp}: top song's share in the social worlds {top[0]}", SALGANIK,
              f"{m}.top_share_social", *top[1:], f"no song runs away with the market as {THAN_PUBLISHED}",
              f"the top song takes more {THAN_PUBLISHED}"),
        Check(1, f"{exp}: about 30% of participants downloaded anything", SALGANIK,
              f"{m}.downloaders_share", 0.27, 0.37, "too few participants download: the readiness to "
              "like is too low", "too many participants download: people differ too little"),
    ]  # fmt: skip


def _ordering(measure: str, name: str, grid_lift: float, ranked_lift: float) -> list[Check]:
    """Independent < grid < ranked for one measure, each step at least half the published step."""
    return [
        Check(1, f"{name}: grid (Exp. 1) above the independent world by at least half the published "
              f"{2 * grid_lift:.2g}", SALGANIK, f"musiclab.grid.{measure}_lift", grid_lift, INF,
              "showing the counts hardly changes the market: social proof is too weak"),
        Check(1, f"{name}: ranked list (Exp. 2) above the grid (Exp. 1) by at least half the published "
              f"{2 * ranked_lift:.2g}", SALGANIK, f"musiclab.ranked_over_grid.{measure}", ranked_lift, INF,
              "ranking by the counts hardly adds to showing them: position matters too little"),
    ]  # fmt: skip


CHECKS: tuple[Check, ...] = (
    Check(1, "independent world (counts hidden): Gini 0.244 (Exp. 1) and 0.187 (Exp. 2)", SALGANIK,
          "musiclab.independent.gini", 0.17, 0.26, "songs differ less in appeal than the real ones",
          "songs differ more in appeal than the real ones"),
    Check(1, "independent world: U 0.0056 (Exp. 1) and 0.0048 (Exp. 2), over random halvings", SALGANIK,
          "musiclab.independent.u", 0.0038, 0.0070, f"more downloads per world {THAN_PUBLISHED}",
          f"fewer downloads per world {THAN_PUBLISHED}"),
    *_musiclab("grid", "Exp. 1 (grid)", ("0.28-0.42", 0.28, 0.42), ("0.0082", 0.0062, 0.0103),
               ("5-10%", 0.05, 0.10)),
    *_musiclab("ranked", "Exp. 2 (ranked list)", ("0.45-0.56", 0.45, 0.56), ("0.0126", 0.0095, 0.0158),
               ("13-19%", 0.13, 0.19)),
    *_ordering("gini", "Gini", 0.05, 0.08),
    *_ordering("u", "Unpredictability U", 0.0013, 0.0022),
    Check(2, "like/view median 5.3% (videos with >= 1,000 views)", TIKTOK_SCRAPE,
          "platform.like_view_median", 0.035, 0.08, "viewers like too rarely", "viewers like too often"),
    Check(2, "like/view 10th percentile 2.0%", TIKTOK_SCRAPE, "platform.like_view_p10", 0.013, 0.03,
          "the weakest videos are liked too rarely", "the weakest videos are liked too often"),
    Check(2, "like/view 90th percentile 12.0%", TIKTOK_SCRAPE, "platform.like_view_p90", 0.08, 0.18,
          "the best videos are liked too rarely", "the best videos are liked too often"),
    Check(2, "comment/view median 0.06%", TIKTOK_SCRAPE, "platform.comment_view_median", 0.0004, 0.0009,
          "too few comments", "too many comments"),
    Check(2, "share/view median 0.3%", TIKTOK_SCRAPE, "platform.share_view_median", 0.002, 0.0045,
          "too few shares", "too many shares"),
    Check(2, "comments an order of magnitude or two below likes", TIKTOK_SCRAPE,
          "platform.likes_per_comment", 10, 1000, "comments too close to likes", "comments far too rare"),
    Check(2, "shares an order of magnitude or two below likes", TIKTOK_SCRAPE,
          "platform.likes_per_share", 10, 1000, "shares too close to likes", "shares far too rare"),
    Check(3, "TikTok: per-view engagement barely depends on followers (elasticity near 0)", HYPEAUDITOR,
          "platform.engagement_per_view_elasticity", -0.1, 0.1,
          "bigger creators engage their viewers less",
          "bigger creators' viewers engage more: their videos show more likes and social proof lifts "
          "the like rate (docs/model.md, \"Followers from before the run\")"),
    Check(3, "TikTok: per-follower engagement falls with follower tier", HYPEAUDITOR,
          "platform.engagement_per_follower_elasticity", -1.0, -0.1, "",
          "per-follower engagement does not fall with size: views per video grow about as fast as "
          "followers"),
    Check(3, "TikTok nano accounts: ~12.6% engagement per follower", HYPEAUDITOR,
          "platform.nano_engagement_per_follower", 0.084, 0.19,
          "nano creators reach too few viewers for their followers",
          "nano creators' videos reach far more viewers than they have followers (the For-You feed "
          "gives every video a seed audience; the nano tier, under 0.1% of viewers, holds one to three "
          "creators at 10,000 viewers)"),
    Check(3, "Instagram: per-follower engagement falls with tier (nano 2.8%, large ~1.5%)", HYPEAUDITOR,
          "instagram.engagement_per_follower_elasticity", -1.0, -0.1, "",
          "per-follower engagement does not fall with size on the Instagram profile: views per video "
          "grow about as fast as followers, as on TikTok"),
    Check(3, "Instagram nano accounts: ~2.8% engagement per follower", HYPEAUDITOR,
          "instagram.nano_engagement_per_follower", 0.019, 0.042,
          "Instagram nano creators reach too few viewers for their followers",
          "Instagram nano creators' videos reach far more viewers than they have followers "
          "(recommendations give every video an audience; one to three creators are in the tier)"),
    Check(4, "views per video: Gini about 0.93 on TikTok (the project asks at least 0.8)",
          "TikTok random-video sample", "platform.views_gini", 0.88, 0.98,
          "views spread more evenly than on TikTok: every video gets a seed audience and the pools "
          "stop fewer videos early", "views more concentrated than on TikTok"),
    Check(4, "top 1% of videos hold at least a third of all views", PROJECT,
          "platform.top1pct_view_share", 1 / 3, 1.0, "no blockbusters: the tail is too thin"),
    Check(4, "random YouTube videos: the top 3.7% get 94% of views", MCGRADY,
          "platform.top3_7pct_view_share", 0.85, 0.98,
          f"the middle of the distribution holds too many views ({NO_YOUTUBE})",
          "the top holds even more than on YouTube"),
    Check(4, "random YouTube videos: the top 0.16% get 50% of views", MCGRADY,
          "platform.top0_16pct_view_share", 0.35, 0.65, f"the very top holds too little ({NO_YOUTUBE})",
          "the very top holds too much"),
    Check(4, "random YouTube videos: 96.3rd percentile of views ~100x the 65th (10,000 vs 100)", MCGRADY,
          "platform.views_q963_over_q65", 30, 300, f"the upper tail is too short ({NO_YOUTUBE})",
          f"the upper tail is too long ({NO_YOUTUBE})"),
    Check(5, "80-98% of bought engagement still online after 4 weeks", NATO,
          "bought_likes.bought_like_survival_28d", 0.80, 0.98, "the platform removes too much",
          "the platform removes too little"),
    Check(5, "89% of bought engagement delivered within a day", NATO,
          "bought_likes.bought_likes_within_24h", 0.80, 0.95, "farms deliver too slowly",
          "farms deliver too fast"),
    Check(5, "EUR 1.30 (Instagram) to a few euros per 1,000 likes", NATO,
          "bought_likes.eur_per_1000_delivered", 1.3, 5.0, "likes too cheap", "likes too dear"),
    Check(5, "the brands' audit must not be near-perfect by construction: its recall falls as bots pass "
          "better as humans", "project requirement (no published number)", "audit_sweep.recall_drop",
          0.1, 1.0,
          "the audit catches buyers whatever the bots look like: it reads something bots cannot hide"),
    Check(6, "creators receive ~31% of what viewers spend on gifts (USD 33 of 106); 20-50% accepted",
          "BBC 2022", "gifts.creator_share_of_spend", 0.20, 0.50, "creators get too little",
          "creators get too much"),
    Check(6, "20% of gifting viewers give 97% of gifts", "live-streaming gifting study",
          "gifts.gift_top20_share", 0.90, 1.0, "gifting too evenly spread: too few whales"),
    Check(6, "coins bought = paid out + platform take + unspent, exactly", PROJECT,
          "gifts.books_imbalance", 0, 0, "", "the books do not balance"),
    Check(7, "ranking terms contribute about equally on average (max/min ratio)", "Twitter heavy ranker 2023",
          "platform.ranking_term_imbalance", 1.0, 2.0, "", "one ranking term dominates the score"),
    Check(7, "followers are not a direct ranking factor: views per video depend weakly on followers",
          "TikTok newsroom 2020", "platform.views_per_video_elasticity", 0.0, 0.5,
          "bigger creators get fewer views per video",
          "views follow followers: a creator's followers track this run's successes, and followers see "
          "their videos"),
    Check(8, "high arousal raises sharing (x per sd of arousal; ~+20% per moral-emotional word)", EMOTION,
          "platform.share_per_sd_arousal", 1.1, 2.0, "arousal hardly raises sharing",
          "arousal raises sharing implausibly much"),
    Check(8, "positive content is shared more than negative (x per sd of valence)", BERGER,
          "platform.share_per_sd_valence", 1.05, 2.0, "positive content not shared more",
          "valence dominates sharing"),
    Check(8, "sad content (low arousal, negative) is shared less than neutral content", BERGER,
          "platform.sad_share_ratio", 0.0, 0.95, "", "sad content is shared as much as neutral content"),
    Check(8, "arousal raises liking too (x per sd)", BERGER, "platform.like_per_sd_arousal", 1.0, INF,
          "arousal lowers liking"),
    Check(8, "positive content is liked more (x per sd of valence)", BERGER, "platform.like_per_sd_valence",
          1.0, INF, "negative content is liked more"),
)  # fmt: skip


def evaluate(measures: dict[str, float | None], checks: tuple[Check, ...] = CHECKS) -> pd.DataFrame:
    """The validation table: one row per check, the :data:`COLUMNS` plus ``section`` and ``gap``.

    Args:
        measures: measured value of each metric (missing or None: not measured, the check fails).
    """
    rows = []
    for check in checks:
        value = measures.get(check.metric)
        value = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
        rows.append(
            {
                "fact": check.fact,
                "source": check.source,
                "metric": check.metric,
                "value": value,
                "low": check.low,
                "high": check.high,
                "ok": check.passes(value),
                "section": check.section,
                "gap": check.gap(value),
            }
        )
    return pd.DataFrame(rows, columns=[*COLUMNS, "section", "gap"])


def _bound(value: float) -> str:
    return "no limit" if math.isinf(value) else f"{value:.4g}"


def markdown(checks: tuple[Check, ...] = CHECKS) -> str:
    """The table of every check for docs/validation.md."""
    lines = ["| § | published | source | measure | accepted |", "|---|---|---|---|---|"]
    lines += [
        f"| {c.section} | {c.fact} | {c.source} | `{c.metric}` | {_bound(c.low)} to {_bound(c.high)} |"
        for c in checks
    ]
    return "\n".join(lines)


#: The markers between which docs/validation.md holds :func:`markdown`.
DOC_MARKERS = ("<!-- checks: generated", "<!-- end of checks -->")


def with_table(document: str) -> str:
    """``document`` (docs/validation.md) with the generated table between :data:`DOC_MARKERS`."""
    head, rest = document.split(DOC_MARKERS[0], 1)
    marker_line, _ = rest.split("\n", 1)
    _, tail = rest.split(DOC_MARKERS[1], 1)
    return f"{head}{DOC_MARKERS[0]}{marker_line}\n{markdown()}\n{DOC_MARKERS[1]}{tail}"
