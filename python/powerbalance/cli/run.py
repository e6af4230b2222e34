"""``powerbalance run SCRIPT.rhai``: run a Rhai what-if script and print its output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "run a Rhai what-if script (sandboxed; reads data only under the data home)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``SCRIPT``, ``--data``, ``--scenario``, ``--max-wall-time``."""
    parser.add_argument("script", metavar="SCRIPT", help="a Rhai script (.rhai, UTF-8)")
    parser.add_argument(
        "--data",
        metavar="DIR",
        help="the data folder the script may read from (default: the data home: $POWERBALANCE_DATA, "
        "else the user data home where `powerbalance data fetch` puts data sets)",
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


def read_text(path: Path, what: str) -> str:
    """The UTF-8 text of ``path``; a file that is not UTF-8 is an error naming its line and column."""
    from powerbalance.errors import EncodingError

    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise EncodingError(
            f"{path}:{line}:{column}: the {what} is not UTF-8 text (byte 0x{data[e.start]:02x})"
        ) from None


def run(args: argparse.Namespace) -> int:
    """Run the script; on a script error print ``FILE:LINE:COL: message`` and return 1."""
    from powerbalance import datasets
    from powerbalance.cli import error
    from powerbalance.errors import ScriptError
    from powerbalance.script import Engine, Scenario

    path = Path(args.script)
    if args.data is not None and not Path(args.data).is_dir():
        return error(f"--data {args.data}: not a folder")
    code = read_text(path, "script")
    limits = {} if args.max_wall_time is None else {"max_wall_time": args.max_wall_time}
    # The one data-home rule: --data, else POWERBALANCE_DATA, else the user data home.
    # file access under the data home; the Rhai dataset(name) resolves by the same rule
    home = datasets.data_home(args.data)
    engine = Engine(data=home, data_home=args.data, limits=limits)
    if args.scenario:
        engine.set("scenario_in", Scenario.from_json(read_text(Path(args.scenario), "scenario")))
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
