"""The words of a run folder: ``report.md``.

A run's report gives its headline numbers, the checks against docs/validation.md, its creator groups,
and a section for each mechanism the run has (bought likes, gifts and VIP, brands) that answers
that mechanism's question in numbers and plain words. An experiment's report is in
:mod:`sim.experiment_report`.
"""

from __future__ import annotations

from sim.adaptation_report import adaptation_section
from sim.metrics import RATED_SHARE, TIERS, buyer_comparison
from sim.outputs import RunResult
from sim.plots import plots_of
from sim.summaries import run_summary
from sim.validation.measures import run_checks


def _percent(value) -> str:
    return "n/a" if value is None or value != value else f"{value:.2%}"


def report(result: RunResult, plots: bool = True) -> str:
    """The run's ``report.md``: headline numbers, validation checks, creator groups, plots."""
    s, spec = result.summary, result.scenario
    lines = [
        f"# {spec.name}",
        "",
        spec.description.strip() or "_No description._",
        "",
        f"{spec.viewers.count:,} viewers, {spec.creators.count:,} creators, {spec.clock.days} days, "
        f"seed {spec.seed}; {s['wall_seconds']:.1f} s of wall time. Every file of this folder and its "
        "columns are described in docs/outputs.md; the words are explained at the end.",
        "",
        *run_summary(result),
        "## Headline numbers",
        "",
        "| metric | value |",
        "|---|---|",
        f"| impressions | {s['impressions']:,} |",
        f"| views (played past the hook) | {s['views']:,} |",
        f"| likes / comments / shares | {s['likes']:,} / {s['comments']:,} / {s['shares']:,} |",
        f"| new follows | {s['follows']:,} |",
        f"| videos posted | {s['videos']:,} ({s['videos_rated']:,} most viewed, whose rates are measured) |",
        f"| median like/view (the most-viewed {RATED_SHARE:.0%} of videos) | "
        f"{_percent(s['like_view_median'])} "
        f"(10-90%: {_percent(s['like_view_p10'])} to {_percent(s['like_view_p90'])}) |",
        f"| median comment/view, share/view | {_percent(s['comment_view_median'])}, "
        f"{_percent(s['share_view_median'])} |",
        f"| Gini of views over videos | {s['views_gini']:.3f} |",
        f"| share of views of the top 1% of videos | {_percent(s['top1pct_view_share'])} |",
        f"| videos with under 100 views | {_percent(s['videos_under_100_views'])} |",
        f"| Gini of followers over creators | {s['followers_gini']:.3f} |",
        "",
        "## Against published numbers",
        "",
        "The facts, their sources and why each range is accepted are in docs/validation.md (section",
        "numbers below); the ranges are set for the default scenarios, so on another scenario they are a",
        "reference. `likesim validate` runs the full set, MusicLab included.",
        "",
        "| § | published | metric | value | accepted | ok |",
        "|---|---|---|---|---|---|",
    ]
    for row in run_checks(result).itertuples():
        value = "n/a" if row.value is None or row.value != row.value else f"{row.value:.4g}"
        verdict = "yes" if row.ok else f"**no**: {row.gap}"
        lines.append(
            f"| {row.section} | {row.fact} ({row.source}) | `{row.metric}` | {value} | "
            f"{row.low:.4g} to {row.high:.4g} | {verdict} |"
        )
    groups = result.creators.groupby("group", sort=False).agg(
        creators=("creator", "size"),
        followers_start=("followers_start", "mean"),
        followers_end=("followers", "mean"),
        views=("views", "mean"),
        engagement_per_view=("engagement_per_view", "median"),
        engagement_per_follower=("engagement_per_follower", "median"),
    )
    lines += [
        "",
        "## Creator groups",
        "",
        "Engagement rates are medians over creators: per view = (likes + comments + shares) / views;"
        " per follower = (likes + comments + shares) per video / followers.",
        "",
        "| group | creators | mean followers, start -> end | mean views | eng./view | eng./follower |",
        "|---|---|---|---|---|---|",
    ]
    for group, row in groups.iterrows():
        lines.append(
            f"| {group} | {int(row.creators)} | {row.followers_start:,.0f} -> {row.followers_end:,.0f} "
            f"| {row.views:,.0f} | {row.engagement_per_view:.2%} | {row.engagement_per_follower:.2%} |"
        )
    for section in dict.fromkeys(
        section for section, produced in STRATEGY_SECTIONS.values() if getattr(result, produced)
    ):
        lines += section(result)
    if result.has_brand_deals:
        lines += _brands_section(result)
    if result.platforms["platform"].nunique() > 1:
        lines += _platforms_section(result)
    if len(result.events):
        lines += _events_section(result)
    if result.adapts:
        lines += adaptation_section(result)
    lines += ["", "## Plots", ""]
    if plots:
        lines += [f"![{name[:-4]}](plots/{name})" for name in plots_of(result)]
    else:
        lines.append(
            "Plots were not drawn: this is a replicate (its experiment pools the replicates' plots), "
            "or the run was asked for --no-plots."
        )
    lines += ["", "## Words used", ""]
    lines += [f"- **{word}**: {meaning}." for word, meaning in RUN_GLOSSARY.items()]
    return "\n".join(lines) + "\n"


