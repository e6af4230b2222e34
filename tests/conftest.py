"""Shared fixtures: the data folder (``POWERBALANCE_DATA``) and ledgers read from it.

Data of third parties is never committed: tests find it through ``POWERBALANCE_DATA``. A missing
data folder is a failure, not a skip, so that a CI run without data cannot pass silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import powerbalance as pb


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data folder (it holds ``sipri/``, ``cow_nmc/``, ...)."""
    value = os.environ.get("POWERBALANCE_DATA")
    if not value or not (Path(value) / "sipri").is_dir():
        pytest.fail(
            f"POWERBALANCE_DATA is not set or has no sipri/ folder (it is {value!r}); "
            "set it to the shared data folder (../shared/data in this repository's checkout layout) "
            "or fetch data with the package"
        )
    return Path(value)


@pytest.fixture(scope="session")
def sipri_dir(data_dir: Path) -> Path:
    return data_dir / "sipri"


@pytest.fixture(scope="session")
def path_2022(sipri_dir: Path) -> Path:
    """The 360info per-supplier TIV tables, SIPRI release of July 2022 (134 files)."""
    return sipri_dir / "tiv_tables_2022" / "360info_TIV-Export-by-supplier_1950-2021"


@pytest.fixture(scope="session")
def path_2024(sipri_dir: Path) -> Path:
    """The new-format registers of April 2024 (two registers plus two totals files)."""
    return sipri_dir / "register_newformat_2024"


@pytest.fixture(scope="session")
def path_2026(sipri_dir: Path) -> Path:
    """The new-format register of February 2026 (CRLF, trailing ``;``)."""
    return sipri_dir / "register_newformat_2026" / "trade_register_1995-2024.csv"


@pytest.fixture(scope="session")
def ledger_2022(path_2022: Path) -> pb.Ledger:
    return pb.read_sipri(path_2022)


@pytest.fixture(scope="session")
def ledger_2024(path_2024: Path) -> pb.Ledger:
    return pb.read_sipri(path_2024)


@pytest.fixture(scope="session")
def ledger_2026(path_2026: Path) -> pb.Ledger:
    return pb.read_sipri(path_2026)
