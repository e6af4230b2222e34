"""Result tables cross into pyarrow, polars, pandas and duckdb through the Arrow PyCapsule
interface, and every library sees the same numbers."""

from __future__ import annotations

import math
from typing import Any, Dict, List

import powerbalance as pb
import pyarrow as pa
import pytest


@pytest.fixture(scope="module")
def table(ledger_2022: pb.Ledger) -> pb.Table:
    return ledger_2022.exporters(2016, 2020, top=10, compare=(2011, 2015))


@pytest.fixture(scope="module")
def expected(table: pb.Table) -> Dict[str, List[Any]]:
    return {c: table.column(c) for c in ("supplier", "tiv", "share", "change_pct")}


def same(got: Dict[str, List[Any]], expected: Dict[str, List[Any]]) -> None:
    assert got["supplier"] == expected["supplier"]
    for col in ("tiv", "share", "change_pct"):
        assert len(got[col]) == len(expected[col])
        for a, b in zip(got[col], expected[col]):
            assert (a is None and b is None) or math.isclose(a, b, rel_tol=0, abs_tol=1e-12), (col, a, b)


def test_table_basics(table: pb.Table, expected: Dict[str, List[Any]]) -> None:
    assert len(table) == table.num_rows == 10
    assert table.column_names[:4] == ["rank", "supplier", "tiv", "share"]
    assert table.columns == table.column_names
    assert table["supplier"] == expected["supplier"]
    rows = list(table)
    assert rows[0]["supplier"] == "United States" and rows == table.to_pylist()
    assert table.head(3).num_rows == 3
    assert table.filter(supplier="Russia").column("rank") == [2]
    assert table.filter(lambda r: r["share"] > 0.2).num_rows == 2
    with pytest.raises(KeyError, match="no column"):
        table.column("nope")


def test_pyarrow(table: pb.Table, expected: Dict[str, List[Any]]) -> None:
    t = pa.table(table)
    assert t.schema.field("tiv").type == pa.float64()
    assert t.schema.field("rank").type == pa.int64()
    same({c: t.column(c).to_pylist() for c in expected}, expected)
    assert table.to_pyarrow().equals(t)
    schema = pa.schema(table)  # __arrow_c_schema__
    assert schema.names == table.column_names


def test_native_object_is_zero_copy(ledger_2022: pb.Ledger) -> None:
    native = ledger_2022.native.by_supplier(2016, 2020)
    assert hasattr(native, "__arrow_c_stream__")
    assert len(native) == native.num_rows > 50
    a, b = pa.table(native), pa.table(native)
    assert a.equals(b)
    for col in ("tiv", "supplier"):
        bufs_a = [buf.address for buf in a.column(col).chunks[0].buffers() if buf is not None]
        bufs_b = [buf.address for buf in b.column(col).chunks[0].buffers() if buf is not None]
        assert bufs_a == bufs_b, "each import should share the Rust buffers, not copy them"
    # and the Python Table keeps the same buffers
    wrapped = pb.Table(native)
    c = pa.table(wrapped)
    assert c.column("tiv").chunks[0].buffers()[1].address == a.column("tiv").chunks[0].buffers()[1].address


def test_requested_schema_is_honoured(table: pb.Table) -> None:
    # a consumer may ask for another layout, e.g. large strings
    schema = pa.schema(
        [pa.field(f.name, pa.large_string() if f.type == pa.string() else f.type) for f in pa.table(table).schema]
    )
    t = pa.RecordBatchReader.from_stream(table, schema=schema).read_all()
    assert t.schema.field("supplier").type == pa.large_string()


