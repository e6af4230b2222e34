"""``python -m powerbalance.kernel install [--user | --prefix DIR] [--name rhai]`` installs the Rhai
kernel spec; ``python -m powerbalance.kernel -f CONNECTION_FILE`` runs the kernel (Jupyter does
this)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import List, Optional, Sequence


def install(argv: Sequence[str]) -> int:
    """Install the kernel spec; prints where it went."""
    from jupyter_client.kernelspec import KernelSpecManager

    from . import KERNEL_NAME, kernel_json

    p = argparse.ArgumentParser(prog="python -m powerbalance.kernel install")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="install for the current user")
    where.add_argument("--prefix", help="install under PREFIX/share/jupyter/kernels")
    where.add_argument("--sys-prefix", action="store_true", help="install into sys.prefix (the current environment)")
    p.add_argument("--name", default=KERNEL_NAME, help=f"kernel name (default {KERNEL_NAME!r})")
    args = p.parse_args(list(argv))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "kernel.json").write_text(json.dumps(kernel_json(sys.executable), indent=2))
        prefix = sys.prefix if args.sys_prefix else args.prefix
        dest = KernelSpecManager().install_kernel_spec(tmp, kernel_name=args.name, user=args.user, prefix=prefix)
    print(f"installed kernel spec {args.name!r} in {dest}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["install"]:
        return install(argv[1:])
    from ipykernel.kernelapp import IPKernelApp

    from . import RhaiKernel

    IPKernelApp.launch_instance(argv=argv, kernel_class=RhaiKernel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
