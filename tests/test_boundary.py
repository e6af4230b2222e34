"""The Python boundary: a Rust panic becomes a Python exception, long native calls release the
GIL, and Ctrl-C (SIGINT) is never lost.

- Panics: every core call in the glue runs under ``catch_unwind``; ``_native._panic_for_tests``
  panics inside that wrapper.
- The GIL: a Python thread keeps running while the main thread reads a large register in Rust.
- Ctrl-C: scripts check for signals while they run (the Rhai engine's progress hook calls
  ``PyErr_CheckSignals``), so ``KeyboardInterrupt`` stops a script mid-loop. The native readers
  and metrics take no callback: each is one pass over the data, linear in its size (a
  100x register, 290 MB, reads in about a second), so the interrupt is raised as soon as the call
  returns, before the next Python statement; the test below checks that it is not lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import List

import powerbalance as pb
import pytest
from powerbalance import _native, errors
from powerbalance.script import Engine

HEADER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,"
    "Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,"
    "Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production"
)
SUPPLIERS = ["Russia", "France", "United States", "China", "Germany", "Italy", "United Kingdom", "Israel"]
RECIPIENTS = ["India", "China", "Saudi Arabia", "Egypt", "Australia", "Qatar", "Pakistan", "Algeria", "Japan"]


def synthetic_register(rows: int) -> bytes:
    """A register of `rows` invented deliveries (no third-party data)."""
    lines = [HEADER]
    for i in range(rows):
        s = SUPPLIERS[i % len(SUPPLIERS)]
        r = RECIPIENTS[(i * 7) % len(RECIPIENTS)]
        year = 1950 + (i * 13) % 74
        n = 1 + i % 17
        unit = 0.5 + (i % 23) * 1.25
        lines.append(
            f"{100000 + i // 2},{s},{r},X-{i % 97},aircraft,Aircraft,{year - 1},No,{n},No,{year},No,New,"
            f"{unit},{unit},{n * unit},No"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def big_register() -> bytes:
    return synthetic_register(400_000)


def test_a_rust_panic_is_a_python_exception() -> None:
    with pytest.raises(errors.PowerbalanceError, match="internal error") as info:
        _native._panic_for_tests()
    # Not pyo3's PanicException (a BaseException that `except Exception` would not catch).
    assert isinstance(info.value, Exception)
    assert type(info.value).__name__ == "PowerbalanceError"
    assert "deliberate panic" in str(info.value)
    # The module is usable afterwards.
    assert pb.actor("Turkey")["name"] == "Turkiye"


class SpinningThread:
    """A Python thread that counts ticks while the ``with`` block runs in the main thread.

    ``ticks_inside()`` counts the ticks in the middle 80% of the block: with the GIL held by a
    native call for the whole block there would be none.
    """

    def __init__(self) -> None:
        self.ticks: List[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.spin)
        self.t0 = self.t1 = 0.0

    def spin(self) -> None:
        while not self.stop.is_set():
            self.ticks.append(time.perf_counter())

    def __enter__(self) -> SpinningThread:
        self.thread.start()
        time.sleep(0.05)
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.t1 = time.perf_counter()
        self.stop.set()
        self.thread.join()

    def ticks_inside(self) -> int:
        d = self.t1 - self.t0
        return len([x for x in self.ticks if self.t0 + 0.1 * d < x < self.t1 - 0.1 * d])


def test_a_long_native_call_releases_the_gil(big_register: bytes) -> None:
    with SpinningThread() as spinner:
        led = pb.read_sipri_bytes(big_register, "big.csv")
    assert len(led) == 400_000
    assert spinner.ticks_inside() > 100, (spinner.ticks_inside(), spinner.t1 - spinner.t0)


def test_metrics_release_the_gil_too(big_register: bytes) -> None:
    led = pb.read_sipri_bytes(big_register, "big.csv")
    with SpinningThread() as spinner:
        for _ in range(20):
            led.importers(1950, 2023)
            led.by_dyad(1950, 2023)
    assert spinner.ticks_inside() > 100, (spinner.ticks_inside(), spinner.t1 - spinner.t0)


def test_ctrl_c_during_a_native_read_is_raised_when_it_returns(big_register: bytes, default_sigint: None) -> None:
    # SIGINT arrives while Rust reads (GIL released); Python's handler runs as soon as the call
    # returns, so the read's result is never used and the interrupt is not lost.
    timer = threading.Timer(0.05, lambda: os.kill(os.getpid(), signal.SIGINT))
    reached = False
    with pytest.raises(KeyboardInterrupt):
        timer.start()
        for _ in range(50):  # bounded: 50 reads take far longer than 0.05 s
            pb.read_sipri_bytes(big_register, "big.csv")
        reached = True
    timer.join()
    assert not reached


def test_ctrl_c_stops_a_running_script(default_sigint: None) -> None:
    e = Engine(limits={"max_operations": 0, "max_wall_time": 60}, echo=False)
    timer = threading.Timer(0.2, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        e.eval("let i = 0; loop { i += 1; }")
    timer.join()
    assert e.eval("40 + 2") == 42


def test_a_script_runs_without_blocking_other_threads() -> None:
    e = Engine(limits={"max_operations": 0, "max_wall_time": 0.5}, echo=False)
    with SpinningThread() as spinner, pytest.raises(errors.ScriptError, match="wall time"):
        e.eval("let i = 0; loop { i += 1; }")
    assert spinner.ticks_inside() > 100, (spinner.ticks_inside(), spinner.t1 - spinner.t0)


def test_ctrl_c_tests_pass_when_the_process_starts_with_sigint_ignored() -> None:
    # nohup, `cmd &` in a non-interactive shell and some CI runners start Python with SIGINT
    # ignored; the Ctrl-C tests install Python's handler themselves (the default_sigint fixture)
    tests = [
        f"{__file__}::test_ctrl_c_stops_a_running_script",
        f"{__file__}::test_ctrl_c_during_a_native_read_is_raised_when_it_returns",
    ]
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "2 passed" in r.stdout, r.stdout[-3000:]
