"""The run folder: the results contract every later tool (comparisons, dashboards) reads.

scenario.yaml      the fully resolved scenario (re-runnable as it is)
manifest.json      seed, versions, git commit, timings
timeseries.csv     one row per simulated day
creators.csv       one row per creator at the end
videos.csv         one row per posted video
creators_daily.csv followers, displayed and organic likes of every creator per day
survival.csv       survival curve of bought likes by age in days
audit.csv          the authenticity audit of every creator, with the ground truth beside it
ledger.csv         daily totals of the gift and VIP books (coins; money in currency units)
gifters.csv        every viewer who sent gifts: coins gifted and left, generosity
brands.csv         one row per brand: audits, deals, spend, reach, conversions, return
deals.csv          one row per brand deal: price, creator's numbers at signing, conversions
summary.json       headline numbers
plots/*.png        see :data:`sim.plots.RUN_PLOTS`, plus ``BOUGHT_LIKE_PLOTS``, ``GIFT_PLOTS`` and
                   ``BRAND_PLOTS`` when the run has those mechanisms
report.md          what happened, in words, numbers and plots
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import platform
import subprocess
import sys
from pathlib import Path

import pandas as pd

from sim.comparison import compare, followers_bands, winners
from sim.experiment import PlannedRun, RunResult
from sim.loading import dump_scenario
from sim.metrics import buyer_comparison
from sim.plots import BOUGHT_LIKE_PLOTS, BRAND_PLOTS, GIFT_PLOTS, RUN_PLOTS, comparison_bars, sweep_plot
from sim.plots import followers_bands as followers_bands_plot
from sim.validation import check_table

DEPENDENCIES = ("mesa", "numpy", "pandas", "matplotlib", "pyyaml", "pydantic", "tqdm")
TABLES = (
    "timeseries",
    "creators",
    "videos",
    "creators_daily",
    "survival",
    "audit",
    "ledger",
    "gifters",
    "brands",
    "deals",
)


class OutputFolderError(ValueError):
    """The run folder asked for cannot be used; the message is one line meant for the user."""


def choose_folder(out: str | Path | None, name: str, force: bool = False) -> Path:
    """Pick the run folder before running, so a bad choice fails fast; nothing is created yet.

    Args:
        out: the folder asked for, or ``None`` for ``results/<name>-<timestamp>``.
        name: the scenario name.
        force: allow writing into a non-empty ``out`` (files of the same name are replaced).

    Raises:
        OutputFolderError: ``out`` exists and is not an empty folder (and ``force`` is off).
    """
    if out is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = Path("results") / f"{name}-{stamp}"
        suffix = 1
        while folder.exists():
            suffix += 1
            folder = Path("results") / f"{name}-{stamp}-{suffix}"
    else:
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise OutputFolderError(f"--out {folder}: exists and is not a folder")
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise OutputFolderError(f"--out {folder}: folder is not empty (use --force to write into it)")
    return folder


def plots_of(result: RunResult) -> dict:
    """The plots this run gets: file name -> (function, tables)."""
    return (
        RUN_PLOTS
        | (BOUGHT_LIKE_PLOTS if result.has_buyers else {})
        | (GIFT_PLOTS if result.has_gifts_or_vip else {})
        | (BRAND_PLOTS if result.has_brand_deals else {})
    )


def write_run(result: RunResult, folder: Path, argv: list[str] | None = None, plots: bool = True) -> Path:
    """Write every file of the run folder (creating it); returns the folder.

    Args:
        plots: draw the run's plots (replicates of an experiment skip them: the experiment's own
            plots summarise the replicates, and drawing is a large share of a short run's time).
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_text(dump_scenario(result.scenario), encoding="utf-8")
    for table in TABLES:
        getattr(result, table).to_csv(folder / f"{table}.csv", index=False)
    summary = {"scenario": result.scenario.name, "seed": result.scenario.seed, **result.summary}
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if plots:
        (folder / "plots").mkdir(exist_ok=True)
        for filename, (plot, tables) in plots_of(result).items():
            plot(*(getattr(result, table) for table in tables), folder / "plots" / filename)
    (folder / "report.md").write_text(report(result, plots), encoding="utf-8")
    manifest = _manifest(result, argv)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder


def _manifest(result: RunResult, argv: list[str] | None) -> dict:
    versions = {}
    for package in ("likesim", *DEPENDENCIES):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "scenario": result.scenario.name,
        "seed": result.scenario.seed,
        "command": argv,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "wall_seconds": result.summary.get("wall_seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": versions,
        "git_commit": _git_commit(),
    }


