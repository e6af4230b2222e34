"""Arms flows by armament category in the panels (``arms_by_category=True``), on the real 2024
register, checked against an independent pandas computation from the register files (read here
with pandas directly, not through powerbalance)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

import pandas as pd
import powerbalance as pb
import pytest
from powerbalance.errors import InvalidArgumentError

REGISTER_2024 = ("trade-register_1950-1989.csv", "trade-register_1990-2023.csv")
RUSSIA, CHINA = 365, 710
# The core's order of the category columns (SIPRI's web tool's order, "other" last).
ORDER = ("aircraft", "air_defence_systems", "armoured_vehicles")


def snake(name: str) -> str:
    return "_".join(w.lower() for w in re.split(r"[^0-9A-Za-z]+", name) if w)


@pytest.fixture(scope="module")
def register(sipri_dir: Path) -> pd.DataFrame:
    folder = sipri_dir / "register_newformat_2024"
    return pd.concat([pd.read_csv(folder / f, skiprows=11) for f in REGISTER_2024], ignore_index=True)


@pytest.fixture(scope="module")
def categories(register: pd.DataFrame) -> List[str]:
    """The register's category spellings: the 2024 release's are the core's names."""
    return sorted(set(register["Armament category"]))


@pytest.fixture(scope="module")
def states(data_dir: Path) -> Path:
    return data_dir / "cow_states" / "states2016.csv"


@pytest.fixture(scope="module")
def dyads(states: Path, ledger_2024: pb.Ledger) -> pd.DataFrame:
    t = pb.panels.dyad_years(states, 2016, 2020, ledger=ledger_2024, arms_by_category=True)
    return t.to_pandas()


def cat_columns(t: pd.DataFrame, total: str) -> List[str]:
    """The category suffixes of a panel's columns ``<total>_<category>``, in order."""
    return [c[len(total) + 1 :] for c in t.columns if c.startswith(total + "_")]


def test_the_columns_are_named_by_category(dyads: pd.DataFrame, categories: List[str]) -> None:
    assert len(categories) == 11, categories
    got = cat_columns(dyads, "tiv_1to2")
    assert sorted(got) == sorted(snake(c) for c in categories)
    assert tuple(got[:3]) == ORDER and got[-1] == "other"
    assert cat_columns(dyads, "tiv_2to1") == got
    cols: List[str] = list(dyads.columns)
    i = cols.index("tiv_1to2")
    assert cols[i : i + 24] == (
        ["tiv_1to2"] + [f"tiv_1to2_{c}" for c in got] + ["tiv_2to1"] + [f"tiv_2to1_{c}" for c in got]
    )


def test_russia_china_2016_2020_agrees_with_pandas(
    register: pd.DataFrame, categories: List[str], dyads: pd.DataFrame
) -> None:
    df = register
    rc = df[(df.Supplier == "Russia") & (df.Recipient == "China") & df["Delivery year"].between(2016, 2020)]
    snakes = [snake(c) for c in categories]
    want = rc.groupby(["Delivery year", "Armament category"])["TIV delivery values"].sum()
    fwd = dyads[(dyads.ccode1 == RUSSIA) & (dyads.ccode2 == CHINA)].set_index("year")
    back = dyads[(dyads.ccode1 == CHINA) & (dyads.ccode2 == RUSSIA)].set_index("year")
    assert list(fwd.index) == [2016, 2017, 2018, 2019, 2020]
    checked = 0
    for year in range(2016, 2021):
        for cat, col in zip(categories, snakes):
            v = float(want.get((year, cat), 0.0))
            assert fwd.loc[year, f"tiv_1to2_{col}"] == pytest.approx(v, rel=1e-12, abs=1e-9), (year, cat)
            assert back.loc[year, f"tiv_2to1_{col}"] == pytest.approx(v, rel=1e-12, abs=1e-9), (year, cat)
            checked += v > 0
        # every Russia -> China delivery has a category: the categories sum to the total
        parts = sum(fwd.loc[year, f"tiv_1to2_{c}"] for c in snakes)
        assert parts == pytest.approx(fwd.loc[year, "tiv_1to2"], rel=1e-12)
        assert fwd.loc[year, "tiv_1to2"] == pytest.approx(rc[rc["Delivery year"] == year]["TIV delivery values"].sum())
    assert checked >= 5, "Russia delivered to China in several categories over 2016-2020"
    # engines and aircraft dominate the period (as Ledger.by_category says)
    assert fwd["tiv_1to2_engines"].sum() == pytest.approx(2185.75, abs=0.01)
    assert fwd["tiv_1to2_aircraft"].sum() == pytest.approx(1675.45, abs=0.01)


def test_categories_sum_to_the_total_everywhere(register: pd.DataFrame, dyads: pd.DataFrame) -> None:
    assert register["Armament category"].notna().all(), "every row of the 2024 register has a category"
    snakes = cat_columns(dyads, "tiv_1to2")
    for a, b in (("tiv_1to2", "1to2"), ("tiv_2to1", "2to1")):
        parts = dyads[[f"tiv_{b}_{c}" for c in snakes]].sum(axis=1)
        assert parts.to_numpy() == pytest.approx(dyads[a].to_numpy(), rel=1e-9, abs=1e-9)
    assert dyads["tiv_1to2"].sum() > 0


