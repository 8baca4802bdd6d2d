"""The ``likesim`` command line: parse, load the scenario, call the API, write the results.

``run`` writes one run folder, or an experiment folder when the scenario has replicates or arms;
``compare`` runs several scenarios as the arms of one experiment; ``sweep`` runs a parameter grid.
Bad input (scenario, overrides, grid, output folder) ends with one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from sim import __version__, resources
from sim.executors import ExecutorUnavailable, executor_for
from sim.folders import OutputFolderError, check_plan, output_folder
from sim.loading import ScenarioError, dump_scenario, load_scenario
from sim.metric_names import GROUP_METRICS, HEADLINE_METRICS, RUN_METRICS
from sim.scenario import json_schema

# The model, its outputs and plots are imported where a command needs them, so that --help,
# check and schema answer at once.

USAGE_ERROR = 2
#: What ``likesim sweep --metric`` can plot: per-creator metrics by group, and whole-run metrics.
SWEEP_METRICS = (*GROUP_METRICS, *RUN_METRICS)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="likesim", description="Simulate the like economy of short-video platforms."
    )
    parser.add_argument("--version", action="version", version=f"likesim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def scenario_arguments(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "scenario", nargs="?", help="scenario YAML file (default: the built-in organic growth)"
        )
        command.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="PATH=VALUE",
            help="override a scenario value, e.g. --set viewers.count=50000 (repeatable)",
        )

    def output_arguments(command: argparse.ArgumentParser) -> None:
        command.add_argument("--out", help="results folder (default: results/<name>-<timestamp>)")
        command.add_argument("--force", action="store_true", help="write into a non-empty --out")
        command.add_argument("--seed", type=int, help="replace the scenario's seed")
        command.add_argument(
            "--replicates", type=int, help="replicate runs per arm (default: the scenario's)"
        )
        command.add_argument("--workers", type=int, default=1, help="local worker processes (default 1)")
        command.add_argument("--dask", metavar="local|tcp://HOST:PORT", help="run on a Dask cluster instead")
        command.add_argument("--resume", action="store_true", help="continue an experiment in --out")
        command.add_argument(
            "--plots",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="draw the plots (default); --no-plots writes tables and report only",
        )
        command.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="show a progress bar (default: when stderr is a terminal)",
        )
        command.add_argument(
            "--no-size-check",
            dest="size_check",
            action="store_false",
            help="run even when the run looks larger than this machine's memory or a day's work",
        )

    run_command = commands.add_parser("run", help="run a scenario: a run folder, or an experiment")
    scenario_arguments(run_command)
    output_arguments(run_command)
    compare = commands.add_parser("compare", help="run several scenarios as the arms of one experiment")
    compare.add_argument("scenarios", nargs="+", help="scenario YAML files (one arm each)")
    compare.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a value in every scenario, e.g. --set clock.days=10 (repeatable)",
    )
    output_arguments(compare)
    sweep = commands.add_parser("sweep", help="run a scenario over a grid of parameter values")
    scenario_arguments(sweep)
    output_arguments(sweep)
    sweep.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="PATH=V1,V2,...",
        help="values of one parameter, e.g. --grid integrity.strength=0.5,1,2 (repeatable)",
    )
    sweep.add_argument(
        "--metric",
        action="append",
        default=[],
        help="metric to plot over the grid (repeatable; default: the report's headline metrics); one of: "
        + ", ".join(SWEEP_METRICS),
    )
    musiclab = commands.add_parser(
        "musiclab", help="run a MusicLab scenario: social worlds against an independent world"
    )
    musiclab.add_argument(
        "scenario", nargs="?", help="MusicLab scenario file (default: scenarios/musiclab.yaml)"
    )
    musiclab.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
        help="override a scenario value, e.g. --set engagement.play.social_proof=0 (repeatable)",
    )  # fmt: skip
    validate = commands.add_parser(
        "validate", help="hold the model against every published fact of docs/validation.md"
    )
    validate.add_argument("--quick", action="store_true", help="fewer replicates, the same checks (minutes)")
    musiclab.add_argument(
        "--replicates", type=int, help="replicates of each display (default: the scenario's)"
    )
    musiclab.add_argument("--seed", type=int, help="replace the scenario's seed")
    for command in (musiclab, validate):
        command.add_argument("--out", help="results folder (default: results/<name>-<timestamp>)")
        command.add_argument("--force", action="store_true", help="write into a non-empty --out")
        command.add_argument("--workers", type=int, default=1, help="local worker processes (default 1)")
        command.add_argument("--dask", metavar="local|tcp://HOST:PORT", help="run on a Dask cluster instead")
        command.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="show a progress bar (default: when stderr is a terminal)",
        )
    check = commands.add_parser("check", help="validate a scenario and print it fully resolved")
    scenario_arguments(check)
    commands.add_parser("schema", help="print the JSON Schema of scenario files")
    viz = commands.add_parser(
        "viz", help="the classroom dashboard in a browser (needs likesim[viz]; works without internet)"
    )
    viz.add_argument(
        "scenario", nargs="?", help="scenario to start from (default: scenarios/strategies.yaml)"
    )
    viz.add_argument(
        "--port", type=int, default=8765, help="port of the page: http://localhost:PORT (default 8765)"
    )
    return parser


def _viz(args: argparse.Namespace) -> int:
    """Serve the dashboard (sim.viz) until interrupted; the scenario is checked first."""
    try:
        import solara  # noqa: F401  (only to tell a missing extra from other errors)
    except ModuleNotFoundError:
        raise ScenarioError("viz: the dashboard needs the viz extra: pip install 'likesim[viz]'") from None
    from sim.viz import SCENARIO_VARIABLE, classroom_scenario

    scenario = str(Path(args.scenario).resolve()) if args.scenario else None
    classroom_scenario(scenario)
    env = {**os.environ, **({SCENARIO_VARIABLE: scenario} if scenario else {})}
    print(f"likesim: the dashboard is at http://localhost:{args.port} (Ctrl-C stops it)", file=sys.stderr)
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        "sim.viz",
        "--port",
        str(args.port),
        "--production",
        "--no-open",
    ]
    return subprocess.run(command, env=env).returncode


def _with_seed(scenario, seed):
    return scenario if seed is None else scenario.model_copy(update={"seed": seed})


def _replicates(args: argparse.Namespace, scenario) -> int:
    if args.replicates is not None and args.replicates < 1:
        raise ScenarioError(f"--replicates {args.replicates}: expected a whole number >= 1")
    return args.replicates or scenario.replicates


def _run(args: argparse.Namespace, argv: list[str]) -> None:
    from tqdm import tqdm

    from sim.experiments import arms_of, run
    from sim.results import write_run

    scenario = _with_seed(load_scenario(args.scenario, args.overrides), args.seed)
    if scenario.musiclab is not None:
        raise ScenarioError(
            f"{args.scenario}: a MusicLab scenario (musiclab: section); run it with likesim musiclab"
        )
    replicates = _replicates(args, scenario)
    if replicates > 1 or scenario.arms:
        _experiment(args, argv, scenario.name, arms_of(scenario), replicates, scenario.seed)
        return
    if args.size_check:
        resources.check(scenario)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with output_folder(args.out, scenario.name, args.force) as folder:
        with tqdm(total=scenario.clock.days, unit="day", disable=not show, file=sys.stderr) as bar:
            result = run(scenario, progress=lambda done, total: bar.update(1), size_check=False)
        write_run(result, folder, argv, plots=args.plots)
    s = result.summary
    print(
        f"{folder}: {s['views']:,} views, {s['likes']:,} likes, median like/view "
        f"{s['like_view_median'] or 0:.1%}, views Gini {s['views_gini']:.2f} "
        f"({s['wall_seconds']:.1f} s)"
    )


def _compare(args: argparse.Namespace, argv: list[str]) -> None:
    scenarios = [_with_seed(load_scenario(path, args.overrides), args.seed) for path in args.scenarios]
    names = [s.name for s in scenarios]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScenarioError(f"compare: every scenario needs its own name, got {', '.join(twice)} twice")
    replicates = args.replicates or max(s.replicates for s in scenarios)
    _experiment(
        args,
        argv,
        "compare-" + "-".join(names),
        dict(zip(names, scenarios, strict=True)),
        replicates,
        scenarios[0].seed,
    )


def parse_grid(texts: list[str]) -> dict[str, list]:
    """``PATH=V1,V2,...`` options as {path: [values]} (each value read as YAML)."""
    grid = {}
    for text in texts:
        path, sep, values = text.partition("=")
        items = [v for v in values.split(",") if v.strip()]
        if not sep or not path.strip() or not items:
            raise ScenarioError(f"--grid {text}: expected PATH=V1,V2,..., e.g. integrity.strength=0.5,1,2")
        if path.strip() in grid:
            raise ScenarioError(f"--grid {path.strip()}: given twice")
        grid[path.strip()] = [yaml.safe_load(v) for v in items]
    return grid


def _sweep(args: argparse.Namespace, argv: list[str]) -> None:
    from sim.experiments import grid_arms

    scenario = _with_seed(load_scenario(args.scenario, args.overrides), args.seed)
    grid = parse_grid(args.grid) if args.grid else scenario.sweep
    if not grid:
        raise ScenarioError("sweep: give --grid PATH=V1,V2,... or a sweep: block in the scenario")
    metrics = args.metric or list(HEADLINE_METRICS)
    unknown = [m for m in metrics if m not in SWEEP_METRICS]
    if unknown:
        raise ScenarioError(f"--metric {unknown[0]}: expected one of {', '.join(SWEEP_METRICS)}")
    _experiment(
        args,
        argv,
        f"sweep-{scenario.name}",
        grid_arms(scenario, grid),
        _replicates(args, scenario),
        scenario.seed,
        list(grid),
        metrics,
    )


def _experiment(args, argv, name, arms, replicates, seed, grid=(), metrics=()) -> None:
    """Plan arms x replicates, run what is not finished, compare, report."""
    from sim.experiments import execute, plan
    from sim.results import plan_of, write_experiment

    if args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: expected a whole number >= 1")
    runs = plan(arms, replicates, seed)
    if args.size_check:
        for arm in {r.arm: r.scenario for r in runs}.values():
            resources.check(arm, parallel=min(args.workers, replicates))
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with output_folder(args.out, name, args.force, args.resume) as root:
        check_plan(root, plan_of(runs), args.resume)
        with executor_for(args.workers, args.dask) as executor:
            executed = execute(runs, root, executor, argv, progress=show)
        write_experiment(root, runs, list(grid), list(metrics), plots=args.plots)
    print(
        f"{root}: {len(runs)} runs ({executed} run now, {len(runs) - executed} already finished); "
        f"see {root / 'report.md'}"
    )


def _validate(args: argparse.Namespace, argv: list[str], tasks=None, scenario=None) -> int:
    """Run the validation experiments (or ``tasks``); exit code 0 when every check passes, else 1."""
    from sim.validation import run_validation
    from sim.validation.report import write_validation

    if args.workers < 1:
        raise ScenarioError(f"--workers {args.workers}: expected a whole number >= 1")
    show = sys.stderr.isatty() if args.progress is None else args.progress
    quick = getattr(args, "quick", False)
    name = "validation" if scenario is None else scenario.name
    with output_folder(args.out, name, args.force) as folder:
        validation = run_validation(quick, workers=args.workers, dask=args.dask, progress=show, tasks=tasks)
        write_validation(validation, folder, scenario, argv)
    table = validation.table
    for row in table.itertuples():
        value = "not measured" if row.value is None or row.value != row.value else f"{row.value:.4g}"
        verdict = "pass" if row.ok else "FAIL"
        print(f"{verdict}  §{row.section} {row.metric} = {value}  ({row.low:.4g} to {row.high:.4g})")
    print(f"{int(table['ok'].sum())} of {len(table)} checks pass; see {folder / 'report.md'}")
    return 0 if validation.passed else 1


def _musiclab(args: argparse.Namespace, argv: list[str]) -> int:
    """Run a MusicLab scenario's displays over replicates and hold them against §1."""
    from sim.validation.runs import SCENARIOS, musiclab_tasks

    path = args.scenario or SCENARIOS / "musiclab.yaml"
    scenario = _with_seed(load_scenario(path, args.overrides), args.seed)
    if scenario.musiclab is None:
        raise ScenarioError(f"{path}: musiclab: missing (a MusicLab scenario needs this section)")
    tasks = musiclab_tasks(scenario, _replicates(args, scenario), scenario.seed)
    return _validate(args, argv, tasks, scenario)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``likesim`` console script; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    try:
        if args.command == "schema":
            print(json.dumps(json_schema(), indent=2))
        elif args.command == "check":
            print(dump_scenario(load_scenario(args.scenario, args.overrides)), end="")
        elif args.command == "compare":
            _compare(args, ["likesim", *argv])
        elif args.command == "sweep":
            _sweep(args, ["likesim", *argv])
        elif args.command == "validate":
            return _validate(args, ["likesim", *argv])
        elif args.command == "musiclab":
            return _musiclab(args, ["likesim", *argv])
        elif args.command == "viz":
            return _viz(args)
        else:
            _run(args, ["likesim", *argv])
    except (ScenarioError, OutputFolderError, ExecutorUnavailable) as error:
        print(f"likesim: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print(
            "likesim: interrupted; finished runs are kept (--resume continues an experiment)", file=sys.stderr
        )
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
