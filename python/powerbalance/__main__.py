"""The command line: ``python -m powerbalance <command> ...`` (also installed as ``powerbalance``).

Subcommands live in :mod:`powerbalance.cli`, one module each, listed in
:data:`powerbalance.cli.COMMANDS`; adding one means adding a module and a line there.
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

from powerbalance.cli import main as _main


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    0 on success, 2 on a usage error or a data error (printed as ``powerbalance: error: ...``
    on stderr).
    """
    return _main(argv)


if __name__ == "__main__":
    sys.exit(main())
