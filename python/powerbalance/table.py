"""Result tables: named, typed columns over Arrow, readable by every dataframe library."""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Union

import pyarrow as pa

__all__ = ["Table"]

#: Rows shown by ``_repr_html_`` and ``__repr__``.
HTML_MAX_ROWS = 50
REPR_MAX_ROWS = 10


class Table:
    """A result table: named, typed columns, held as a :class:`pyarrow.Table`.

    Every metric of powerbalance returns one. It speaks the Arrow PyCapsule interface
    (``__arrow_c_stream__``), so pyarrow, polars, pandas and duckdb read it without copying::

        pa.table(t)  ·  pl.DataFrame(t)  ·  duckdb.sql("select * from t")  ·  t.to_pandas()

    Shares are fractions in the data (0.365, not 36.5); only the printed forms (``repr``, the
    HTML shown in Jupyter) give per cent.

    Parameters
    ----------
    data : object
        Anything :func:`pyarrow.table` accepts: an object with ``__arrow_c_stream__`` (such as
        the native result tables, taken without a copy), a :class:`pyarrow.Table`, a dict of
        columns, another :class:`Table`.

    Examples
    --------
    >>> t = Table({"supplier": ["Russia", "France"], "share": [0.773, 0.102]})
    >>> t.num_rows, t.column_names
    (2, ['supplier', 'share'])
    >>> t["supplier"]
    ['Russia', 'France']
    >>> t.filter(supplier="France").to_pylist()
    [{'supplier': 'France', 'share': 0.102}]
    """

    __slots__ = ("_table",)

    def __init__(self, data: Any) -> None:
        if isinstance(data, Table):
            self._table: pa.Table = data._table
        elif isinstance(data, pa.Table):
            self._table = data
        else:
            self._table = pa.table(data)

    # -- Arrow PyCapsule interface ----------------------------------------------------------

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """Export as an Arrow C stream PyCapsule (zero-copy)."""
        return self._table.__arrow_c_stream__(requested_schema)

    def __arrow_c_schema__(self) -> object:
        """Export the schema as an Arrow C schema PyCapsule."""
        return self._table.schema.__arrow_c_schema__()

    # -- conversions ------------------------------------------------------------------------

    def to_pyarrow(self) -> pa.Table:
        """The table as a :class:`pyarrow.Table` (no copy)."""
        return self._table

    def to_pandas(self) -> Any:
        """The table as a :class:`pandas.DataFrame` (requires pandas).

        Integer columns with nulls become nullable ``Int64``; other columns keep NumPy dtypes.
        """
        import pandas as pd

        def mapper(t: pa.DataType) -> Any:
            return pd.Int64Dtype() if pa.types.is_integer(t) else None

        has_null_ints = any(
            pa.types.is_integer(f.type) and self._table.column(f.name).null_count > 0 for f in self._table.schema
        )
        return self._table.to_pandas(types_mapper=mapper if has_null_ints else None)

    def to_polars(self) -> Any:
        """The table as a :class:`polars.DataFrame` (requires polars; no copy)."""
        import polars as pl

        return pl.DataFrame(self._table)

    def to_pylist(self) -> List[Dict[str, Any]]:
        """The rows as a list of dicts."""
        rows: List[Dict[str, Any]] = self._table.to_pylist()
        return rows

    def to_pydict(self) -> Dict[str, List[Any]]:
        """The columns as a dict of lists."""
        cols: Dict[str, List[Any]] = self._table.to_pydict()
        return cols

    def to_csv(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write the table to a CSV file (header line, then one line per row).

        Parameters
        ----------
        path : str or os.PathLike
            The file to write (replaced if it exists). Values are written as stored (shares as
            fractions), not as printed.
        """
        import pyarrow.csv as pacsv

        pacsv.write_csv(self._table, os.fspath(path))

    # -- access -----------------------------------------------------------------------------

    @property
    def column_names(self) -> List[str]:
        """Column names, in order."""
        return list(self._table.column_names)

    @property
    def columns(self) -> List[str]:
        """Column names, in order (same as :attr:`column_names`)."""
        return self.column_names

    @property
    def schema(self) -> pa.Schema:
        """The Arrow schema."""
        return self._table.schema

    @property
    def num_rows(self) -> int:
        """Number of rows."""
        return int(self._table.num_rows)

    @property
    def num_columns(self) -> int:
        """Number of columns."""
        return int(self._table.num_columns)

    def __len__(self) -> int:
        return self.num_rows

    def column(self, name: str) -> List[Any]:
        """The values of column ``name`` as a list.

        Raises
        ------
        KeyError
            When the table has no such column.
        """
        if name not in self._table.column_names:
            raise KeyError(f"no column {name!r}; the columns are {self.column_names}")
        values: List[Any] = self._table.column(name).to_pylist()
        return values

    def __getitem__(self, name: str) -> List[Any]:
        return self.column(name)

    def __contains__(self, name: object) -> bool:
        return name in self._table.column_names

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        """Iterate over the rows, each a dict."""
        for batch in self._table.to_batches():
            yield from batch.to_pylist()

    def row(self, i: int) -> Dict[str, Any]:
        """Row ``i`` (negative counts from the end) as a dict.

        Raises
        ------
        IndexError
            When ``i`` is outside the table.

        Examples
        --------
        >>> Table({"year": [2005, 2006], "tiv": [3077.0, 2000.0]}).row(-1)
        {'year': 2006, 'tiv': 2000.0}
        """
        n = self.num_rows
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"row {i} out of range for a table of {n} rows")
        rows: List[Dict[str, Any]] = self._table.slice(i, 1).to_pylist()
        return rows[0]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Table):
            return bool(self._table.equals(other._table))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    # -- selection --------------------------------------------------------------------------

    def head(self, n: int = 5) -> "Table":
        """The first ``n`` rows (all of them when the table is shorter).

        Examples
        --------
        >>> Table({"year": [2005, 2006, 2007]}).head(2).column("year")
        [2005, 2006]
        """
        return Table(self._table.slice(0, max(0, n)))

    def select(self, columns: Sequence[str]) -> "Table":
        """A table with only ``columns``, in that order.

        Raises
        ------
        KeyError
            When a column is not in the table (the message lists those that are).

        Examples
        --------
        >>> Table({"year": [2005], "tiv": [3077.0]}).select(["tiv", "year"]).column_names
        ['tiv', 'year']
        """
        for c in columns:
            if c not in self._table.column_names:
                raise KeyError(f"no column {c!r}; the columns are {self.column_names}")
        return Table(self._table.select(list(columns)))

    def filter(
        self, predicate: Optional[Callable[[Dict[str, Any]], bool]] = None, **equals: Any
    ) -> "Table":
        """The rows for which ``predicate(row)`` is true and each ``column=value`` holds.

        Parameters
        ----------
        predicate : callable, optional
            Called with each row as a dict.
        **equals
            ``column=value`` conditions, all of which must hold.

        Examples
        --------
        >>> t = Table({"year": [2005, 2006], "tiv": [3077.0, 2000.0]})
        >>> t.filter(lambda r: r["tiv"] > 2500).column("year")
        [2005]
        >>> t.filter(year=2006).column("tiv")
        [2000.0]
        """
        for c in equals:
            if c not in self._table.column_names:
                raise KeyError(f"no column {c!r}; the columns are {self.column_names}")
        keep = [
            all(row[c] == v for c, v in equals.items()) and (predicate is None or bool(predicate(row)))
            for row in self
        ]
        return Table(self._table.filter(pa.array(keep, type=pa.bool_())))

    def sort_by(self, column: str, *, descending: bool = False) -> "Table":
        """The rows ordered by ``column`` (nulls last), ascending unless ``descending``.

        Examples
        --------
        >>> Table({"year": [2005, 2006], "tiv": [3077.0, None]}).sort_by("tiv", descending=True).column("year")
        [2005, 2006]
        """
        if column not in self._table.column_names:
            raise KeyError(f"no column {column!r}; the columns are {self.column_names}")
        return Table(self._table.sort_by([(column, "descending" if descending else "ascending")]))

    # -- display ----------------------------------------------------------------------------

    def to_string(self, max_rows: Optional[int] = REPR_MAX_ROWS) -> str:
        """A plain-text rendering, at most ``max_rows`` rows (all when None).

        The core's one formatter prints it (the same text as Rhai's ``print``): shares
        (``share``, ``*_share``, ``cinc``) as per cent, differences of shares and ``*_pp``
        columns as percentage points, ``*_pct`` as per cent, TIV and counts with thousands
        separators, years and codes as plain digits (see ``powerbalance_core::format``).

        Examples
        --------
        >>> print(Table({"actor": ["China"], "year": [2016], "tiv": [12345.6], "share": [0.0773]}).to_string())
        actor  year     tiv  share
        China  2016  12,346   7.7%
        """
        from . import _native

        return _native.format_table(self._table, max_rows, False)

    def __repr__(self) -> str:
        n, m = self.num_rows, self.num_columns
        return f"Table: {n} row{'s' * (n != 1)} x {m} column{'s' * (m != 1)}\n{self.to_string()}"

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter: the cells of :meth:`to_string`, at most 50 rows, with a
        legend of the units used."""
        from . import _native

        return _native.format_table(self._table, HTML_MAX_ROWS, True)
