"""The type stub of the native module matches the module (``mypy.stubtest``), and the package
type-checks against it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ALLOWLIST = Path(__file__).with_name("stubtest_allowlist.txt")


def test_stubtest_native_module() -> None:
    cmd = [sys.executable, "-m", "mypy.stubtest", "powerbalance._native"]
    if ALLOWLIST.exists():
        cmd += ["--allowlist", str(ALLOWLIST)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def test_package_is_marked_typed() -> None:
    import powerbalance

    pkg = Path(powerbalance.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_native.pyi").exists()