def test_missing_is_null_outside_the_ledger(states: Path, ledger_2024: pb.Ledger) -> None:
    # the 2024 register covers 1950-2023: 2024 is null, inside the years a 0 where nothing moved
    d = pb.panels.dyad_years(states, 2023, 2024, ledger=ledger_2024, arms_by_category=True).to_pandas()
    y24, y23 = d[d.year == 2024], d[d.year == 2023]
    for c in cat_columns(d, "tiv_1to2"):
        assert y24[f"tiv_1to2_{c}"].isna().all()
        assert y23[f"tiv_2to1_{c}"].notna().all()
    assert (y23["tiv_1to2_satellites"] == 0).mean() > 0.99


def test_state_years_by_category(
    states: Path, ledger_2024: pb.Ledger, register: pd.DataFrame, categories: List[str]
) -> None:
    t = pb.panels.state_years(states, 2016, 2020, ledger=ledger_2024, arms_by_category=True)
    sy = t.to_pandas().set_index(["ccode", "year"])
    snakes = cat_columns(sy, "tiv_exports")
    assert sorted(snakes) == sorted(snake(c) for c in categories)
    assert cat_columns(sy, "tiv_imports") == snakes
    cols = list(sy.columns)
    i = cols.index("tiv_exports")
    assert cols[i : i + 12] == ["tiv_exports"] + [f"tiv_exports_{c}" for c in snakes]
    assert cols[i + 12 : i + 24] == ["tiv_imports"] + [f"tiv_imports_{c}" for c in snakes]
    # China's imports from everyone (non-state and unknown suppliers included), by category
    cn = register[(register.Recipient == "China") & register["Delivery year"].between(2016, 2020)]
    want = cn.groupby(["Delivery year", "Armament category"])["TIV delivery values"].sum()
    for year in range(2016, 2021):
        for cat in categories:
            col = snake(cat)
            got = sy.loc[(CHINA, year), f"tiv_imports_{col}"]
            assert got == pytest.approx(float(want.get((year, cat), 0.0)), rel=1e-12, abs=1e-9), (year, cat)
        parts = sum(sy.loc[(RUSSIA, year), f"tiv_exports_{c}"] for c in snakes)
        assert parts == pytest.approx(sy.loc[(RUSSIA, year), "tiv_exports"], rel=1e-12)


def test_the_sources_table_names_the_category_columns(states: Path, ledger_2024: pb.Ledger) -> None:
    t = pb.panels.dyad_years(states, 2016, 2016, ledger=ledger_2024, arms_by_category=True)
    snakes = cat_columns(t.to_pandas(), "tiv_1to2")
    assert len(snakes) == 11
    cov = pb.panels.coverage(t).to_pandas().set_index("source")
    listed = cov.loc["arms", "columns"].split(",")
    assert listed == ["tiv_1to2"] + [f"tiv_1to2_{c}" for c in snakes] + ["tiv_2to1"] + [f"tiv_2to1_{c}" for c in snakes]
    assert cov.loc["arms", "dataset"].endswith("by armament category")


def test_a_release_without_categories_names_one_that_has_them(states: Path, sipri_dir: Path) -> None:
    classic = pb.read_sipri(sipri_dir / "register_oldformat_2026" / "trade-register.csv")
    with pytest.raises(InvalidArgumentError, match="register_newformat_2024"):
        pb.panels.dyad_years(states, 2016, 2016, ledger=classic, arms_by_category=True)
    with pytest.raises(InvalidArgumentError, match="register_newformat_2024"):
        pb.panels.state_years(states, 2016, 2016, ledger=classic, arms_by_category=True)
    with pytest.raises(InvalidArgumentError, match="needs a ledger"):
        pb.panels.dyad_years(states, 2016, 2016, arms_by_category=True)


def test_rhai_gives_the_python_columns(data_dir: Path, states: Path, ledger_2024: pb.Ledger) -> None:
    from powerbalance.script import Engine

    e = Engine(data=data_dir, echo=False)
    e.eval('let s = dataset("cow-states"); let reg = dataset("sipri-register-2024");')
    for rhai, py in (
        (
            "dyad_years(s, 2016, 2017, #{ledger: reg, arms_by_category: true})",
            pb.panels.dyad_years(states, 2016, 2017, ledger=ledger_2024, arms_by_category=True),
        ),
        (
            "state_years(s, 2016, 2017, #{ledger: reg, arms_by_category: true})",
            pb.panels.state_years(states, 2016, 2017, ledger=ledger_2024, arms_by_category=True),
        ),
    ):
        got = pb.Table(e.eval(rhai))
        assert got.column_names == py.column_names
        assert got.to_pydict() == py.to_pydict(), rhai
