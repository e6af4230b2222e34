"""Rhai what-ifs from Python: a sandboxed script engine and scenarios.

A what-if ("what if China stops buying Russian arms in 2016-20?") is a :class:`Scenario`: a
list of operations (embargo a dyad or a supplier, redirect a recipient's imports, scale a
supplier's exports) that turns a baseline :class:`~powerbalance.Ledger` into a new one. World
totals move only by what an operation says: an embargo removes exactly the embargoed TIV, a
redirect conserves it. Scenarios save to and load from JSON, so the same what-if runs from
Python, from a Rhai script and from ``powerbalance run``.

:class:`Engine` runs Rhai scripts (https://rhai.rs) in a sandbox: no network access, no file
access except reading data under the data folder and the registered datasets
(``dataset("sipri-register-2024")``, resolved in the data home), and limits on operations, call
depth, expression depth, string, array and map sizes, source size, printed output, memory and
wall time (two seconds by default). Scripts run on their own thread with the GIL released;
Ctrl-C (or a Jupyter interrupt) stops one with :class:`KeyboardInterrupt`.

Examples
--------
>>> from powerbalance.script import Engine
>>> e = Engine()
>>> e.eval("let x = 40; x + 2")
42
>>> e.eval("x * 2")  # the scope is kept across calls
80
>>> e.set("names", ["China", "Russia"])
>>> e.eval('names.len()')
2
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, TypedDict, Union, cast

from . import _native
from ._sweep import Metric, sweep
from ._wrap import NativeProperty, Wrapper
from .ledger import Ledger
from .table import Table

__all__ = [
    "Engine",
    "Scenario",
    "Metric",
    "sweep",
    "compare",
    "compare_tables",
    "functions",
    "FunctionInfo",
    "DEFAULT_LIMITS",
    "MAX_LIMITS",
    "DATASET_KINDS",
    "script_datasets",
]

PathLike = Union[str, "os.PathLike[str]"]
Period = Tuple[int, int]

#: The sandbox limits and their defaults (``max_wall_time`` in seconds, sizes in bytes or
#: items). Rhai counts operations, call levels, expression depth, string, array and map sizes
#: (0: no limit for these four). Rhai does not count map keys or curried function arguments:
#: ``max_memory`` bounds the growth of the process's resident memory while a script runs
#: (sampled every 5 ms; Linux). ``max_output_size`` bounds what ``print`` collects (the last
#: line then says the output was truncated), ``max_source_size`` the script's text, checked
#: before it is parsed. Fixed bounds besides these: 1,000 script functions and 5,000
#: ``let``/``const`` words per script (parsing time grows with their square), and values nested
#: at most 256 levels deep in and out of a script (``limit`` ``max_nesting``).
DEFAULT_LIMITS: Dict[str, float] = {
    "max_operations": 50_000_000,
    "max_call_levels": 64,
    "max_expr_depth": 64,
    "max_function_expr_depth": 32,
    "max_string_size": 1 << 20,
    "max_array_size": 1_000_000,
    "max_map_size": 100_000,
    "max_wall_time": 2.0,
    "max_source_size": 1 << 20,
    "max_output_size": 8 << 20,
    "max_memory": 512 << 20,
}

#: The largest values the depth limits and the wall time accept (deeper nesting could
#: overflow the script thread's stack); a larger value raises
#: :class:`~powerbalance.errors.InvalidArgumentError` (a ``ValueError``) naming the limit.
MAX_LIMITS: Dict[str, float] = {
    "max_call_levels": 1_000,
    "max_expr_depth": 1_000,
    "max_function_expr_depth": 1_000,
    "max_wall_time": 86_400.0,
}

#: The kind of reader ``dataset(name)`` uses for each registered dataset (the names of
#: :func:`powerbalance.datasets.names`); every ``sipri-*`` dataset is a ledger.
DATASET_KINDS: Dict[str, str] = {
    "cow-nmc-v6": "nmc",
    "cow-nmc-v7": "nmc",
    "sipri-milex": "milex",
    "cow-alliances": "cow-alliances",
    "atop": "atop",
    "un-ideal-points": "ideal-points",
    "maddison-2023": "maddison",
    "cow-sdp-gdp": "sdp-gdp",
    "cow-states": "states",
}


class FunctionInfo(TypedDict):
    """One function scripts can call, as :func:`functions` lists it."""

    name: str
    signature: str
    params: List[Tuple[str, str]]
    returns: str
    doc: str
    this: Optional[str]
    property: bool


def functions(standard: bool = False) -> List[FunctionInfo]:
    """Every function Rhai scripts can call, from the engine's own metadata.

    One dict per function (an overload is its own entry): ``name``; ``signature`` (a method as
    ``Ledger.importers(start: i64, end: i64) -> Table``, a property as ``Ledger.span -> any``);
    ``params``, the ``(name, type)`` pairs with the receiver first; ``returns``; ``doc``, the
    function's doc comment; ``this``, the receiver's type when the function reads as a method
    (``"Ledger"``), else None; ``property``, True for a property read without parentheses.
    Types are Rhai's ``type_of`` names (``i64``, ``f64``, ``string``, ``array``, ``map``,
    ``Ledger``, ...; ``any`` for a value of any type).

    Parameters
    ----------
    standard : bool
        Also list Rhai's standard library (``len``, ``push``, ``sort``, ...).

    Examples
    --------
    >>> methods = {f["name"] for f in functions() if f["this"] == "Ledger"}
    >>> {"importers", "exporters", "supplier_dependence", "span"} <= methods
    True
    >>> [f["signature"] for f in functions() if f["name"] == "hhi"]
    ['hhi(values: any) -> f64']
    """
    return cast(List[FunctionInfo], _native.functions(standard))


def _wrap(value: Any) -> Any:
    """Native values as the package's own: tables, ledgers, scenarios, capabilities, state lists
    and the other models, inside lists and dicts too."""
    from . import capabilities as cap
    from .panels import AllianceYears

    if isinstance(value, _native.ArrowTable):
        return Table(value)
    if isinstance(value, _native.Ledger):
        return Ledger(value)
    if isinstance(value, _native.Scenario):
        return Scenario._from_native(value)
    models: Dict[type, Callable[[Any], Any]] = {
        _native.Capabilities: cap.Capabilities,
        _native.Milex: cap.MilitaryExpenditure,
        _native.Maddison: cap.Maddison,
        _native.SdpGdp: cap.SdpGdp,
        _native.Alliances: cap.Alliances,
        _native.IdealPoints: cap.IdealPoints,
        _native.StateList: cap.StateList,
        _native.AllianceYears: AllianceYears,
    }
    if type(value) in models:
        return models[type(value)](value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    if isinstance(value, dict):
        return {k: _wrap(v) for k, v in value.items()}
    return value


def _data_root(data: Optional[PathLike]) -> Optional[Path]:
    if data is not None:
        return Path(data)
    env = os.environ.get("POWERBALANCE_DATA")
    return Path(env) if env else None


def script_datasets(data_home: Optional[PathLike] = None) -> Dict[str, Tuple[str, str]]:
    """The map ``dataset(name)`` reads in scripts: ``{name: (kind, absolute path)}`` for every
    registered dataset a script reader takes (``country-codes`` has none), the path resolved
    by the data-home rule of :func:`powerbalance.datasets.path` (``data_home``, else
    ``POWERBALANCE_DATA``, else the user cache folder). Paths may not exist yet; ``dataset``
    then names the ``powerbalance data fetch`` command.

    Examples
    --------
    >>> script_datasets("/data")["cow-nmc-v7"]
    ('nmc', '/data/cow_nmc/NMC-v7.0-abridged.csv')
    """
    from . import datasets

    out: Dict[str, Tuple[str, str]] = {}
    for name in datasets.names():
        kind = "sipri" if name.startswith("sipri-") and name != "sipri-milex" else DATASET_KINDS.get(name)
        if kind is None:
            continue
        p = datasets.path(name, data_home=data_home)
        out[name] = (kind, os.path.abspath(p))
    return out


class Engine:
    """A sandboxed Rhai engine that keeps one scope across calls.

    Parameters
    ----------
    data : path, optional
        The folder scripts may read data from: ``read_sipri("sipri/...")`` takes a relative path
        from here, and no path outside it can be read. Default: ``POWERBALANCE_DATA``, else no
        data access.
    limits : dict, optional
        Overrides of :data:`DEFAULT_LIMITS` (``{"max_wall_time": 60}`` for a long sweep). The
        depths and the wall time are capped at :data:`MAX_LIMITS`; a negative, fractional,
        non-finite or too large value raises
        :class:`~powerbalance.errors.InvalidArgumentError` naming the limit.
    data_home : path, optional
        Where ``dataset("cow-nmc-v7")`` finds the registered datasets: this folder, else
        ``POWERBALANCE_DATA``, else the user cache folder (the rule of
        :func:`powerbalance.datasets.data_home`). ``dataset`` only reads (no download from a
        script): a dataset not fetched yet is an error naming ``powerbalance data fetch NAME``.
    echo : bool
        Write what the script prints to ``sys.stdout`` (default). With ``echo=False`` the lines
        are kept in :attr:`output` only.

    Examples
    --------
    >>> e = Engine(limits={"max_operations": 10_000})
    >>> e.eval("let s = scenario(`no French arms`).embargo_supplier(`France`, 2016, 2020); s.len()")
    1
    >>> e.get("s").operations
    ['embargo France -> any recipient, 2016-2020']
    >>> try:
    ...     e.eval("loop { }")
    ... except pb.errors.ScriptError as err:
    ...     err.limit
    'max_operations'
    """

    def __init__(
        self,
        data: Optional[PathLike] = None,
        limits: Optional[Mapping[str, float]] = None,
        *,
        data_home: Optional[PathLike] = None,
        echo: bool = True,
    ) -> None:
        root = _data_root(data)
        self.data: Optional[Path] = root
        self.echo = echo
        #: Lines printed by the last :meth:`eval`.
        self.output: List[str] = []
        self._native = _native.Engine(
            [root] if root is not None else [], dict(limits) if limits else None, script_datasets(data_home)
        )
        self.limits: Dict[str, float] = self._native.limits()

    @property
    def datasets(self) -> Dict[str, Tuple[str, str]]:
        """What ``dataset(name)`` reads: ``{name: (kind, path)}``."""
        return {k: (kind, str(p)) for k, (kind, p) in self._native.datasets().items()}

    def eval(self, code: str) -> Any:
        """Run ``code`` in the engine's scope and return the value of its last expression.

        Top-level ``let`` variables stay in the scope for later calls. Result tables come back
        as :class:`powerbalance.Table`, ledgers as :class:`powerbalance.Ledger`, scenarios as
        :class:`Scenario`, arrays as lists and maps as dicts.

        Raises
        ------
        powerbalance.errors.ScriptError
            With ``line``, ``column`` and, when a sandbox limit stopped the script, ``limit``
            (one of :data:`DEFAULT_LIMITS`, or ``max_nesting`` for a result or a variable with
            arrays and maps nested deeper than 256 levels). Also raised at once when another
            thread calls this engine while it runs a script.
        KeyboardInterrupt
            When Ctrl-C (or a Jupyter interrupt) stopped the script.
        """
        try:
            value, self.output = self._native.eval(code)
        except Exception as e:
            self.output = list(getattr(e, "output", []))
            self._echo()
            raise
        self._echo()
        return _wrap(value)

    def _echo(self) -> None:
        if self.echo and self.output:
            sys.stdout.write("\n".join(self.output) + "\n")

    def set(self, name: str, value: Any) -> None:
        """Set the script variable ``name`` to a Python value (number, string, bool, None, list,
        dict with string keys, :class:`~powerbalance.Table` or any Arrow table,
        :class:`~powerbalance.Ledger`, :class:`Scenario`).

        Parameters
        ----------
        name : str
            The variable's name in the script's scope.
        value : object
            The value; nested lists and dicts at most 256 levels deep (``max_nesting``).

        Examples
        --------
        >>> e = Engine(echo=False)
        >>> e.set("s", Scenario("x").embargo("Russia", "China", 2016, 2020))
        >>> e.eval("s.len()")
        1
        """
        self._native.set(name, value)

    def get(self, name: str) -> Any:
        """The value of the script variable ``name``, as a Python value (tables as
        :class:`~powerbalance.Table`, ledgers as :class:`~powerbalance.Ledger`, scenarios as
        :class:`Scenario`).

        Raises
        ------
        KeyError
            When the scope has no such variable.

        Examples
        --------
        >>> e = Engine(echo=False)
        >>> _ = e.eval('let s = scenario("x").embargo("Russia", "China", 2016, 2020);')
        >>> e.get("s") == Scenario("x").embargo("Russia", "China", 2016, 2020)
        True
        """
        return _wrap(self._native.get(name))

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self.set(name, value)

    def __contains__(self, name: object) -> bool:
        return name in self._native.names()

    @property
    def names(self) -> List[str]:
        """Names of the script variables."""
        return self._native.names()

    def variables(self) -> Dict[str, str]:
        """Every script variable with its Rhai type name (``type_of``), in definition order.

        Examples
        --------
        >>> e = Engine(echo=False)
        >>> _ = e.eval("let s = scenario(`x`); let n = 2; let t = shares(#{a: 1.0, b: 3.0});")
        >>> e.variables()
        {'s': 'Scenario', 'n': 'i64', 't': 'Table'}
        """
        return dict(self._native.variables())

    def reset(self) -> None:
        """Forget every script variable."""
        self._native.reset()

    def run_file(self, path: PathLike) -> Any:
        """Run a script file (as :meth:`eval`) and return the value of its last expression.

        Parameters
        ----------
        path : str or os.PathLike
            A UTF-8 Rhai script (``.rhai``).
        """
        return self.eval(Path(path).read_text(encoding="utf-8"))

    def __repr__(self) -> str:
        return f"<Engine data={str(self.data) if self.data else None!r}, {len(self.names)} variable(s)>"



def _period(start: Optional[int], end: Optional[int]) -> Optional[Period]:
    """``start, end`` as the native layer's optional period: both or neither."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise TypeError("give both `start` and `end` (years, both included), or neither for every year")
    return (int(start), int(end))


