"""powerbalance: balance-of-power metrics over SIPRI arms-transfer data, with a Rust core.

The public API:

- :func:`read_sipri` (and :func:`read_sipri_bytes`): read a SIPRI export or a folder of them
  into a :class:`Ledger`;
- :class:`Ledger`: the transfer data and its metrics (fact-sheet tables, dyads, series);
- :class:`Table`: the result tables, readable by pyarrow, polars, pandas and duckdb through the
  Arrow PyCapsule interface, without copies;
- :func:`actors` and :func:`actor`: the built-in actor registry (every SIPRI spelling, COW and
  ISO3 codes, the Soviet Union -> Russia succession);
- :mod:`powerbalance.errors`: the exception hierarchy;
- :func:`read_nmc`, :func:`read_states`, :func:`read_majors`: COW capabilities and state lists
  (:class:`Capabilities`, :class:`StateList`);
- :mod:`powerbalance.metrics`: concentration, polarity, equilibrium and power transition;
- :mod:`powerbalance.panels`: state-year and dyad-year panels with capabilities, arms flows and
  alliances;
- :mod:`powerbalance.script`: the sandboxed Rhai engine (:class:`Engine`) and what-if
  scenarios (:class:`Scenario`), with the same operations and argument order as in Rhai;
- :mod:`powerbalance.paper`: the replication of the paper's tables (imported on first use);
- :func:`chart`: a chart of any result table (Vega-Lite for JupyterLab, an SVG fallback;
  :mod:`powerbalance.charts`, imported on first use);
- :mod:`powerbalance.datasets`: the named public data sets, their data home, fetch and checks
  (imported on first use).

``import powerbalance`` loads neither pyarrow, numpy nor pandas: result tables keep the core's
Arrow data and print through the core's formatter; pyarrow is imported when a method needs a
:class:`pyarrow.Table` (:meth:`Table.to_arrow`, :meth:`Table.column`, ...) and pandas by
:meth:`Table.to_pandas` (``tests/test_lean_import.py``).

Examples
--------
The examples of this package run as tests (``tests/test_doctests.py``) with the data home
(``POWERBALANCE_DATA``) at the project's synthetic fixtures (``tests/fixtures/data``, a few rows
per file), so the figures they show are the fixtures', not SIPRI's or COW's.

>>> import powerbalance as pb
>>> pb.actor("Turkey")["name"]
'Turkiye'
>>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
>>> t = led.importers(2016, 2020, top=3, compare=(2012, 2015))
>>> t.select(["rank", "recipient", "tiv", "share", "change_pct", "supplier_1", "supplier_1_share"])
Table: 3 rows x 7 columns
rank  recipient       tiv  share  change_pct  supplier_1     supplier_1_share
   1  Saudi Arabia  1,000  25.0%              United States            100.0%
   2  India           990  24.8%              France                    66.7%
   3  China           960  24.0%     +220.0%  Russia                   100.0%
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, List, Optional, TypedDict, cast

from . import _native, capabilities, errors, metrics, panels, script
from .capabilities import *  # noqa: F403 (every reader and class of capabilities is one of the package's)
from .ledger import Ledger, read_sipri, read_sipri_bytes
from .script import Engine, Scenario
from .table import Table

if TYPE_CHECKING:
    from .charts import chart

__version__: str = _native.__version__

__all__ = [
    "ActorInfo",
    "Engine",
    "Scenario",
    "metrics",
    "panels",
    "script",
    "Ledger",
    "Table",
    "__version__",
    "actor",
    "actors",
    "chart",
    "errors",
    "read_sipri",
    "read_sipri_bytes",
]
__all__ += capabilities.__all__


class ActorInfo(TypedDict):
    """One actor of the registry, as :func:`actor` returns it."""

    name: str
    kind: str
    sipri_code: Optional[str]
    cow_code: Optional[int]
    iso3: Optional[str]
    aliases: List[str]
    successor: Optional[str]
    predecessor: Optional[str]


def actors() -> Table:
    """The built-in actor registry: every actor in every SIPRI release this project knows.

    Columns ``id, name, kind, sipri_code, cow_code, iso3, aliases`` (``|``-separated),
    ``successor, predecessor, builtin``. ``kind`` is ``state``, ``non-state`` (SIPRI's trailing
    ``*``), ``organisation`` (``**``), ``unknown`` or ``aggregate``. COW codes follow the
    Correlates of War state system (COW 2017); ISO3 codes are ISO 3166 alpha-3 (for former
    states, the code they had: ``SUN``, ``CSK``, ``YUG``, ``DDR``).

    Examples
    --------
    >>> t = actors()
    >>> "Russia" in t.column("name")
    True
    """
    return Table(_native.actors())


def actor(name: str) -> ActorInfo:
    """One actor of the built-in registry, found by any spelling, alias or SIPRI code.

    Parameters
    ----------
    name : str
        ``"Turkey"``, ``"turkiye"``, ``"UAE"``, ``"CHI"``, ``"USR"``, ...

    Returns
    -------
    dict
        ``name, kind, sipri_code, cow_code, iso3, aliases`` (list), ``successor``,
        ``predecessor`` (names or None).

    Raises
    ------
    powerbalance.errors.UnknownActorError
        With the nearest known names in ``suggestions``.

    Examples
    --------
    >>> a = actor("USR")
    >>> a["name"], a["successor"]
    ('Soviet Union', 'Russia')
    """
    return cast(ActorInfo, _native.actor(name))


def __getattr__(name: str) -> Any:
    # `powerbalance.paper` and `powerbalance.datasets` are imported on first use, so that
    # importing powerbalance stays fast and does not fail while a module is missing.
    if name in ("paper", "datasets", "charts"):
        return importlib.import_module(f".{name}", __name__)
    if name == "chart":  # the function; its module is `charts` (so `import powerbalance.charts` cannot shadow it)
        return importlib.import_module(".charts", __name__).chart
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext powerbalance``: the ``%%rhai`` cell magic (see :mod:`powerbalance.magic`)."""
    from .magic import load_ipython_extension as load

    load(ipython)