#: What the run report's words mean (the experiment report has its own, :data:`GLOSSARY`).
RUN_GLOSSARY = {
    "view": "an impression the viewer did not swipe away within the first second (the hook)",
    "organic likes": "likes from human viewers; **displayed likes** are those on screen: organic likes "
    "the platform has not removed, plus the bought likes still online",
    "like/view": "displayed likes per view of a video, as an outsider would compute it",
    "Gini": "inequality from 0 (everyone equal) to 1 (one holds everything)",
    "engagement per follower": "(displayed likes + comments + shares) per video, over followers",
    "precision, recall": "of what a detector flagged, the share that was really bought (precision); of "
    "what was really bought, the share it flagged (recall)",
    "AUC": "the chance that the audit scores a random like buyer above a random non-buyer (0.5: no "
    "better than a coin)",
    "hazard": "the daily rate at which a like is removed",
    "replicates": "runs of the same scenario with different random seeds; their spread shows how much of a "
    "result is chance",
    "95% interval": "the range that would hold the true mean in 95 of 100 repetitions (from replicates)",
    "glossary": "every term of the reports and plots is explained for students in docs/teaching.md",
}


def _number(value: float) -> str:
    """A measure as a reader takes it in: 126,380 for counts, 0.0433 for rates."""
    if value != value:
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _count(value) -> str:
    return "n/a" if value != value else f"{value:,.0f}"


def _money(value) -> str:
    return "n/a" if value is None or value != value else f"EUR {value:,.2f}"


def _bought_likes_section(result: RunResult) -> list[str]:
    """Do bought likes pay, for whom, and for how long: the answer in numbers and words."""
    s = result.summary
    table = buyer_comparison(result.creators)
    survival = (
        f"{_percent(s['bought_like_survival_28d'])} of bought likes were still online 28 days after "
        "delivery (published: 80-98%, docs/validation.md section 5)."
        if s["bought_like_survival_28d"] is not None
        else f"The run is {result.scenario.clock.days} days long, too short to measure how many bought "
        "likes are still online after 28 days (published: 80-98%, docs/validation.md section 5)."
    )
    lines = [
        "",
        "## Bought likes: do they pay, for whom, and for how long?",
        "",
        f"Creators spent {_money(s['like_spend'])} on {s['like_orders']:,} orders; farms delivered "
        f"{s['bought_likes_delivered']:,} of {s['bought_likes_purchased']:,} likes paid for. " + survival,
        "",
        "Each buyer is compared with the organic creator closest to them in skill and starting "
        "followers (their *control*); differences are buyer mean minus control mean.",
        "",
        "| group | creators | spend | bought likes | removed | views (control) | followers gained "
        "(control) | EUR per extra follower | strikes | flagged by audit |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {row.group} | {row.creators} | {_money(row.like_spend)} | {row.bought_likes:,.0f} | "
            f"{_percent(row.bought_removed_share)} | {row.views:,.0f} ({_count(row.control_views)}) | "
            f"{row.followers_gained:,.0f} ({_count(row.control_followers_gained)}) | "
            f"{_money(row.eur_per_extra_follower)} | {row.strikes:.2f} | "
            f"{_percent(row.audit_flagged_share)} |"
        )
    paying = table[table["extra_followers_gained"] > 0]
    if paying.empty:
        verdict = (
            "No buyer group gained more real followers than its matched organic creators: buying did not pay."
        )
    else:
        best = paying.loc[paying["eur_per_extra_follower"].idxmin()]
        verdict = (
            f"Buying paid in followers for {len(paying)} of {len(table)} buyer groups; the cheapest real "
            f"follower came to {best['group']} at {_money(best['eur_per_extra_follower'])} each "
            f"({best['extra_followers_gained']:+,.0f} followers, {best['extra_views']:+,.0f} views "
            "per creator against their controls)."
        )
    lines += [
        "",
        f"**Answer.** {verdict} The platform's sweep removed {s['bought_likes_removed']:,} bought and "
        f"{s['organic_likes_removed']:,} organic likes (precision {_percent(s['detection_precision'])}, "
        f"recall {_percent(s['detection_recall'])} of bought likes). The brands' audit flagged "
        f"{s['audit_flagged']} of {s['audit_scored_creators']} scored creators: precision "
        f"{_percent(s['audit_precision'])}, recall {_percent(s['audit_recall'])}, AUC "
        f"{'n/a' if s['audit_auc'] is None else f'{s["audit_auc"]:.2f}'}.",
    ]
    return lines