def _is_year(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _shift_optional_name(
    call: str, what: str, name: object, start: Optional[int], end: Optional[int]
) -> Tuple[Optional[str], Optional[int], Optional[int]]:
    """Rhai's short form without an optional name: a year where the name stands is ``start``,
    and the later arguments move one place right (``redirect(r, f, 2016, 2020)``)."""
    if _is_year(name):
        if end is not None:
            raise TypeError(f"{call}: too many years")
        name, start, end = None, name, start
    if name is not None and not isinstance(name, str):
        raise TypeError(f"{call.split('(')[0]}: {what} must be a string or None, not {type(name).__name__}")
    return name, start, end


def _shift_number_measure(
    what: str, measure: Union[str, float, None], factor: Optional[float], start: Optional[int], end: Optional[int]
) -> Tuple[Optional[str], float, Optional[int], Optional[int]]:
    """Rhai's short form ``(actor, factor, start[, end])``: a number where ``measure`` stands is
    the factor, and the later arguments move one place left."""
    if measure is not None and not isinstance(measure, str):
        if end is not None:
            raise TypeError(f"{what}(actor, factor, start): too many arguments")
        f = float(measure)
        measure, factor, start, end = None, f, None if factor is None else int(factor), start
    if factor is None:
        raise TypeError(f"{what}: `factor` is required")
    return measure, float(factor), start, end


class Scenario(Wrapper[_native.Scenario]):
    """A what-if: operations applied, in order, to a baseline ledger.

    Scenarios are immutable: each operation returns a new scenario, so calls chain.

    Parameters
    ----------
    name : str
        A short title.
    baseline : str, optional
        What the scenario starts from (a data path or dataset name), for the record.

    Examples
    --------
    >>> s = Scenario("China stops buying Russian arms").embargo("Russia", "China", 2016, 2020)
    >>> s.operations
    ['embargo Russia -> China, 2016-2020']
    >>> Scenario.from_json(s.to_json()) == s
    True
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> w = s.apply(led)
    >>> led.total(2016, 2020), w.total(2016, 2020)
    (4000.0, 3040.0)
    """

    __slots__ = ()
    _native_class = _native.Scenario
    _how = "powerbalance.Scenario(name)"

    def __init__(self, name: str = "", baseline: Optional[str] = None) -> None:
        super().__init__(_native.Scenario(name, baseline))

    @classmethod
    def _from_native(cls, native: _native.Scenario) -> "Scenario":
        s = cls.__new__(cls)
        s._native = native
        return s

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        # pickled as its JSON
        from ._sweep import _scenario_from_json

        return (_scenario_from_json, (self.to_json(),))

    @classmethod
    def from_json(cls, text: str) -> "Scenario":
        """A scenario from JSON (as :meth:`to_json` writes it, or a Rhai script's ``to_json()``)."""
        return cls._from_native(_native.Scenario.from_json(text))

    def to_json(self) -> str:
        """The scenario as JSON: ``{"name", "baseline", "operations": [{"op": ...}, ...]}``."""
        return self._native.to_json()

    def embargo(
        self,
        supplier: Optional[str] = None,
        recipient: Optional[str] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
        *,
        category: Optional[str] = None,
    ) -> "Scenario":
        """Remove every delivery from ``supplier`` to ``recipient`` in ``start..=end`` (of one
        armament category only, with ``category``).

        The world total falls by exactly the removed TIV. Rhai: ``embargo(supplier, recipient)``,
        ``embargo(supplier, recipient, start, end)``, ``embargo(supplier, recipient, start, end,
        #{category: "Aircraft"})``.

        Parameters
        ----------
        supplier : str, optional
            The supplier; None embargoes every import of ``recipient``.
        recipient : str, optional
            The recipient; None embargoes every export of ``supplier``.
        start, end : int, optional
            The years, both included; both None for every year.
        category : str, optional
            One of SIPRI's armament categories (any spelling: ``"air-defence systems"``); only
            its deliveries are removed. Needs a new-format register when applied.

        Returns
        -------
        Scenario
            A new scenario with the operation appended.

        Examples
        --------
        >>> Scenario("x").embargo("Russia", "China", 2016, 2020).operations
        ['embargo Russia -> China, 2016-2020']
        >>> Scenario("x").embargo("Russia", "China", 2016, 2020, category="Air-defence systems").operations
        ['embargo air defence systems Russia -> China, 2016-2020']
        """
        for who, name in (("supplier", supplier), ("recipient", recipient)):
            if name is not None and not isinstance(name, str):
                raise TypeError(
                    f"embargo: the {who} must be a name or None, not {type(name).__name__} "
                    "(a year? embargo(supplier, recipient, start, end))"
                )
        return Scenario._from_native(self._native.embargo(supplier, recipient, _period(start, end), category))

    def embargo_supplier(self, supplier: str, start: Optional[int] = None, end: Optional[int] = None) -> "Scenario":
        """Embargo every export of ``supplier`` in ``start..=end`` (every year when both are
        None): ``embargo(supplier, None, start, end)``, named as in Rhai."""
        return self.embargo(supplier, None, start, end)

    def embargo_recipient(self, recipient: str, start: Optional[int] = None, end: Optional[int] = None) -> "Scenario":
        """Embargo every import of ``recipient`` in ``start..=end`` (every year when both are
        None): ``embargo(None, recipient, start, end)``, named as in Rhai."""
        return self.embargo(None, recipient, start, end)

    def redirect(
        self,
        recipient: str,
        from_: str,
        to: Union[str, int, None] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
    ) -> "Scenario":
        """Move ``recipient``'s imports from ``from_`` in ``start..=end`` to ``to``.

        When ``to`` is None, the imports go to the recipient's other suppliers in proportion to
        their shares of its imports over the same period. The world total is unchanged. As in
        Rhai, ``redirect(recipient, from_, start, end)`` (a year where ``to`` stands) is the
        call without ``to``.

        Parameters
        ----------
        recipient : str
            The importer.
        from_ : str
            The supplier it leaves.
        to : str, optional
            The supplier that gets the deliveries; None for the other suppliers pro rata.
        start, end : int, optional
            The years, both included; both None for every year.

        Returns
        -------
        Scenario
            A new scenario with the operation appended.

        Examples
        --------
        >>> s = Scenario("x")
        >>> s.redirect("India", "Russia", 2016, 2020) == s.redirect("India", "Russia", None, 2016, 2020)
        True
        """
        to, start, end = _shift_optional_name("redirect(recipient, from_, start, end)", "`to`", to, start, end)
        return Scenario._from_native(self._native.redirect(recipient, from_, to, _period(start, end)))

    def scale_exports(
        self, supplier: str, factor: float, start: Optional[int] = None, end: Optional[int] = None
    ) -> "Scenario":
        """Multiply ``supplier``'s deliveries in ``start..=end`` (every year when both are None)
        by ``factor`` (0 or more). Rhai: ``scale_exports(supplier, factor, start, end)``.

        Examples
        --------
        >>> s = Scenario("x")
        >>> s.scale_exports("China", 1.5, 2016, 2020) == s.scale_exports("China", 1.5, start=2016, end=2020)
        True
        """
        return Scenario._from_native(self._native.scale_exports(supplier, factor, _period(start, end)))

    def scale_imports(
        self, recipient: str, factor: float, start: Optional[int] = None, end: Optional[int] = None
    ) -> "Scenario":
        """Multiply ``recipient``'s imports (every delivery to it) in ``start..=end`` (every year
        when both are None) by ``factor`` (0 or more); the world total moves by ``(factor - 1)``
        times those imports. Rhai: ``scale_imports(recipient, factor, start, end)``.

        Examples
        --------
        >>> Scenario("x").scale_imports("India", 0.5, 2016, 2020).operations
        ["scale India's imports by 0.5, 2016-2020"]
        """
        return Scenario._from_native(self._native.scale_imports(recipient, factor, _period(start, end)))

    def scale_capabilities(
        self,
        actor: str,
        measure: Union[str, float, None] = None,
        factor: Optional[float] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
    ) -> "Scenario":
        """Multiply ``actor``'s capabilities by ``factor`` (0 or more) in ``start..=end`` (to the
        end of the data when ``end`` is None).

        ``measure``: a CINC component (``milex, milper, irst, pec, tpop, upop``), a SIPRI
        military-expenditure series (``constant, current, share_gdp``), or ``cinc`` / None for
        every CINC input. Applied to NMC data, every state's CINC is recomputed from the
        components in the years touched. The arguments come in Rhai's order,
        ``scale_capabilities(actor, measure, factor, start[, end])``; as in Rhai,
        ``scale_capabilities(actor, factor, start)`` (a number where ``measure`` stands) scales
        every CINC input.

        Parameters
        ----------
        actor : str
            A state name or code.
        measure : str or None
            The measure (see above); a number here is the factor of the short form.
        factor : float
            The multiplier, 0 or more.
        start : int
            The first year scaled.
        end : int, optional
            The last year scaled; None for the end of the data.

        Returns
        -------
        Scenario
            A new scenario with the operation appended.

        Examples
        --------
        >>> s = Scenario("x")
        >>> s.scale_capabilities("China", "milex", 2.0, 2010, 2016) == s.scale_capabilities(
        ...     "China", "milex", factor=2.0, start=2010, end=2016
        ... )
        True
        """
        m, f, s, e = _shift_number_measure("scale_capabilities", measure, factor, start, end)
        if s is None:
            raise TypeError("scale_capabilities: `start` (the first year scaled) is required")
        return Scenario._from_native(self._native.scale_capabilities(actor, f, s, e, m))

    def scale_growth(
        self,
        actor: str,
        measure: Union[str, float, None] = None,
        factor: Optional[float] = None,
        start: Optional[int] = None,
    ) -> "Scenario":
        """Multiply ``actor``'s year-on-year growth of a measure by ``factor`` from ``start`` on,
        compounding: ``x'_t = x'_(t-1) (1 + factor g_t)`` with ``g_t = x_t / x_(t-1) - 1``.

        Arguments in Rhai's order, ``scale_growth(actor, measure, factor, start)``, and as in
        Rhai ``scale_growth(actor, factor, start)`` for every CINC input (``measure`` as in
        :meth:`scale_capabilities`). The period is open-ended: there is no ``end``.

        Examples
        --------
        >>> Scenario("x").scale_growth("China", 1.5, 2000) == Scenario("x").scale_growth("China", None, 1.5, 2000)
        True
        """
        m, f, s, e = _shift_number_measure("scale_growth", measure, factor, start, None)
        if s is None or e is not None:
            raise TypeError("scale_growth(actor, measure, factor, start): one start year, no end")
        return Scenario._from_native(self._native.scale_growth(actor, f, s, m))

    def form_alliance(
        self, a: str, b: str, alliance_type: str, start: Optional[int] = None, end: Optional[int] = None
    ) -> "Scenario":
        """Add an alliance obligation (``defense, offense, neutrality, nonaggression, entente,
        consultation``) between ``a`` and ``b`` in ``start..=end`` (every year of the data when
        both are None). Rhai: ``form_alliance(a, b, type[, start, end])``.

        Raises
        ------
        powerbalance.errors.InvalidArgumentError
            For an unknown alliance type.

        Examples
        --------
        >>> s = Scenario("x")
        >>> s.form_alliance("China", "Russia", "defense", 2005, 2010) == s.form_alliance(
        ...     "China", "Russia", "defense", start=2005, end=2010
        ... )
        True
        """
        return Scenario._from_native(self._native.form_alliance(a, b, alliance_type, _period(start, end)))

    def dissolve_alliance(
        self,
        a: str,
        b: str,
        alliance_type: Union[str, int, None] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
    ) -> "Scenario":
        """Remove the alliance obligations between ``a`` and ``b`` in ``start..=end``: the one of
        ``alliance_type``, or every one when it is None. The dyad-years stay in the data with no
        obligation left (the COW and ATOP files have such rows too). As in Rhai,
        ``dissolve_alliance(a, b, start, end)`` (a year where the type stands) dissolves every
        type.

        Examples
        --------
        >>> s = Scenario("x")
        >>> every_type = s.dissolve_alliance("China", "Russia", None, 2005, 2010)
        >>> s.dissolve_alliance("China", "Russia", 2005, 2010) == every_type
        True
        """
        alliance_type, start, end = _shift_optional_name(
            "dissolve_alliance(a, b, start, end)", "the alliance type", alliance_type, start, end
        )
        return Scenario._from_native(self._native.dissolve_alliance(a, b, alliance_type, _period(start, end)))

    def shift_ideal_point(
        self,
        actor: str,
        toward: Union[str, float, None] = None,
        by: Optional[float] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
    ) -> "Scenario":
        """Move ``actor``'s UN General Assembly ideal points in ``start..=end`` (every year when
        both are None).

        With ``toward``, the fraction ``by`` (0 to 1) of the way to that state's point,
        ``x' = x + by (x_toward - x)``, in the years both have one; without, by ``by`` itself,
        ``x' = x + by``. Every estimate (fp, all, legacy) moves (Bailey, Strezhnev & Voeten
        2017). The arguments come in Rhai's order: ``shift_ideal_point(actor, toward, by[,
        start, end])``, and ``shift_ideal_point(actor, by[, start, end])`` (a number where
        ``toward`` stands) for the plain shift.

        Examples
        --------
        >>> Scenario("Russia votes halfway to China").shift_ideal_point("Russia", "China", 0.5).operations
        ["move Russia's UN ideal point 50% of the way to China's, all years"]
        >>> s = Scenario("x")
        >>> s.shift_ideal_point("Russia", 0.25, 2010, 2016) == s.shift_ideal_point("Russia", None, 0.25, 2010, 2016)
        True
        """
        if toward is not None and not isinstance(toward, str):
            if end is not None:
                raise TypeError("shift_ideal_point(actor, by, start, end): too many arguments")
            shift = float(toward)
            toward, by, start, end = None, shift, None if by is None else int(by), start
        if by is None:
            raise TypeError("shift_ideal_point: `by` is required")
        return Scenario._from_native(self._native.shift_ideal_point(actor, float(by), toward, _period(start, end)))

    def apply(self, data: Any) -> Any:
        """The scenario applied to ``data``, a new object of the same kind (the baseline is
        unchanged):

        - a :class:`~powerbalance.Ledger`: the transfer operations (embargo, redirect, scale
          exports);
        - :class:`~powerbalance.capabilities.Capabilities` (COW NMC) or
          :class:`~powerbalance.capabilities.MilitaryExpenditure`: the capability operations;
        - :class:`~powerbalance.capabilities.Alliances`: the alliance operations;
        - :class:`~powerbalance.capabilities.IdealPoints`: the ideal-point operations.

        Examples
        --------
        >>> s = Scenario("a Sino-Russian defense pact").form_alliance("China", "Russia", "defense", 2000, 2012)
        >>> al = pb.read_alliances(pb.datasets.path("cow-alliances"))
        >>> s.apply(al).table().filter(ccode1=365, ccode2=710).select(["year", "defense", "level"])
        Table: 2 rows x 3 columns
        year  defense  level
        2011  yes          3
        2012  yes          3
        """
        from .capabilities import Alliances, Capabilities, IdealPoints, MilitaryExpenditure

        kinds = (Ledger, Capabilities, MilitaryExpenditure, Alliances, IdealPoints)
        if not isinstance(data, kinds):
            raise TypeError(
                "a scenario applies to a Ledger, Capabilities, MilitaryExpenditure, Alliances or IdealPoints, "
                f"not {type(data).__name__}"
            )
        native: Any = data.native
        return type(data)(self._native.apply(native))

    def effects(self, ledger: Ledger) -> Table:
        """What each operation does on ``ledger``, in order.

        Parameters
        ----------
        ledger : Ledger
            The baseline.

        Returns
        -------
        Table
            ``step, operation, removed, added, moved, entries``: the TIV each operation
            removes, adds and moves, and the entries it touches.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> Scenario("x").embargo("Russia", "China", 2016, 2020).effects(led).select(["step", "removed", "added"])
        Table: 1 row x 3 columns
        step  removed  added
           1      960      0
        """
        return Table(self._native.effects(ledger.native))

    name = NativeProperty[str]("""The scenario's short title.""")
    baseline = NativeProperty[Optional[str]](
        """What the scenario starts from (a data path or dataset name), or None."""
    )
    operations = NativeProperty[List[str]]("""The operations, one line each.""")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Scenario):
            return bool(self._native == other._native)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        ops = "".join(f"\n  {i}. {o}" for i, o in enumerate(self.operations, 1))
        return f"Scenario({self.name!r}){ops}"


