"""The native glue resolves no argument itself: periods, option names, COW codes and input tables
are resolved by the core, with one error each for every door. These tests hold the native module
(``powerbalance._native``) to the core's rules on the synthetic fixtures of tests/fixtures/data."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest
from powerbalance import _native, errors

DATA = Path(__file__).resolve().parent / "fixtures" / "data"


@pytest.fixture(scope="module")
def caps() -> _native.Capabilities:
    return _native.read_nmc(DATA / "cow_nmc" / "NMC-60-abridged.csv")


@pytest.fixture(scope="module")
def alliances() -> _native.Alliances:
    return _native.read_alliances(DATA / "alliances" / "cow_alliance_v4.1_dyad_year.csv")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.rank(2016, "cinq"), 'unknown measure "cinq"; expected one of cinc, '),
        (lambda c: c.cinc(2016, None, "zeros"), 'unknown missing-value rule "zeros"; expected one of zero, available'),
        (
            lambda c: _native.poles(["a", "b"], [1.0, 2.0], "shares"),
            'unknown pole rule "shares"; expected one of share, relative',
        ),
        (
            lambda c: _native.concentration(["a"], [1.0], "relativ"),
            'unknown pole rule "relativ"; expected one of relative, share',
        ),
    ],
)
def test_unknown_option_names_list_the_valid_ones_nearest_first(caps: _native.Capabilities, call, message: str) -> None:
    with pytest.raises(errors.InvalidArgumentError) as e:
        call(caps)
    assert type(e.value) is errors.InvalidArgumentError
    assert str(e.value).startswith(message), str(e.value)


def test_option_names_any_case(caps: _native.Capabilities) -> None:
    assert caps.rank(2016, " CINC ").num_rows == caps.rank(2016, "cinc").num_rows == 3
    assert caps.cinc(2016, ["USA"], "Zero").num_rows == 1


def test_a_missing_bound_is_the_coverage_and_a_year_outside_it_a_coverage_error(caps: _native.Capabilities) -> None:
    assert caps.coverage == (2015, 2016)
    years = pa.table(caps.series("USA", "cinc", 2016, None)).column("year").to_pylist()
    assert years == [2016]
    years = pa.table(caps.series("China", "cinc", None, 2015)).column("year").to_pylist()
    assert years == [2015]
    with pytest.raises(errors.CoverageError) as e:
        caps.series("USA", "cinc", 2010, None)
    c = e.value
    assert (c.dataset, c.coverage, c.requested, c.what) == ("NMC 6.0", (2015, 2016), (2010, 2016), "series")
    # a lone bound past the coverage is a coverage error too, not an empty period
    with pytest.raises(errors.CoverageError) as e:
        caps.ratio("USA", "CHN", "cinc", 2020, None)
    assert e.value.requested == (2020, 2020)


def test_an_alignment_period_is_resolved_against_the_alliance_file_like_every_other(
    caps: _native.Capabilities, alliances: _native.Alliances
) -> None:
    # a lone bound past the alliance file's coverage (2011-2012) is a coverage error, not an
    # "empty period" of a start after the coverage's end
    for call in (
        lambda: _native.alignment(alliances, caps, 2020, None),
        lambda: _native.alignment_dyad(alliances, caps, "USA", "CAN", 2020, None),
    ):
        with pytest.raises(errors.CoverageError) as e:
            call()
        c = e.value
        assert (c.dataset, c.coverage, c.requested) == ("COW alliances v4.1", (2011, 2012), (2020, 2020))


@pytest.mark.parametrize("year", [0, 20016, -(2**31), 2**31 - 1])
def test_absurd_years_are_refused_before_any_work(caps: _native.Capabilities, year: int) -> None:
    with pytest.raises(errors.InvalidArgumentError, match=f"year {year} is out of range \\(1-9999\\)"):
        caps.series("USA", "cinc", year, None)


def test_states_by_name_or_cow_code(alliances: _native.Alliances) -> None:
    by_name = pa.table(alliances.dyad("United States", "Canada"))
    by_code = pa.table(alliances.dyad("2", " 20 "))
    assert by_name.equals(by_code) and by_name.num_rows > 0
    with pytest.raises(errors.InvalidArgumentError, match="has no Correlates of War code"):
        alliances.dyad("Hezbollah (Lebanon)*", "2")
    with pytest.raises(errors.UnknownActorError) as e:
        alliances.dyad("Untied States", "2")
    assert e.value.name == "Untied States" and e.value.suggestions[0] == "United States"


@pytest.mark.parametrize(
    "table",
    [
        pa.table(
            {"ccode1": pa.array([2, 2], pa.int32()), "ccode2": pa.array([20, 20], pa.int16()), "year": [2011, 2012]}
        ),
        pl.DataFrame(
            {"ccode1": [2, 2], "ccode2": [20, 20], "year": [2011, 2012]}, schema_overrides={"ccode1": pl.UInt16}
        ),
    ],
    ids=["pyarrow", "polars"],
)
def test_alliance_years_from_any_arrow_table(table: object) -> None:
    a = _native.alliance_years(table, "mine", False, 2010, 2012)
    assert (a.source, a.directed, a.coverage, len(a)) == ("mine", False, (2010, 2012), 4)
    assert a.in_force(20, 2, 2011) is True and a.in_force(2, 20, 2010) is False


@pytest.mark.parametrize(
    ("table", "start", "end", "message"),
    [
        (
            pa.table({"ccode1": [2.0], "ccode2": [20], "year": [2011]}),
            None,
            None,
            'column "ccode1" of the alliance table is Float64, not an integer type',
        ),
        (
            pa.table({"ccode1": [2], "ccode2": pa.array([None], pa.int64()), "year": [2011]}),
            None,
            None,
            'column "ccode2" of the alliance table has nulls',
        ),
        (
            pa.table({"ccode1": [2], "ccode2": [None], "year": [2011]}),
            None,
            None,
            'column "ccode2" of the alliance table has nulls',
        ),
        (pa.table({"ccode1": [2], "year": [2011]}), None, None, 'the alliance table has no "ccode2" column'),
        (pa.table({"ccode1": [70000], "ccode2": [20], "year": [2011]}), None, None, "ccode1 70000 is not a COW code"),
        (pa.table({"ccode1": [2], "ccode2": [20], "year": [2011]}), 2010, None, "give both start and end"),
    ],
)
def test_bad_alliance_tables_are_refused_with_the_column(
    table: pa.Table, start: int | None, end: int | None, message: str
) -> None:
    with pytest.raises(errors.InvalidArgumentError) as e:
        _native.alliance_years(table, "mine", False, start, end)
    assert message in str(e.value)


def test_errors_are_the_classes_of_powerbalance_errors(tmp_path: Path) -> None:
    with pytest.raises(errors.DataFileNotFoundError) as e:
        _native.read_nmc(tmp_path / "missing.csv")
    assert isinstance(e.value, FileNotFoundError) and e.value.errno == 2
    assert e.value.filename == str(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(errors.EmptyFileError) as e2:
        _native.read_nmc(empty)
    assert e2.value.path == str(empty)
