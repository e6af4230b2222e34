"""Subcommands of ``python -m powerbalance``.

:data:`COMMANDS` maps each subcommand's name to the import path of a module of one of two
kinds:

- a subcommand module (like those of this package) with ``HELP: str``,
  ``add_arguments(parser: argparse.ArgumentParser) -> None`` and
  ``run(args: argparse.Namespace) -> int``;
- a module with its own command line, ``main(argv: Sequence[str] | None) -> int``: the
  arguments after the subcommand's name are passed to it as they are (its docstring's first
  line is the help).

Only the module of the subcommand given is imported (and its arguments added to the parser);
the others are listed by ``powerbalance --help`` with their ``HELP`` line. The modules of this
package import nothing heavy at the top (pyarrow and pandas are imported by the code that needs
them), so ``powerbalance --help`` and ``powerbalance run`` start without them.

Exit status and messages: a usage error is argparse's (exit 2). An error of powerbalance, an
``OSError`` (a missing file, a folder where a file is expected, no permission) or a
``ValueError`` (text that is not UTF-8, a malformed value) raised by a subcommand is printed as
one line, ``powerbalance: error: <message>``, on stderr, with exit status 2. Ctrl-C prints
``powerbalance: interrupted`` and exits with 130 (128 + SIGINT, as shells do). Any other
exception is a bug: one line ``powerbalance: internal error: ...`` and exit status 3; set
``POWERBALANCE_TRACEBACK=1`` to see the traceback. The CLI never prints a traceback otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from types import ModuleType
from typing import Dict, Iterable, Optional, Sequence, Tuple

from powerbalance.errors import PowerbalanceError

PROG = "powerbalance"

#: Subcommand name -> module path.
COMMANDS: Dict[str, str] = {
    "version": "powerbalance.cli.version",
    "sipri": "powerbalance.cli.sipri",
    "replicate": "powerbalance.cli.replicate",
    "data": "powerbalance.cli.data",
    "run": "powerbalance.cli.run",
}


def _modules() -> Dict[str, ModuleType]:
    return {name: importlib.import_module(path) for name, path in COMMANDS.items()}


def _command(argv: Sequence[str]) -> Optional[str]:
    """The subcommand named in ``argv`` (its first argument that is not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


#: (id of the top parser, subcommand) -> its parser, so that a usage error is reported with the
#: subcommand's own usage line (``usage: powerbalance replicate [-h] [--out DIR] ...``).
_SUBPARSERS: Dict[Tuple[int, str], argparse.ArgumentParser] = {}


def _help(mod: ModuleType) -> str:
    doc = (mod.__doc__ or "").strip().splitlines()
    return str(getattr(mod, "HELP", doc[0] if doc else ""))


def build_parser(
    modules: Optional[Dict[str, ModuleType]] = None, *, full: Optional[Iterable[str]] = None
) -> argparse.ArgumentParser:
    """The argument parser with every subcommand of :data:`COMMANDS`.

    ``full`` names the subcommands whose own arguments the parser gets (every one when None);
    the others are listed with their help line only.
    """
    modules = _modules() if modules is None else modules
    whole = set(modules) if full is None else set(full)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Balance-of-power metrics over SIPRI arms-transfer data.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, mod in modules.items():
        if hasattr(mod, "add_arguments") and name in whole:
            p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
            mod.add_arguments(p)
            _SUBPARSERS[id(parser), name] = p
        else:  # listed only, or a module with its own main(argv) that parses its own arguments
            sub.add_parser(name, help=_help(mod), add_help=False)
    return parser


def error(message: str) -> int:
    """Print ``powerbalance: error: <message>`` on stderr and return 2."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def message(exc: BaseException) -> str:
    """One line for an error: ``PATH: reason`` for an ``OSError`` with a file name, else ``str(exc)``."""
    plain = not isinstance(exc, PowerbalanceError) or str(exc).startswith("[Errno")
    if isinstance(exc, OSError) and plain and exc.strerror and exc.filename is not None:
        name = os.fsdecode(exc.filename) if isinstance(exc.filename, (str, bytes)) else str(exc.filename)
        return f"{name}: {exc.strerror}"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text: byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return " ".join(lines) or type(exc).__name__


def interrupted() -> int:
    """Print ``powerbalance: interrupted`` on stderr and return 130 (Ctrl-C)."""
    try:
        sys.stdout.flush()
    except Exception:  # stdout may be closed or a broken pipe: the message still goes out
        pass
    print(f"{PROG}: interrupted", file=sys.stderr)
    return 130


def _lenient_output() -> None:
    """Let stdout print any path or name (a non-UTF-8 file name arrives as surrogates)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream
                pass


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Parse ``argv`` and run the subcommand; return the exit status."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return interrupted()


def _main(argv: Optional[Sequence[str]]) -> int:
    _lenient_output()
    argv = sys.argv[1:] if argv is None else list(argv)
    command = _command(argv)
    modules = _modules()
    parser = build_parser(modules, full=[] if command is None else [command])
    try:
        args, rest = parser.parse_known_args(argv)
        mod = modules[args.command]
        if rest and hasattr(mod, "add_arguments"):
            _SUBPARSERS.get((id(parser), args.command), parser).error(f"unrecognized arguments: {' '.join(rest)}")
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
        try:  # no second error when Python flushes stdout at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except KeyboardInterrupt:
        return interrupted()
    except (PowerbalanceError, OSError, ValueError) as e:
        return error(message(e))
    except Exception as e:  # a bug: say so in one line; the traceback only when asked for
        if os.environ.get("POWERBALANCE_TRACEBACK"):
            raise
        print(
            f"{PROG}: internal error: {type(e).__name__}: {message(e)} "
            "(set POWERBALANCE_TRACEBACK=1 to see where; please report it)",
            file=sys.stderr,
        )
        return 3