def _git_commit() -> str | None:
    """The commit of the likesim source tree, with ``+dirty`` for uncommitted changes, if any."""
    source = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "."], cwd=source, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+dirty" if dirty else "")


def _percent(value) -> str:
    return "n/a" if value is None else f"{value:.2%}"


def report(result: RunResult, plots: bool = True) -> str:
    """The run's ``report.md``: headline numbers, validation checks, creator groups, plots."""
    s, spec = result.summary, result.scenario
    lines = [
        f"# {spec.name}",
        "",
        spec.description.strip() or "_No description._",
        "",
        f"{spec.viewers.count:,} viewers, {spec.creators.count:,} creators, {spec.clock.days} days, "
        f"seed {spec.seed}; {s['wall_seconds']:.1f} s of wall time.",
        "",
        "## Headline numbers",
        "",
        "| metric | value |",
        "|---|---|",
        f"| impressions | {s['impressions']:,} |",
        f"| views (played past the hook) | {s['views']:,} |",
        f"| likes / comments / shares | {s['likes']:,} / {s['comments']:,} / {s['shares']:,} |",
        f"| new follows | {s['follows']:,} |",
        f"| videos posted | {s['videos']:,} ({s['videos_rated']:,} with >= 1,000 views) |",
        f"| median like/view (videos >= 1,000 views) | {_percent(s['like_view_median'])} "
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
        "| check | metric | value | accepted | ok |",
        "|---|---|---|---|---|",
    ]
    for row in check_table(s):
        value = "n/a" if row["value"] is None else f"{row['value']:.4g}"
        verdict = "yes" if row["ok"] else "**no**"
        lines.append(f"| {row['check']} | `{row['metric']}` | {value} | {row['range']} | {verdict} |")
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
    if result.has_buyers:
        lines += _bought_likes_section(result)
    if result.has_gifts_or_vip:
        lines += _gifts_section(result)
    if result.has_brand_deals:
        lines += _brands_section(result)
    lines += ["", "## Plots", ""]
    if plots:
        lines += [f"![{name[:-4]}](plots/{name})" for name in plots_of(result)]
    else:
        lines.append("Plots of this replicate were not drawn; see the experiment's plots.")
    return "\n".join(lines) + "\n"


def _money(value) -> str:
    return "n/a" if value is None or value != value else f"EUR {value:,.2f}"


def _bought_likes_section(result: RunResult) -> list[str]:
    """Do bought likes pay, for whom, and for how long: the answer in numbers and words."""
    s = result.summary
    table = buyer_comparison(result.creators)
    lines = [
        "",
        "## Bought likes: do they pay, for whom, and for how long?",
        "",
        f"Creators spent {_money(s['like_spend'])} on {s['like_orders']:,} orders; farms delivered "
        f"{s['bought_likes_delivered']:,} of {s['bought_likes_purchased']:,} likes paid for. "
        f"{_percent(s['bought_like_survival_28d'])} of bought likes were still online 28 days after "
        "delivery (published: 80-98%).",
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
            f"{_percent(row.bought_removed_share)} | {row.views:,.0f} ({row.control_views:,.0f}) | "
            f"{row.followers_gained:,.0f} ({row.control_followers_gained:,.0f}) | "
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
        f"viewers spent on coins; published: 20-50%), the platform kept {_money(s['platform_take'])}. "
        f"The top 20% of gifting viewers gave {_percent(s['gift_top20_share'])} of the coins "
        f"(published: at least 80%). {s['vip_payments']:,} VIP payments brought {_money(s['vip_revenue'])} "
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


# --- experiment folders ------------------------------------------------------------------------------

#: Per-creator metrics the experiment report compares, with the words it uses for them.
HEADLINE_METRICS = {
    "followers_gained": "followers gained",
    "engagement_per_view": "engagement per view (displayed)",
    "income": "revenue (gifts, VIP, brand deals)",
    "profit": "profit (revenue minus spend on likes)",
}


def runs_table(runs: list[PlannedRun]) -> pd.DataFrame:
    """One row per planned run: arm, replicate, seed, folder, and its sweep coordinates."""
    return pd.DataFrame(
        [
            {
                "arm": r.arm,
                "replicate": r.replicate,
                "seed": r.scenario.seed,
                "folder": r.folder,
                **dict(r.point),
            }
            for r in runs
        ]
    )


def choose_experiment_folder(out, name: str, force: bool, resume: bool, runs: list[PlannedRun]) -> Path:
    """Create (or, with ``resume``, reopen) an experiment folder and record its plan in experiment.json.

    Raises:
        OutputFolderError: ``--resume`` without an experiment to resume, or with a different plan.
    """
    plan = {"runs": runs_table(runs).astype(str).to_dict("records")}
    if not resume:
        folder = choose_folder(out, name, force)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "experiment.json").write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
        return folder
    if out is None:
        raise OutputFolderError("--resume: give the experiment folder with --out DIR")
    folder = Path(out)
    if not (folder / "experiment.json").is_file():
        raise OutputFolderError(f"--resume {folder}: no experiment.json there, nothing to resume")
    if json.loads((folder / "experiment.json").read_text()) != plan:
        raise OutputFolderError(f"--resume {folder}: this command plans different runs than that experiment")
    return folder