def compare_tables(baseline: Any, scenario: Any, keys: Optional[Sequence[str]] = None) -> Table:
    """Two versions of a metric table side by side with the differences.

    Rows are matched on ``keys`` (default: the first text column, else ``year``). Every numeric
    column ``v`` except the keys and ``rank`` gives ``v_baseline``, ``v_scenario`` and ``v_diff``
    (scenario minus baseline; a row missing on one side counts as 0 in the difference).
    """
    return Table(_native.compare_tables(baseline, scenario, None if keys is None else list(keys)))


def compare(baseline: Ledger, scenario: Scenario, metric: Callable[[Ledger], Table]) -> Table:
    """Run ``metric`` on the baseline and on the scenario, and compare the two tables.

    Examples
    --------
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> s = Scenario("China stops buying Russian arms").embargo("Russia", "China", 2016, 2020)
    >>> compare(led, s, lambda l: l.clients("Russia", 2016, 2020))
    Table: 3 rows x 7 columns
    recipient  tiv_baseline  tiv_scenario  tiv_diff  share_baseline  share_scenario  share_diff
    China               960                    -960           56.8%                    -56.8 pp
    Algeria             400           400         0           23.7%           54.8%    +31.1 pp
    India               330           330         0           19.5%           45.2%    +25.7 pp
    """
    return compare_tables(metric(baseline), metric(scenario.apply(baseline)))
