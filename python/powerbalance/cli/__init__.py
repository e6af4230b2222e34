"""Subcommands of ``python -m powerbalance``.

:data:`COMMANDS` maps each subcommand's name to the import path of a module of one of two
kinds:

- a subcommand module (like those of this package) with ``HELP: str``,
  ``add_arguments(parser: argparse.ArgumentParser) -> None`` and
  ``run(args: argparse.Namespace) -> int``;
- a module with its own command line, ``main(argv: Sequence[str] | None) -> int``: the
  arguments after the subcommand's name are passed to it as they are (its docstring's first
  line is the help).

Modules are imported when the parser is built. Errors of powerbalance (and ``OSError``) raised by ``run`` are printed
as ``powerbalance: error: <message>`` on stderr with exit status 2, as argparse does for usage
errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType
from typing import Dict, Optional, Sequence

from powerbalance.errors import PowerbalanceError

PROG = "powerbalance"

#: Subcommand name -> module path.
COMMANDS: Dict[str, str] = {
    "version": "powerbalance.cli.version",
    "sipri": "powerbalance.cli.sipri",
    "replicate": "powerbalance.paper.replicate",
    "data": "powerbalance.cli.data",
    "run": "powerbalance.cli.run",
}


def _modules() -> Dict[str, ModuleType]:
    return {name: importlib.import_module(path) for name, path in COMMANDS.items()}


def build_parser(modules: Optional[Dict[str, ModuleType]] = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`COMMANDS`."""
    modules = _modules() if modules is None else modules
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Balance-of-power metrics over SIPRI arms-transfer data.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, mod in modules.items():
        if hasattr(mod, "add_arguments"):
            p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
            mod.add_arguments(p)
        else:  # a module with its own main(argv): it parses its own arguments
            doc = (mod.__doc__ or "").strip().splitlines()
            sub.add_parser(name, help=getattr(mod, "HELP", doc[0] if doc else ""), add_help=False)
    return parser


def error(message: str) -> int:
    """Print ``powerbalance: error: <message>`` on stderr and return 2."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Parse ``argv`` and run the subcommand; return the exit status."""
    modules = _modules()
    parser = build_parser(modules)
    try:
        args, rest = parser.parse_known_args(None if argv is None else list(argv))
        mod = modules[args.command]
        if rest and hasattr(mod, "add_arguments"):
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
    except SystemExit as e:  # argparse: --help (0) or a usage error (2, message already printed)
        return e.code if isinstance(e.code, int) else 2
    try:
        if not hasattr(mod, "add_arguments"):
            try:
                return int(mod.main(rest))
            except SystemExit as e:  # its own argparse: --help or a usage error
                return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        return int(mod.run(args))
    except BrokenPipeError:  # e.g. `powerbalance sipri f.csv | head`
        return 0
    except (PowerbalanceError, OSError) as e:
        return error(str(e))