def write_experiment(root: Path, runs: list[PlannedRun], grid: list[str], sweep_metrics: list[str]) -> None:
    """Compare the finished runs: comparison.csv (and sweep.csv), plots with bands, report.md."""
    table = runs_table(runs)
    table.to_csv(root / "runs.csv", index=False)
    comparison = compare(table, root)
    comparison.to_csv(root / "comparison.csv", index=False)
    plots = root / "plots"
    plots.mkdir(exist_ok=True)
    followers_bands_plot(followers_bands(table, root), plots / "followers_by_arm.png")
    comparison_bars(comparison, plots / "strategies.png", tuple(HEADLINE_METRICS))
    names = ["followers_by_arm.png", "strategies.png"]
    if grid:
        sweep = compare(table, root, keys=("arm", *grid))
        sweep.to_csv(root / "sweep.csv", index=False)
        for metric in sweep_metrics:
            sweep_plot(sweep, plots / f"sweep_{metric}.png", grid, metric)
            names.append(f"sweep_{metric}.png")
    (root / "report.md").write_text(experiment_report(table, comparison, names), encoding="utf-8")


def _interval(mean, low, high, digits: int = 3) -> str:
    if mean != mean:
        return "n/a"
    if low != low:
        return f"{mean:.{digits}g}"
    return f"{mean:.{digits}g} [{low:.{digits}g}, {high:.{digits}g}]"


def experiment_report(runs: pd.DataFrame, comparison: pd.DataFrame, plots: list[str]) -> str:
    """The experiment's report.md: who wins on what, with 95% confidence intervals, in plain words."""
    replicates = runs.groupby("arm").size()
    lines = [
        "# Experiment",
        "",
        f"{len(runs)} runs: {len(replicates)} arm(s) x {replicates.max()} replicates (seeds derived from the "
        "scenario seed with numpy SeedSequence.spawn; replicate i of every arm uses the same seed). "
        "Numbers are means per creator over replicates with 95% confidence intervals in brackets "
        "(Student t over replicates). Each run's own folder is under `runs/`.",
        "",
        "## Who wins",
        "",
    ]
    answers = winners(comparison, tuple(HEADLINE_METRICS))
    if answers.empty:
        lines += ["Each arm has a single creator group, so there is no ranking of groups.", ""]
    for arm, table in answers.groupby("arm", sort=False) if not answers.empty else ():
        if len(replicates) > 1:
            lines.append(f"**{arm}**")
            lines.append("")
        for row in table.itertuples():
            best = _interval(row.best_mean, *row.best_ci)
            second = _interval(row.runner_up_mean, *row.runner_up_ci)
            verdict = (
                "the intervals do not overlap, so this lead is clear"
                if row.clear
                else "they are level"
                if row.best_mean == row.runner_up_mean
                else f"the intervals overlap, so {replicates[arm]} replicates cannot tell these two apart"
            )
            lines.append(
                f"- On {HEADLINE_METRICS[row.metric]}, **{row.best}** comes first with {best}, ahead of "
                f"{row.runner_up} with {second}; {verdict}."
            )
        lines.append("")
    lines += ["## All groups", ""]
    headline = comparison[comparison["metric"].isin(HEADLINE_METRICS)]
    wide = headline.assign(cell=[_interval(r.mean, r.ci_low, r.ci_high) for r in headline.itertuples()])
    wide = wide.pivot_table(
        index=["arm", "group"], columns="metric", values="cell", aggfunc="first", sort=False
    )
    lines.append("| arm | group | " + " | ".join(HEADLINE_METRICS.values()) + " |")
    lines.append("|---" * (2 + len(HEADLINE_METRICS)) + "|")
    for (arm, group), row in wide.iterrows():
        lines.append(
            f"| {arm} | {group} | " + " | ".join(str(row.get(m, "n/a")) for m in HEADLINE_METRICS) + " |"
        )
    lines += ["", "Every metric, arm and group is in `comparison.csv`.", "", "## Plots", ""]
    lines += [f"![{name[:-4]}](plots/{name})" for name in plots]
    return "\n".join(lines) + "\n"
