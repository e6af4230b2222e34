"""Shared fixtures: the data home and ledgers read from it, and the synthetic fixtures.

Data of third parties is never committed. Tests that need the real data take the ``data_dir``
fixture (directly, or through ``sipri_dir``, ``path_2022``, ``ledger_2024``, ...), which finds the
data home by the package's own rule (:func:`powerbalance.datasets.data_home`: ``POWERBALANCE_DATA``,
else the user data home that ``powerbalance data fetch`` fills). Every such test is marked
``data`` automatically, so ``pytest -m "not data"`` runs the tests that need no data (on the
synthetic files of ``tests/fixtures``; ``scripts/test.sh`` does that when the data home is not
complete). A data test run without the data fails with one message; it is never skipped.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Set, Tuple

import powerbalance as pb
import pytest

# A shell starts background jobs with SIGINT ignored, and Python then installs no KeyboardInterrupt
# handler: the Ctrl-C tests (test_boundary) need Python's own, however the test run was started
# (a CI runner, `bash scripts/test.sh &`).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: The fixtures that need the real data; a test using any of them gets the ``data`` marker.
DATA_FIXTURES = frozenset(
    {"data_dir", "sipri_dir", "path_2022", "path_2024", "path_2026", "ledger_2022", "ledger_2024", "ledger_2026"}
)


def _needs_data(item: pytest.Item, names: Iterable[str], seen: Set[str]) -> bool:
    """True when a fixture among ``names``, or a fixture they depend on, is a data fixture."""
    manager = item.session._fixturemanager  # noqa: SLF001 - pytest has no public closure lookup
    for name in names:
        if name in DATA_FIXTURES:
            return True
        if name in seen:
            continue
        seen.add(name)
        for fixturedef in manager.getfixturedefs(name, item) or ():
            if _needs_data(item, fixturedef.argnames, seen):
                return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    """Mark ``data`` every test that uses the real data: through a fixture of DATA_FIXTURES, or
    parametrized with the name of a fixture that needs one (for ``request.getfixturevalue``)."""
    for item in items:
        used = list(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            used += [v for v in callspec.params.values() if isinstance(v, str)]
        if _needs_data(item, used, set()):
            item.add_marker(pytest.mark.data)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The data home (it holds ``sipri/``, ``cow_nmc/``, ...), found by the package's rule."""
    home = pb.datasets.data_home()
    if not (home / "sipri").is_dir():
        how = (
            "POWERBALANCE_DATA names it: point it at a complete data folder, or unset it and run "
            "`powerbalance data fetch --all`"
            if pb.datasets.home_source() == "env"
            else "get the data with `powerbalance data fetch --all`"
        )
        pytest.fail(
            f"this test needs the real data, and the data home {home} has no sipri/ folder; {how} "
            '(or run only the tests that need no data: pytest -m "not data")',
            pytrace=False,
        )
    return home


@pytest.fixture(scope="session")
def fixtures_home() -> Path:
    """The synthetic mini data home of ``tests/fixtures/data`` (see its README): data-home layout."""
    return FIXTURES / "data"


@pytest.fixture(scope="session")
def sipri_dir(data_dir: Path) -> Path:
    return data_dir / "sipri"


def _sipri_release(relative: str, doc: str) -> Tuple[Any, Any]:
    """The two session fixtures of one SIPRI release: its path ``sipri/<relative>`` in the data
    home (docstring ``doc``) and the ledger :func:`powerbalance.read_sipri` reads from it."""

    def path(sipri_dir: Path) -> Path:
        return sipri_dir / relative

    def ledger(sipri_dir: Path) -> pb.Ledger:
        return pb.read_sipri(path(sipri_dir))

    path.__doc__ = doc
    ledger.__doc__ = f"The ledger read from: {doc[0].lower()}{doc[1:]}"
    return pytest.fixture(scope="session")(path), pytest.fixture(scope="session")(ledger)


path_2022, ledger_2022 = _sipri_release(
    "tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021",
    "The 360info per-supplier TIV tables, SIPRI release of July 2022 (134 files).",
)
path_2024, ledger_2024 = _sipri_release(
    "register_newformat_2024", "The new-format registers of April 2024 (two registers plus two totals files)."
)
path_2026, ledger_2026 = _sipri_release(
    "register_newformat_2026/trade_register_1995-2024.csv",
    "The new-format register of February 2026 (CRLF, trailing ``;``).",
)


@pytest.fixture
def default_sigint() -> Iterator[None]:
    """Python's own SIGINT handler for the test: a process started with SIGINT ignored
    (background jobs, ``nohup``, some CI runners) would never raise ``KeyboardInterrupt``."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