def _gifts_section(result: RunResult) -> list[str]:
    """Who earns what from LIVE gifts and VIP subscriptions, with the books balanced."""
    s = result.summary
    creators = result.creators
    groups = creators.groupby("group", sort=False).agg(
        strategy=("strategy", "first"),
        creators=("creator", "size"),
        audience=("live_audience", "mean"),
        gifts=("gift_income", "mean"),
        vip=("vip_income", "mean"),
        median=("income", "median"),
        top=("income", "max"),
    )
    lines = [
        "",
        "## Gifts, LIVE and VIP: who earns what",
        "",
        f"Viewers bought {s['coins_purchased']:,} coins for {_money(s['coin_spend'])}; "
        f"{s['gifting_viewers']:,} of them sent {s['gifts_sent']:,} gifts worth {s['coins_gifted']:,} coins, "
        f"and {s['coins_unspent']:,} coins are still in wallets. Creators received "
        f"{_money(s['creator_payout'])} from gifts ({_percent(s['creator_share_of_spend'])} of what "
        f"viewers spent on coins; published: ~31%, 20-50% accepted, docs/validation.md section 6), "
        f"the platform kept {_money(s['platform_take'])}. "
        f"The top 20% of gifting viewers gave {_percent(s['gift_top20_share'])} of the coins "
        f"(published: 97% on one platform, docs/validation.md section 6). Among creators who go LIVE, gift "
        f"income is unequal too: Gini {_ratio(s['gift_income_gini'])}, the top 10% of them take "
        f"{_percent(s['gift_income_top10pct_share'])}. {_count_of(s['vip_payments'], 'VIP payment')} "
        f"brought {_money(s['vip_revenue'])} "
        f"({_money(s['vip_payout'])} to creators); {s['vip_subscribers']:,} viewers subscribe at the end.",
        "",
        "| group | strategy | creators | LIVE audience (viewer-hours) | gift income | VIP income "
        "| median income | top income |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for group, row in groups.iterrows():
        lines.append(
            f"| {group} | {row.strategy} | {row.creators} | {row.audience:,.0f} | {_money(row.gifts)} | "
            f"{_money(row.vip)} | {_money(row['median'])} | {_money(row.top)} |"
        )
    balanced = s["coins_purchased"] == s["coins_unspent"] + s["coins_gifted"]
    lines += [
        "",
        "Incomes are means per creator unless marked median or top. Coins purchased = unspent + gifted: "
        f"{s['coins_purchased']:,} = {s['coins_unspent']:,} + {s['coins_gifted']:,} "
        f"({'balanced' if balanced else '**not balanced**'}).",
    ]
    return lines


#: Each strategy's report section, and the property of the run that says its mechanism produced something.
STRATEGY_SECTIONS = {
    "buy_likes": (_bought_likes_section, "has_buyers"),
    "live_gifts": (_gifts_section, "has_gifts_or_vip"),
    "vip": (_gifts_section, "has_gifts_or_vip"),
}


def _platforms_section(result: RunResult) -> list[str]:
    """Where each group's strategy pays best, and how the platforms differ in engagement and inequality."""
    table = result.creator_platforms
    last = result.platforms[result.platforms["day"] == result.platforms["day"].max()].set_index("platform")
    lines = [
        "",
        "## Platforms: where does the same strategy pay best?",
        "",
        "Each creator's account on each platform it posts on (a cross-posted video counts on each "
        "platform separately). Means per creator; engagement rates are medians.",
        "",
        "| group | platform | creators | followers gained | views | eng./view | eng./follower "
        "| income | like spend | profit |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    groups = table.groupby(["group", "platform"], sort=False)
    for (group, platform), rows in groups:
        lines.append(
            f"| {group} | {platform} | {len(rows)} | {rows['followers_gained'].mean():,.0f} | "
            f"{rows['views'].mean():,.0f} | {rows['engagement_per_view'].median():.2%} | "
            f"{rows['engagement_per_follower'].median():.2%} | {_money(rows['income'].mean())} | "
            f"{_money(rows['like_spend'].mean())} | {_money(rows['profit'].mean())} |"
        )
    answers = []
    for group, rows in table.groupby("group", sort=False):
        by_platform = rows.groupby("platform")[["followers_gained", "profit"]].mean()
        reach, money = by_platform["followers_gained"].idxmax(), by_platform["profit"].idxmax()
        gained = by_platform.loc[reach, "followers_gained"]
        answer = f"{group}: most followers on {reach} ({gained:+,.0f} per creator)"
        best = by_platform.loc[money, "profit"]
        if (by_platform["profit"] != 0).any():
            answer += f", {'best profit' if best > 0 else 'smallest loss'} on {money} ({_money(best)})"
        answers.append(answer)
    lines += ["", "**Answer.** " + "; ".join(answers) + ".", "", "At the end of the run:", ""]
    lines += [
        "| platform | like/view median (most viewed) | Gini of views | Gini of followers | "
        "eng./follower nano -> macro |",
        "|---|---|---|---|---|",
    ]
    for platform, row in last.iterrows():
        tiers = " -> ".join(
            _percent(row.get(f"engagement_per_follower_{t}"))
            for t in TIERS
            if f"engagement_per_follower_{t}" in row
        )
        lines.append(
            f"| {platform} | {_percent(row['like_view_median'])} | {row['views_gini']:.3f} | "
            f"{row['followers_gini']:.3f} | {tiers} |"
        )
    return lines


#: Days either side of an event that the report compares.
EVENT_WINDOW_DAYS = 7
#: What the report compares before and after an event: column of the daily rows -> label.
EVENT_MEASURES = {
    "views": "views per day",
    "likes": "likes per day",
    "like_view": "likes per view",
    "views_gini": "Gini of views",
    "followers_gini": "Gini of followers",
    "bought_likes_delivered": "bought likes delivered per day",
}


def _events_section(result: RunResult) -> list[str]:
    """Each event, and the days before it against the days after it."""
    lines = ["", "## Events: before and after", ""]
    daily = result.timeseries
    for row in result.events.itertuples():
        before = daily[(daily["day"] > row.day - EVENT_WINDOW_DAYS) & (daily["day"] <= row.day)]
        after = daily[(daily["day"] > row.day) & (daily["day"] <= row.day + EVENT_WINDOW_DAYS)]
        lines += [
            f"**Day {row.day:g}**: {row.note or 'no note'} (`{row.set}`). Means over the "
            f"{len(before)} days before and the {len(after)} days after:",
            "",
            "| measure | before | after | change |",
            "|---|---|---|---|",
        ]
        for column, label in EVENT_MEASURES.items():
            was, now = before[column].mean(), after[column].mean()
            change = f"{now / was - 1:+.1%}" if was else "n/a"
            lines.append(f"| {label} | {_number(was)} | {_number(now)} | {change} |")
        lines += [
            "",
            "One run's before and after mixes the event with the run's own drift (a platform "
            "still growing its follow graph); compare arms with and without the event "
            "(`likesim compare`) for the effect itself.",
            "",
        ]
    return lines


def _ratio(value) -> str:
    return "n/a" if value is None or value != value else f"{value:.2f}"


def _count_of(n: int, thing: str) -> str:
    """``n`` things, in words that agree: 1 VIP payment, 2 VIP payments."""
    return f"{n:,} {thing}" + ("" if n == 1 else "s")


def _roi(value) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _brands_section(result: RunResult) -> list[str]:
    """Which creators brands sign, what they pay, what campaigns return, audited or not."""
    s, deals, creators = result.summary, result.deals, result.creators
    groups = creators.set_index("creator")["group"]
    deals = deals.assign(group=groups.loc[deals["creator"]].to_numpy())
    table = deals.groupby(["brand_kind", "group"]).agg(
        deals=("price", "size"),
        spend=("price", "sum"),
        conversions=("conversions", "sum"),
        value=("conversion_value", "sum"),
    )
    lines = [
        "",
        "## Brands: who gets signed, for how much, and what it returns",
        "",
        f"{len(result.brands)} brands signed {s['brand_deals']:,} deals for {_money(s['brand_spend'])}. "
        f"Return on spend (conversion value / price): audited brands {_roi(s['brand_roi_audited'])}, "
        f"unaudited brands {_roi(s['brand_roi_unaudited'])}. Prices follow the rate card (followers x "
        "engagement per view, as displayed); audited brands discount creators by their audit score and "
        "skip the flagged ones.",
        "",
        "| brand type | creator group | deals | spend | conversions | return on spend |",
        "|---|---|---|---|---|---|",
    ]
    for (kind, group), row in table.iterrows():
        lines.append(
            f"| {kind} | {group} | {row.deals} | {_money(row.spend)} | {row.conversions:,} | "
            f"{row.value / row.spend:.2f} |"
        )
    return lines
