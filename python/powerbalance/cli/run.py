"""``powerbalance run SCRIPT.rhai``: run a Rhai what-if script and print its output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "run a Rhai what-if script (sandboxed; reads data only under --data)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``SCRIPT``, ``--data``, ``--scenario``, ``--max-wall-time``."""
    parser.add_argument("script", metavar="SCRIPT", help="a Rhai script (.rhai)")
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="the data folder the script may read from (default: $POWERBALANCE_DATA)",
    )
    parser.add_argument(
        "--scenario",
        metavar="JSON",
        help="a saved scenario (JSON), given to the script as the variable `scenario_in`",
    )
    parser.add_argument(
        "--max-wall-time",
        type=float,
        metavar="SECONDS",
        help="stop the script after this many seconds (default 2)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the script; on a script error print ``FILE:LINE:COL: message`` and return 1."""
    from powerbalance.errors import ScriptError
    from powerbalance.script import Engine, Scenario

    path = Path(args.script)
    code = path.read_text(encoding="utf-8")
    limits = {} if args.max_wall_time is None else {"max_wall_time": args.max_wall_time}
    engine = Engine(data=args.data, limits=limits)
    if args.scenario:
        engine.set("scenario_in", Scenario.from_json(Path(args.scenario).read_text(encoding="utf-8")))
    try:
        value = engine.eval(code)
    except ScriptError as e:
        sys.stdout.flush()
        print(f"{path}:{e.line}:{e.column}: {e.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        sys.stdout.flush()
        print(f"{path}: interrupted", file=sys.stderr)
        return 130
    if value is not None:
        print(value)
    return 0
