"""Result tables: named, typed columns over Arrow, readable by every dataframe library.

A :class:`Table` keeps the Arrow data the Rust core computed (``powerbalance._native.ArrowTable``)
and hands it on through the Arrow PyCapsule interface, so ``import powerbalance`` and printing a
result need neither pyarrow, numpy nor pandas. pyarrow is imported the first time a method needs a
:class:`pyarrow.Table` (column access, filters, :meth:`Table.to_arrow`); pandas only for
:meth:`Table.to_pandas`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from . import _native

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["Table"]

#: Rows shown by ``_repr_html_`` and ``__repr__``.
HTML_MAX_ROWS = 50
REPR_MAX_ROWS = 10


def _pyarrow() -> Any:
    """pyarrow, imported on first use (``import powerbalance`` does not load it)."""
    import pyarrow

    return pyarrow


def _from_stream(data: Any) -> "pa.Table":
    """A :class:`pyarrow.Table` read from an Arrow C stream (zero-copy).

    ``pa.RecordBatchReader.from_stream`` rather than ``pa.table``: the latter asks pandas whether
    the object is a DataFrame, which imports pandas (0.2 s) for a table that never needed it.
    """
    return _pyarrow().RecordBatchReader.from_stream(data).read_all()


class Table:
    """A result table: named, typed columns over Arrow.

    Every metric of powerbalance returns one. It speaks the Arrow PyCapsule interface
    (``__arrow_c_stream__``, ``__arrow_c_schema__``), so pyarrow, polars, pandas and duckdb read it
    without copying::

        pa.table(t)  ·  pl.DataFrame(t)  ·  duckdb.sql("select * from t")  ·  t.to_pandas()

    A table the core returned keeps the core's Arrow buffers: its size (:attr:`num_rows`,
    :attr:`column_names`), its printed forms (``repr``, :meth:`to_string`, the HTML shown in
    Jupyter, all from the core's one formatter) and the capsule export work without pyarrow.
    The first method that needs a :class:`pyarrow.Table` (:meth:`column`, :meth:`filter`,
    :meth:`to_arrow`, ...) imports pyarrow and wraps the same buffers, once.

    Shares are fractions in the data (0.365, not 36.5); only the printed forms give per cent.

    Parameters
    ----------
    data : object
        A native result table (kept as it is), another :class:`Table`, or anything
        :func:`pyarrow.table` accepts: an object with ``__arrow_c_stream__`` (polars, a
        :class:`pyarrow.Table`), a dict of columns (these need pyarrow).

    Examples
    --------
    >>> t = Table({"supplier": ["Russia", "France"], "share": [0.773, 0.102]})
    >>> t.num_rows, t.column_names
    (2, ['supplier', 'share'])
    >>> t["supplier"]
    ['Russia', 'France']
    >>> t.filter(supplier="France").to_pylist()
    [{'supplier': 'France', 'share': 0.102}]
    >>> print(t.to_string())
    supplier  share
    Russia    77.3%
    France    10.2%
    """

    __slots__ = ("_native", "_arrow")

    def __init__(self, data: Any) -> None:
        self._native: Optional[_native.ArrowTable] = None
        self._arrow: Optional[pa.Table] = None
        if isinstance(data, Table):
            self._native, self._arrow = data._native, data._arrow
        elif isinstance(data, _native.ArrowTable):
            self._native = data
        else:
            pa = _pyarrow()
            if isinstance(data, pa.Table):
                self._arrow = data
            elif hasattr(data, "__arrow_c_stream__") and not type(data).__module__.startswith("pandas"):
                self._arrow = _from_stream(data)  # polars, duckdb, ...: no pandas import on the way
            else:
                self._arrow = pa.table(data)

    @property
    def _source(self) -> Any:
        """What the capsules and the formatter read: the native table, else the pyarrow one."""
        return self._native if self._native is not None else self._arrow

    def _pa(self) -> "pa.Table":
        """The :class:`pyarrow.Table` over the same buffers (imports pyarrow on first use)."""
        if self._arrow is None:
            self._arrow = _from_stream(self._native)
        return self._arrow

    # -- Arrow PyCapsule interface ----------------------------------------------------------

    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """Export as an Arrow C stream PyCapsule (zero-copy)."""
        return self._source.__arrow_c_stream__(requested_schema)

    def __arrow_c_schema__(self) -> object:
        """Export the schema as an Arrow C schema PyCapsule."""
        if self._native is not None:
            return self._native.__arrow_c_schema__()
        return self._pa().schema.__arrow_c_schema__()

    # -- conversions ------------------------------------------------------------------------

    def to_arrow(self) -> "pa.Table":
        """The table as a :class:`pyarrow.Table` over the same buffers (imports pyarrow).

        Examples
        --------
        >>> Table({"year": [2016]}).to_arrow().num_rows
        1
        """
        return self._pa()

    def to_pyarrow(self) -> "pa.Table":
        """The table as a :class:`pyarrow.Table` (the same as :meth:`to_arrow`)."""
        return self._pa()

    def to_pandas(self) -> Any:
        """The table as a :class:`pandas.DataFrame` (imports pyarrow and pandas).

        Integer columns with nulls become nullable ``Int64``; other columns keep NumPy dtypes.

        Examples
        --------
        >>> Table({"year": [2016, None], "tiv": [1.5, 2.0]}).to_pandas().dtypes.to_dict()
        {'year': Int64Dtype(), 'tiv': dtype('float64')}
        """
        import pandas as pd

        pa = _pyarrow()
        t = self._pa()

        def mapper(dtype: Any) -> Any:
            return pd.Int64Dtype() if pa.types.is_integer(dtype) else None

        has_null_ints = any(pa.types.is_integer(f.type) and t.column(f.name).null_count > 0 for f in t.schema)
        return t.to_pandas(types_mapper=mapper if has_null_ints else None)

    def to_polars(self) -> Any:
        """The table as a :class:`polars.DataFrame` (requires polars; no copy: polars reads the
        Arrow C stream).

        Examples
        --------
        >>> Table({"year": [2016]}).to_polars().shape
        (1, 1)
        """
        import polars as pl

        return pl.DataFrame(self._source)

    def to_pylist(self) -> List[Dict[str, Any]]:
        """The rows as a list of dicts.

        Examples
        --------
        >>> Table({"year": [2016, 2017], "tiv": [1.5, 2.0]}).to_pylist()
        [{'year': 2016, 'tiv': 1.5}, {'year': 2017, 'tiv': 2.0}]
        """
        rows: List[Dict[str, Any]] = self._pa().to_pylist()
        return rows

    def to_pydict(self) -> Dict[str, List[Any]]:
        """The columns as a dict of lists.

        Examples
        --------
        >>> Table({"year": [2016, 2017], "tiv": [1.5, 2.0]}).to_pydict()
        {'year': [2016, 2017], 'tiv': [1.5, 2.0]}
        """
        cols: Dict[str, List[Any]] = self._pa().to_pydict()
        return cols

    def to_csv(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write the table to a CSV file (header line, then one line per row).

        Parameters
        ----------
        path : str or os.PathLike
            The file to write (replaced if it exists). Values are written as stored (shares as
            fractions), not as printed.

        Examples
        --------
        >>> Table({"year": [2016], "share": [0.25]}).to_csv("t.csv")
        >>> from pathlib import Path
        >>> print(Path("t.csv").read_text().strip())
        "year","share"
        2016,0.25
        """
        import pyarrow.csv as pacsv

        pacsv.write_csv(self._pa(), os.fspath(path))

    # -- access -----------------------------------------------------------------------------

    @property
    def column_names(self) -> List[str]:
        """Column names, in order."""
        if self._native is not None:
            return self._native.column_names
        return list(self._pa().column_names)

    @property
    def columns(self) -> List[str]:
        """Column names, in order (same as :attr:`column_names`)."""
        return self.column_names

    @property
    def schema(self) -> "pa.Schema":
        """The Arrow schema (a :class:`pyarrow.Schema`)."""
        return self._pa().schema

    @property
    def num_rows(self) -> int:
        """Number of rows."""
        if self._native is not None:
            return self._native.num_rows
        return int(self._pa().num_rows)

    @property
    def num_columns(self) -> int:
        """Number of columns."""
        return len(self.column_names)

    def __len__(self) -> int:
        return self.num_rows

    def _check(self, columns: Sequence[str]) -> None:
        names = self.column_names
        for c in columns:
            if c not in names:
                raise KeyError(f"no column {c!r}; the columns are {names}")

    def column(self, name: str) -> List[Any]:
        """The values of column ``name`` as a list.

        Raises
        ------
        KeyError
            When the table has no such column.

        Examples
        --------
        >>> Table({"year": [2016, 2017]}).column("year")
        [2016, 2017]
        """
        self._check([name])
        values: List[Any] = self._pa().column(name).to_pylist()
        return values

    def __getitem__(self, name: str) -> List[Any]:
        return self.column(name)

    def __contains__(self, name: object) -> bool:
        return name in self.column_names

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        """Iterate over the rows, each a dict."""
        for batch in self._pa().to_batches():
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
        rows: List[Dict[str, Any]] = self._pa().slice(i, 1).to_pylist()
        return rows[0]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Table):
            return bool(self._pa().equals(other._pa()))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        """Pickle (and copy) a table of the core as Arrow IPC stream bytes (schema metadata kept;
        no pyarrow import), any other as the :class:`pyarrow.Table` over the same data.

        Examples
        --------
        >>> import pickle
        >>> pickle.loads(pickle.dumps(Table({"year": [2016]}))).to_pylist()
        [{'year': 2016}]
        """
        if self._native is not None:
            from ._sweep import _table_from_ipc

            return (_table_from_ipc, (bytes(_native.table_to_ipc(self._native)),))
        return (Table, (self._pa(),))

    # -- selection --------------------------------------------------------------------------

    def head(self, n: int = 5) -> Table:
        """The first ``n`` rows (all of them when the table is shorter).

        Examples
        --------
        >>> Table({"year": [2005, 2006, 2007]}).head(2).column("year")
        [2005, 2006]
        """
        return Table(self._pa().slice(0, max(0, n)))

    def select(self, columns: Sequence[str]) -> Table:
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
        self._check(columns)
        return Table(self._pa().select(list(columns)))

    def filter(self, predicate: Optional[Callable[[Dict[str, Any]], bool]] = None, **equals: Any) -> Table:
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
        self._check(list(equals))
        keep = [
            all(row[c] == v for c, v in equals.items()) and (predicate is None or bool(predicate(row)))
            for row in self
        ]
        pa = _pyarrow()
        return Table(self._pa().filter(pa.array(keep, type=pa.bool_())))

    def sort_by(self, column: str, *, descending: bool = False) -> Table:
        """The rows ordered by ``column`` (nulls last), ascending unless ``descending``.

        Examples
        --------
        >>> Table({"year": [2005, 2006], "tiv": [3077.0, None]}).sort_by("tiv", descending=True).column("year")
        [2005, 2006]
        """
        self._check([column])
        return Table(self._pa().sort_by([(column, "descending" if descending else "ascending")]))

    # -- display ----------------------------------------------------------------------------

    def to_string(self, max_rows: Optional[int] = REPR_MAX_ROWS) -> str:
        """A plain-text rendering, at most ``max_rows`` rows (all when None).

        The core's one formatter prints it (the same text as Rhai's ``print``, without pyarrow):
        shares (``share``, ``*_share``, ``cinc``) as per cent, differences of shares and ``*_pp``
        columns as percentage points, ``*_pct`` as per cent, TIV and counts with thousands
        separators, years and codes as plain digits (see ``powerbalance_core::format``).

        Examples
        --------
        >>> print(Table({"actor": ["China"], "year": [2016], "tiv": [12345.6], "share": [0.0773]}).to_string())
        actor  year     tiv  share
        China  2016  12,346   7.7%
        """
        return _native.format_table(self._source, max_rows, False)

    def __repr__(self) -> str:
        n, m = self.num_rows, self.num_columns
        return f"Table: {n} row{'s' * (n != 1)} x {m} column{'s' * (m != 1)}\n{self.to_string()}"

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter: the cells of :meth:`to_string`, at most 50 rows, with a
        legend of the units used."""
        return _native.format_table(self._source, HTML_MAX_ROWS, True)
