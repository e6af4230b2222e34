"""``powerbalance replicate``: the command of :mod:`powerbalance.paper.replicate`, imported only
when it runs (it reads and writes tables with pyarrow; ``powerbalance --help`` does not need it)."""

from __future__ import annotations

import argparse

#: The same line as ``powerbalance.paper.replicate.HELP`` (tests/test_lean_import.py checks it).
HELP = "replicate the paper: its table, figures and claims, with verdicts, into a report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of :func:`powerbalance.paper.replicate.add_arguments`."""
    from powerbalance.paper import replicate

    replicate.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run :func:`powerbalance.paper.replicate.run`."""
    from powerbalance.paper import replicate

    return replicate.run(args)
