"""The exceptions powerbalance raises.

Every error of the Rust core arrives in Python as one of these classes; each also derives from
the built-in exception a Python user would expect, so ``except ValueError`` or ``except KeyError``
keep working::

    PowerbalanceError(Exception)
    ├── DataFormatError(PowerbalanceError, ValueError)    bad input file: path, line, column, column_name
    │   ├── EmptyFileError                                 the file is empty
    │   ├── EncodingError                                  neither UTF-8 nor a SIPRI Latin-1 export
    │   └── OverlapError                                   two files cover the same cells: path, other_path
    ├── UnknownActorError(PowerbalanceError, KeyError)     name, suggestions
    ├── InvalidArgumentError(PowerbalanceError, ValueError)
    │   └── CoverageError                                  a period outside the years a dataset covers
    ├── DataIOError(PowerbalanceError, OSError)            the file cannot be opened or read
    │   └── DataFileNotFoundError(DataIOError, FileNotFoundError)
    └── ScriptError(PowerbalanceError)                     a Rhai script failed: line, column, limit

The core maps its one error enum to these (``rust/python/src/lib.rs``, ``to_pyerr``):
``Format``/``Parse`` -> :class:`DataFormatError`, ``Empty`` -> :class:`EmptyFileError`,
``Encoding`` -> :class:`EncodingError`, ``Overlap`` -> :class:`OverlapError`,
``UnknownActor`` -> :class:`UnknownActorError`, ``InvalidArgument`` ->
:class:`InvalidArgumentError`, ``Coverage`` -> :class:`CoverageError`, ``Io`` -> :class:`DataIOError` (or
:class:`DataFileNotFoundError` for a missing path). A bug in the core surfaces as a plain
:class:`PowerbalanceError` ("internal error"), never as pyo3's ``PanicException``.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

__all__ = [
    "PowerbalanceError",
    "DataFormatError",
    "EmptyFileError",
    "EncodingError",
    "OverlapError",
    "UnknownActorError",
    "InvalidArgumentError",
    "CoverageError",
    "DataIOError",
    "DataFileNotFoundError",
    "ScriptError",
]


class PowerbalanceError(Exception):
    """Base class of every error raised by powerbalance."""


class _WithFields(PowerbalanceError):
    """An error made of a text and keyword fields, each field an attribute of the same name
    (the one ``__init__`` of :class:`DataFormatError`, :class:`UnknownActorError`,
    :class:`CoverageError` and :class:`ScriptError`, whose own signatures name their fields)."""

    def __init__(self, text: str, /, **fields: Any) -> None:
        super().__init__(text)
        for name, value in fields.items():
            setattr(self, name, value)


class DataFormatError(_WithFields, ValueError):
    """An input file is not in a layout the readers know, or a value in it cannot be parsed.

    Attributes
    ----------
    path : str or None
        The file (as given, or the name passed to ``read_sipri_bytes``).
    line : int or None
        1-based line number, where the error has one.
    column : int or None
        1-based column (field) number; for :class:`EncodingError` the 1-based byte offset in
        the line.
    column_name : str or None
        The column's name in the file's header, where it has one.
    """

    path: Optional[str]
    line: Optional[int]
    column: Optional[int]
    column_name: Optional[str]

    def __init__(
        self,
        message: str,
        *,
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        column_name: Optional[str] = None,
    ) -> None:
        super().__init__(message, path=path, line=line, column=column, column_name=column_name)


class EmptyFileError(DataFormatError):
    """The file is empty (no bytes, or only blank lines)."""


class EncodingError(DataFormatError):
    """The bytes are neither UTF-8 nor a SIPRI Latin-1 export; ``column`` is a byte offset."""


class OverlapError(DataFormatError):
    """Two files read together cover the same supplier-recipient-year cells.

    ``path`` is the first file, ``other_path`` the second; read one of them, not both.
    """

    other_path: Optional[str]

    def __init__(self, message: str, *, other_path: Optional[str] = None, **location: Any) -> None:
        super().__init__(message, **location)  # path, line, column, column_name
        self.other_path = other_path


class UnknownActorError(_WithFields, KeyError):
    """No actor of the registry has this name (or alias, or SIPRI code).

    Attributes
    ----------
    name : str
        The name that was looked up.
    suggestions : list of str
        The closest known names, best first (may be empty).
    """

    name: str
    suggestions: List[str]

    def __init__(self, message: str, *, name: str = "", suggestions: Sequence[str] = ()) -> None:
        super().__init__(message, name=name, suggestions=list(suggestions))

    def __str__(self) -> str:
        # KeyError.__str__ would repr-quote the message; give it as written.
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(PowerbalanceError, ValueError):
    """An argument cannot be used: an empty period (end before start), a ledger without the
    breakdown a metric needs, a negative count, ..."""


class CoverageError(_WithFields, InvalidArgumentError):
    """A query asks for years outside the years a dataset covers; nothing is invented there.

    A ledger covers the inclusive span of years of the rows read (a folder: the union of its
    files), carried unchanged through scenarios and exports: the 2024 register covers
    1950-2023, the 2026 register 1995-2024 (its heading says 1995-2025, but it holds no 2025
    delivery). Asked for ``exporters(2020, 2024)`` the 2024 register raises this error rather
    than compute 2020-2023 under the 2020-2024 label; asked for Russia -> China in 1987-1994 the
    2026 register raises it rather than give zeros. Inside the coverage a year without
    deliveries is a real zero. The capability, expenditure, GDP, alliance and ideal-point
    datasets raise it too.

    It is an :class:`InvalidArgumentError` (and so a ``ValueError``).

    Attributes
    ----------
    dataset : str
        The dataset's name (file or folder name, or ``NMC 6.0``, ...).
    coverage : tuple of int or None
        ``(first, last)`` year it covers; None when it holds no year.
    requested : tuple of int
        The ``(start, end)`` period asked for.
    what : str
        The query, e.g. ``exporters(2020-2024)``.

    Examples
    --------
    >>> err = CoverageError("register covers 1950-2023; ...", dataset="register",
    ...                     coverage=(1950, 2023), requested=(2020, 2024), what="exporters(2020-2024)")
    >>> isinstance(err, ValueError), err.coverage
    (True, (1950, 2023))
    """

    dataset: str
    coverage: Optional[Tuple[int, int]]
    requested: Optional[Tuple[int, int]]
    what: str

    def __init__(
        self,
        message: str,
        *,
        dataset: str = "",
        coverage: Optional[Tuple[int, int]] = None,
        requested: Optional[Tuple[int, int]] = None,
        what: str = "",
    ) -> None:
        super().__init__(message, dataset=dataset, coverage=coverage, requested=requested, what=what)


class DataIOError(PowerbalanceError, OSError):
    """A file could not be opened or read. ``filename`` (alias ``path``), ``errno`` and
    ``strerror`` are set as for :class:`OSError`."""

    @property
    def path(self) -> Optional[str]:
        """The file that could not be read (same as ``filename``)."""
        f = self.filename
        return None if f is None else str(f)


class DataFileNotFoundError(DataIOError, FileNotFoundError):
    """The file or folder does not exist."""


class ScriptError(_WithFields):
    """A Rhai script failed: a syntax error, a runtime error, or a sandbox limit stopped it.

    Attributes
    ----------
    message : str
        What went wrong, without the position.
    line, column : int
        1-based position in the script (0 when the engine gave none).
    limit : str or None
        The sandbox limit that stopped the script (``max_operations``, ``max_call_levels``,
        ``max_expr_depth``, ``max_string_size``, ``max_array_size``, ``max_map_size``,
        ``max_wall_time``), or None.
    output : list of str
        Lines the script printed before it failed.
    """

    message: str
    line: int
    column: int
    limit: Optional[str]
    output: List[str]

    def __init__(
        self,
        text: str,
        *,
        message: Optional[str] = None,
        line: int = 0,
        column: int = 0,
        limit: Optional[str] = None,
        output: Sequence[str] = (),
    ) -> None:
        message = text if message is None else message
        super().__init__(text, message=message, line=line, column=column, limit=limit, output=list(output))

    def _render_traceback_(self) -> List[str]:
        # IPython and Jupyter show this instead of a Python traceback
        return [f"ScriptError: line {self.line}, column {self.column}: {self.message}"]