def test_polars(table: pb.Table, expected: Dict[str, List[Any]]) -> None:
    pl = pytest.importorskip("polars")
    df = pl.DataFrame(table)
    same({c: df[c].to_list() for c in expected}, expected)
    df2 = table.to_polars()
    assert df2.equals(df)
    # polars' from_arrow reads a PyCapsule stream as one struct Series; a pyarrow table as a frame
    s = pl.from_arrow(table)
    if isinstance(s, pl.Series):
        s = s.struct.unnest()
    same({c: s[c].to_list() for c in expected}, expected)
    df3 = pl.from_arrow(table.to_pyarrow())
    assert isinstance(df3, pl.DataFrame)
    same({c: df3[c].to_list() for c in expected}, expected)
    # the native object too
    df4 = pl.DataFrame(pb.Table(table).to_pyarrow())
    assert df4.shape == df.shape


def test_pandas(table: pb.Table, expected: Dict[str, List[Any]]) -> None:
    pd = pytest.importorskip("pandas")

    def cols(df: Any) -> Dict[str, List[Any]]:
        out = {c: df[c].tolist() for c in expected}
        out["change_pct"] = [None if (x is None or x != x) else x for x in out["change_pct"]]
        return out

    same(cols(table.to_pandas()), expected)
    same(cols(pd.DataFrame(pa.table(table).to_pandas())), expected)
    if hasattr(pd.DataFrame, "from_arrow"):  # pandas >= 3: its own PyCapsule import
        same(cols(pd.DataFrame.from_arrow(table)), expected)


def test_duckdb(table: pb.Table, expected: Dict[str, List[Any]]) -> None:
    duckdb = pytest.importorskip("duckdb")
    t = table  # noqa: F841 - duckdb finds Python variables holding Arrow stream objects by name
    rows = duckdb.sql("select supplier, tiv, share, change_pct from t order by rank").fetchall()
    same({c: [r[i] for r in rows] for i, c in enumerate(expected)}, expected)
    rel = duckdb.from_arrow(table)
    rows2 = rel.order("rank").select("supplier, tiv, share, change_pct").fetchall()
    assert rows2 == rows
    [(total,)] = duckdb.sql("select sum(share) from t").fetchall()
    assert math.isclose(total, sum(expected["share"]))


def test_repr_html_shows_per_cent(table: pb.Table) -> None:
    h = table._repr_html_()
    assert "<table" in h and "</table>" in h
    us_share = table.column("share")[0]
    assert f"{100 * us_share:.1f}%" in h
    assert "51,769" in h  # TIV with 0 decimals
    text = repr(table)
    assert "36.5%" in text and "United States" in text


def test_repr_html_caps_rows(ledger_2022: pb.Ledger) -> None:
    big = ledger_2022.by_dyad(1950, 2021)
    assert big.num_rows > 50
    h = big._repr_html_()
    assert h.count("<tr>") == 51  # header + 50 rows
    assert "more rows not shown" in h


def test_to_csv_round_trip(table: pb.Table, tmp_path: Any) -> None:
    p = tmp_path / "t.csv"
    table.to_csv(p)
    import pyarrow.csv as pacsv

    back = pacsv.read_csv(p)
    assert back.column("supplier").to_pylist() == table.column("supplier")


def test_compare_tables_keys_polars_and_large_string_tables_on_their_text_column() -> None:
    """polars exports text as ``utf8_view`` and pyarrow's large tables as ``large_utf8``: both
    are text keys, so rows are matched by actor, not by position (they were, silently)."""
    import polars as pl

    base = pl.DataFrame({"actor": ["A", "B"], "tiv": [1.0, 2.0]})
    scen = pl.DataFrame({"actor": ["B", "A"], "tiv": [3.0, 1.0]})
    t = pb.script.compare_tables(base, scen).to_pydict()
    assert t == {"actor": ["A", "B"], "tiv_baseline": [1.0, 2.0], "tiv_scenario": [1.0, 3.0], "tiv_diff": [0.0, 1.0]}
    large = pa.table({"actor": pa.array(["B", "A"], pa.large_string()), "tiv": [3.0, 1.0]})
    assert pb.script.compare_tables(base, large).to_pydict() == t
