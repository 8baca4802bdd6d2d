"""The ``likesim`` command line: parse, load the scenario, call the API, write the run folder.

Bad input (scenario, overrides, output folder) ends with one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from tqdm import tqdm

from sim.experiment import run
from sim.loading import ScenarioError, dump_scenario, load_scenario
from sim.results import OutputFolderError, choose_folder, write_run
from sim.scenario import json_schema

USAGE_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="likesim", description="Simulate the like economy of short-video platforms."
    )
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

    run_command = commands.add_parser("run", help="run a scenario and write a run folder")
    scenario_arguments(run_command)
    run_command.add_argument("--out", help="run folder (default: results/<name>-<timestamp>)")
    run_command.add_argument("--force", action="store_true", help="write into a non-empty --out")
    run_command.add_argument("--seed", type=int, help="replace the scenario's seed")
    run_command.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when stderr is a terminal)",
    )
    check = commands.add_parser("check", help="validate a scenario and print it fully resolved")
    scenario_arguments(check)
    commands.add_parser("schema", help="print the JSON Schema of scenario files")
    return parser


def _run(args: argparse.Namespace, argv: list[str]) -> None:
    scenario = load_scenario(args.scenario, args.overrides)
    if args.seed is not None:
        scenario = scenario.model_copy(update={"seed": args.seed})
    folder = choose_folder(args.out, scenario.name, args.force)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    with tqdm(total=scenario.clock.days, unit="day", disable=not show, file=sys.stderr) as bar:
        result = run(scenario, progress=lambda done, total: bar.update(1))
    write_run(result, folder, argv)
    s = result.summary
    print(
        f"{folder}: {s['views']:,} views, {s['likes']:,} likes, median like/view "
        f"{s['like_view_median'] or 0:.1%}, views Gini {s['views_gini']:.2f} "
        f"({s['wall_seconds']:.1f} s)"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``likesim`` console script; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    try:
        if args.command == "schema":
            print(json.dumps(json_schema(), indent=2))
        elif args.command == "check":
            print(dump_scenario(load_scenario(args.scenario, args.overrides)), end="")
        else:
            _run(args, ["likesim", *argv])
    except (ScenarioError, OutputFolderError) as error:
        print(f"likesim: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("likesim: interrupted; nothing was written", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
