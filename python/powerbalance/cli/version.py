"""``powerbalance version``: print the package version."""

from __future__ import annotations

import argparse

HELP = "print the powerbalance version"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments."""


def run(args: argparse.Namespace) -> int:
    """Print the version."""
    import powerbalance

    print(powerbalance.__version__)
    return 0
